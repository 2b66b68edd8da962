"""Every command, through real HTTP against the fake Bot API, with the Application `footbot run` builds."""

from __future__ import annotations

import io

import pytest
from fake_bot_api import FakeBotApi, Person, group_chat_dict
from PIL import Image
from telegram.ext import Application

from bot.core.engine import Engine
from bot.core.knowledge import Condition
from bot.telegram_app.commands import COMMANDS


async def test_command_menu_is_set_at_start_for_private_chats_and_groups(
    bot: Application, fake_api: FakeBotApi
) -> None:
    calls = fake_api.calls_to("setMyCommands")
    assert {call.params["scope"]["type"] for call in calls} == {"all_private_chats", "all_group_chats"}
    for scope in ("all_private_chats", "all_group_chats"):
        names = [command["command"] for command in fake_api.commands[scope]]
        assert names[:5] == ["start", "help", "routine", "toes", "safety"]


async def test_start_welcomes_with_disclaimer_and_three_example_buttons(
    bot: Application, fake_api: FakeBotApi, ann: Person, engine: Engine
) -> None:
    [welcome] = await ann.say("/start")
    assert welcome.params["parse_mode"] == "HTML"
    assert engine.kb.messages.extra["welcome"][:40] in welcome.text
    assert f"<i>{engine.kb.messages.extra['disclaimer']}</i>" in welcome.text
    labels = [label for label, _ in welcome.buttons]
    assert len(labels) == 3
    assert all(label.endswith("?") and label[0].isupper() for label in labels)
    assert all(data.startswith("topic:") for _, data in welcome.buttons)


async def test_start_says_not_medical_advice_once(bot: Application, ann: Person) -> None:
    [welcome] = await ann.say("/start")
    seen = welcome.message["text"].lower()
    assert seen.count("medical advice") == 1
    assert seen.count("not a doctor") + seen.count("not medical") == 1


async def test_every_start_example_button_answers_its_question(
    bot: Application, fake_api: FakeBotApi, ann: Person, engine: Engine
) -> None:
    [welcome] = await ann.say("/start")
    for label, data in welcome.buttons:
        await ann.press(welcome.message, data, wait_for="sendMessage")
        answer = fake_api.calls_to("sendMessage", chat_id=ann.chat_id)[-1]
        topic = data.removeprefix("topic:")
        assert engine.kb.entry(topic).answer[:50] in answer.text, label
        # The button answers what its label asks.
        assert engine.reply(label).topic == topic
    assert fake_api.open_callback_queries == set()


async def test_start_with_a_deep_link_payload_still_welcomes(bot: Application, ann: Person) -> None:
    [welcome] = await ann.say("/start from-a-website")
    assert "footbot" in welcome.text


