"""Talking like a person: the question behind a condition, several questions at once, follow-ups read against
the chat's context, caveats said once, replies that stand on their own; and how context is kept and bounded."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.actions import Action, ActionKind
from bot.core.commands import command_in, reply_to_command
from bot.core.conversation import ChatContext, Conversations
from bot.core.engine import MAX_ANSWERS, Engine
from bot.core.knowledge import Condition
from bot.core.loader import KnowledgeError, check_knowledge, load_knowledge
from bot.core.replies import Reply, ReplyKind
from tests.core.conftest import MINIMAL, write_knowledge


def talk(engine: Engine, *messages: str) -> list[Reply]:
    """One chat: every message answered with the same context, as an adapter does."""
    context = ChatContext()
    return [engine.reply(message, context) for message in messages]


def caveat_text(engine: Engine, condition: Condition) -> str:
    return engine.kb.caveat_for(condition).caveat


# --- the question behind a condition ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "topic", "condition"),
    [
        ("cardiac patient with a stent. which toe is for the lungs?", "big_toe", Condition.HEART),
        ("im diabetic, what about the big toe?", "big_toe", Condition.DIABETES),
        ("had bypass surgery last year; what should I use on my hands?", "massage_oil", Condition.HEART),
        ("I have a heart condition, which toe is for the heart?", "heart_point", Condition.HEART),
        (
            "i have type 2 diabetes and my feet are a bit numb, which toe should i start with?",
            "toes_overview",
            Condition.DIABETES,
        ),
    ],
)
def test_a_condition_with_another_question_gets_that_answer_and_the_caveat(
    engine: Engine, message: str, topic: str, condition: Condition
) -> None:
    reply = engine.reply(message)
    assert reply.topic == topic
    assert reply.conditions == [condition.value]


def test_the_heart_point_answer_already_says_the_heart_caution_so_no_box_repeats_it(engine: Engine) -> None:
    reply = engine.reply("I have a heart condition, which toe is for the heart?")
    text = reply.plain_text()
    assert "left foot" in text
    assert "⚠️" not in text  # the answer itself says it; the condition is still listed
    assert reply.conditions == ["heart"]


@pytest.mark.parametrize(
    ("message", "topic", "condition"),
    [
        ("is it ok if i'm pregnant?", "pregnancy_caution", Condition.PREGNANCY),
        ("pacemaker", "heart_caution", Condition.HEART),
        ("I'm diabetic, can I get a foot massage?", "diabetes_caution", Condition.DIABETES),
    ],
)
def test_the_caution_answers_when_safety_is_asked_or_nothing_else_and_is_said_once(
    engine: Engine, message: str, topic: str, condition: Condition
) -> None:
    reply = engine.reply(message)
    assert reply.topic == topic
    assert reply.conditions == [condition.value]
    assert caveat_text(engine, condition) not in reply.plain_text()
    assert reply.plain_text().count(reply.body) == 1


def test_a_condition_beside_a_question_the_guide_does_not_cover_keeps_its_full_caveat(engine: Engine) -> None:
    reply = engine.reply("i'm diabetic, what's the best brand of lotion?")
    assert reply.topic is None
    assert caveat_text(engine, Condition.DIABETES) in reply.plain_text()


# --- several questions --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "topics"),
    [
        ("where is the heart point and where is the liver?", ("heart_point", "liver_stomach")),
        ("should i use oil and where do i start?", ("massage_oil", "how_to_massage")),
        ("Which toe is for the lungs? Which ones are for toothache?", ("big_toe", "middle_toes")),
    ],
)
def test_several_questions_are_each_answered_once_in_order(
    engine: Engine, message: str, topics: tuple[str, ...]
) -> None:
    reply = engine.reply(message)
    assert reply.topics == topics
    assert reply.topic == topics[0]
    for topic in topics:
        assert reply.plain_text().count(engine.kb.entry(topic).answer) == 1
    assert reply.plain_text().count(reply.credit or "") == 1


@pytest.mark.parametrize(
    "message",
    [
        "where is the heart point and how long should a massage last?",
        "where is the heart point? how long should a massage last?",
    ],
)
def test_a_question_the_guide_answers_beside_one_it_does_not_gets_both_replies(engine: Engine, message: str) -> None:
    reply = engine.reply(message)
    assert reply.topics == ("heart_point", "oos_duration")
    assert engine.kb.entry("oos_duration").answer in reply.plain_text()


def test_several_questions_never_go_beyond_three(engine: Engine) -> None:
    reply = engine.reply(
        "which toe is for the lungs? which is for earache? where is the heart point? where is the liver?"
    )
    assert 2 <= len(reply.topics) <= MAX_ANSWERS


def test_a_weak_neighbour_does_not_pad_a_reply(engine: Engine) -> None:
    assert len(engine.reply("what about hands, which finger is what").topics) <= 1


def test_a_condition_said_once_rides_once_on_several_answers(engine: Engine) -> None:
    reply = engine.reply("im pregnant. is it safe, and where is the heart point?")
    assert reply.topics == ("pregnancy_caution", "heart_point")
    assert reply.conditions == ["pregnancy"]
    assert caveat_text(engine, Condition.PREGNANCY) not in reply.plain_text()


# --- follow-ups ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "follow_up", "topic"),
    [
        ("which toe is for the lungs?", "and the little one?", "little_toe"),
        ("which toe is for the lungs?", "and toothache?", "middle_toes"),
        ("where's the heart point", "what about the liver", "liver_stomach"),
        ("what does the little toe do", "same for the 4th?", "middle_toes"),
        ("do i need oil?", "why?", "massage_oil"),  # no `why` in the YAML: the entry itself holds the reason
        ("what is the big toe linked to", "why is that?", "what_is_reflexology"),  # follow_ups.why
        ("tell me about the sole", "what should I use to massage it", "plantar_area"),  # follow_ups.how
        ("which toes help with toothache", "how should I massage them?", "how_to_massage"),  # how_default
        ("tell me about the sole", "and after that?", "ankles"),  # the routine's order
        ("how do i get ready for the massage", "ok, what's the next step", "toes_overview"),
        ("tell me about the ankles", "how?", "ankles"),  # how_alone, then the ankles' follow_ups.how
        ("which toe is for the lungs?", "is that for both feet?", "big_toe"),  # "that" read as the big toe
        ("do i need oil", "can you explain that?", "massage_oil"),
        # small talk around a follow-up asks nothing of its own
        ("what is the big toe linked to", "thank you! and the little one?", "little_toe"),
        ("where is the heart point", "thanks, is that on the left foot?", "heart_point"),
    ],
)
def test_a_follow_up_is_read_against_the_last_topic(engine: Engine, first: str, follow_up: str, topic: str) -> None:
    assert talk(engine, first, follow_up)[-1].topic == topic


def test_tell_me_more_gives_a_related_entry_not_said_yet(engine: Engine) -> None:
    first, more = talk(engine, "what are the benefits of a foot massage", "tell me more")
    assert more.topic in engine.kb.entry(first.topic or "").related


def test_and_after_that_walks_the_routine_to_its_end(engine: Engine) -> None:
    steps = engine.kb.routine.steps
    sole = next(number for number, step in enumerate(steps) if "plantar_area" in step.topics)
    replies = talk(engine, "tell me about the sole", *["and after that?"] * (len(steps) - sole))
    for reply, step in zip(replies[1:-1], steps[sole + 1 :], strict=True):
        assert reply.body.startswith(engine.kb.conversation.next_lead.format(title=step.title, text=step.text))
    assert engine.kb.messages.extra["routine_done"] in replies[-2].body  # the last step offers a reminder
    assert replies[-1].body == engine.kb.conversation.routine_end


def test_a_step_shown_by_the_adapter_is_followed_by_the_next(engine: Engine) -> None:
    context = ChatContext()
    context.routine_step = 0  # the Telegram routine showed step 1
    reply = engine.reply("and after that?", context)
    assert engine.kb.routine.steps[1].text in reply.body
    assert context.routine_step == 1


@pytest.mark.parametrize("message", ["what comes after?", "What comes after this?", "what follows?", "and after this?"])
def test_what_comes_after_with_nothing_named_is_the_next_step(engine: Engine, message: str) -> None:
    """Mid-routine, "what comes after?" names no step: it asks for the next one, not for the whole order again."""
    context = ChatContext()
    context.show_step(1)
    reply = engine.reply(message, context)
    step = engine.kb.routine.steps[2]
    assert reply.body == engine.kb.conversation.next_lead.format(title=step.title, text=step.text)
    assert context.routine_step == 2


@pytest.mark.parametrize("message", ["back", "previous", "go back please", "ok, previous step"])
def test_back_during_the_routine_shows_the_step_before(engine: Engine, message: str) -> None:
    steps = engine.kb.routine.steps
    context = ChatContext()
    context.routine_step = 2  # the routine showed step 3
    reply = engine.reply(message, context)
    assert reply.body == engine.kb.conversation.back_lead.format(title=steps[1].title, text=steps[1].text)
    assert context.routine_step == 1
    engine.reply(message, context)
    engine.reply(message, context)  # at the first step, back stays there
    assert context.routine_step == 0


@pytest.mark.parametrize("message", ["stop", "cancel", "Stop!", "ok stop please", "end the routine"])
def test_stop_during_the_routine_ends_it_kindly(engine: Engine, message: str) -> None:
    context = ChatContext()
    context.routine_step = 3
    reply = engine.reply(message, context)
    assert reply.kind is ReplyKind.SMALLTALK and reply.body == engine.kb.conversation.routine_stopped
    assert context.routine_step is None
    assert engine.reply("and after that?", context).body != engine.kb.conversation.next_lead.format(
        title=engine.kb.routine.steps[4].title, text=engine.kb.routine.steps[4].text
    )  # the routine is over: no step follows the stopped one


def test_questions_asked_mid_routine_pause_it_and_stop_still_ends_it(engine: Engine) -> None:
    """Telegram's routine message keeps its buttons while the person asks something else: typed "stop" after one
    question or two still ends that routine, and a second "stop" finds nothing under way."""
    context = ChatContext()
    context.show_step(2)
    engine.reply("which toe is for the heart?", context)
    engine.reply("and the little one?", context)
    assert engine.reply("stop", context).body == engine.kb.conversation.routine_stopped
    assert engine.reply("stop", context).body == engine.kb.conversation.nothing_running


def test_next_after_a_question_mid_routine_goes_on_from_the_step_on_screen(engine: Engine) -> None:
    context = ChatContext()
    context.show_step(2)
    engine.reply("which toe is for the heart?", context)
    reply = engine.reply("next", context)
    assert engine.kb.routine.steps[3].text in reply.body
    assert context.routine_step == 3 and context.routine_paused is None


def test_an_adapter_showing_a_step_or_the_whole_routine_unpauses_it(engine: Engine) -> None:
    context = ChatContext()
    context.show_step(2)
    engine.reply("which toe is for the heart?", context)
    context.show_step(None)  # "All steps" pressed: the routine is no longer under way
    assert engine.reply("stop", context).body == engine.kb.conversation.nothing_running


@pytest.mark.parametrize("message", ["stop", "cancel", "back", "previous"])
def test_stop_or_back_with_no_routine_says_so_and_what_footbot_can_do(engine: Engine, message: str) -> None:
    reply = engine.reply(message, ChatContext())
    assert reply.kind is ReplyKind.SMALLTALK and reply.body == engine.kb.conversation.nothing_running
    assert "/routine" in reply.body and reply.action is None


def test_stop_in_a_longer_message_is_read_as_usual(engine: Engine) -> None:
    context = ChatContext()
    context.routine_step = 1
    assert engine.reply("stop reminders", context).action is not None  # /remind off, not the routine
    assert engine.reply("when should I stop pressing?", context).body != engine.kb.conversation.routine_stopped


def test_what_comes_after_a_step_needs_no_context(engine: Engine) -> None:
    assert engine.reply("what comes after the sole?", ChatContext()).topic == "ankles"


@pytest.mark.parametrize(
    ("first", "unrelated"),
    [
        ("which toe is for the lungs?", "what's the capital of France?"),
        ("which toe is for earache", "which toe is for the kidneys?"),
        ("do i need oil?", "what is the weather tomorrow"),
    ],
)
def test_context_never_forces_an_answer_onto_an_unrelated_question(engine: Engine, first: str, unrelated: str) -> None:
    reply = talk(engine, first, unrelated)[-1]
    assert reply.kind is ReplyKind.FALLBACK
    assert reply.topic is None


def test_a_follow_up_without_context_is_read_on_its_own(engine: Engine) -> None:
    reply = engine.reply("and after that?", ChatContext())
    assert reply.kind is not ReplyKind.ANSWER or reply.topic not in {"ankles", "plantar_area"}


def test_chats_do_not_share_context(engine: Engine) -> None:
    conversations = Conversations()
    engine.reply("which toe is for the lungs?", conversations.get("a"))
    engine.reply("I'm 20 weeks pregnant", conversations.get("b"))
    reply = engine.reply("and the little one?", conversations.get("a"))
    assert reply.topic == "little_toe"
    assert reply.conditions == []


@pytest.mark.parametrize("first", ["which toe helps earache", "what are the benefits", "where is the heart point?"])
@pytest.mark.parametrize(
    "doubt", ["is it proven?", "does it really work?", "is that scientifically proven", "but is it proven though?"]
)
def test_is_it_proven_after_an_answer_gets_the_guides_word_on_evidence(engine: Engine, first: str, doubt: str) -> None:
    """ "is it proven?" after the little toe repeated the little toe: the answer now is the entry saying everything
    footbot shares is what the guide says, not proven fact."""
    doubt_answer = engine.kb.conversation.doubt_answer
    assert doubt_answer is not None
    reply = talk(engine, first, doubt)[-1]
    assert reply.body.startswith(engine.kb.entry(doubt_answer).answer)
    assert "not proven fact" in reply.body


@pytest.mark.parametrize("doubt", ["really?", "are you sure?", "r u sure", "seriously?", "is that correct?"])
def test_a_bare_doubt_after_an_answer_gets_the_guides_word_on_evidence(engine: Engine, doubt: str) -> None:
    """From the chat probe: "really?" after an answer got "Sorry, I don't know that one", and "are you sure?" who
    footbot is."""
    doubt_answer = engine.kb.conversation.doubt_answer
    assert doubt_answer is not None
    reply = talk(engine, "does it increase sex drive", doubt)[-1]
    assert reply.body.startswith(engine.kb.entry(doubt_answer).answer)


def test_is_it_proven_mid_routine_keeps_the_routine_going(engine: Engine) -> None:
    chat = ChatContext()
    chat.show_step(1)
    engine.reply("does it really work?", chat)
    assert chat.routine_on_screen == 1


# --- a condition carried across turns ----------------------------------------------------------------------


def test_a_condition_named_earlier_keeps_its_caveat_briefly(engine: Engine) -> None:
    named, asked = talk(engine, "I'm 20 weeks pregnant", "which toe is for the lungs?")
    assert named.conditions == ["pregnancy"]
    assert asked.topic == "big_toe"
    assert asked.conditions == ["pregnancy"]
    rule = engine.kb.caveat_for(Condition.PREGNANCY)
    assert rule.caveat_short in asked.plain_text()
    assert rule.caveat not in asked.plain_text()


def test_pregnancy_named_earlier_holds_back_the_routine(engine: Engine) -> None:
    reply = talk(engine, "I'm 20 weeks pregnant", "walk me through tonight's routine")[-1]
    assert reply.kind is ReplyKind.SAFETY
    assert reply.conditions == ["pregnancy"]


def test_is_it_safe_for_me_after_naming_a_condition_gets_its_caution(engine: Engine) -> None:
    assert talk(engine, "i have a pacemaker", "is it safe for me?")[-1].topic == "heart_caution"


@pytest.mark.parametrize(
    ("message", "declined"),
    [("can I use lotion instead of oil?", "oos_products"), ("how hard should I press?", "oos_pain_during")],
)
def test_a_question_the_guide_has_no_answer_to_after_a_condition_gets_the_short_caveat_not_the_caution_again(
    engine: Engine, message: str, declined: str
) -> None:
    """The caution was said in full when the condition was named; asked later about something the guide never
    mentions, the honest no answers with the short caveat, rather than the whole caution again before it."""
    reply = talk(engine, "I'm 12 weeks pregnant", message)[-1]
    assert reply.kind is ReplyKind.FALLBACK and engine.kb.entry(declined).answer in reply.body
    assert engine.kb.entry("pregnancy_caution").answer not in reply.body
    assert engine.kb.caveat_for(Condition.PREGNANCY).caveat_short in reply.plain_text()
    assert talk(engine, f"I'm pregnant, {message}")[-1].topics == ("pregnancy_caution", declined)  # named with it


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("that didn't help", "not_helpful"),  # never "you're welcome" to a complaint
        ("not helpful", "not_helpful"),
        ("that's not what I asked", "not_helpful"),
        ("you're useless", "not_helpful"),
        ("sorry", "apology"),
        ("oops my bad", "apology"),
    ],
)
def test_a_complaint_or_an_apology_after_an_answer_gets_a_kind_word(engine: Engine, message: str, topic: str) -> None:
    reply = talk(engine, "which toe is for the ears?", message)[-1]
    assert reply.kind is ReplyKind.SMALLTALK and reply.topic == topic


@pytest.mark.parametrize("message", ["thanks for that", "great, that helped", "sorry about that", "that was useless"])
def test_small_talk_pointing_back_is_not_a_follow_up(engine: Engine, message: str) -> None:
    """ "that" points back, but thanks or a complaint asks nothing about the last topic: it is not said again."""
    reply = talk(engine, "which toe is for the ears?", message)[-1]
    assert reply.kind is ReplyKind.SMALLTALK
    assert talk(engine, "which toe is for the ears?", "thanks, is that for both feet?")[-1].topic == "little_toe"


@pytest.mark.parametrize(
    "message",
    ["thanks bye", "thanks, bye!", "thank you, good night", "thank you so much, sweet dreams", "thanks bye now"],
)
def test_thanks_ending_with_a_goodbye_gets_the_goodbye(engine: Engine, message: str) -> None:
    """ "thanks bye" got only "You're welcome!": the goodbye, said last, is what it is for."""
    farewell = engine.kb.conversation.farewell
    assert farewell is not None
    for messages in ((message,), ("which toe is for the ears?", message)):
        reply = talk(engine, *messages)[-1]
        assert reply.kind is ReplyKind.SMALLTALK and reply.topic == farewell


@pytest.mark.parametrize("message", ["thanks", "thank you so much", "thanks, that helped"])
def test_thanks_alone_stays_thanks(engine: Engine, message: str) -> None:
    assert talk(engine, "which toe is for the ears?", message)[-1].topic == "thanks"


@pytest.mark.parametrize("trouble", ["my feet hurt after work every day", "I get cramps in my feet at night"])
def test_what_can_i_do_after_a_trouble_is_how_to_give_the_massage(engine: Engine, trouble: str) -> None:
    """The guide's remedy is the massage: "what can I do?" after a trouble asks how; alone, what footbot can do."""
    assert talk(engine, trouble, "what can I do?")[-1].topic == engine.kb.conversation.how_default
    assert engine.reply("what can I do?").topic == "what_can_you_do"


