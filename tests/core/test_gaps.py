"""Answerability: a question about something the guide has no word for gets the honest gap, not a neighbour."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.core.engine import Engine
from bot.core.features import NO_TOPIC
from bot.core.loader import check_knowledge
from bot.core.replies import ReplyKind
from tests.core.conftest import engine_reading

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


def problems_after_editing(tmp_path: Path, file: str, edit: Callable[[str], str]) -> list[str]:
    """What `footbot kb check` says of a copy of the knowledge with one file edited."""
    for path in KNOWLEDGE.glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    target = tmp_path / file
    target.write_text(edit(target.read_text(encoding="utf-8")), encoding="utf-8")
    return [str(problem) for problem in check_knowledge(tmp_path)]


def after_first(marker: str, added: str) -> Callable[[str], str]:
    """An edit putting `added` on the line after the first line holding `marker`."""

    def edit(text: str) -> str:
        line_end = text.index("\n", text.index(marker))
        return text[: line_end + 1] + added + text[line_end + 1 :]

    return edit


@pytest.mark.parametrize(
    "question",
    [
        "can massage therapy help remove warts?",
        "will foot massage fix my plantar fasciitis",
        "is a vibrating foot massager any good for circulation?",
        "is reflexology a pseudoscience?",
        "will I bruise after a foot massage?",
        "Do Massage Chairs Help Reduce Muscle Tension, Pain, and Stress?",  # a device: read as the muscles' benefit
    ],
)
def test_a_gap_in_the_question_gets_the_honest_fallback(engine: Engine, question: str) -> None:
    reply = engine.reply(question)
    assert reply.kind is ReplyKind.FALLBACK and reply.topic is None
    assert "guide doesn" in reply.body or "doesn't name" in reply.body  # the entry says what the guide lacks


@pytest.mark.parametrize("question", ["is it ok to sleep on my stomach", "can I lie on my stomach for a foot massage"])
def test_lying_on_ones_stomach_is_a_position_not_the_stomach_zone(engine: Engine, question: str) -> None:
    reply = engine.reply(question)
    assert reply.kind is ReplyKind.FALLBACK and "doesn't cover" in reply.body
    assert engine.reply("rub the stomach point on my foot").topic == "liver_stomach"


def test_a_gap_outside_the_asking_sentence_does_not_silence_the_answer(engine: Engine) -> None:
    text = "I had a deep tissue massage last week and slept right through it. Why do I fall asleep during a massage?"
    assert engine.reply(text).topic == "why_sleepy"


def test_a_gap_an_answer_entry_uses_is_ignored(engine: Engine) -> None:
    for entry in engine.kb.entries:
        if entry.kind.value == "answer":
            for phrasing in entry.phrasings[:3]:
                words = engine.normalise(phrasing).split()
                found = engine.gaps.gap(" ".join(words), words)
                assert found is None or found.id.startswith("oos_"), (phrasing, found)
                assert all(engine.gaps.gap(word, [word]) is None for word in engine.normalise(entry.title).split())


def test_gaps_only_on_out_of_scope_entries(tmp_path: Path) -> None:
    problems = problems_after_editing(tmp_path, "about.yaml", after_first("  - id: about_guide", "    gaps: [warts]\n"))
    assert any("gaps" in problem and "about_guide" in problem for problem in problems), problems


# --- a remedy asked for something the guide says a foot massage eases -----------------------------------------


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("what can I do about my swollen ankles in the evening?", "benefit_circulation"),
        ("my legs feel heavy after work, what helps?", "benefit_circulation"),
        ("any remedy for a charley horse in the night?", "benefit_muscles"),
        ("tips for restless legs at bedtime?", "other_benefits"),
        ("suggestions for getting to sleep when the mind keeps racing?", "benefit_sleep"),
        ("how can I get relief for tired legs after a double shift?", "benefit_muscles"),
        ("best way to unwind after a stressful week?", "benefit_stress"),
    ],
)
def test_a_remedy_asked_for_what_a_foot_massage_eases_is_answered_by_that_benefit(
    engine: Engine, message: str, topic: str
) -> None:
    assert engine.reply(message).topic == topic


def test_a_remedy_asked_does_not_overrule_a_sure_reading_of_something_else(engine: Engine) -> None:
    """ "Are compression socks good for swollen ankles?" asks about socks: a sure "oils and devices" stands."""
    products = engine_reading(engine, "oos_products", 90.0)
    assert products.reply("are compression socks good for swollen ankles?").topic is None
    assert engine_reading(engine, "oos_named_ailments", 90.0).reply("what helps swollen ankles?").topic == (
        "benefit_circulation"
    )


def test_a_remedy_asked_is_answered_even_when_the_model_reads_a_named_ailment(engine: Engine) -> None:
    """ "What to do when you develop a leg cramp": the remedy the guide gives beats the model's "named ailment"."""
    misreading = engine_reading(engine, "oos_named_ailments", 90.0)
    assert misreading.reply("what to do when a leg cramp wakes you up?").topic == "benefit_muscles"
    assert misreading.reply("what causes leg cramps at night?").topic is None  # a cause, not a remedy


