"""What reaches the person: a caution names its condition, other languages are told footbot answers in English
(with the caveat or red flag still there), and heavy messages are read in bounded time and memory."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core import safety, text
from bot.core.choosing import Choice
from bot.core.classifier import Classifier
from bot.core.conversation import ChatContext
from bot.core.engine import Engine
from bot.core.features import NO_TOPIC
from bot.core.knowledge import Condition
from bot.core.loader import check_knowledge
from bot.core.replies import ReplyKind
from bot.core.safety import FULL_READ, SafetyDetector
from tests.core.conftest import MINIMAL, write_knowledge

# --- a caution given as the answer names its condition ------------------------------------------------------


def test_a_caution_answer_names_its_condition_even_when_the_rules_found_none(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The model may see a condition the rules miss: its caution then names the condition among the caveats
    (said once: the caution's answer says it, so the ⚠️ box does not repeat it)."""
    monkeypatch.setattr(engine.safety, "scan_words", lambda *_args: ((), False))
    reply = engine.reply("is a foot massage safe when pregnant?")
    assert reply.topic == "pregnancy_caution"
    assert reply.conditions == ["pregnancy"]
    assert reply.plain_text().startswith(engine.kb.entry("pregnancy_caution").answer)
    assert engine.kb.caveat_for(Condition.PREGNANCY).caveat not in reply.plain_text()


def test_a_caution_answer_keeps_the_other_conditions_named(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine.safety, "scan_words", lambda *_args: ((Condition.DIABETES, Condition.HEART), False))
    reply = engine.reply("can i have diabetes and still get a foot rub, is it safe")
    assert reply.conditions == ["diabetes", "heart"]


def test_a_caution_for_a_condition_nobody_named_gives_way_to_the_named_ones(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rules found a heart condition; the model read the message as diabetes: the heart caution answers, and
    no diabetes caveat is added for a condition nobody named ("my dad has CHF" got the diabetes caution)."""
    monkeypatch.setattr(engine.safety, "scan_words", lambda *_args: ((Condition.HEART,), False))
    reply = engine.reply("can i have diabetes and still get a foot rub, is it safe")
    assert (reply.topic, reply.conditions) == ("heart_caution", ["heart"])
    several = engine.kb.safety_questions.several
    monkeypatch.setattr(engine.safety, "scan_words", lambda *_args: ((Condition.PREGNANCY, Condition.HEART), False))
    reply = engine.reply("can i have diabetes and still get a foot rub, is it safe")
    assert (reply.topic, reply.conditions) == (several, ["pregnancy", "heart"])


@pytest.mark.parametrize(
    "message",
    [
        "foot massage ok?",
        "can i still massage them?",
        "Pedicure contra-indication?",
        "is foot massage ok",  # the model read no answer (asked_alone: "massage ok")
        "foot massage ok for me?",  # the benefits ("ok for me")
    ],
)
def test_whether_it_is_all_right_with_nothing_named_gets_who_should_be_careful_and_no_caveat(
    engine: Engine, message: str
) -> None:
    """The model read these as one condition's caution ("foot massage ok?": diabetes), hanging that caveat on a
    person who named none. The guide's word on who should be careful names all three instead."""
    reply = engine.reply(message)
    assert (reply.topic, reply.conditions) == (engine.kb.safety_questions.several, [])


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("is this your first baby?", "pregnancy_caution"),
        ("Heart?", "heart_caution"),
        ("is it ok if my wife does it for me", "who_can_massage"),  # who gives it is asked, not whether it is safe
    ],
)
def test_a_word_beyond_the_asking_keeps_the_model_s_reading(engine: Engine, message: str, topic: str) -> None:
    """Real questions whose labels want the caveat, though no rule names the condition: the model's reading
    stays when the message says anything beyond whether the massage is all right."""
    assert engine.reply(message).topic == topic


@pytest.mark.parametrize("message", ["my dad has CHF, can i rub his feet", "i have an ICD, foot rub ok?"])
def test_a_heart_abbreviation_gets_the_heart_caution_alone(engine: Engine, message: str) -> None:
    reply = engine.reply(message)
    assert (reply.topic, reply.conditions) == ("heart_caution", ["heart"])


