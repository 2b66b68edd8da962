"""What an unauthenticated 50 MB POST to the webhook costs the bot: RSS before and after, and how long it took
to be refused.

    .venv/bin/python benchmarks/bench_webhook_memory.py [--megabytes 50] [--parallel 10] [--code DIR]

Starts `footbot run --webhook-url ...` (its own process, listening on 127.0.0.1) against the fake Bot API,
then sends, in turn: one POST of --megabytes without the secret token; --parallel such POSTs at once; one
with the right secret but a body over the limit (Content-Length given); the same streamed in chunks (no
Content-Length); then one good update, which must still be answered. The bot's resident memory (VmRSS,
from /proc) is printed after each step. With --code DIR the bot runs from another checkout (e.g. one whose
webhook reads the whole body before checking the secret), to compare.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "telegram"))

from fake_bot_api import FakeBotApi, Person  # noqa: E402
from load_scenarios import stop_process  # noqa: E402

SECRET = "bench-webhook-secret"
HOOK = "https://bot.example.org/footbot/hook"
CHUNK = 1024 * 1024


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def sample_peak(pid: int, peak: list[float]) -> None:
    """The highest RSS seen, sampled every 5 ms until cancelled."""
    while True:
        peak[0] = max(peak[0], rss_mb(pid))
        await asyncio.sleep(0.005)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def body(megabytes: int) -> AsyncIterator[bytes]:
    block = b"x" * CHUNK
    for _ in range(megabytes):
        yield block


async def post(session: aiohttp.ClientSession, url: str, megabytes: int, headers: dict[str, str]) -> str:
    """The answer's status, or what broke the connection (the server may close it before the body is sent)."""
    data = body(megabytes) if "Content-Length" not in headers else b"x" * (megabytes * CHUNK)
    try:
        async with session.post(url, data=data, headers=headers) as response:
            return str(response.status)
    except aiohttp.ClientError as error:
        return type(error).__name__


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--parallel", type=int, default=10)
    parser.add_argument("--code", type=Path, default=ROOT, help="run the bot from this checkout")
    args = parser.parse_args()
    port = free_port()
    url = f"http://127.0.0.1:{port}/footbot/hook"
    async with FakeBotApi() as api, contextlib.AsyncExitStack() as stack:
        folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="footbot-webhook-"))
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": api.token,
            "TELEGRAM_BASE_URL": api.base_url,
            "FOOTBOT_DATA_DIR": folder,
            "FOOTBOT_LOG_LEVEL": "WARNING",
            "FOOTBOT_WEBHOOK_SECRET": SECRET,
            "PYTHONPATH": str(args.code.resolve()),
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--webhook-url", HOOK, "--listen", "127.0.0.1", "--port", str(port),
            cwd=args.code.resolve(), env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        try:
            await api.wait_for("setWebhook", within=60)
            await asyncio.sleep(0.5)
            session = await stack.enter_async_context(aiohttp.ClientSession())
            pid = process.pid
            print(f"footbot webhook memory ({args.code.resolve()}); bot RSS at start {rss_mb(pid):.1f} MB")
            steps = [
                (f"1 POST of {args.megabytes} MB, no secret", 1, {}),
                (f"{args.parallel} POSTs of {args.megabytes} MB at once, wrong secret", args.parallel,
                 {"X-Telegram-Bot-Api-Secret-Token": "wrong"}),
                (f"1 POST of {args.megabytes} MB with the secret, Content-Length given", 1,
                 {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Length": str(args.megabytes * CHUNK)}),
                (f"1 POST of {args.megabytes} MB with the secret, streamed (no Content-Length)", 1,
                 {"X-Telegram-Bot-Api-Secret-Token": SECRET}),
            ]  # fmt: skip
            for label, count, headers in steps:
                before = rss_mb(pid)
                peak = [before]
                sampler = asyncio.create_task(sample_peak(pid, peak))
                started = time.perf_counter()
                statuses = await asyncio.gather(*(post(session, url, args.megabytes, headers) for _ in range(count)))
                seconds = time.perf_counter() - started
                await asyncio.sleep(0.2)
                sampler.cancel()
                after = rss_mb(pid)
                print(
                    f"  {label}: answered {sorted(set(statuses))} in {seconds:.2f} s; RSS {before:.1f} MB before, "
                    f"peak {peak[0]:.1f} MB ({peak[0] - before:+.1f} MB), {after:.1f} MB after"
                )
            ann = Person(api, 1001)
            update = {"update_id": 1, "message": ann.text_message("which toe helps earache")}
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
            async with session.post(url, data=json.dumps(update), headers=headers) as response:
                status = response.status
            [reply] = await api.wait_for("sendMessage", chat_id=ann.chat_id)
            print(f"  then a good update: {status}, answered ({'little toe' in reply.text}); RSS {rss_mb(pid):.1f} MB")
        finally:
            await stop_process(process, 15)


if __name__ == "__main__":
    asyncio.run(main())
