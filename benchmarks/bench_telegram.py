"""End-to-end Telegram benchmark: fake Bot API -> `footbot run` (its own process, one core) -> reply received.

Two runs against the same bot process:
  1. throughput: N updates from many chats queued at once; updates per second until the last reply.
  2. latency: updates offered at a steady rate; time from an update being queued on the fake API
     to the bot's sendMessage for it arriving there (p50, p99, max).

    .venv/bin/python benchmarks/bench_telegram.py [--updates 5000] [--chats 1000] [--rate 1000]
        [--no-journal] [--code DIR]

--no-journal runs the bot with its update journal left unattached (nothing written to SQLite per update),
to price the journal; --code DIR runs the bot from another checkout (e.g. an older commit) to compare.

The bot process is pinned to one CPU core and the fake API to another (when the machine has two);
CPU seconds used by the bot are read from /proc, so "per core" is measured, not assumed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict, deque
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "telegram"))

from fake_bot_api import ApiCall, FakeBotApi, Person  # noqa: E402
from load_scenarios import pin as _pin  # noqa: E402  (this folder is on sys.path when a script here runs)
from load_scenarios import stop_process  # noqa: E402

# A realistic mix: questions answered from the guide, one it cannot answer, and two commands.
MESSAGES = (
    "which toe helps earache",
    "how do i give a foot massage?",
    "what are the benefits of a foot massage before bed",
    "what is the capital of france",
    "/start",
    "is it ok if i'm diabetic?",
    "/help",
    "thanks!",
)


class ReplyClock:
    """Matches each sendMessage to the oldest unanswered update of its chat (the bot keeps per-chat order)."""

    def __init__(self) -> None:
        self.queued: dict[int, deque[float]] = defaultdict(deque)
        self.latencies: list[float] = []
        self.first_queued = 0.0
        self.last_reply = 0.0
        self.expected = 0
        self.done = asyncio.Event()

    def queue(self, chat_id: int, at: float) -> None:
        self.queued[chat_id].append(at)

    def on_call(self, call: ApiCall) -> None:
        if call.method != "sendMessage" or not call.ok:
            return
        waiting = self.queued.get(call.params.get("chat_id"))  # type: ignore[arg-type]
        if not waiting:
            return
        now = time.perf_counter()
        self.latencies.append(now - waiting.popleft())
        self.last_reply = now
        if len(self.latencies) >= self.expected:
            self.done.set()


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_rss_mb(pid: int) -> float | None:
    """The process's peak resident memory so far (VmHWM), from /proc; None where there is none."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


# The bot with its journal never attached to the store: what footbot did before it had one.
WITHOUT_JOURNAL = (
    "import sys; from bot.telegram_app.journal import UpdateJournal; "
    "UpdateJournal.attach = lambda self, store: None; from bot.cli import main; sys.exit(main(['run']))"
)


