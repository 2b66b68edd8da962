"""Floors on the conversation sets, fed interleaved across chats (`python -m tests.core.conversation_set -v`
lists every miss). Features asked for in words (`action` turns) count like any other turn."""

from __future__ import annotations

import pytest

from tests.core.conversation_set import SETS, Score, in_process, interleaved, load, score


@pytest.fixture(scope="module")
def scores() -> dict[str, Score]:
    answer = in_process()
    return {name: score(load(path), answer) for name, path in SETS.items()}


@pytest.mark.parametrize("name", ["dev", "holdout_2"])
def test_every_kind_is_at_least_90_percent(scores: dict[str, Score], name: str) -> None:
    result = scores[name]
    for kind in result.turns:
        assert result.rate(kind) >= 0.90, (kind, result.misses)


@pytest.mark.parametrize("name", ["dev", "holdout_2"])
def test_turns_are_at_least_95_percent_and_caveat_recall_is_total(scores: dict[str, Score], name: str) -> None:
    result = scores[name]
    assert result.rate() >= 0.95, result.misses
    assert result.caveat_recall == 1.0


def test_held_out_conversations_keep_their_floor_and_every_caveat(scores: dict[str, Score]) -> None:
    result = scores["holdout"]
    assert result.rate() >= 0.90, result.misses
    assert result.caveat_recall == 1.0
    for kind in ("control", "condition_question", "condition_carried", "several"):
        assert result.rate(kind) == 1.0, (kind, result.misses)


def test_a_gap_of_half_an_hour_is_sent_after_every_other_chat_and_that_much_later() -> None:
    conversations = [
        {"kind": "control", "turns": [{"text": "a1"}, {"text": "a2", "minutes_later": 31}]},
        {"kind": "control", "turns": [{"text": "b1"}, {"text": "b2"}, {"text": "b3"}]},
    ]
    order = [(turn["text"], at) for _, _, turn, at in interleaved(conversations)]
    assert [text for text, _ in order] == ["a1", "b1", "b2", "b3", "a2"]
    assert order[-1][1] - order[-2][1] >= 31 * 60