def test_a_non_caution_answer_gets_no_caveat_it_was_not_given(engine: Engine) -> None:
    reply = engine.reply("which toe helps with an earache?")
    assert reply.conditions == []


# --- beside a condition, what is asked decides whether the caution answers ---------------------------------


@pytest.mark.parametrize(
    ("message", "condition"),
    [
        ("which vitamins should I take while pregnant?", Condition.PREGNANCY),
        ("what's a normal blood sugar level for a diabetic?", Condition.DIABETES),
        ("how long does recovery from a heart bypass take?", Condition.HEART),
        ("can I fly on a plane after a heart attack?", Condition.HEART),
    ],
)
def test_a_question_about_something_other_than_the_massage_gets_the_honest_no_with_the_caveat(
    engine: Engine, message: str, condition: Condition
) -> None:
    """The caution would answer a question nobody asked; the caveat still says what the guide asks of them."""
    reply = engine.reply(message)
    assert reply.kind is ReplyKind.FALLBACK and reply.topic is None
    assert reply.conditions == [condition.value]
    assert engine.kb.caveat_for(condition).caveat in reply.plain_text()


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("my wife is 12 weeks pregnant", "pregnancy_caution"),  # tells, doesn't ask: the caution is for her
        ("type 2 here safe?", "diabetes_caution"),  # short, and asks whether it is safe
        ("is coffee ok when pregnant?", "pregnancy_caution"),  # asks whether something is all right
        ("what if I am diabetic?", "diabetes_caution"),  # nothing else to ask about: the massage it came for
        ("i'm pregnant, can reflexology bring on labour?", "pregnancy_caution"),  # speaks of the massage
        ("would that be suitable for heart patients?", "heart_caution"),  # asks whether it is all right
        ("is that appropriate for diabetics?", "diabetes_caution"),
    ],
)
def test_the_caution_still_answers_a_message_about_the_massage_or_its_safety(
    engine: Engine, message: str, topic: str
) -> None:
    assert engine.reply(message).topic == topic


@pytest.mark.parametrize(
    "message",
    [
        "I have high blood pressure, is foot reflexology ok?",
        "is a foot rub safe on warfarin?",
        "my dad takes eliquis, can I rub his feet?",
    ],
)
def test_blood_pressure_or_thinners_alone_get_the_honest_no_with_the_heart_caveat(engine: Engine, message: str) -> None:
    """Not a heart condition in themselves (`safety_questions.caveat_only`): the guide says nothing of them, so
    it says so; the heart caveat rides on it, the cautious side."""
    reply = engine.reply(message)
    assert "heart_caution" not in reply.topics and reply.topic is None
    assert reply.conditions == ["heart"]
    assert engine.kb.caveat_for(Condition.HEART).caveat in reply.plain_text()


def test_neuropathy_alone_brings_the_diabetes_caveat_not_the_caution(engine: Engine) -> None:
    reply = engine.reply("neuropathy from chemo, can I rub her feet?")
    assert "diabetes_caution" not in reply.topics and reply.conditions == ["diabetes"]
    assert engine.reply("diabetic neuropathy, is foot massage ok?").topic == "diabetes_caution"


def test_after_the_birth_the_pregnancy_caveat_rides_but_the_caution_does_not_answer(engine: Engine) -> None:
    reply = engine.reply("when can I have a foot massage after a c-section?")
    assert "pregnancy_caution" not in reply.topics and reply.conditions == ["pregnancy"]
    booked = engine.reply("I'm 30 weeks pregnant and booked for a c-section, is reflexology ok?")
    assert booked.topic == "pregnancy_caution"


@pytest.mark.parametrize(
    "message",
    ["I'm on blood thinners for my afib, is reflexology ok?", "heart failure and high blood pressure, foot rub ok?"],
)
def test_named_beside_the_heart_condition_itself_the_caution_answers(engine: Engine, message: str) -> None:
    assert engine.reply(message).topic == "heart_caution"


