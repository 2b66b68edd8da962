"""Reminders through real Bot API HTTP: the commands and buttons, and delivery exactly once.

Every test runs the Application `footbot run` builds against the fake Bot API, with a fake clock
(nothing sleeps until a due time) and a real SQLite file in a temporary data folder.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable
from datetime import time
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.core.engine import Engine
from bot.reminders import timezones
from bot.reminders.places import PlaceIndex, place_index
from bot.store import Store
from bot.telegram_app import reminders
from bot.telegram_app.delivery import Outcome, sweep_now
from bot.telegram_app.reminder_texts import MENU_TIMES
from tests.reminders.bot_harness import (
    ReminderFakeApi,
    forget_and_confirm,
    reminder_calls,
    reminders_per_chat,
    running_bot,
    visible,
)
from tests.reminders.clock import FakeClock, epoch, local
from tests.telegram.fake_bot_api import ApiCall, group_chat_dict
from tests.telegram.fake_bot_api import Person as Chatter

BERLIN = "Europe/Berlin"
# A Tuesday afternoon in June, in UTC; no daylight-saving change anywhere near.
AFTERNOON = epoch("UTC", 2025, 6, 10, 15, 0)
BEDTIME = time(22, 30)


def store_of(application: object) -> Store:
    return application.bot_data[reminders.STORE]  # type: ignore[attr-defined]


def remind_at_bedtime(application: object, chats: Iterable[int], clock: FakeClock) -> None:
    """Every chat in `chats` gets a daily 22:30 reminder (UTC), set now."""
    store_of(application).set_reminders(((chat_id, BEDTIME) for chat_id in chats), int(clock()))


def just_after_bedtime(seconds: int) -> int:
    """`seconds` past 22:30 on the evening AFTERNOON belongs to."""
    return epoch("UTC", 2025, 6, 10, 22, 30, seconds)


def stored_bytes(data_dir: Path) -> bytes:
    """The database and its -wal/-shm files, as raw bytes."""
    return b"".join(path.read_bytes() for path in data_dir.iterdir() if path.is_file())


async def say(chatter: Chatter, text: str) -> str:
    [reply] = [call for call in await chatter.say(text) if call.method == "sendMessage"]
    return visible(reply)


# ---- setting, showing, changing, cancelling -------------------------------------------------------


@pytest.mark.parametrize("written", ["22:30", "10:30pm", "10.30 pm", "22.30", "2230", "22h30"])
async def test_remind_sets_a_daily_reminder_from_any_common_format(
    api: ReminderFakeApi, data_dir: Path, engine: Engine, written: str
) -> None:
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine) as app:
        reply = await say(Chatter(api, 501), f"/remind {written}")
        person = store_of(app).person(501)
    assert "every night at 22:30 (UTC), starting tonight" in reply
    assert "I don't know your time zone yet" in reply and "/timezone berlin" in reply
    assert person is not None and person.enabled and person.remind_at == time(22, 30)
    assert person.next_due == epoch("UTC", 2025, 6, 10, 22, 30)


@pytest.mark.parametrize("written", ["25:61", "24:00", "abc", "10:30xm"])
async def test_a_bad_time_gets_an_example_and_changes_nothing(
    api: ReminderFakeApi, data_dir: Path, engine: Engine, written: str
) -> None:
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine) as app:
        reply = await say(Chatter(api, 502), f"/remind {written}")
        assert store_of(app).person(502) is None
    assert "/remind 22:30" in reply


async def test_a_bad_time_is_quoted_back_escaped(api: ReminderFakeApi, data_dir: Path, engine: Engine) -> None:
    """ "/remind 10<3pm": the hint quotes it; unescaped, Telegram refused the message and the person got "Sorry"."""
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine):
        [hint] = await Chatter(api, 511).say("/remind 10<3pm")
    assert "10&lt;3pm" in hint.text and "10<3pm" in visible(hint)


async def test_a_place_quoted_back_with_its_choices_is_escaped(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine):
        choices = (await Chatter(api, 512).say("/timezone kingston <3", within=20))[-1]
    assert "&lt;3" in choices.text
    assert any("Kingston, Jamaica" in label for label, _ in choices.buttons)


async def test_a_bare_hour_offers_evening_and_morning_buttons(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine) as app:
        ann = Chatter(api, 503)
        [question] = await ann.say("/remind 9")
        assert question.buttons == [("21:00", "rem:set:21:00"), ("09:00", "rem:set:09:00")]
        mark = api.mark()
        await ann.press(question.message, "rem:set:21:00")
        [edit] = await api.wait_for("editMessageText", since=mark, chat_id=503)
        assert store_of(app).person(503).remind_at == time(21, 0)  # type: ignore[union-attr]
    assert "every night at 21:00" in visible(edit)


async def test_remind_alone_shows_the_setting_and_common_times(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine):
        ann = Chatter(api, 504)
        [menu] = await ann.say("/remind")
        assert "Now: off." in visible(menu)
        assert [data for _, data in menu.buttons] == [*(f"rem:set:{t}" for t in MENU_TIMES), "rem:off"]
        await ann.say("/remind 22:30")
        [menu] = await ann.say("/remind")
    assert "Now: every night at 22:30" in visible(menu)
    assert ("✓ 22:30", "rem:set:22:30") in menu.buttons


async def test_menu_buttons_change_and_cancel_the_reminder(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine) as app:
        ann = Chatter(api, 505)
        await ann.say("/remind 21:00")
        [menu] = await ann.say("/remind")
        mark = api.mark()
        await ann.press(menu.message, "rem:set:23:30")
        [changed] = await api.wait_for("editMessageText", since=mark, chat_id=505)
        assert store_of(app).person(505).remind_at == time(23, 30)  # type: ignore[union-attr]
        [menu] = await ann.say("/remind")
        mark = api.mark()
        await ann.press(menu.message, "rem:off")
        [cancelled] = await api.wait_for("editMessageText", since=mark, chat_id=505)
        person = store_of(app).person(505)
    assert "23:30" in visible(changed)
    assert "Reminders are off" in visible(cancelled)
    assert person is not None and not person.enabled and person.next_due is None


async def test_remind_off_cancels(api: ReminderFakeApi, data_dir: Path, engine: Engine) -> None:
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine) as app:
        ann = Chatter(api, 506)
        await ann.say("/remind 22:00")
        off = await say(ann, "/remind off")
        again = await say(ann, "/remind off")
        assert store_of(app).due_reminders(AFTERNOON + 2 * 86400) == []
    assert "Reminders are off" in off
    assert "You have no bedtime reminder" in again


async def test_remind_on_after_off_brings_back_the_time_it_had(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine) as app:
        ann = Chatter(api, 508)
        await ann.say("/remind 22:15")
        await ann.say("/remind off")
        back = await say(ann, "/remind on")  # 'I could not read "on" as a time'
        person = store_of(app).person(508)
        first = await say(Chatter(api, 509), "/remind on")  # never set: the menu
    assert person is not None and person.enabled and person.remind_at == time(22, 15)
    assert "22:15" in back
    assert "could not read" not in first


@pytest.mark.parametrize(
    ("said", "at"),
    [("quarter to ten", time(21, 45)), ("half nine", time(21, 30)), ("7:30 in the morning", time(7, 30))],
)
async def test_remind_reads_a_time_said_in_words_as_a_message_would(
    api: ReminderFakeApi, data_dir: Path, engine: Engine, said: str, at: time
) -> None:
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine) as app:
        await Chatter(api, 510).say(f"/remind {said}")
        person = store_of(app).person(510)
    assert person is not None and person.remind_at == at


async def test_the_routines_reminder_button_opens_the_menu(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine):
        ann = Chatter(api, 507)
        [menu] = await ann.say("/remind")
        mark = api.mark()
        await ann.press(menu.message, "rem:menu")
        [shown] = await api.wait_for("sendMessage", since=mark, chat_id=507)
    assert "Bedtime reminder" in visible(shown) and len(shown.buttons) == 7


async def test_reminders_are_private_only(api: ReminderFakeApi, data_dir: Path, engine: Engine) -> None:
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine) as app:
        member = Chatter(api, 508, chat=group_chat_dict(-100777))
        [hint] = await member.say("/remind@footbot_test_bot 22:30")
        assert store_of(app).person(-100777) is None
    assert "private chat" in visible(hint)


# ---- time zones -------------------------------------------------------------------------------------


async def test_timezone_sets_the_zone_and_moves_the_reminder(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine) as app:
        ann = Chatter(api, 510)
        await ann.say("/remind 22:30")
        reply = await say(ann, "/timezone berlin")
        person = store_of(app).person(510)
        shown = await say(ann, "/timezone")
    assert "Time zone: Europe/Berlin (it's 17:00 there now)" in reply
    assert "every night at 22:30 (Europe/Berlin), next tonight" in reply
    assert person is not None and person.zone_confirmed
    assert person.next_due is not None and local(person.next_due, BERLIN).time() == time(22, 30)
    assert "Your time zone is Europe/Berlin" in shown


async def test_a_fixed_offset_reads_plainly_in_the_reminder_phrase(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine):
        ann = Chatter(api, 514)
        await ann.say("/remind 22:30")
        reply = await say(ann, "/timezone UTC+5")
    assert "Time zone: UTC+5 (no daylight saving)" in reply
    assert "every night at 22:30 (UTC+5), next tonight" in reply


async def test_a_place_too_long_to_be_one_is_not_looked_up(
    api: ReminderFakeApi, data_dir: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Thousands of characters cost the zone matcher seconds of CPU; no place name is that long."""
    looked_up: list[str] = []
    real_match_zone = reminders.match_zone
    monkeypatch.setattr(
        reminders, "match_zone", lambda text, *rest: looked_up.append(text) or real_match_zone(text, *rest)
    )
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine):
        ann = Chatter(api, 515)
        reply = await say(ann, "/timezone " + "zz " * 1300)
        found = await say(ann, "/timezone Llanfairpwllgwyngyll, Wales, United Kingdom")
    assert "I couldn't find a time zone for" in reply
    assert "Europe/London" in found
    assert looked_up == ["Llanfairpwllgwyngyll, Wales, United Kingdom"]


