"""How many real mentions of pregnancy, diabetes or a heart condition get their caveat, and how many lookalikes stay
clean: tests/sets/safety_mentions.yaml, sentences people wrote on public pages in their own words.

A yardstick for curators of knowledge/safety.yaml: a rule added for one phrasing should lift the mentions and leave the
lookalikes alone. Every reply is the whole engine's (`footbot ask --json` caveats), not the safety rules' alone.

    .venv/bin/python benchmarks/safety_mentions.py [-v] [--set safety_mentions_holdout]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.engine import Engine  # noqa: E402

SETS = ROOT / "tests" / "sets"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", action="store_true", help="list every miss and every needless caveat")
    parser.add_argument("--set", default="safety_mentions", help="which set of tests/sets/ (safety_mentions_holdout)")
    args = parser.parse_args()
    engine = Engine.load()
    found: dict[str, list[int]] = {}
    clean = [0, 0]
    for item in yaml.safe_load((SETS / f"{args.set}.yaml").read_text(encoding="utf-8")):
        got = set(engine.reply(item["text"]).conditions)
        if item["lookalike"]:
            clean[0] += not got
            clean[1] += 1
            if got and args.v:
                print(f"  needless {sorted(got)}: {item['text']!r}")
            continue
        for condition in item["conditions"]:
            tally = found.setdefault(condition, [0, 0])
            tally[0] += condition in got
            tally[1] += 1
            if condition not in got and args.v:
                print(f"  missed {condition}: {item['text']!r}")
    for condition, (hit, total) in sorted(found.items()):
        print(f"{condition:10} caveat on {hit}/{total} mentions ({hit / total:.1%})")
    print(f"lookalikes clean {clean[0]}/{clean[1]} ({clean[0] / clean[1]:.1%})")


if __name__ == "__main__":
    main()
