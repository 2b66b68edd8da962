"""Curators' phrases found in messages (bot/core/phrases.py)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.phrases import positions_of

_WORD = st.sampled_from(["a", "ab", "abc", "b", "ba", "c"])
_PHRASE = st.lists(_WORD, min_size=1, max_size=3).map(" ".join)


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
