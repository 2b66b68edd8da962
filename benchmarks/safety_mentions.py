"""How many real mentions of pregnancy, diabetes or a heart condition get their caveat, and how many lookalikes stay
clean: tests/sets/safety_mentions*.yaml, sentences people wrote on public pages in their own words.

A yardstick for curators of knowledge/safety.yaml: a rule added for one phrasing should lift the mentions and leave the
lookalikes alone. The verdicts are tests/core/mentions_set.py's (the whole reply's caveats, as `footbot ask --json`
gives them).

    .venv/bin/python benchmarks/safety_mentions.py [-v] [--set safety_mentions_holdout_4]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.engine import Engine  # noqa: E402
from tests.core.dev_set import SETS_DIR, load_items  # noqa: E402
from tests.core.mentions_set import METRICS, score_mentions  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", action="store_true", help="list every miss and every needless caveat")
    parser.add_argument("--set", default="safety_mentions", help="which set of tests/sets/ (safety_mentions_holdout_4)")
    args = parser.parse_args()
    report = score_mentions(Engine.load(), load_items(SETS_DIR / f"{args.set}.yaml"))
    report.print(METRICS, misses=args.v)


if __name__ == "__main__":
    main()
