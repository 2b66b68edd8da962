"""Fixtures for core tests: the real knowledge base, and a tiny valid one to break on purpose."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bot.config import DEFAULT_KNOWLEDGE_DIR
from bot.core.classifier import Guess, Reading
from bot.core.engine import Engine
from bot.core.knowledge import KnowledgeBase

MINIMAL = {
    "meta.yaml": """
        source: {title: A Guide, author: Someone}
        messages:
          fallback: I don't know that one.
          empty: Ask me something.
          credit: "From {title} by {author}"
          suggestions_intro: Maybe one of these?
          not_text: I only read text.
          english_only: English only for now.
          welcome: Hi.
          disclaimer: Not medical advice.
          help: Ask about toes.
          safety_intro: Be careful.
          routine_done: Done.
        fallback_topics: [little_toe]
        stopwords: [the, a, which, is, for]
        synonyms: {pinky: little}
    """,
    "entries.yaml": """
        entries:
          - id: little_toe
            title: The little toe
            section: The toes
            phrasings: [little toe, which toe is for earache]
            answer: The guide links the little toe to earache.
    """,
    "safety.yaml": """
        conditions:
          - id: pregnancy
            caveat: Pregnant? Ask your doctor.
            terms: [pregnant]
          - id: diabetes
            caveat: Diabetes? Take care.
            terms: [diabetes]
          - id: heart
            caveat: Heart? Take care.
            terms: [heart]
            not_when: [heart point]
        red_flags:
          reply: Call emergency services.
          terms: [chest pain]
        routine:
          section: Who can give it and how
          intro: Let's start.
          steps: [{title: Toes, text: Start with the toes.}]
          outro: Good night.
    """,
}


def write_knowledge(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).write_text(textwrap.dedent(content), encoding="utf-8")
    return folder


@pytest.fixture
def minimal_dir(tmp_path: Path) -> Path:
    return write_knowledge(tmp_path / "knowledge", MINIMAL)


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine.load(DEFAULT_KNOWLEDGE_DIR)


@pytest.fixture(scope="session")
def kb(engine: Engine) -> KnowledgeBase:
    return engine.kb


class FixedReading:
    """A topic model that reads every message the same way (`label` at `score`): lets a test pin down what the
    engine does around the model, whatever the trained model would make of the message."""

    def __init__(self, label: str, score: float) -> None:
        self.guess = Guess(label, score)

    def read_words(self, words: list[str]) -> Reading:
        return Reading(self.guess, None, None)  # type: ignore[arg-type]


def engine_reading(engine: Engine, label: str, score: float) -> Engine:
    """An engine on the same knowledge whose topic model always reads `label` at `score`."""
    fixed = Engine(engine.kb)
    fixed.classifier = FixedReading(label, score)  # type: ignore[assignment]
    return fixed
