"""Accuracy floors on our own labelled dev set: a change to matching or knowledge cannot lower them unnoticed."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine
from tests.core.dev_set import DEV_SET_2, DEV_SET_3, HOLDOUT_SET, Report, evaluate, load_items

# Floors sit a little under what the dev set measures today (see README); raise them as the bot improves.
FLOORS = {
    "answerable": 0.95,
    "unanswerable": 0.93,
    "caveats": 1.0,
    "lookalike_clean": 0.90,
    "redflag": 1.0,
    "smalltalk": 0.90,
}


DEV_2_FLOORS = {
    "answerable": 0.92,
    "unanswerable": 0.92,
    "caveats": 1.0,
    "lookalike_clean": 0.95,
    "redflag": 1.0,
    "smalltalk": 0.85,
}

DEV_3_FLOORS = {
    "answerable": 0.96,
    "unanswerable": 0.97,
    "caveats": 1.0,
    "lookalike_clean": 0.95,
    "redflag": 1.0,
    "smalltalk": 0.8,
}

# The held-out set is never tuned on; its floors only catch a change that makes unseen messages fare worse.
HOLDOUT_FLOORS = {
    "answerable": 0.89,
    "unanswerable": 0.93,
    "caveats": 1.0,
    "lookalike_clean": 0.95,
    "redflag": 1.0,
    "smalltalk": 0.90,
}


@pytest.fixture(scope="module")
def report(engine: Engine) -> Report:
    return evaluate(engine)


@pytest.fixture(scope="module")
def dev_2_report(engine: Engine) -> Report:
    return evaluate(engine, load_items(DEV_SET_2))


@pytest.fixture(scope="module")
def dev_3_report(engine: Engine) -> Report:
    return evaluate(engine, load_items(DEV_SET_3))


@pytest.fixture(scope="module")
def holdout_report(engine: Engine) -> Report:
    return evaluate(engine, load_items(HOLDOUT_SET))


def test_dev_set_is_big_and_varied() -> None:
    items = load_items()
    groups = {item["group"] for item in items}
    assert len(items) >= 150
    assert {"answerable", "unanswerable", "safety", "lookalike", "redflag"} <= groups


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_accuracy_floor(report: Report, metric: str) -> None:
    failures = "\n".join(report.failures.get(metric, []))
    assert report.rate(metric) >= FLOORS[metric], f"{metric}: {report.rate(metric):.1%}\n{failures}"


@pytest.mark.parametrize("metric", sorted(DEV_2_FLOORS))
def test_dev_set_2_floor(dev_2_report: Report, metric: str) -> None:
    failures = "\n".join(dev_2_report.failures.get(metric, []))
    assert dev_2_report.rate(metric) >= DEV_2_FLOORS[metric], f"{metric}: {dev_2_report.rate(metric):.1%}\n{failures}"


@pytest.mark.parametrize("metric", sorted(DEV_3_FLOORS))
def test_dev_set_3_floor(dev_3_report: Report, metric: str) -> None:
    failures = "\n".join(dev_3_report.failures.get(metric, []))
    assert dev_3_report.rate(metric) >= DEV_3_FLOORS[metric], f"{metric}: {dev_3_report.rate(metric):.1%}\n{failures}"


@pytest.mark.parametrize("metric", sorted(HOLDOUT_FLOORS))
def test_holdout_floor(holdout_report: Report, metric: str) -> None:
    # No miss list in the message: the held-out items are not for tuning.
    assert holdout_report.rate(metric) >= HOLDOUT_FLOORS[metric], f"{metric}: {holdout_report.rate(metric):.1%}"
