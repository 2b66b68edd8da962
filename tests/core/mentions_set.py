"""Scores the engine on sentences real people wrote naming pregnancy, diabetes or a heart condition in their own words
(tests/sets/safety_mentions*.yaml): how many mentions get their caveat, per condition, and how many lookalikes stay
clean. The safety rules' yardstick; benchmarks/safety_mentions.py prints it and a test keeps floors under it."""

from __future__ import annotations

from bot.core.engine import Engine
from tests.core.dev_set import Report

CONDITIONS = ("pregnancy", "diabetes", "heart")
METRICS = (*CONDITIONS, "lookalike_clean")


def score_mentions(engine: Engine, items: list[dict]) -> Report:
    """One verdict a labelled condition of each mention, and one a lookalike, from the whole reply's caveats (what
    `footbot ask --json` lists), not the safety rules' alone."""
    report = Report()
    for item in items:
        got = set(engine.reply(item["text"]).conditions)
        if item["lookalike"]:
            report.record("lookalike_clean", not got, f"{item['text']!r}: needless {sorted(got)}")
        for condition in item["conditions"]:
            report.record(condition, condition in got, f"{item['text']!r}: missed {condition}")
    return report
