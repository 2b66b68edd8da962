"""Answer speed and memory of the core, against a naive rapidfuzz loop over every phrasing.

Prints: latency p50/p99 of a whole answer (match + safety + reply, in process), answers per second, cold start
to first answer (a fresh interpreter: imports, YAML load, index build, one answer), peak RSS of that process,
and the same latency for `process.extractOne(q, all_phrasings, scorer=WRatio)` as a ratio.

    .venv/bin/python benchmarks/bench_answers.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import timeit
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.engine import Engine  # noqa: E402
from bot.core.text import normalise  # noqa: E402

COLD_START = """
import resource, sys, time, json
t0 = time.perf_counter()
from bot.core.engine import Engine
engine = Engine.load()
engine.reply("which toe helps earache")
elapsed = time.perf_counter() - t0
rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
first_pass = []
for text in json.load(sys.stdin):
    start = time.perf_counter_ns()
    engine.reply(text)
    first_pass.append((time.perf_counter_ns() - start) / 1000)
print(json.dumps({"cold_s": elapsed, "rss_mb": rss_mb, "first_pass_us": first_pass}))
"""


def held_out_questions(pattern: str = "holdout_*.yaml") -> list[str]:
    """Messages nobody tuned on: the fairest sample of what real users will send (`real_holdout_*.yaml`: real
    people's questions, longer and more often beyond the guide, so more of them take the slower no-answer path)."""
    paths = sorted((ROOT / "tests" / "sets").glob(pattern))
    return [item["text"] for path in paths for item in yaml.safe_load(path.read_text(encoding="utf-8"))]


def first_pass(texts: list[str]) -> dict[str, Any]:
    """Cold start, peak RSS and each text's time, in a fresh process that has seen none of `texts`."""
    return json.loads(
        subprocess.run(
            [sys.executable, "-c", COLD_START],
            cwd=ROOT,
            input=json.dumps(texts),
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )


def questions() -> list[str]:
    dev_set = ROOT / "tests" / "sets" / "dev_1.yaml"
    items = yaml.safe_load(dev_set.read_text(encoding="utf-8")) if dev_set.exists() else []
    return [item["text"] for item in items] or ["which toe helps earache", "im pregnant can i do this"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def time_each(function, texts: list[str], rounds: int) -> list[float]:  # type: ignore[no-untyped-def]
    """Each text's time, every round. The cache of normalised messages is emptied before each one: real
    messages rarely repeat, so no round may be answered from the last (caches of words stay: they do fill)."""
    samples = []
    for _ in range(rounds):
        for text in texts:
            normalise.cache_clear()
            start = time.perf_counter_ns()
            function(text)
            samples.append((time.perf_counter_ns() - start) / 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="passes over the dev set questions")
    args = parser.parse_args()

    cold = first_pass(held_out_questions())
    real = held_out_questions("real_holdout_*.yaml")
    real_first = first_pass(real)["first_pass_us"] if real else []
    engine = Engine.load()
    texts = questions()
    engine.matcher._mend_kept.cache_clear()
    ours = time_each(engine.reply, texts, args.rounds)
    phrasings = [phrasing for entry in engine.kb.entries for phrasing in entry.phrasings]
    naive = time_each(lambda q: process.extractOne(q, phrasings, scorer=fuzz.WRatio), texts, max(1, args.rounds // 4))

    ours_p50, ours_p99 = percentile(ours, 0.50), percentile(ours, 0.99)
    naive_p50, naive_p99 = percentile(naive, 0.50), percentile(naive, 0.99)
    calibration = min(timeit.repeat("sum(range(1000))", number=2000, repeat=5)) / 2000 * 1e6
    print(f"machine speed: sum(range(1000)) takes {calibration:.1f} us here (a current laptop: ~8-10 us)")
    print(f"questions: {len(texts)} x {args.rounds} rounds; phrasings in the knowledge base: {len(phrasings)}")
    print(f"footbot answer latency: p50 {ours_p50:.1f} us, p99 {ours_p99:.1f} us, mean {statistics.fmean(ours):.1f} us")
    print(f"footbot answers per second: {1e6 / statistics.fmean(ours):,.0f}")
    print(f"naive WRatio extractOne:    p50 {naive_p50:.1f} us, p99 {naive_p99:.1f} us")
    mean_ratio = statistics.fmean(naive) / statistics.fmean(ours)
    print(f"speed-up over naive: p50 x{naive_p50 / ours_p50:.1f}, mean x{mean_ratio:.1f}")
    first = cold["first_pass_us"]
    print(
        f"first pass over {len(first)} held-out messages in a fresh process (never seen):"
        f" p50 {percentile(first, 0.50):.1f} us, p99 {percentile(first, 0.99):.1f} us"
    )
    if real_first:
        print(
            f"first pass over {len(real_first)} held-out real people's questions in a fresh process (never seen):"
            f" p50 {percentile(real_first, 0.50):.1f} us, p99 {percentile(real_first, 0.99):.1f} us"
        )
    print(f"cold start to first answer: {cold['cold_s'] * 1000:.0f} ms")
    print(f"peak RSS of that process: {cold['rss_mb']:.1f} MB")


if __name__ == "__main__":
    main()