async def _start_bot(
    api: FakeBotApi, data_dir: Path, profile: str | None, journal: bool = True, code: Path = ROOT
) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_BASE_URL": api.base_url,
        "FOOTBOT_DATA_DIR": str(data_dir),
        "FOOTBOT_LOG_LEVEL": "WARNING",
    }
    profiler = ["-m", "cProfile", "-o", profile] if profile else []
    command = ["-m", "bot", "run"] if journal else ["-c", WITHOUT_JOURNAL]
    return await asyncio.create_subprocess_exec(
        sys.executable, *profiler, *command, cwd=code, env={**env, "PYTHONPATH": str(code)},
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip


def _updates(people: list[Person], count: int, clock: ReplyClock) -> list[dict[str, Any]]:
    texts = itertools.cycle(MESSAGES)
    chats = itertools.cycle(people)
    batch = []
    for _ in range(count):
        person = next(chats)
        batch.append({"message": person.text_message(next(texts))})
    clock.expected = len(clock.latencies) + count
    return batch


async def _throughput(api: FakeBotApi, people: list[Person], count: int, pid: int) -> dict[str, float]:
    clock = ReplyClock()
    api.on_call(clock.on_call)
    updates = _updates(people, count, clock)
    cpu_before = _cpu_seconds(pid)
    clock.first_queued = time.perf_counter()
    for update in updates:
        clock.queue(update["message"]["chat"]["id"], clock.first_queued)
    api.enqueue_nowait(updates)
    await api.wake()
    await asyncio.wait_for(clock.done.wait(), 300)
    elapsed = clock.last_reply - clock.first_queued
    cpu = _cpu_seconds(pid) - cpu_before
    api.off_call(clock.on_call)
    return {"updates": count, "seconds": elapsed, "per_second": count / elapsed, "bot_cpu_seconds": cpu}


async def _latency(api: FakeBotApi, people: list[Person], rate: int, seconds: float, pid: int) -> dict[str, float]:
    clock = ReplyClock()
    api.on_call(clock.on_call)
    tick = 0.01
    per_tick = max(1, round(rate * tick))
    ticks = int(seconds / tick)
    clock.expected = per_tick * ticks
    cpu_before = _cpu_seconds(pid)
    start = time.perf_counter()
    for number in range(ticks):
        updates = _updates(people, per_tick, clock)
        clock.expected = per_tick * ticks
        now = time.perf_counter()
        for update in updates:
            clock.queue(update["message"]["chat"]["id"], now)
        api.enqueue_nowait(updates)
        await api.wake()
        await asyncio.sleep(max(0.0, start + (number + 1) * tick - time.perf_counter()))
    await asyncio.wait_for(clock.done.wait(), 300)
    cpu = _cpu_seconds(pid) - cpu_before
    api.off_call(clock.on_call)
    latencies = sorted(clock.latencies)
    return {
        "offered_per_second": per_tick / tick,
        "updates": len(latencies),
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
        "max_ms": 1000 * latencies[-1],
        "bot_cpu_share": cpu / (clock.last_reply - start),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--updates", type=int, default=5000, help="updates in the throughput run")
    parser.add_argument("--chats", type=int, default=1000, help="distinct private chats sending them")
    parser.add_argument("--rate", type=int, default=1000, help="offered updates per second in the latency run")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of the latency run (0: skip it)")
    parser.add_argument("--repeat", type=int, default=1, help="throughput runs (machines shared with others are noisy)")
    parser.add_argument("--verbose", action="store_true", help="also print the API calls made, by method")
    parser.add_argument("--profile", metavar="FILE", help="run the bot under cProfile, writing stats to FILE")
    parser.add_argument("--no-journal", action="store_true", help="run the bot without its update journal")
    parser.add_argument("--code", metavar="DIR", type=Path, default=ROOT, help="run the bot from this checkout")
    args = parser.parse_args()

    pinned = _pin(os.getpid(), 1)
    api = FakeBotApi()
    api.record_bodies = False
    await api.start()
    data_dir = tempfile.TemporaryDirectory(prefix="footbot-bench-")
    process = await _start_bot(api, Path(data_dir.name), args.profile, not args.no_journal, args.code.resolve())
    pinned = _pin(process.pid, 0) and pinned
    people = [Person(api, 10_000 + number) for number in range(args.chats)]
    try:
        await api.wait_for("setMyCommands", count=2, within=60)
        await api.wait_for("deleteWebhook", within=30)
        await asyncio.sleep(0.5)  # the first long poll is under way
        await _throughput(api, people, min(500, args.updates), process.pid)  # warm-up
        runs = [await _throughput(api, people, args.updates, process.pid) for _ in range(args.repeat)]
        latency = await _latency(api, people, args.rate, args.seconds, process.pid) if args.seconds else None
        peak_rss = _peak_rss_mb(process.pid)
    finally:
        await stop_process(process, 15)
        await api.stop()
        data_dir.cleanup()
    if args.verbose:
        from collections import Counter

        print(Counter((call.method, call.status) for call in api.calls))
    where = "bot pinned to one core, fake API to another" if pinned else "not pinned (one-core machine?)"
    variant = f"code from {args.code}" + (", update journal off" if args.no_journal else "")
    print(f"footbot Telegram end-to-end benchmark ({where}; {args.chats} chats; {variant})")
    for result in runs:
        print(
            f"  throughput: {result['updates']} updates answered in {result['seconds']:.2f} s = "
            f"{result['per_second']:.0f} updates/s (bot used {result['bot_cpu_seconds']:.2f} CPU s, "
            f"{result['updates'] / result['bot_cpu_seconds']:.0f} updates per CPU second)"
        )
    if len(runs) > 1:
        best = max(runs, key=lambda run: run["per_second"])
        print(f"  best of {len(runs)}: {best['per_second']:.0f} updates/s")
    if peak_rss is not None:
        print(f"  peak RSS of the bot process (engine, Telegram libraries, {args.chats} chats): {peak_rss:.1f} MB")
    if latency is None:
        return
    print(
        f"  latency at {latency['offered_per_second']:.0f} updates/s offered for {args.seconds:.0f} s "
        f"({latency['updates']} updates): p50 {latency['p50_ms']:.1f} ms, p99 {latency['p99_ms']:.1f} ms, "
        f"max {latency['max_ms']:.1f} ms; bot CPU {100 * latency['bot_cpu_share']:.0f}% of one core"
    )


if __name__ == "__main__":
    asyncio.run(main())
