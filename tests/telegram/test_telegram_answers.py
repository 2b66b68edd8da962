"""Questions in words and the topic buttons, through real HTTP."""

from __future__ import annotations

import pytest
from fake_bot_api import FakeBotApi, Person, parse_telegram_html
from telegram.ext import Application

from bot.core.engine import Engine
from bot.core.privacy import miss_text
from tests.reminders.bot_harness import forget_and_confirm


async def test_a_question_gets_a_typing_indicator_then_the_credited_answer(
    bot: Application, fake_api: FakeBotApi, ann: Person, engine: Engine
) -> None:
    calls = await ann.say("which toe helps earache")
    assert [call.method for call in calls] == ["sendChatAction", "sendMessage"]
    assert calls[0].params["action"] == "typing"
    answer = calls[1]
    assert engine.kb.entry("little_toe").answer[:60] in answer.text
    assert f"<i>{engine.credit}</i>" in answer.text
    assert answer.params["parse_mode"] == "HTML"
    assert "reply_parameters" not in answer.params  # no quoting in a private chat


async def test_an_unanswerable_question_offers_suggestion_buttons_that_answer(
    bot: Application, fake_api: FakeBotApi, ann: Person, engine: Engine
) -> None:
    calls = await ann.say("what is the capital of france")
    fallback = calls[-1]
    assert engine.kb.entry("oos_off_topic").answer[:40] in fallback.text  # why the guide has no answer
    assert fallback.buttons, "a fallback offers topics"
    _, data = fallback.buttons[0]
    topic = data.removeprefix("topic:")
    assert engine.kb.has_entry(topic)
    calls = await ann.press(fallback.message, data, wait_for="sendMessage")
    assert [call.method for call in calls][:2] == ["answerCallbackQuery", "sendMessage"]
    assert "text" not in calls[0].params  # a known topic: no toast
    assert engine.kb.entry(topic).answer[:50] in calls[1].text


async def test_a_follow_up_is_read_against_what_the_chat_asked_last_and_forget_clears_it(
    bot: Application, fake_api: FakeBotApi, ann: Person, engine: Engine
) -> None:
    await ann.say("which toe is for the lungs?")
    calls = await ann.say("why is that?")
    assert engine.kb.entry("what_is_reflexology").answer[:50] in calls[-1].text  # the big toe's `why`
    assert ann.chat_id in bot.bot_data["conversations"]
    await ann.say("/forget")  # asks first: nothing is forgotten yet
    assert ann.chat_id in bot.bot_data["conversations"]
    await forget_and_confirm(fake_api, ann)
    assert ann.chat_id not in bot.bot_data["conversations"]


async def test_unanswered_questions_are_counted_without_anything_about_the_person(
    bot: Application, fake_api: FakeBotApi, ann: Person, engine: Engine
) -> None:
    store = bot.bot_data["store"]
    await ann.say("What is the capital of France?!")
    await ann.say("which toe helps earache")
    assert store.top_misses() == [(miss_text(engine, "What is the capital of France?!"), 1)]


