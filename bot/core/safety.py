"""Find pregnancy, diabetes and heart conditions, and emergencies, in any message.

The rules (terms, misspellings, patterns, lookalikes) are data in knowledge/safety.yaml. When in doubt this
module says yes: a needless caveat costs a line of text, a missing one could cost far more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from bot.core.knowledge import Condition, ConditionRule, RedFlags
from bot.core.text import normalise, stem

FUZZY_MIN_LENGTH = 6  # shorter words only match exactly (or via a listed misspelling): "heard" is not "heart"


def _phrase_key(phrase: str) -> tuple[str, ...]:
    return tuple(stem(word) for word in normalise(phrase).split())


def _allowed_edits(word: str) -> int:
    return 1 if len(word) < 8 else 2


@dataclass(frozen=True)
class _CompiledRule:
    condition: Condition
    words: frozenset[str]  # single stemmed words, matched exactly
    fuzzy_words: tuple[str, ...]  # long words, matched with a small edit distance too
    phrases: tuple[tuple[str, ...], ...]  # multi-word terms as stemmed word sequences
    patterns: tuple[re.Pattern[str], ...]
    not_when: tuple[tuple[str, ...], ...]


class SafetyDetector:
    """Compiled once from the knowledge base; `detect` and `is_red_flag` are pure and fast."""

    def __init__(self, rules: tuple[ConditionRule, ...], red_flags: RedFlags) -> None:
        self._rules = tuple(self._compile(rule) for rule in rules)
        self._red_phrases = tuple(_phrase_key(term) for term in red_flags.terms)
        self._red_patterns = tuple(re.compile(pattern) for pattern in red_flags.patterns)

    @staticmethod
    def _compile(rule: ConditionRule) -> _CompiledRule:
        single: set[str] = set()
        phrases: list[tuple[str, ...]] = []
        for term in (*rule.terms, *rule.misspellings):
            key = _phrase_key(term)
            if len(key) == 1:
                single.add(key[0])
            elif key:
                phrases.append(key)
        plain_terms = (normalise(term) for term in rule.terms)
        fuzzy = tuple(sorted({t for t in plain_terms if " " not in t and len(t) >= FUZZY_MIN_LENGTH}))
        return _CompiledRule(
            condition=rule.condition,
            words=frozenset(single),
            fuzzy_words=fuzzy,
            phrases=tuple(phrases),
            patterns=tuple(re.compile(pattern) for pattern in rule.patterns),
            not_when=tuple(key for key in (_phrase_key(p) for p in rule.not_when) if key),
        )

    def detect(self, text: str) -> tuple[Condition, ...]:
        """The conditions mentioned in `text`, in a stable order (pregnancy, diabetes, heart)."""
        normalised = normalise(text)
        if not normalised:
            return ()
        raw = normalised.split()
        stems = [stem(word) for word in raw]
        found = []
        for rule in self._rules:
            if self._matches(rule, normalised, raw, stems):
                found.append(rule.condition)
        order = list(Condition)
        return tuple(sorted(found, key=order.index))

    def is_red_flag(self, text: str) -> bool:
        normalised = normalise(text)
        stems = [stem(word) for word in normalised.split()]
        if any(_contains(stems, phrase) for phrase in self._red_phrases):
            return True
        return any(pattern.search(normalised) for pattern in self._red_patterns)

    def _matches(self, rule: _CompiledRule, normalised: str, raw: list[str], stems: list[str]) -> bool:
        if any(pattern.search(normalised) for pattern in rule.patterns):
            return True
        visible = _blank_out(stems, rule.not_when)
        if any(_contains(visible, phrase) for phrase in rule.phrases):
            return True
        for word, stemmed in zip(raw, visible, strict=True):
            if not stemmed:
                continue  # part of a lookalike phrase
            if stemmed in rule.words:
                return True
            if len(word) >= FUZZY_MIN_LENGTH and rule.fuzzy_words and _near_any(word, rule.fuzzy_words):
                return True
        return False


def _near_any(word: str, targets: tuple[str, ...]) -> bool:
    """A typo of one of `targets`: same first letter (people rarely miss it), one or two edits away."""
    limit = _allowed_edits(word)
    return any(
        word[0] == target[0]
        and abs(len(word) - len(target)) <= limit
        and Levenshtein.distance(word, target, score_cutoff=limit) <= limit
        for target in targets
    )


def _contains(words: list[str], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    first = phrase[0]
    return any(words[i] == first and tuple(words[i : i + size]) == phrase for i in range(len(words) - size + 1))


def _blank_out(words: list[str], phrases: tuple[tuple[str, ...], ...]) -> list[str]:
    """Hide lookalike phrases ("heart point", "baby toe") so their words cannot trigger a condition."""
    if not phrases:
        return words
    visible = list(words)
    for phrase in phrases:
        size = len(phrase)
        for i in range(len(visible) - size + 1):
            if tuple(visible[i : i + size]) == phrase:
                visible[i : i + size] = [""] * size
    return visible