async def test_other_chats_are_answered_while_the_place_index_is_built(
    api: ReminderFakeApi, data_dir: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first /timezone builds the place index (seconds): "typing" shows at once, and the build runs off the
    event loop. Here the build waits until another chat has its answer, which it can only get if the loop is
    free: built on the loop, that answer would never come and the test would time out."""
    other_answered = threading.Event()
    building = threading.Event()
    waited: list[bool] = []  # whether the other chat was answered while the build waited
    real_index = timezones.place_index

    def index_built_after_the_other_answer() -> PlaceIndex:
        building.set()
        waited.append(other_answered.wait(timeout=5))
        return real_index()

    monkeypatch.setattr(timezones, "place_index", index_built_after_the_other_answer)
    monkeypatch.setattr(reminders, "index_built", lambda: False)  # as on the first /timezone after a start
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine) as app:
        ann, bob = Chatter(api, 517), Chatter(api, 518)
        mark = api.mark()
        [typing] = [call for call in await ann.say("/timezone paris", wait_for="sendChatAction")]
        assert await asyncio.to_thread(building.wait, 10)
        answer = await say(bob, "which toe is for the lungs?")  # while ann's index is still being built
        other_answered.set()
        [zone_set] = await api.wait_for("sendMessage", since=mark, chat_id=517)
        assert store_of(app).person(517).zone == "Europe/Paris"  # type: ignore[union-attr]
    assert waited == [True]
    assert typing.params["action"] == "typing"
    assert "lungs" in answer
    assert "Europe/Paris" in visible(zone_set)


async def test_timezone_before_a_reminder_asks_for_a_time(api: ReminderFakeApi, data_dir: Path, engine: Engine) -> None:
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine) as app:
        ann = Chatter(api, 511)
        reply = await say(ann, "/timezone Asia/Kolkata")
        set_reply = await say(ann, "/remind 21:30")
        person = store_of(app).person(511)
    assert "Now choose a time" in reply
    assert "I don't know your time zone" not in set_reply
    assert person is not None and person.next_due == epoch("Asia/Kolkata", 2025, 6, 10, 21, 30)


async def test_an_unsure_zone_offers_choices_as_buttons(api: ReminderFakeApi, data_dir: Path, engine: Engine) -> None:
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine) as app:
        ann = Chatter(api, 512)
        [choices] = await ann.say("/timezone usa")
        assert [data for _, data in choices.buttons][:2] == ["rem:tz:America/New_York", "rem:tz:America/Chicago"]
        mark = api.mark()
        await ann.press(choices.message, "rem:tz:America/Chicago")
        [confirmed] = await api.wait_for("editMessageText", since=mark, chat_id=512)
        assert store_of(app).person(512).zone == "America/Chicago"  # type: ignore[union-attr]
    assert "America/Chicago" in visible(confirmed)


async def test_an_unknown_place_says_what_works_and_escapes_the_input(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine) as app:
        reply = await say(Chatter(api, 513), "/timezone <b>xyz</b>")
        assert store_of(app).person(513) is None
    assert "couldn't find a time zone for “<b>xyz</b>”" in reply  # shown as typed, not as HTML
    assert "/timezone berlin" in reply


async def test_a_tampered_zone_button_is_refused(api: ReminderFakeApi, data_dir: Path, engine: Engine) -> None:
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine) as app:
        ann = Chatter(api, 514)
        [choices] = await ann.say("/timezone usa")
        mark = api.mark()
        await ann.press(choices.message, "rem:tz:../../etc/passwd")
        [answer] = await api.wait_for("answerCallbackQuery", since=mark)
        assert store_of(app).person(514) is None
    assert "no longer works" in answer.params["text"]


@pytest.fixture
def zone_index() -> None:
    """The GeoNames index, built before the bot starts: building it takes seconds on a busy machine."""
    place_index()


@pytest.mark.usefixtures("zone_index")
async def test_namesakes_are_offered_with_their_country_and_clock(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine) as app:
        ann = Chatter(api, 515)
        [choices] = await ann.say("/timezone kingston")
        assert store_of(app).person(515) is None  # nothing set before the person says which
        shown = [label for label, _ in choices.buttons]
        assert shown[:2] == ["Kingston, Jamaica · 10:00", "Kingston, Canada (Ontario) · 11:00"]
        assert all(len(data.encode()) <= 64 for _, data in choices.buttons)
        canada = dict(choices.buttons)["Kingston, Canada (Ontario) · 11:00"]
        mark = api.mark()
        await ann.press(choices.message, canada)
        [confirmed] = await api.wait_for("editMessageText", since=mark, chat_id=515)
        assert store_of(app).person(515).zone == "America/Toronto"  # type: ignore[union-attr]
    assert "Which one do you mean by “kingston”" in visible(choices)
    assert "Kingston, Canada (Ontario)" in visible(confirmed) and "America/Toronto" in visible(confirmed)


@pytest.mark.usefixtures("zone_index")
async def test_a_far_bigger_place_is_set_and_its_namesake_is_one_tap_away(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine) as app:
        ann = Chatter(api, 516)
        [reply] = await ann.say("/timezone birmingham")
        assert store_of(app).person(516).zone == "Europe/London"  # type: ignore[union-attr]
        [(label, alabama)] = reply.buttons
        mark = api.mark()
        await ann.press(reply.message, alabama)
        [switched] = await api.wait_for("editMessageText", since=mark, chat_id=516)
        assert store_of(app).person(516).zone == "America/Chicago"  # type: ignore[union-attr]
    assert "Birmingham, United Kingdom" in visible(reply)
    assert "Time zone: Europe/London (it's 16:00 there now)" in visible(reply)
    assert "Did you mean Birmingham, Alabama?" in visible(reply)
    assert label == "Birmingham, Alabama · 10:00"
    assert "Birmingham, Alabama" in visible(switched) and "America/Chicago (it's 10:00 there now)" in visible(switched)


@pytest.mark.usefixtures("zone_index")
async def test_a_place_geonames_lacks_is_not_found_rather_than_guessed(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine) as app:
        ann = Chatter(api, 517)
        tromso = await say(ann, "/timezone tromso")
        assert store_of(app).person(517).zone == "Europe/Oslo"  # type: ignore[union-attr]
        [nonsense] = await ann.say("/timezone blorptastic")
        assert store_of(app).person(517).zone == "Europe/Oslo"  # type: ignore[union-attr]
    assert "Tromsø, Norway" in tromso  # GeoNames has it: never Asia/Tomsk
    assert "couldn't find a time zone for “blorptastic”" in visible(nonsense)
    assert "/timezone Portland, Maine" in visible(nonsense) and "UTC+2" in visible(nonsense)
    assert nonsense.buttons == []


# ---- forgetting -------------------------------------------------------------------------------------


async def test_forget_deletes_everything_and_confirms(api: ReminderFakeApi, data_dir: Path, engine: Engine) -> None:
    clock = FakeClock(AFTERNOON)
    async with running_bot(api, data_dir, clock, engine) as app:
        ann = Chatter(api, 520)
        await ann.say("/timezone Pacific/Chatham")
        await ann.say("/remind 22:30")
        clock.set(store_of(app).person(520).next_due)  # type: ignore[arg-type, union-attr]
        assert (await sweep_now(app))[Outcome.SENT] == 1
        confirmed = await forget_and_confirm(api, ann)
        assert store_of(app).person(520) is None
        again = await forget_and_confirm(api, ann)
    assert "I deleted your reminder" in confirmed
    assert "I had nothing stored about you" in again
    assert b"Pacific/Chatham" not in stored_bytes(data_dir)


# ---- delivery ---------------------------------------------------------------------------------------


async def test_a_due_reminder_is_sent_once_with_a_benefit_and_buttons(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    clock = FakeClock(AFTERNOON)
    async with running_bot(api, data_dir, clock, engine) as app:
        await Chatter(api, 530).say("/remind 22:30")
        clock.set(epoch("UTC", 2025, 6, 10, 22, 29, 59))
        assert await sweep_now(app) == {}
        clock.set(epoch("UTC", 2025, 6, 10, 22, 30, 4))
        assert (await sweep_now(app))[Outcome.SENT] == 1
        assert (await sweep_now(app)) == {}
    [reminder] = reminder_calls(api)
    assert reminder.chat_id == 530
    assert "Bedtime soon" in visible(reminder) and "💡" in visible(reminder)
    assert "Please read /safety" in visible(reminder)
    assert reminder.buttons == [
        ("🦶 Start tonight's routine", "routine:start"),
        ("⏰ Snooze 15 min", "rem:snooze"),
        ("🔕 Stop reminders", "rem:off"),
    ]


async def test_consecutive_nights_quote_different_benefits(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    assert len(engine.kb.benefits()) >= 2
    clock = FakeClock(AFTERNOON)
    async with running_bot(api, data_dir, clock, engine) as app:
        await Chatter(api, 531).say("/remind 22:30")
        for night in range(3):
            clock.set(epoch("UTC", 2025, 6, 10 + night, 22, 30, 1))
            await sweep_now(app)
    texts = [visible(call) for call in reminder_calls(api)]
    assert len(texts) == 3
    assert texts[0] != texts[1] != texts[2]


async def test_snooze_sends_it_again_in_fifteen_minutes_once(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    clock = FakeClock(AFTERNOON)
    async with running_bot(api, data_dir, clock, engine) as app:
        ann = Chatter(api, 532)
        first = await delivered_reminder(app, api, clock, ann)
        mark = api.mark()
        clock.advance(60)
        await ann.press(first.message, "rem:snooze")
        [trimmed] = await api.wait_for("editMessageReplyMarkup", since=mark, chat_id=532)
        clock.advance(14 * 60)
        assert await sweep_now(app) == {}
        clock.advance(61)
        assert (await sweep_now(app))[Outcome.SENT] == 1
        assert await sweep_now(app) == {}
    answer = next(call for call in api.calls[mark:] if call.method == "answerCallbackQuery")
    assert "15 minutes" in answer.params["text"]
    assert trimmed.buttons == [("🦶 Start tonight's routine", "routine:start")]
    assert len(reminder_calls(api)) == 2
    assert "again" in visible(reminder_calls(api)[1])


async def test_stop_under_a_reminder_turns_them_off(api: ReminderFakeApi, data_dir: Path, engine: Engine) -> None:
    clock = FakeClock(AFTERNOON)
    async with running_bot(api, data_dir, clock, engine) as app:
        ann = Chatter(api, 533)
        first = await delivered_reminder(app, api, clock, ann)
        await ann.press(first.message, "rem:off")
        person = store_of(app).person(533)
        clock.advance(86400)
        assert await sweep_now(app) == {}
    assert person is not None and not person.enabled


async def test_spring_forward_night_in_berlin_sends_once_at_three(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    clock = FakeClock(epoch(BERLIN, 2025, 3, 29, 12, 0))
    async with running_bot(api, data_dir, clock, engine) as app:
        ann = Chatter(api, 534)
        await ann.say("/timezone berlin")
        await ann.say("/remind 2:30am")
        clock.set(epoch(BERLIN, 2025, 3, 30, 1, 59))
        assert await sweep_now(app) == {}  # 02:30 does not exist tonight: the clock jumps 02:00 -> 03:00
        clock.set(epoch(BERLIN, 2025, 3, 30, 3, 0))
        assert (await sweep_now(app))[Outcome.SENT] == 1
        clock.set(epoch(BERLIN, 2025, 3, 30, 3, 45))
        assert await sweep_now(app) == {}
        next_due = store_of(app).person(534).next_due  # type: ignore[union-attr]
    assert next_due is not None and str(local(next_due, BERLIN)) == "2025-03-31 02:30:00"


# ---- restarts ---------------------------------------------------------------------------------------


async def test_a_reminder_due_while_restarting_is_sent_exactly_once(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    clock = FakeClock(AFTERNOON)
    due = epoch("UTC", 2025, 6, 10, 22, 30)
    async with running_bot(api, data_dir, clock, engine):
        await Chatter(api, 540).say("/remind 22:30")
        clock.set(due - 10)  # the first process stops just before the reminder is due
    clock.set(due + 20)
    mark = api.mark()
    async with running_bot(api, data_dir, clock, engine) as second:
        # The start-up sweep catches up by itself, without waiting for the first interval.
        await api.wait_for("sendMessage", since=mark, chat_id=540, within=3)
        await sweep_now(second)
    clock.set(due + 60)
    async with running_bot(api, data_dir, clock, engine) as third:
        await sweep_now(third)
    assert reminders_per_chat(api) == {540: 1}


async def test_a_reminder_turned_off_while_the_bot_was_down_is_not_sent_when_it_comes_back(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    """ "/remind off" at 22:25, the bot down from 22:20 to 22:32: the start-up sweep sent the 22:30 reminder before
    the /remind off waiting at Telegram was read. Messages sent during the downtime are handled first now."""
    clock = FakeClock(AFTERNOON)
    due = epoch("UTC", 2025, 6, 10, 22, 30)
    ann = Chatter(api, 546)
    async with running_bot(api, data_dir, clock, engine):
        await ann.say("/remind 22:30")
    clock.set(due - 300)
    await ann.say("/remind off", wait_for=None)  # while the bot is down: Telegram keeps it
    clock.set(due + 120)
    mark = api.mark()
    async with running_bot(api, data_dir, clock, engine) as app:
        [off] = await api.wait_for("sendMessage", since=mark, chat_id=546)
        await api.quiet(1.0)
        assert await sweep_now(app) == {}
    assert "Reminders are off" in visible(off)
    assert reminder_calls(api) == []


async def test_a_reminder_missed_by_thirty_minutes_is_skipped_for_that_night(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    clock = FakeClock(AFTERNOON)
    async with running_bot(api, data_dir, clock, engine):
        await Chatter(api, 541).say("/remind 22:30")
    clock.set(epoch("UTC", 2025, 6, 10, 23, 0))
    async with running_bot(api, data_dir, clock, engine) as app:
        assert await sweep_now(app) == {}
        next_due = store_of(app).person(541).next_due  # type: ignore[union-attr]
    assert reminder_calls(api) == []
    assert next_due == epoch("UTC", 2025, 6, 11, 22, 30)


async def test_two_bots_on_one_database_send_each_reminder_once(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    clock = FakeClock(AFTERNOON)
    chats = range(600, 640)
    async with running_bot(api, data_dir, clock, engine) as first:
        remind_at_bedtime(first, chats, clock)
        async with running_bot(api, data_dir, clock, engine) as second:
            clock.set(just_after_bedtime(1))
            results = await asyncio.gather(sweep_now(first), sweep_now(second))
    assert results[0][Outcome.SENT] + results[1][Outcome.SENT] == len(chats)
    assert reminders_per_chat(api) == dict.fromkeys(chats, 1)


# ---- delivery at scale and failures -----------------------------------------------------------------


async def test_a_blocked_or_vanished_chat_is_retired_and_the_others_still_get_theirs(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    clock = FakeClock(AFTERNOON)
    chats = list(range(700, 720))
    api.blocked.add(705)
    api.gone.add(712)
    async with running_bot(api, data_dir, clock, engine) as app:
        remind_at_bedtime(app, chats, clock)
        clock.set(just_after_bedtime(1))
        outcomes = await sweep_now(app)
        retired = [store_of(app).person(705), store_of(app).person(712)]
        clock.advance(86400)
        await sweep_now(app)
    assert outcomes == {Outcome.SENT: 18, Outcome.RETIRED: 2}
    assert all(person is not None and not person.enabled for person in retired)
    assert reminders_per_chat(api) == {chat: 2 for chat in chats if chat not in (705, 712)}


async def test_a_send_that_surely_failed_is_retried_by_the_next_sweep(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    clock = FakeClock(AFTERNOON)
    async with running_bot(api, data_dir, clock, engine) as app:
        await Chatter(api, 750).say("/remind 22:30")
        clock.set(epoch("UTC", 2025, 6, 10, 22, 30, 1))
        api.fail("sendMessage", times=4, status=502)  # one more than the transport retries by itself
        first = await sweep_now(app)
        clock.advance(15)
        second = await sweep_now(app)
    assert first == {Outcome.RETRY: 1}
    assert second == {Outcome.SENT: 1}
    assert reminders_per_chat(api) == {750: 1}


async def test_two_hundred_due_at_once_under_a_30_per_second_cap_each_get_exactly_one(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    api.cap_rate("sendMessage", per_second=30)
    clock = FakeClock(AFTERNOON)
    chats = list(range(10_000, 10_200))
    async with running_bot(api, data_dir, clock, engine) as app:
        remind_at_bedtime(app, chats, clock)
        clock.set(just_after_bedtime(1))
        outcomes = await sweep_now(app)
    assert outcomes == {Outcome.SENT: 200}
    assert reminders_per_chat(api) == dict.fromkeys(chats, 1)
    sends = [call.at for call in api.calls if call.method == "sendMessage" and call.ok]
    busiest = max(sum(1 for other in sends if start <= other < start + 1) for start in sends)
    assert busiest <= 30


async def test_a_429_pauses_the_sender_and_the_same_message_goes_once(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    clock = FakeClock(AFTERNOON)
    chats = list(range(760, 770))
    async with running_bot(api, data_dir, clock, engine) as app:
        remind_at_bedtime(app, chats, clock)
        clock.set(just_after_bedtime(1))
        api.fail("sendMessage", times=2, status=429, retry_after=1)
        started = asyncio.get_running_loop().time()
        outcomes = await sweep_now(app)
        took = asyncio.get_running_loop().time() - started
    assert outcomes == {Outcome.SENT: 10}
    assert reminders_per_chat(api) == dict.fromkeys(chats, 1)
    assert took >= 1.0  # retry_after was honoured


async def test_stopping_mid_backlog_is_quick_and_the_rest_go_out_after_restart(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    clock = FakeClock(AFTERNOON)
    chats = list(range(20_000, 20_120))
    async with running_bot(api, data_dir, clock, engine) as app:
        remind_at_bedtime(app, chats, clock)
        clock.set(just_after_bedtime(2))
        app.create_task(sweep_now(app))  # as the repeating job does
        await api.wait_for("sendMessage", count=20, within=5)
        stopping = asyncio.get_running_loop().time()
    took_to_stop = asyncio.get_running_loop().time() - stopping
    sent_before = sum(reminders_per_chat(api).values())
    assert sent_before < len(chats)
    clock.advance(60)
    async with running_bot(api, data_dir, clock, engine) as again:
        await sweep_now(again)
    assert took_to_stop < 2.0
    assert reminders_per_chat(api) == dict.fromkeys(chats, 1)


async def test_stopping_while_a_long_429_is_waited_out_is_quick_and_nothing_is_lost(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    """Telegram's flood wait can be long (retry_after 30 here): SIGTERM during it waited all of it out, well past
    `docker stop`'s 10 seconds, after which the kill left the reminder in hand claimed and unsent for the night."""
    clock = FakeClock(AFTERNOON)
    chats = list(range(21_000, 21_010))
    async with running_bot(api, data_dir, clock, engine) as app:
        remind_at_bedtime(app, chats, clock)
        clock.set(just_after_bedtime(1))
        api.fail("sendMessage", times=1, status=429, retry_after=30)
        app.create_task(sweep_now(app))  # as the repeating job does
        await api.wait_for("sendMessage", ok_only=False, within=5)
        await asyncio.sleep(0.3)
        stopping = asyncio.get_running_loop().time()
    took_to_stop = asyncio.get_running_loop().time() - stopping
    clock.advance(60)
    async with running_bot(api, data_dir, clock, engine) as again:
        await sweep_now(again)
    assert took_to_stop < 10.0  # docker stop's grace: far below the 30 s wait, with room for a loaded machine
    assert reminders_per_chat(api) == dict.fromkeys(chats, 1)


async def test_forget_from_a_group_deletes_the_persons_own_data(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine) as app:
        await Chatter(api, 810).say("/remind 22:30")
        in_group = Chatter(api, 810, chat=group_chat_dict(-100999))
        reply = await forget_and_confirm(api, in_group, "/forget@footbot_test_bot")
        assert store_of(app).person(810) is None
    assert "I deleted your reminder" in reply


async def test_a_morning_time_is_flagged(api: ReminderFakeApi, data_dir: Path, engine: Engine) -> None:
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine):
        reply = await say(Chatter(api, 811), "/remind 10:30")
    assert "every night at 10:30" in reply
    assert "That is in the morning. For the evening, send /remind 22:30." in reply


