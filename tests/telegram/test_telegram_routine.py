"""Tonight's routine: one message edited by Next / Back / All steps, through real HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from fake_bot_api import ApiError, FakeBotApi, Person, group_chat_dict
from telegram.ext import Application

from bot.core.engine import Engine
from bot.core.knowledge import Condition


async def _open_routine(ann: Person) -> dict[str, Any]:
    [page] = await ann.say("/routine")
    return page.message


async def _press(ann: Person, fake_api: FakeBotApi, message: dict[str, Any], data: str) -> Any:
    """Press a button and return the edit it caused (every press is answered first)."""
    mark = fake_api.mark()
    await ann.press(message, data, wait_for="editMessageText")
    methods = [call.method for call in fake_api.calls[mark:] if call.method != "getUpdates"]
    assert methods[0] == "answerCallbackQuery"
    return fake_api.calls_to("editMessageText", since=mark)[-1]


async def test_next_walks_every_step_in_the_same_message(
    bot: Application, fake_api: FakeBotApi, ann: Person, engine: Engine
) -> None:
    message = await _open_routine(ann)
    steps = engine.kb.routine.steps
    for number in range(2, len(steps) + 1):
        edit = await _press(ann, fake_api, message, f"routine:step:{number}")
        assert edit.params["message_id"] == message["message_id"]
        assert f"step {number} of {len(steps)}" in edit.text
        assert steps[number - 1].title in edit.text
        message = edit.message
    assert len(fake_api.calls_to("sendMessage", chat_id=ann.chat_id)) == 1


async def test_the_last_step_offers_a_bedtime_reminder_and_no_next(
    bot: Application, fake_api: FakeBotApi, ann: Person, engine: Engine
) -> None:
    message = await _open_routine(ann)
    last = len(engine.kb.routine.steps)
    edit = await _press(ann, fake_api, message, f"routine:step:{last}")
    data = [data for _, data in edit.buttons]
    assert "rem:menu" in data
    assert f"routine:step:{last - 1}" in data
    assert f"routine:step:{last + 1}" not in data
    assert engine.kb.messages.extra["routine_done"][:30] in edit.text


async def test_back_goes_to_the_previous_step(bot: Application, fake_api: FakeBotApi, ann: Person) -> None:
    message = await _open_routine(ann)
    edit = await _press(ann, fake_api, message, "routine:step:3")
    back = dict(edit.buttons)["◀️ Back"]
    assert back == "routine:step:2"
    edit = await _press(ann, fake_api, edit.message, back)
    assert "step 2 of" in edit.text


async def test_back_and_stop_typed_in_words_steer_the_routine(
    bot: Application, fake_api: FakeBotApi, ann: Person, engine: Engine
) -> None:
    """As the buttons do: "previous" shows the step before the one on screen, "stop" ends the routine kindly; a
    "stop" with nothing under way says so and what the bot can do (not the unanswered-question fallback)."""
    steps = engine.kb.routine.steps
    message = await _open_routine(ann)
    await _press(ann, fake_api, message, "routine:step:3")
    [back] = [call for call in await ann.say("previous") if call.method == "sendMessage"]
    [stopped] = [call for call in await ann.say("stop") if call.method == "sendMessage"]
    [again] = [call for call in await ann.say("stop") if call.method == "sendMessage"]
    assert steps[1].title in back.text and steps[1].text in back.text
    assert stopped.text == engine.kb.conversation.routine_stopped
    assert again.text == engine.kb.conversation.nothing_running
    assert not again.buttons  # not the fallback's suggestions


async def test_stop_typed_after_a_question_mid_routine_still_ends_it(
    bot: Application, fake_api: FakeBotApi, ann: Person, engine: Engine
) -> None:
    message = await _open_routine(ann)
    await _press(ann, fake_api, message, "routine:step:2")
    [answer] = [call for call in await ann.say("which toe is for the heart?") if call.method == "sendMessage"]
    [stopped] = [call for call in await ann.say("stop") if call.method == "sendMessage"]
    assert "heart" in answer.text
    assert stopped.text == engine.kb.conversation.routine_stopped


async def test_all_steps_shows_the_whole_routine_and_can_go_back_to_step_by_step(
    bot: Application, fake_api: FakeBotApi, ann: Person, engine: Engine
) -> None:
    message = await _open_routine(ann)
    edit = await _press(ann, fake_api, message, "routine:all")
    for step in engine.kb.routine.steps:
        assert step.title in edit.text
    assert ("▶️ Step by step", "routine:step:1") in edit.buttons
    assert ("⏰ Set a bedtime reminder", "rem:menu") in edit.buttons
    edit = await _press(ann, fake_api, edit.message, "routine:step:1")
    assert "step 1 of" in edit.text


async def _press_without_edit(ann: Person, fake_api: FakeBotApi, message: dict[str, Any], data: str) -> str:
    """Press a button that should change nothing: the toast it got; no edit, no new message."""
    mark = fake_api.mark()
    [toast] = [call for call in await ann.press(message, data) if call.method == "answerCallbackQuery"]
    await fake_api.quiet(0.2)
    assert not fake_api.calls_to("editMessageText", since=mark, ok_only=False)
    assert not fake_api.calls_to("sendMessage", since=mark)
    assert fake_api.open_callback_queries == set()
    return str(toast.params.get("text", ""))


async def test_a_double_tap_on_all_steps_edits_nothing_and_says_so(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    message = await _open_routine(ann)
    first = await _press(ann, fake_api, message, "routine:all")
    assert "all the steps already" in await _press_without_edit(ann, fake_api, first.message, "routine:all")


async def test_a_double_tap_on_next_edits_nothing_and_says_which_step(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    message = await _open_routine(ann)
    first = await _press(ann, fake_api, message, "routine:step:2")
    # The second tap carries the message as it is now (step 2) and the button pressed before the edit.
    assert "step 2 already" in await _press_without_edit(ann, fake_api, first.message, "routine:step:2")
    moved = await _press(ann, fake_api, first.message, "routine:step:3")
    assert "step 3 of" in moved.text


async def test_a_quick_double_tap_whose_presses_both_carry_the_old_page_edits_once(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    message = await _open_routine(ann)
    await _press(ann, fake_api, message, "routine:step:2")
    assert "step 2 already" in await _press_without_edit(ann, fake_api, message, "routine:step:2")
    await _press(ann, fake_api, message, "routine:all")
    assert "all the steps already" in await _press_without_edit(ann, fake_api, message, "routine:all")


async def test_two_out_of_date_buttons_in_a_row_restart_once(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    message = await _open_routine(ann)
    moved = await _press(ann, fake_api, message, "routine:step:3")
    restarted = await _press(ann, fake_api, moved.message, "routine:step:99")
    assert "step 1 of" in restarted.text
    assert "out of date" in await _press_without_edit(ann, fake_api, restarted.message, "routine:bogus")


async def test_the_fake_refuses_an_edit_that_changes_nothing_like_telegram(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    """The guard the tests rely on: the same text and buttons again is a 400, and it is recorded."""
    message = await _open_routine(ann)
    fake_api.allow_not_modified = True
    page = fake_api.messages[(ann.chat_id, message["message_id"])]
    same = {"chat_id": ann.chat_id, "message_id": message["message_id"], "text": page["_source"]}
    same |= {"parse_mode": "HTML", "reply_markup": page["reply_markup"]}
    with pytest.raises(ApiError, match="message is not modified"):
        await fake_api._api_editMessageText(same, {})
    # Same visible text in other tags (<strong> for <b>) is the same content for Telegram too.
    strong = page["_source"].replace("<b>", "<strong>").replace("</b>", "</strong>")
    with pytest.raises(ApiError, match="message is not modified"):
        await fake_api._api_editMessageText(same | {"text": strong}, {})
    # Other formatting, or other buttons, is a change.
    plain = same | {"text": page["_source"].replace("<b>", "").replace("</b>", "")}
    assert (await fake_api._api_editMessageText(plain, {}))["text"] == page["text"]


async def test_out_of_range_or_garbage_steps_restart_politely(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    message = await _open_routine(ann)
    moved = await _press(ann, fake_api, message, "routine:step:4")
    for data in (
        "routine:step:99",
        "routine:step:0",
        "routine:step:-1",
        "routine:step:x",
        "routine:bogus",
        "routine:step:٣",
    ):
        mark = fake_api.mark()
        await ann.press(moved.message, data, wait_for="editMessageText")
        [toast] = fake_api.calls_to("answerCallbackQuery", since=mark)
        assert "out of date" in toast.params["text"]
        edit = fake_api.calls_to("editMessageText", since=mark)[-1]
        assert "step 1 of" in edit.text
        moved = await _press(ann, fake_api, edit.message, "routine:step:4")


async def test_routine_start_button_opens_a_new_routine_message(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    reminder = {
        "message_id": 77,
        "from": fake_api.bot_user,
        "chat": ann.chat,
        "date": 1700000000,
        "text": "Time for a foot massage",
    }
    calls = await ann.press(reminder, "routine:start", wait_for="sendMessage")
    assert "step 1 of" in calls[-1].text
    assert not fake_api.calls_to("editMessageText")


async def test_a_double_tap_on_start_tonights_routine_opens_one_routine(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    """The reminder's "Start tonight's routine" sends a new message: a double tap sent two routines at step 1."""
    reminder = {"message_id": 78, "from": fake_api.bot_user, "chat": ann.chat, "date": 1700000000, "text": "Bedtime"}
    mark = fake_api.mark()
    await ann.press(reminder, "routine:start", wait_for=None)
    await ann.press(reminder, "routine:start", wait_for=None)
    await fake_api.wait_for("answerCallbackQuery", count=2, since=mark)
    await fake_api.quiet(0.5)
    assert ["step 1 of" in call.text for call in fake_api.calls_to("sendMessage", since=mark)] == [True]


