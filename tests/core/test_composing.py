"""The reply composer on its own: given what the engine decided, the reply's text, caveats and suggestions."""

from __future__ import annotations

from bot.core.composing import MAX_SUGGESTIONS, Answer, ReplyComposer, in_order
from bot.core.conversation import ChatContext
from bot.core.knowledge import Condition, KnowledgeBase
from bot.core.replies import ReplyKind


def test_a_caveat_is_said_in_full_then_briefly_once_the_chat_had_it(kb: KnowledgeBase) -> None:
    composer = ReplyComposer(kb)
    rule = kb.caveat_for(Condition.DIABETES)
    context = ChatContext()
    assert composer.caveats_once((Condition.DIABETES,), frozenset(), context)[0].text == rule.caveat
    context.caveats_said = frozenset({Condition.DIABETES})
    assert composer.caveats_once((Condition.DIABETES,), frozenset(), context)[0].text == (
        rule.caveat_short or rule.caveat
    )


def test_an_answer_that_says_the_caution_lists_the_condition_without_repeating_it(kb: KnowledgeBase) -> None:
    composer = ReplyComposer(kb)
    answer = Answer((kb.entry("how_to_massage"), kb.entry("heart_caution")), 60.0)
    reply = composer.compose(answer, (Condition.HEART,), (), None)
    assert reply.topics == ("how_to_massage", "heart_caution")
    assert [(caveat.condition, caveat.text) for caveat in reply.caveats] == [(Condition.HEART, "")]
    assert reply.credit == composer.credit


def test_a_remembered_condition_rides_on_a_massage_answer_but_not_on_small_talk(kb: KnowledgeBase) -> None:
    composer = ReplyComposer(kb)
    on_answer = composer.compose(Answer((kb.entry("big_toe"),), 80.0), (), (Condition.PREGNANCY,), ChatContext())
    on_thanks = composer.compose(Answer((kb.entry("thanks"),), 80.0), (), (Condition.PREGNANCY,), ChatContext())
    assert on_answer.conditions == ["pregnancy"]
    assert on_thanks.caveats == ()


def test_no_answer_is_the_honest_fallback_with_at_most_three_answer_suggestions(kb: KnowledgeBase) -> None:
    composer = ReplyComposer(kb)
    near = tuple(entry for entry in kb.entries if entry.id.startswith(("oos_", "big_", "little_", "middle_")))
    reply = composer.compose(Answer((), 20.0, near), (), (), None)
    assert reply.kind is ReplyKind.FALLBACK and reply.topic is None
    assert 0 < len(reply.suggestions) <= MAX_SUGGESTIONS
    assert all(kb.entry(suggestion.topic).kind.value == "answer" for suggestion in reply.suggestions)


def test_fallback_suggestions_are_the_near_answers_then_the_fallback_topics_each_once(kb: KnowledgeBase) -> None:
    composer = ReplyComposer(kb)
    answers = [entry for entry in kb.entries if entry.kind.value == "answer"]
    fallback = [kb.entry(topic) for topic in kb.fallback_topics]
    near = (answers[5], fallback[0], answers[5], kb.entry("thanks"))
    expected: list[str] = []  # as it was: each entry compared with those already offered
    for entry in [*near, *fallback]:
        if entry.kind.value == "answer" and entry.id not in expected:
            expected.append(entry.id)
    reply = composer.compose(Answer((), 20.0, near), (), (), None)
    assert [suggestion.topic for suggestion in reply.suggestions] == expected[:MAX_SUGGESTIONS]
    assert [suggestion.topic for suggestion in reply.suggestions][:2] == [answers[5].id, fallback[0].id]


def test_an_out_of_scope_entry_opens_the_fallback_with_its_honest_no(kb: KnowledgeBase) -> None:
    reply = ReplyComposer(kb).from_entry(kb.entry("oos_products"), 70.0, ())
    assert reply.kind is ReplyKind.FALLBACK
    assert reply.body.startswith(kb.entry("oos_products").answer)


def test_a_routine_step_past_the_last_is_the_routines_end(kb: KnowledgeBase) -> None:
    composer = ReplyComposer(kb)
    first = composer.step(0, ())
    assert kb.routine.steps[0].text in first.body
    end = composer.step(len(kb.routine.steps), ())
    assert end.body == (kb.conversation.routine_end or kb.routine.outro)
    assert not end.suggestions


def test_past_the_whole_order_the_routine_is_offered_step_by_step(kb: KnowledgeBase) -> None:
    offer = ReplyComposer(kb).step(len(kb.routine.steps), (), after_order=True)
    assert offer.body == kb.conversation.order_end
    assert [suggestion.topic for suggestion in offer.suggestions] == ["start_routine"]


def test_conditions_come_in_one_order_whatever_order_they_were_named_in() -> None:
    named = (Condition.HEART, Condition.PREGNANCY, Condition.HEART, Condition.DIABETES)
    assert in_order(named) == (Condition.PREGNANCY, Condition.DIABETES, Condition.HEART)
