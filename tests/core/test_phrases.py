"""Curators' phrases found in messages (bot/core/phrases.py). `phrase_pattern` writes a list of plain phrases as a
tree of their shared starts: it must find exactly what the list of them, longest first, finds (the same places, the
same text taken out by `sub`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.engine import Engine
from bot.core.phrases import phrase_pattern, positions_of
from bot.core.text import normalise

SETS = Path(__file__).resolve().parents[1] / "sets"

_WORD = st.sampled_from(["a", "ab", "abc", "b", "ba", "c"])
_PHRASE = st.lists(_WORD, min_size=1, max_size=3).map(" ".join)


def _as_list(phrases: Iterable[str], at_start: bool = False) -> re.Pattern[str]:
    """The plain alternation of the phrases, longest first: what `phrase_pattern` wrote before the tree."""
    alternatives = sorted({re.escape(normalise(phrase.strip())) for phrase in phrases} - {""}, key=len, reverse=True)
    return re.compile(("^" if at_start else "") + r"\b(?:" + "|".join(alternatives) + r")\b")


def _same_finds(phrases: list[str], texts: Iterable[str], at_start: bool = False) -> None:
    tree, listed = phrase_pattern(phrases, at_start), _as_list(phrases, at_start)
    for text in texts:
        assert [m.span() for m in tree.finditer(text)] == [m.span() for m in listed.finditer(text)], text
        assert tree.sub(" ", text) == listed.sub(" ", text), text


def _knowledge_lists() -> dict[str, tuple[str, ...]]:
    kb = Engine.load().kb
    lists = {
        "remedy_asks": kb.conversation.remedy_asks,
        "cause_asks": kb.conversation.cause_asks,
        "caveat_only": kb.safety_questions.caveat_only,
        "permission": kb.safety_questions.permission,
        "condition_asks": kb.safety_questions.condition_asks,
        "symptom_asks": kb.safety_questions.symptom_asks,
    }
    for entry in kb.entries:
        if entry.asked_when is not None:
            lists[f"{entry.id} asks"], lists[f"{entry.id} about"] = entry.asked_when.asks, entry.asked_when.about
    return {name: phrases for name, phrases in lists.items() if phrases and not any("*" in p for p in phrases)}


@pytest.fixture(scope="module")
def labelled_texts() -> list[str]:
    texts = []
    for path in sorted(SETS.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            texts += [str(turn["text"]) for turn in item["turns"]] if "turns" in item else [str(item["text"])]
    return [normalise(text) for text in texts]


@pytest.mark.parametrize("name", sorted(_knowledge_lists()))
def test_the_tree_finds_what_the_list_finds_in_every_labelled_message(name: str, labelled_texts: list[str]) -> None:
    phrases = list(_knowledge_lists()[name])
    _same_finds(phrases, labelled_texts)
    _same_finds(phrases, labelled_texts, at_start=True)


def _positions_by_every_slice(words: list[str], phrases: tuple[str, ...]) -> set[int]:
    """`positions_of` as it was: every phrase compared at every place, whatever its first word."""
    found: set[int] = set()
    for phrase in phrases:
        wanted = phrase.split()
        for start in range(len(words) - len(wanted) + 1):
            if words[start : start + len(wanted)] == wanted:
                found.update(range(start, start + len(wanted)))
    return found


def test_positions_of_phrases() -> None:
    words = ["what", "about", "the", "first", "trimester", "and", "the", "first"]
    assert positions_of(words, ("first trimester", "second trimester", "")) == {3, 4}
    assert positions_of(words, ("the first",)) == {2, 3, 6, 7}
    assert positions_of([], ("first",)) == set()


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORD, max_size=10), st.lists(_PHRASE, max_size=6).map(tuple))
def test_positions_of_skips_only_phrases_that_cannot_be_there(words: list[str], phrases: tuple[str, ...]) -> None:
    assert positions_of(words, phrases) == _positions_by_every_slice(words, phrases)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PHRASE, min_size=1, max_size=6), st.lists(_WORD, max_size=10).map(" ".join))
def test_the_tree_finds_what_the_list_finds_when_phrases_start_alike(phrases: list[str], text: str) -> None:
    _same_finds(phrases, [text])
    _same_finds(phrases, [text], at_start=True)


def test_a_phrase_with_a_wildcard_keeps_the_list() -> None:
    assert phrase_pattern(["massag*", "foot rub"]).search("massaging her feet") is not None
    assert phrase_pattern(["foot rub", "foot"]).search("a foot rubber")[0] == "foot"
    assert phrase_pattern([]).search("anything") is None
