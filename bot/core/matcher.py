"""Match a free-text question to a knowledge entry, or admit there is none.

How it scores: every phrasing, keyword and title of an entry becomes a bag of content words (stemmed, synonyms
folded, filler words dropped). A question becomes the same kind of bag, after its typos are mended against the
knowledge vocabulary with rapidfuzz. An entry's score blends the weighted Dice overlap with its best bag and how
much of the question the entry's whole vocabulary explains; a word weighs more the fewer entries use it, and a
word the knowledge base has never seen counts against the match: "which toe helps migraines" shares "toe" and
"help" with the toothache entry, but "migraine" is unexplained, so the score stays under the threshold and the
bot says it does not know. Long messages are also scored sentence by sentence (and in windows when a sentence
runs on), and the best piece wins. Each word is one precomputed row of weights, so scoring is a few numpy sums
over all pieces of a message at once.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.core.knowledge import Entry, EntryKind, KnowledgeBase
from bot.core.text import MAX_CACHED_WORD, normalise, sentences, stem

ANSWER_THRESHOLD = 42.0  # tuned on tests/dev_set.yaml (benchmarks/tune_matcher.py): below it, no guessing
SMALLTALK_IN_LONG = ANSWER_THRESHOLD + 1.0  # "hi!" or "thanks" inside a long message: only when nothing else fits
SUGGESTION_FLOOR = 20.0  # near misses above this are offered as suggestions on a fallback
MIN_TYPO_LENGTH = 4
ANSWER_WORD_FACTOR = 0.5  # a word only an entry's answer uses says less about what people ask for it
MAX_PARTS = 40  # sentences or windows scored in one message: bounds the time a 4,096-character message takes


@dataclass(frozen=True, slots=True)
class Match:
    entry: Entry
    score: float  # 0..100


@dataclass(frozen=True, slots=True)
class Tuning:
    """The matcher's knobs, tuned on tests/dev_set.yaml (see benchmarks/tune_matcher.py)."""

    phrasing_weight: float = 0.5  # how much the best single phrasing counts...
    coverage_weight: float = 0.5  # ...against how much of the question the entry's whole vocabulary explains
    unknown_factor: float = 1.0  # a word the knowledge base never uses weighs this times the median word
    min_evidence: float = 3.0  # shared weight under which a match is scaled down (one common word is no answer)
    hint_factor: float = 0.9  # a match that needs the detected condition's words counts a little less
    whole_message_factor: float = 0.9  # in a long message, the whole counts less than its question sentence
    statement_factor: float = 0.85  # ...and a sentence that is not a question counts less still
    window: int = 6  # content words per window when a sentence is long
    short_piece: int = 3  # a sentence of fewer content words than this ("Toes first?") leans on its context...
    short_piece_factor: float = 0.9  # ...so alone it counts this much
    smalltalk_coverage: float = 0.6  # small talk explains this much of a message ("nice... my lungs?" is no thanks)


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
            # An out-of-scope title names a family of questions ("Details the guide leaves out"): not a phrasing.
            title = () if entry.kind is EntryKind.OUT_OF_SCOPE else (entry.title,)
            for text in (*entry.phrasings, *entry.keywords, *title):
                words = frozenset(self._content_words(text))
                if words and words not in seen:
                    seen.add(words)
                    bags.append((index, words))
        entry_words: dict[str, set[int]] = defaultdict(set)
        for index, words in bags:
            for word in words:
                entry_words[word].add(index)
        answer_only: set[tuple[str, int]] = set()  # words an entry's answer uses but none of its phrasings
        for index, entry in enumerate(self.entries):
            for word in self._content_words(entry.answer):
                if index not in entry_words[word]:
                    answer_only.add((word, index))
                entry_words[word].add(index)
        total = max(len(self.entries), 1)
        self.idf = {word: math.log(1 + total / len(indices)) for word, indices in entry_words.items()}
        median = sorted(self.idf.values())[len(self.idf) // 2] if self.idf else 1.0
        self.unknown_weight = median * tuning.unknown_factor
        self.tuning = tuning
        # One row per word: its weight in each bag and in each entry's vocabulary. Scoring a question adds a
        # few rows (one per word it shares with the knowledge), so its cost barely depends on the knowledge size.
        # Row layout: one weight per bag, then one per entry, so a single sum serves both. A word sits in few
        # bags: its row is kept as its non-zero cells only (dense rows took 12 MB, these take 1).
        self._bag_count = len(bags)
        self._width = len(bags) + len(self.entries)
        self._zero_row = np.zeros(self._width, dtype=np.float32)
        cells: dict[str, dict[int, float]] = defaultdict(dict)
        for bag_index, (_, words) in enumerate(bags):
            for word in words:
                cells[word][bag_index] = self.idf[word]
        for word, indices in entry_words.items():
            for index in indices:
                factor = ANSWER_WORD_FACTOR if (word, index) in answer_only else 1.0
                cells[word][len(bags) + index] = self.idf[word] * factor
        self._cells = {
            word: (np.fromiter(row, dtype=np.intp), np.fromiter(row.values(), dtype=np.float32))
            for word, row in cells.items()
        }
        self._bag_weight = np.array([sum(self.idf[w] for w in words) for _, words in bags], dtype=np.float32)
        bag_entry = np.array([index for index, _ in bags], dtype=np.intp)
        if not np.array_equal(np.unique(bag_entry), np.arange(len(self.entries))):
            empty = [e.id for i, e in enumerate(self.entries) if i not in set(bag_entry.tolist())]
            raise ValueError(f"entries with no content words in any phrasing: {', '.join(empty)}")
        self._group_starts = np.searchsorted(bag_entry, np.arange(len(self.entries)))
        self._smalltalk = np.array([entry.kind is EntryKind.SMALLTALK for entry in self.entries], dtype=bool)
        self._smalltalk_indices = frozenset(np.flatnonzero(self._smalltalk).tolist())
        self._smalltalk_columns = np.flatnonzero(self._smalltalk)
        self._typo_targets = _by_initial((*self.idf, *self.synonyms))
        self._filler_targets = _by_initial(self.stopwords)
        self._exact = {normalise(p): index for index, e in enumerate(self.entries) for p in e.phrasings}
        self._mend_kept = lru_cache(maxsize=8192)(self._mend_uncached)

    # --- turning text into content words ---------------------------------------------------------------

    def _canonical(self, word: str) -> tuple[str, ...]:
        stemmed = stem(word)
        return self.synonyms.get(stemmed, (stemmed,))

    def _keep(self, word: str) -> bool:
        return word not in self.stopwords

    def _content_words(self, text: str) -> list[str]:
        return [part for word in normalise(text).split() for part in self._canonical(word) if self._keep(part)]

    def _mend(self, word: str) -> tuple[str, ...]:
        """`_mend_uncached`, kept for words up to `MAX_CACHED_WORD` letters: a long one is pasted junk, not kept."""
        return self._mend_kept(word) if len(word) <= MAX_CACHED_WORD else self._mend_uncached(word)

    def _mend_uncached(self, word: str) -> tuple[str, ...]:
        """Known words for `word`: itself, its synonym, or the closest known word within a typo or two.

        Optimal string alignment counts a swap of two letters ("hlep", "massgae") as one typo. Content words
        are tried before filler, so "oder" becomes "order" rather than "over".
        """
        canonical = self._canonical(word)
        stemmed = canonical[0]
        if len(canonical) > 1 or stemmed in self.idf or stemmed in self.stopwords:
            return canonical
        if len(word) < MIN_TYPO_LENGTH or word.isdigit():
            return canonical
        for vocabulary in (self._typo_targets, self._filler_targets):
            candidates = vocabulary.get(stemmed[0], ())
            # The stem first, then the word as typed: "stres" stems to "stre", one letter short of "stress".
            for typed in dict.fromkeys((stemmed, word)):
                best = process.extractOne(typed, candidates, scorer=OSA.distance, score_cutoff=_typo_limit(typed))
                if best is not None and _plausible_typo(typed, best[0]):
                    return self._canonical_stem(best[0])
        return canonical

    def _canonical_stem(self, stemmed: str) -> tuple[str, ...]:
        return self.synonyms.get(stemmed, (stemmed,))

    def question_words(self, text: str) -> list[str]:
        """The content words of a question, typos mended, filler and unknown numbers dropped."""
        words = (part for word in normalise(text).split() for part in self._mend(word))
        return [word for word in words if word not in self.stopwords and (not word.isdigit() or word in self.idf)]

    # --- scoring ---------------------------------------------------------------------------------------

    def rank(self, text: str, hints: tuple[str, ...] = (), limit: int = 4) -> list[Match]:
        """The `limit` best entries, best first (only entries sharing at least one word with the question).

        `hints` are extra words for the whole message: a detected condition ("afib" -> "heart condition") lets
        "is it ok for him?" find the caution entry even when the message never names the condition plainly.
        """
        exact = self._exact.get(normalise(text))
        if exact is not None:
            return [Match(self.entries[exact], 100.0)]
        tuning = self.tuning
        words = self.question_words(text)
        # Every piece worth scoring, with the factor its score counts at, scored together in one batch.
        pieces: list[list[str]] = [words]
        factors: list[float] = [1.0]
        if hints:
            pieces.append(words + [word for hint in hints for word in self.question_words(hint)])
            factors.append(tuning.hint_factor)
        chunks = sentences(text)
        greeted: list[int] = []  # small talk entries said in a sentence of their own ("Good evening!")
        long = len(chunks) > 1 or len(words) > tuning.window * 3 // 2
        parts = self._parts(chunks, greeted)[:MAX_PARTS] if long else []
        if parts:
            factors = [factor * tuning.whole_message_factor for factor in factors]
            pieces += [part_words for _, part_words in parts]
            factors += [
                (1.0 if asked else tuning.statement_factor)
                * (tuning.short_piece_factor if len(part_words) < tuning.short_piece else 1.0)
                for asked, part_words in parts
            ]
        scores = self._score_many(pieces)
        if len(pieces) == 1:
            return self._top(scores[0], limit)
        scores *= np.array(factors, dtype=np.float32)[:, None]
        if parts:  # "thanks!" in a long message is rarely what it is about: it wins only when nothing else does
            part_rows = scores[-len(parts) :]
            part_rows[:, self._smalltalk] = np.minimum(part_rows[:, self._smalltalk], SMALLTALK_IN_LONG)
        best = scores.max(axis=0)
        for index in greeted:
            best[index] = max(best[index], SMALLTALK_IN_LONG)
        return self._top(best, limit)

    def _parts(self, chunks: list[str], greeted: list[int]) -> list[tuple[bool, list[str]]]:
        """The pieces of a long message worth scoring on their own, each marked if it is a question.

        A sentence (greetings aside), windows of a run-on sentence, and a question together with the sentence
        before it, since "can a foot rub help with that?" means the swollen ankles just mentioned.
        """
        parts: list[tuple[bool, list[str]]] = []
        previous: list[str] = []
        for chunk in chunks:
            exact = self._exact.get(normalise(chunk))
            if exact in self._smalltalk_indices:
                greeted.append(exact)
                continue  # "Good evening!" opens a message; it is not the question
            asked = looks_like_question(chunk)
            chunk_words = self.question_words(chunk)
            parts += [(asked, window) for window in self._windows(chunk_words)]
            if asked and previous:
                parts.append((True, previous + chunk_words))
            previous = chunk_words
        return parts

    def _top(self, best: np.ndarray, limit: int) -> list[Match]:
        order = np.argsort(best)[: -limit - 1 : -1].tolist()
        return [Match(self.entries[index], float(best[index])) for index in order if best[index] > 0.0]

    def _windows(self, words: list[str]) -> list[list[str]]:
        """A long run of words as overlapping windows, so a question in a run-on message is seen on its own."""
        size, step = self.tuning.window, self.tuning.window // 2
        if len(words) <= size + step:
            return [words] if words else []
        return [words[start : start + size] for start in range(0, len(words) - step, step)]

    def _sum_rows(self, rows: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        """The dense sum of some words' sparse rows."""
        positions = np.concatenate([position for position, _ in rows])
        weights = np.concatenate([weight for _, weight in rows])
        return np.bincount(positions, weights, minlength=self._width).astype(np.float32)

    def _score_many(self, pieces: list[list[str]]) -> np.ndarray:
        """Scores per piece and entry: one row per piece of a message, computed in one go."""
        cells, idf, unknown = self._cells, self.idf, self.unknown_weight
        sums, weights = [], []
        for words in pieces:
            unique = set(words)
            known = [cells[word] for word in unique if word in idf]
            sums.append(self._sum_rows(known) if known else self._zero_row)
            weights.append(sum(idf.get(word, unknown) for word in unique) or 1.0)
        totals = sums[0][None, :] if len(sums) == 1 else np.vstack(sums)
        tuning = self.tuning
        shared, covered = totals[:, : self._bag_count], totals[:, self._bag_count :]
        weights = np.array(weights, dtype=np.float32)[:, None]
        dice = np.maximum.reduceat(shared / (self._bag_weight + weights), self._group_starts, axis=1)
        evidence = np.maximum(np.maximum.reduceat(shared, self._group_starts, axis=1), covered * 0.5)
        evidence = np.minimum(evidence / tuning.min_evidence, 1.0)
        score = (2.0 * tuning.phrasing_weight) * dice + (tuning.coverage_weight / weights) * covered
        smalltalk = self._smalltalk_columns
        share = covered[:, smalltalk] / (weights * tuning.smalltalk_coverage)
        evidence[:, smalltalk] *= np.minimum(share, 1.0)
        return 100.0 * score * evidence


_QUESTION_STARTS = frozenset(
    "what which where when why how who whose whom is are can could should would will do does did any anything".split()  # noqa: SIM905
)


def looks_like_question(chunk: str) -> bool:
    words = normalise(chunk).split()
    return chunk.rstrip().endswith("?") or bool(words and words[0] in _QUESTION_STARTS)


def _typo_limit(word: str) -> int:
    return 1 if len(word) < 8 else 2


def _plausible_typo(typed: str, known: str) -> bool:
    """Short words are mended only for a swapped or dropped letter ("hlep", "fot", "wich"), not a changed one,
    which too often makes another real word ("wash" is not "was", "leave" is not "lead")."""
    if len(typed) > 4:
        return True
    return sorted(typed) == sorted(known) or (len(known) == len(typed) + 1 and OSA.distance(typed, known) == 1)


def _by_initial(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Words grouped by first letter: a typo rarely hits the first letter, and the search gets smaller."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for word in words:
        grouped[word[0]].append(word)
    return {initial: tuple(sorted(group)) for initial, group in grouped.items()}
