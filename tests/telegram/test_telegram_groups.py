"""In groups the bot speaks only when spoken to: commands, @mentions, and replies to its own messages."""

from __future__ import annotations

import pytest
from fake_bot_api import BOT_USERNAME, FakeBotApi, Person, group_chat_dict
from telegram.ext import Application

from bot.core.engine import Engine
from bot.core.knowledge import Condition
from bot.telegram_app.forgetting import FORGET_YES


@pytest.fixture
def member(fake_api: FakeBotApi) -> Person:
    return Person(fake_api, 3001, chat=group_chat_dict(-1001234), first_name="Cleo")


async def test_ordinary_group_chatter_is_ignored(bot: Application, fake_api: FakeBotApi, member: Person) -> None:
    await member.say("which toe helps earache", wait_for=None)
    await member.say("good night everyone", wait_for=None)
    await member.send(wait_for=None, sticker=_sticker())
    assert await fake_api.quiet(0.4) == []


async def test_a_mention_is_answered_with_the_mention_left_out_of_the_question(
    bot: Application, fake_api: FakeBotApi, member: Person, engine: Engine
) -> None:
    calls = await member.say(f"@{BOT_USERNAME} which toe helps earache")
    answer = calls[-1]
    assert engine.kb.entry("little_toe").answer[:40] in answer.text
    assert answer.params["reply_parameters"]["message_id"] == member.last_message["message_id"]


async def test_a_mention_in_the_middle_or_in_other_case_counts_too(
    bot: Application, fake_api: FakeBotApi, member: Person, engine: Engine
) -> None:
    calls = await member.say(f"hey @{BOT_USERNAME.upper()} which toe helps toothache")
    assert engine.kb.entry("middle_toes").answer[:40] in calls[-1].text


async def test_a_bare_mention_gets_the_empty_message_example(bot: Application, member: Person, engine: Engine) -> None:
    calls = await member.say(f"@{BOT_USERNAME}")
    assert engine.kb.messages.empty[:30] in calls[-1].text


async def test_a_mention_of_someone_else_is_ignored(bot: Application, fake_api: FakeBotApi, member: Person) -> None:
    await member.say("@someone_else which toe helps earache", wait_for=None)
    assert await fake_api.quiet(0.4) == []


async def test_a_reply_to_the_bot_is_answered(
    bot: Application, fake_api: FakeBotApi, member: Person, engine: Engine
) -> None:
    [welcome] = await member.say("/start")
    calls = await member.say("and which toe helps earache?", reply_to=welcome.message)
    assert engine.kb.entry("little_toe").answer[:40] in calls[-1].text


async def test_a_reply_to_someone_else_is_ignored(bot: Application, fake_api: FakeBotApi, member: Person) -> None:
    other = Person(fake_api, 3002, chat=member.chat, first_name="Dan")
    said = other.text_message("I love foot rubs")
    await member.say("which toe helps earache", reply_to=said, wait_for=None)
    assert await fake_api.quiet(0.4) == []


async def test_a_sticker_in_reply_to_the_bot_gets_the_text_only_hint(
    bot: Application, fake_api: FakeBotApi, member: Person, engine: Engine
) -> None:
    [welcome] = await member.say("/start")
    calls = await member.send(sticker=_sticker(), reply_to_message=welcome.message)
    assert engine.kb.messages.not_text[:30] in calls[-1].text


async def test_an_unknown_command_addressed_to_the_bot_gets_a_hint(
    bot: Application, fake_api: FakeBotApi, member: Person
) -> None:
    calls = await member.say(f"/dance@{BOT_USERNAME}")
    assert calls[-1].text == "I don't know the command /dance. Send /help to see what I can do."


async def test_group_buttons_answer_in_the_group(
    bot: Application, fake_api: FakeBotApi, member: Person, engine: Engine
) -> None:
    [welcome] = await member.say("/start")
    _, data = welcome.buttons[0]
    other = Person(fake_api, 3003, chat=member.chat, first_name="Eve")
    calls = await other.press(welcome.message, data, wait_for="sendMessage")
    assert calls[-1].chat_id == member.chat_id


async def test_the_bot_being_added_to_a_group_causes_no_message(
    bot: Application, fake_api: FakeBotApi, member: Person
) -> None:
    await member.send(wait_for=None, new_chat_members=[fake_api.bot_user])
    await fake_api.enqueue(
        {
            "my_chat_member": {
                "chat": member.chat,
                "from": member.user,
                "date": 1700000000,
                "old_chat_member": {"user": fake_api.bot_user, "status": "left"},
                "new_chat_member": {"user": fake_api.bot_user, "status": "member"},
            }
        }
    )
    assert await fake_api.quiet(0.4) == []


def _sticker() -> dict[str, object]:
    return {
        "file_id": "STICKER1",
        "file_unique_id": "S1",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": "🦶",
    }


async def test_in_a_group_one_members_condition_is_not_said_back_to_another_as_theirs(
    bot: Application, fake_api: FakeBotApi, member: Person, engine: Engine
) -> None:
    """Each member has their own short memory in a group: Cleo's pregnancy is not Dan's caveat."""
    await member.say(f"@{BOT_USERNAME} I'm pregnant, which toe helps earache?", count=1)
    dan = Person(fake_api, 3004, chat=member.chat, first_name="Dan")
    answer = (await dan.say(f"@{BOT_USERNAME} what are the benefits?"))[-1]
    assert engine.kb.entry("benefits_overview").answer[:40] in answer.text
    rule = engine.kb.caveat_for(Condition.PREGNANCY)
    assert rule.caveat_short[:30] not in answer.text and rule.caveat[:30] not in answer.text
    again = (await member.say(f"@{BOT_USERNAME} what are the benefits?"))[-1]
    assert rule.caveat_short[:30] in again.text, "Cleo's own follow-up still carries her caveat"


