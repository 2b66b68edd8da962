"""Pick the knowledge entry a message asks about with a linear model learnt from the knowledge's phrasings and
our labelled example messages (`footbot kb train` writes it to knowledge/trained/classifier.npz).

Why a learnt model next to the word-overlap matcher: on messages nobody tuned on, weights learnt from
hundreds of real-style examples tell "which toe is for teeth" from "which toe is for the brain" far more
often than overlap rules do. The model file is derived data: the YAML stays the truth, and when the model
was learnt from other phrasings than the YAML now holds, the engine falls back to the matcher (and
`footbot kb check` says so) until `footbot kb train` is run again.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from dataclasses import dataclass
from functools import partial
from itertools import pairwise
from operator import is_not
from pathlib import Path
from typing import NamedTuple

import numpy as np

from bot.core.features import (
    NO_TOPIC,
    PAIR_PREFIX,
    SEQUENCE_PREFIX,
    START,
    WORD_PREFIX,
    letter_sequences,
    message_words,
    without_long_runs,
)
from bot.core.matcher import ANSWER_THRESHOLD
from bot.core.text import MAX_CACHED_WORD

logger = logging.getLogger(__name__)

MODEL_FILE = Path("trained") / "classifier.npz"  # inside the knowledge folder
_is_row = partial(is_not, None)


class Guess(NamedTuple):  # a tuple: made for every message, and quicker to make than a frozen dataclass
    label: str  # an entry id, or NO_TOPIC when the model says the guide has no answer
    score: float  # 0..100; ANSWER_THRESHOLD and above is confident enough to answer


@dataclass(frozen=True, slots=True)
class Model:
    """The learnt numbers, as `footbot kb train` saves them."""

    labels: tuple[str, ...]
    features: tuple[str, ...]
    idf: np.ndarray  # one weight per feature
    weights: np.ndarray  # features x labels
    bias: np.ndarray  # one per label
    threshold: float  # the margin from which the model's best label is answered
    knowledge_fingerprint: str
    examples_fingerprint: str
    # Every training word's row (see Classifier), worked out when training so that answering starts warm.
    words: tuple[str, ...] = ()
    word_rows: np.ndarray | None = None

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as file:
            np.savez_compressed(
                file,
                labels=np.array(self.labels),
                # One UTF-8 text, a feature a line: a fixed-width string array would take four bytes a letter.
                features=np.frombuffer("\n".join(self.features).encode("utf-8"), dtype=np.uint8),
                idf=self.idf.astype(np.float32),
                weights=self.weights.astype(np.float16),  # plenty of precision for an argmax; half the file
                bias=self.bias.astype(np.float32),
                threshold=np.float32(self.threshold),
                knowledge_fingerprint=np.array(self.knowledge_fingerprint),
                examples_fingerprint=np.array(self.examples_fingerprint),
                words=np.frombuffer("\n".join(self.words).encode("utf-8"), dtype=np.uint8),
                word_rows=(self.word_rows if self.word_rows is not None else np.zeros((0, 0))).astype(np.float32),
            )

    @classmethod
    def load(cls, path: Path) -> Model | None:
        """The saved model, or None (with a warning) when there is none or it cannot be read."""
        try:
            with np.load(path, allow_pickle=False) as data:
                return cls(
                    labels=tuple(str(label) for label in data["labels"]),
                    features=_lines(data["features"]),
                    idf=data["idf"].astype(np.float32),
                    weights=data["weights"],  # float16: the classifier widens it into its own matrix
                    bias=data["bias"].astype(np.float32),
                    threshold=float(data["threshold"]),
                    knowledge_fingerprint=str(data["knowledge_fingerprint"]),
                    examples_fingerprint=str(data["examples_fingerprint"]),
                    words=_lines(data["words"]) if "words" in data else (),
                    word_rows=data["word_rows"].astype(np.float32) if "word_rows" in data else None,
                )
        except FileNotFoundError:
            logger.warning("No trained topic model at %s; answering with the word matcher only", path)
        except (OSError, KeyError, ValueError) as error:
            # numpy's reason for a file that is no .npz archive suggests loading it unsafely: never that, retrain
            reason = "not a topic model file, or a damaged one" if "pickle" in str(error) else str(error)
            logger.warning(
                "Cannot read the topic model at %s (%s); answering with the word matcher only: run `footbot kb train`",
                path,
                reason,
            )
        return None


def _lines(data: np.ndarray) -> tuple[str, ...]:
    text = data.tobytes().decode("utf-8")
    return tuple(text.split("\n")) if text else ()


NEW_WORDS_PER_MESSAGE = 64  # never-seen words given a row per message; past that (a flood of junk) they don't count


class Classifier:
    """Built once from a `Model`; `rank` is read-only for callers and safe to call from any task.

    One matrix holds a row per word pair feature (its weight for every label, times its idf; then its squared
    idf in the last column), then a row per word (the sum of its features' rows, worked out the same way). A
    message's score for every label and its squared length are then one gather and one sum over its words' and
    word pairs' rows. The features a word is made of (the word itself and its letter sequences) are only read to
    work out the row of a word first met after training; they have rows of the same shape, so a new word's row
    is one gather and one sum too.
    """

    # Words met after training keep their rows, up to this many; then those rows are dropped and the count
    # starts again (a word met again gets the same row back). A row is 60 float32s (240 bytes) plus its word in
    # a dict: about 1.5 MB at most. Room for them is set aside at the start, as zeros the system hands out only
    # once written (so no RSS until then), rather than grown by copying a matrix of 25,000 rows: a copy's
    # moment holds both, 6 MB more at the peak.
    MAX_NEW_WORDS = 4096

    def __init__(self, model: Model) -> None:
        self.labels = model.labels
        self._bias = model.bias
        self._threshold = model.threshold
        self._width = len(model.labels) + 1
        pair_rows = [row for row, feature in enumerate(model.features) if feature.startswith(PAIR_PREFIX)]
        word_features = [row for row, feature in enumerate(model.features) if not feature.startswith(PAIR_PREFIX)]
        # A word's features, to work out the row of a word first met after training (pairs have their own table):
        # its letter sequences and the word itself, each by its position in `_feature_rows`.
        self._sequences: dict[str, int] = {}
        self._whole_words: dict[str, int] = {}
        for position, row in enumerate(word_features):
            feature = model.features[row]
            if feature.startswith(SEQUENCE_PREFIX):
                self._sequences[feature[len(SEQUENCE_PREFIX) :]] = position
            elif feature.startswith(WORD_PREFIX):
                self._whole_words[feature[len(WORD_PREFIX) :]] = position
        # Each feature's weight for every label times its idf, then its squared idf, in float32 like the matrix: a
        # new word's row is their sum. Side by side with widening the stored float16 weights for each new word:
        # 21 -> 10 us a new word; a first pass over the held-out real questions, twelve runs alternated, p50 -3 to
        # -7% and mean -4 to -8%; peak RSS +3.5 MB.
        self._feature_rows = np.empty((len(word_features), self._width), dtype=np.float32)
        for start in range(0, len(word_features), 2048):  # a slice at a time: no full-size copy at the peak
            rows = word_features[start : start + 2048]
            part = self._feature_rows[start : start + len(rows), :-1]
            np.multiply(model.weights[rows], model.idf[rows, None], out=part, casting="unsafe")
        self._feature_rows[:, -1] = model.idf.astype(np.float32)[word_features] ** 2
        rows = model.word_rows
        known = rows if rows is not None and model.words and rows.shape == (len(model.words), self._width) else None
        words = model.words if known is not None else ()
        pairs = len(pair_rows)
        self._matrix = np.zeros((pairs + len(words) + self.MAX_NEW_WORDS, self._width), dtype=np.float32)
        np.multiply(
            model.weights[pair_rows], model.idf[pair_rows, None], out=self._matrix[:pairs, :-1], casting="unsafe"
        )
        self._matrix[:pairs, -1] = model.idf.astype(np.float32)[pair_rows] ** 2
        if known is not None:
            self._matrix[pairs : pairs + len(words)] = known
        self._used = pairs + len(words)
        self._word_rows: dict[str, int] = {word: pairs + offset for offset, word in enumerate(words)}
        # Word pairs keyed by (first, second): a message's pairs are found without building a string for each,
        # and with one table to look in (most pairs of a message are not in it: one probe says so). Each word
        # is one string however many pairs it is in (22,000 pairs hold 45,000 words, a few thousand distinct).
        self._pairs: dict[tuple[str, str], int] = {}
        spelled: dict[str, str] = {}
        for matrix_row, row in enumerate(pair_rows):
            first, second = model.features[row][len(PAIR_PREFIX) :].split(" ", 1)
            self._pairs[spelled.setdefault(first, first), spelled.setdefault(second, second)] = matrix_row
        self._new_words = 0
        self._trained_rows = dict(self._word_rows)
        self._trained_used = self._used

    def word_rows(self, words: list[str]) -> np.ndarray:
        """The rows of `words` (training stores them in the model, so answering starts warm)."""
        rows = [self._word_row(word) for word in words]  # first: the matrix may grow meanwhile
        return self._matrix[rows]

    def _word_row(self, word: str) -> int:
        """The row of `word` in the matrix, worked out and kept on first sight; -1 if none of its features
        is known."""
        row = self._word_rows.get(word)
        if row is not None:
            return row
        if len(word) > MAX_CACHED_WORD:
            return -1  # pasted junk ("aaaa...", a link): read as no word rather than kept in the matrix
        found = list(filter(_is_row, map(self._sequences.get, letter_sequences(word))))
        if (itself := self._whole_words.get(word)) is not None:
            found.append(itself)
        self._new_words += 1
        row = self._add_row(found) if found else -1
        self._word_rows[word] = row
        return row

    def _forget_new_words(self) -> None:
        """Drop the rows of words met since training (before a message is read, never while): memory stays
        bounded however many new words arrive, and a new word still counts when it comes back."""
        self._word_rows = dict(self._trained_rows)
        self._used = self._trained_used
        self._new_words = 0

    def _add_row(self, found: list[int]) -> int:
        """A row for a word made of the features at `found` (one item per occurrence in the word)."""
        if self._used == len(self._matrix):
            self._matrix = np.concatenate([self._matrix, np.zeros_like(self._matrix[:1024])])
        row = self._used
        np.add.reduce(self._feature_rows.take(found, axis=0), axis=0, out=self._matrix[row])
        if len(set(found)) < len(found):
            # A letter sequence twice in the word ("mississippi"): its weights count twice, as summed, but its
            # part of the squared length is (2 x idf) squared, not twice idf squared.
            squares = self._feature_rows[:, -1]
            self._matrix[row, -1] = sum(count * count * squares[position] for position, count in Counter(found).items())
        self._used += 1
        return row

    def rank(self, text: str, limit: int = 4) -> list[Guess]:
        """The `limit` most likely labels for `text`, best first, scored 0..100."""
        return self.read(text).ranked(limit)

    def read(self, text: str) -> Reading:
        """The model's reading of `text`: its best label at once, the runners-up only if asked for (most
        messages are answered from the best alone)."""
        return self.read_words(message_words(text))

    def read_words(self, words: list[str]) -> Reading:
        """`read` for a message already normalised and split into words."""
        words = without_long_runs(words)
        # Looked up with map, in C: per word, a Python loop would cost more than the lookup itself.
        rows: list[int] = list(map(self._word_rows.get, words))  # type: ignore[arg-type]
        if None in rows:  # words met for the first time
            if self._new_words + len(words) > self.MAX_NEW_WORDS:
                self._forget_new_words()
                rows = list(map(self._word_rows.get, words))  # type: ignore[arg-type]
            budget = iter(range(NEW_WORDS_PER_MESSAGE))
            rows = [
                row if row is not None else self._word_row(word) if next(budget, None) is not None else -1
                for word, row in zip(words, rows, strict=True)
            ]
        rows.extend(filter(_is_row, map(self._pairs.get, pairwise([START, *words]))))
        if -1 in rows:  # words none of whose features the model knows
            rows = [row for row in rows if row >= 0]
        if not rows:
            return Reading(Guess(NO_TOPIC, 0.0), None, self)
        total = np.add.reduce(self._matrix.take(rows, axis=0), axis=0)
        margins = total[:-1]
        margins *= 1.0 / math.sqrt(total.item(-1))
        margins += self._bias
        best = int(margins.argmax())
        return Reading(Guess(self.labels[best], self._score(margins.item(best))), margins, self)

    def _score(self, margin: float) -> float:
        """The margin on the 0..100 scale of replies, with the model's threshold at ANSWER_THRESHOLD."""
        threshold = self._threshold
        if margin >= threshold:
            span = max(1.0 - threshold, 1e-6)  # a margin of 1 is as sure as a linear SVM gets: 100
            return min(100.0, ANSWER_THRESHOLD + (margin - threshold) * (100.0 - ANSWER_THRESHOLD) / span)
        return max(0.0, ANSWER_THRESHOLD * (margin - threshold + 1.0))


class Reading(NamedTuple):
    """What the model made of one message (see `Classifier.read`)."""

    best: Guess
    margins: np.ndarray | None  # one per label; None when no word of the message was known to the model
    classifier: Classifier

    def ranked(self, limit: int = 4) -> list[Guess]:
        """The `limit` most likely labels, best first."""
        if self.margins is None:
            return [self.best]
        margins, labels, score = self.margins, self.classifier.labels, self.classifier._score
        return [Guess(labels[index], score(margins.item(index))) for index in margins.argsort()[::-1][:limit]]
