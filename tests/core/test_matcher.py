"""The word matcher keeps each word's row as its non-zero cells: their sum must be the dense sum."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.engine import Engine


def _dense(engine: Engine, word: str) -> np.ndarray:
    row = np.zeros(engine.matcher._width, dtype=np.float32)
    positions, weights = engine.matcher._cells[word]
    row[positions] = weights
    return row


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_summing_sparse_rows_gives_the_dense_sum(engine: Engine, data: st.DataObject) -> None:
    vocabulary = sorted(engine.matcher._cells)
    words = data.draw(st.lists(st.sampled_from(vocabulary), min_size=1, max_size=12, unique=True))
    expected = sum((_dense(engine, word) for word in words), np.zeros(engine.matcher._width, dtype=np.float32))
    summed = engine.matcher._sum_rows([engine.matcher._cells[word] for word in words])
    assert summed.dtype == np.float32
    np.testing.assert_allclose(summed, expected, rtol=1e-5, atol=1e-6)


def test_words_sharing_a_phrasing_add_up_in_its_cell(engine: Engine) -> None:
    """Two words of one phrasing both weigh in its cell: the sum must add them, not keep one."""
    matcher = engine.matcher
    first, second = "littl", "toe"  # as the matcher keeps them: stemmed
    shared = set(matcher._cells[first][0].tolist()) & set(matcher._cells[second][0].tolist())
    assert shared
    cell = min(shared)
    summed = matcher._sum_rows([matcher._cells[first], matcher._cells[second]])
    assert summed[cell] == np.float32(_dense(engine, first)[cell] + _dense(engine, second)[cell])