@pytest.mark.parametrize("message", ["lol", "haha", "ok lol"])
def test_laughter_is_acknowledged_like_ok(engine: Engine, message: str) -> None:
    reply = talk(engine, "which toe is for the ears?", message)[-1]
    assert reply.kind is ReplyKind.SMALLTALK and reply.body == engine.kb.conversation.acknowledged


@pytest.mark.parametrize("message", ["how gently should I press?", "how gentle should i be with her feet"])
def test_how_gently_to_press_is_the_pressure_question_the_guide_leaves_open(engine: Engine, message: str) -> None:
    reply = engine.reply(message)
    assert reply.kind is ReplyKind.FALLBACK and engine.kb.entry("oos_pain_during").answer in reply.body


@pytest.mark.parametrize(("message", "topic"), [("ok thanks, goodnight", "goodbye"), ("okay thank you!", "thanks")])
def test_thanks_opening_with_ok_after_a_condition_is_small_talk_not_a_safety_question(
    engine: Engine, message: str, topic: str
) -> None:
    """The "ok" of "ok thanks" acknowledges: it is not the "ok" of "is it ok?", so the caution is not said again."""
    reply = talk(engine, "i have type 2 diabetes, can my wife massage my feet?", message)[-1]
    assert reply.kind is ReplyKind.SMALLTALK and reply.topic == topic


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("ok and how should he do it?", "how_to_massage"),
        ("fine, what oil should he use?", "massage_oil"),
        ("ok and the order?", "how_to_massage"),  # "and" asks on: no question word needed
    ],
)
def test_an_opening_ok_before_a_question_of_its_own_acknowledges(engine: Engine, message: str, topic: str) -> None:
    """After "I'm 30 weeks", "ok and how should he do it?" asks how (the short caveat rides on it): its "ok" is not
    the "ok" of "is it ok?", which would bring the whole caution again."""
    reply = talk(engine, "im 30 weeks and my feet are so swollen", message)[-1]
    assert reply.topics == (topic,)
    assert engine.kb.caveat_for(Condition.PREGNANCY).caveat_short in reply.plain_text()


