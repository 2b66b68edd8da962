"""The engine composes replies: answers credit the guide, caveats ride on every kind of reply."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.choosing import MATCHER_OVERRULES
from bot.core.conversation import ChatContext
from bot.core.engine import Engine
from bot.core.features import NO_TOPIC
from bot.core.knowledge import Entry
from bot.core.matcher import Match
from bot.core.replies import ReplyKind
from tests.core.conftest import engine_reading


def test_a_clear_question_gets_its_answer_and_credit(engine: Engine) -> None:
    reply = engine.reply("which toe helps with an earache?")
    assert reply.kind is ReplyKind.ANSWER
    assert reply.topic in {"little_toe", "toes_overview"}
    assert "ear" in reply.body.lower()
    assert engine.kb.source.title in (reply.credit or "")


def test_unknown_question_gets_honest_fallback_with_suggestions(engine: Engine) -> None:
    reply = engine.reply("what is the capital of peru")
    assert reply.kind is ReplyKind.FALLBACK
    assert reply.topic is None
    assert 1 <= len(reply.suggestions) <= 3
    assert all(engine.kb.has_entry(s.topic) for s in reply.suggestions)


def test_an_off_topic_question_beside_a_condition_gets_the_fallback_with_the_caveat(engine: Engine) -> None:
    reply = engine.reply("What are the foods to avoid in pregnancy?")
    assert reply.topic is None
    assert reply.conditions == ["pregnancy"]
    assert engine.kb.caveat_for(reply.caveats[0].condition).caveat in reply.plain_text()


def test_caveat_attaches_to_a_fallback_too(engine: Engine) -> None:
    reply = engine.reply("i'm diabetic, what's the best brand of lotion?")
    assert reply.topic is None
    assert reply.conditions == ["diabetes"]
    assert engine.kb.caveat_for(reply.caveats[0].condition).caveat in reply.plain_text()


def test_pregnancy_with_routine_request_leads_with_caveat_and_no_routine(engine: Engine) -> None:
    reply = engine.reply("im 9 weeks pregnant, walk me through tonight's routine step by step")
    assert reply.kind is not ReplyKind.ROUTINE
    assert reply.caveats_first
    text = reply.plain_text()
    assert text.startswith("⚠️")
    assert engine.kb.routine.steps[1].text not in text


def test_routine_request_without_conditions_gives_the_steps(engine: Engine) -> None:
    reply = engine.reply("walk me through tonight's routine")
    assert reply.kind is ReplyKind.ROUTINE
    assert all(step.title in reply.body for step in engine.kb.routine.steps)


def test_red_flag_comes_before_anything_else(engine: Engine) -> None:
    reply = engine.reply("which toe helps toothache? also i have crushing chest pain right now")
    assert reply.kind is ReplyKind.RED_FLAG
    assert reply.topic is None
    assert reply.plain_text().startswith(engine.kb.red_flags.reply)


def test_empty_and_emoji_only_messages_get_a_kind_prompt(engine: Engine) -> None:
    for text in ["", "   ", "🦶🦶🦶", "?!"]:
        reply = engine.reply(text)
        assert reply.kind is ReplyKind.EMPTY
        assert reply.body == engine.kb.messages.empty


def test_answer_topic_for_buttons(engine: Engine) -> None:
    assert engine.answer_topic("little_toe").topic == "little_toe"
    assert engine.answer_topic("no_such_topic").kind is ReplyKind.FALLBACK


@pytest.mark.parametrize(
    "named", ["im 10 weeks pregnant, which toe helps headaches?", "i have diabetes", "my heart is weak"]
)
def test_a_suggestion_button_pressed_after_a_condition_was_named_carries_its_caveat(engine: Engine, named: str) -> None:
    """A button answered its entry bare: "im pregnant, which toe helps headaches?" offers "Benefits of foot massage",
    and pressing it said nothing of pregnancy, where "and the benefits?" typed carries the caveat."""
    chat = ChatContext()
    said = engine.reply(named, chat)
    assert said.conditions
    for topic in ("benefits_overview", "big_toe"):
        pressed = engine.answer_topic(topic, chat)
        assert pressed.topic == topic
        assert pressed.conditions == said.conditions


def test_json_shape(engine: Engine) -> None:
    data = json.loads(json.dumps(engine.reply("pregnant, which toe for earache").to_json()))
    assert set(data) == {"text", "topic", "score", "caveats", "suggestions", "topics", "action"}
    assert data["action"] is None
    assert data["caveats"] == ["pregnancy"]
    assert 0 <= data["score"] <= 100


def test_long_message_finds_the_question_sentence(engine: Engine) -> None:
    text = (
        "Hi there! My husband works in a warehouse and is on his feet for ten hours a day. "
        "We started doing foot rubs at night and he loves it. Which toe should I rub for his toothache? "
        "Thank you so much, this bot is lovely."
    )
    assert engine.reply(text).topic in {"middle_toes", "toes_overview"}


def test_a_4096_character_message_is_answered_quickly(engine: Engine) -> None:
    text = ("which toe is for earache " * 200)[:4096]
    assert engine.reply(text).topic in {"little_toe", "toes_overview"}


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_any_text_gets_a_reply_within_bounds(engine: Engine, text: str) -> None:
    reply = engine.reply(text)
    assert reply.plain_text()
    assert 0 <= reply.score <= 100
    if reply.kind in {ReplyKind.FALLBACK, ReplyKind.RED_FLAG, ReplyKind.EMPTY}:
        assert reply.topic is None  # no entry answered
    if reply.kind is ReplyKind.ANSWER and reply.action is None:
        assert reply.topic is not None  # an answer is an entry (a feature's reply may be composed)
    # Small talk without an entry is allowed: a bare "ok" is acknowledged, a feature asked for is confirmed.


def test_naming_a_condition_and_asking_if_it_is_safe_gets_that_conditions_caution(engine: Engine) -> None:
    reply = engine.reply("my husband has afib and gets so stressed, is it safe to rub his feet tonight?")
    assert reply.topic == "heart_caution" and reply.conditions == ["heart"]
    several = engine.reply("pregnant and diabetic, can I still have a foot massage?")
    assert several.topic == "who_should_be_careful" and set(several.conditions) == {"pregnancy", "diabetes"}


def test_a_condition_mentioned_beside_another_question_gets_that_answer_and_the_caveat(engine: Engine) -> None:
    reply = engine.reply("My husband is diabetic, we're careful with lots of things. Which foot has the liver point?")
    assert reply.topic in {"liver_stomach", "foot_map"}
    assert reply.conditions == ["diabetes"]


def test_without_a_trained_model_the_word_matcher_answers(engine: Engine) -> None:
    matcher_only = Engine(engine.kb)
    assert matcher_only.classifier is None
    reply = matcher_only.reply("which toe helps with an earache?")
    assert reply.topic in {"little_toe", "toes_overview"}


class _MatcherScoring:
    def __init__(self, entry: Entry, score: float) -> None:
        self.match = Match(entry, score)

    def rank(self, text: str, hints: tuple[str, ...] = ()) -> list[Match]:
        return [self.match]


def test_the_word_matcher_overrules_a_model_sure_of_no_answer_only_when_it_is_surer(engine: Engine) -> None:
    picky = engine_reading(engine, NO_TOPIC, 90.0)  # sure the guide has no answer, whatever is asked
    ankles = engine.kb.entry("ankles")
    picky.matcher = _MatcherScoring(ankles, MATCHER_OVERRULES - 1)  # type: ignore[assignment]
    assert picky.reply("how many bones are in the foot").topic is None
    picky.matcher = _MatcherScoring(ankles, MATCHER_OVERRULES)  # type: ignore[assignment]
    assert picky.reply("how many bones are in the foot").topic == "ankles"


def test_the_word_matcher_alone_gives_a_condition_s_caution_only_when_the_condition_is_named(engine: Engine) -> None:
    """ "What is the problem?" shares its words with "heart problems": the matcher's sure pick of the heart caution,
    with the model unsure, is no answer when no condition is named (a needless caveat), and still answers when one
    is."""
    unsure = engine_reading(engine, NO_TOPIC, 20.0)
    unsure.matcher = _MatcherScoring(engine.kb.entry("heart_caution"), 95.0)  # type: ignore[assignment]
    assert unsure.reply("what is the problem").topic is None
    assert unsure.reply("what is the problem").conditions == []
    named = unsure.reply("my dad had a heart attack last year, what is the problem")
    assert named.topic == "heart_caution" and named.conditions == ["heart"]


def test_an_entry_with_its_own_sure_from_answers_from_that_score(engine: Engine) -> None:
    """`sure_from: 34` on the tired-feet entry: a reading of 36 answers with it; the same score of an entry without
    one is not sure (and nothing else reads the made-up words)."""
    assert engine.kb.entry("benefit_muscles").sure_from == 34.0 and engine.kb.entry("ankles").sure_from is None
    assert engine_reading(engine, "benefit_muscles", 36.0).reply("zorbly quax").topic == "benefit_muscles"
    assert engine_reading(engine, "benefit_muscles", 33.0).reply("zorbly quax").topic is None
    assert engine_reading(engine, "ankles", 36.0).reply("zorbly quax").topic is None


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        (
            "People say pressing a point on the foot in the first trimester can cause a miscarriage. "
            "That cannot be true, right?",
            "pregnancy_caution",
        ),
        ("im diabetic, what about the big toe?", "big_toe"),
        ("cardiac patient with a stent. which toe is for the lungs?", "big_toe"),
    ],
)
def test_a_message_read_surely_as_a_caution_is_not_overruled_by_a_weaker_piece(
    engine: Engine, text: str, topic: str
) -> None:
    reply = engine.reply(text)
    assert reply.topic == topic
    assert reply.conditions  # the caveat rides either way


@pytest.mark.parametrize("text", ["what do you store about me?", "how do I delete my data?", "do you keep my messages"])
def test_asking_what_is_kept_is_answered_and_deletes_nothing(engine: Engine, text: str) -> None:
    reply = engine.reply(text)
    assert reply.topic == "what_i_keep" and reply.action is None  # a question about /forget is not /forget
    assert "/forget" in reply.body


@pytest.mark.parametrize(
    "message",
    ["How does reflexology help during pregnancy?", "does a foot rub help pregnancy swelling?"],
)
def test_how_it_helps_in_pregnancy_gets_the_guide_s_benefit_and_its_caution(engine: Engine, message: str) -> None:
    reply = engine.reply(message)
    assert reply.topic == "pregnancy_benefit"
    assert reply.conditions == ["pregnancy"]
    text = reply.plain_text()
    assert "swelling" in text and "first three months" in text


@pytest.mark.parametrize(
    ("message", "caution", "declined"),
    [
        ("I'm pregnant, can I use lavender oil?", "pregnancy_caution", "oos_products"),
        ("I'm diabetic. Can I use a foot spa?", "diabetes_caution", "oos_products"),
        # no permission asked, but the massage is named (safety_questions.about_massage): the caution comes first
        ("pregnant - what does a reflexology session feel like?", "pregnancy_caution", "oos_sessions"),
        ("diabetic and wondering how often reflexology should be done", "diabetes_caution", "oos_frequency"),
    ],
)
def test_asking_leave_for_something_the_guide_lacks_beside_a_condition_gets_the_caution_then_the_honest_no(
    engine: Engine, message: str, caution: str, declined: str
) -> None:
    reply = engine.reply(message)
    assert reply.topics == (caution, declined)
    assert engine.kb.entry(declined).answer in reply.plain_text()


def test_leave_asked_about_another_health_problem_keeps_the_honest_no_with_the_caveat(engine: Engine) -> None:
    reply = engine.reply("Can I get a massage while on blood thinners?")
    assert reply.topic is None
    assert reply.conditions == ["heart"]


@pytest.mark.parametrize(
    "text", ["how many hours of sleep is healthy", "is napping bad for you", "what time should kids go to bed"]
)
def test_a_question_about_sleep_itself_gets_the_honest_no_with_the_guide_s_one_line_on_sleep(
    engine: Engine, text: str
) -> None:
    reply = engine.reply(text)
    assert reply.kind is ReplyKind.FALLBACK or reply.topic is None
    assert "doesn't go into sleep" in reply.body and "foot massage before bed" in reply.body


@pytest.mark.parametrize("text", ["does a foot massage help you sleep", "i can't sleep, will a foot rub help?"])
def test_asking_whether_the_massage_helps_sleep_is_still_answered(engine: Engine, text: str) -> None:
    assert engine.reply(text).topic == "benefit_sleep"
