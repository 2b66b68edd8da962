"""Everything that is not a question in words gets a short friendly hint; nothing crashes."""

from __future__ import annotations

from typing import Any

import pytest
from fake_bot_api import BOT_USERNAME, FakeBotApi, Person, group_chat_dict
from telegram.ext import Application

from bot.core.engine import Engine
from bot.core.knowledge import Condition
from bot.telegram_app.errors import SORRY

PHOTO = [{"file_id": "P1", "file_unique_id": "p1", "width": 90, "height": 90}]
NOT_TEXT: dict[str, dict[str, Any]] = {
    "sticker": {
        "sticker": {
            "file_id": "S1",
            "file_unique_id": "s1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
    },
    "photo": {"photo": PHOTO},
    "voice": {"voice": {"file_id": "V1", "file_unique_id": "v1", "duration": 3}},
    "video": {"video": {"file_id": "D1", "file_unique_id": "d1", "width": 1, "height": 1, "duration": 1}},
    "video note": {"video_note": {"file_id": "N1", "file_unique_id": "n1", "length": 1, "duration": 1}},
    "audio": {"audio": {"file_id": "A1", "file_unique_id": "a1", "duration": 1}},
    "location": {"location": {"latitude": 51.5, "longitude": -0.12}},
    "venue": {
        "location": {"latitude": 51.5, "longitude": -0.12},
        "venue": {"location": {"latitude": 51.5, "longitude": -0.12}, "title": "Spa", "address": "1 Road"},
    },
    "document": {"document": {"file_id": "F1", "file_unique_id": "f1", "file_name": "feet.pdf"}},
    "contact": {"contact": {"phone_number": "+440000", "first_name": "Bob"}},
    "dice": {"dice": {"emoji": "🎲", "value": 3}},
    "poll": {
        "poll": {
            "id": "1",
            "question": "Tonight?",
            "options": [{"text": "yes", "voter_count": 0}, {"text": "no", "voter_count": 0}],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": True,
            "type": "regular",
            "allows_multiple_answers": False,
        }
    },
}


@pytest.mark.parametrize("kind", list(NOT_TEXT))
async def test_non_text_messages_get_the_text_only_hint(
    bot: Application, fake_api: FakeBotApi, ann: Person, engine: Engine, kind: str
) -> None:
    calls = await ann.send(**NOT_TEXT[kind])
    hint = calls[-1]
    assert hint.text == engine.kb.messages.not_text
    assert hint.params["parse_mode"] == "HTML"


CAPTIONED = {
    "photo": {"photo": PHOTO},
    "video": NOT_TEXT["video"],
    "document": NOT_TEXT["document"],
}


@pytest.mark.parametrize("kind", list(CAPTIONED))
async def test_a_caption_is_answered_as_the_question_it_asks(
    bot: Application, fake_api: FakeBotApi, ann: Person, engine: Engine, kind: str
) -> None:
    """A photo of sore feet captioned "which toe is for earache?": the caption is the question, answered as typed, after
    one line saying the picture itself is not seen ("is this the right spot?" must not read as a look at it)."""
    [answer] = [
        call
        for call in await ann.send(**CAPTIONED[kind], caption="which toe is for earache?")
        if call.method == "sendMessage"
    ]
    [typed] = [call for call in await ann.say("which toe is for earache?") if call.method == "sendMessage"]
    note = engine.kb.messages.extra["caption_note"]
    assert answer.text == f"{note}\n\n{typed.text}"
    assert "little toe" in answer.text.lower()
    assert engine.kb.messages.not_text not in answer.text


async def test_a_caption_asking_for_a_feature_is_carried_out(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    [answer] = [
        call for call in await ann.send(photo=PHOTO, caption="start tonight's routine") if call.method == "sendMessage"
    ]
    assert "Tonight's routine" in answer.text and "step 1 of" in answer.text


async def test_in_a_group_a_caption_mentioning_the_bot_is_answered_and_others_are_not(
    bot: Application, fake_api: FakeBotApi
) -> None:
    member = Person(fake_api, 3002, chat=group_chat_dict(-1004321), first_name="Dee")
    await member.send(wait_for=None, photo=PHOTO, caption="look at my feet, which toe is for earache?")
    assert await fake_api.quiet(0.4) == []
    caption = f"@{BOT_USERNAME} which toe is for earache?"
    mention = {"type": "mention", "offset": 0, "length": len(BOT_USERNAME) + 1}
    [answer] = [
        call
        for call in await member.send(photo=PHOTO, caption=caption, caption_entities=[mention])
        if call.method == "sendMessage"
    ]
    assert "little toe" in answer.text.lower() and BOT_USERNAME not in answer.text


async def test_an_edited_message_gets_a_hint_to_send_it_again(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    [answer] = [call for call in await ann.say("which toe helps earache") if call.method == "sendMessage"]
    question = ann.last_message
    assert question is not None
    calls = await ann.edit(question, "which toe helps toothache")
    assert "send it again" in calls[-1].text
    assert answer.ok


async def test_an_edited_command_is_not_run_again(bot: Application, fake_api: FakeBotApi, ann: Person) -> None:
    await ann.say("/routine")
    calls = await ann.edit(ann.last_message or {}, "/start")
    assert "step 1 of" not in calls[-1].text
    assert "send it again" in calls[-1].text


async def test_an_unknown_command_points_at_help(bot: Application, fake_api: FakeBotApi, ann: Person) -> None:
    [hint] = await ann.say("/dance now")
    assert hint.text == "I don't know the command /dance. Send /help to see what I can do."


@pytest.mark.parametrize("typed", ["/start@someone_elses_bot", "/help@OtherBot now", "/remind@some_bot off"])
async def test_a_command_for_another_bot_is_not_called_unknown(
    bot: Application, fake_api: FakeBotApi, ann: Person, typed: str
) -> None:
    """ "/start@someone_elses_bot" typed in the private chat: "I don't know the command /start" was untrue (footbot has
    /start); the command was meant for the other bot."""
    [hint] = await ann.say(typed)
    other = typed.split()[0].split("@")[1]
    assert hint.text == f"That command is for @{other}, not for me. Send /help to see what I can do."


@pytest.mark.parametrize(
    "data",
    ["garbage", "", "topic", "rem:zzz", "routine", "x" * 64, "topic:../../etc/passwd", "🦶:1"],
)
async def test_stale_or_tampered_button_data_is_answered_without_a_crash(
    bot: Application, fake_api: FakeBotApi, ann: Person, data: str
) -> None:
    [welcome] = await ann.say("/start")
    mark = fake_api.mark()
    await ann.press(welcome.message, data)
    [answer] = fake_api.calls_to("answerCallbackQuery", since=mark)
    await fake_api.quiet(0.2)
    assert fake_api.open_callback_queries == set()
    assert not any(SORRY in call.text for call in fake_api.calls_to("sendMessage", since=mark))
    assert answer.ok


async def test_a_press_without_data_or_message_is_answered(bot: Application, fake_api: FakeBotApi, ann: Person) -> None:
    query = {
        "id": fake_api.new_callback_query_id(),
        "from": ann.user,
        "inline_message_id": "AAAA",
        "chat_instance": "1",
        "game_short_name": "feet",
    }
    await ann.send_update({"callback_query": query}, wait_for="answerCallbackQuery")
    query = dict(query, id=fake_api.new_callback_query_id(), data="topic:little_toe")
    del query["game_short_name"]
    await ann.send_update({"callback_query": query}, wait_for="answerCallbackQuery")
    assert [call.method for call in await fake_api.quiet(0.3)] == []  # answered, and nothing sent besides
    assert fake_api.open_callback_queries == set()


async def test_channel_posts_and_other_update_kinds_are_ignored(bot: Application, fake_api: FakeBotApi) -> None:
    channel = {"id": -100999, "type": "channel", "title": "Feet news"}
    await fake_api.enqueue(
        {"channel_post": {"message_id": 1, "chat": channel, "date": 1700000000, "text": "which toe helps earache"}}
    )
    await fake_api.enqueue(
        {
            "poll": {
                "id": "9",
                "question": "?",
                "options": [],
                "total_voter_count": 0,
                "is_closed": True,
                "is_anonymous": True,
                "type": "regular",
                "allows_multiple_answers": False,
            }
        }
    )
    assert await fake_api.quiet(0.4) == []


async def test_a_handler_failure_is_logged_and_the_person_told_without_a_traceback(
    bot: Application, fake_api: FakeBotApi, ann: Person, caplog: pytest.LogCaptureFixture
) -> None:
    class ExplodingEngine:
        kb = bot.bot_data["engine"].kb

        def reply(self, text: str, context: object = None) -> None:
            raise RuntimeError("boom in the core")

    bot.bot_data["engine"] = ExplodingEngine()
    calls = await ann.say("which toe helps earache", count=1)
    sorry = [call for call in calls if call.method == "sendMessage"][-1]
    assert sorry.text == SORRY
    assert "boom" not in sorry.text and "Traceback" not in sorry.text
    errors = [record for record in caplog.records if record.levelname == "ERROR"]
    assert any(record.exc_info and "boom in the core" in str(record.exc_info[1]) for record in errors)
    # And the bot carries on.
    [welcome] = await ann.say("/start")
    assert welcome.ok


async def test_an_unreadable_update_neither_stalls_polling_nor_leaks_its_text_to_the_log(
    bot: Application, fake_api: FakeBotApi, ann: Person, caplog: pytest.LogCaptureFixture
) -> None:
    # python-telegram-bot cannot parse this message (a field of the wrong shape); by itself it would
    # fetch the same batch forever and never answer anyone again.
    broken = ann.message_dict(text="secret words", entities="not-a-list")
    await ann.send_update({"message": broken}, wait_for=None)
    await fake_api.enqueue({"bogus_kind": {"x": 1}})
    await ann.say("which toe helps earache", count=2)
    first, second = [call.text for call in fake_api.calls_to("sendMessage", chat_id=ann.chat_id)]
    assert "guide" in first  # the unreadable message was still answered, from its basic fields
    assert "little toe" in second
    assert all("secret words" not in record.getMessage() for record in caplog.records)


async def test_an_update_missing_required_fields_is_skipped(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    await fake_api.enqueue({"message": {"text": "no chat, no id"}})
    calls = await ann.say("/help")
    assert calls[-1].ok


async def test_a_condition_named_in_an_edit_gets_its_caution_and_the_routine_carries_it(
    bot: Application, fake_api: FakeBotApi, ann: Person, engine: Engine
) -> None:
    """An edit is not answered, but "im 20 weeks pregnant" added in one was lost altogether: no caution, and the
    routine's Next showed the next step, where the same words sent anew hold it back."""
    [page] = await ann.say("/routine")
    await ann.say("how long should it take?")
    question = ann.last_message
    assert question is not None
    calls = await ann.edit(question, "im 20 weeks pregnant, how long should it take?", count=2)
    texts = [call.text for call in calls if call.method == "sendMessage"]
    assert engine.kb.entry("pregnancy_caution").answer[:40] in texts[0]
    assert "send it again" in texts[-1]
    mark = fake_api.mark()
    await ann.press(page.message, "routine:step:2", wait_for="sendMessage")
    [held] = fake_api.calls_to("sendMessage", since=mark)
    assert engine.kb.caveat_for(Condition.PREGNANCY).routine_lead[:40] in held.text
    assert not fake_api.calls_to("editMessageText", since=mark)
