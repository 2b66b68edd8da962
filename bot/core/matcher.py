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

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.core.knowledge import Entry, KnowledgeBase
from bot.core.text import normalise, sentences, stem

ANSWER_THRESHOLD = 50.0  # tuned on tests/dev_set.yaml: below it the bot falls back rather than guess
SUGGESTION_FLOOR = 20.0  # near misses above this are offered as suggestions on a fallback
MIN_TYPO_LENGTH = 4


@dataclass(frozen=True, slots=True)
class Match:
    entry: Entry
    score: float  # 0..100


@dataclass(frozen=True, slots=True)
class _Bag:
    entry_index: int
    weight: float


class Matcher:
    """Built once per knowledge base; `rank` is read-only and safe to call from any task."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.entries = kb.entries
        self.stopwords = frozenset(stem(word) for text in kb.stopwords for word in normalise(text).split())
        self.synonyms = {stem(normalise(word)): stem(normalise(canonical)) for word, canonical in kb.synonyms.items()}
        bags: list[tuple[int, frozenset[str]]] = []
        for index, entry in enumerate(self.entries):
            seen: set[frozenset[str]] = set()
            for text in (*entry.phrasings, *entry.keywords, entry.title):
                words = frozenset(self._content_words(text))
                if words and words not in seen:
                    seen.add(words)
                    bags.append((index, words))
        entry_count: dict[str, set[int]] = defaultdict(set)
        for index, words in bags:
            for word in words:
                entry_count[word].add(index)
        total = max(len(self.entries), 1)
        self.idf = {word: math.log(1 + total / len(indices)) for word, indices in entry_count.items()}
        self.unknown_weight = sorted(self.idf.values())[len(self.idf) // 2] if self.idf else 1.0
        self._bags = [_Bag(index, sum(self.idf[w] for w in words)) for index, words in bags]
        postings: dict[str, list[int]] = defaultdict(list)
        for bag_index, (_, words) in enumerate(bags):
            for word in words:
                postings[word].append(bag_index)
        self._postings = {word: tuple(items) for word, items in postings.items()}
        by_initial: dict[str, list[str]] = defaultdict(list)
        for word in (*self.idf, *self.stopwords):
            by_initial[word[0]].append(word)
        self._vocabulary_by_initial = {initial: tuple(words) for initial, words in by_initial.items()}
        self._mend = lru_cache(maxsize=8192)(self._mend_uncached)

    # --- turning text into content words ---------------------------------------------------------------

    def _content_words(self, text: str) -> list[str]:
        result = []
        for word in normalise(text).split():
            stemmed = self.synonyms.get(stem(word), stem(word))
            if stemmed not in self.stopwords and not stemmed.isdigit():
                result.append(stemmed)
        return result

    def _mend_uncached(self, word: str) -> str:
        """A known word for `word`: itself, its synonym, or the closest vocabulary word within a typo or two."""
        stemmed = self.synonyms.get(stem(word), stem(word))
        if stemmed in self.idf or stemmed in self.stopwords or len(word) < MIN_TYPO_LENGTH or word.isdigit():
            return stemmed
        limit = 1 if len(word) < 8 else 2
        candidates = self._vocabulary_by_initial.get(stemmed[0], ())
        best = process.extractOne(stemmed, candidates, scorer=Levenshtein.distance, score_cutoff=limit)
        if best is None:
            return stemmed
        return self.synonyms.get(best[0], best[0])

    def question_words(self, text: str) -> list[str]:
        """The content words of a question, typos mended, filler dropped."""
        mended = (self._mend(word) for word in normalise(text).split())
        return [word for word in mended if word not in self.stopwords and not word.isdigit()]

    # --- scoring ---------------------------------------------------------------------------------------

    def rank(self, text: str) -> list[Match]:
        """Entries by score, best first (only entries sharing at least one word with the question)."""
        chunks = sentences(text)
        best: dict[int, float] = {}
        for chunk in [text, *chunks] if len(chunks) > 1 else [text]:
            for index, score in self._score_words(self.question_words(chunk)).items():
                if score > best.get(index, 0.0):
                    best[index] = score
        ranked = sorted(best.items(), key=lambda item: -item[1])
        return [Match(self.entries[index], score) for index, score in ranked]

    def best(self, text: str) -> Match | None:
        ranked = self.rank(text)
        return ranked[0] if ranked else None

    def _score_words(self, words: list[str]) -> dict[int, float]:
        unique = set(words)
        if not unique:
            return {}
        idf, unknown = self.idf, self.unknown_weight
        question_weight = sum(idf.get(word, unknown) for word in unique)
        shared: dict[int, float] = defaultdict(float)
        for word in unique:
            weight = idf.get(word)
            if weight is None:
                continue
            for bag_index in self._postings[word]:
                shared[bag_index] += weight
        scores: dict[int, float] = {}
        bags = self._bags
        for bag_index, overlap in shared.items():
            bag = bags[bag_index]
            score = 200.0 * overlap / (question_weight + bag.weight)
            if score > scores.get(bag.entry_index, 0.0):
                scores[bag.entry_index] = score
        return scores
