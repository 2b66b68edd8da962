"""Follow-ups resolved against the chat's last answer, on their own (the engine's conversation tests go end to end)."""

from __future__ import annotations

import pytest

from bot.core.conversation import ChatContext
from bot.core.engine import Engine
from bot.core.following import FollowUpAnswerer, has_history


def answerer(engine: Engine) -> FollowUpAnswerer:
    return FollowUpAnswerer(engine.kb, engine.chooser, engine.follow_ups)


def after(topic: str) -> ChatContext:
    context = ChatContext()
    context.topics = (topic,)
    return context


def read(engine: Engine, message: str, context: ChatContext | None) -> list[str] | None:
    normalised = engine.normalise(message)
    found = answerer(engine).answer(normalised, normalised.split(), context)
    return None if found is None else [entry.id for entry in found.entries]


def test_a_follow_up_needs_a_chat_with_something_to_follow() -> None:
    assert not has_history(None)
    assert not has_history(ChatContext())
    assert has_history(after("big_toe"))


def test_words_pointing_back_are_read_as_the_last_topic(engine: Engine) -> None:
    assert read(engine, "is that for both feet?", after("big_toe")) == ["big_toe"]
    assert read(engine, "why?", after("massage_oil")) == ["massage_oil"]
    assert read(engine, "is that for both feet?", None) is None


def test_a_message_that_reads_as_a_question_of_its_own_is_left_to_the_engine(engine: Engine) -> None:
    """ "and the little one?" reads alone as the little toe: the engine answers it on its own reading."""
    assert read(engine, "and which toe is for toothache?", after("big_toe")) is None
    assert read(engine, "and the little one?", after("big_toe")) is None


def test_what_comes_after_a_step_names_it_and_needs_no_chat(engine: Engine) -> None:
    normalised = engine.normalise("what comes after the toes")
    found = answerer(engine).answer(normalised, normalised.split(), None)
    assert found is not None and found.step is not None and found.step > 0


def test_like_last_only_picks_an_entry_related_to_the_last_one(engine: Engine) -> None:
    following = answerer(engine)
    big_toe = engine.kb.entry("big_toe")
    assert following.like_last("little one", big_toe) == "little_toe"
    picked = following.like_last("the ankles", big_toe)  # not related to the big toe
    assert picked is None or picked in {big_toe.id, *big_toe.related}


def test_the_other_foot_is_the_zone_the_map_puts_there(engine: Engine) -> None:
    """ "and the other foot?" repeated the heart point; the map puts the liver and stomach on the right foot. A
    zone on both feet, or "both feet" asked, stays the last topic."""
    sides = {entry.id: entry.map_zone.foot for entry in engine.kb.map_entries() if entry.map_zone is not None}
    assert (sides["heart_point"], sides["liver_stomach"]) == ("left", "right")
    assert read(engine, "what about the other foot?", after("heart_point")) == ["liver_stomach"]
    assert read(engine, "and the other side?", after("liver_stomach")) == ["heart_point"]
    assert read(engine, "is it the same on both feet?", after("heart_point")) == ["heart_point"]
    assert read(engine, "same for the other foot?", after("heart_point")) == ["heart_point"]
    assert read(engine, "and the other foot?", after("little_toe")) == ["little_toe"]


@pytest.mark.parametrize("asked", ["what about the other foot", "and the other side?"])
def test_the_other_foot_after_a_zone_on_both_feet_says_it_is_on_both(engine: Engine, asked: str) -> None:
    """From the chat probe: "what about the other foot" after the little toe repeated its answer word for word, as if
    it had not been heard; the answer now says first that the guide puts it on both feet."""
    chat = ChatContext()
    engine.reply("which toe for earache", chat)
    reply = engine.reply(asked, chat)
    assert reply.topic == "little_toe" and reply.body.startswith(engine.kb.conversation.both_feet_lead)


@pytest.mark.parametrize("asked", ["what's on the other side", "whats on the other foot?"])
def test_whats_on_the_other_foot_after_a_zone_is_the_zone_there(engine: Engine, asked: str) -> None:
    """From the chat probe: "what's on the other side" after the heart point got "The guide I follow doesn't cover
    that"."""
    assert read(engine, asked, after("heart_point")) == ["liver_stomach"]
    assert read(engine, asked, after("liver_stomach")) == ["heart_point"]
    assert read(engine, asked, after("little_toe")) == ["little_toe"]
    assert read(engine, asked, after("benefits_overview")) is None


