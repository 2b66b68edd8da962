"""Scores the engine on the labelled sets in tests/sets/, for the accuracy floors and `python -m tests.core.dev_set`.

dev_*.yaml are trained and tuned on; holdout_*.yaml never are, so they estimate accuracy on unseen messages.

    python -m tests.core.dev_set              # a summary line per set
    python -m tests.core.dev_set dev_6        # one set in full, every miss listed (also a path to any set)
    python -m tests.core.dev_set --matcher    # the same with the word matcher alone (no trained model)
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.core.engine import Engine
from bot.core.replies import ReplyKind

SETS_DIR = Path(__file__).resolve().parent.parent / "sets"
DEV_SETS = tuple(sorted(SETS_DIR.glob("dev_*.yaml")))  # trained and tuned on
HOLDOUT_SETS = tuple(sorted(SETS_DIR.glob("holdout_*.yaml")))  # never: estimates accuracy on unseen messages
DEV_SET = SETS_DIR / "dev_1.yaml"


@dataclass
class Report:
    totals: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    passed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    failures: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def record(self, metric: str, ok: bool, detail: str) -> None:
        self.totals[metric] += 1
        self.passed[metric] += ok
        if not ok:
            self.failures[metric].append(detail)

    def rate(self, metric: str) -> float:
        return self.passed[metric] / self.totals[metric] if self.totals[metric] else 1.0

    def add(self, other: Report) -> None:
        """Sum another report into this one (folds of one set)."""
        for metric in other.totals:
            self.totals[metric] += other.totals[metric]
            self.passed[metric] += other.passed[metric]
            self.failures[metric] += other.failures[metric]

    def print(self, metrics: Iterable[str] | None = None, misses: bool = True, indent: str = "") -> None:
        """One line a metric (passed/total and rate), then every miss under its metric."""
        for metric in metrics if metrics is not None else sorted(self.totals):
            if self.totals[metric]:
                print(f"{indent}{metric:16} {self.passed[metric]:4}/{self.totals[metric]:<4} {self.rate(metric):.1%}")
        for metric, failures in sorted(self.failures.items()) if misses else ():
            print(f"\n## {metric}")
            for failure in failures:
                print("  " + failure)


def load_items(path: Path = DEV_SET) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def evaluate(engine: Engine, items: list[dict] | None = None) -> Report:
    report = Report()
    for item in items if items is not None else load_items():
        text, group = item["text"], item["group"]
        reply = engine.reply(text)
        expected_topic = item.get("topic")
        if expected_topic is not None and expected_topic.startswith("oos_"):
            expected_topic = None
        accepted = {expected_topic, *(item.get("also") or [])}
        expected_caveats = set(item.get("caveats") or [])
        got_caveats = set(reply.conditions)
        detail = f"{text!r}: got topic={reply.topic} score={reply.score:.0f} caveats={sorted(got_caveats)}"
        detail += f"; want {sorted(map(str, accepted))} {sorted(expected_caveats)}"
        if group == "redflag":
            report.record("redflag", reply.kind is ReplyKind.RED_FLAG, detail)
        elif group == "lookalike":
            report.record("lookalike_clean", got_caveats <= expected_caveats, detail)
        elif expected_topic is None and group != "safety":
            report.record("unanswerable", reply.topic is None or reply.topic in accepted, detail)
        elif group != "safety" or expected_topic is not None:
            metric = "smalltalk" if group == "smalltalk" else "answerable"
            # A routine request that mentions pregnancy is answered by the pregnancy caveat, not the routine.
            held_back = reply.kind is ReplyKind.SAFETY and "start_routine" in accepted
            report.record(metric, reply.topic in accepted or held_back, detail)
        if expected_caveats:
            report.record("caveats", expected_caveats <= got_caveats, detail)
    return report


def main() -> None:
    from bot.config import DEFAULT_KNOWLEDGE_DIR
    from bot.core.loader import load_knowledge

    args = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    engine = Engine(load_knowledge(DEFAULT_KNOWLEDGE_DIR)) if "--matcher" in sys.argv else Engine.load()
    if not args:
        for path in (*DEV_SETS, *HOLDOUT_SETS):
            report = evaluate(engine, load_items(path))
            rates = "  ".join(f"{metric} {report.rate(metric):6.1%}" for metric in sorted(report.totals))
            print(f"{path.stem:10} {rates}")
        held_out = [item for path in HOLDOUT_SETS for item in load_items(path)]
        report = evaluate(engine, held_out)
        print(f"\nall held-out sets together ({len(held_out)} messages, the honest estimate):")
        for metric in sorted(report.totals):
            print(f"  {metric:16} {report.passed[metric]:4}/{report.totals[metric]:<4} {report.rate(metric):.1%}")
        return
    for arg in args:
        path = Path(arg) if arg.endswith(".yaml") else SETS_DIR / f"{arg}.yaml"
        report = evaluate(engine, load_items(path))
        print(f"# {path.name}")
        report.print()


if __name__ == "__main__":
    main()