def test_a_condition_named_beside_the_massage_gets_its_caution_not_the_other_health_no(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the reading is the guide's honest no about other health problems, a condition the guide does speak of,
    asked about with the massage, gets its caution; asked about without the massage, the honest no stays."""
    other_health = Choice(engine.kb.entry("oos_other_conditions"), 70.0)
    monkeypatch.setattr(engine.chooser, "choose", lambda *_args: other_health)
    assert engine.reply("is congestive heart failure a contraindication for massage?").topics == ("heart_caution",)
    plain = engine.reply("is congestive heart failure hereditary?")
    assert plain.topic is None and plain.conditions == ["heart"]
    assert engine.kb.entry("oos_other_conditions").answer in plain.plain_text()


def test_an_off_topic_reading_beside_a_condition_that_names_the_massage_gets_the_caution(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "Will I go into labor if you rub my ankles?" may read as off-topic: it names the massage, so the caution."""
    off_topic = Choice(engine.kb.entry("oos_off_topic"), 60.0)
    monkeypatch.setattr(engine.chooser, "choose", lambda *_args: off_topic)
    assert engine.reply("will I go into labor if you rub my ankles?").topics == ("pregnancy_caution",)
    assert engine.reply("what foods should I avoid in pregnancy?").topic is None  # no massage named: off topic


@pytest.mark.parametrize(
    ("message", "caution"),
    [
        ("However, what if you are pregnant?", "pregnancy_caution"),
        ("What is up with the first trimester?", "pregnancy_caution"),
        ("So what about a heart condition, then?", "heart_caution"),
        ("what if im 20 weeks pregnant?", "pregnancy_caution"),  # a number names nothing asked about
        ("what about me, I'm 12 weeks pregnant", "pregnancy_caution"),
        ("and for my wife, she is 7 months pregnant?", "pregnancy_caution"),  # nor does who has it
        ("what about my daughter, she has a heart murmur?", "heart_caution"),
    ],
)
def test_a_question_of_asides_and_a_condition_asks_about_the_condition(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, message: str, caution: str
) -> None:
    """ "However", "so", "up" ask nothing (`safety_questions.asides`): the caution answers, as for "what if I am
    pregnant?"; a question about something else beside the condition still gets the honest no."""
    read_as_caution = Choice(engine.kb.entry(caution), 70.0)
    monkeypatch.setattr(engine.chooser, "choose", lambda *_args: read_as_caution)
    assert engine.reply(message).topics == (caution,)
    assert engine.reply("However, what foods are best when you are pregnant?").topic is None


@pytest.mark.parametrize(
    ("message", "caution", "condition"),
    [
        ("What is angina?", "heart_caution", "heart"),
        ("what's type 1 diabetes", "diabetes_caution", "diabetes"),
        ("How do you get diabetes?", "diabetes_caution", "diabetes"),
        ("What exactly is gestational diabetes?", "who_should_be_careful", "pregnancy"),
    ],
)
def test_asked_what_a_condition_is_the_honest_no_answers_with_the_caveat(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, message: str, caution: str, condition: str
) -> None:
    """The guide never says what a condition is (`safety_questions.condition_asks`): however the model reads it,
    its honest no about other health problems answers, and the condition's caveat still rides on it."""
    read_as_caution = Choice(engine.kb.entry(caution), 90.0)
    monkeypatch.setattr(engine.chooser, "choose", lambda *_args: read_as_caution)
    reply = engine.reply(message)
    assert reply.topic is None and condition in reply.conditions
    assert engine.kb.entry(engine.kb.safety_questions.other_health[0]).answer in reply.plain_text()


@pytest.mark.parametrize(
    "message",
    [
        "Why do ankles swell during pregnancy?",
        "So is it normal to have cold feet when pregnant?",
        "When do feet swell in pregnancy?",
    ],
)
def test_asked_why_or_when_beside_a_condition_the_feet_alone_do_not_make_it_about_the_massage(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, message: str
) -> None:
    """ "Why do ankles swell in pregnancy?" names the feet, not the massage (`safety_questions.symptom_asks`): read
    as the caution, the reply is the honest fallback, with the caveat."""
    monkeypatch.setattr(engine.chooser, "choose", lambda *_args: Choice(engine.kb.entry("pregnancy_caution"), 80.0))
    reply = engine.reply(message)
    assert reply.topic is None and reply.topics == () and "pregnancy" in reply.conditions


@pytest.mark.parametrize(
    "message",
    [
        "Why is foot massage not allowed in the first trimester?",
        "Why is it dangerous to rub the ankles when pregnant?",
        "Why do my feet swell? I'm pregnant, can you massage them?",
    ],
)
def test_asked_why_about_the_massage_itself_beside_a_condition_keeps_the_caution(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, message: str
) -> None:
    monkeypatch.setattr(engine.chooser, "choose", lambda *_args: Choice(engine.kb.entry("pregnancy_caution"), 80.0))
    assert engine.reply(message).topics[0] == "pregnancy_caution"


@pytest.mark.parametrize(
    "message",
    [
        "What is the risk for a diabetic?",
        "what is safe in the first trimester?",
        "What is reflexology like when pregnant?",
    ],
)
def test_what_is_asked_about_safety_or_the_massage_keeps_the_caution(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, message: str
) -> None:
    """Only the condition itself asked about loses the caution: its safety or the massage keep it."""
    caution = "diabetes_caution" if "diabetic" in message else "pregnancy_caution"
    monkeypatch.setattr(engine.chooser, "choose", lambda *_args: Choice(engine.kb.entry(caution), 90.0))
    assert engine.reply(message).topics == (caution,)


@pytest.mark.parametrize(
    ("message", "caution"),
    [
        ("Diabetes and Massage: Can Massage Help?", "diabetes_caution"),
        ("I have a heart condition. Can foot massage help me?", "heart_caution"),
    ],
)
def test_whether_it_helps_someone_with_a_condition_gets_the_benefits_then_the_caution(
    engine: Engine, message: str, caution: str
) -> None:
    """Read as the guide's general benefits (`safety_questions.caution_follows`), the caution follows them."""
    topics = engine.reply(message).topics
    assert topics[0] in engine.kb.safety_questions.caution_follows and topics[-1] == caution


@pytest.mark.parametrize("model_reads", ["why_feet_matter", "benefits_overview", NO_TOPIC])
def test_whether_it_is_helpful_for_someone_with_a_condition_gets_the_caution(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, model_reads: str
) -> None:
    """ "Is massage helpful for diabetics?" asks whether it is all right for them (`safety_questions.words`), however
    the model reads the rest."""
    entry = engine.kb.entry(model_reads) if model_reads else None
    monkeypatch.setattr(engine.chooser, "choose", lambda *_args: Choice(entry, 60.0))
    message = "Is massage therapy helpful for diabetics (in my case, type 2)? Why or why not?"
    assert engine.reply(message).topics[0] == "diabetes_caution"


@pytest.mark.parametrize(
    ("message", "entry", "caution"),
    [
        ("my dad has heart failure, how should I massage his feet?", "how_to_massage", "heart_caution"),
        ("type 2 diabetic, what's the right way to rub my feet?", "how_to_massage", "diabetes_caution"),
        ("my grandma is diabetic, why do her feet need care?", "why_feet_matter", "diabetes_caution"),
    ],
)
def test_the_massage_in_general_asked_beside_a_condition_gets_the_caution_after(
    engine: Engine, message: str, entry: str, caution: str
) -> None:
    """How to give one, why feet need it (`safety_questions.caution_follows`): whether it is right for that person is
    the caution's to say, and the caution's text stands in for the caveat box (said once)."""
    reply = engine.reply(message)
    assert reply.topics == (entry, caution)
    assert [caveat.text for caveat in reply.caveats] == [""]


def test_in_pregnancy_the_how_to_says_the_caution_too(engine: Engine) -> None:
    reply = engine.reply("I'm 20 weeks pregnant, how do I massage my own feet?")
    assert reply.topics == ("how_to_massage", "pregnancy_caution")
    assert "first three months" in reply.body


def test_another_question_beside_a_condition_gets_no_caution_added(engine: Engine) -> None:
    assert engine.reply("im diabetic, which toe is for the lungs?").topics == ("big_toe",)
    assert "pregnancy_caution" not in engine.reply("What are the benefits of a postnatal massage?").topics


# --- other languages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "أنا حامل، هل يمكنني تدليك القدمين؟",  # Arabic
        "אני בהריון, אפשר לעשות עיסוי כפות רגליים?",  # Hebrew
        "Я беременна, можно делать массаж стоп?",  # Russian
    ],
)
def test_pregnancy_in_another_language_keeps_its_caveat_and_is_told_english_only(engine: Engine, message: str) -> None:
    reply = engine.reply(message)
    note = engine.kb.messages.english_only
    assert note and reply.body.startswith(note)
    assert "pregnancy" in reply.conditions
    assert reply.plain_text().count(note) == 1


