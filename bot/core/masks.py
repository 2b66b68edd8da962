"""Words with letters hidden or run together ("pr*gnant", "dia-betic", "HeartCondition", "#heartfailure"), and emoji
that stand for words ("my 🫀 is weak"), written out as the words of a safety term they stand for.

Normalising splits "pr*gnant" into "pr gnant" and keeps "#heartfailure" as one word, so no term matched them and a
caveat hung on the topic model picking a caution. Safety reads such a message once more, written out here."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

# Quick test: a mask symbol between letters, a capital after a small letter, or a hashtag (most messages: none)
_ANY = re.compile(r"[^\W_][*•·#_.\-]+[^\W_]|[a-z][A-Z]|#[^\W\d_]")
_MASKED = re.compile(r"[^\W_]+(?:[*•·#_.\-]+[^\W_]+)+")  # "pr*gn*nt", "ins**ulin", "dia-betic"
_HIDING = re.compile(r"[*•·#_]+")  # hidden letters: one mark for one ("pr*gnant"), a run for up to two (see _shape)
_JOINING = re.compile(r"[.\-]+")  # "dia-betic", "dia.betes": the word split in two
_CAMEL = re.compile(r"\b[A-Za-z]*[a-z][A-Z][A-Za-z]*\b")  # "ImPregnant", "HeartCondition"
_CAMEL_PARTS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_HASHTAG = re.compile(r"#([^\W\d_]{5,})")
MIN_SHOWN_LETTERS = 4  # a word with hidden letters is guessed only when this many show ("h*art", not "h*t")
MIN_SHOWN_IN_A_PHRASE = 3  # ...or this many, for a word of a several-word term ("h*rt attack")
MIN_GLUED_WORD = 5  # a term word found inside a hashtag that does not split into term words whole ("#stentlife")


class MaskReader:
    """Writes out disguised words as the term words (`spellings`: every word of a term, as typed, lower case) they
    stand for; `vocabulary` (every word of a term, short ones too) splits hashtags ("#babyontheway"), and
    `emoji_words` are the words emoji stand for ("🫀": heart)."""

    def __init__(
        self,
        spellings: Iterable[str],
        vocabulary: Iterable[str],
        emoji_words: Mapping[str, str],
        phrase_spellings: Iterable[str] = (),
    ) -> None:
        """`phrase_spellings`: the words of terms of several words ("heart" of "heart attack"), guessed from less
        ("h*rt attack"): the rest of the phrase must still be there for the guess to name anything."""
        # longest first: "❤️" (with its variation selector) before "❤"
        self._emoji = dict(sorted(emoji_words.items(), key=lambda item: len(item[0]), reverse=True))
        self._any_emoji = re.compile("|".join(map(re.escape, self._emoji))) if self._emoji else None
        self._spellings = frozenset(spellings)
        self._by_length = _by_length(self._spellings)
        self._phrase_words_by_length = _by_length(phrase_spellings)
        self._vocabulary = frozenset(word for word in vocabulary if word.isalpha())
        self._glued = sorted((w for w in self._spellings if len(w) >= MIN_GLUED_WORD), key=len, reverse=True)
        self._longest = max(map(len, self._vocabulary), default=0)

    def read(self, text: str) -> str | None:
        """`text` with its disguised words written out; None when it holds none that stand for a term word."""
        emoji = not text.isascii() and self._any_emoji is not None and self._any_emoji.search(text) is not None
        if not emoji and _ANY.search(text) is None:
            return None  # nearly every message
        written = self._any_emoji.sub(self._emoji_word, text) if emoji and self._any_emoji else text
        written = _MASKED.sub(self._unmasked, written)
        written = _CAMEL.sub(self._camel_split, written)
        written = _HASHTAG.sub(self._hashtag_split, written)
        return written if written != text else None

    def _emoji_word(self, match: re.Match[str]) -> str:
        return f" {self._emoji[match.group()]} "

    def _unmasked(self, match: re.Match[str]) -> str:
        token = match.group()
        if _HIDING.search(token) is None:  # "dia-betic": joined, when that is a term word ("check-in" stays)
            if max(map(len, _JOINING.split(token))) == 1:
                return token  # "h.e.a.r.t": letters spelled out, which safety joins itself, lookalikes and all
            joined = _JOINING.sub("", token).lower()
            return joined if joined in self._spellings else token
        return self._guess(token.lower()) or token

    def _guess(self, token: str) -> str | None:
        """The term word a token with hidden letters can be ("h*art": "heart"), the shortest; None if none, or if
        too little of the word shows to tell ("h*t", "I_m" are no "hart" or "iddm")."""
        shown = len(_HIDING.sub("", _JOINING.sub("", token)))
        runs = len(_HIDING.findall(token))
        if shown >= MIN_SHOWN_LETTERS:
            found = _first_fitting(_shape(token), self._by_length, range(shown, shown + 2 * runs + 1), shown // 2)
            if found is not None:
                return found
        if shown < MIN_SHOWN_IN_A_PHRASE:
            return None
        # "h*rt attack": a word of a several-word term, any run hiding up to two letters
        loose = _shape(token, loose=True)
        return _first_fitting(loose, self._phrase_words_by_length, range(shown, shown + 2 * runs + 1), shown)

    def _camel_split(self, match: re.Match[str]) -> str:
        parts = _CAMEL_PARTS.findall(match.group())
        named = any(part.lower() in self._spellings for part in parts)
        return " ".join(parts) if named else match.group()

    def _hashtag_split(self, match: re.Match[str]) -> str:
        glued = match.group(1).lower()
        words = self._split(glued)
        if words is not None and len(words) > 1:
            return " ".join(words)
        for word in self._glued:  # "#stentlife": the term word, spaced out of the rest
            at = glued.find(word)
            if at >= 0:
                return f"{glued[:at]} {word} {glued[at + len(word) :]}".strip()
        return match.group()

    def _split(self, glued: str) -> list[str] | None:
        """`glued` as words of the vocabulary, fewest first ("babyontheway": baby on the way); None if it isn't."""
        best: list[list[str] | None] = [[]] + [None] * len(glued)
        for end in range(1, len(glued) + 1):
            for start in range(max(0, end - self._longest), end):
                before, now = best[start], best[end]
                fewer = now is None or (before is not None and len(before) + 1 < len(now))
                if before is not None and fewer and glued[start:end] in self._vocabulary:
                    best[end] = [*before, glued[start:end]]
        return best[-1]


