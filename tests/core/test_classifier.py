"""The topic classifier: features, the saved model, scoring as training forms vectors, staleness, the shipped model."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config import DEFAULT_KNOWLEDGE_DIR
from bot.core.classifier import MODEL_FILE, Classifier, Model
from bot.core.engine import Engine
from bot.core.features import (
    NO_TOPIC,
    knowledge_fingerprint,
    message_units,
    message_words,
    without_long_runs,
    word_features,
)
from bot.core.knowledge import KnowledgeBase
from bot.core.loader import load_knowledge
from bot.core.matcher import ANSWER_THRESHOLD
from bot.core.training import default_example_sets, examples_fingerprint, vectorise

# "assess" and "mississippi" repeat letter sequences within a word: their counts must be squared alike.
TEXTS = [
    "which toe is for earache",
    "little toe earache",
    "big toe lungs brain",
    "how do i start",
    "assess mississippi",
]


def _model(labels: tuple[str, ...] = ("little_toe", "big_toe", NO_TOPIC), seed: int = 7) -> Model:
    """A model over the features of TEXTS with random weights: enough to check the arithmetic."""
    features = tuple(sorted({f for text in TEXTS for unit in message_units(message_words(text)) for f in unit}))
    rng = np.random.default_rng(seed)
    return Model(
        labels=labels,
        features=features,
        idf=rng.uniform(1.0, 3.0, len(features)).astype(np.float32),
        weights=rng.normal(0.0, 1.0, (len(features), len(labels))).astype(np.float32),
        bias=rng.normal(0.0, 0.1, len(labels)).astype(np.float32),
        threshold=-0.4,
        knowledge_fingerprint="k",
        examples_fingerprint="e",
    )


def test_a_word_is_itself_and_its_letter_sequences() -> None:
    features = word_features("toe")
    assert features["w:toe"] == 1
    assert {"c: t", "c:to", "c:oe", "c:e ", "c: to", "c:toe ", "c: toe "} <= set(features)
    assert not any(len(feature) - 2 > 5 for feature in features if feature.startswith("c:"))


def test_a_message_has_a_unit_per_word_and_per_neighbouring_pair_and_its_opening() -> None:
    units = message_units(["big", "toe", "pain"])
    assert len(units) == 6
    assert units[3] == {"b:^ big": 1} and units[4] == {"b:big toe": 1} and units[5] == {"b:toe pain": 1}
    assert message_units([]) == []


def test_classifier_scores_exactly_as_training_forms_vectors() -> None:
    """The cached per-word sums must give the margins a trained model was fitted on, or answers drift."""
    model = _model()
    classifier = Classifier(model)
    index = {feature: column for column, feature in enumerate(model.features)}
    data, columns, pointers = vectorise(TEXTS, index, model.idf)
    for row, text in enumerate(TEXTS):
        vector = np.zeros(len(model.features), dtype=np.float64)
        for position in range(pointers[row], pointers[row + 1]):
            vector[columns[position]] += data[position]
        margins = vector @ model.weights + model.bias
        best = int(np.argmax(margins))
        guesses = classifier.rank(text, limit=len(model.labels))
        assert guesses[0].label == model.labels[best]
        assert guesses[0].score == pytest.approx(classifier._score(float(margins[best])), abs=1e-3)


def test_unknown_words_and_empty_text_give_no_topic() -> None:
    classifier = Classifier(_model())
    for text in ("", "🙂🙂", "qqq xxq"):
        assert [(guess.label, guess.score) for guess in classifier.rank(text)] == [(NO_TOPIC, 0.0)]


def test_the_threshold_sits_at_the_answer_threshold_and_scores_are_monotonic() -> None:
    classifier = Classifier(_model())
    margins = [-3.0, -1.0, -0.4, 0.0, 0.5, 1.0, 2.0]
    scores = [classifier._score(margin) for margin in margins]
    assert scores == sorted(scores) and scores[0] == 0.0 and scores[-1] == 100.0
    assert classifier._score(-0.4) == pytest.approx(ANSWER_THRESHOLD)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_ranks_without_error_and_scores_stay_in_range(text: str) -> None:
    guesses = Classifier(_model()).rank(text)
    assert guesses and all(0.0 <= guess.score <= 100.0 for guess in guesses)


def test_a_saved_model_loads_back_the_same(tmp_path: Path) -> None:
    model = _model()
    model.save(tmp_path / MODEL_FILE)
    loaded = Model.load(tmp_path / MODEL_FILE)
    assert loaded is not None
    assert loaded.labels == model.labels and loaded.features == model.features
    assert np.allclose(loaded.weights, model.weights, atol=1e-2)  # saved as float16
    assert loaded.threshold == pytest.approx(model.threshold)
    assert Classifier(loaded).rank(TEXTS[0])[0].label == Classifier(model).rank(TEXTS[0])[0].label


def test_a_missing_or_broken_model_file_means_no_model(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    assert Model.load(tmp_path / "absent.npz") is None
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a zip file")
    assert Model.load(broken) is None
    assert "word matcher" in caplog.text
    assert "not a topic model file, or a damaged one" in caplog.text and "footbot kb train" in caplog.text
    assert "pickle" not in caplog.text  # numpy's advice to load a file unsafely is no advice for a curator


def test_a_model_trained_on_other_phrasings_is_not_used(minimal_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    kb = load_knowledge(minimal_dir)
    stale = _model(labels=("little_toe", NO_TOPIC))
    caplog.set_level(logging.WARNING)
    assert Engine(kb, stale).classifier is None
    assert "footbot kb train" in caplog.text
    fresh = Model(**{**_fields(stale), "knowledge_fingerprint": knowledge_fingerprint(kb)})
    assert Engine(kb, fresh).classifier is not None


def test_a_model_naming_an_entry_the_knowledge_lacks_is_not_used(minimal_dir: Path) -> None:
    kb = load_knowledge(minimal_dir)
    model = _model(labels=("little_toe", "gone_entry", NO_TOPIC))
    model = Model(**{**_fields(model), "knowledge_fingerprint": knowledge_fingerprint(kb)})
    assert Engine(kb, model).classifier is None


def _fields(model: Model) -> dict[str, object]:
    return {name: getattr(model, name) for name in Model.__dataclass_fields__}


def test_the_shipped_model_was_trained_on_the_knowledge_and_dev_sets_as_they_are(kb: KnowledgeBase) -> None:
    model = Model.load(DEFAULT_KNOWLEDGE_DIR / MODEL_FILE)
    assert model is not None
    hint = "retrain with `footbot kb train` (pip install -e '.[train]') and commit knowledge/trained/"
    assert model.knowledge_fingerprint == knowledge_fingerprint(kb), hint
    assert model.examples_fingerprint == examples_fingerprint(default_example_sets()), hint
    assert not any(path.name.startswith("holdout") for path in default_example_sets())


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["b", "toe", "heart", "x", "very"]), max_size=30))
def test_a_word_said_three_times_running_counts_twice_and_nothing_else_changes(words: list[str]) -> None:
    kept = without_long_runs(words)
    assert all(not (a == b == c) for a, b, c in zip(kept, kept[1:], kept[2:], strict=False))
    assert without_long_runs(kept) == kept
    assert set(kept) == set(words)
    if all(not (a == b == c) for a, b, c in zip(words, words[1:], words[2:], strict=False)):
        assert kept == words


@pytest.mark.parametrize("text", ["b b b b b", "b " * 60, "remind me at 10pm " + "<b>" * 300])
def test_a_short_word_said_over_and_over_brings_no_caution(engine: Engine, text: str) -> None:
    """Before, each repeat weighed more: "b b b b b" read as the heart caution, with its caveat."""
    reply = engine.reply(text)
    assert reply.topic != "heart_caution" and reply.conditions == []