# ---- presses that change nothing, the day named, groups ---------------------------------------------

MORNING = epoch("UTC", 2025, 6, 10, 10, 25)


async def test_a_morning_remind_says_tonight_in_the_confirmation_and_the_menu(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    async with running_bot(api, data_dir, FakeClock(MORNING), engine):
        ann = Chatter(api, 540)
        confirmed = await say(ann, "/remind 22:00")
        menu = await say(ann, "/remind")
    assert "every night at 22:00 (UTC), starting tonight" in confirmed
    assert "Now: every night at 22:00 (UTC), next tonight" in menu


async def delivered_reminder(app: Application, api: ReminderFakeApi, clock: FakeClock, chatter: Chatter) -> ApiCall:
    """`/remind 22:30` in the afternoon, then 22:30 comes: the one reminder the chat was sent."""
    await chatter.say("/remind 22:30")
    clock.set(epoch("UTC", 2025, 6, 10, 22, 30, 0))
    await sweep_now(app)
    [reminder] = reminder_calls(api)
    return reminder


async def snooze(api: ReminderFakeApi, chatter: Chatter, reminder: ApiCall) -> ApiCall:
    """Snooze pressed under a reminder: the edit that trims its buttons."""
    mark = api.mark()
    await chatter.press(reminder.message, "rem:snooze")
    [trimmed] = await api.wait_for("editMessageReplyMarkup", since=mark, chat_id=chatter.chat_id)
    return trimmed


async def _toast(chatter: Chatter, message: dict[str, object], data: str) -> str:
    """Press a button that should change nothing: its toast; no edit and no new message followed."""
    api = chatter.api
    mark = api.mark()
    [answer] = [call for call in await chatter.press(message, data) if call.method == "answerCallbackQuery"]
    await api.quiet(0.2)
    assert not [call for call in api.calls[mark:] if call.method.startswith(("edit", "send"))]
    return str(answer.params.get("text", ""))


async def test_a_double_tap_on_a_menu_time_or_off_edits_once(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    async with running_bot(api, data_dir, FakeClock(MORNING), engine) as app:
        ann = Chatter(api, 541)
        [menu] = await ann.say("/remind")
        mark = api.mark()
        await ann.press(menu.message, "rem:set:22:00")
        [edit] = await api.wait_for("editMessageText", since=mark, chat_id=541)
        # A double tap: both presses carry the menu as it was, or the second one the edited message.
        assert "already set for 22:00" in await _toast(ann, menu.message, "rem:set:22:00")
        assert "already set for 22:00" in await _toast(ann, edit.message, "rem:set:22:00")
        assert store_of(app).person(541).remind_at == time(22, 0)  # type: ignore[union-attr]
        [menu] = await ann.say("/remind")
        mark = api.mark()
        await ann.press(menu.message, "rem:off")
        await api.wait_for("editMessageText", since=mark, chat_id=541)
        assert "already off" in await _toast(ann, menu.message, "rem:off")
    assert "starting tonight" in visible(edit)
    assert api.not_modified == []


async def test_a_double_tap_on_a_time_zone_choice_edits_once(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine):
        ann = Chatter(api, 542)
        [choices] = await ann.say("/timezone usa")
        _, data = choices.buttons[0]
        mark = api.mark()
        await ann.press(choices.message, data)
        [edit] = await api.wait_for("editMessageText", since=mark, chat_id=542)
        assert "already" in await _toast(ann, choices.message, data)
        assert "already" in await _toast(ann, edit.message, data)


async def test_stop_after_snooze_keeps_the_reminder_and_its_routine_button(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    clock = FakeClock(AFTERNOON)
    async with running_bot(api, data_dir, clock, engine) as app:
        ann = Chatter(api, 543)
        reminder = await delivered_reminder(app, api, clock, ann)
        trimmed = await snooze(api, ann, reminder)
        # Stop, pressed on the reminder as it is now (only the routine button), or as it was.
        toast = await _toast(ann, trimmed.message, "rem:off")
        again = await _toast(ann, reminder.message, "rem:off")
        person = store_of(app).person(543)
        clock.advance(86400)
        assert await sweep_now(app) == {}  # neither the snooze nor tomorrow's reminder
    assert "Reminders stopped" in toast and "already off" in again
    assert person is not None and not person.enabled
    stored = api.messages[(543, reminder.message["message_id"])]
    assert stored["text"] == visible(reminder)  # the reminder's own words stay
    assert stored["reply_markup"]["inline_keyboard"] == [
        [{"text": "🦶 Start tonight's routine", "callback_data": "routine:start"}]
    ]
    assert len(reminder_calls(api)) == 1


async def test_snooze_under_an_old_reminder_after_forget_stores_nothing_and_sends_nothing(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    """/forget said everything was deleted: an old reminder's Snooze must not store the chat id again."""
    clock = FakeClock(AFTERNOON)
    async with running_bot(api, data_dir, clock, engine) as app:
        ann = Chatter(api, 545)
        reminder = await delivered_reminder(app, api, clock, ann)
        assert "I deleted your reminder" in await forget_and_confirm(api, ann)
        mark = api.mark()
        [answer] = [
            call for call in await ann.press(reminder.message, "rem:snooze") if call.method == "answerCallbackQuery"
        ]
        await api.wait_for("editMessageReplyMarkup", since=mark, chat_id=545)  # Snooze goes from under it
        assert "nothing to snooze" in answer.params["text"]
        assert store_of(app).person(545) is None
        clock.advance(20 * 60)
        assert await sweep_now(app) == {}
    assert len(reminder_calls(api)) == 1


async def test_a_double_tap_on_snooze_trims_the_buttons_once(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    clock = FakeClock(AFTERNOON)
    async with running_bot(api, data_dir, clock, engine) as app:
        ann = Chatter(api, 544)
        reminder = await delivered_reminder(app, api, clock, ann)
        trimmed = await snooze(api, ann, reminder)
        assert "Already snoozed" in await _toast(ann, trimmed.message, "rem:snooze")
        assert "Already snoozed" in await _toast(ann, reminder.message, "rem:snooze")  # as it was before
        clock.advance(15 * 60)
        assert (await sweep_now(app))[Outcome.SENT] == 1
    assert len(reminder_calls(api)) == 2  # the snooze counted once


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("/timezone@footbot_test_bot berlin", "/timezone"),
        ("/tz berlin", "/tz"),
        ("/remind@footbot_test_bot", "/remind"),
    ],
)
async def test_in_a_group_the_private_chat_hint_names_the_command_used(
    api: ReminderFakeApi, data_dir: Path, engine: Engine, typed: str, named: str
) -> None:
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine) as app:
        member = Chatter(api, 545, chat=group_chat_dict(-100778))
        hint = await say(member, typed)
        assert store_of(app).person(-100778) is None and store_of(app).person(545) is None
    assert f"send me {named} in a private chat" in hint


# ---- from the Telegram probe: a reminder turned off while Telegram made us wait, old buttons, a zone fixed late ----


async def _menu_off(api: ReminderFakeApi, chatter: Chatter, menu: ApiCall) -> None:
    mark = api.mark()
    await chatter.press(menu.message, "rem:off")
    await api.wait_for("editMessageText", since=mark, chat_id=chatter.chat_id, within=5)


async def test_off_tapped_while_a_429_is_waited_out_sends_nothing(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    clock = FakeClock(AFTERNOON)
    async with running_bot(api, data_dir, clock, engine) as app:
        ann = Chatter(api, 546)
        await ann.say("/remind 22:30")
        [menu] = [call for call in await ann.say("/remind") if call.method == "sendMessage"]
        clock.set(just_after_bedtime(1))
        mark = api.mark()
        api.fail("sendMessage", times=2, status=429, retry_after=2)
        sweeping = asyncio.ensure_future(sweep_now(app))
        await api.wait_for("sendMessage", since=mark, ok_only=False, within=5)  # the first 429
        await _menu_off(api, ann, menu)
        assert await sweeping == {Outcome.WITHDRAWN: 1}
        clock.advance(60)
        assert await sweep_now(app) == {}
    assert reminder_calls(api) == []


async def test_a_snooze_turned_off_while_telegram_floods_is_not_put_back(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    clock = FakeClock(AFTERNOON)
    async with running_bot(api, data_dir, clock, engine) as app:
        ann = Chatter(api, 547)
        reminder = await delivered_reminder(app, api, clock, ann)
        await snooze(api, ann, reminder)
        [menu] = [call for call in await ann.say("/remind") if call.method == "sendMessage"]
        clock.set(epoch("UTC", 2025, 6, 10, 22, 45, 2))
        mark = api.mark()
        api.fail("sendMessage", times=5, status=429, retry_after=1)
        sweeping = asyncio.ensure_future(sweep_now(app))
        await api.wait_for("sendMessage", since=mark, ok_only=False, within=5)
        await _menu_off(api, ann, menu)
        await sweeping
        clock.advance(15)
        assert await sweep_now(app) == {}
        person = store_of(app).person(547)
    assert person is not None and not person.enabled and person.snooze_due is None
    assert len(reminder_calls(api)) == 1


async def test_snooze_under_a_reminder_from_an_earlier_night_sends_nothing(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    clock = FakeClock(AFTERNOON)
    async with running_bot(api, data_dir, clock, engine) as app:
        ann = Chatter(api, 548)
        old = await delivered_reminder(app, api, clock, ann)
        clock.set(epoch("UTC", 2025, 6, 13, 10, 0))  # three days later, in the morning
        mark = api.mark()
        await ann.press(old.message, "rem:snooze")
        [answer] = await api.wait_for("answerCallbackQuery", since=mark)
        clock.set(epoch("UTC", 2025, 6, 13, 10, 15, 1))
        assert await sweep_now(app) == {}
        assert store_of(app).person(548).enabled  # type: ignore[union-attr]  # tonight's still comes
    assert "earlier night" in answer.params["text"]


async def test_a_zone_set_after_a_reminder_came_at_the_wrong_hour_still_brings_tonights(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    """No zone yet, so 22:30 UTC: 15:30 in Los Angeles. Set at 15:40 there, tonight's 22:30 still comes. A zone the
    person had chosen, changed just after the reminder came (Berlin to New York), brings no second one that night."""
    los_angeles = "America/Los_Angeles"
    clock = FakeClock(AFTERNOON)
    async with running_bot(api, data_dir, clock, engine) as app:
        ann, bob = Chatter(api, 549), Chatter(api, 550)
        await ann.say("/remind 22:30")
        await bob.say("/timezone berlin")
        await bob.say("/remind 22:30")
        clock.set(epoch(BERLIN, 2025, 6, 10, 22, 30, 1))
        assert (await sweep_now(app))[Outcome.SENT] == 1  # Bob's
        clock.set(epoch(BERLIN, 2025, 6, 10, 22, 40))
        moved = await say(bob, "/timezone new york")
        clock.set(just_after_bedtime(1))
        assert (await sweep_now(app))[Outcome.SENT] == 1  # Ann's, at 15:30 in Los Angeles
        clock.set(epoch(los_angeles, 2025, 6, 10, 15, 40))
        fixed = await say(ann, "/timezone los angeles")
        clock.set(epoch("America/New_York", 2025, 6, 10, 22, 30, 1))
        assert await sweep_now(app) == {}  # not Bob's again
        clock.set(epoch(los_angeles, 2025, 6, 10, 22, 30, 1))
        assert (await sweep_now(app))[Outcome.SENT] == 1  # Ann's, at bedtime
    assert "next tonight" in fixed and "next tomorrow" in moved
    assert reminders_per_chat(api) == {549: 2, 550: 1}


async def test_a_made_up_place_is_asked_about_and_nothing_is_stored(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine) as app:
        ann = Chatter(api, 551)
        [asked] = [call for call in await ann.say("/timezone narnia") if call.method == "sendMessage"]
        assert store_of(app).person(551) is None
        mark = api.mark()
        await ann.press(asked.message, asked.buttons[0][1])
        await api.wait_for("editMessageText", since=mark, chat_id=551)
        chosen = store_of(app).person(551)
    assert "Did you mean Sarnia, Canada (Ontario)?" in visible(asked)
    assert chosen is not None and chosen.zone == "America/Toronto"


@pytest.mark.parametrize("said", ["stop", "off", "cancel", "/stop"])
async def test_stop_just_after_setting_a_reminder_turns_it_off(
    api: ReminderFakeApi, data_dir: Path, engine: Engine, said: str
) -> None:
    """From the Telegram probe: "stop" said there was nothing running, "off" said good night, /stop was unknown."""
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine) as app:
        ann = Chatter(api, 552)
        await ann.say("remind me at 10pm")
        assert store_of(app).person(552).enabled  # type: ignore[union-attr]
        reply = await say(ann, said)
        person = store_of(app).person(552)
    assert person is not None and not person.enabled
    assert "off" in reply.lower() and "nothing running" not in reply


async def test_midday_is_set_with_a_note_on_midnight_and_zone_works_as_timezone(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine) as app:
        ann = Chatter(api, 553)
        noon = await say(ann, "/remind 12pm")
        zoned = await say(ann, "/zone berlin")
        person = store_of(app).person(553)
    assert "every night at 12:00" in noon and "For midnight, send /remind 00:00" in noon
    assert person is not None and person.zone == "Europe/Berlin" and "Europe/Berlin" in zoned


@pytest.mark.parametrize("typed", ["/remind 22:30 berlin", "/remind 10:30pm in Berlin"])
async def test_remind_with_a_time_and_a_place_sets_both(
    api: ReminderFakeApi, data_dir: Path, engine: Engine, typed: str
) -> None:
    """From the Telegram probe: "could not read '22:30 berlin' as a time", though the same in words set both."""
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine) as app:
        ann = Chatter(api, 554)
        said = await say(ann, typed)
        person = store_of(app).person(554)
    assert person is not None and person.zone == "Europe/Berlin" and person.remind_at == time(22, 30)
    assert "22:30 (Europe/Berlin)" in said


@pytest.mark.parametrize("typed", ["/remind 22:30 no", "/remind 22:30 off", "/remind 22:30 mon"])
async def test_remind_with_a_time_and_a_word_that_is_no_place_sets_no_zone(
    api: ReminderFakeApi, data_dir: Path, engine: Engine, typed: str
) -> None:
    """From the review: "/remind 22:30 no" set the zone of Ho, Ghana, as if the person had chosen it."""
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine) as app:
        said = await say(Chatter(api, 555), typed)
        person = store_of(app).person(555)
    assert person is None or (person.zone == "UTC" and not person.zone_confirmed)
    assert "could not read" in said


async def test_stop_command_during_the_routine_stops_the_routine_not_the_reminders(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine) as app:
        ann = Chatter(api, 556)
        await ann.say("/remind 22:30")
        await ann.say("/routine")
        said = await say(ann, "/stop")
        person = store_of(app).person(556)
    assert person is not None and person.enabled
    assert "stop there" in said
