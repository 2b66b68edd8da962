"""What of an unanswered message may be kept for the curator: only words the knowledge itself uses.

The miss counter helps a curator see which questions the guide lacks. It must not become a record of
people: names, phone numbers, addresses, birth dates, diagnoses, medicines. Spotting each of those by
pattern is a losing game (a name or a drug can be any word), so this is an allow-list:

- a message that names one of the three conditions or a red flag is not kept at all (the engine
  attached a caveat or an emergency reply to it: it is about someone's health by definition);
- e-mail addresses, web addresses and @handles are cut out before the text is read, so their parts
  ("foot" in foot-clinic.com) cannot slip through as ordinary words;
- every word containing a digit is masked (phone numbers, dates, ages, doses);
- every other word is kept only if the knowledge uses it in an entry the guide answers (phrasings,
  titles, keywords, answers), or as a stopword, synonym or safety-question word. Words found only in
  the safety rules, the conditions' caution entries (insulin, warfarin, pacemaker...) or the
  out-of-scope entries (cancer, epilepsy, anxiety: what the guide does not cover) are masked too.
  Anything else (names, places, HIV, bipolar, lithium) becomes `MASK`.

Runs of masked words collapse into one `MASK`, so a name's length is not kept either. A message with
no word the knowledge uses beyond stopwords is not kept: it would tell the curator nothing.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING

from bot.core.knowledge import EntryKind, KnowledgeBase
from bot.core.replies import Reply, ReplyKind
from bot.core.safety import SafetyDetector
from bot.core.text import normalise

if TYPE_CHECKING:
    from bot.core.engine import Engine

MASK = "…"
MAX_KEPT_LENGTH = 200

# Cut before normalising, which would split them into innocent-looking words.
_EMAIL = re.compile(r"[^\s@]*@[^\s@]+\.[^\s@]+|\S+@\S+")
_URL = re.compile(
    r"(?:[a-z][a-z0-9+.-]*://|www\.)\S*"  # scheme:// or www.
    r"|\b[^\s@/]+\.(?:[a-z]{2,24})(?:[/:?#]\S*)?(?=\s|$|[,;!?)])",  # bare domain.tld[/path]
    re.IGNORECASE,
)
_HANDLE = re.compile(r"@\S*")
_SENTINEL = "zzmaskedzz"  # a word no knowledge uses; stands for a cut-out address until masking


class MissRedactor:
    """The allow-list built once from the knowledge, and the masking of one message with it."""

    def __init__(self, kb: KnowledgeBase, safety: SafetyDetector) -> None:
        self.safety = safety
        self.allowed = allowed_words(kb)
        self.stopwords = frozenset(_words(kb.stopwords))

    def redact(self, text: str) -> str | None:
        """The form of `text` that may be stored as a miss, or None when nothing of it should be."""
        normalised = normalise(text)
        if not normalised:
            return None
        conditions, red_flag = self.safety.scan_words(normalised, normalised.split())
        if conditions or red_flag:
            return None
        return mask_words(cut_addresses(text), self.allowed, self.stopwords)


def allowed_words(kb: KnowledgeBase) -> frozenset[str]:
    """Words a kept miss may contain: the knowledge's ordinary vocabulary, without its health-only words."""
    careful = {rule.entry for rule in kb.conditions if rule.entry}
    if kb.safety_questions.several:
        careful.add(kb.safety_questions.several)
    # Out-of-scope entries list what the guide does NOT cover (cancer, epilepsy, anxiety...): their words are
    # exactly the diagnoses people would tell us about, so only words the guide's own answers use are kept.
    ordinary = set(
        _words(
            text
            for entry in kb.entries
            if entry.id not in careful and entry.kind is not EntryKind.OUT_OF_SCOPE
            for text in (*entry.phrasings, entry.title, *entry.keywords, entry.answer)
        )
    )
    stopwords = set(_words(kb.stopwords))
    safety_words = set(_words(term for rule in kb.conditions for term in (*rule.terms, *rule.misspellings)))
    safety_words |= set(_words(kb.red_flags.terms))
    extra = set(_words([*kb.synonyms, *kb.synonyms.values(), *kb.safety_questions.words])) - safety_words
    allowed = ordinary | stopwords | extra
    return frozenset(word for word in allowed if not _has_digit(word))


def cut_addresses(text: str) -> str:
    """`text` with e-mail and web addresses and @handles replaced by a placeholder word."""
    for pattern in (_EMAIL, _URL, _HANDLE):
        text = pattern.sub(f" {_SENTINEL} ", text)
    return text


def mask_words(text: str, allowed: frozenset[str], stopwords: frozenset[str] = frozenset()) -> str | None:
    """Normalise `text`, keep allowed words, mask the rest (one MASK per run); None if nothing useful is left."""
    kept: list[str] = []
    useful = False
    for word in normalise(text).split():
        if word in allowed and not _has_digit(word):
            kept.append(word)
            useful = useful or word not in stopwords
        elif not kept or kept[-1] != MASK:
            kept.append(MASK)
    if not useful:
        return None
    result = " ".join(kept)
    if len(result) > MAX_KEPT_LENGTH:
        result = result[:MAX_KEPT_LENGTH].rsplit(" ", 1)[0]
    return result


_REDACTORS: weakref.WeakKeyDictionary[Engine, MissRedactor] = weakref.WeakKeyDictionary()


def miss_text(engine: Engine, text: str, reply: Reply | None = None) -> str | None:
    """What to record when `engine` had no answer for `text`: the redacted form, or None to record nothing.
    With the `reply` the person got: nothing either when it carries a caveat or is the emergency reply (the engine
    read a condition there, though the safety rules alone may not: "risks to my baby toe" reads as the caution)."""
    if reply is not None and (reply.caveats or reply.kind is ReplyKind.RED_FLAG):
        return None
    redactor = _REDACTORS.get(engine)
    if redactor is None:
        redactor = _REDACTORS[engine] = MissRedactor(engine.kb, engine.safety)
    return redactor.redact(text)


def _words(texts: Iterable[str]) -> Iterable[str]:
    for text in texts:
        yield from normalise(text).split()


def _has_digit(word: str) -> bool:
    return any(character.isdigit() for character in word)