@pytest.mark.parametrize(
    ("first", "correction", "topic"),
    [
        ("which toe is for the eyes?", "no wait I meant the heart", "heart_point"),  # after a fallback too
        ("what's the little toe for?", "sorry, I meant the big toe", "big_toe"),
        ("hi", "I was asking about the benefits", "benefits_overview"),
    ],
)
def test_a_correction_is_read_as_what_the_person_meant(engine: Engine, first: str, correction: str, topic: str) -> None:
    assert talk(engine, first, correction)[-1].topics == (topic,)


@pytest.mark.parametrize("message", ["I mean, who wouldn't want someone to rub their feet for an hour?"])
def test_i_mean_opening_a_first_message_is_no_correction(engine: Engine, message: str) -> None:
    """A page's "I mean, ..." opens a rhetorical question, with nothing before it to correct: the honest no."""
    assert engine.reply(message, ChatContext()).topics == ()


@pytest.mark.parametrize(
    "message", ["ok to do it every night?", "alright, is that ok?", "ok is it safe though?", "ok so it's a no?"]
)
def test_ok_asking_whether_it_is_all_right_after_a_condition_still_gets_its_caution(
    engine: Engine, message: str
) -> None:
    assert talk(engine, "i have type 2 diabetes", message)[-1].topic == "diabetes_caution"


def test_a_remembered_condition_does_not_ride_on_an_unrelated_reply(engine: Engine) -> None:
    reply = talk(engine, "I'm pregnant", "what's the capital of France?")[-1]
    assert reply.conditions == []


# --- a reminder just set ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "change", "at"),
    [
        ("remind me at 9pm", "actually make it 10", "22:00"),
        ("set a reminder for 9:30 pm", "no, 10pm", "22:00"),
        ("remind me at 9pm", "10 please", "22:00"),
        ("remind me at 9pm", "9 instead", "21:00"),
        ("set a bedtime reminder", "half past ten", "22:30"),  # the menu was shown: a time said next sets it
        ("remind me at 10pm", "make it 10:30", "22:30"),  # it got 10:30 in the morning
        ("remind me at 10pm", "actually 9:45", "21:45"),
        ("remind me at 9pm", "five past ten", "22:05"),  # it got 17:00
        ("remind me at 9pm", "half nine please", "21:30"),
        ("remind me at 9pm", "no, twenty to eleven", "22:40"),
        ("remind me at 9pm", "no wait, 10", "22:00"),  # a time and nothing else
        ("remind me at 9pm", "10 is better", "22:00"),
        ("remind me at 9pm", "midnight", "00:00"),
    ],
)
def test_a_time_said_just_after_a_reminder_sets_that_time(engine: Engine, first: str, change: str, at: str) -> None:
    reply = talk(engine, first, change)[-1]
    assert reply.action == Action(ActionKind.REMIND, time=at)


@pytest.mark.parametrize("message", ["cancel it", "ok never mind", "turn it off pls", "can you cancel that"])
def test_cancel_it_just_after_a_reminder_turns_reminders_off(engine: Engine, message: str) -> None:
    assert talk(engine, "remind me at 9pm", message)[-1].action == Action(ActionKind.REMIND_OFF)


@pytest.mark.parametrize(
    ("seq"),
    [
        ("remind me at 9pm", "what about the 2nd toe?"),  # a number, but no new time
        ("remind me at 9pm", "i have 2 kids"),
        ("which toe is for the ears?", "make it 10"),  # no reminder was talked about
        ("remind me at 9pm", "thanks!", "10 please"),  # the talk moved on: a bare time is no change
        ("remind me at 9pm", "cancel it", "cancel it"),  # nothing to cancel twice: read as usual
        # a number said with something else is no new time (each of these moved the reminder)
        ("remind me at 9pm", "ok and for 2 people?"),
        ("remind me at 9pm", "how about step 2"),
        ("remind me at 9pm", "I've been diabetic since 2010"),
        ("remind me at 9pm", "I wake up at 7"),
        ("remind me at 9pm", "I take my insulin at 10"),
        ("remind me at 9pm", "I usually sleep at 11"),
        ("how do I set a reminder?", "my husband comes home at 6"),  # after the offer too
    ],
)
def test_numbers_and_cancels_are_no_reminder_change_unless_a_reminder_was_just_set(
    engine: Engine, seq: tuple[str, ...]
) -> None:
    assert talk(engine, *seq)[-1].action is None


@pytest.mark.parametrize(
    ("first", "day_part"),
    [
        *(
            (first, day_part)
            for first in ("set a bedtime reminder", "how do I set a reminder?")
            for day_part in ("no, evening", "evening", "no, in the evening please")
        ),
        ("remind me at 10pm", "no, evening"),  # a reminder just set, said no to: corrected
        ("remind me at 10pm", "no, in the evening please"),
    ],
)
def test_a_part_of_the_day_for_a_reminder_asks_for_a_time(engine: Engine, first: str, day_part: str) -> None:
    """ "no, evening" after the reminder's time was asked for got "Hi, I'm footbot!": evening is no time, so one is
    asked for, and a time said next sets it."""
    chat = ChatContext()
    engine.reply(first, chat)
    reply = engine.reply(day_part, chat)
    assert reply.action is None and reply.topic is None
    assert reply.body == engine.kb.conversation.day_part_not_a_time
    assert engine.reply("9pm", chat).action == Action(ActionKind.REMIND, time="21:00")


@pytest.mark.parametrize("first", ["remind me at 10pm", "/remind 22:00", "set a reminder for 10pm"])
@pytest.mark.parametrize("day_part", ["every night?", "tonight", "nightly", "evening", "in the evening"])
def test_a_part_of_the_day_just_after_a_reminder_was_set_at_a_time_asks_for_no_time(
    engine: Engine, first: str, day_part: str
) -> None:
    """ "remind me at 10pm", then "every night?": "I need a clock time for the reminder, not just a part of the
    day", though one was just given, and asked again for every day part after. Not said no to, it is no
    correction: acknowledged, and the reminder stays as set ("make it 11" still changes it)."""
    chat = ChatContext()
    command = command_in(first)
    said = reply_to_command(engine, command, chat) if command is not None else engine.reply(first, chat)
    assert said.action == Action(ActionKind.REMIND, time="22:00")
    reply = engine.reply(day_part, chat)
    assert reply.action is None
    assert reply.body != engine.kb.conversation.day_part_not_a_time
    assert reply.body == engine.kb.conversation.acknowledged
    assert engine.reply("make it 11", chat).action == Action(ActionKind.REMIND, time="23:00")


@pytest.mark.parametrize("message", ["no, evening", "nope, morning", "no in the afternoon"])
def test_no_evening_after_an_answer_is_no_greeting(engine: Engine, message: str) -> None:
    reply = talk(engine, "which toe is for the ears?", message)[-1]
    assert reply.topic != "greeting" and reply.body == engine.kb.conversation.acknowledged


