"""Reading a batch of updates with the library's attribute guard lifted must leave every object read-only
and the guard back in place, whether the batch reads cleanly or not."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import TelegramObject, Update
from telegram.ext import ExtBot

from bot.telegram_app import tolerant_bot
from bot.telegram_app.tolerant_bot import TolerantBot

RAW = [
    {
        "update_id": 7,
        "message": {
            "message_id": 5,
            "from": {"id": 42, "is_bot": False, "first_name": "Ann"},
            "chat": {"id": 42, "type": "private", "first_name": "Ann"},
            "date": 1700000000,
            "text": "which toe helps earache",
        },
    }
]


@pytest.fixture
def bot(monkeypatch: pytest.MonkeyPatch) -> TolerantBot:
    async def fake_post(self: ExtBot[Any], endpoint: str, *args: Any, **kwargs: Any) -> Any:
        assert endpoint == "getUpdates"
        return RAW

    monkeypatch.setattr(ExtBot, "_post", fake_post)
    return TolerantBot(token="123:abc")


async def test_updates_are_read_and_frozen_and_the_guard_is_back(bot: TolerantBot) -> None:
    updates = await bot.get_updates()
    assert isinstance(updates[0], Update) and updates[0].message.text == "which toe helps earache"
    assert TelegramObject.__setattr__ is tolerant_bot._GUARDED_SETATTR
    with pytest.raises(AttributeError):
        updates[0].message.text = "changed"  # type: ignore[misc]


async def test_the_guard_is_back_when_a_batch_fails_to_read(bot: TolerantBot, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("unreadable")

    monkeypatch.setattr(Update, "de_list", broken)
    with pytest.raises(ValueError):
        await bot.get_updates()  # no raw payload to fall back on here: the error goes up
    assert TelegramObject.__setattr__ is tolerant_bot._GUARDED_SETATTR