def test_a_follow_up_that_names_another_zone_is_about_that_zone(engine: Engine) -> None:
    """From the conversation probe: after the ankles, "and the sole, ... how do I massage it?" got the ankles again."""
    chat = ChatContext()
    engine.reply("what do the ankles do and how should I touch them?", chat)
    assert engine.reply("and the sole, what is it for and how do I massage it?", chat).topic == "plantar_area"
    assert engine.reply("how do I massage it?", chat).topic == "plantar_area"


def test_a_toe_on_the_foot_the_heart_point_is_on_is_that_toe(engine: Engine) -> None:
    """The guide puts the heart point on the left foot, and "left foot" pulled "and the big toe on the left foot?"
    (after the heart point) to the heart point again."""
    chat = ChatContext()
    engine.reply("which point is for the heart?", chat)
    assert engine.reply("and the big toe on the left foot?", chat).topic == "big_toe"
    assert engine.reply("what's on the left foot?").topic == "heart_point"


@pytest.mark.parametrize("asked", ["which foot?", "ok left or right?", "is it the same on both feet?"])
def test_which_foot_a_zone_is_on_is_answered_for_that_zone(engine: Engine, asked: str) -> None:
    """From the conversation probe: "which foot?" after the little toe answered the heart point, and "is it the same
    on both feet?" repeated an answer that names no foot."""
    chat = ChatContext()
    engine.reply("what helps with earache", chat)
    reply = engine.reply(asked, chat)
    assert reply.topic == "little_toe" and reply.body.startswith(engine.kb.conversation.both_feet_lead)
    chat = ChatContext()
    engine.reply("where is the heart point", chat)
    reply = engine.reply(asked, chat)  # its answer names the left foot: no lead
    assert reply.topic == "heart_point" and not reply.body.startswith(engine.kb.conversation.both_feet_lead)


def test_which_foot_after_no_zone_is_read_on_its_own(engine: Engine) -> None:
    chat = ChatContext()
    engine.reply("what are the benefits", chat)
    assert engine.reply("which foot is the heart on?", chat).topic == "heart_point"


def test_a_message_pointing_back_that_reads_surely_as_another_entry_is_that_entry(engine: Engine) -> None:
    """From the conversation probe: "who wrote that" after the benefits repeated the benefits."""
    chat = ChatContext()
    engine.reply("what are the benefits", chat)
    assert engine.reply("who wrote that", chat).topic == "about_guide"


def test_a_continuation_naming_what_the_guide_has_no_word_for_gets_its_honest_no(engine: Engine) -> None:
    """From the conversation probe: "and the heel?" after the sole got "Sorry, I don't know that one", though "what's
    the heel linked to?" gets the guide's honest no about the zones it does not map."""
    chat = ChatContext()
    engine.reply("what is the sole linked to", chat)
    reply = engine.reply("and the heel?", chat)
    assert reply.body.startswith(engine.kb.entry("oos_unmapped_zones").answer[:40])


@pytest.mark.parametrize(
    ("first", "asked", "topic"),
    [
        ("what do the ankles represent", "is it good for sleep", "benefit_sleep"),
        ("what are the benefits", "is it good for his sleep", "benefit_sleep"),
        ("what does the big toe do", "does it help with stress", "benefit_stress"),
    ],
)
def test_a_message_pointing_back_that_asks_what_the_last_answer_never_says_is_read_on_its_own(
    engine: Engine, first: str, asked: str, topic: str
) -> None:
    """From the chat probe: "is it good for sleep" after the ankles repeated the ankles, whose answer says nothing of
    sleep; read alone it asks about sleep."""
    chat = ChatContext()
    engine.reply(first, chat)
    if first == "what are the benefits":
        engine.reply("the first one", chat)
    assert engine.reply(asked, chat).topic == topic


@pytest.mark.parametrize(
    ("first", "asked"),
    [
        ("what's the big toe for", "what is it good for"),  # names nothing beyond the big toe
        ("where is the heart point", "is that on the left foot?"),  # its answer says so
        ("what do the ankles represent", "is that for the reproductive organs?"),
    ],
)
def test_a_message_pointing_back_at_what_the_last_answer_says_stays_with_it(
    engine: Engine, first: str, asked: str
) -> None:
    chat = ChatContext()
    topic = engine.reply(first, chat).topic
    assert engine.reply(asked, chat).topic == topic