@pytest.mark.parametrize("first", ["remind me", "set a bedtime reminder"])
@pytest.mark.parametrize("day_part", ["tonight", "every night"])
def test_tonight_for_a_reminder_asks_for_a_time_and_starts_no_routine(
    engine: Engine, first: str, day_part: str
) -> None:
    """From the chat probe: "tonight" asked for a reminder's time started the routine."""
    chat = ChatContext()
    engine.reply(first, chat)
    reply = engine.reply(day_part, chat)
    assert reply.action is None and reply.body == engine.kb.conversation.day_part_not_a_time
    assert engine.reply("10", chat).action == Action(ActionKind.REMIND, time="22:00")


def test_tonight_alone_still_starts_the_routine(engine: Engine) -> None:
    assert engine.reply("tonight").action == Action(ActionKind.ROUTINE)


def test_evening_alone_still_greets(engine: Engine) -> None:
    assert engine.reply("good evening").topic == "greeting"
    assert talk(engine, "which toe is for the ears?", "evening")[-1].topic == "greeting"


LONG_AFTER = ("which toe helps earache", "why?", "what are the benefits", "thanks")  # other talk since the reminder


@pytest.mark.parametrize(
    ("change", "at"),
    [
        ("make it 11", "23:00"),
        ("make it 11pm", "23:00"),
        ("change it to 10:30", "22:30"),
        ("ok can you make it 9?", "21:00"),
    ],
)
def test_make_it_11_long_after_a_reminder_was_set_changes_it(engine: Engine, change: str, at: str) -> None:
    """It repeated the last answer (the benefits) once other talk came between the reminder and the change."""
    reply = talk(engine, "remind me at 10pm", *LONG_AFTER, change)[-1]
    assert reply.action == Action(ActionKind.REMIND, time=at)


@pytest.mark.parametrize(("change", "at"), [("actually 10:45", "22:45"), ("11:15pm instead", "23:15")])
def test_a_clock_time_corrected_long_after_a_reminder_was_set_changes_it(engine: Engine, change: str, at: str) -> None:
    """ "remind me at 10:15pm", "thanks", "actually 10:45" got the guide's honest no about how long (a probe found
    it): a clock time said with a correcting word changes the reminder the chat set."""
    assert talk(engine, "remind me at 10:15pm", *LONG_AFTER, change)[-1].action == Action(ActionKind.REMIND, time=at)


@pytest.mark.parametrize(
    "messages", [("remind me at 10pm", "thanks", "actually 11"), ("thanks", "actually 10:45"), ("10:45 instead",)]
)
def test_a_correction_sets_no_reminder_when_its_time_is_a_bare_hour_or_none_was_set(
    engine: Engine, messages: tuple[str, ...]
) -> None:
    assert talk(engine, *messages)[-1].action is None


def test_make_it_11_in_a_chat_with_no_reminder_asks_and_sets_nothing(engine: Engine) -> None:
    """It repeated the last answer (the little toe); a chat that set no reminder now gets asked, and a time said next
    sets one."""
    chat = ChatContext()
    engine.reply("which toe helps earache", chat)
    asked = engine.reply("make it 11", chat)
    assert asked.action is None and asked.topic is None
    assert asked.body == engine.kb.conversation.no_reminder_to_change.format(time="23:00")
    assert engine.reply("11pm please", chat).action == Action(ActionKind.REMIND, time="23:00")


def test_a_reminder_moved_keeps_its_time_in_the_chat(engine: Engine) -> None:
    chat = ChatContext()
    for message in ("remind me at 9pm", "an hour later please"):
        engine.reply(message, chat)
    assert chat.reminder_at == "22:00"
    engine.reply("make it 23:15", chat)
    assert chat.reminder_at == "23:15"


@pytest.mark.parametrize(
    ("messages", "shift"),
    [
        (("remind me at 9pm", "an hour later please"), 60),  # it said "Good night!": "later" read as goodbye
        (("remind me at 9pm", "hmm make it 30 minutes earlier"), -30),
        (("/remind", "could you push it back half an hour please"), 30),
        (("which toe is for the ears?", "move my reminder 2 hours later"), 120),  # a reminder set on another day
        (("an hour earlier",), -60),  # whenever it was set: the adapter knows it, and shows the menu if none
        (("remind me at 9pm", "an hour and a half later please"), 90),
    ],
)
def test_a_reminder_moved_by_some_time_is_a_reminder_request_with_that_shift(
    engine: Engine, messages: tuple[str, ...], shift: int
) -> None:
    assert talk(engine, *messages)[-1].action == Action(ActionKind.REMIND, shift=shift)


@pytest.mark.parametrize(
    "messages",
    [
        ("remind me at 9pm", "a bit later please"),  # it said "Good night!"
        ("set a reminder", "slightly earlier"),
        ("which toe is for the ears?", "make my reminder a little later"),
    ],
)
def test_a_reminder_moved_by_an_amount_not_said_shows_the_reminder_menu(
    engine: Engine, messages: tuple[str, ...]
) -> None:
    assert talk(engine, *messages)[-1].action == Action(ActionKind.REMIND)


def test_a_vague_move_with_no_reminder_in_view_is_no_request(engine: Engine) -> None:
    assert talk(engine, "which toe is for the ears?", "a bit later")[-1].action is None


@pytest.mark.parametrize(
    "message",
    [
        "I slept an hour later than usual",  # a move said with something else is no request
        "should I massage an hour before bed?",
        "13 hours later",  # more than half a day is a new time, said as one
        "in an hour",  # no way to move it
    ],
)
def test_an_amount_of_time_said_otherwise_moves_no_reminder(engine: Engine, message: str) -> None:
    action = talk(engine, "remind me at 9pm", message)[-1].action
    assert action is None or action.shift is None


# --- the routine steered in words --------------------------------------------------------------------------


def on_step(engine: Engine, step: int, *messages: str) -> tuple[ChatContext, list[Reply]]:
    """A chat whose routine shows `step` (0-based), as an adapter's stepper leaves it, then `messages`."""
    context = ChatContext()
    context.show_step(step)
    return context, [engine.reply(message, context) for message in messages]


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        ("continue", 3),
        ("ok carry on", 3),
        ("ok", 3),  # under a step, as in the console: it got "Okay! Ask me anything else"
        ("👍", 3),
        ("finished that one", 3),
        ("skip it", 3),
        ("repeat", 2),
        ("say that again", 2),
        ("what step am i on?", 2),
        ("start over", 0),
        ("back", 1),
        ("step 5", 4),
        ("the last step", -1),
    ],
)
def test_words_steer_the_routine_on_screen_as_its_buttons_do(engine: Engine, message: str, shown: int) -> None:
    steps = engine.kb.routine.steps
    context, [reply] = on_step(engine, 2, message)
    assert steps[shown].text in reply.body
    assert context.routine_step == shown % len(steps)


@pytest.mark.parametrize(
    "message", ["wait what was step 2", "hold on, what was step 2 again?", "sorry remind me what step 2 was"]
)
def test_a_step_asked_for_with_a_wait_or_a_sorry_is_that_step(engine: Engine, message: str) -> None:
    """From the chat probe: "wait what was step 2" on step 3 got the whole order of the steps."""
    context, [reply] = on_step(engine, 2, message)
    assert engine.kb.routine.steps[1].text in reply.body and reply.body.startswith("Step 2 of")
    assert engine.reply("next", context).body.startswith(engine.kb.conversation.next_lead.split("{")[0])


@pytest.mark.parametrize("first", ["where is the heart point", "what are the benefits? and which toe for teeth?"])
@pytest.mark.parametrize("again", ["again please", "say that again", "once more", "can you repeat that"])
def test_again_after_an_answer_gives_that_answer_again(engine: Engine, first: str, again: str) -> None:
    """From the chat probe: "again please" after an answer got "Sorry, I don't know that one", and "say that again"
    the greeting. With no step on screen, the routine's words for the same step again give the last answer again."""
    chat = ChatContext()
    said = engine.reply(first, chat)
    reply = engine.reply(again, chat)
    assert reply.topics == said.topics and reply.body == said.body


@pytest.mark.parametrize("asked", ["with what", "using what?"])
def test_with_what_after_the_sole_is_how_to_work_it(engine: Engine, asked: str) -> None:
    """From the chat probe: "with what" after the sole got the toes, and "and then" next the step after the toes."""
    chat = ChatContext()
    engine.reply("whats the plantar part", chat)
    assert engine.reply(asked, chat).topic == "plantar_area"


def test_again_keeps_a_condition_named_earlier(engine: Engine) -> None:
    *_, reply = talk(engine, "im pregnant", "which toe for earache", "say that again")
    assert reply.topic == "little_toe" and reply.conditions == ["pregnancy"]


def test_a_step_asked_by_its_place_says_its_number_and_back_at_the_first_says_so(engine: Engine) -> None:
    total = len(engine.kb.routine.steps)
    _, [where, first] = on_step(engine, 2, "where was i", "start over")
    _, [back] = on_step(engine, 0, "back")
    assert f"3 of {total}" in where.body and f"1 of {total}" in first.body
    assert back.body.startswith(engine.kb.conversation.first_lead.split("{")[0])


def test_wait_keeps_the_step_on_screen(engine: Engine) -> None:
    _, [reply, going_on] = on_step(engine, 3, "hang on", "ok go on")
    assert reply.body == engine.kb.conversation.waiting
    assert engine.kb.routine.steps[4].text in going_on.body


def test_the_last_step_offers_a_reminder_as_the_buttons_last_page_does(engine: Engine) -> None:
    last = len(engine.kb.routine.steps) - 1
    _, [step, reminder] = on_step(engine, last - 1, "next", "10pm please")
    assert engine.kb.messages.extra["routine_done"] in step.body
    assert reminder.action == Action(ActionKind.REMIND, time="22:00")