@pytest.mark.parametrize(
    ("message", "condition"),
    [("יש לי סוכרת, זה בסדר?", "diabetes"), ("لدي مرض القلب", "heart"), ("у меня диабет", "diabetes")],
)
def test_other_conditions_in_other_languages_keep_their_caveat(engine: Engine, message: str, condition: str) -> None:
    reply = engine.reply(message)
    assert reply.body.startswith(engine.kb.messages.english_only)
    assert condition in reply.conditions


@pytest.mark.parametrize(
    "message",
    [
        "hola, qué dedo es para el dolor de muelas?",
        "Bonjour! Le massage des pieds avant de dormir, c'est bon?",
        "Ich habe Schmerzen in den Füßen, was kann ich tun?",
        "Mi papá es diabético, ¿le puedo dar masaje en los pies?",
    ],
)
def test_another_language_in_latin_letters_is_told_english_only_and_keeps_its_caveat(
    engine: Engine, message: str
) -> None:
    """These got "Sorry, I don't know that one" (or a caution) with no word that footbot reads English only."""
    reply = engine.reply(message)
    assert reply.body.startswith(engine.kb.messages.english_only)
    assert ("diabetes" in reply.conditions) == ("diabético" in message)


def test_a_red_flag_in_another_script_is_still_a_red_flag(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine.safety, "scan_words", lambda *_args: ((), True))
    reply = engine.reply("У меня болит грудь")
    assert reply.kind is ReplyKind.RED_FLAG
    assert reply.body == f"{engine.kb.messages.english_only}\n\n{engine.kb.red_flags.reply}"