@pytest.mark.parametrize(
    ("message", "caution"),
    [
        ("What can I do about leg cramps when I'm pregnant?", "pregnancy_caution"),
        ("Ankle swelling during pregnancy: what helps?", "pregnancy_caution"),
        ("How do you treat swollen feet from heart failure?", "heart_caution"),
    ],
)
def test_a_remedy_asked_beside_a_condition_gets_its_caution_not_the_named_ailment_no(
    engine: Engine, message: str, caution: str
) -> None:
    """A massage eases the trouble, so whether it is all right for them is what is asked: the condition's caution,
    even when the model reads a named ailment (or nothing); a sure reading of something else still stands (socks:
    the caution, then the guide's honest no about them)."""
    for reading in (engine_reading(engine, "oos_named_ailments", 90.0), engine_reading(engine, NO_TOPIC, 30.0)):
        assert reading.reply(message).topics == (caution,), message
    products = engine_reading(engine, "oos_products", 90.0)
    assert products.reply("I'm pregnant, are compression socks good for swollen ankles?").topics[-1] == "oos_products"


@pytest.mark.parametrize(
    "message",
    [
        "how do I get rid of plantar fasciitis?",
        "any remedy for insomnia caused by sleep apnea?",
        "what can I do about ankle swelling from my amlodipine?",  # a medicine's side effect: its prescriber
    ],
)
def test_a_remedy_asked_for_an_ailment_the_guide_has_no_word_for_stays_unanswered(engine: Engine, message: str) -> None:
    assert engine.reply(message).topic is None


