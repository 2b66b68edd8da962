"""Features asked for in words, through real Bot API HTTP: each is carried out exactly as its command is.

Each test runs the Application `footbot run` builds against the fake Bot API, with a fake clock and a real
SQLite file, and compares what a request in words does with what the command does in another chat.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.config import DEFAULT_KNOWLEDGE_DIR
from bot.core.engine import Engine
from bot.reminders.places import place_index
from bot.store import Person, Store
from bot.telegram_app import forgetting, reminders
from bot.telegram_app.commands import FOOTMAP_CAPTION
from tests.reminders.bot_harness import ReminderFakeApi, forget_and_confirm, running_bot, visible
from tests.reminders.clock import FakeClock, epoch
from tests.telegram.fake_bot_api import ApiCall, group_chat_dict
from tests.telegram.fake_bot_api import Person as Chatter

AFTERNOON = epoch("UTC", 2025, 6, 10, 15, 0)  # a Tuesday in June, no daylight-saving change near


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load(DEFAULT_KNOWLEDGE_DIR)


@pytest.fixture
async def api() -> AsyncIterator[ReminderFakeApi]:
    async with ReminderFakeApi() as server:
        yield server


@pytest.fixture
async def app(api: ReminderFakeApi, tmp_path: Path, engine: Engine) -> AsyncIterator[Application]:
    async with running_bot(api, tmp_path / "data", FakeClock(AFTERNOON), engine) as application:
        yield application


def store_of(application: Application) -> Store:
    return application.bot_data[reminders.STORE]


def stored(application: Application, chat_id: int) -> tuple[object, ...] | None:
    """What the store keeps for a chat, without the chat id (to compare two chats)."""
    person: Person | None = store_of(application).person(chat_id)
    if person is None:
        return None
    return (person.remind_at, person.enabled, person.zone, person.zone_confirmed, person.next_due)


async def said(chatter: Chatter, text: str) -> ApiCall:
    """The one message the bot sends back (after any caveat)."""
    calls = [call for call in await chatter.say(text) if call.method == "sendMessage"]
    return calls[-1]


def shown(call: ApiCall) -> tuple[str, list[tuple[str, str]]]:
    return visible(call), call.buttons


# ---- reminders ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "command"),
    [
        ("remind me at 10pm", "/remind 22:00"),
        ("can you remind me every night at 22:30?", "/remind 22:30"),
        ("could you set up a nightly reminder for 9.45 pm please", "/remind 21:45"),
        ("remind me at half past ten", "/remind 22:30"),
    ],
)
async def test_a_reminder_set_in_words_is_the_same_as_the_remind_command(
    api: ReminderFakeApi, app: Application, words: str, command: str
) -> None:
    by_words = await said(Chatter(api, 601), words)
    by_command = await said(Chatter(api, 602), command)
    assert stored(app, 601) is not None and stored(app, 601) == stored(app, 602)
    assert shown(by_words) == shown(by_command)
    assert "every night at" in visible(by_words) and "I don't know your time zone yet" in visible(by_words)


async def test_a_reminder_asked_for_without_a_time_shows_the_remind_menu(
    api: ReminderFakeApi, app: Application
) -> None:
    by_words = await said(Chatter(api, 603), "set a bedtime reminder")
    by_command = await said(Chatter(api, 604), "/remind")
    assert shown(by_words) == shown(by_command)
    assert ("22:30", "rem:set:22:30") in by_words.buttons
    assert store_of(app).person(603) is None  # nothing set until a time is picked


async def test_stopping_reminders_in_words_is_remind_off(api: ReminderFakeApi, app: Application) -> None:
    ann, bob = Chatter(api, 605), Chatter(api, 606)
    for chatter in (ann, bob):
        await chatter.say("/remind 22:30")
    by_words = await said(ann, "turn off my reminders please")
    by_command = await said(bob, "/remind off")
    assert shown(by_words) == shown(by_command)
    person = store_of(app).person(605)
    assert person is not None and not person.enabled
    assert stored(app, 605) == stored(app, 606)


@pytest.mark.parametrize("first", ["remind me at 9pm", "/remind 21:00", "set a bedtime reminder"])
@pytest.mark.parametrize(
    ("change", "command"), [("actually make it 10", "/remind 22:00"), ("no, 10:30pm", "/remind 22:30")]
)
async def test_a_new_time_said_just_after_a_reminder_changes_it_as_the_command_would(
    api: ReminderFakeApi, app: Application, first: str, change: str, command: str
) -> None:
    ann, bob = Chatter(api, 607), Chatter(api, 608)
    await ann.say(first)
    by_words = await said(ann, change)
    by_command = await said(bob, command)
    assert stored(app, 607) is not None and stored(app, 607) == stored(app, 608)
    assert shown(by_words) == shown(by_command)


@pytest.mark.parametrize("first", ["remind me at 9pm", "/remind 21:00"])
async def test_make_it_11_long_after_a_reminder_changes_it_as_the_command_would(
    api: ReminderFakeApi, app: Application, first: str
) -> None:
    """It repeated the last answer once other talk came between; /remind by command is remembered as words are."""
    ann, bob = Chatter(api, 609), Chatter(api, 610)
    await ann.say(first)
    for message in ("which toe helps earache", "why?", "thanks"):
        await ann.say(message)
    by_words = await said(ann, "make it 11")
    by_command = await said(bob, "/remind 23:00")
    assert stored(app, 609) is not None and stored(app, 609) == stored(app, 610)
    assert shown(by_words) == shown(by_command)


@pytest.mark.parametrize(
    ("first", "move", "command"),
    [
        ("remind me at 9pm", "an hour later please", "/remind 22:00"),  # it said "Good night!"
        ("/remind 21:30", "30 minutes earlier", "/remind 21:00"),
        ("/remind 23:30", "push it back an hour", "/remind 00:30"),  # past midnight
        ("/remind 21:00", "an hour and a half later", "/remind 22:30"),  # it moved by an hour
    ],
)
async def test_a_reminder_moved_in_words_is_set_as_the_command_would_set_that_time(
    api: ReminderFakeApi, app: Application, first: str, move: str, command: str
) -> None:
    ann, bob = Chatter(api, 611), Chatter(api, 612)
    await ann.say(first)
    await bob.say(first)
    by_words = await said(ann, move)
    by_command = await said(bob, command)
    assert stored(app, 611) is not None and stored(app, 611) == stored(app, 612)
    assert shown(by_words) == shown(by_command)


async def test_moving_a_reminder_that_is_not_there_shows_the_reminder_menu(
    api: ReminderFakeApi, app: Application
) -> None:
    ann, bob = Chatter(api, 613), Chatter(api, 614)
    by_words = await said(ann, "an hour later please")
    by_command = await said(bob, "/remind")
    assert store_of(app).person(613) is None
    assert shown(by_words) == shown(by_command)


async def test_a_reminder_moved_by_an_amount_not_said_shows_its_menu_and_keeps_its_time(
    api: ReminderFakeApi, app: Application
) -> None:
    ann, bob = Chatter(api, 615), Chatter(api, 616)
    await ann.say("/remind 21:00")
    await bob.say("/remind 21:00")
    by_words = await said(ann, "a bit later please")  # it said "Good night!"
    by_command = await said(bob, "/remind")
    assert stored(app, 615) is not None and stored(app, 615) == stored(app, 616)
    assert shown(by_words) == shown(by_command)


async def test_cancel_it_just_after_a_reminder_turns_reminders_off(api: ReminderFakeApi, app: Application) -> None:
    ann = Chatter(api, 609)
    await ann.say("remind me at 9pm")
    await ann.say("ok cancel it")
    person = store_of(app).person(609)
    assert person is not None and not person.enabled


async def test_a_number_in_a_question_after_a_reminder_is_no_new_time(api: ReminderFakeApi, app: Application) -> None:
    ann = Chatter(api, 610)
    await ann.say("/remind 21:00")
    await ann.say("what about the 2nd toe?")
    person = store_of(app).person(610)
    assert person is not None and person.enabled and person.remind_at is not None and person.remind_at.hour == 21


async def test_a_time_zone_given_in_words_is_set_as_by_the_timezone_command(
    api: ReminderFakeApi, app: Application
) -> None:
    by_words = await said(Chatter(api, 607), "change my time zone to berlin")
    by_command = await said(Chatter(api, 608), "/timezone berlin")
    assert shown(by_words) == shown(by_command)
    assert stored(app, 607) == stored(app, 608)
    person = store_of(app).person(607)
    assert person is not None and person.zone == "Europe/Berlin" and person.zone_confirmed
    await said(Chatter(api, 609), "I'm in Tokyo")
    assert store_of(app).person(609).zone == "Asia/Tokyo"  # type: ignore[union-attr]
    await said(Chatter(api, 610), "I'm in Mumbai")  # no zone's own name: found as /timezone finds it
    assert store_of(app).person(610).zone == "Asia/Kolkata"  # type: ignore[union-attr]


@pytest.fixture
def zone_index() -> None:
    """The GeoNames index, built before the bot starts: building it takes seconds on a busy machine."""
    place_index()


@pytest.mark.usefixtures("zone_index")
@pytest.mark.parametrize(
    ("words", "zone", "label"),
    [
        ("I'm in Paris, remind me at 10pm", "Europe/Paris", "Paris, France"),
        ("remind me at 22:00, I live in Toronto", "America/Toronto", "Toronto, Canada (Ontario)"),
        ("I live in Toronto. Remind me at 10pm", "America/Toronto", "Toronto, Canada (Ontario)"),
    ],
)
async def test_a_reminder_asked_for_with_a_place_sets_the_time_zone_too(
    api: ReminderFakeApi, app: Application, words: str, zone: str, label: str
) -> None:
    reply = await said(Chatter(api, 630), words)
    person = store_of(app).person(630)
    assert person is not None and person.zone == zone and person.zone_confirmed
    assert person.remind_at is not None and person.remind_at.strftime("%H:%M") == "22:00"
    assert person.next_due == epoch(zone, 2025, 6, 10, 22, 0)
    assert f"every night at 22:00 ({zone})" in visible(reply) and label in visible(reply)
    assert "I don't know your time zone" not in visible(reply)


@pytest.mark.usefixtures("zone_index")
async def test_a_reminder_with_a_place_of_several_names_is_set_and_the_zone_asked_for(
    api: ReminderFakeApi, app: Application
) -> None:
    calls = await Chatter(api, 631).say("I live in Kingston, remind me at 10pm", count=2)
    done, question = [call for call in calls if call.method == "sendMessage"]
    person = store_of(app).person(631)
    assert person is not None and person.remind_at is not None and not person.zone_confirmed
    assert "every night at 22:00 (UTC)" in visible(done)
    assert "Which one do you mean by “Kingston”" in visible(question)
    assert [label.split(" · ")[0] for label, _ in question.buttons][:2] == [
        "Kingston, Jamaica",
        "Kingston, Canada (Ontario)",
    ]


@pytest.mark.usefixtures("zone_index")
async def test_a_reminder_with_an_unknown_place_is_set_and_says_what_works(
    api: ReminderFakeApi, app: Application
) -> None:
    calls = await Chatter(api, 632).say("I'm in Xyzzyville, remind me at 10pm", count=2)
    done, question = [visible(call) for call in calls if call.method == "sendMessage"]
    assert store_of(app).person(632).remind_at is not None  # type: ignore[union-attr]
    assert "every night at 22:00" in done
    assert "couldn't find a time zone for “Xyzzyville”" in question


@pytest.mark.parametrize(
    "words", ["remind me at 10pm", "I'm in bed, remind me at 10pm", "I'm in pain, remind me at 10"]
)
async def test_a_reminder_naming_no_place_never_looks_one_up(
    api: ReminderFakeApi, app: Application, monkeypatch: pytest.MonkeyPatch, words: str
) -> None:
    """The place index costs tens of megabytes: only a reminder request that names a place may build it."""
    looked_up: list[str] = []
    monkeypatch.setattr(reminders, "match_zone", lambda text, *rest: looked_up.append(text))
    reply = await said(Chatter(api, 633), words)
    assert "every night at 22:00" in visible(reply)
    assert looked_up == []


async def test_a_condition_named_with_a_request_gets_its_caveat_first(api: ReminderFakeApi, app: Application) -> None:
    calls = [call for call in await Chatter(api, 610).say("I'm pregnant, remind me at 10pm", count=2)]
    texts = [visible(call) for call in calls if call.method == "sendMessage"]
    assert "pregnant" in texts[0] and "doctor or midwife" in texts[0]
    assert "every night at 22:00" in texts[1]
    assert store_of(app).person(610).remind_at is not None  # type: ignore[union-attr]


async def test_in_a_group_a_reminder_in_words_is_refused_as_the_command_is(
    api: ReminderFakeApi, app: Application
) -> None:
    group = group_chat_dict(-100777)
    by_words = await said(Chatter(api, 611, chat=group), "@footbot_test_bot remind me at 10pm")
    by_command = await said(Chatter(api, 612, chat=group), "/remind@footbot_test_bot 22:00")
    assert visible(by_words) == visible(by_command) == reminders.PRIVATE_ONLY.format(command="/remind")
    assert store_of(app).person(611) is None


@pytest.mark.parametrize(
    ("words", "command"),
    [("@footbot_test_bot I'm in Berlin", "/timezone"), ("@footbot_test_bot stop reminders", "/remind off")],
)
async def test_in_a_group_a_request_in_words_is_pointed_at_the_command_that_does_it(
    api: ReminderFakeApi, app: Application, words: str, command: str
) -> None:
    refusal = await said(Chatter(api, 614, chat=group_chat_dict(-100778)), words)
    assert visible(refusal) == reminders.PRIVATE_ONLY.format(command=command)
    links = [entity.get("url") for entity in refusal.message.get("entities", []) if entity["type"] == "text_link"]
    assert links == ["https://t.me/footbot_test_bot"], "'a private chat' opens one"


async def test_in_a_group_a_condition_named_with_a_request_still_gets_its_caveat(
    api: ReminderFakeApi, app: Application
) -> None:
    group = group_chat_dict(-100779)
    calls = await Chatter(api, 615, chat=group).say("@footbot_test_bot I'm pregnant, remind me at 10pm", count=2)
    texts = [visible(call) for call in calls if call.method == "sendMessage"]
    assert "doctor or midwife" in texts[0]
    assert texts[1] == reminders.PRIVATE_ONLY.format(command="/remind")


async def test_how_to_set_a_reminder_is_answered_not_carried_out(api: ReminderFakeApi, app: Application) -> None:
    answer = await said(Chatter(api, 613), "how do I set a reminder?")
    assert "/remind 22:30" in visible(answer)
    assert store_of(app).person(613) is None


# ---- the foot map, the routine, safety ----------------------------------------------------------------


async def test_the_foot_map_asked_for_in_words_sends_the_picture_as_toes_does(
    api: ReminderFakeApi, app: Application
) -> None:
    mark = api.mark()
    by_words = await said(Chatter(api, 620), "send me the picture of the foot zones")
    [photo] = api.calls_to("sendPhoto", since=mark, chat_id=620)
    assert photo.params.get("caption") == FOOTMAP_CAPTION
    assert "photo" in photo.files or isinstance(photo.params.get("photo"), str)
    by_command = await said(Chatter(api, 621), "/toes")
    assert api.calls_to("sendPhoto", since=mark, chat_id=621)
    assert shown(by_words) == shown(by_command)


async def test_toes_after_a_condition_named_brings_its_caveat_as_the_words_do(
    api: ReminderFakeApi, app: Application
) -> None:
    """The console and `ask --chats` gave the caveat with /toes, Telegram only with the words: now both."""
    for chat, asked in ((624, "/toes"), (625, "show me the foot map")):
        chatter = Chatter(api, chat)
        await chatter.say("I'm pregnant")
        mark = api.mark()
        await chatter.say(asked, count=2)  # the caveat, the picture, then the zones
        texts = [visible(call) for call in api.calls_to("sendMessage", since=mark, chat_id=chat)]
        assert "doctor or midwife" in texts[0], asked
        assert api.calls_to("sendPhoto", since=mark, chat_id=chat), asked


async def test_routine_after_a_condition_named_brings_its_caveat_as_the_words_do(
    api: ReminderFakeApi, app: Application
) -> None:
    """From the review: "start the routine" carried the heart caveat named earlier, /routine did not."""
    firsts = []
    for chat, asked in ((626, "/routine"), (627, "start tonight's routine")):
        chatter = Chatter(api, chat)
        await chatter.say("my dad has heart failure")
        mark = api.mark()
        await chatter.say(asked, count=2)  # the caveat, then step 1
        texts = [visible(call) for call in api.calls_to("sendMessage", since=mark, chat_id=chat)]
        firsts.append(texts[0])
    assert "heart condition" in firsts[0] and firsts[0] == firsts[1]


async def test_the_routine_and_safety_asked_for_in_words_are_the_commands(
    api: ReminderFakeApi, app: Application
) -> None:
    ann, bob = Chatter(api, 622), Chatter(api, 623)
    assert shown(await said(ann, "start tonight's routine")) == shown(await said(bob, "/routine"))
    assert shown(await said(ann, "show me the safety info")) == shown(await said(bob, "/safety"))


# ---- forgetting: always asked first ------------------------------------------------------------------


async def test_delete_my_data_asks_first_and_cancel_keeps_everything(api: ReminderFakeApi, app: Application) -> None:
    ann = Chatter(api, 630)
    await ann.say("/timezone berlin")
    await ann.say("/remind 22:30")
    before = stored(app, 630)
    question = await said(ann, "delete my data")
    assert "Delete everything?" in visible(question)
    assert question.buttons == [
        ("🧹 Yes, delete", f"{forgetting.FORGET_YES}:630"),
        ("Cancel", f"{forgetting.FORGET_NO}:630"),
    ]
    assert stored(app, 630) == before  # nothing deleted on the words alone
    mark = api.mark()
    await ann.press(question.message, f"{forgetting.FORGET_NO}:630")
    [edit] = await api.wait_for("editMessageText", since=mark, chat_id=630)
    assert "deleted nothing" in visible(edit)
    assert stored(app, 630) == before


async def test_delete_my_data_then_yes_deletes_everything(api: ReminderFakeApi, app: Application) -> None:
    ann = Chatter(api, 631)
    await ann.say("/remind 22:30")
    question = await said(ann, "please forget everything you know about me")
    assert store_of(app).person(631) is not None
    mark = api.mark()
    await ann.press(question.message, f"{forgetting.FORGET_YES}:631")
    [edit] = await api.wait_for("editMessageText", since=mark, chat_id=631)
    assert store_of(app).person(631) is None
    assert "I deleted your reminder" in visible(edit)


async def test_the_forget_command_asks_the_same_question(api: ReminderFakeApi, app: Application) -> None:
    ann, bob = Chatter(api, 632), Chatter(api, 633)
    await ann.say("/remind 22:30")
    by_command = await said(ann, "/forget")
    by_words = await said(bob, "delete my data")
    assert visible(by_command) == visible(by_words)
    assert by_command.buttons == [(label, data.replace("633", "632")) for label, data in by_words.buttons]  # each asker
    assert store_of(app).person(632) is not None


async def test_in_a_group_only_the_member_who_asked_can_answer_the_forget_question(
    api: ReminderFakeApi, app: Application
) -> None:
    """Dan asks; Cleo pressing Yes must not delete Cleo's data, nor tell the group that "your" data is gone."""
    group = group_chat_dict(-100777)
    cleo, dan = Chatter(api, 640, chat=group, first_name="Cleo"), Chatter(api, 641, chat=group, first_name="Dan")
    await Chatter(api, 640).say("/remind 22:30")  # Cleo's own reminder, set in private
    await Chatter(api, 641).say("/remind 21:30")
    question = (await dan.say("/forget"))[-1]
    yes = question.buttons[0][1]
    [refusal] = await cleo.press(question.message, yes)
    assert refusal.params.get("show_alert") and "Only the person who asked" in refusal.params["text"]
    assert store_of(app).person(640) is not None and store_of(app).person(641) is not None
    assert "Delete everything?" in api.messages[(group["id"], question.message["message_id"])]["text"]
    mark = api.mark()
    await dan.press(question.message, yes)
    [edit] = await api.wait_for("editMessageText", since=mark, chat_id=group["id"])
    assert "I deleted your reminder" in visible(edit)
    assert store_of(app).person(641) is None and store_of(app).person(640) is not None