async def test_a_failing_miss_counter_does_not_cost_the_answer(
    bot: Application, fake_api: FakeBotApi, ann: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(text: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(bot.bot_data["store"], "record_miss", broken)
    calls = await ann.say("what is the capital of france")
    assert calls[-1].buttons


async def test_asking_for_the_routine_in_words_starts_the_step_by_step_message(bot: Application, ann: Person) -> None:
    calls = await ann.say("walk me through tonight's routine")
    assert "step 1 of" in calls[-1].text
    assert ("Next ▶️", "routine:step:2") in calls[-1].buttons


async def test_a_routine_request_with_a_condition_sends_its_caveat_first(
    bot: Application, fake_api: FakeBotApi, ann: Person, engine: Engine
) -> None:
    calls = await ann.say("I'm diabetic, walk me through tonight's routine", count=2)
    caveat, routine = [call for call in calls if call.method == "sendMessage"]
    assert caveat.text.startswith("⚠️ <b>Safety</b>")
    assert "diabetes" in caveat.text
    assert "step 1 of" in routine.text


async def test_pregnancy_with_a_routine_request_gets_the_caution_not_the_routine(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    calls = await ann.say("I'm 8 weeks pregnant, walk me through tonight's routine")
    await fake_api.quiet(0.3)
    texts = [call.text for call in fake_api.calls_to("sendMessage", chat_id=ann.chat_id)]
    assert len(texts) == 1
    assert texts[0].startswith("⚠️ <b>Safety</b>")  # caveats first
    assert "step 1 of" not in texts[0]
    assert calls


async def test_an_emergency_is_answered_with_a_pointer_to_emergency_care(
    bot: Application, ann: Person, engine: Engine
) -> None:
    calls = await ann.say("my husband has chest pain and can't breathe")
    assert engine.kb.red_flags.reply[:40] in calls[-1].text


async def test_html_in_the_question_never_breaks_or_injects_markup(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    calls = await ann.say("<b>which toe</b> helps <script>alert(1)</script> earache & sleep?")
    reply = calls[-1]
    assert reply.ok  # the fake refuses HTML Telegram would refuse
    assert "<script>" not in reply.text
    parse_telegram_html(reply.text)


async def test_html_echoed_back_from_user_text_is_escaped(bot: Application, ann: Person) -> None:
    [hint] = await ann.say("/remindme<b>now</b><script>x</script>")
    assert "/remindme&lt;b&gt;now&lt;/b&gt;&lt;script&gt;x&lt;/script&gt;" in hint.text
    assert parse_telegram_html(hint.text).startswith("I don't know the command /remindme<b>now</b>")


async def test_a_4096_character_message_is_answered_within_the_limit(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    question = ("which toe helps earache " * 200)[:4096]
    assert len(question) == 4096
    calls = await ann.say(question)
    for call in calls:
        if call.method == "sendMessage":
            assert len(parse_telegram_html(call.text)) <= 4096
            assert len(call.text) <= 4096


async def test_an_empty_looking_message_gets_a_gentle_example(bot: Application, ann: Person, engine: Engine) -> None:
    calls = await ann.say("🙂🙂 ...")
    assert engine.kb.messages.empty[:30] in calls[-1].text


async def test_an_unknown_or_tampered_topic_button_is_answered_politely(
    bot: Application, fake_api: FakeBotApi, ann: Person, engine: Engine
) -> None:
    [fallback] = (await ann.say("what is the capital of france"))[-1:]
    calls = await ann.press(fallback.message, "topic:no_such_entry", wait_for="sendMessage")
    toast = calls[0]
    assert toast.method == "answerCallbackQuery"
    assert "out of date" in toast.params["text"]
    assert engine.kb.messages.fallback[:40] in calls[-1].text
    calls = await ann.press(fallback.message, "topic:", wait_for="sendMessage")
    assert calls[-1].buttons


async def test_messages_from_one_person_are_answered_in_the_order_sent(
    bot: Application, fake_api: FakeBotApi, ann: Person, engine: Engine
) -> None:
    fake_api.slow("sendChatAction", 0.5)  # the first question's typing indicator takes a while
    await ann.say("which toe helps earache", wait_for=None)
    await ann.say("which toe helps toothache", count=2)
    answers = fake_api.calls_to("sendMessage", chat_id=ann.chat_id)
    assert engine.kb.entry("little_toe").answer[:40] in answers[0].text
    assert engine.kb.entry("middle_toes").answer[:40] in answers[1].text


async def test_a_slow_chat_does_not_hold_up_another(bot: Application, fake_api: FakeBotApi, ann: Person) -> None:
    bob = Person(fake_api, 1002, first_name="Bob")
    fake_api.slow("sendChatAction", 2.5)
    await ann.say("which toe helps earache", wait_for=None)
    await bob.say("which toe helps toothache", within=2.0)
    assert not fake_api.calls_to("sendMessage", chat_id=ann.chat_id)
    await fake_api.wait_for("sendMessage", chat_id=ann.chat_id)


async def test_a_double_tap_on_a_topic_button_answers_once(
    bot: Application, fake_api: FakeBotApi, ann: Person, engine: Engine
) -> None:
    """Telegram delivers both presses of a double tap: the same answer came twice, one under the other; now once."""
    [welcome] = await ann.say("/start")
    _, data = welcome.buttons[0]
    mark = fake_api.mark()
    await ann.press(welcome.message, data, wait_for=None)
    await ann.press(welcome.message, data, wait_for=None)
    await fake_api.wait_for("answerCallbackQuery", count=2, since=mark)
    await fake_api.quiet(0.5)
    assert len(fake_api.calls_to("sendMessage", since=mark)) == 1
    assert fake_api.open_callback_queries == set()
