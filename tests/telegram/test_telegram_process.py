"""`footbot run` as its own process against the fake Bot API: answers, stops cleanly on SIGTERM, leaks no token."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest
from fake_bot_api import FakeBotApi, Person

STARTUP = 30.0  # seconds; a cold start imports the library and loads the knowledge


async def _start_footbot(
    fake_api: FakeBotApi, tmp_path: Path, token: str | None = None
) -> tuple[asyncio.subprocess.Process, Path]:
    output = tmp_path / "footbot.log"
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": token or fake_api.token,
        "TELEGRAM_BASE_URL": fake_api.base_url,
        "FOOTBOT_DATA_DIR": str(tmp_path / "data"),
        "FOOTBOT_LOG_LEVEL": "DEBUG",
        "PYTHONUNBUFFERED": "1",
    }
    with output.open("wb") as sink:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", env=env, stdout=sink, stderr=asyncio.subprocess.STDOUT
        )
    return process, output


async def _stop(process: asyncio.subprocess.Process) -> int:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    try:
        return await asyncio.wait_for(process.wait(), 15)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise


async def test_footbot_run_answers_and_stops_cleanly_on_sigterm(fake_api: FakeBotApi, tmp_path: Path) -> None:
    process, output = await _start_footbot(fake_api, tmp_path)
    try:
        await fake_api.wait_for("setMyCommands", count=2, within=STARTUP)
        ann = Person(fake_api, 1001)
        [welcome] = await ann.say("/start")
        assert welcome.buttons
        calls = await ann.say("which toe helps earache")
        assert "little toe" in calls[-1].text
        fake_api.slow("sendMessage", 1.0)  # a reply still in flight when the signal comes
        await ann.say("which toe helps toothache", wait_for="sendChatAction")
        returncode = await _stop(process)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert returncode == 0
    assert "toothache" in fake_api.calls_to("sendMessage")[-1].text, "the reply in flight was finished"
    printed = output.read_text()
    assert "footbot is up" in printed
    assert fake_api.token not in printed
    assert fake_api.token.split(":")[1] not in printed
    assert "Traceback" not in printed


async def test_a_refused_token_stops_with_a_clear_message_and_without_printing_it(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    wrong = "999999:WRONG-token-that-must-not-leak"
    process, output = await _start_footbot(fake_api, tmp_path, token=wrong)
    returncode = await asyncio.wait_for(process.wait(), STARTUP)
    printed = output.read_text()
    assert returncode != 0
    assert "refused the bot token" in printed
    assert wrong not in printed and "WRONG-token-that-must-not-leak" not in printed
    assert "Unclosed" not in printed, "the HTTP sessions opened before Telegram refused the token are closed"


@pytest.fixture(autouse=True)
def _needs_cli() -> None:
    pytest.importorskip("bot.cli")
