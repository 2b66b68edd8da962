"""Load and fault runs: simulated users write to `footbot run` (its own process) through the fake Bot API.

    .venv/bin/python benchmarks/bench_load.py [--users 1000] [--messages 10] [--rate 400]
        [--scenario all|baseline|429|502|reset|sigterm|kill9] [--quick] [--api-latency-ms 0] [--stop-grace 10]

Each user asks real-style questions (texts of tests/sets/dev_1.yaml), one message every users/rate seconds
(1,000 users at 400 messages/s: every 2.5 s), and never writes again before the previous message was
answered (unless it waited 15 s). Scenarios, each with a fresh bot process and data folder:
  baseline   the steady load alone;
  429        a storm of 429 retry_after=1 answers to 200 sendMessage calls at 40% of the run;
  502        four bursts of 502, in turn to sendMessage (0.25 s worth of calls) and to getUpdates
             (3 calls in a row);
  reset      the run in four waves; as each lull starts, the bot's getUpdates hangs 2.5 s (nothing to
             deliver) and then has its connection reset;
  sigterm    a burst (two messages per user, each sendMessage taking 20 ms), SIGTERM once a quarter is
             answered (SIGKILL if not gone after --stop-grace s, as `docker stop`), then a second process
             on the same data folder; every message should end with exactly one reply;
  kill9      the same burst, but SIGKILL (kill -9) instead of SIGTERM: the second process handles what the
             first fetched and never answered (the update journal); again one reply per message.
A message is answered when a sendMessage with its reply reached its chat; latency runs from the update
being queued on the fake API to that first reply. Errors are the bot's ERROR lines plus API calls the
fake refused that were not injected faults. Every run stops by itself; everything stays on 127.0.0.1.
The fake API keeps each update until a later getUpdates offset confirms it, as Telegram does, so an
update a process fetched but never confirmed is delivered again to the next one.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load_scenarios
from load_scenarios import (
    SCENARIOS,
    BotProcess,
    FakeBotApi,
    Question,
    Result,
    Setting,
    calibrate,
    pin,
    plan_conversations,
)

ROOT = Path(__file__).resolve().parents[1]
DEV_SET = ROOT / "tests" / "sets" / "dev_1.yaml"


def dev_set_texts() -> list[str]:
    """Questions whose reply does not depend on what the same chat asked before, so that each reply tells
    which message it answers: none names a condition (it would ride on later answers), and none reads as a
    follow-up of any other (after a restart the chat's context is gone, so either reading could come)."""
    from bot.core.conversation import ChatContext
    from bot.core.engine import Engine

    engine = Engine.load()
    items = yaml.safe_load(DEV_SET.read_text(encoding="utf-8"))
    texts = list(dict.fromkeys(str(item["text"]) for item in items if not item.get("caveats")))
    alone = {text: engine.reply(text).plain_text() for text in texts}
    contexts = []
    for text in texts:
        context = ChatContext()
        engine.reply(text, context)
        contexts.append(context)
    return [
        text
        for text in texts
        if all(engine.reply(text, copy.copy(context)).plain_text() == alone[text] for context in contexts)
    ]


async def learn_replies(scratch: Path) -> tuple[list[Question], int]:
    """Each dev-set text asked once of a bot of its own: the reply each question gets."""
    async with FakeBotApi() as api:
        api.record_bodies = False
        data_dir = scratch / "data-calibration"
        data_dir.mkdir()
        bot = BotProcess(api, data_dir, scratch / "calibration.log")
        await bot.start()
        try:
            return await calibrate(api, dev_set_texts())
        finally:
            await bot.stop()


def summary_line(result: Result) -> str:
    latencies = result.latencies_ms
    p50 = statistics.median(latencies) if latencies else float("nan")
    p99 = latencies[int(0.99 * (len(latencies) - 1))] if latencies else float("nan")
    answered = 100 * (result.sent - result.never) / result.sent if result.sent else 0.0
    return (
        f"{result.scenario:<10} sent {result.sent:>6}  answered {answered:6.2f}%  "
        f"p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  errors {result.errors:>4}  "
        f"never answered {result.never}  duplicates {result.doubled}  ({result.seconds:.1f} s)"
    )


def detail_lines(result: Result, verbose: bool) -> list[str]:
    lines = list(result.details)
    unmatched = sum(result.ledger.unmatched.values())
    if unmatched:
        lines.append(f"{unmatched} sendMessage not matching the question's reply (an apology?)")
    levels = {level: sum(n for (lvl, _), n in result.log.items() if lvl == level) for level in ("WARNING", "ERROR")}
    lines.append(
        f"bot log: {levels['WARNING']} warnings, {levels['ERROR']} errors; refused API calls {result.rejected}"
    )
    if verbose:
        lines += [f"  {n:>5} x {level} {what}" for (level, what), n in result.log.most_common(12)]
        lines += [f"  {n:>5} x {method} -> {status}" for (method, status), n in sorted(result.api_statuses.items())]
        timeline = "  ".join(f"{at:.0f}s:{ms:.0f}" for at, ms in result.latency_timeline())
        lines.append(f"  median latency (ms) of the messages sent in each 2 s: {timeline}")
    return [f"           {line}" for line in lines]


def keep_logs(scratch: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for log in scratch.glob("*.log"):
        shutil.copy(log, target / log.name)


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, help="simulated users, one private chat each (default 1000)")
    parser.add_argument("--messages", type=int, help="messages per user (default 10)")
    parser.add_argument("--rate", type=float, help="messages offered per second in all (default 400; --quick: 40)")
    parser.add_argument("--scenario", choices=("all", *SCENARIOS), default="all")
    parser.add_argument("--quick", action="store_true", help="100 users x 3 at 40/s: checks the script works")
    parser.add_argument(
        "--api-latency-ms", type=float, default=0.0, help="each sendMessage takes this long (a network round trip)"
    )
    parser.add_argument(
        "--stop-grace", type=float, default=10.0, help="seconds from SIGTERM to SIGKILL (default 10, as docker stop)"
    )
    parser.add_argument("--seed", type=int, default=7, help="which questions each user asks")
    parser.add_argument("--verbose", action="store_true", help="also the bot's log lines and API answers by method")
    parser.add_argument("--logs", metavar="DIR", help="keep the bots' logs (WARNING and up) in DIR")
    parser.add_argument("--code", metavar="DIR", type=Path, help="run the bot from this checkout (to compare)")
    args = parser.parse_args()
    if args.code:
        load_scenarios.BOT_CODE = args.code.resolve()
    users = args.users or (100 if args.quick else 1000)
    per_user = args.messages or (3 if args.quick else 10)
    rate = args.rate or (40.0 if args.quick else 400.0)
    pinned = pin(os.getpid(), 1)

    with tempfile.TemporaryDirectory(prefix="footbot-load-") as folder:
        scratch = Path(folder)
        started = time.monotonic()
        questions, left_out = await learn_replies(scratch)
        distinct = len({question.reply for question in questions})
        plan = plan_conversations(questions, users, per_user, args.seed)
        setting = Setting(plan, rate, scratch, args.api_latency_ms / 1000, args.stop_grace)
        where = "bot pinned to one core, fake API and users to the other" if pinned else "not pinned"
        latency = f"sendMessage taking {args.api_latency_ms:.0f} ms more" if args.api_latency_ms else "loopback"
        print(
            f"footbot load and fault runs: {users} users x {per_user} messages at {rate:.0f} msg/s offered, "
            f"{latency} ({where}); {len(questions)} dev-set questions with {distinct} distinct replies "
            f"({left_out} left out: not answered by exactly one sendMessage)",
            flush=True,
        )
        chosen = SCENARIOS if args.scenario == "all" else {args.scenario: SCENARIOS[args.scenario]}
        for run in chosen.values():
            result = await run(setting)
            print(summary_line(result), flush=True)
            print("\n".join(detail_lines(result, args.verbose)), flush=True)
        print(f"all done in {time.monotonic() - started:.0f} s", flush=True)
        if args.logs:
            keep_logs(scratch, Path(args.logs))
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