def _by_length(words: Iterable[str]) -> dict[int, list[str]]:
    by_length: dict[int, list[str]] = {}
    for word in sorted(set(words)):
        by_length.setdefault(len(word), []).append(word)
    return by_length


def _first_fitting(
    shape: re.Pattern[str], by_length: dict[int, list[str]], lengths: range, most_hidden: int
) -> str | None:
    """The shortest word of `by_length` that `shape` fits, hiding at most `most_hidden` letters."""
    for length in lengths:
        if length - lengths.start > most_hidden:
            return None
        for word in by_length.get(length, ()):
            if shape.fullmatch(word):
                return word
    return None


@lru_cache(maxsize=256)
def _shape(token: str, loose: bool = False) -> re.Pattern[str]:
    """A token's letters in order; one hiding symbol is one letter or a stray mark ("pr*gnant", "preg*nant"), a run
    of them up to two letters or none (Markdown's "ins**ulin**"), any run up to two when `loose`; joiners are
    nothing."""
    plain = _JOINING.sub("", token)
    return re.compile("".join(_hidden(part, loose) for part in re.split(r"([*•·#_]+)", plain)))


def _hidden(part: str, loose: bool) -> str:
    if not part or not _HIDING.fullmatch(part):
        return re.escape(part)
    return "[a-z]?" if len(part) == 1 and not loose else "[a-z]{0,2}"