async def test_forget_from_a_group_clears_the_members_memory_there(
    bot: Application, fake_api: FakeBotApi, member: Person
) -> None:
    await member.say(f"@{BOT_USERNAME} I'm pregnant, which toe helps earache?")
    assert (member.chat_id, member.user["id"]) in bot.bot_data["conversations"]
    question = (await member.say(f"/forget@{BOT_USERNAME}"))[-1]
    await member.press(question.message, f"{FORGET_YES}:{member.user['id']}", wait_for="editMessageText")
    assert (member.chat_id, member.user["id"]) not in bot.bot_data["conversations"]
    again = (await member.say(f"@{BOT_USERNAME} what are the benefits?"))[-1]
    assert "pregnan" not in again.text


@pytest.mark.parametrize("command", ["/toes", "/help", "which toe helps earache"])
async def test_in_a_forum_group_every_reply_goes_to_the_topic_it_was_asked_in(
    bot: Application, fake_api: FakeBotApi, command: str
) -> None:
    """The foot map's picture and zone list quote nothing: without the topic they landed in General."""
    forum = dict(group_chat_dict(-100555), is_forum=True)
    cleo = Person(fake_api, 3001, chat=forum, first_name="Cleo")
    message = cleo.text_message(
        f"{command}@{BOT_USERNAME}" if command.startswith("/") else f"@{BOT_USERNAME} {command}"
    )
    message.update(message_thread_id=77, is_topic_message=True)
    mark = fake_api.mark()
    await fake_api.enqueue({"message": message})
    await fake_api.wait_for("sendMessage", since=mark)
    await fake_api.quiet(1.0)
    sent = [call for call in fake_api.calls[mark:] if call.method in ("sendMessage", "sendPhoto", "sendChatAction")]
    assert sent and all(call.params.get("message_thread_id") == 77 for call in sent)


async def test_a_question_asked_just_before_the_group_became_a_supergroup_is_answered_in_the_supergroup(
    bot: Application, fake_api: FakeBotApi, engine: Engine
) -> None:
    """Telegram refuses sends to a group upgraded to a supergroup (400, with the new chat's id): the answer was lost,
    and the apology was sent to the old id and refused too."""
    cleo = Person(fake_api, 3001, chat=group_chat_dict(-4001234, kind="group"), first_name="Cleo")
    supergroup = fake_api.migrate_chat(cleo.chat_id, -1004001234)
    mark = fake_api.mark()
    await cleo.say(f"@{BOT_USERNAME} which toe helps earache", wait_for=None)
    [answer] = await fake_api.wait_for("sendMessage", since=mark, chat_id=supergroup["id"])
    assert engine.kb.entry("little_toe").answer[:40] in answer.text
    await fake_api.quiet(0.3)
    assert [call.text for call in fake_api.calls_to("sendMessage", since=mark)] == [answer.text]


async def test_two_members_pressing_the_same_topic_button_at_once_each_get_their_answer(
    bot: Application, fake_api: FakeBotApi, member: Person, engine: Engine
) -> None:
    """The double-tap guard took the second member's press for the first one's double tap: Dan got nothing (his
    answer is his own: it carries the caveats of what he named, and he is the one it is remembered for)."""
    dan = Person(fake_api, 3002, chat=member.chat, first_name="Dan")
    [welcome] = await member.say("/start")
    _, data = welcome.buttons[0]
    mark = fake_api.mark()
    await member.press(welcome.message, data, wait_for=None)
    await dan.press(welcome.message, data, wait_for=None)
    await fake_api.wait_for("answerCallbackQuery", count=2, since=mark)
    await fake_api.wait_for("sendMessage", count=2, since=mark)
    await fake_api.quiet(0.3)
    assert len(fake_api.calls_to("sendMessage", since=mark)) == 2


async def test_in_a_group_a_condition_named_in_an_edit_addressed_to_the_bot_follows_that_member(
    bot: Application, fake_api: FakeBotApi, member: Person, engine: Engine
) -> None:
    """Edits in groups were not read at all: "im 20 weeks pregnant" added to a question to the bot was lost, and
    Cleo's Next went on to the next step. Now it gets its caution and holds the routine back for her, not for Dan."""
    dan = Person(fake_api, 3005, chat=member.chat, first_name="Dan")
    [page] = await member.say("/routine")
    await member.say(f"@{BOT_USERNAME} how long should it take?")
    question = member.last_message
    assert question is not None
    calls = await member.edit(question, f"@{BOT_USERNAME} im 20 weeks pregnant, how long should it take?", count=2)
    texts = [call.text for call in calls if call.method == "sendMessage"]
    assert engine.kb.entry("pregnancy_caution").answer[:40] in texts[0]
    mark = fake_api.mark()
    await member.press(page.message, "routine:step:2", wait_for="sendMessage")
    [held] = fake_api.calls_to("sendMessage", since=mark)
    assert engine.kb.caveat_for(Condition.PREGNANCY).routine_lead[:40] in held.text
    mark = fake_api.mark()
    await dan.press(page.message, "routine:step:2", wait_for="editMessageText")
    [edit] = fake_api.calls_to("editMessageText", since=mark)
    assert engine.kb.routine.steps[1].text in edit.text and "pregnan" not in edit.text.lower()