@pytest.mark.parametrize(
    "message",
    [
        "which toe helps with an earache?",
        "Çà et là, what does the big toe do?",
        "I'm \u0440regnant, is a foot rub ok?",  # one Cyrillic letter in English: a disguise, not Russian
        "ＷＨＩＣＨ ＴＯＥ ＨＥＬＰＳ ＷＩＴＨ ＳＬＥＥＰ",
        "my mum (Мария) has tired feet, which toe helps her sleep?",
        "de la soul is my favourite band, any toe for headaches?",
        "hola amigo",
        "is the massage con la oil ok?",
    ],
)
def test_english_with_a_few_other_letters_gets_no_language_note(engine: Engine, message: str) -> None:
    assert not engine.reply(message).body.startswith(engine.kb.messages.english_only)


def test_the_english_only_note_is_a_required_message(tmp_path: Path) -> None:
    meta = MINIMAL["meta.yaml"].replace("          english_only: English only for now.\n", "")
    folder = write_knowledge(tmp_path / "kb", {**MINIMAL, "meta.yaml": meta})
    assert any("english_only" in str(problem) and "missing" in str(problem) for problem in check_knowledge(folder))


# --- heavy messages ----------------------------------------------------------------------------------------

FILLER = "my feet ache after a long day at work and I would love a foot rub before bed tonight "


def test_safety_reads_a_huge_message_to_its_end(engine: Engine) -> None:
    message = FILLER * 1200 + "by the way I am pregnant"  # about 100,000 characters
    assert Condition.PREGNANCY in engine.safety.detect(message)
    assert "pregnancy" in engine.reply(message).conditions


