"""Scores the engine on questions real people asked (tests/sets/real_*.yaml): the yardstick the README reports.

Each question was copied verbatim from a public page (its `source`) and labelled against the article:
`answerable` (the entry that answers it, and the `facts` a right reply carries), `unanswerable` (the honest
fallback), `safety` (the caution itself is the answer), `redflag` (urgent care first), with the `caveats` it needs.
real_dev*.yaml are trained and tuned on (real_dev_3/4/6/7/8/9/10/11/12 are earlier held-out sets, retired into dev
after their first score was reported); real_holdout_*.yaml never are: each is scored once, and that first figure is
reported (tests/sets/REAL_QUESTIONS.md says how a batch is gathered and labelled).

    python -m tests.core.real_set                  # real_dev
    python -m tests.core.real_set real_holdout_14  # the held-out set (scored once on 2026-12-06)
    python -m tests.core.real_set real_dev_5 -v    # every miss listed
"""

from __future__ import annotations

import sys
from pathlib import Path

from bot.core.engine import Engine
from bot.core.replies import Reply, ReplyKind
from tests.core.dev_set import SETS_DIR, Report, load_items

REAL_DEV = SETS_DIR / "real_dev.yaml"
REAL_DEV_SETS = tuple(sorted(SETS_DIR.glob("real_dev*.yaml")))  # every batch trained and tuned on
METRICS = ("answered", "facts_carried", "fallback", "safety_only", "redflag", "caveat_recall", "needless_caveat")


def answered_topics(reply: Reply) -> set[str]:
    return {topic for topic in (reply.topic, *reply.topics) if topic}


def score(engine: Engine, items: list[dict]) -> Report:
    """One verdict per question and metric, as `footbot ask --json -` would be scored from outside."""
    report = Report()
    caution_ids = {rule.entry for rule in engine.kb.conditions if rule.entry}
    for item in items:
        reply = engine.reply(item["text"])
        group = item["group"]
        wanted = {item.get("topic"), *(item.get("also") or [])} - {None}
        got = answered_topics(reply)
        caveats_wanted = set(item.get("caveats") or [])
        caveats_got = set(reply.conditions)
        detail = (
            f"{item['text']!r}: got {sorted(got) or None} {sorted(caveats_got)} ({reply.kind.value}); "
            f"want {group} {sorted(wanted) or None} {sorted(caveats_wanted)}"
        )
        if group == "answerable":
            report.record("answered", bool(got & wanted), detail)
            facts = [fact.lower() for fact in item.get("facts") or []]
            if facts:
                text = reply.plain_text().lower()
                report.record("facts_carried", all(fact in text for fact in facts), detail)
        elif group == "unanswerable":
            report.record("fallback", not (got - wanted), detail)  # no entry answered that isn't labelled right
        elif group == "safety":
            report.record("safety_only", bool(got & (wanted | caution_ids)) or reply.kind is ReplyKind.SAFETY, detail)
        elif group == "redflag":
            report.record("redflag", reply.kind is ReplyKind.RED_FLAG, detail)
        if caveats_wanted:
            report.record("caveat_recall", caveats_wanted <= caveats_got, detail)
        else:
            report.record("needless_caveat", not caveats_got, detail)
    return report


def main() -> None:
    verbose = "-v" in sys.argv
    names = [arg for arg in sys.argv[1:] if not arg.startswith("-")] or ["real_dev"]
    engine = Engine.load()
    for name in names:
        path = Path(name) if name.endswith(".yaml") else SETS_DIR / f"{name}.yaml"
        report = score(engine, load_items(path))
        print(f"# {path.name}")
        report.print(METRICS, misses=verbose, indent="  ")


if __name__ == "__main__":
    main()
