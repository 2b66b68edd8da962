"""Reminder benchmark: start-up with 100,000 subscribers, and the send rate under a 30 messages/s cap.

    .venv/bin/python benchmarks/bench_reminders.py [--subscribers 100000] [--due 600] [--cap 30]

Three processes, as in production: this one prepares a data folder (N subscribers, of which `--due`
are due in the same minute), a fake Bot API (its own process) answers 429 above `--cap` sendMessage
calls in any one second, and the bot (its own process, a clean interpreter) measures:
  1. start: time and memory (RSS growth) from opening the store to the end of the first sweep, that
     is everything `post_init` does for reminders, with all subscribers stored and none due;
  2. send: the clock moves to the due minute; time until every due reminder was sent, the achieved
     rate against the cap (as the fake API saw it), and how many 429s were met.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from datetime import time as clock_time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "telegram"))

DUE_AT = clock_time(22, 30)
SETUP_NOW = int(datetime(2025, 6, 10, 22, 29, tzinfo=UTC).timestamp())  # everyone else is due later
BEFORE_DUE = SETUP_NOW + 30
AT_DUE = int(datetime(2025, 6, 10, 22, 30, 1, tzinfo=UTC).timestamp())
ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=600, help="how many are due in the same minute")
    parser.add_argument("--cap", type=int, default=30, help="sendMessage calls per second the fake API allows")
    parser.add_argument("--role", choices=("bench", "fake-api", "bot"), default="bench", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--port-file", help=argparse.SUPPRESS)
    parser.add_argument("--port", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role == "fake-api":
        asyncio.run(_serve_fake_api(args.cap, Path(args.port_file)))
        return 0
    if args.role == "bot":
        print(json.dumps(asyncio.run(_bot_process(Path(args.data), args.port))))
        return 0
    return _bench(args.subscribers, args.due, args.cap)


# ---- orchestration ----------------------------------------------------------------------------------


def _bench(subscribers: int, due: int, cap: int) -> int:
    with tempfile.TemporaryDirectory(prefix="footbot-bench-") as scratch:
        data_dir = Path(scratch) / "data"
        took = _prepare(data_dir, subscribers, due)
        size = sum(path.stat().st_size for path in data_dir.iterdir())
        print(
            f"Prepared {subscribers:,} subscribers ({due} due at 22:30 UTC) in {took:.1f} s; "
            f"database {size / 1e6:.1f} MB"
        )
        port_file = Path(scratch) / "port"
        server = subprocess.Popen(
            [sys.executable, __file__, "--role", "fake-api", "--cap", str(cap), "--port-file", str(port_file)]
        )
        try:
            while not port_file.exists() or not port_file.read_text().strip():
                time.sleep(0.05)
            port = port_file.read_text().strip()
            result = subprocess.run(
                [sys.executable, __file__, "--role", "bot", "--data", str(data_dir), "--port", port],
                check=False,
                capture_output=True,
                text=True,
            )
        finally:
            server.terminate()
            server.wait(timeout=10)
    if result.returncode != 0:
        print(result.stderr, file=sys.stderr)
        return 1
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    _report(figures, subscribers, due, cap)
    return 0


def _prepare(data_dir: Path, subscribers: int, due: int) -> float:
    """N subscribers in a few zones; `due` of them at 22:30 UTC, the others at odd minutes (never due then)."""
    from bot.store import Store

    started = time.perf_counter()
    with Store.open(data_dir) as store:
        for chat_id in range(due, subscribers):
            if chat_id % 20 == 0:
                store.set_zone(chat_id, ZONES[chat_id % len(ZONES)], SETUP_NOW)
        others = ((chat_id, clock_time(chat_id % 24, chat_id % 30 * 2 + 1)) for chat_id in range(due, subscribers))
        store.set_reminders(others, SETUP_NOW)
        store.set_reminders(((chat_id, DUE_AT) for chat_id in range(due)), SETUP_NOW)
        store.checkpoint()
    return time.perf_counter() - started


def _report(figures: dict[str, Any], subscribers: int, due: int, cap: int) -> None:
    start, send = figures["start"], figures["send"]
    print()
    print(f"Start with {subscribers:,} subscribers ({start['reminders']:,} active):")
    print(f"  open store + schedule + first sweep: {start['seconds']:.3f} s (limit 2 s)")
    print(f"    of which opening the store (integrity check, migrations): {start['open_seconds']:.3f} s")
    print(f"  memory: +{start['rss_growth_mb']:.1f} MB RSS (limit 100 MB); process total {start['rss_mb']:.0f} MB")
    print(f"Sending {due} reminders due in the same minute, fake API capped at {cap}/s:")
    print(f"  sent {send['sent']} ({send['outcomes']}) in {send['seconds']:.2f} s")
    rate = send["server_rate"]
    print(f"  achieved rate: {rate:.2f}/s = {100 * rate / cap:.1f}% of the cap (target >= 95%)")
    print(f"  429 answers met: {send['rejected']}; chats that got more than one: {send['doubles']}")


# ---- the fake Bot API process -----------------------------------------------------------------------


async def _serve_fake_api(cap: int, port_file: Path) -> None:
    from fake_bot_api import FakeBotApi

    class CountingApi(FakeBotApi):
        async def _api_benchStats(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
            sends = [call for call in self.calls if call.method == "sendMessage"]
            accepted = [call for call in sends if call.ok]
            return {
                "accepted": len(accepted),
                "rejected": sum(1 for call in sends if call.status == 429),
                "first": accepted[0].at if accepted else 0.0,
                "last": accepted[-1].at if accepted else 0.0,
                "distinct_chats": len({call.chat_id for call in accepted}),
            }

    api = CountingApi()
    api.record_bodies = False
    api.cap_rate("sendMessage", per_second=cap)
    await api.start()
    await asyncio.to_thread(port_file.write_text, str(api.port))
    await asyncio.Event().wait()


# ---- the bot process ------------------------------------------------------------------------------


def _rss_mb() -> float:
    with Path("/proc/self/status").open() as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


async def _bot_process(data_dir: Path, port: str | None) -> dict[str, Any]:
    import httpx
    from fake_bot_api import DEFAULT_TOKEN

    from bot.config import DEFAULT_KNOWLEDGE_DIR, Settings
    from bot.core.engine import Engine
    from bot.store import Store
    from bot.telegram_app import delivery, reminders
    from bot.telegram_app.app import build_application

    base = f"http://127.0.0.1:{port}"
    settings = Settings(
        token=DEFAULT_TOKEN,
        base_url=f"{base}/bot",
        base_file_url=f"{base}/file/bot",
        data_dir=data_dir,
        knowledge_dir=DEFAULT_KNOWLEDGE_DIR,
    )
    now = [float(BEFORE_DUE)]
    application = build_application(settings, Engine.load(DEFAULT_KNOWLEDGE_DIR))
    application.bot_data[reminders.CLOCK] = lambda: now[0]
    await application.initialize()

    rss_before = _rss_mb()
    started = time.perf_counter()
    Store.open(data_dir).close()  # the cold part alone: integrity check and migrations
    open_seconds = time.perf_counter() - started
    started = time.perf_counter()
    await delivery.on_startup(application)
    first = await delivery.sweep_now(application)
    start_seconds = time.perf_counter() - started
    rss_after = _rss_mb()
    store: Store = application.bot_data[reminders.STORE]
    assert not first, f"nothing should be due yet: {first}"

    now[0] = float(AT_DUE)
    started = time.perf_counter()
    outcomes = await delivery.sweep_now(application)
    send_seconds = time.perf_counter() - started
    async with httpx.AsyncClient() as client:
        stats = (await client.post(f"{base}/bot{DEFAULT_TOKEN}/benchStats")).json()["result"]
    active = store.count_reminders()
    await delivery.on_shutdown(application)
    await application.shutdown()
    accepted = stats["accepted"]
    span = stats["last"] - stats["first"]
    return {
        "start": {
            "seconds": start_seconds,
            "open_seconds": open_seconds,
            "rss_growth_mb": rss_after - rss_before,
            "rss_mb": rss_after,
            "reminders": active,
        },
        "send": {
            "sent": accepted,
            "outcomes": {str(outcome): count for outcome, count in outcomes.items()},
            "seconds": send_seconds,
            "server_rate": (accepted - 1) / span if span > 0 else 0.0,
            "rejected": stats["rejected"],
            "doubles": int(stats["distinct_chats"] != accepted),
        },
    }


if __name__ == "__main__":
    raise SystemExit(main())
