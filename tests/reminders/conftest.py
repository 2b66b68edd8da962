"""Fixtures for the reminder tests: a fresh store per test, the engine once, and the fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import DEFAULT_KNOWLEDGE_DIR
from bot.core.engine import Engine
from bot.store import Store


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    opened = Store.open(data_dir)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine.load(DEFAULT_KNOWLEDGE_DIR)


@pytest.fixture
async def api() -> AsyncIterator[Any]:
    """The shared fake Bot API plus blocked/vanished chats (imported here: only Telegram-level tests need it)."""
    from tests.reminders.bot_harness import ReminderFakeApi

    async with ReminderFakeApi() as server:
        yield server
