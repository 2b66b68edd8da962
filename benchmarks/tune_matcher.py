"""Tune the word matcher's knobs and answer threshold on tests/sets/dev_1.yaml by coordinate descent; print the
result and, for information only, what the same settings give on the held-out sets. (The word matcher answers
when the classifier is unsure, and alone when the trained model is stale.)

    .venv/bin/python benchmarks/tune_matcher.py

The dev set is ours and small, so this can overfit it: prefer round values, and only keep a change that the
held-out figure does not contradict.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.engine import Engine  # noqa: E402
from bot.core.matcher import ANSWER_THRESHOLD, Matcher, Tuning  # noqa: E402
from tests.core.dev_set import DEV_SET, HOLDOUT_SETS, load_items  # noqa: E402

GRID = {
    "phrasing_weight": (0.4, 0.5, 0.6, 0.7, 0.8),
    "unknown_factor": (0.25, 0.5, 0.75, 1.0),
    "min_evidence": (1.5, 2.0, 2.5, 3.0, 3.5),
    "hint_factor": (0.8, 0.9, 1.0),
    "whole_message_factor": (0.8, 0.9, 1.0),
    "statement_factor": (0.7, 0.8, 0.85, 0.9, 1.0),
    "window": (4, 5, 6, 8),
}
THRESHOLDS = tuple(range(36, 62, 2))


def labelled(engine: Engine, path: Path) -> list[tuple[str, tuple[str, ...], bool, set[str]]]:
    rows = []
    for item in load_items(path):
        if item["group"] in {"redflag", "lookalike"}:
            continue
        topic = item.get("topic")
        unanswerable = topic is None or topic.startswith("oos_")
        accepted = {topic, *(item.get("also") or [])}
        hints = tuple(engine.kb.caveat_for(c).terms[0] for c in engine.safety.detect(item["text"]))
        rows.append((item["text"], hints, unanswerable, accepted))
    return rows


def rates(matcher: Matcher, rows, threshold: float) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    answered = unanswered = answerable = unanswerable = 0
    for text, hints, is_unanswerable, accepted in rows:
        ranked = matcher.rank(text, hints)
        top = ranked[0] if ranked else None
        good = top is not None and (
            top.entry.id in accepted or (is_unanswerable and top.entry.kind.value == "out_of_scope")
        )
        if is_unanswerable:
            unanswerable += 1
            unanswered += top is None or top.score < threshold or good
        else:
            answerable += 1
            answered += (top is not None and top.score >= threshold and good) or (bool(hints) and top is None)
    return answered / answerable, unanswered / unanswerable


def objective(matcher: Matcher, rows) -> tuple[float, float, float, float]:  # type: ignore[no-untyped-def]
    best = (0.0, 0.0, 0.0, 0.0)
    for threshold in THRESHOLDS:
        a, u = rates(matcher, rows, threshold)
        best = max(best, (min(a, u) + 0.25 * (a + u), a, u, threshold))
    return best


def main() -> None:
    engine = Engine.load()
    dev = labelled(engine, DEV_SET)
    tuning = Tuning()
    score = objective(Matcher(engine.kb, tuning), dev)
    print(f"start: {score[1]:.3f} answerable, {score[2]:.3f} unanswerable at {score[3]} ({tuning})")
    for _ in range(2):
        for name, values in GRID.items():
            for value in values:
                trial = dataclasses.replace(tuning, **{name: value})
                if name == "phrasing_weight":
                    trial = dataclasses.replace(trial, coverage_weight=round(1 - value, 2))
                result = objective(Matcher(engine.kb, trial), dev)
                if result[0] > score[0] + 1e-9:
                    tuning, score = trial, result
                    print(f"  {name}={value}: {result[1]:.3f} / {result[2]:.3f} at {result[3]}")
    print(f"best on dev: {score[1]:.3f} answerable, {score[2]:.3f} unanswerable, threshold {score[3]}")
    print(f"  {tuning}")
    holdout = [item for path in HOLDOUT_SETS for item in labelled(engine, path)]
    for label, settings, threshold in (("current", Tuning(), ANSWER_THRESHOLD), ("tuned", tuning, score[3])):
        a, u = rates(Matcher(engine.kb, settings), holdout, threshold)
        print(f"held-out with {label} settings: {a:.3f} answerable, {u:.3f} unanswerable")


if __name__ == "__main__":
    main()
