"""Match a free-text question to a knowledge entry, or admit there is none.

How it scores: every phrasing, keyword and title of an entry becomes a bag of content words (stemmed, synonyms
folded, filler words dropped). A question becomes the same kind of bag, after its typos are mended against the
knowledge vocabulary with rapidfuzz. The score of a phrasing is the weighted Dice overlap of the two bags, where
a word weighs more the fewer entries use it, and a word the knowledge base has never seen weighs as much as a
rare one: "which toe helps migraines" shares "toe" and "help" with the toothache entry, but "migraine" is
unexplained, so the score stays under the threshold and the bot says it does not know. Long messages are scored
sentence by sentence too, and the best sentence wins. Only bags that share a word with the question are scored,
found through an inverted index, which keeps an answer well under a millisecond.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.core.knowledge import Entry, EntryKind, KnowledgeBase
from bot.core.text import normalise, sentences, stem

ANSWER_THRESHOLD = 50.0  # tuned on tests/dev_set.yaml: below it the bot falls back rather than guess
SUGGESTION_FLOOR = 20.0  # near misses above this are offered as suggestions on a fallback
MIN_TYPO_LENGTH = 4


@dataclass(frozen=True, slots=True)
class Match:
    entry: Entry
    score: float  # 0..100


@dataclass(frozen=True, slots=True)
class Tuning:
    """The matcher's knobs, tuned on tests/dev_set.yaml (see benchmarks/tune_matcher.py)."""

    phrasing_weight: float = 0.6  # how much the best single phrasing counts...
    coverage_weight: float = 0.4  # ...against how much of the question the entry's whole vocabulary explains
    unknown_factor: float = 1.0  # a word the knowledge base never uses weighs this times the median word
    min_evidence: float = 2.5  # shared weight under which a match is scaled down (one common word is no answer)