@pytest.mark.parametrize("message", ["continue", "repeat", "start over", "hang on", "done"])
def test_steering_words_with_no_routine_on_screen_show_no_step(engine: Engine, message: str) -> None:
    context = ChatContext()
    reply = engine.reply(message, context)
    assert context.routine_step is None
    assert all(step.text not in reply.body for step in engine.kb.routine.steps)


def test_pregnancy_named_mid_routine_holds_back_the_next_step(engine: Engine) -> None:
    """As when the routine is asked for in pregnancy: its lead, not another step; the routine stops there."""
    held = engine.kb.caveat_for(Condition.PREGNANCY).routine_lead
    context, [caution, typed, after] = on_step(
        engine, 1, "my wife is 8 weeks pregnant, is this step ok?", "next", "continue"
    )
    assert caution.conditions == ["pregnancy"]
    assert typed.kind is ReplyKind.SAFETY and typed.body == held and typed.conditions == ["pregnancy"]
    assert context.routine_on_screen is None
    assert all(step.text not in after.body for step in engine.kb.routine.steps)
    assert engine.routine_held_back(ChatContext()) is None  # nothing named: nothing held back


# --- replies that stand on their own -----------------------------------------------------------------------


def test_an_out_of_scope_explanation_stands_alone_with_suggestions(engine: Engine) -> None:
    reply = engine.reply("how long should a foot massage last?")
    assert reply.kind is ReplyKind.FALLBACK
    assert engine.kb.messages.fallback not in reply.plain_text()
    assert reply.suggestions
    assert engine.kb.entry("oos_duration").answer in reply.body


def test_the_emergency_reply_carries_no_massage_caveat_but_lists_the_condition(engine: Engine) -> None:
    reply = engine.reply("I have chest pain and my left arm is numb, I have a heart condition")
    assert reply.kind is ReplyKind.RED_FLAG
    assert reply.plain_text() == engine.kb.red_flags.reply
    assert "heart" in reply.conditions


# --- the context itself -------------------------------------------------------------------------------------


def test_context_expires_after_the_ttl_and_is_bounded_in_count() -> None:
    now = [0.0]
    conversations = Conversations(ttl=60, max_chats=2, clock=lambda: now[0])
    conversations.get("a").topics = ("big_toe",)
    now[0] = 30
    assert conversations.get("a").topics == ("big_toe",)
    now[0] = 100  # 70 s after the last message
    assert conversations.get("a").topics == ()
    conversations.get("b")
    conversations.get("c")
    assert len(conversations) == 2  # "a", the least recently active, was dropped


def test_idle_contexts_are_dropped_when_any_chat_speaks() -> None:
    now = [0.0]
    conversations = Conversations(ttl=60, clock=lambda: now[0])
    for chat in range(100):
        conversations.get(chat)
    now[0] = 50
    conversations.get("recent")
    now[0] = 90  # the first hundred have been idle for 90 s, "recent" for 40 s
    conversations.get("another")
    assert len(conversations) == 2


def test_forget_clears_a_chat() -> None:
    conversations = Conversations()
    conversations.get(1).conditions = frozenset({Condition.HEART})
    conversations.forget(1)
    assert conversations.get(1).conditions == frozenset()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=80), min_size=1, max_size=4))
def test_any_conversation_gets_replies_with_known_topics_and_each_caveat_once(
    engine: Engine, messages: list[str]
) -> None:
    for reply in talk(engine, *messages):
        assert len(reply.topics) <= MAX_ANSWERS
        assert all(engine.kb.has_entry(topic) for topic in reply.topics)
        assert len(reply.conditions) == len(set(reply.conditions))


# --- the knowledge that drives it ---------------------------------------------------------------------------


def test_the_shipped_knowledge_names_follow_ups_and_short_caveats(engine: Engine) -> None:
    assert engine.kb.entry("big_toe").follow_up("why") == "what_is_reflexology"
    assert all(rule.caveat_short and rule.caveat_short != rule.caveat for rule in engine.kb.conditions)
    assert any("plantar_area" in step.topics for step in engine.kb.routine.steps)


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        (
            "          - id: big_toe\n            title: Big\n            section: Toes\n"
            "            phrasings: [big toe]\n            answer: Lungs.\n            follow_ups: {why: nowhere}\n",
            "follow_ups.why",
        ),
        (
            "          - id: big_toe\n            title: Big\n            section: Toes\n"
            "            phrasings: [big toe]\n            answer: Lungs.\n"
            "            follow_ups: {later: little_toe}\n",
            "follow_ups.later",
        ),
        (
            "          - id: big_toe\n            title: Big\n            section: Toes\n"
            "            phrasings: [big toe]\n            answer: Lungs.\n            carries: [flu]\n",
            "carries",
        ),
    ],
)
def test_kb_check_reports_bad_follow_ups_and_carries(tmp_path: Path, extra: str, problem: str) -> None:
    files = dict(MINIMAL)
    files["entries.yaml"] = MINIMAL["entries.yaml"].rstrip() + "\n" + extra
    problems = check_knowledge(write_knowledge(tmp_path / "kb", files))
    assert any(found.field == problem for found in problems), problems


def test_kb_check_reports_a_long_short_caveat_and_an_unknown_step_topic(tmp_path: Path) -> None:
    files = dict(MINIMAL)
    files["safety.yaml"] = (
        MINIMAL["safety.yaml"]
        .replace("terms: [diabetes]", "terms: [diabetes]\n            caveat_short: Diabetes? Please take great care.")
        .replace("Start with the toes.}", "Start with the toes., topics: [nowhere]}")
    )
    fields = {problem.field for problem in check_knowledge(write_knowledge(tmp_path / "kb", files))}
    assert {"caveat_short", "topics"} <= fields


def test_conversation_rules_are_read_and_checked(tmp_path: Path) -> None:
    files = dict(MINIMAL)
    files["conversation.yaml"] = """
        conversation:
          why: [why]
          more: [tell me more]
          next: [and after that]
          after: [what comes after]
          how: [how do i massage]
          references: [it]
          continuations: [and]
          fillers: [ok]
          how_default: little_toe
          next_lead: "{title}: {text}"
          routine_end: The end.
    """
    kb = load_knowledge(write_knowledge(tmp_path / "good", files))
    assert kb.conversation.why == ("why",) and kb.conversation.how_default == "little_toe"
    bad = files["conversation.yaml"].replace("little_toe", "nowhere").rstrip() + "\n          colour: blue\n"
    files["conversation.yaml"] = bad
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(write_knowledge(tmp_path / "bad", files))
    assert {"conversation", "conversation.colour"} <= {problem.field for problem in raised.value.problems}


# --- second pass: follow-ups as people type them ----------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "follow_up", "topic"),
    [
        ("where's the heart point", "wht about the liver", "liver_stomach"),  # conversation.spellings
        ("which toe is for the ears", "n the big 1?", "big_toe"),
        ("where is the stomach point", "y", "what_is_reflexology"),
        ("what are the benefits of a foot massage", "explain more pls", "bedtime_benefits"),  # a closer dropped
        ("does it help with sleep", "more pls", "bedtime_benefits"),
        ("what's the sole linked to", "wht do i use on it", "plantar_area"),  # the sole's follow_ups.how
        ("what are the ankles linked to", "hw do i do that", "ankles"),
        ("the little toe, what's that for", "is it the same on both feet?", "little_toe"),  # same_zone
        ("where is the heart point", "and where is it exactly", "heart_point"),  # a pronoun, not "the X one"
        ("how do you start a foot massage", "why the toes first?", "how_to_massage"),  # the reason for its words
        ("how do i get ready", "why oil", "massage_oil"),  # ... or the related entry that gives it
        ("does it help with circulation", "why does it do that", "benefit_circulation"),
        ("what's the big toe for", "what is it good for", "big_toe"),
    ],
)
def test_typed_and_elliptical_follow_ups_are_read_against_the_last_topic(
    engine: Engine, first: str, follow_up: str, topic: str
) -> None:
    assert talk(engine, first, follow_up)[-1].topic == topic


@pytest.mark.parametrize(
    ("first", "follow_up", "topic"),
    [
        ("toothache which toes", "how long for that one?", None),  # the guide's honest no stands
        ("what's the big toe for", "can i do it on myself?", "who_can_massage"),  # "it" is the massage
        ("what's the heart point", "and the kidneys?", None),
        ("which toe is for the lungs", "why are feet so important", "why_feet_matter"),  # read alone
    ],
)
def test_context_does_not_force_an_answer_where_the_message_asks_its_own(
    engine: Engine, first: str, follow_up: str, topic: str | None
) -> None:
    assert talk(engine, first, follow_up)[-1].topic == topic


def test_a_follow_up_after_a_condition_clause_keeps_the_caveat(engine: Engine) -> None:
    reply = talk(engine, "which toe is for the lungs", "im pregnant, and the little one?")[-1]
    assert reply.topic == "little_toe"
    assert reply.conditions == ["pregnancy"]


def test_a_second_question_said_as_a_follow_up_within_one_message_is_answered(engine: Engine) -> None:
    reply = engine.reply("what's the pinky for? and the big toe?", ChatContext())
    assert reply.topics == ("little_toe", "big_toe")
    alone = engine.reply("what's the pinky for? and the kidneys?", ChatContext())
    assert alone.topics == ("little_toe", "oos_other_conditions")  # the guide's honest no, not a neighbour


def test_a_condition_said_four_turns_earlier_still_rides_on_the_foot_map_and_a_massage_question(
    engine: Engine,
) -> None:
    replies = talk(
        engine, "my wife is pregnant btw", "whats the big toe for", "thanks", "show me the foot map", "how do i start"
    )
    assert replies[3].action is not None and replies[3].conditions == ["pregnancy"]
    assert replies[4].conditions == ["pregnancy"]


