"""Every labelled message's reply, to check that a speed or memory change leaves what footbot says untouched.

Answers every message of tests/sets/*.yaml (each on its own; each conversation's turns in order, with its
chat's context) in one process, and writes one JSON line per message: its reply as `footbot ask --json` gives
it, plus the exact score (the JSON rounds it) and the reply's kind. Run it before a change with --save, after
it with --against: it prints how many replies differ (and the first few) and exits 1 when any does.

    .venv/bin/python benchmarks/check_replies.py --save /tmp/replies_before.jsonl
    .venv/bin/python benchmarks/check_replies.py --against /tmp/replies_before.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.conversation import ChatContext  # noqa: E402
from bot.core.engine import Engine  # noqa: E402
from bot.core.replies import Reply  # noqa: E402


def labelled_replies(engine: Engine) -> Iterator[str]:
    """One JSON line per labelled message, in file order."""
    for path in sorted((ROOT / "tests" / "sets").glob("*.yaml")):
        for number, item in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")) or []):
            if "turns" in item:
                context = ChatContext()
                for turn, step in enumerate(item["turns"]):
                    text = str(step["text"])
                    yield _line(path.name, f"{number}.{turn}", text, engine.reply(text, context))
            else:
                yield _line(path.name, str(number), str(item["text"]), engine.reply(str(item["text"])))


def _line(set_name: str, where: str, text: str, reply: Reply) -> str:
    record = {"set": set_name, "at": where, "text": text, "kind": str(reply.kind), "score": repr(reply.score)}
    return json.dumps({**record, "reply": reply.to_json()}, ensure_ascii=False, sort_keys=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--save", type=Path, help="write every reply to this file")
    mode.add_argument("--against", type=Path, help="compare every reply with those saved in this file")
    args = parser.parse_args()

    lines = list(labelled_replies(Engine.load()))
    if args.save:
        args.save.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{len(lines)} replies saved to {args.save}")
        return
    saved = args.against.read_text(encoding="utf-8").splitlines()
    differing = [(old, new) for old, new in zip(saved, lines, strict=False) if old != new]
    print(f"{len(lines)} replies now, {len(saved)} saved; differing: {len(differing) + abs(len(lines) - len(saved))}")
    for old, new in differing[:5]:
        print(f"- {old}\n+ {new}")
    if differing or len(lines) != len(saved):
        sys.exit(1)


if __name__ == "__main__":
    main()
