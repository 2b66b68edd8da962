"""Reading a batch of updates: update by update, so one unreadable update never stalls polling, and without
changing any library class (python-telegram-bot's objects stay read-only)."""

from __future__ import annotations

from typing import Any

import pytest
from fake_bot_api import FakeBotApi, Person
from telegram import TelegramObject, Update
from telegram.ext import Application

ORIGINAL_SETATTR = TelegramObject.__setattr__


async def test_an_unreadable_update_in_a_batch_does_not_stall_polling_and_the_rest_are_answered(
    bot: Application, fake_api: FakeBotApi
) -> None:
    people = [Person(fake_api, 2000 + number) for number in range(4)]
    batch: list[dict[str, Any]] = [{"message": people[0].text_message("which toe helps earache")}]
    batch.append({"message": {"message_id": 1, "chat": "not-a-chat", "date": "yesterday", "text": 42}})
    batch += [{"message": person.text_message("which toe helps earache")} for person in people[1:]]
    fake_api.enqueue_nowait(batch)  # one getUpdates answer holds all five
    await fake_api.wake()
    for person in people:
        [reply] = await fake_api.wait_for("sendMessage", chat_id=person.chat_id)
        assert "little toe" in reply.text
    # And the bot polls on past it: a later message is answered too.
    later = await people[0].say("/help")
    assert later[-1].ok


async def test_no_library_class_is_patched_while_a_batch_is_read(
    bot: Application, fake_api: FakeBotApi, ann: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[object] = []
    read = Update.de_json.__func__  # type: ignore[attr-defined]

    def watching(cls: type[Update], data: Any, bot: Any = None) -> Any:
        seen.append(TelegramObject.__setattr__)  # what attribute writes go through while the update is built
        return read(cls, data, bot)

    monkeypatch.setattr(Update, "de_json", classmethod(watching))
    reply = (await ann.say("which toe helps earache"))[-1]
    assert "little toe" in reply.text
    assert seen and all(each is ORIGINAL_SETATTR for each in seen)
    update = Update.de_json({"update_id": 1, "message": ann.text_message("hello")}, bot.bot)
    with pytest.raises(AttributeError):
        update.message.text = "changed"  # type: ignore[misc, union-attr]


async def test_a_message_read_with_basic_fields_only_is_still_answered(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    broken = ann.message_dict(text="which toe helps earache", entities="not-a-list")
    reply = (await ann.send_update({"message": broken}, wait_for="sendMessage"))[-1]
    assert "little toe" in reply.text


async def test_a_lone_surrogate_in_an_update_neither_stalls_polling_nor_breaks_the_reply(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    """ "\\ud83d" with no partner is valid JSON (half an emoji, cut at a UTF-16 boundary) but no UTF-8 text: kept
    as it came, it failed the journal's write of the whole batch, so polling fetched the same batch forever and
    nobody was answered again; it also failed every reply that quotes the message. It is read as U+FFFD."""
    calls = await ann.say("/timezone Qqxzvv\ud83d", within=30)  # the fake's JSON escapes it, as Telegram's may
    [quoted] = [call for call in calls if call.method == "sendMessage"]
    assert "Qqxzvv\ufffd" in quoted.text
    bob = Person(fake_api, 1002)
    [answer] = [call for call in await bob.say("which toe helps earache") if call.method == "sendMessage"]
    assert "little toe" in answer.text