def test_saying_the_pregnancy_is_over_keeps_the_caveat_for_the_conversation(engine: Engine) -> None:
    replies = talk(engine, "i'm pregnant", "actually i'm not pregnant anymore", "what does the big toe do")
    assert replies[-1].topic == "big_toe"
    assert replies[-1].conditions == ["pregnancy"]  # the cautious direction: /forget clears it


def _to_the_routine_end(engine: Engine, context: ChatContext) -> Reply:
    reply = engine.reply("what comes after the ankles", context)
    while context.routine_step is not None:
        reply = engine.reply("and then?", context)
    return reply


@pytest.mark.parametrize(
    ("answer", "time"),
    [("10pm please", "22:00"), ("yes please, 10pm", "22:00"), ("yes at 10", "22:00"), ("ok 21:30", "21:30")],
)
def test_a_time_after_the_routine_offers_a_reminder_sets_it(engine: Engine, answer: str, time: str) -> None:
    context = ChatContext()
    end = _to_the_routine_end(engine, context)
    assert end.body == engine.kb.conversation.routine_end and "reminder" in end.body
    reply = engine.reply(answer, context)
    assert reply.action is not None and reply.action.do.value == "remind" and reply.action.time == time


def test_yes_please_after_the_offer_opens_the_time_menu_and_no_thanks_moves_on(engine: Engine) -> None:
    context = ChatContext()
    _to_the_routine_end(engine, context)
    reply = engine.reply("yes please", context)
    assert reply.action is not None and reply.action.do.value == "remind" and reply.action.time is None
    _to_the_routine_end(engine, context)
    other = engine.reply("no thanks, which toe is for toothache?", context)
    assert other.action is None and other.topic == "middle_toes"


@pytest.mark.parametrize("order", ["how do i give a foot massage", "what order do the steps go in"])
def test_after_the_whole_order_next_offers_the_routine_and_yes_starts_it(engine: Engine, order: str) -> None:
    context = ChatContext()
    assert engine.reply(order, context).topic == engine.kb.conversation.how_default
    offer = engine.reply("what next?", context)
    assert offer.body == engine.kb.conversation.order_end
    reply = engine.reply("yes please", context)
    assert reply.action is not None and reply.action.do.value == "routine"


@pytest.mark.parametrize("decline", ["nah", "not now", "no im good", "nope, not tonight", "all good"])
def test_declining_an_offer_is_acknowledged_not_read_as_a_question(engine: Engine, decline: str) -> None:
    """ "nah" got who should be careful, "no im good" the benefits: a decline asks nothing."""
    context = ChatContext()
    engine.reply("how do i give a foot massage", context)
    engine.reply("what next?", context)
    reply = engine.reply(decline, context)
    assert (reply.kind, reply.body, reply.action) == (ReplyKind.SMALLTALK, engine.kb.conversation.acknowledged, None)


def test_the_routine_offered_after_the_order_lasts_one_message(engine: Engine) -> None:
    context = ChatContext()
    engine.reply("how do i give a foot massage", context)
    engine.reply("and then?", context)
    assert engine.reply("no thanks, which toe is for toothache?", context).topic == "middle_toes"
    assert engine.reply("yes please", context).action is None


def test_a_bare_time_without_an_offer_sets_nothing(engine: Engine) -> None:
    replies = talk(engine, "what is the heart point", "10pm please", "yes please")
    assert [reply.action for reply in replies[1:]] == [None, None]


def test_the_offer_lasts_one_message(engine: Engine) -> None:
    context = ChatContext()
    _to_the_routine_end(engine, context)
    engine.reply("which toe is for the lungs", context)
    assert engine.reply("10pm please", context).action is None


def test_delete_my_data_mid_conversation_asks_to_forget(engine: Engine) -> None:
    replies = talk(engine, "where's the liver", "delete my data pls")
    assert replies[-1].action is not None and replies[-1].action.do.value == "forget"


def test_context_expired_after_half_an_hour_reads_a_follow_up_alone() -> None:
    engine = Engine.load()
    now = [0.0]
    conversations = Conversations(clock=lambda: now[0])
    engine.reply("what does the sole do", conversations.get("a"))
    now[0] += 31 * 60
    reply = engine.reply("and after that?", conversations.get("a"))
    assert "Touch the ankles" not in reply.body


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=60))
def test_the_follow_up_reader_never_raises_and_spells_only_whole_words(engine: Engine, text: str) -> None:
    from bot.core.text import normalise

    normalised = normalise(text)
    if normalised:
        engine.follow_ups.read(normalised)
        engine.follow_ups.read(normalised, history=False)
        assert isinstance(engine.follow_ups.accepts(normalised), bool)
        place = engine.follow_ups.place_asked(f"the third {normalised}")
        assert place is None or place == 3  # the words around a place never name another
    assert engine.follow_ups.spelt(["wht", "whatever", "y"]) == ["what", "whatever", "why"]


def test_one_question_about_two_places_on_the_foot_map_answers_both(engine: Engine) -> None:
    assert engine.reply("where's the heart n the liver", ChatContext()).topics == ("heart_point", "liver_stomach")
    assert len(engine.reply("how can i relax and sleep better", ChatContext()).topics) == 1  # not two places


def test_a_bare_ok_is_acknowledged_and_the_conversation_goes_on(engine: Engine) -> None:
    replies = talk(engine, "im diabetic", "whats the big toe for", "ok", "hmm got it", "and the little one?")
    assert [reply.body for reply in replies[2:4]] == [engine.kb.conversation.acknowledged] * 2
    assert all(reply.topic is None and reply.kind is ReplyKind.SMALLTALK for reply in replies[2:4])
    assert replies[-1].topic == "little_toe" and replies[-1].conditions == ["diabetes"]
    assert talk(engine, "thanks")[0].topic == "thanks"  # small talk of its own is still answered as such


def test_a_time_right_after_the_routine_sets_the_reminder(engine: Engine) -> None:
    replies = talk(engine, "start the routine", "10pm please")
    assert replies[0].action is not None and replies[0].action.do.value == "routine"
    assert (
        replies[1].action is not None and replies[1].action.do.value == "remind" and replies[1].action.time == "22:00"
    )


@pytest.mark.parametrize("next_message", ["he says its getting better now", "im pregnant btw", "thanks"])
def test_the_reply_after_an_emergency_says_to_call_first_then_the_chat_goes_on(
    engine: Engine, next_message: str
) -> None:
    """ "I'm pregnant btw" after "dizzy and short of breath" got the pregnancy caution alone, "he says it's
    getting better" the fallback: the emergency is said again first, once."""
    still = engine.kb.red_flags.still
    emergency, after, later = talk(
        engine, "my dad has chest pain and his left arm is numb", next_message, "and the big toe?"
    )
    assert emergency.kind is ReplyKind.RED_FLAG
    assert after.kind is not ReplyKind.RED_FLAG and after.plain_text().startswith(still)
    assert still not in later.plain_text()


@pytest.mark.parametrize(
    ("first", "then", "not_again"),
    [
        ("which toe for earache", "bruh does it actually work", "little_toe"),
        ("which toe is for toothache", "do you know any good dentists", "middle_toes"),
    ],
)
def test_a_doubt_or_an_aside_after_an_answer_is_not_that_answer_again(
    engine: Engine, first: str, then: str, not_again: str
) -> None:
    """ "does it actually work" after the little toe repeated the little toe; it is the guide's honest no."""
    reply = talk(engine, first, then)[-1]
    assert reply.kind is ReplyKind.FALLBACK and not_again not in reply.topics


# --- "the third one?": a place in the list the last answer gave ----------------------------------------------


@pytest.mark.parametrize(
    ("asked", "topics"),
    [
        ("tell me more about the third one", ["benefit_circulation"]),
        ("and the 2nd?", ["foot_map"]),
        ("ok what about number 6", ["benefit_sleep"]),
        ("the fifth one please", ["benefit_stress", "benefit_muscles"]),
        ("and the last one?", ["benefit_sleep"]),
    ],
)
def test_a_place_in_the_benefits_list_is_that_benefit(engine: Engine, asked: str, topics: list[str]) -> None:
    listed, reply = talk(engine, "what are the benefits of foot massage?", asked)
    assert listed.topic == "benefits_overview"
    assert list(reply.topics) == topics


def test_the_list_stays_open_while_its_items_are_asked_for(engine: Engine) -> None:
    """The second benefit is the foot map, a list of its own: "the third one" after it is still the third benefit."""
    replies = talk(engine, "what are the benefits?", "the second one", "and the third?", "and the fourth?", "the 6th")
    assert [reply.topic for reply in replies[1:3]] == ["foot_map", "benefit_circulation"]
    assert replies[3].kind is ReplyKind.FALLBACK and "vital functions" in replies[3].body  # the guide says no more
    assert replies[4].topic == "benefit_sleep"


def test_a_place_past_the_end_of_the_list_says_how_many_there_are(engine: Engine) -> None:
    reply = talk(engine, "what are the benefits?", "and the ninth one?")[1]
    assert reply.kind is ReplyKind.FALLBACK and "6" in reply.body and reply.topic is None


@pytest.mark.parametrize(
    ("asked", "topic"),
    [("the first one", "big_toe"), ("and the third?", "middle_toes"), ("the last one?", "little_toe")],
)
def test_a_place_among_the_toes_is_that_toe(engine: Engine, asked: str, topic: str) -> None:
    assert talk(engine, "which toe is for what?", asked)[1].topic == topic


