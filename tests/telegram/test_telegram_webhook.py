"""`footbot run --webhook-url ...`: Telegram posts updates to the bot, which checks the secret token before
it reads a byte of the body, refuses bodies over the limit or malformed, and logs no message text.

The webhook server is footbot's own (aiohttp, webhook.py); tornado is not needed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from fake_bot_api import FakeBotApi, Person
from telegram.ext import Application

from bot.config import Settings
from bot.telegram_app import app as telegram_app
from bot.telegram_app.webhook import MAX_BODY_BYTES

pytest.importorskip("bot.cli")

SECRET = "webhook-secret_123"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_webhook_mode_registers_the_hook_and_answers_posted_updates(fake_api: FakeBotApi, tmp_path: Path) -> None:
    port = _free_port()
    output = tmp_path / "footbot.log"
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake_api.token,
        "TELEGRAM_BASE_URL": fake_api.base_url,
        "FOOTBOT_DATA_DIR": str(tmp_path / "data"),
        "FOOTBOT_WEBHOOK_SECRET": SECRET,
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    with output.open("wb") as sink:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--webhook-url", "https://bot.example.org/footbot/hook",
            "--listen", "127.0.0.1", "--port", str(port),
            env=env, stdout=sink, stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
    try:
        [registered] = await fake_api.wait_for("setWebhook", within=30)
        assert registered.params["url"] == "https://bot.example.org/footbot/hook"
        assert registered.params["secret_token"] == SECRET
        ann = Person(fake_api, 1001)
        update = {"update_id": 1, "message": ann.text_message("which toe helps earache")}
        url = f"http://127.0.0.1:{port}/footbot/hook"
        async with aiohttp.ClientSession() as session:
            for _ in range(50):  # the web server starts just after setWebhook
                try:
                    async with session.post(url, json={"update_id": 0}, headers=_secret("wrong")) as response:
                        assert response.status == 403  # a forged request is refused
                        break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)
            async with session.post(url, data=json.dumps(update), headers=_secret(SECRET)) as response:
                assert response.status == 200
        [answer] = await fake_api.wait_for("sendMessage", chat_id=ann.chat_id, within=10)
        assert "little toe" in answer.text
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 15) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    printed = output.read_text()
    assert fake_api.token not in printed and SECRET not in printed


def _secret(token: str) -> dict[str, str]:
    return {"X-Telegram-Bot-Api-Secret-Token": token, "Content-Type": "application/json"}


HOOK_URL = "https://bot.example.org/footbot/hook"


@contextlib.asynccontextmanager
async def serving(application: Application) -> AsyncIterator[str]:
    """The bot in webhook mode in this process, as `footbot run --webhook-url` serves it; yields the local URL."""
    port, stop = _free_port(), asyncio.Event()
    server = asyncio.create_task(telegram_app.serve_webhook(application, HOOK_URL, "127.0.0.1", port, SECRET, stop))
    try:
        for _ in range(200):
            with contextlib.suppress(OSError):
                _, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
                break
            await asyncio.sleep(0.05)
        yield f"http://127.0.0.1:{port}/footbot/hook"
    finally:
        stop.set()
        await asyncio.wait_for(server, 15)


@pytest.fixture
async def hook(settings: Settings, engine: Any) -> AsyncIterator[str]:
    async with serving(telegram_app.build_application(settings, engine)) as url:
        yield url


async def _raw_request(url: str, head: dict[str, str], body: bytes = b"", within: float = 5.0) -> int:
    """Sends the request line, headers and `body` (which may be far less than Content-Length says) and
    returns the status of the answer: the server answering without waiting for the rest is the point."""
    address = url.split("//", 1)[1]
    host_port, path = address.split("/", 1)
    host, port = host_port.split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        lines = [f"POST /{path} HTTP/1.1", f"Host: {host_port}", *(f"{k}: {v}" for k, v in head.items()), "", ""]
        writer.write("\r\n".join(lines).encode() + body)
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), within)
        return int(status_line.split()[1])
    finally:
        writer.close()


async def test_a_request_without_the_secret_gets_403_before_its_body_is_sent(hook: str) -> None:
    fifty_mb = str(50 * 1024 * 1024)
    started = time.monotonic()
    for head in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
        status = await _raw_request(hook, {**head, "Content-Type": "application/json", "Content-Length": fifty_mb})
        assert status == 403
    assert time.monotonic() - started < 5  # answered at once, not after waiting for 50 MB that never came


async def test_a_body_over_the_limit_gets_413_unread_or_as_soon_as_it_passes_the_limit(hook: str) -> None:
    head = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    declared = await _raw_request(hook, {**head, "Content-Length": str(MAX_BODY_BYTES + 1)})
    assert declared == 413
    chunk = b"x" * 65536
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(MAX_BODY_BYTES // len(chunk) + 2))
    streamed = await _raw_request(hook, {**head, "Transfer-Encoding": "chunked"}, chunked)  # no end chunk sent
    assert streamed == 413


@pytest.mark.parametrize(
    "body",
    [b"", b"{not json", b'{"update_id": 1, "message": "\xff\xfe"}', b"[1, 2]", b'{"update_id": "7"}', b"\xff\xff"],
    ids=["empty", "bad-json", "invalid-utf8", "not-an-object", "no-integer-id", "binary"],
)
async def test_a_malformed_body_gets_400(hook: str, body: bytes) -> None:
    async with aiohttp.ClientSession() as session, session.post(hook, data=body, headers=_secret(SECRET)) as response:
        assert response.status == 400


async def test_a_good_update_is_answered_once_even_if_telegram_posts_it_twice(
    hook: str, fake_api: FakeBotApi, ann: Person
) -> None:
    update = {"update_id": 41, "message": ann.text_message("which toe helps earache")}
    async with aiohttp.ClientSession() as session:
        for _ in range(2):  # Telegram posts again when our 200 did not reach it
            async with session.post(hook, data=json.dumps(update), headers=_secret(SECRET)) as response:
                assert response.status == 200
    [answer] = await fake_api.wait_for("sendMessage", chat_id=ann.chat_id)
    assert "little toe" in answer.text
    await fake_api.quiet(0.5)
    assert len(fake_api.calls_to("sendMessage", chat_id=ann.chat_id)) == 1


async def test_an_unreadable_update_is_answered_and_its_text_is_not_logged(
    hook: str, fake_api: FakeBotApi, ann: Person, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    broken = {"update_id": 42, "message": ann.message_dict(text="secret words +15550100", entities="not-a-list")}
    hopeless = {"update_id": 43, "message": {"chat": "x", "text": "secret words +15550100"}}
    async with aiohttp.ClientSession() as session:
        for update in (hopeless, broken):
            async with session.post(hook, data=json.dumps(update), headers=_secret(SECRET)) as response:
                assert response.status == 200
    await fake_api.wait_for("sendMessage", chat_id=ann.chat_id)
    logged = [record.getMessage() for record in caplog.records if record.levelno >= logging.INFO]
    assert logged and not [line for line in logged if "secret words" in line or "15550100" in line]


def test_the_webhook_server_listens_on_localhost_unless_told_otherwise() -> None:
    from bot.cli import _parser

    assert _parser().parse_args(["run"]).listen == "127.0.0.1"
    assert telegram_app.run.__defaults__ is not None and "127.0.0.1" in telegram_app.run.__defaults__


async def test_a_lone_surrogate_in_a_posted_update_is_read_as_a_replacement_character(
    hook: str, fake_api: FakeBotApi, ann: Person
) -> None:
    """Valid JSON ("\\udc00" alone) yet no UTF-8 text: the journal could not store it and the update was refused
    with a 500, which Telegram posts again and again while the updates behind it wait."""
    update = {"update_id": 44, "message": ann.text_message("/timezone Qqxzvv\udc00")}
    async with (
        aiohttp.ClientSession() as session,
        session.post(hook, data=json.dumps(update), headers=_secret(SECRET)) as response,
    ):
        assert response.status == 200
    [answer] = await fake_api.wait_for("sendMessage", chat_id=ann.chat_id, within=30)
    assert "Qqxzvv\ufffd" in answer.text