def test_remedies_come_from_the_knowledge(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without `remedy_for` (or `remedy_asks`) the rule finds nothing: it lives in the YAML, not in Python."""
    message = "what can I do about my swollen ankles in the evening?"
    assert engine.chooser.remedy_asked(engine.normalise(message)) is engine.kb.entry("benefit_circulation")
    monkeypatch.setattr(engine.chooser, "_remedies", ())
    assert engine.chooser.remedy_asked(engine.normalise(message)) is None


def test_remedy_for_only_on_answer_entries(tmp_path: Path) -> None:
    problems = problems_after_editing(
        tmp_path, "near_domain.yaml", after_first("  - id: oos_", "    remedy_for: [warts]\n")
    )
    assert any("remedy_for" in problem for problem in problems), problems


# --- an entry asked for in a curator's words (`asked_when`) ----------------------------------------------------


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("How to give a really relaxing foot massage", "how_to_massage"),
        ("any good foot massage techniques?", "how_to_massage"),
        ("how do I do it on the toes?", "how_to_massage"),
        ("why do I always fall asleep during a foot massage?", "why_sleepy"),
        ("what's the reason I get so drowsy after reflexology", "why_sleepy"),
        ("Which condition is contraindicated for massage?", "who_should_be_careful"),
        ("Is a foot massage always appropriate?", "who_should_be_careful"),
        ("when is reflexology a bad idea", "who_should_be_careful"),
        # the time of day, not who should avoid one (the word matcher shares every word but "not" with the latter)
        ("so when should we get a foot rub", "bedtime_benefits"),
        ("When should you not get a massage?", "who_should_be_careful"),
    ],
)
def test_an_entry_asked_for_in_its_curated_words_is_answered_when_the_model_is_unsure(
    engine: Engine, message: str, topic: str
) -> None:
    unsure = engine_reading(engine, NO_TOPIC, 30.0)
    assert unsure.reply(message).topic == topic


def test_asked_when_yields_to_a_model_sure_of_another_answer_and_to_a_gap(engine: Engine) -> None:
    sure = engine_reading(engine, "plantar_area", 90.0)
    assert sure.reply("how do I do the bottom of the foot?").topic == "plantar_area"
    sure = engine_reading(engine, "oos_named_ailments", 90.0)
    assert sure.reply("how to give a foot massage step by step").topic == "how_to_massage"  # no answer: asked_when
    sure = engine_reading(engine, "oos_off_topic", 90.0)  # "...to my dog": another sure reading stands
    assert sure.reply("how to give a foot massage step by step").topic is None
    unsure = engine_reading(engine, NO_TOPIC, 30.0)
    for message in ("how to massage a painful gout toe", "how to massage ticklish feet", "how to give a back massage"):
        assert unsure.reply(message).topic is None, message


@pytest.mark.parametrize(
    "message",
    [
        "Who is it not appropriate for?",
        "When to Postpone Your Foot Massage",
        "When are foot massagers not permitted?",
        "Are there reasons not to have a massage?",
    ],
)
def test_who_should_not_have_it_asked_in_other_words_is_who_should_be_careful(engine: Engine, message: str) -> None:
    """The issue's "declined though the guide answers": who should not have it, however put, when the model is
    unsure (`asked_when` of who_should_be_careful)."""
    unsure = engine_reading(engine, NO_TOPIC, 30.0)
    assert unsure.reply(message).topic == "who_should_be_careful"


@pytest.mark.parametrize(
    "message", ["Why do I need to fill this out?", "Why does my massage therapist ask about my medical history?"]
)
def test_why_a_therapist_asks_about_health_is_the_guides_healthy_subject(engine: Engine, message: str) -> None:
    unsure = engine_reading(engine, NO_TOPIC, 30.0)
    assert unsure.reply(message).topic == "healthy_subject"


def test_asked_when_lives_in_the_knowledge(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    message = engine.normalise("How to give a really relaxing foot massage")
    assert engine.chooser.asked_when_found(message) is engine.kb.entry("how_to_massage")
    monkeypatch.setattr(engine.chooser, "_asked_when", ())
    assert engine.chooser.asked_when_found(message) is None


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("    asked_when: {asks: [how to give], about: [feet]}\n", "only an answer entry"),
        ("    asked_when: {asks: [how to give]}\n", "two lists"),
        ("    asked_when: {asks: [how to give], about: []}\n", "asked_when.about"),
    ],
)
def test_kb_check_says_what_is_wrong_with_asked_when(tmp_path: Path, field: str, expected: str) -> None:
    on_out_of_scope = expected.startswith("only")
    file, marker = ("near_domain.yaml", "  - id: oos_") if on_out_of_scope else ("technique.yaml", "  - id: who_can")
    problems = problems_after_editing(tmp_path, file, after_first(marker, field))
    assert any("asked_when" in problem and expected in problem for problem in problems), problems


# --- an entry asked for by its words alone (`asked_alone`) ----------------------------------------------------


@pytest.mark.parametrize(
    "message", ["is it safe?", "But is it actually safe?", "any risks?", "Can reflexology be harmful?"]
)
def test_a_safety_question_naming_only_the_massage_gets_who_should_be_careful_whatever_the_model_reads(
    engine: Engine, message: str
) -> None:
    """Read as no answer, or surely as another entry, "is it safe?" still gets the guide's word on who should be
    careful (`asked_alone` on that entry)."""
    for reading in (engine_reading(engine, NO_TOPIC, 90.0), engine_reading(engine, "benefit_sleep", 90.0)):
        assert reading.reply(message).topic == "who_should_be_careful", message


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("is it safe to sleep on my back?", None),  # something else is named: the model's reading stands
        ("Can foot massagers be dangerous?", None),
        ("im pregnant, is it safe?", "pregnancy_caution"),  # beside a condition its caution answers
    ],
)
def test_asked_alone_yields_to_anything_else_named(engine: Engine, message: str, topic: str | None) -> None:
    assert engine_reading(engine, NO_TOPIC, 90.0).reply(message).topic == topic


def test_kb_check_says_asked_alone_is_for_answer_entries(tmp_path: Path) -> None:
    field = "    asked_alone: {asks: [safe], about: [it]}\n"
    problems = problems_after_editing(tmp_path, "near_domain.yaml", after_first("  - id: oos_", field))
    assert any("asked_alone" in problem and "only an answer entry" in problem for problem in problems), problems


# --- a cause asked beside a remedy ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("What causes leg cramps at night and what can I do about them?", "benefit_muscles"),
        ("why do my ankles swell every evening, and how can I reduce it?", "benefit_circulation"),
    ],
)
def test_a_cause_asked_beside_a_remedy_gets_the_remedy_after_saying_the_guide_gives_no_cause(
    engine: Engine, message: str, topic: str
) -> None:
    reply = engine.reply(message)
    assert reply.topic == topic
    assert reply.body.startswith(engine.kb.conversation.cause_lead)
    assert reply.body.endswith(engine.kb.entry(topic).answer)


@pytest.mark.parametrize(
    "message", ["what causes leg cramps at night?", "what causes plantar fasciitis and what can I do about it?"]
)
def test_a_cause_alone_or_beside_an_ailment_the_guide_never_names_stays_unanswered(
    engine: Engine, message: str
) -> None:
    reply = engine.reply(message)
    assert reply.topic is None
    assert engine.kb.conversation.cause_lead not in reply.body


def test_a_remedy_asked_without_a_cause_has_no_cause_lead(engine: Engine) -> None:
    assert engine.reply("what can I do about cramps in bed?").body == engine.kb.entry("benefit_muscles").answer


@pytest.mark.parametrize(
    "message", ["What Causes Tired, Achy Feet?", "what causes sore feet?", "what causes my feet to ache after work?"]
)
def test_a_cause_asked_that_an_entry_answers_is_answered_by_it(engine: Engine, message: str) -> None:
    """The guide says why feet ache (standing, weight, tight shoes): `answers_gaps` on that entry, no cause lead."""
    reply = engine.reply(message)
    assert reply.topic == "why_feet_matter"
    assert reply.body == engine.kb.entry("why_feet_matter").answer


def test_gaps_an_entry_answers_come_from_the_knowledge(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine.chooser, "_answered_gaps", {})
    assert engine.reply("What Causes Tired, Achy Feet?").topic is None


@pytest.mark.parametrize(
    ("file", "edit", "expected"),
    [
        (
            "near_domain.yaml",
            after_first("  - id: oos_", "    answers_gaps: [what causes]\n"),
            "only an answer entry answers a gap",
        ),
        (
            "about.yaml",
            lambda text: text.replace("answers_gaps: [what causes, causes of]", "answers_gaps: [what cures]"),
            "'what cures' is no entry's gap",
        ),
    ],
)
def test_kb_check_says_what_is_wrong_with_answers_gaps(
    tmp_path: Path, file: str, edit: Callable[[str], str], expected: str
) -> None:
    problems = problems_after_editing(tmp_path, file, edit)
    assert any("answers_gaps" in problem and expected in problem for problem in problems), problems


def test_answers_gaps_are_matched_to_gaps_as_the_engine_reads_them(tmp_path: Path) -> None:
    """Case, spacing and punctuation are folded as in every message ("What Causes" is the gap "what causes")."""
    problems = problems_after_editing(
        tmp_path,
        "about.yaml",
        lambda text: text.replace(
            "answers_gaps: [what causes, causes of]", 'answers_gaps: ["What Causes?", causes  of]'
        ),
    )
    assert not [problem for problem in problems if "answers_gaps" in problem], problems


def test_cause_asks_need_their_lead(tmp_path: Path) -> None:
    def without_the_lead(text: str) -> str:
        start = text.index("  cause_lead:")
        return text[:start] + text[text.index("\n  remedy_asks:", start) + 1 :]

    problems = problems_after_editing(tmp_path, "conversation.yaml", without_the_lead)
    assert any("cause_lead" in problem and "missing" in problem for problem in problems), problems


# --- what a trouble is ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "What exactly is ankle swelling?",
        "what is insomnia",
        "what are leg cramps?",
        "why do my toes tingle at night?",
        "why does my little toe feel numb",
        "why is my heel so sore in the morning",
    ],
)
def test_what_a_trouble_is_or_what_causes_a_symptom_gets_the_honest_no_not_the_entry_next_to_it(
    engine: Engine, message: str
) -> None:
    reply = engine.reply(message)
    assert reply.topic is None
    assert reply.kind is ReplyKind.FALLBACK


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("what is good for cramps at night?", "benefit_muscles"),
        ("what is the best way to get rid of swollen ankles", "benefit_circulation"),
        ("what are the benefits of a foot massage for swollen ankles?", "benefit_circulation"),
        ("why do I always fall asleep during a foot massage?", "why_sleepy"),
    ],
)
def test_a_remedy_or_the_massage_asked_beside_a_trouble_is_still_answered(
    engine: Engine, message: str, topic: str
) -> None:
    assert engine.reply(message).topic == topic


def test_trouble_answer_must_be_an_out_of_scope_entry(tmp_path: Path) -> None:
    problems = problems_after_editing(
        tmp_path,
        "conversation.yaml",
        lambda text: text.replace("trouble_answer: oos_named_ailments", "trouble_answer: benefit_muscles"),
    )
    assert any("trouble_answer" in problem and "out_of_scope" in problem for problem in problems), problems


def test_why_feet_ache_after_standing_is_answered_the_guide_says_why(engine: Engine) -> None:
    """Aching feet are no symptom to decline: the guide names standing, weight and tight shoes."""
    assert engine.reply("why do my feet hurt after standing all day?").topic in {"why_feet_matter", "benefit_muscles"}


@pytest.mark.parametrize(
    ("message", "asks"),
    [
        ("why do my toes tingle at night?", True),
        ("why does my little toe feel numb", True),
        ("What exactly is ankle swelling?", True),
        ("why do my feet hurt after standing all day?", False),  # the guide says why
        ("why do I fall asleep during a foot massage", False),  # about the massage
        ("my toes tingle, what can I do?", False),  # a remedy asked
        ("what is reflexology?", False),  # no trouble
    ],
)
def test_what_the_trouble_is_is_read_from_the_knowledge_words(engine: Engine, message: str, asks: bool) -> None:
    assert engine.chooser.asks_what_the_trouble_is(engine.normalise(message)) is asks


@pytest.mark.parametrize(
    "message",
    ["why do I feel exhausted after running", "why am I so tired after work", "why does my foot hurt after a massage"],
)
def test_asked_when_reads_sleepiness_only_when_said_of_the_massage(engine: Engine, message: str) -> None:
    assert engine.chooser.asked_when_found(engine.normalise(message)) is None