def test_a_place_after_another_subject_or_naming_something_else_is_read_as_before(engine: Engine) -> None:
    assert talk(engine, "what are the benefits?", "what about the second toe?")[1].topic == "middle_toes"
    assert talk(engine, "what are the benefits?", "what do i do first?")[1].topic != "toe_nerve_endings"
    assert talk(engine, "what are the benefits?", "which toe helps earache?", "the third one")[2].topic != (
        "benefit_circulation"
    )
    assert talk(engine, "the third one")[0].topic != "benefit_circulation"  # no list given yet


def test_picking_a_place_names_no_condition_nor_a_list_the_screen_numbers_otherwise(engine: Engine) -> None:
    """Picking "the second one" of who should be careful took diabetes for the person's own, with its caveat on every
    later reply; the foot map's eight numbered zones are not the five its answer names: neither is a list by place."""
    replies = talk(engine, "who should be careful with foot massage?", "the second one?", "which toe helps earache")
    assert all(reply.caveats == () for reply in replies)
    assert talk(engine, "show me the foot map", "number 5")[1].topic != "ankles"


@pytest.mark.parametrize(
    ("asked", "topic"),
    [("3", "benefit_circulation"), ("#6", "benefit_sleep"), ("the thrid one", "benefit_circulation")],
)
def test_a_bare_number_or_a_typed_ordinal_is_a_place_in_the_list(engine: Engine, asked: str, topic: str) -> None:
    assert talk(engine, "what are the benefits?", asked)[1].topic == topic


def test_which_one_names_no_place(engine: Engine) -> None:
    assert talk(engine, "what are the benefits?", "which one?")[1].topic != "toe_nerve_endings"


def test_what_is_next_with_nothing_to_follow_offers_the_routine_and_yes_starts_it(engine: Engine) -> None:
    replies = talk(engine, "ok", "what's next?", "yes")
    assert replies[2].action == Action(ActionKind.ROUTINE)


def test_a_condition_named_earlier_rides_on_the_honest_no_to_a_question_about_the_massage(engine: Engine) -> None:
    """ "can my 6 year old do the massage on me?" gets the guide's honest no about children: still about a massage."""
    replies = talk(engine, "I'm 20 weeks pregnant", "can my 6 year old do the massage on me?", "who wrote the guide?")
    assert [caveat.condition for caveat in replies[1].caveats] == [Condition.PREGNANCY]
    assert replies[2].caveats == ()  # a question about footbot itself carries none


def test_a_condition_named_earlier_rides_on_whether_something_is_all_right_though_read_as_off_topic(
    engine: Engine,
) -> None:
    """ "so after 3 months its fine?" after pregnancy was named is read as off-topic; whether something is fine, in
    that chat, may be asked for her: the caveat rides (a probe found it dropped). Small talk stays bare."""
    replies = talk(engine, "im pregnant, can i get a foot massage?", "so after 3 months its fine?", "ok thx")
    assert [caveat.condition for caveat in replies[1].caveats] == [Condition.PREGNANCY]
    assert replies[2].caveats == ()


@pytest.mark.parametrize("message", ["what's next?", "next", "and then?"])
def test_next_with_nothing_to_follow_says_so_and_offers_the_routine(engine: Engine, message: str) -> None:
    """It got "Sorry, I don't know that one", though the reply to "ok" suggests asking "what's next?"."""
    reply = talk(engine, "ok", message)[-1]
    assert reply.body.startswith(engine.kb.conversation.nothing_next)
    assert "how_to_massage" in [suggestion.topic for suggestion in reply.suggestions]


@pytest.mark.parametrize("message", ["👍", "🙏🏽🙏🏽", "😊 👌", "❤️"])
def test_an_emoji_that_acknowledges_is_answered_as_ok_is(engine: Engine, message: str) -> None:
    reply = talk(engine, "which toe helps earache", message)[-1]
    assert reply.kind is ReplyKind.SMALLTALK and reply.body == engine.kb.conversation.acknowledged


@pytest.mark.parametrize("message", ["😡", "🦶", "👍 why", "..."])
def test_other_emoji_alone_still_get_the_empty_message_hint(engine: Engine, message: str) -> None:
    reply = talk(engine, message)[-1]
    assert reply.kind is not ReplyKind.SMALLTALK or reply.body != engine.kb.conversation.acknowledged


# --- behaviour a mutation probe (2026-12-07) could break without a test failing ----------------------------


def test_a_safety_question_after_a_topic_is_read_with_the_condition_not_as_that_topic(engine: Engine) -> None:
    assert talk(engine, "I'm pregnant", "where is the heart point?", "is it safe to press it?")[-1].topic == (
        "pregnancy_caution"
    )
    assert talk(engine, "where is the heart point?", "is that safe for me?")[-1].topic == "who_should_be_careful"


def test_what_comes_after_a_long_day_is_no_routine_step(engine: Engine) -> None:
    """ "what comes after" opens it, but more than a step's few words follow (MAX_STEP_NAME_WORDS)."""
    assert engine.reply("what comes after a long day at work would it relax me").topic == "benefit_stress"


def test_three_questions_in_one_message_get_three_answers(engine: Engine) -> None:
    reply = engine.reply("how long should it last, where is the heart point, and which toe is for the lungs?")
    assert reply.topics == ("heart_point", "big_toe", "oos_duration")


def test_the_pregnancy_caveat_leads_several_answers_and_a_heart_caveat_does_not(engine: Engine) -> None:
    assert engine.reply("I'm pregnant. how long should it last, and where is the heart point?").caveats_first
    assert not engine.reply("diabetic with heart disease, how do I do the massage properly?").caveats_first


def test_asking_permission_beside_a_pregnancy_gets_the_caution(engine: Engine) -> None:
    """Keeping the "can my husband..." piece beside a condition gave who can give a massage instead."""
    assert engine.reply("I'm 9 weeks pregnant, can my husband give me a foot rub?").topic == "pregnancy_caution"


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("is the big toe for the lungs on both feet or only one of them?", "big_toe"),  # model and matcher agree
        ("does rubbing the ankles boost fertility", "ankles"),
        ("is it just relaxing or is there more to it", "benefits_overview"),  # near the answer threshold
    ],
)
def test_readings_that_rest_on_the_chooser_agreeing_or_on_the_threshold(
    engine: Engine, message: str, topic: str
) -> None:
    assert engine.reply(message).topic == topic


def test_a_phrase_prefix_ends_at_a_word_boundary() -> None:
    from bot.core.follow_ups import Prefixes

    assert Prefixes(["and the", "and"]).after("and then what") == "then what"  # not "n what" after "and the"


def test_a_thumbs_up_takes_up_an_offer_as_ok_does(engine: Engine) -> None:
    """ "what's next?" offers the routine: 👍 next started nothing, though "ok" starts it."""
    assert talk(engine, "ok", "what's next?", "👍")[-1].action == Action(ActionKind.ROUTINE)


def test_asking_to_keep_going_after_naming_a_condition_mid_routine_gets_its_caution(engine: Engine) -> None:
    """It got only "the guide doesn't say how long a massage should last", with the short caveat."""
    _, [_, keep_going] = on_step(engine, 1, "im diabetic and my feet are numb", "can i keep going?")
    assert keep_going.topic == "diabetes_caution"


@pytest.mark.parametrize(
    "messages",
    [
        ("ok show me the steps",),  # it got the order in one paragraph
        ("walk me through the steps one at a time",),
        ("give me the steps one by one",),  # it got the order in one paragraph (a probe found it)
        ("tell me the steps one at a time please",),
        ("how do i start tonight", "next", "next please"),  # the second "next" repeated the offer
    ],
)
def test_asking_to_be_shown_the_steps_or_going_on_after_the_offer_starts_the_routine(
    engine: Engine, messages: tuple[str, ...]
) -> None:
    assert talk(engine, *messages)[-1].action == Action(ActionKind.ROUTINE)


def test_asking_for_the_steps_quickly_still_gets_their_order(engine: Engine) -> None:
    assert talk(engine, "give me the steps")[-1].action is None


@pytest.mark.parametrize("again", ["resume", "continue where we left off", "where were we?"])
def test_after_stop_resuming_shows_the_step_it_stopped_at(engine: Engine, again: str) -> None:
    """It got the fallback, and "next" then said nothing was running."""
    steps = engine.kb.routine.steps
    context, [stopped, shown, going_on] = on_step(engine, 3, "stop", again, "continue")
    assert stopped.body == engine.kb.conversation.routine_stopped
    assert steps[3].text in shown.body and f"4 of {len(steps)}" in shown.body
    assert steps[4].text in going_on.body
    assert context.routine_stopped is None  # under way again


def test_resume_with_nothing_stopped_says_nothing_is_running(engine: Engine) -> None:
    assert talk(engine, "resume")[-1].body == engine.kb.conversation.nothing_running


def test_an_emergency_named_under_a_step_ends_the_routine(engine: Engine) -> None:
    """ "next" after the emergency reply went on with the massage ("Next: Move slowly lower")."""
    context, [emergency, after] = on_step(engine, 1, "my foot is suddenly swollen red and hot", "next")
    assert emergency.kind is ReplyKind.RED_FLAG
    assert context.routine_on_screen is None
    assert all(step.text not in after.body for step in engine.kb.routine.steps)


