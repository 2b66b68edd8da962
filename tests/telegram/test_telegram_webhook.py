"""`footbot run --webhook-url ...`: Telegram posts updates to the bot, which checks the secret token.

Needs python-telegram-bot's `webhooks` extra (tornado); skipped where it is not installed.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
from pathlib import Path

import aiohttp
import pytest
from fake_bot_api import FakeBotApi, Person

pytest.importorskip("tornado")
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
