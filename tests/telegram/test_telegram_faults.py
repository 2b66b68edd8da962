"""Telegram misbehaving: 429 with retry_after, bursts of 5xx, dropped connections. The bot keeps going."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fake_bot_api import FakeBotApi, Person
from telegram.ext import Application

from bot.config import Settings
from bot.telegram_app.errors import SORRY
from bot.telegram_app.logging_setup import configure_logging


async def test_a_429_is_waited_out_and_the_answer_still_arrives(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    fake_api.fail("sendMessage", times=1, status=429, retry_after=1)
    await ann.say("which toe helps earache")
    refused, delivered = fake_api.calls_to("sendMessage", ok_only=False)
    assert refused.status == 429 and delivered.ok
    assert delivered.at - refused.at >= 1.0
    assert "little toe" in delivered.text


async def test_repeated_429s_are_retried_up_to_the_configured_limit(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    fake_api.fail("sendMessage", times=3, status=429, retry_after=1)
    await ann.say("which toe helps earache", within=15)
    statuses = [call.status for call in fake_api.calls_to("sendMessage", ok_only=False)]
    assert statuses == [429, 429, 429, 200]


async def test_a_burst_of_502s_on_send_message_is_retried_and_the_answer_arrives(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    fake_api.fail("sendMessage", times=3, status=502)
    await ann.say("which toe helps earache")
    statuses = [call.status for call in fake_api.calls_to("sendMessage", ok_only=False)]
    assert statuses == [502, 502, 502, 200]


async def test_a_504_is_not_repeated_since_telegram_may_have_delivered_it(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    fake_api.fail("sendMessage", times=1, status=504)
    await ann.say("which toe helps earache")  # the apology
    statuses = [call.status for call in fake_api.calls_to("sendMessage", ok_only=False)]
    assert statuses == [504, 200]
    assert fake_api.calls_to("sendMessage")[0].text == SORRY


@pytest.mark.parametrize(("status", "times"), [(504, 1), (0, 1), (400, 1), (500, 4)])
async def test_a_refused_typing_indicator_never_costs_the_answer(
    bot: Application, fake_api: FakeBotApi, ann: Person, status: int, times: int
) -> None:
    """ "typing…" is cosmetic: a 504, a dropped connection, a 400 or a run of 500s on it still leaves the answer."""
    fake_api.fail("sendChatAction", times=times, status=status)
    calls = await ann.say("which toe helps earache")
    assert [call.text for call in calls if call.method == "sendMessage"] != [SORRY]
    assert "little toe" in calls[-1].text


async def test_a_longer_outage_ends_in_an_apology_and_the_bot_carries_on(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    fake_api.fail("sendMessage", times=4, status=503)
    await ann.say("which toe helps earache")
    assert fake_api.calls_to("sendMessage")[-1].text == SORRY
    calls = await ann.say("which toe helps toothache")
    assert "toothache" in calls[-1].text


async def test_a_burst_of_502s_on_get_updates_does_not_stop_polling(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    mark = fake_api.mark()
    fake_api.fail("getUpdates", times=2, status=502)
    await fake_api.wait_for("getUpdates", count=2, since=mark, ok_only=False)
    calls = await ann.say("which toe helps earache", within=15)
    assert "little toe" in calls[-1].text
    assert [call.status for call in fake_api.calls_to("getUpdates", since=mark, ok_only=False)][:2] == [502, 502]


async def test_a_connection_dropped_in_the_middle_of_a_long_poll_is_survived(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    mark = fake_api.mark()
    fake_api.fail("getUpdates", times=1, status=0)
    await fake_api.wait_for("getUpdates", since=mark, ok_only=False)
    calls = await ann.say("which toe helps earache", within=15)
    assert "little toe" in calls[-1].text


async def test_a_blocked_user_gets_no_apology_and_others_are_unaffected(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    fake_api.fail("sendMessage", times=1, status=403, description="Forbidden: bot was blocked by the user")
    mark = fake_api.mark()
    await ann.say("which toe helps earache", wait_for=None)
    await fake_api.wait_for("sendMessage", since=mark, ok_only=False)
    await fake_api.quiet(0.3)
    assert [call.status for call in fake_api.calls_to("sendMessage", since=mark, ok_only=False)] == [403]
    bob = Person(fake_api, 1002)
    calls = await bob.say("which toe helps earache")
    assert "little toe" in calls[-1].text


async def test_messages_sent_during_an_outage_are_all_answered_afterwards(
    bot: Application, fake_api: FakeBotApi
) -> None:
    people = [Person(fake_api, 5000 + number) for number in range(20)]
    fake_api.fail("getUpdates", times=1, status=502)
    for person in people:
        await person.say("which toe helps earache", wait_for=None)
    await fake_api.wait_for("sendMessage", count=len(people), within=15)
    answered = {call.chat_id for call in fake_api.calls_to("sendMessage")}
    assert answered == {person.chat_id for person in people}


async def test_the_token_is_in_no_log_line_even_at_debug_level(
    fake_api: FakeBotApi, settings: Settings, start_bot: object, ann: Person
) -> None:
    with captured_logs(settings, "DEBUG") as stream:
        fake_api.fail("sendMessage", times=1, status=502)
        fake_api.fail("getUpdates", times=1, status=502)
        async with start_bot(settings):  # type: ignore[operator]
            await ann.say("which toe helps earache", within=15)
            fake_api.fail("sendMessage", times=5, status=500)
            await ann.say("which toe helps toothache")  # ends in an apology, with a logged traceback
    output = stream.getvalue()
    assert "getUpdates" in output  # DEBUG lines were written...
    assert "Traceback" in output  # ...and an error with its traceback
    assert settings.token not in output
    assert settings.token.split(":")[1] not in output
    assert "[REDACTED]" in output  # the library did try to log it


async def test_message_text_is_not_logged_at_info(
    fake_api: FakeBotApi, settings: Settings, start_bot: object, ann: Person
) -> None:
    with captured_logs(settings, "INFO") as stream:
        async with start_bot(settings):  # type: ignore[operator]
            await ann.say("which toe helps with my secret earache")
            await ann.say("/start")
    output = stream.getvalue()
    assert "footbot is up" in output
    assert "secret" not in output
    assert "HTTP Request" not in output  # httpx's per-request line is silenced


@contextmanager
def captured_logs(settings: Settings, level: str) -> Iterator[io.StringIO]:
    """Everything the bot logs at `level`, set up as `footbot run` does; the root logger restored after."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    previous = root.level
    try:
        configure_logging(secrets=[settings.token], level=level, handler=handler)
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


