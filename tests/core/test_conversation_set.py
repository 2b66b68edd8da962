"""Floors on the conversation sets, fed interleaved across chats (`python -m tests.core.conversation_set -v`
lists every miss). Features asked for in words (`action` turns) are built elsewhere and not floored here."""

from __future__ import annotations

import pytest

from tests.core.conversation_set import SETS, Score, in_process, load, score

ACTIONS = "action"


@pytest.fixture(scope="module")
def scores() -> dict[str, Score]:
    answer = in_process()
    return {name: score(load(path), answer) for name, path in SETS.items()}


def test_every_kind_of_the_dev_conversations_is_at_least_90_percent(scores: dict[str, Score]) -> None:
    result = scores["dev"]
    for kind in result.turns:
        if kind != ACTIONS:
            assert result.rate(kind) >= 0.90, (kind, result.misses)


def test_dev_conversation_turns_are_at_least_95_percent_and_caveat_recall_is_total(scores: dict[str, Score]) -> None:
    result = scores["dev"]
    turns = sum(count for kind, count in result.turns.items() if kind != ACTIONS)
    passed = sum(count for kind, count in result.passed.items() if kind != ACTIONS)
    assert passed / turns >= 0.95, result.misses
    assert result.caveat_recall == 1.0


def test_held_out_conversations_keep_their_floor_and_every_caveat(scores: dict[str, Score]) -> None:
    result = scores["holdout"]
    turns = sum(count for kind, count in result.turns.items() if kind != ACTIONS)
    passed = sum(count for kind, count in result.passed.items() if kind != ACTIONS)
    assert passed / turns >= 0.85, result.misses
    assert result.caveat_recall == 1.0
    for kind in ("control", "condition_question", "condition_carried"):
        assert result.rate(kind) == 1.0, (kind, result.misses)