class Matcher:
    """Built once per knowledge base; `rank` is read-only and safe to call from any task."""

    def __init__(self, kb: KnowledgeBase, tuning: Tuning | None = None) -> None:
        tuning = tuning or Tuning()
        self.entries = kb.entries
        self.stopwords = frozenset(stem(word) for text in kb.stopwords for word in normalise(text).split())
        self.synonyms = {
            stem(normalise(word)): tuple(stem(part) for part in normalise(canonical).split())
            for word, canonical in kb.synonyms.items()
        }
        bags: list[tuple[int, frozenset[str]]] = []  # (entry index, content words), grouped by entry
        for index, entry in enumerate(self.entries):
            seen: set[frozenset[str]] = set()
            for text in (*entry.phrasings, *entry.keywords, entry.title):
                words = frozenset(self._content_words(text))
                if words and words not in seen:
                    seen.add(words)
                    bags.append((index, words))
        entry_words: dict[str, set[int]] = defaultdict(set)
        for index, words in bags:
            for word in words:
                entry_words[word].add(index)
        for index, entry in enumerate(self.entries):
            for word in self._content_words(entry.answer):
                entry_words[word].add(index)
        total = max(len(self.entries), 1)
        self.idf = {word: math.log(1 + total / len(indices)) for word, indices in entry_words.items()}
        median = sorted(self.idf.values())[len(self.idf) // 2] if self.idf else 1.0
        self.unknown_weight = median * tuning.unknown_factor
        self.tuning = tuning
        # Sparse postings as numpy index arrays: scoring a question is a handful of vector operations.
        bag_postings: dict[str, list[int]] = defaultdict(list)
        for bag_index, (_, words) in enumerate(bags):
            for word in words:
                bag_postings[word].append(bag_index)
        self._bag_postings = {word: np.array(items, dtype=np.intp) for word, items in bag_postings.items()}
        self._entry_postings = {word: np.array(sorted(items), dtype=np.intp) for word, items in entry_words.items()}
        self._bag_weight = np.array([sum(self.idf[w] for w in words) for _, words in bags], dtype=np.float64)
        self._bag_entry = np.array([index for index, _ in bags], dtype=np.intp)
        self._has_bags = np.isin(np.arange(len(self.entries)), self._bag_entry)
        self._group_starts = np.searchsorted(self._bag_entry, np.nonzero(self._has_bags)[0])
        self._smalltalk = np.array([entry.kind is EntryKind.SMALLTALK for entry in self.entries], dtype=bool)
        by_initial: dict[str, list[str]] = defaultdict(list)
        for word in (*self.idf, *self.stopwords):
            by_initial[word[0]].append(word)
        self._vocabulary_by_initial = {initial: tuple(words) for initial, words in by_initial.items()}
        self._mend = lru_cache(maxsize=8192)(self._mend_uncached)

    # --- turning text into content words ---------------------------------------------------------------

    def _canonical(self, word: str) -> tuple[str, ...]:
        stemmed = stem(word)
        return self.synonyms.get(stemmed, (stemmed,))

    def _keep(self, word: str) -> bool:
        return word not in self.stopwords and not word.isdigit()

    def _content_words(self, text: str) -> list[str]:
        return [part for word in normalise(text).split() for part in self._canonical(word) if self._keep(part)]

    def _mend_uncached(self, word: str) -> tuple[str, ...]:
        """Known words for `word`: itself, its synonym, or the closest vocabulary word within a typo or two."""
        canonical = self._canonical(word)
        stemmed = canonical[0]
        if len(canonical) > 1 or stemmed in self.idf or stemmed in self.stopwords:
            return canonical
        if len(word) < MIN_TYPO_LENGTH or word.isdigit():
            return canonical
        limit = 1 if len(word) < 8 else 2
        candidates = self._vocabulary_by_initial.get(stemmed[0], ())
        best = process.extractOne(stemmed, candidates, scorer=Levenshtein.distance, score_cutoff=limit)
        if best is None:
            return canonical
        return self.synonyms.get(best[0], (best[0],))

    def question_words(self, text: str) -> list[str]:
        """The content words of a question, typos mended, filler dropped."""
        return [part for word in normalise(text).split() for part in self._mend(word) if self._keep(part)]

    # --- scoring ---------------------------------------------------------------------------------------

    def rank(self, text: str, hints: tuple[str, ...] = ()) -> list[Match]:
        """Entries by score, best first (only entries sharing at least one word with the question).

        `hints` are extra words for the whole message: a detected condition ("afib" -> "heart condition") lets
        "is it ok for him?" find the caution entry even when the message never names the condition plainly.
        """
        hint_words = [word for hint in hints for word in self.question_words(hint)]
        best = self._score_words(self.question_words(text) + hint_words)
        chunks = sentences(text)
        if len(chunks) > 1:
            # A long message hides its question in one sentence; small talk ("thanks!") only counts whole.
            for chunk in chunks:
                scores = self._score_words(self.question_words(chunk))
                scores[self._smalltalk] = 0.0
                np.maximum(best, scores, out=best)
        hits = np.flatnonzero(best)
        order = hits[np.argsort(-best[hits], kind="stable")]
        return [Match(self.entries[index], float(best[index])) for index in order]

    def best(self, text: str) -> Match | None:
        ranked = self.rank(text)
        return ranked[0] if ranked else None

    def _score_words(self, words: list[str]) -> np.ndarray:
        """A score per entry (0 where the entry shares no word with `words`)."""
        unique = set(words)
        known = [word for word in unique if word in self.idf]
        if not known:
            return np.zeros(len(self.entries))
        tuning = self.tuning
        question_weight = sum(self.idf.get(word, self.unknown_weight) for word in unique)
        shared = np.zeros(len(self._bag_weight))
        covered = np.zeros(len(self.entries))
        for word in known:
            weight = self.idf[word]
            postings = self._bag_postings.get(word)
            if postings is not None:
                shared[postings] += weight
            covered[self._entry_postings[word]] += weight
        dice = 2.0 * shared / (question_weight + self._bag_weight)
        best_dice = np.zeros(len(self.entries))
        best_shared = np.zeros(len(self.entries))
        best_dice[self._has_bags] = np.maximum.reduceat(dice, self._group_starts)
        best_shared[self._has_bags] = np.maximum.reduceat(shared, self._group_starts)
        score = tuning.phrasing_weight * best_dice + tuning.coverage_weight * covered / question_weight
        evidence = np.minimum(1.0, np.maximum(best_shared, covered * 0.5) / tuning.min_evidence)
        return 100.0 * score * evidence