async def test_help_lists_every_command_in_the_menu_and_example_questions(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    [help_message] = await ann.say("/help")
    for name, _ in COMMANDS:
        assert f"/{name} " in help_message.text
    assert "which toe helps with toothache?" in help_message.text
    menu = [command["command"] for command in fake_api.commands["all_private_chats"]]
    assert all(f"/{name} " in help_message.text for name in menu)


async def test_toes_sends_the_picture_once_then_reuses_its_file_id(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    calls = await ann.say("/toes")  # waits for the zones text, which follows the picture
    [first_photo] = [call for call in calls if call.method == "sendPhoto"]
    assert first_photo.files, "the first picture is uploaded"
    [(file_id, png)] = fake_api.uploads.items()
    picture = Image.open(io.BytesIO(png))
    assert picture.format == "PNG"
    assert picture.width >= 800

    calls = await ann.say("/zones")
    [second_photo] = [call for call in calls if call.method == "sendPhoto"]
    assert second_photo.params["photo"] == file_id
    assert not second_photo.files
    assert len(fake_api.uploads) == 1


async def test_toes_lists_each_zone_and_what_the_guide_links_it_to(
    bot: Application, ann: Person, engine: Engine
) -> None:
    calls = await ann.say("/toes")
    text = calls[-1].text
    for entry in engine.foot_map():
        assert entry.map_zone is not None
        assert entry.map_zone.label.replace("&", "&amp;") in text
    assert "(left foot)" in text and "(right foot)" in text
    assert "Heart point (left foot)</b>\n" in text  # the label "Heart" is not said twice
    assert calls[-1].method == "sendMessage"


async def test_toes_still_lists_the_zones_when_the_picture_cannot_be_sent(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    fake_api.fail("sendPhoto", times=10, status=400, description="Bad Request: PHOTO_INVALID_DIMENSIONS")
    calls = await ann.say("/toes")
    assert "Earache" in calls[-1].text
    assert not fake_api.calls_to("sendPhoto")


async def test_a_refused_file_id_is_forgotten_and_the_picture_uploaded_again(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    await ann.say("/toes")
    fake_api.uploads.clear()  # as if Telegram no longer knew the file
    calls = await ann.say("/toes")
    photos = [call for call in calls if call.method == "sendPhoto"]
    assert photos and photos[-1].files
    assert len(fake_api.uploads) == 1


async def test_routine_command_shows_step_one_with_next_and_all_steps(
    bot: Application, ann: Person, engine: Engine
) -> None:
    [page] = await ann.say("/routine")
    assert "step 1 of" in page.text
    assert engine.kb.routine.steps[0].title in page.text
    assert "/safety" in page.text
    assert [data for _, data in page.buttons] == ["routine:step:2", "routine:all"]


async def test_safety_names_all_three_conditions_in_a_block_set_apart(
    bot: Application, ann: Person, engine: Engine
) -> None:
    [safety] = await ann.say("/safety")
    heading = safety.text.index("⚠️ <b>Safety</b>")
    block = safety.text[heading:]
    assert block.count("<blockquote>") == 1
    for rule in engine.kb.conditions:
        assert rule.caveat[:40] in block
    assert "professional" in safety.text[:heading]


async def test_commands_addressed_to_the_bot_work_in_groups(bot: Application, fake_api: FakeBotApi) -> None:
    member = Person(fake_api, 2001, chat=group_chat_dict(-100555))
    [welcome] = await member.say(f"/start@{fake_api.bot_user['username']}")
    assert "footbot" in welcome.text
    # In a group the reply quotes the command it answers.
    assert welcome.params["reply_parameters"]["message_id"] == member.last_message["message_id"]
    [help_message] = await member.say("/help")
    assert "/routine" in help_message.text


async def test_a_command_for_another_bot_in_a_group_is_left_alone(bot: Application, fake_api: FakeBotApi) -> None:
    member = Person(fake_api, 2001, chat=group_chat_dict(-100555))
    await member.say("/start@some_other_bot", wait_for=None)
    await member.say("/weather", wait_for=None)
    assert await fake_api.quiet(0.4) == []


async def test_a_condition_named_after_a_command_gets_its_caution_and_the_command_still_runs(
    bot: Application, ann: Person, engine: Engine
) -> None:
    # "/help im diabetic" got the help alone: no caveat, and the chat did not remember the diabetes.
    caution, help_text = await ann.say("/help im diabetic", count=2)
    assert engine.kb.entry("diabetes_caution").answer[:40] in caution.text
    assert "/routine" in help_text.text
    later = (await ann.say("which toe helps earache?"))[-1]
    assert "with diabetes" in later.text.lower()  # the caveat, short once said in full


async def test_pregnancy_named_after_routine_holds_the_routine_back(
    bot: Application, ann: Person, engine: Engine
) -> None:
    caution, held = await ann.say("/routine my wife is pregnant", count=2)
    assert engine.kb.entry("pregnancy_caution").answer[:40] in caution.text
    lead = engine.kb.caveat_for(Condition.PREGNANCY).routine_lead
    assert lead and lead[:40] in held.text
    assert not held.buttons  # no step to go on from


async def test_in_a_group_a_bare_command_is_read_for_conditions_as_it_is_answered(
    bot: Application, fake_api: FakeBotApi, engine: Engine
) -> None:
    # The first version read only "/routine@footbot" there, though a bare "/routine" starts the routine in a group.
    member = Person(fake_api, 3101, chat=group_chat_dict(-1007001), first_name="Cleo")
    caution, held = await member.say("/routine my wife is pregnant", count=2)
    assert engine.kb.entry("pregnancy_caution").answer[:40] in caution.text
    assert not held.buttons


async def test_an_emergency_named_after_a_command_gets_emergency_care_alone(
    bot: Application, fake_api: FakeBotApi, ann: Person, engine: Engine
) -> None:
    [urgent] = await ann.say("/help my dad has crushing chest pain right now")
    assert engine.kb.red_flags.reply[:40] in urgent.text
    await ann.say("/help")  # the help that follows a plain /help is all that comes next
    assert len(fake_api.calls_to("sendMessage", chat_id=ann.chat_id)) == 2


@pytest.mark.parametrize("command", ["/start pregnancy_massage", "/start from-a-website"])
async def test_a_start_link_payload_is_not_read_as_the_persons_words(
    bot: Application, fake_api: FakeBotApi, ann: Person, command: str
) -> None:
    [welcome] = await ann.say(command)  # a link's payload: no caution, nothing remembered
    assert welcome.buttons and await fake_api.quiet(0.4) == []
    later = (await ann.say("which toe helps earache?"))[-1]
    assert "pregnan" not in later.text.lower()
