"""Learn the topic classifier from the knowledge and our labelled example messages (`footbot kb train`).

Training needs scikit-learn (the `train` extra); answering does not: the model is saved as plain arrays
that `bot.core.classifier` reads with numpy alone. The held-out sets are never trained on, so their
accuracy stays an honest estimate for messages nobody has seen.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import yaml

from bot.core.classifier import Classifier, Model
from bot.core.features import (
    NO_TOPIC,
    WORD_PREFIX,
    knowledge_fingerprint,
    message_units,
    message_words,
    training_texts,
)
from bot.core.knowledge import KnowledgeBase

REGULARISATION = 2.0  # LinearSVC's C: chosen by leaving each example set out in turn (benchmarks/tune_classifier.py)
THRESHOLD = -0.25  # answer from this margin up; below it the guide is taken to have no answer
# A feature (word, letter sequence, word pair) must occur in this many training texts to be kept: rarer ones only
# memorise single examples. Real questions, folds by page: 271/323 answered, 1,051/1,193 fallbacks, as with all
# features kept (270, 1,051); team held-out sets unchanged; answering RSS 78.5 -> 56.0 MB, p50 within the noise.
# Words seen at least twice keep a ready row (answering starts warm); a rarer word is read when it comes.
MIN_FEATURE_COUNT = 3


SETS_DIR = Path(__file__).resolve().parents[2] / "tests" / "sets"  # in a source checkout, where training runs


def default_example_sets() -> list[Path]:
    """Every dev set, the team-written ones and the real people's questions (real_dev*.yaml); the held-out sets
    (holdout_*.yaml, real_holdout*.yaml) are never trained on."""
    return sorted([*SETS_DIR.glob("dev_*.yaml"), *SETS_DIR.glob("real_dev*.yaml")])


class TrainingUnavailable(RuntimeError):
    """scikit-learn is not installed."""


class UnknownLabels(ValueError):
    """Labelled examples name topics no entry has (an entry renamed or removed): `str(error)` says where."""


def unknown_labels(kb: KnowledgeBase, paths: Sequence[Path]) -> list[str]:
    """ "dev_3.yaml: 'little_toe'" for each labelled set naming a topic no entry has, once per set and label."""
    found = []
    for path in paths:
        labels = {label for _, label in example_messages([path]) if label != NO_TOPIC and not kb.has_entry(label)}
        found += [f"{path.name}: '{label}'" for label in sorted(labels)]
    return found


def example_messages(paths: Sequence[Path]) -> Iterable[tuple[str, str]]:
    """(text, label) pairs from labelled sets in the tests/ format; emergencies are not topics, so left out."""
    for path in paths:
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if item.get("group") == "redflag":
                continue
            yield item["text"], item.get("topic") or NO_TOPIC


def examples_fingerprint(paths: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths, key=lambda path: path.name):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def vectorise(texts: Sequence[str], index: dict[str, int], idf: np.ndarray) -> tuple[list[float], list[int], list[int]]:
    """CSR parts (data, indices, row pointers) of the messages' vectors, exactly as the classifier forms them."""
    data: list[float] = []
    indices: list[int] = []
    pointers = [0]
    for text in texts:
        row: dict[int, float] = {}
        squared = 0.0
        for unit in message_units(message_words(text)):
            for feature, count in unit.items():
                column = index.get(feature)
                if column is None:
                    continue
                value = count * float(idf[column])
                row[column] = row.get(column, 0.0) + value
                squared += value * value
        norm = math.sqrt(squared) or 1.0
        indices += row.keys()
        data += (value / norm for value in row.values())
        pointers.append(len(indices))
    return data, indices, pointers


def train(
    kb: KnowledgeBase,
    example_paths: Sequence[Path],
    regularisation: float = REGULARISATION,
    threshold: float = THRESHOLD,
) -> Model:
    unknown = unknown_labels(kb, example_paths)
    if unknown:  # the model would know a topic no entry answers, and the engine would never trust it
        raise UnknownLabels(
            "labelled examples name topics no entry has (renamed or removed?); rename or drop them, then train again: "
            + "; ".join(unknown)
        )
    try:
        from scipy.sparse import csr_matrix
        from sklearn.svm import LinearSVC
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise TrainingUnavailable("training needs scikit-learn: pip install -e '.[train]'") from error
    pairs = [*training_texts(kb), *example_messages(example_paths)]
    texts = [text for text, _ in pairs]
    labels = [label for _, label in pairs]
    frequency: Counter[str] = Counter()
    for text in texts:
        frequency.update({feature for unit in message_units(message_words(text)) for feature in unit})
    features = tuple(sorted(feature for feature, count in frequency.items() if count >= MIN_FEATURE_COUNT))
    index = {feature: column for column, feature in enumerate(features)}
    # Smoothed inverse document frequency, as scikit-learn's TfidfTransformer computes it.
    idf = np.array([math.log((1 + len(texts)) / (1 + frequency[f])) + 1.0 for f in features], dtype=np.float32)
    matrix = csr_matrix(vectorise(texts, index, idf), shape=(len(texts), len(features)), dtype=np.float32)
    svm = LinearSVC(C=regularisation).fit(matrix, labels)
    model = Model(
        labels=tuple(str(label) for label in svm.classes_),
        features=features,
        idf=idf,
        weights=np.ascontiguousarray(svm.coef_.T, dtype=np.float32),
        bias=svm.intercept_.astype(np.float32),
        threshold=threshold,
        knowledge_fingerprint=knowledge_fingerprint(kb),
        examples_fingerprint=examples_fingerprint(example_paths),
    )
    words = sorted(
        feature[len(WORD_PREFIX) :]
        for feature, count in frequency.items()
        if feature.startswith(WORD_PREFIX) and count >= 2
    )
    return dataclasses.replace(model, words=tuple(words), word_rows=Classifier(model).word_rows(words))
