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
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.core.features import NO_TOPIC, message_words, pair_feature, word_features
from bot.core.matcher import ANSWER_THRESHOLD

logger = logging.getLogger(__name__)

MODEL_FILE = Path("trained") / "classifier.npz"  # inside the knowledge folder


@dataclass(frozen=True, slots=True)
class Guess:
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

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as file:
            np.savez_compressed(
                file,
                labels=np.array(self.labels),
                features=np.array(self.features),
                idf=self.idf.astype(np.float32),
                weights=self.weights.astype(np.float16),  # plenty of precision for an argmax; half the file
                bias=self.bias.astype(np.float32),
                threshold=np.float32(self.threshold),
                knowledge_fingerprint=np.array(self.knowledge_fingerprint),
                examples_fingerprint=np.array(self.examples_fingerprint),
            )

    @classmethod
    def load(cls, path: Path) -> Model | None:
        """The saved model, or None (with a warning) when there is none or it cannot be read."""
        try:
            with np.load(path, allow_pickle=False) as data:
                return cls(
                    labels=tuple(str(label) for label in data["labels"]),
                    features=tuple(str(feature) for feature in data["features"]),
                    idf=data["idf"].astype(np.float32),
                    weights=data["weights"].astype(np.float32),
                    bias=data["bias"].astype(np.float32),
                    threshold=float(data["threshold"]),
                    knowledge_fingerprint=str(data["knowledge_fingerprint"]),
                    examples_fingerprint=str(data["examples_fingerprint"]),
                )
        except FileNotFoundError:
            logger.warning("No trained topic model at %s; answering with the word matcher only", path)
        except (OSError, KeyError, ValueError) as error:
            logger.warning("Cannot read the topic model at %s (%s); answering with the word matcher only", path, error)
        return None


class Classifier:
    """Built once from a `Model`; `rank` is read-only for callers and safe to call from any task."""

    MAX_CACHED_UNITS = 65536  # words and pairs met so far keep their rows; past this, new ones count for nothing

    def __init__(self, model: Model) -> None:
        self.model = model
        self.labels = model.labels
        self._index = {feature: row for row, feature in enumerate(model.features)}
        # A feature's row already multiplied by its weight in the message vector: a word's vector is a sum.
        self._rows = model.weights * model.idf[:, None]
        self._squares = model.idf.astype(np.float64) ** 2
        self._bias = model.bias
        self._threshold = model.threshold
        self._labels = len(model.labels)
        # Words and word pairs met so far, one row each: their score for every label, then their squared
        # length in the last column, so one gather and one sum give both for a whole message.
        self._unit_rows: dict[str, int] = {}
        self._units = np.zeros((4096, self._labels + 1), dtype=np.float32)
        self._unit_count = 0

    def _unit_row(self, unit: str) -> int:
        """The row of a word or pair in the unit matrix, worked out and kept on first sight; -1 if unknown."""
        row = self._unit_rows.get(unit)
        if row is not None:
            return row
        index = self._index
        if " " in unit:  # a pair of words, as pair_feature spells it
            found = [(index[unit], 1)] if unit in index else []
        else:
            found = [(index[feature], count) for feature, count in word_features(unit).items() if feature in index]
        if not found:
            row = -1
        elif self._unit_count >= self.MAX_CACHED_UNITS:
            return -1  # a flood of never-seen words: they no longer count, and are not kept
        else:
            row = self._add_unit(found)
        if len(self._unit_rows) < 2 * self.MAX_CACHED_UNITS:
            self._unit_rows[unit] = row
        return row

    def _add_unit(self, found: list[tuple[int, int]]) -> int:
        positions = [position for position, _ in found]
        counts = np.array([count for _, count in found], dtype=np.float32)
        row = self._unit_count
        if row == len(self._units):
            self._units = np.concatenate([self._units, np.zeros_like(self._units)])
        self._units[row, :-1] = counts @ self._rows[positions]
        self._units[row, -1] = counts**2 @ self._squares[positions]
        self._unit_count += 1
        return row

    def rank(self, text: str, limit: int = 4) -> list[Guess]:
        """The `limit` most likely labels for `text`, best first, scored 0..100."""
        words = message_words(text)
        units = [*words, *map(pair_feature, words, words[1:])]
        rows = [row for row in map(self._unit_row, units) if row >= 0]
        if not rows:
            return [Guess(NO_TOPIC, 0.0)]
        total = self._units.take(rows, axis=0).sum(0)
        margins = total[:-1] / np.sqrt(total[-1]) + self._bias
        order = np.argsort(margins)[: -limit - 1 : -1].tolist()
        return [Guess(self.labels[index], self._score(float(margins[index]))) for index in order]

    def _score(self, margin: float) -> float:
        """The margin on the 0..100 scale of replies, with the model's threshold at ANSWER_THRESHOLD."""
        threshold = self._threshold
        if margin >= threshold:
            span = max(1.0 - threshold, 1e-6)  # a margin of 1 is as sure as a linear SVM gets: 100
            return min(100.0, ANSWER_THRESHOLD + (margin - threshold) * (100.0 - ANSWER_THRESHOLD) / span)
        return max(0.0, ANSWER_THRESHOLD * (margin - threshold + 1.0))
