"""Common English words the safety rules would read as a condition or a red flag only as a typo of a term.

A term word of six letters or more also matches one or two typos away ("pregnent"), so an everyday word that lies
that close to one ("choosing" and "choking", "students" and "stents") would raise a caveat, or the emergency
reply, in a message that names nothing. Run this after adding terms to knowledge/safety.yaml: every word it prints
either goes into `everyday_words` there, or is left out on purpose in the cautious direction (the comment above
the list names those). Reads the most common words of English from wordfreq, which is not a dependency of footbot:

    .venv/bin/pip install wordfreq
    .venv/bin/python benchmarks/everyday_words.py [--top 60000]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.engine import Engine  # noqa: E402
from bot.core.text import normalise  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=60000, help="how many of the most common words to read")
    args = parser.parse_args()
    try:
        from wordfreq import top_n_list
    except ImportError:
        sys.exit("needs wordfreq: .venv/bin/pip install wordfreq")
    safety = Engine.load().safety
    found = 0
    for rank, typed in enumerate(top_n_list("en", args.top), start=1):
        word = normalise(typed)
        if len(word) < 4 or not word.isalpha():
            continue
        conditions, red_flag = safety.scan(word)
        if not (conditions or red_flag):
            continue
        typo_of = safety.typo_of(word)
        if typo_of is not None:
            found += 1
            read = ", ".join([condition.value for condition in conditions] + ["red flag"] * red_flag)
            print(f"{rank:6}  {word:20} {read:24} (as a typo of '{typo_of}')")
    print(f"{found} of the {args.top:,} commonest words read as a condition or red flag only as a typo")


if __name__ == "__main__":
    main()
