"""Fixtures for Telegram-level tests: a fake Bot API on 127.0.0.1 and the real Application polling it.

    async def test_something(bot, fake_api):          # bot: the running Application
        ann = Person(fake_api, 1001)
        [call] = await ann.say("/start")              # waits for the bot's sendMessage

Tests that need their own settings (a shared data folder, a second Application on the same database)
use `start_bot(settings)` as an async context manager.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from fake_bot_api import FakeBotApi, Person
from telegram import Update
from telegram.ext import Application

from bot.config import DEFAULT_KNOWLEDGE_DIR, Settings
from bot.core.engine import Engine
from bot.telegram_app.app import build_application, shut_down

POLL_TIMEOUT = 1  # seconds; short so that stopping never waits on a long poll


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine.load()


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as api:
        yield api


def settings_for(api: FakeBotApi, data_dir: Path) -> Settings:
    """What `footbot run` would read from TELEGRAM_BOT_TOKEN / TELEGRAM_BASE_URL pointing at the fake."""
    return Settings(
        token=api.token,
        base_url=api.base_url,
        base_file_url=api.base_file_url,
        data_dir=data_dir,
        knowledge_dir=DEFAULT_KNOWLEDGE_DIR,
    )


@pytest.fixture
def settings(fake_api: FakeBotApi, tmp_path: Path) -> Settings:
    return settings_for(fake_api, tmp_path / "data")


@contextlib.asynccontextmanager
async def running(application: Application, **polling: Any) -> AsyncIterator[Application]:
    """Starts and stops the Application in the same steps and order as `run_polling` does."""
    await application.initialize()
    if application.post_init:
        await application.post_init(application)
    assert application.updater is not None
    await application.updater.start_polling(
        poll_interval=0, timeout=POLL_TIMEOUT, allowed_updates=Update.ALL_TYPES, **polling
    )
    await application.start()
    try:
        yield application
    finally:
        await shut_down(application)


@pytest.fixture
def start_bot(engine: Engine) -> Callable[..., contextlib.AbstractAsyncContextManager[Application]]:
    """`async with start_bot(settings) as app:` runs a fresh Application built exactly as `footbot run` does."""

    def start(settings: Settings, **polling: Any) -> contextlib.AbstractAsyncContextManager[Application]:
        return running(build_application(settings, engine), **polling)

    return start


@pytest.fixture
async def bot(
    start_bot: Callable[..., contextlib.AbstractAsyncContextManager[Application]], settings: Settings
) -> AsyncIterator[Application]:
    async with start_bot(settings) as application:
        yield application


@pytest.fixture
def ann(fake_api: FakeBotApi) -> Person:
    """Someone in a private chat with the bot."""
    return Person(fake_api, 1001, first_name="Ann")
