"""Commands as every text adapter reads them: the console and `footbot ask --chats` answer as Telegram does."""

from __future__ import annotations

import pytest

from bot.core.actions import ActionKind
from bot.core.commands import (
    Command,
    caution_before,
    command_in,
    command_reply,
    reply_to_command,
    unknown_command_text,
)
from bot.core.conversation import ChatContext
from bot.core.engine import Engine
from bot.core.replies import ReplyKind


@pytest.mark.parametrize(
    ("line", "command"),
    [
        ("/routine", Command("routine", "", "/routine")),
        ("/Routine@footbot now", Command("routine", "now", "/Routine")),
        ("/REMIND\t22:30", Command("remind", "22:30", "/REMIND")),
        ("  /help  ", Command("help", "", "/help")),
        ("/", None),  # no command in Telegram either: read as text
        ("which toe? /help", None),
        ("", None),
    ],
)
def test_a_command_is_read_as_telegram_reads_it(line: str, command: Command | None) -> None:
    assert command_in(line) == command


def test_start_welcomes_and_help_says_how_to_ask(engine: Engine) -> None:
    extra = engine.kb.messages.extra
    start = reply_to_command(engine, Command("start", ""), ChatContext())
    assert extra["welcome"] in start.body and extra["disclaimer"] in start.body
    assert start.action is None  # /start does not start the routine
    assert extra["help"] in reply_to_command(engine, Command("help", ""), ChatContext()).body


@pytest.mark.parametrize(
    ("command", "do"),
    [
        (Command("routine", ""), ActionKind.ROUTINE),
        (Command("toes", ""), ActionKind.FOOT_MAP),
        (Command("zones", ""), ActionKind.FOOT_MAP),
        (Command("remind", "22:30"), ActionKind.REMIND),
        (Command("remind", "off."), ActionKind.REMIND_OFF),
        (Command("stop", ""), ActionKind.REMIND_OFF),  # nothing on screen: the reminders
        (Command("timezone", "berlin"), ActionKind.TIMEZONE),
        (Command("forget", ""), ActionKind.FORGET),
    ],
)
def test_each_command_is_its_action(engine: Engine, command: Command, do: ActionKind) -> None:
    reply = reply_to_command(engine, command, ChatContext())
    assert reply.action is not None and reply.action.do is do


def test_stop_with_a_step_on_screen_stops_the_routine(engine: Engine) -> None:
    chat = ChatContext()
    chat.show_step(2)
    reply = reply_to_command(engine, Command("stop", ""), chat)
    assert reply.action is None and chat.routine_stopped == 2


def test_an_unknown_command_names_itself_and_points_at_help(engine: Engine) -> None:
    reply = reply_to_command(engine, Command("nope", "x"), ChatContext())
    assert reply.kind is ReplyKind.SMALLTALK and "/nope" in reply.body and "/help" in reply.body


@pytest.mark.parametrize("line", ["/Foo", "/Foo@footbot bar", "/FOO"])
def test_an_unknown_command_is_named_as_typed_as_telegram_names_it(engine: Engine, line: str) -> None:
    """It said "/foo" where Telegram said "/Foo": both now say the one text, `unknown_command_text`."""
    command = command_in(line)
    assert command is not None
    typed = line.split()[0].partition("@")[0]
    body = reply_to_command(engine, command, ChatContext()).body
    assert body == unknown_command_text(engine, line.split()[0]) and f" {typed}." in body


def test_a_condition_named_after_a_command_is_cautioned_first_and_an_emergency_alone(engine: Engine) -> None:
    chat = ChatContext()
    reply = reply_to_command(engine, Command("routine", "my wife is pregnant"), chat)
    assert reply.conditions == ["pregnancy"] and reply.action is None  # the routine is held back
    assert reply_to_command(engine, Command("toes", "i have chest pain right now"), chat).kind is ReplyKind.RED_FLAG
    # /start's words are a link's payload, never read for a condition
    assert reply_to_command(engine, Command("start", "pregnant"), ChatContext()).conditions == []


def test_the_foot_map_by_command_carries_a_condition_named_earlier_as_asked_in_words(engine: Engine) -> None:
    chat = ChatContext()
    engine.reply("im pregnant", chat)
    assert reply_to_command(engine, Command("toes", ""), chat).conditions == ["pregnancy"]


def test_a_time_said_just_after_remind_changes_it_as_after_words(engine: Engine) -> None:
    """From the conversation probe: "/remind" then "10pm" got "Sorry, I don't know that one"."""
    chat = ChatContext()
    reply_to_command(engine, Command("remind", ""), chat)
    action = engine.reply("10pm", chat).action
    assert action is not None and (action.do, action.time) == (ActionKind.REMIND, "22:00")


def test_remind_on_brings_back_the_time_the_chat_set_as_telegrams_does(engine: Engine) -> None:
    """It opened the menu: "/remind on" in the console and `ask --chats` now does what Telegram's does with its store,
    from the chat's memory (the menu when the chat set no time)."""
    chat = ChatContext()
    for line in ("/remind 22:15", "/remind off"):
        reply_to_command(engine, command_in(line) or Command("", ""), chat)
    for line in ("/remind on", "/REMIND On!"):
        action = reply_to_command(engine, command_in(line) or Command("", ""), chat).action
        assert action is not None and (action.do, action.time) == (ActionKind.REMIND, "22:15")
    menu = reply_to_command(engine, Command("remind", "on"), ChatContext()).action
    assert menu is not None and (menu.do, menu.time) == (ActionKind.REMIND, None)


def test_a_condition_named_in_the_command_is_cautioned_once_not_again_under_it(engine: Engine) -> None:
    """From the second review: "/routine i'm diabetic" gave the caution, then its short caveat again over step 1."""
    chat = ChatContext()
    command = Command("routine", "im diabetic")
    assert caution_before(engine, command, chat) is not None
    assert command_reply(engine, command, chat).caveats == ()
    assert reply_to_command(engine, Command("routine", "im diabetic"), ChatContext()).conditions == ["diabetes"]
