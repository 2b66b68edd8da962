"""Time zone matching benchmark: building the GeoNames index, its memory, and lookups by kind.

    .venv/bin/python benchmarks/bench_timezones.py [--repeat 5]

In a fresh interpreter: RSS before and after the first `match_zone` (which builds the place index and
the fuzzy key list), the peak RSS while building (the GeoNames JSON is read whole, then dropped), and
the median time of a lookup for exact names, namesakes, countries, typos and not-found words.
Figures are printed, never asserted; on a shared machine treat them as rough.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUERIES: dict[str, tuple[str, ...]] = {
    "exact city": ("berlin", "tokyo", "São Paulo", "zurich", "tromso", "munich"),
    "namesakes": ("kingston", "victoria", "portland", "san jose", "birmingham", "london"),
    "country/state": ("india", "usa", "australia", "texas", "germany"),
    "with qualifier": ("Portland, Maine", "london ontario", "Victoria, BC"),
    "IANA / offset": ("Asia/Kolkata", "UTC+2", "est"),
    "typo": ("berln", "new yrok", "tokio", "philadelpia", "copenhagan", "vancuver"),
    "not found": ("blorptastic", "qwerty", "gibberish", "asdfgh"),
}


def rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from bot.reminders import timezones
    from bot.reminders.places import place_index

    before = rss_mb()
    started = time.perf_counter()
    place_index()
    built = time.perf_counter() - started
    timezones.match_zone("berln")  # the fuzzy key list, and rapidfuzz's first call
    first_total = time.perf_counter() - started
    after = rss_mb()
    index = place_index()
    print(f"index: {len(index.places):,} cities, {len(index.city_names):,} own names, "
          f"{len(index.other_names):,} other names, {len(index.regions):,} region names, "
          f"{len(timezones._fuzzy_keys()):,} names for typos")  # fmt: skip
    print(f"build: place index {built:.2f} s, with the typo key list {first_total:.2f} s")
    print(f"memory: RSS +{after - before:.0f} MB after building (peak RSS {peak_mb():.0f} MB while building)")
    for kind, queries in QUERIES.items():
        times = []
        for text in queries:
            for _ in range(args.repeat):
                begun = time.perf_counter()
                timezones.match_zone(text)
                times.append(time.perf_counter() - begun)
        print(f"lookup {kind:<15} median {statistics.median(times) * 1000:7.2f} ms, max {max(times) * 1000:7.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
