"""What recognising a feature asked for in words costs each message, and how often it fires on real questions.

Prints: the recogniser's time per message (p50/p99, µs) over every labelled message in tests/sets, its share of
a whole answer's time on the same messages, and how many of those messages it took for a request (by kind).

    .venv/bin/python benchmarks/bench_actions.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.engine import Engine  # noqa: E402


def messages() -> list[str]:
    paths = sorted((ROOT / "tests" / "sets").glob("*.yaml"))
    return [
        item["text"]
        for path in paths
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if isinstance(item, dict) and isinstance(item.get("text"), str)
    ]


def timings_us(call, texts: list[str]) -> list[float]:  # type: ignore[no-untyped-def]
    spent = []
    for text in texts:
        start = time.perf_counter_ns()
        call(text)
        spent.append((time.perf_counter_ns() - start) / 1000)
    return spent


def main() -> None:
    engine = Engine.load()
    texts = messages()
    for text in texts[:200]:  # warm caches, as a running bot's are
        engine.reply(text)
    recognise = timings_us(engine.actions.recognise, texts)
    answer = timings_us(engine.reply, texts)
    fired = Counter(action.do.value for text in texts if (action := engine.actions.recognise(text)) is not None)
    ordered = sorted(recognise)
    print(f"messages: {len(texts)}")
    print(f"recognise: p50 {statistics.median(recognise):.1f} µs, p99 {ordered[int(len(ordered) * 0.99)]:.1f} µs")
    share = sum(recognise) / sum(answer)
    print(f"share of a whole answer: {share:.1%} (answer p50 {statistics.median(answer):.0f} µs)")
    print("taken for a request: " + ", ".join(f"{kind} {count}" for kind, count in fired.most_common()))


if __name__ == "__main__":
    main()
