"""What a heavy message costs: long messages of never-seen words, and the memory a flood of them leaves behind.

Prints: the time of one answer to a 4,096-character message (Telegram's longest) of words never seen before,
p50 and max over fresh messages; the same for a 100,000-character message (only the CLI takes one), a 100,000-
character message of ordinary words, and the same with "pregnant" at its very end (safety reads it all); then the
growth of resident memory after answering 20,000 such 4,096-character messages, each of new words.

    .venv/bin/python benchmarks/bench_heavy.py [--flood 20000]
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import string
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.engine import Engine  # noqa: E402

ORDINARY = [
    "my",
    "feet",
    "ache",
    "after",
    "a",
    "long",
    "day",
    "at",
    "work",
    "and",
    "I",
    "would",
    "love",
    "a",
    "foot",
    "rub",
    "before",
    "bed",
    "tonight",
]


def never_seen(chars: int, rng: random.Random) -> str:
    """Made-up words of 3 to 12 letters (almost all new to every cache), `chars` characters in all."""
    words, length = [], 0
    while length < chars:
        word = "".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 12)))
        words.append(word)
        length += len(word) + 1
    return " ".join(words)[:chars]


def ordinary(chars: int, rng: random.Random) -> str:
    words, length = [], 0
    while length < chars:
        word = rng.choice(ORDINARY)
        words.append(word)
        length += len(word) + 1
    return " ".join(words)[:chars]


def rss_mb() -> float:
    """Resident memory now (Linux /proc), else the peak so far."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_ms(engine: Engine, texts: list[str]) -> list[float]:
    times = []
    for text in texts:
        start = time.perf_counter()
        engine.reply(text)
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(label: str, times: list[float]) -> None:
    print(f"{label}: p50 {statistics.median(times):.2f} ms, max {max(times):.2f} ms ({len(times)} messages)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flood", type=int, default=20000, help="4,096-character messages for the memory figure")
    args = parser.parse_args()
    rng = random.Random(12)
    engine = Engine.load()
    engine.reply("which toe helps earache")
    report("4,096 chars of never-seen words", timed_ms(engine, [never_seen(4096, rng) for _ in range(50)]))
    report("100,000 chars of never-seen words", timed_ms(engine, [never_seen(100_000, rng) for _ in range(5)]))
    report("100,000 chars of ordinary words", timed_ms(engine, [ordinary(100_000, rng) for _ in range(5)]))
    tail = ordinary(100_000, rng) + " and I am pregnant"
    start = time.perf_counter()
    found = engine.reply(tail).conditions
    print(f"100,000 chars with 'pregnant' at the end: {(time.perf_counter() - start) * 1000:.2f} ms, caveats {found}")
    before = rss_mb()
    started = time.perf_counter()
    for _ in range(args.flood):
        engine.reply(never_seen(4096, rng))
    elapsed = time.perf_counter() - started
    after = rss_mb()
    print(
        f"RSS after {args.flood:,} messages of 4,096 never-seen characters: {before:.1f} MB -> {after:.1f} MB"
        f" (+{after - before:.1f} MB; {elapsed / args.flood * 1000:.2f} ms a message incl. making it)"
    )


if __name__ == "__main__":
    main()
