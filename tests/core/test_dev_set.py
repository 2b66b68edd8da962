"""Accuracy floors on our own labelled dev set: a change to matching or knowledge cannot lower them unnoticed."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine
from tests.core.dev_set import Report, evaluate, load_items

# Floors sit a little under what the dev set measures today (see README); raise them as the bot improves.
FLOORS = {
    "answerable": 0.95,
    "unanswerable": 0.93,
    "caveats": 1.0,
    "lookalike_clean": 0.90,
    "redflag": 1.0,
    "smalltalk": 0.90,
}


@pytest.fixture(scope="module")
def report(engine: Engine) -> Report:
    return evaluate(engine)


def test_dev_set_is_big_and_varied() -> None:
    items = load_items()
    groups = {item["group"] for item in items}
    assert len(items) >= 150
    assert {"answerable", "unanswerable", "safety", "lookalike", "redflag"} <= groups


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_accuracy_floor(report: Report, metric: str) -> None:
    failures = "\n".join(report.failures.get(metric, []))
    assert report.rate(metric) >= FLOORS[metric], f"{metric}: {report.rate(metric):.1%}\n{failures}"