def test_stop_said_before_a_complaint_ends_the_routine_and_answers_the_rest(engine: Engine) -> None:
    """ "stop!! my heel really hurts when i press" got only the pain answer, and "next" went on to step 3."""
    _, [reply, after] = on_step(engine, 1, "stop!! my heel really hurts when i press", "next")
    assert reply.body.startswith(engine.kb.conversation.routine_stopped)
    assert len(reply.body) > len(engine.kb.conversation.routine_stopped)  # the complaint is answered too
    assert all(step.text not in after.body for step in engine.kb.routine.steps)


def test_next_after_stop_does_not_go_on(engine: Engine) -> None:
    _, [_, after] = on_step(engine, 1, "stop", "next")
    assert all(step.text not in after.body for step in engine.kb.routine.steps)


@pytest.mark.parametrize(
    "messages",
    [
        ("how long before bed should i do it?", "an hour before?"),  # it moved the reminder an hour earlier
        ("30 mins before",),
        ("an hour later?",),  # a question moves nothing
        ("back 5 min",),  # "brb", not "push it back"
    ],
)
def test_a_time_said_about_the_massage_moves_no_reminder(engine: Engine, messages: tuple[str, ...]) -> None:
    action = talk(engine, *messages)[-1].action
    assert action is None or action.shift is None


def test_an_amount_of_time_said_under_a_step_moves_no_reminder_unless_it_names_the_reminder(engine: Engine) -> None:
    _, [under_step, named] = on_step(engine, 2, "ok 10 min later then", "move my reminder 10 min later")
    assert under_step.action is None
    assert named.action == Action(ActionKind.REMIND, shift=10)


@pytest.mark.parametrize("asked", ["step {past}", "step 0", "step 12", "go to step 99999999999999999999"])
def test_a_step_past_the_last_says_how_many_there_are(engine: Engine, asked: str) -> None:
    """From the newcomer probe: "step 0" and "step 99999999999999999999" showed the step on screen."""
    total = len(engine.kb.routine.steps)
    reply = talk(engine, "start the routine", asked.format(past=total + 2))[-1]
    assert reply.body == engine.kb.conversation.no_such_step.format(total=total)


def test_a_step_an_adapter_shows_carries_the_caveat_named_in_the_chat(engine: Engine) -> None:
    context, _ = on_step(engine, 1, "I have diabetes")
    assert [caveat.condition for caveat in engine.routine_caveats(context)] == [Condition.DIABETES]
    assert engine.routine_caveats(ChatContext()) == ()


@pytest.mark.parametrize("message", ["lets goooo", "go to bed now"])
def test_a_message_read_as_the_routine_while_it_is_under_way_shows_the_step_on_screen(
    engine: Engine, message: str
) -> None:
    """They started the routine over at step 1 (in Telegram, a new step message)."""
    context, [reply] = on_step(engine, 2, message)
    assert reply.action is None and engine.kb.routine.steps[2].text in reply.body
    assert context.routine_step == 2


@pytest.mark.parametrize("sign", ["👋", "😴"])
def test_a_goodnight_emoji_under_a_step_says_good_night_and_does_not_move_it_on(engine: Engine, sign: str) -> None:
    context, [reply] = on_step(engine, 2, sign)
    assert reply.topic == "goodbye"
    assert context.routine_on_screen == 2


@pytest.mark.parametrize(
    ("first", "denial", "kept"),
    [
        ("I have diabetes", "I am not pregnant", Condition.DIABETES),  # it added pregnancy, for the rest of the chat
        ("I have a heart condition", "I am not diabetic", Condition.HEART),
        ("I have diabetes", "no heart problems though", Condition.DIABETES),
    ],
)
def test_denying_another_condition_adds_it_no_more_than_in_a_fresh_chat(
    engine: Engine, first: str, denial: str, kept: Condition
) -> None:
    replies = talk(engine, first, denial, "what are the benefits?")
    assert [{c.condition for c in reply.caveats} for reply in replies[1:]] == [{kept}, {kept}]


@pytest.mark.parametrize(
    "message",
    [
        "What are the benefits of having a bedtime routine?",  # the word matcher started the routine
        "my routine is a mess lately",
        "I'm in no mood for a long routine",
    ],
)
def test_routine_said_of_other_things_does_not_start_it(engine: Engine, message: str) -> None:
    reply = talk(engine, message)[0]
    assert reply.action is None and reply.topic != "start_routine"


def test_next_after_a_toe_once_pregnancy_was_named_is_held_back_the_first_time(engine: Engine) -> None:
    # The first "next" showed the next step of the massage; only a second one held the routine back.
    replies = talk(engine, "im pregnant", "which toe helps earache", "next")
    held = engine.kb.caveat_for(Condition.PREGNANCY).routine_lead
    assert held and replies[-1].body.startswith(held[:40])
    assert talk(engine, "which toe helps earache", "next")[-1].topic == "how_to_massage"  # not pregnant: the step


@pytest.mark.parametrize(
    ("first", "message", "condition"),
    [
        ("I have diabetes", "I am not pregnant but my wife is, can I massage her feet?", Condition.PREGNANCY),
        ("I have heart failure", "im not diabetic, but my mum is, can she have it?", Condition.DIABETES),
        (None, "I am not pregnant but my wife is, can I massage her feet?", Condition.PREGNANCY),
        (None, "no heart problems here but my dad has, is it ok", Condition.HEART),
    ],
)
def test_a_denial_turned_to_someone_else_names_the_condition(
    engine: Engine, first: str | None, message: str, condition: Condition
) -> None:
    # The denial's lookalike hid the condition: no caveat in a fresh chat, nor (after the review) in any chat.
    reply = talk(engine, *([first] if first else []), message)[-1]
    assert condition in {caveat.condition for caveat in reply.caveats}


def test_a_denial_with_no_one_else_named_stays_clean(engine: Engine) -> None:
    assert talk(engine, "I'm not pregnant, but is it safe?")[-1].caveats == ()


def test_an_emergency_named_beside_a_command_is_remembered_as_one(engine: Engine) -> None:
    context = ChatContext()
    urgent = engine.caution_alone("my dad has crushing chest pain right now", context)
    assert urgent is not None and urgent.kind is ReplyKind.RED_FLAG
    after = engine.reply("he says it's easing now", context)
    still = engine.kb.red_flags.still
    assert still and after.body.startswith(still[:40])  # "if it may still be an emergency, call", as after a message


def test_what_next_after_a_question_asked_mid_routine_goes_on_from_the_step_on_screen(engine: Engine) -> None:
    """From the conversation probe: on step 5, a question about the little toe, then "ok what next" showed step 3
    (the step after the toes) instead of step 6."""
    context, [_, after] = on_step(engine, 4, "which toe is for earache", "ok what next")
    assert after.body.count(engine.kb.routine.steps[5].text) == 1 and context.routine_step == 5


def test_leave_asked_for_someone_named_earlier_gets_the_caution(engine: Engine) -> None:
    """From the conversation probe: "can i rub her feet tonight" after "my mother has a pacemaker" got "Sorry, I
    don't know that one" with the caveat; asked in one message it gets the caution."""
    assert talk(engine, "my mother has a pacemaker", "can i rub her feet tonight")[-1].topic == "heart_caution"


@pytest.mark.parametrize("message", ["ok good", "sounds good", "good to know"])
def test_an_acknowledgement_is_acknowledged(engine: Engine, message: str) -> None:
    """From the conversation probe: "ok good" and "sounds good" got "Sorry, I don't know that one"."""
    reply = talk(engine, "which toe for earache", message)[-1]
    assert reply.body == engine.kb.conversation.acknowledged


def test_back_after_wait_shows_the_step_on_screen(engine: Engine) -> None:
    """From the conversation probe: "ok im back" after "wait" got the guide's honest no about something else."""
    context, [_, back] = on_step(engine, 2, "wait", "ok im back")
    assert engine.kb.routine.steps[2].text in back.body and context.routine_on_screen == 2


def test_the_benefit_for_a_trouble_the_guide_eases_is_that_benefit(engine: Engine) -> None:
    """From the conversation probe: "what's the benefit for stress" was read as asking what stress is, and got the
    guide's honest no about named ailments."""
    assert engine.reply("what's the benefit for stress").topic == "benefit_stress"


@pytest.mark.parametrize(
    "message", ["whats the routine", "so what's the routine?", "what is the massage routine tonight"]
)
def test_what_is_the_routine_starts_it(engine: Engine, message: str) -> None:
    """It got the off-topic no: the model read "what is a bedtime routine?" (sleep habits) into it."""
    assert engine.reply(message).action == Action(ActionKind.ROUTINE)


@pytest.mark.parametrize("message", ["What Is a Bedtime Routine?", "What's your bedtime routine?"])
def test_someone_else_s_bedtime_routine_is_not_ours(engine: Engine, message: str) -> None:
    assert engine.reply(message).action is None


def test_the_routine_asked_in_words_after_a_condition_goes_as_the_routine_command_does(engine: Engine) -> None:
    """ "whats the routine" after "im pregnant" got the off-topic no, with no caveat: the routine asked in a chat that
    named a condition earlier is held back in pregnancy, as /routine is, and starts with the caveat otherwise."""
    pregnant = talk(engine, "im pregnant", "whats the routine")[-1]
    assert (pregnant.action, [caveat.condition for caveat in pregnant.caveats]) == (None, [Condition.PREGNANCY])
    assert pregnant.body.startswith(engine.kb.caveat_for(Condition.PREGNANCY).routine_lead)
    diabetic = talk(engine, "im diabetic", "whats the routine")[-1]
    assert (diabetic.action, [caveat.condition for caveat in diabetic.caveats]) == (
        Action(ActionKind.ROUTINE),
        [Condition.DIABETES],
    )