@pytest.mark.parametrize("second", ["yes", "no"])
async def test_a_quick_second_tap_on_the_forget_question_leaves_the_first_answer_standing(
    api: ReminderFakeApi, app: Application, second: str
) -> None:
    ann = Chatter(api, 642)
    await ann.say("/remind 22:30")
    question = (await ann.say("/forget"))[-1]
    mark = api.mark()
    await ann.press(question.message, f"{forgetting.FORGET_YES}:642", wait_for=None)
    await ann.press(question.message, f"forget:{second}:642", wait_for=None)
    await api.wait_for("answerCallbackQuery", since=mark, count=2)
    await api.quiet(0.3)
    assert store_of(app).person(642) is None
    assert "I deleted your reminder" in api.messages[(642, question.message["message_id"])]["text"]


async def test_a_forget_question_sent_before_buttons_named_who_asked_still_works_in_a_private_chat(
    api: ReminderFakeApi, app: Application
) -> None:
    ann = Chatter(api, 643)
    await ann.say("/remind 22:30")
    question = (await ann.say("/forget"))[-1]
    mark = api.mark()
    await ann.press(question.message, forgetting.FORGET_YES)  # the data an older question's button carries
    await api.wait_for("editMessageText", since=mark, chat_id=643)
    assert store_of(app).person(643) is None


async def test_forget_drops_what_the_chat_kept_about_the_routine_pages_shown(
    api: ReminderFakeApi, app: Application
) -> None:
    """/forget promises everything: the chat's own data (the routine pages on screen) goes too."""
    ann = Chatter(api, 644)
    [page] = await ann.say("/routine")
    await ann.press(page.message, page.buttons[-1][1], wait_for="editMessageText")  # Next
    assert app.chat_data.get(644)  # the page on screen is kept while the routine runs
    await forget_and_confirm(api, ann)
    assert not app.chat_data.get(644)


async def test_a_condition_named_after_remind_gets_its_caution_and_the_reminder_is_set(
    api: ReminderFakeApi, app: Application
) -> None:
    # "/remind 22:00 im diabetic" got the caution, then "I couldn't read that time".
    ann = Chatter(api, 617)
    replies = [
        call.text for call in await ann.say("/remind 22:00 im diabetic", count=2) if call.method == "sendMessage"
    ]
    assert len(replies) == 2 and "diabetes" in replies[0]
    person = store_of(app).person(617)
    assert person is not None and person.enabled and person.remind_at is not None and person.remind_at.hour == 22
