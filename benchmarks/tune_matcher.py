"""Grid-search the matcher's knobs and answer threshold on tests/dev_set.yaml; prints the best settings.

    .venv/bin/python benchmarks/tune_matcher.py

The dev set is ours, so this can overfit it: prefer round values near the top of the table over the single best.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.engine import Engine  # noqa: E402
from bot.core.matcher import Matcher, Tuning  # noqa: E402
from tests.core.dev_set import load_items  # noqa: E402


def labelled(engine: Engine) -> list[tuple[str, tuple[str, ...], bool, set[str]]]:
    rows = []
    for item in load_items():
        if item["group"] in {"redflag", "lookalike"}:
            continue
        topic = item.get("topic")
        unanswerable = topic is None or topic.startswith("oos_")
        accepted = {topic, *(item.get("also") or [])}
        hints = tuple(engine.kb.caveat_for(c).terms[0] for c in engine.safety.detect(item["text"]))
        rows.append((item["text"], hints, unanswerable, accepted))
    return rows


def evaluate(matcher: Matcher, rows, thresholds) -> list[tuple[float, float, float]]:  # type: ignore[no-untyped-def]
    results = []
    tops = []
    for text, hints, unanswerable, accepted in rows:
        ranked = matcher.rank(text, hints)
        top = ranked[0] if ranked else None
        good = top is not None and (
            top.entry.id in accepted or (unanswerable and top.entry.kind.value == "out_of_scope")
        )
        tops.append((unanswerable, top.score if top else 0.0, good))
    answerable = [t for t in tops if not t[0]]
    unanswerable_rows = [t for t in tops if t[0]]
    for threshold in thresholds:
        a = sum(1 for _, score, good in answerable if score >= threshold and good) / len(answerable)
        u = sum(1 for _, score, good in unanswerable_rows if score < threshold or good) / len(unanswerable_rows)
        results.append((threshold, a, u))
    return results


def main() -> None:
    engine = Engine.load()
    rows = labelled(engine)
    thresholds = range(30, 80, 2)
    table = []
    for phrasing, unknown, evidence in itertools.product((0.3, 0.45, 0.6, 0.75, 0.9), (0.5, 1.0, 1.5), (1.5, 2.5, 3.5)):
        tuning = Tuning(
            phrasing_weight=phrasing, coverage_weight=1 - phrasing, unknown_factor=unknown, min_evidence=evidence
        )
        for threshold, a, u in evaluate(Matcher(engine.kb, tuning), rows, thresholds):
            table.append((min(a, u), a, u, threshold, tuning))
    table.sort(key=lambda row: -row[0])
    for worst, a, u, threshold, tuning in table[:15]:
        print(f"min {worst:.3f}  answerable {a:.3f}  unanswerable {u:.3f}  threshold {threshold}  {tuning}")


if __name__ == "__main__":
    main()