async def test_a_double_tap_on_set_a_bedtime_reminder_shows_one_menu(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    [page] = await ann.say("/routine")
    mark = fake_api.mark()
    await ann.press(page.message, "rem:menu", wait_for=None)
    await ann.press(page.message, "rem:menu", wait_for=None)
    await fake_api.wait_for("answerCallbackQuery", count=2, since=mark)
    await fake_api.quiet(0.5)
    assert ["Bedtime reminder" in call.text for call in fake_api.calls_to("sendMessage", since=mark)] == [True]


async def test_a_button_on_a_message_too_old_to_edit_sends_the_page_anew(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    # Telegram marks messages older than 48 hours as inaccessible: date 0, nothing else.
    inaccessible = {"message_id": 5, "chat": ann.chat, "date": 0}
    calls = await ann.press(inaccessible, "routine:step:2", wait_for="sendMessage")
    assert "step 2 of" in calls[-1].text


async def test_a_routine_message_deleted_meanwhile_is_sent_again(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    message = await _open_routine(ann)
    del fake_api.messages[(ann.chat_id, message["message_id"])]
    calls = await ann.press(message, "routine:step:2", wait_for="sendMessage")
    assert "step 2 of" in calls[-1].text


async def test_in_a_group_the_last_step_and_all_steps_offer_no_reminder(
    bot: Application, fake_api: FakeBotApi, engine: Engine
) -> None:
    member = Person(fake_api, 3001, chat=group_chat_dict(-1001234), first_name="Cleo")
    [page] = await member.say("/routine")
    last = len(engine.kb.routine.steps)
    edit = await _press(member, fake_api, page.message, f"routine:step:{last}")
    assert "rem:menu" not in [data for _, data in edit.buttons]
    assert f"step {last} of" in edit.text
    assert "reminder" not in edit.text.lower()
    edit = await _press(member, fake_api, edit.message, "routine:all")
    assert "rem:menu" not in [data for _, data in edit.buttons]
    assert "reminder" not in edit.text.lower()


@pytest.mark.parametrize("opening", ["/routine", "walk me through tonight's routine"])
async def test_and_after_that_typed_under_the_routine_is_read_against_the_step_on_screen(
    bot: Application, fake_api: FakeBotApi, ann: Person, engine: Engine, opening: str
) -> None:
    """As in the console: the stepper tells the chat's memory where it stands, so the follow-up names step 3."""
    [page] = [call for call in await ann.say(opening) if call.method == "sendMessage"]
    await _press(ann, fake_api, page.message, "routine:step:2")
    calls = await ann.say("and after that?")
    assert engine.kb.routine.steps[2].title in calls[-1].text


@pytest.mark.parametrize("page", ["routine:step:7", "routine:all"])
async def test_a_time_typed_under_a_page_offering_a_reminder_sets_it(
    bot: Application, fake_api: FakeBotApi, ann: Person, engine: Engine, page: str
) -> None:
    """The last step and All steps offer a bedtime reminder (a button): "10pm please" typed under it takes it up."""
    assert len(engine.kb.routine.steps) == 7
    message = await _open_routine(ann)
    await _press(ann, fake_api, message, page)
    calls = await ann.say("10pm please")
    assert "every night at <b>22:00</b>" in calls[-1].params["text"]


async def test_a_time_typed_under_a_middle_step_is_not_taken_as_a_reminder(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    message = await _open_routine(ann)
    await _press(ann, fake_api, message, "routine:step:3")
    calls = await ann.say("10pm please")
    assert "every night at" not in calls[-1].params["text"]


@pytest.mark.parametrize("taken_up", ["yes please", "button"])
async def test_after_the_whole_order_what_next_offers_the_routine_and_yes_starts_it(
    bot: Application, fake_api: FakeBotApi, ann: Person, engine: Engine, taken_up: str
) -> None:
    """The order has no step after its last: "what next?" offers going through it step by step (words or button)."""
    await ann.say("how do i give a foot massage?")
    [offer] = [call for call in await ann.say("what next?") if call.method == "sendMessage"]
    assert "step at a time" in offer.text
    assert ("Tonight's routine", "topic:start_routine") in offer.buttons
    if taken_up == "button":
        calls = await ann.press(offer.message, "topic:start_routine", wait_for="sendMessage")
    else:
        calls = await ann.say(taken_up)
    page = calls[-1]
    assert f"step 1 of {len(engine.kb.routine.steps)}" in page.text
    assert "routine:step:2" in [data for _, data in page.buttons]


@pytest.mark.parametrize(
    ("said", "shows"),
    [
        ("continue", 4),  # it got the preparation entry
        ("keep going", 4),  # it got the massage oil entry
        ("done", 4),
        ("skip this one", 4),  # it got "who should be careful"
        ("repeat that", 3),  # it got the fallback
        ("where was i", 3),
        ("start over", 1),  # it got "what can you do"
        ("step 6", 6),
        ("go to the last step", 7),  # it got the whole order
    ],
)
async def test_the_routine_on_screen_is_steered_by_words_as_by_its_buttons(
    bot: Application, fake_api: FakeBotApi, ann: Person, engine: Engine, said: str, shows: int
) -> None:
    steps = engine.kb.routine.steps
    message = await _open_routine(ann)
    await _press(ann, fake_api, message, "routine:step:3")
    [reply] = [call for call in await ann.say(said) if call.method == "sendMessage"]
    assert steps[shows - 1].text in reply.text
    assert all(step.text not in reply.text for number, step in enumerate(steps, start=1) if number != shows)


async def test_wait_keeps_the_step_and_next_goes_on_from_it(
    bot: Application, fake_api: FakeBotApi, ann: Person, engine: Engine
) -> None:
    steps = engine.kb.routine.steps
    message = await _open_routine(ann)
    await _press(ann, fake_api, message, "routine:step:2")
    [waiting] = [call for call in await ann.say("brb") if call.method == "sendMessage"]
    [going_on] = [call for call in await ann.say("ok ready") if call.method == "sendMessage"]
    assert waiting.text == engine.kb.conversation.waiting
    assert steps[2].text in going_on.text


async def test_pregnancy_named_mid_routine_holds_back_the_next_step_typed_or_pressed(
    bot: Application, fake_api: FakeBotApi, ann: Person, engine: Engine
) -> None:
    """At the start a pregnancy holds the routine back; named under step 2, it holds back what comes next too."""
    held = engine.kb.caveat_for(Condition.PREGNANCY).routine_lead
    message = await _open_routine(ann)
    await _press(ann, fake_api, message, "routine:step:2")
    await ann.say("my wife is 8 weeks pregnant, is this step ok?")
    [typed] = [call for call in await ann.say("next") if call.method == "sendMessage"]
    mark = fake_api.mark()
    await ann.press(message, "routine:step:3", wait_for="sendMessage")
    [pressed] = fake_api.calls_to("sendMessage", since=mark)
    [command] = [call for call in await ann.say("/routine") if call.method == "sendMessage"]
    assert held
    for reply in (typed, pressed, command):
        assert held[:40] in reply.text
        assert engine.kb.routine.steps[2].text not in reply.text
    assert not fake_api.calls_to("editMessageText", since=mark)


async def test_the_next_button_carries_a_caveat_named_mid_routine(
    bot: Application, fake_api: FakeBotApi, ann: Person, engine: Engine
) -> None:
    """ "my dad has a heart condition" typed under step 2: step 3's page said nothing of it."""
    message = await _open_routine(ann)
    await _press(ann, fake_api, message, "routine:step:2")
    await ann.say("my dad has a heart condition")
    edit = await _press(ann, fake_api, message, "routine:step:3")
    assert engine.kb.caveat_for(Condition.HEART).caveat_short in edit.text
    assert engine.kb.routine.steps[2].text in edit.text


async def test_the_all_steps_button_carries_a_caveat_named_and_is_held_back_in_pregnancy(
    bot: Application, fake_api: FakeBotApi, engine: Engine
) -> None:
    """ "All steps" pressed after "type 1 diabetic here" showed every step with no caveat; after "im 20 weeks pregnant"
    it showed every step too, where Next, Back and /routine hold the routine back."""
    diabetic = Person(fake_api, 1101, first_name="Dee")
    [page] = await diabetic.say("/routine")
    await diabetic.say("type 1 diabetic here")
    edit = await _press(diabetic, fake_api, page.message, "routine:all")
    assert engine.kb.caveat_for(Condition.DIABETES).caveat_short in edit.text
    assert engine.kb.routine.steps[-1].text in edit.text
    assert edit.text.count("⚠️") == 1  # said once, not once per step

    pregnant = Person(fake_api, 1102, first_name="Pia")
    [page] = await pregnant.say("/routine")
    await pregnant.say("im 20 weeks pregnant")
    mark = fake_api.mark()
    await pregnant.press(page.message, "routine:all", wait_for="sendMessage")
    [held] = fake_api.calls_to("sendMessage", since=mark)
    assert engine.kb.caveat_for(Condition.PREGNANCY).routine_lead[:40] in held.text
    assert not any(step.text in held.text for step in engine.kb.routine.steps)
    assert not fake_api.calls_to("editMessageText", since=mark)


async def test_start_tonights_routine_under_a_reminder_carries_a_caveat_named(
    bot: Application, fake_api: FakeBotApi, ann: Person, engine: Engine
) -> None:
    """ "my husband has a pacemaker", then the reminder's "Start tonight's routine": step 1 said nothing of it (as
    /routine and "start the routine" typed do, and Next does on every later step)."""
    await ann.say("my husband has a pacemaker")
    reminder = {"message_id": 79, "from": fake_api.bot_user, "chat": ann.chat, "date": 1700000000, "text": "Bedtime"}
    calls = await ann.press(reminder, "routine:start", wait_for="sendMessage")
    [page] = [call for call in calls if call.method == "sendMessage"]
    assert "step 1 of" in page.text
    assert engine.kb.caveat_for(Condition.HEART).caveat_short in page.text