def test_a_huge_message_of_common_words_still_finds_the_rare_one(engine: Engine) -> None:
    """Past the first part, words known to start a finding are read rarest first, so a thousand "foot"s
    don't use up the places read before "diabetic" is reached."""
    message = FILLER * 600 + "my dad is diabetic. " + FILLER * 600
    assert engine.safety.detect(message) == (Condition.DIABETES,)


def test_a_typo_inside_a_telegram_length_message_is_read(engine: Engine) -> None:
    message = (FILLER * 40)[: FULL_READ - 200] + " i have diabetis"
    assert len(message) <= FULL_READ
    assert Condition.DIABETES in engine.safety.detect(message)


def test_a_long_message_is_answered_from_its_opening(engine: Engine) -> None:
    message = "which toe helps with an earache? My ears hurt at night. " * 20 + "tell me about sleep. " * 3000
    reply = engine.reply(message)
    assert reply.topic == engine.reply(text.opening(message)).topic
    assert reply.topic in {"little_toe", "toes_overview"}


def test_a_flood_of_made_up_words_never_crashes_and_keeps_caveats(engine: Engine) -> None:
    junk = " ".join(f"qz{i}xv{i * 7}wk" for i in range(3000))
    reply = engine.reply(f"{junk} i am pregnant {junk}")
    assert "pregnancy" in reply.conditions


def test_words_too_long_to_be_words_are_never_cached(engine: Engine) -> None:
    long_word = "x" * 41 + "pregnant"
    detector = SafetyDetector(engine.kb.conditions, engine.kb.red_flags)
    detector.detect(f"is it ok {long_word}")
    assert long_word not in detector._words
    text.normalise(f"hello {long_word}")
    assert long_word not in text._EXPANDED
    assert engine.classifier is not None
    engine.classifier.read_words([long_word])
    assert long_word not in engine.classifier._word_rows


def test_the_safety_cache_of_words_is_bounded(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safety, "MAX_CACHED_WORDS", 50)
    detector = SafetyDetector(engine.kb.conditions, engine.kb.red_flags)
    for start in range(0, 400, 40):
        detector.detect(" ".join(f"word{n}x" for n in range(start, start + 40)))
        assert len(detector._words) <= 50
    assert detector.detect("my wife is pregnant") == (Condition.PREGNANCY,)


