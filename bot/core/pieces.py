"""Where one message holds several questions, or a condition and then a question: its pieces.

"where is the heart point and where is the liver?" is two questions; "im diabetic, what about the big toe?"
is a statement and a question. The engine reads each piece on its own and answers those the guide covers.
"""

from __future__ import annotations

import re

from bot.core.text import sentences

MIN_QUESTION_WORDS = 3
MAX_PIECES = 8  # a long message is read whole beyond this: bounds the work one message costs

# Words a question or a request starts with ("where is...", "tell me...").
_ASKING = "what whats which where wheres when why how hows who whose is are can could should would will do does did any"
ASKING_STARTS = frozenset(f"{_ASKING} anything tell explain show describe give".split())
# A second question joined to the first: "..., and where is the liver?", "...; also what oil?", "... n where's...".
_JOINED = re.compile(r"\s*(?:,\s*)?\b(?:and also|and|also|plus|n)\s+(?=(\w+))", re.IGNORECASE)
# What every `_JOINED` match holds, found far faster (`_JOINED` opens with optional spaces: no position is skipped).
_MAY_JOIN = re.compile(r"\b(?:and|also|plus|n)\s", re.IGNORECASE)
_RESTATES = re.compile(r"(?:is|does|was|would|could|can|will|has)\s+(?:it|that|this)\b", re.IGNORECASE)
_MAY_SPLIT = re.compile(r"[.!?;,:\n\u2013\u2014]|\s-\s|\b(?:and|also|plus|n)\b", re.IGNORECASE)
# `_MAY_SPLIT` in three parts, for plain ASCII text (nearly every message): a character class alone is scanned
# quickly, the dash is looked for only where there is one, and the joiners without IGNORECASE in lower-cased text.
# Over the labelled messages: 1.9 -> 1.3 us a message.
_MARKS = re.compile(r"[.!?;,:\n]")
_SPACED_DASH = re.compile(r"\s-\s")
_JOINER = re.compile(r"\b(?:and|also|plus|n)\b")
_LEADING_JOINER = re.compile(r"^(?:(?:and|also|plus|but|so|then|n)\b[\s,]*)+", re.IGNORECASE)
_CLAUSE = re.compile(r"\s*[,:\u2013\u2014]\s*|\s+-\s+")


def question_pieces(text: str) -> list[str]:
    """The message cut at sentence ends, at commas and dashes, and at "and"/"also"/"plus" that start a new
    question; a single piece when there is nothing to cut."""
    if not _may_split(text.rstrip(" .!?")):
        return [text]  # most messages: one sentence, one clause
    pieces: list[str] = []
    for sentence in sentences(text):
        for clause in _CLAUSE.split(sentence):
            pieces.extend(_split_joined(clause))
            if len(pieces) >= MAX_PIECES:
                return [text]
    pieces = [piece for piece in (_LEADING_JOINER.sub("", piece.strip(" .!;,")) for piece in pieces) if piece]
    return pieces or [text]


def _may_split(text: str) -> bool:
    """`_MAY_SPLIT` finds something to cut at in `text` (worked out in parts for plain ASCII text)."""
    if not text.isascii():
        return _MAY_SPLIT.search(text) is not None
    return (
        _MARKS.search(text) is not None
        or ("-" in text and _SPACED_DASH.search(text) is not None)
        or _JOINER.search(text.lower()) is not None
    )


def without_joiners(piece: str) -> str:
    """The piece without the joiners it opens with: "and how should he do it" -> "how should he do it"."""
    return _LEADING_JOINER.sub("", piece)


def asks(piece: str) -> bool:
    """The piece starts like a question or a request ("where is...", "tell me..."), and is more than a word or
    two: "ear pain?" or "why, though?" inside a longer message are not questions of their own."""
    words = piece.split()
    return len(words) >= MIN_QUESTION_WORDS and _without_apostrophes(words[0].lower()) in ASKING_STARTS


def _without_apostrophes(word: str) -> str:
    """ "what's" -> "whats": two substring replaces, several times quicker than a regex substitution."""
    return word.replace("'", "").replace("\u2019", "")


def restates(piece: str) -> bool:
    """The piece asks again about what the one before it named ("..., is it a nerve thing?")."""
    return _RESTATES.match(piece.strip()) is not None


def _split_joined(clause: str) -> list[str]:
    """Cut at "and"/"also"/"plus" only where both sides ask something ("what oil and where do i start")."""
    if _MAY_JOIN.search(clause) is None:
        return [clause]  # most clauses: no joiner at all
    parts: list[str] = []
    start = 0
    for match in _JOINED.finditer(clause):
        follower = _without_apostrophes(match.group(1).lower())
        left = clause[start : match.start()]
        if follower in ASKING_STARTS and left.strip() and asks(left):
            parts.append(left)
            start = match.end()
    parts.append(clause[start:])
    return parts