@pytest.fixture(autouse=True)
def _restore_quiet_loggers() -> object:
    yield
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.NOTSET)


async def test_an_answer_cut_short_logs_no_message_text_and_polling_goes_on(
    fake_api: FakeBotApi, settings: Settings, start_bot: object, ann: Person
) -> None:
    """A getUpdates answer that is not whole JSON (cut short on its way): the library logged all of it, people's
    messages included, at ERROR. Now only that it happened; the batch comes again on the next poll."""
    cut = b'{"ok":true,"result":[{"update_id":7,"message":{"message_id":1,"date":1,"chat":{"id":1001},"text":"my secret'
    with captured_logs(settings, "INFO") as stream:
        async with start_bot(settings):  # type: ignore[operator]
            mark = fake_api.mark()
            fake_api.fail("getUpdates", times=1, status=200, body=cut)
            await fake_api.wait_for("getUpdates", since=mark, ok_only=False)
            calls = await ann.say("which toe helps earache", within=15)
    assert "little toe" in calls[-1].text
    output = stream.getvalue()
    assert "my secret" not in output


@pytest.mark.parametrize("button", ["example question", "routine Next", "forget Yes"])
async def test_a_button_pressed_while_the_bot_was_down_is_carried_out(
    bot: Application, fake_api: FakeBotApi, ann: Person, button: str
) -> None:
    """Telegram delivers a press made during downtime when the bot is back, but refuses the answer to it ("query is
    too old"): that refusal ended the handler before the button did anything, and an apology came instead."""
    if button == "example question":
        [welcome] = await ann.say("/start")
        message, data, done = welcome.message, welcome.buttons[0][1], "sendMessage"
    elif button == "routine Next":
        [page] = await ann.say("/routine")
        message, data, done = page.message, "routine:step:2", "editMessageText"
    else:
        await ann.say("/remind 22:30")
        [question] = await ann.say("/forget")
        message, data, done = question.message, question.buttons[0][1], "editMessageText"
    mark = fake_api.mark()
    [outcome] = await ann.press(message, data, wait_for=done, too_old=True)
    await fake_api.quiet(0.3)
    assert [call.status for call in fake_api.calls_to("answerCallbackQuery", since=mark, ok_only=False)] == [400]
    assert not [call for call in fake_api.calls_to("sendMessage", since=mark) if call.text == SORRY]
    if button == "routine Next":
        assert "step 2 of" in outcome.text
    elif button == "forget Yes":
        assert "I deleted your reminder" in outcome.text
        assert bot.bot_data["store"].person(ann.chat_id) is None