def test_the_classifier_forgets_new_words_past_its_bound_and_reads_them_again(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert engine.classifier is not None
    classifier = Classifier.__new__(Classifier)
    classifier.__dict__.update(engine.classifier.__dict__)  # a copy that shares nothing it changes
    classifier._word_rows = dict(engine.classifier._word_rows)
    classifier._matrix = engine.classifier._matrix.copy()
    monkeypatch.setattr(Classifier, "MAX_NEW_WORDS", 100)
    before = classifier.read_words(["earachey", "toez"]).best
    for start in range(0, 1000, 50):
        classifier.read_words([f"newword{n}" for n in range(start, start + 50)])
        assert classifier._new_words <= 100
    assert classifier.read_words(["earachey", "toez"]).best == before


@pytest.mark.parametrize("message", ["what about the first trimester?", "first trimester?"])
def test_a_question_about_the_condition_itself_gets_its_caution(engine: Engine, message: str) -> None:
    """Nothing but the condition is asked about: the caution is the answer, not "that's beyond me"."""
    assert engine.reply(message).topic == "pregnancy_caution"


@pytest.mark.parametrize("asked", ["a contra indication", "contra-indicated", "contraindicated"])
def test_a_contraindication_asked_in_any_spelling_keeps_the_caution(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, asked: str
) -> None:
    """ "Are heart or circulatory conditions a contra indication?" asks whether it is safe, though it never names the
    massage: the caution the model reads stays, rather than the fallback a condition's aside would get."""
    caution = Choice(engine.kb.entry("heart_caution"), 70.0)
    monkeypatch.setattr(engine.chooser, "choose", lambda *_args: caution)
    reply = engine.reply(f"Are heart or circulatory conditions {asked}?")
    assert reply.topics == ("heart_caution",) and reply.conditions == ["heart"]


@pytest.mark.parametrize(
    "messages",
    [
        ("my wife is pregnant and just told me, should we stop?",),
        (
            "Hi, I'm 9 weeks pregnant and my feet are killing me. Can my husband massage them?",
            "what about later, like in the third trimester?",
        ),
    ],
)
def test_stopping_or_a_later_stage_asked_beside_pregnancy_gets_the_caution(
    engine: Engine, messages: tuple[str, ...]
) -> None:
    """Both got "Sorry, I don't know that one" with the caveat: the guide's caution answers them."""
    context = ChatContext()
    replies = [engine.reply(message, context) for message in messages]
    assert replies[-1].topic == "pregnancy_caution"


@pytest.mark.parametrize(
    "message",
    [
        "me está dando un infarto",  # other languages
        "j'ai une douleur à la poitrine",
        "i think its a stroke",  # a stroke or heart attack said as it happens, or misspelt
        "hart attack now",
        "chestpain now",
        "cant brethe",
        "my face feels numb and droopy on one side",
        "left arm pain and jaw pain right now",
        "35 wks and the baby isn't kicking",  # pregnancy danger signs
        "pregnant and contractions at 30 weeks",
        "hypo and can't think straight, shaking",
        "my leg is suddenly swollen and painful after the flight",
    ],
)
def test_emergencies_found_by_the_twentieth_safety_probe_get_emergency_care(engine: Engine, message: str) -> None:
    assert engine.reply(message).kind is ReplyKind.RED_FLAG


@pytest.mark.parametrize(
    "message",
    [
        "give the heel a quick stroke right now",  # a massage stroke
        "I fell pregnant the first month we tried",  # became pregnant
        "pregnant and I fell asleep during the massage",
        "my grandpa had a mini stroke years ago",
        # from the second review: past events, massage words, names and everyday sentences
        "my dad had a heart attack, now he wants a foot massage",
        "can foot massage prevent getting a heart attack?",
        "which massage stroke is best? I think its a stroke called effleurage",
        "my daughter Tia now wants a foot massage",
        "use long strokes, stroking out from the heel to the toes",
        "is hypoallergenic massage oil ok? do I shake it first?",
        "I've had muscle contractions in my foot for 2 weeks",
        "I'm 10 weeks pregnant, no kicks yet",
        "my baby is very quiet, she is 6 weeks old",
        "I get arm pain after massaging, is arm pain normal?",
        "my leg was swollen after the flight last year, now it's fine",
        "my dad had an infarto two years ago, can I massage his feet?",
    ],
)
def test_their_lookalikes_are_no_emergency(engine: Engine, message: str) -> None:
    assert engine.reply(message).kind is not ReplyKind.RED_FLAG


@pytest.mark.parametrize("request_", ["ok start tonight's routine", "ok, walk me through it"])
def test_an_ok_after_a_caution_takes_it_in_and_the_request_is_answered(engine: Engine, request_: str) -> None:
    """From the conversation probe: the "ok" was read as "is it ok?", and the caution came again instead."""
    chat = ChatContext()
    engine.reply("I am diabetic", chat)
    reply = engine.reply(request_, chat)
    assert reply.topic != "diabetes_caution" and reply.conditions == ["diabetes"]


@pytest.mark.parametrize("question", ["ok to do it every night?", "ok, fine to start tonight?", "ok so it's a no?"])
def test_an_ok_before_a_question_still_asks_whether_it_is_all_right(engine: Engine, question: str) -> None:
    """From the second review: "ok, fine to start tonight?" lost its "fine" and started the routine."""
    chat = ChatContext()
    engine.reply("I am diabetic", chat)
    assert engine.reply(question, chat).topic == "diabetes_caution"


@pytest.mark.parametrize("first", ["can I massage his feet?", "my sister wants me to give her a foot massage"])
def test_him_or_her_alone_names_no_condition_for_the_rest_of_the_chat(engine: Engine, first: str) -> None:
    """From the conversation probe: the diabetes or pregnancy caution came, and rode on every later reply."""
    chat = ChatContext()
    assert engine.reply(first, chat).conditions == []
    assert engine.reply("which toe is for the lungs?", chat).conditions == []


def test_who_can_give_it_beside_a_condition_is_answered_and_the_caution_follows(engine: Engine) -> None:
    reply = engine.reply("my dad has angina, can his carer give him foot massages")
    assert reply.topics[:2] == ("who_can_massage", "heart_caution") and reply.conditions == ["heart"]


@pytest.mark.parametrize(
    ("message", "condition"),
    [
        ("I take prasugrel, is foot massage ok?", "heart"),  # drugs and devices the probe found missing
        ("I have a MitraClip", "heart"),
        ("I have synjardy tablets", "diabetes"),
        ("ich erwarte ein Baby", "pregnancy"),  # other languages
        ("meri wife pet se hai, pair ki malish theek hai?", "pregnancy"),
        ("tengo fibrilación auricular", "heart"),
        ("mi abuela tiene azúcar en la sangre alta", "diabetes"),
    ],
)
def test_more_names_of_the_conditions_bring_their_caveat(engine: Engine, message: str, condition: str) -> None:
    assert condition in engine.reply(message).conditions


@pytest.mark.parametrize(
    "message",
    [
        "I work in labour relations",
        "Labour party supporter here",
        "I'm expecting my results on Monday",
        "is there an efficient way to remove massage oil stains?",  # "efficient" is no typo of a drug's name
        "is lanolin cream good for a foot massage?",  # nor "lanolin", "Multan" (from the second review)
        "I live in Multan, which toe is for the head?",
    ],
)
def test_labour_and_expecting_in_their_other_senses_bring_no_caveat(engine: Engine, message: str) -> None:
    assert engine.reply(message).conditions == []


def test_asking_about_a_stage_of_the_condition_gets_its_caution(engine: Engine) -> None:
    """From the conversation probe: "what about after the first trimester?" got "Sorry, I don't know that one", though
    the guide's caution answers it (never in the first three months; otherwise the doctor first)."""
    chat = ChatContext()
    engine.reply("I'm 8 weeks pregnant, can I get reflexology?", chat)
    assert engine.reply("what about after the first trimester?", chat).topic == "pregnancy_caution"


def test_the_pregnancy_hold_points_to_what_works_and_that_works(engine: Engine) -> None:
    """The hold said "ask me again", and asking again held the routine back again (from the conversation probe)."""
    chat = ChatContext()
    engine.reply("I'm pregnant and my doctor said foot massage is fine", chat)
    held = engine.reply("great, walk me through it", chat)
    assert held.kind is ReplyKind.SAFETY and "ask me again" not in held.body
    assert "how do i give a foot massage" in held.body.lower()
    steps = engine.reply("how do I give a foot massage?", chat)
    assert steps.topic == "how_to_massage" and steps.conditions == ["pregnancy"]


@pytest.mark.parametrize(
    "message",
    [
        "she's in early labour, day 2 now, can I massage her feet?",
        "my wife went into labour day before yesterday",
        "I'm expecting. A lot of swelling in my feet, is massage ok?",
    ],
)
def test_a_lookalike_of_another_sense_never_hides_a_real_mention(engine: Engine, message: str) -> None:
    """From the second review: "labour day", "expecting a lot" as lookalikes hid these, across a comma or a stop."""
    assert "pregnancy" in engine.reply(message).conditions


@pytest.mark.parametrize(
    ("first", "then", "topic", "conditions"),
    [
        ("mi esposa está embarazada", "puedo masajear sus pies?", "pregnancy_caution", ["pregnancy"]),
        ("my dad has a heart condition", "foot massage ok?", "heart_caution", ["heart"]),
    ],
)
def test_a_caution_for_a_condition_nobody_named_gives_way_to_those_named_earlier_in_the_chat(
    engine: Engine, first: str, then: str, topic: str, conditions: list[str]
) -> None:
    """From the safety probe: after pregnancy was named, the model read the next message as the heart's caution,
    and the heart caveat came with it."""
    chat = ChatContext()
    engine.reply(first, chat)
    reply = engine.reply(then, chat)
    assert (reply.topic, reply.conditions) == (topic, conditions)
