"""Conversations in process: reply latency with a chat's context, and memory with many chats' context alive.

Feeds the conversation sets (tests/sets/conversations_*.yaml) to `chats` chats at once, turns interleaved,
every chat keeping its `ChatContext` in one `Conversations`, as the Telegram bot and `ask --chats` do. Prints
reply latency p50/p99 with context, the memory the contexts take (their objects' sizes), and the peak RSS of the
whole process (engine + knowledge + every context alive).

    .venv/bin/python benchmarks/bench_conversations.py [--chats 1000]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.conversation import MAX_CHATS, ChatContext, Conversations  # noqa: E402
from bot.core.engine import Engine  # noqa: E402
from bot.core.text import normalise  # noqa: E402


def scripts() -> list[list[str]]:
    """Every conversation of both sets, as the list of its messages."""
    found = []
    for name in ("conversations_dev.yaml", "conversations_holdout.yaml"):
        path = ROOT / "tests" / "sets" / name
        found += [[str(turn["text"]) for turn in item["turns"]] for item in yaml.safe_load(path.read_text("utf-8"))]
    return found


def context_bytes(context: ChatContext) -> int:
    """A context's own objects (the ids and enum members it points to are shared with the knowledge)."""
    parts = (context, context.topics, context.conditions, context.caveats_said)
    return sum(sys.getsizeof(part) for part in parts)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=1000, help="chats whose context is alive at once")
    args = parser.parse_args()

    engine = Engine.load()
    conversation_scripts = scripts()
    conversations = Conversations()
    samples: list[float] = []
    longest = max(len(script) for script in conversation_scripts)
    for turn in range(longest):
        for chat in range(args.chats):
            script = conversation_scripts[chat % len(conversation_scripts)]
            if turn >= len(script):
                continue
            normalise.cache_clear()  # real messages rarely repeat
            start = time.perf_counter_ns()
            engine.reply(script[turn], conversations.get(chat))
            samples.append((time.perf_counter_ns() - start) / 1000)
    normalise.cache_clear()
    held = sum(context_bytes(conversations.get(chat)) for chat in range(args.chats))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(
        f"chats alive: {len(conversations)} (bounded: {MAX_CHATS} at most, each dropped 30 min after its last message)"
    )
    p50, p99 = percentile(samples, 0.5), percentile(samples, 0.99)
    print(f"replies with context: {len(samples)}; p50 {p50:.1f} us, p99 {p99:.1f} us")
    print(f"memory held by the contexts: {held / 1024:.0f} KiB, {held / max(1, args.chats):.0f} bytes a chat")
    print(f"peak RSS of this process with {len(conversations)} chats' context alive: {rss_mb:.1f} MB")


if __name__ == "__main__":
    main()
