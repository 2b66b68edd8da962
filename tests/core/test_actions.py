"""Features asked for in words: the recogniser (knowledge/actions.yaml), the engine's action replies, the loader."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.actions import (
    Action,
    ActionKind,
    ActionRecogniser,
    as_written,
    only_a_shift,
    shift_in,
    time_in,
    vague_shift_in,
)
from bot.core.engine import Engine
from bot.core.knowledge import KnowledgeBase
from bot.core.loader import check_knowledge, load_knowledge
from bot.core.replies import ReplyKind
from tests.core.conftest import MINIMAL, write_knowledge

REMIND, OFF, ROUTINE, MAP, SAFETY, ZONE, FORGET = (
    ActionKind.REMIND,
    ActionKind.REMIND_OFF,
    ActionKind.ROUTINE,
    ActionKind.FOOT_MAP,
    ActionKind.SAFETY,
    ActionKind.TIMEZONE,
    ActionKind.FORGET,
)


# For hypothesis tests (function-scoped fixtures do not mix with @given): the shipped knowledge, word matcher only.
_KB = load_knowledge(Path(__file__).resolve().parents[2] / "knowledge")
_ENGINE = Engine(_KB)


@pytest.fixture(scope="module")
def recogniser(kb: KnowledgeBase) -> ActionRecogniser:
    return ActionRecogniser(kb.actions)


# ---- requests, the many ways people make them ------------------------------------------------------

REMINDERS = [
    ("remind me at 10pm", "22:00"),
    ("10pm please remind me", "22:00"),  # the time first (from the Telegram probe: read as a question before)
    ("at 22:30 remind me", "22:30"),
    ("can you remind me every night at 22:30?", "22:30"),
    ("remind me at 9.45 pm", "21:45"),
    ("remind me at 9.45 p.m. please", "21:45"),
    ("remind me at 11 tonight", "23:00"),
    ("Remind me at 21:15", "21:15"),
    ("remind me at 2230", "22:30"),
    ("remind me at 22h30", "22:30"),
    ("remind me at half past ten", "22:30"),
    ("hi! could you please remind me to massage my feet at quarter to eleven?", "22:45"),
    ("remind me at ten o'clock", "22:00"),
    ("i need a reminder at ten thirty", "22:30"),
    ("remind me at ten pm", "22:00"),
    ("hey footbot, remind me tonight at 10.30pm to rub my wife's feet", "22:30"),
    ("could u set up a nightly reminder for 9:45pm pls", "21:45"),
    ("please change my reminder to 23:00", "23:00"),
    ("move my reminder to 11pm", "23:00"),
    ("can you message me every evening at 9", "21:00"),
    ("ping me at 10pm", "22:00"),
    ("reminder at 2230", "22:30"),
    ("can you remind me every night at 10 to do it", "22:00"),
    ("remind me at 7 in the morning", "07:00"),
    ("remind me at midnight", "00:00"),
    ("I'm pregnant, remind me at 10pm", "22:00"),
    ("Can you set a reminder? 10pm would suit me", "22:00"),
    ("REMIND ME AT 10PM!!", "22:00"),
    ("remind us every night at 21:30 to do the massage", "21:30"),
    ("remnd me at 10pm", "22:00"),  # typos and variants: actions.yaml `spellings`
    ("set a remainder for 10pm", "22:00"),
    ("please to remind me at 10 pm", "22:00"),
    ("reminder 10pm", "22:00"),
    ("i want to get reminded at 10pm", "22:00"),
    ("I'd love a nightly nudge at 9.30pm", "21:30"),
    ("can u remind me 2 do it at 10", "22:00"),  # the hour after "at", not the "2" of "2 do it"
    ("Set reminder 22:00", "22:00"),
    ("could you kindly set a reminder for 10:30 pm", "22:30"),
]


@pytest.mark.parametrize(("text", "at"), REMINDERS)
def test_a_reminder_with_a_time_is_read_as_hh_mm(recogniser: ActionRecogniser, text: str, at: str) -> None:
    assert recogniser.recognise(text) == Action(REMIND, time=at)


@pytest.mark.parametrize(
    "text",
    [
        "set a bedtime reminder",
        "can i set a reminder",
        "i would like a reminder please",
        "I'd like a daily reminder",
        "remind me",
        "reminders",
        "a bedtime reminder pls",
        "can you send me reminders?",
        "turn reminders back on",
        "remind me every night",
        "remind me to do the massage",
        "could you set me up with a reminder",
        "change my reminder",
        "remind me at bedtime",
    ],
)
def test_a_reminder_without_a_time_asks_for_one(recogniser: ActionRecogniser, text: str) -> None:
    assert recogniser.recognise(text) == Action(REMIND)


@pytest.mark.parametrize(
    ("text", "do"),
    [
        ("when is my reminder?", REMIND),
        ("what time is my reminder set for?", REMIND),
        ("is my reminder on?", REMIND),
        ("when will you remind me?", REMIND),
        ("do I have a reminder set?", REMIND),
        ("what time did i set", REMIND),  # it got the guide's preparation
        ("what time did you set it for?", REMIND),  # it got the benefits
        ("ok when did i set it for", REMIND),
        ("what time zone do you have for me?", ActionKind.TIMEZONE),
        ("what timezone am I in?", ActionKind.TIMEZONE),
        ("what's my time zone set to?", ActionKind.TIMEZONE),
    ],
)
def test_asking_about_ones_own_setting_shows_it(recogniser: ActionRecogniser, text: str, do: ActionKind) -> None:
    """They got how to set a reminder; the /remind menu and /timezone show what is set."""
    assert recogniser.recognise(text) == Action(do)


@pytest.mark.parametrize(
    "text",
    [
        "do you have reminders?",
        "is a reminder useful?",
        "when is the best time?",
        "remind me to call mom at 5pm",  # an errand: no nightly foot-massage reminder at 17:00
        "remind me to take my pills at 9",
        "at 7 remind me to take my insulin",  # the time first: still an errand (from the review)
        "by 5 remind me to pick up the kids",
        "10pm please remind me to drink water",
        "what time is it",  # no reminder named, nothing set
    ],
)
def test_asking_about_the_feature_is_no_request(recogniser: ActionRecogniser, text: str) -> None:
    assert recogniser.recognise(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("stop reminders", Action(OFF)),
        ("turn off my reminders please", Action(OFF)),
        ("switch off reminders", Action(OFF)),
        ("please stop reminding me", Action(OFF)),
        ("don't remind me anymore", Action(OFF)),
        ("i don't want reminders any more", Action(OFF)),
        ("no more reminders thanks", Action(OFF)),
        ("cancel my reminder", Action(OFF)),
        ("delete my reminder", Action(OFF)),
        ("pause my reminders", Action(OFF)),
        ("turn the reminder off", Action(OFF)),
        ("unsubscribe", Action(OFF)),
        ("hi, stop reminders", Action(OFF)),
        ("start tonight's routine", Action(ROUTINE)),
        ("let's do the routine", Action(ROUTINE)),
        ("walk me through the massage step by step", Action(ROUTINE)),
        ("I'd like you to walk me through tonight's routine", Action(ROUTINE)),
        ("routine pls", Action(ROUTINE)),
        ("ok lets start", Action(ROUTINE)),
        ("show me the foot map", Action(MAP)),
        ("send me the picture of the foot zones", Action(MAP)),
        ("can you send me the foot chart picture", Action(MAP)),
        ("foot map plz 🗺️", Action(MAP)),
        ("hi again! can you show me the foot map thing? 🗺️ thx", Action(MAP)),
        ("can i see the foot chart", Action(MAP)),
        ("can u send me the pic of the feet", Action(MAP)),
        ("show me the reflexology map", Action(MAP)),
        ("safety info please", Action(SAFETY)),
        ("show me the safety overview", Action(SAFETY)),
        ("change my time zone to berlin", Action(ZONE, place="berlin")),
        ("my timezone is Asia/Kolkata", Action(ZONE, place="Asia/Kolkata")),
        ("set my time zone to UTC+2", Action(ZONE, place="UTC+2")),
        ("I'm in Berlin", Action(ZONE, place="Berlin")),
        ("ok, I'm in Berlin", Action(ZONE, place="Berlin")),
        ("i live in new york", Action(ZONE, place="new york")),
        ("timezone tokyo", Action(ZONE, place="tokyo")),
        ("change my time zone", Action(ZONE)),
        ("what is my time zone", Action(ZONE)),
        ("my time zone is wrong", Action(ZONE)),
        ("delete my data", Action(FORGET)),
        ("please delete all my data", Action(FORGET)),
        ("forget me", Action(FORGET)),
        ("erase everything you know about me", Action(FORGET)),
        ("i want my data deleted", Action(FORGET)),
        ("can you wipe my info", Action(FORGET)),
        ("delete my account", Action(FORGET)),
        ("yes please remind me", Action(REMIND)),
        ("stop the nightly messages", Action(OFF)),
        ("map", Action(MAP)),
        ("show me the zones", Action(MAP)),
        ("can I have the chart", Action(MAP)),
        ("tell me the safety stuff", Action(SAFETY)),
        ("my tz is PST", Action(ZONE, place="PST")),
        ("timezone: America/New_York", Action(ZONE, place="America/New_York")),
        ("I moved to Sydney", Action(ZONE, place="Sydney")),
        # found by a conversation probe (2026-12-07)
        ("is there a picture", Action(MAP)),
        ("do you have a diagram of the foot?", Action(MAP)),
        ("show me the toes", Action(MAP)),
        ("never mind, no reminders", Action(OFF)),
        ("set an alarm for 10 pm", Action(REMIND, time="22:00")),
    ],
)
def test_requests_are_recognised(recogniser: ActionRecogniser, text: str, expected: Action) -> None:
    assert recogniser.recognise(text) == expected


# ---- questions about a feature stay questions ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "how do I set a reminder?",
        "is a reminder useful?",
        "how do reminders work",
        "are reminders free",
        "can reminders be changed?",
        "what time should i set a reminder for?",
        "should i set a reminder",
        "what does the foot map show about the liver?",
        "where is the heart on the foot map",
        "explain the foot map",
        "show me how to massage feet",
        "why do I forget things",
        "i forget which toe is which",
        "don't forget the ankles",
        "forget feet, what should I make for dinner?",
        "forget it",
        "what data do you keep?",
        "is my data safe",
        "does massage help heart rate at night",
        "remind me what the little toe does",
        "can you remind me which toe does what, i only remember the big one",
        "Could you remind me which areas of the foot are linked to which organs?",
        "sugar, remind me which foot the heart point's on",
        "remind me why I need the oil again?",
        "give me a reminder of the benefits",
        "remind me of the benefits",
        "do the steps matter",
        "should i do the routine every night?",
        "is the routine safe when pregnant",
        "what is a bedtime routine",  # sleep habits ("what is the routine" starts ours: the model read it as those)
        "i'm in pain",
        "i'm in bed",
        "i'm in my third trimester",
        "I am in India, is foot massage popular there?",
        "I live in a small flat",
        "time zone differences",
        "what are the safety rules for pregnant women",
        "is a reminder at 10pm a good idea?",
        "reminders help people?",
        "picture of a foot massage technique?",
        "is there a picture of the massage in the guide somewhere?",
        "show me the toes that help with sleep",
        "no reminders yet?",
        "how do i delete my data",
        "can you start with the toes?",
        "can I begin the massage at the heel?",
        "start the massage from the toes?",
        "can i set my time zone in the app?",
        "wake me up at 7",
        "which toe helps earache?",
        "",
        "   ",
        "🦶🦶",
    ],
)
def test_questions_and_other_talk_are_not_requests(recogniser: ActionRecogniser, text: str) -> None:
    assert recogniser.recognise(text) is None


def test_a_long_story_is_never_a_bare_request(recogniser: ActionRecogniser) -> None:
    story = "my feet ache after work and I was reading about massage. " * 6 + "remind me at 10pm"
    assert recogniser.recognise(story) is None


# ---- times and places, read as written ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ("at 10", "22:00"),  # a bare hour is the evening for a bedtime reminder...
        ("at 10 in the morning", "10:00"),  # ...unless the morning is named
        ("at 10am", "10:00"),
        ("10:30", "22:30"),  # a 12-hour clock's time with no am/pm is the evening too ("make it 10:30")...
        ("9.45", "21:45"),
        ("09:45", "09:45"),  # ...but a 24-hour time is taken as written, as /remind does
        ("22:30", "22:30"),
        ("7:30 in the morning", "07:30"),
        ("in 30 minutes", None),
        ("set a reminder. we have 2 kids", None),  # a lone number is not a time
        ("tonight 10", None),
        ("I'm 10 weeks pregnant", None),
        ("at 25:61", None),
        ("nothing here", None),
        # minutes said before the hour, as people say them (each was 17:00, 22:00 or nothing)
        ("at five past nine", "21:05"),
        ("5 past 9", "21:05"),
        ("five to ten", "21:55"),
        ("10 to 10", "21:50"),
        ("twenty-five to eleven", "22:35"),
        ("half nine", "21:30"),  # British: half past nine
        ("nine-thirty", "21:30"),
        ("five past ten in the morning", "10:05"),
        ("I want 5 to 10 minutes", None),
        ("remind me at 11:30", "23:30"),  # eleven is an evening hour too
        ("half past eleven", "23:30"),
        ("half an hour", None),
    ],
)
def test_time_in_reads_like_the_remind_command(text: str, at: str | None) -> None:
    assert time_in(text) == at


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ("make it 10", "22:00"),  # a lone hour, when a time is surely being given, is the evening's
        ("9 instead", "21:00"),
        ("make it 10 in the morning", "10:00"),
        ("no, at 10:30pm", "22:30"),  # a written time still comes first
        ("the 2nd toe", None),  # "2nd" is no hour
        ("for 30 minutes", None),
    ],
)
def test_a_lone_hour_is_a_time_only_when_the_caller_says_one_is_given(text: str, at: str | None) -> None:
    assert time_in(text, lone_hour=True) == at


@pytest.mark.parametrize(
    ("text", "at", "place"),
    [
        ("I'm in Paris, remind me at 10pm", "22:00", "Paris"),
        ("remind me at 22:00, I live in Toronto", "22:00", "Toronto"),
        ("I live in Toronto. Remind me at 10pm", "22:00", "Toronto"),  # the zone alone would be a request too
        ("i'm in new york, can you remind me at 9:30pm please", "21:30", "new york"),
        ("remind me at 10pm, we live in the UK now", "22:00", "the UK"),
        ("remind me at 10pm, my timezone is EST", "22:00", "EST"),
        ("hi, I'm currently in Lyon, set a reminder", None, "Lyon"),
        ("remind me at 10pm", "22:00", None),
        ("I'm in bed, remind me at 10pm", "22:00", None),  # "in bed", "in pain": no place
        ("I'm in pain, remind me at 10pm", "22:00", None),
        ("I'm in the bath, remind me at 10", "22:00", None),
        ("remind me at 10pm, I'm in my room", "22:00", None),
        # a zone said with the time (it was dropped, and the reminder set in UTC)
        ("remind me at 10pm Berlin time", "22:00", "Berlin"),
        ("remind me at 10 pm EST", "22:00", "EST"),
        ("remind me at 22:00 Europe/Berlin", "22:00", "Europe/Berlin"),
        ("remind me at 10pm bed time", "22:00", None),
        ("remind me at 10pm local time", "22:00", None),
    ],
)
def test_a_reminder_request_brings_the_place_it_names(
    recogniser: ActionRecogniser, text: str, at: str | None, place: str | None
) -> None:
    assert recogniser.recognise(text) == Action(REMIND, time=at, place=place)


def test_a_place_without_a_reminder_is_still_only_the_time_zone(recogniser: ActionRecogniser) -> None:
    assert recogniser.recognise("I'm in Paris") == Action(ZONE, place="Paris")
    assert recogniser.recognise("I'm in Kingston, what does the big toe do?") is None


def test_a_reminder_with_a_place_tells_a_text_only_adapter_both_commands(engine: Engine) -> None:
    text = engine.reply("I'm in Paris, remind me at 10pm").plain_text()
    assert "/timezone Paris" in text and "/remind 22:00" in text
    no_time = engine.reply("I'm in Lyon, set a reminder").plain_text()
    assert "/remind to pick a time" in no_time and "{" not in no_time


def test_a_place_is_kept_as_typed() -> None:
    assert as_written("asia kolkata", "set it to Asia/Kolkata please") == "Asia/Kolkata"
    assert as_written("zurich", "I'm in Zürich") == "zurich"  # accents lost: the normalised words are kept


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_the_recogniser_never_crashes_on_any_text(text: str) -> None:
    recogniser = ActionRecogniser(_KB.actions)
    found = recogniser.recognise(text)
    assert found is None or isinstance(found, Action)
    if found is not None and found.time is not None:
        hours, minutes = found.time.split(":")
        assert 0 <= int(hours) < 24 and 0 <= int(minutes) < 60


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="remind me at 0123456789:.hpam ton", max_size=60))
def test_times_typed_any_which_way_are_valid_or_absent(text: str) -> None:
    for lone_hour in (False, True):
        at = time_in(text, lone_hour=lone_hour)
        assert at is None or (len(at) == 5 and 0 <= int(at[:2]) < 24 and 0 <= int(at[3:]) < 60)


# ---- the engine's replies -----------------------------------------------------------------------------


def test_a_request_replies_with_its_action_and_the_text_from_the_yaml(engine: Engine) -> None:
    reply = engine.reply("remind me at 10pm")
    assert reply.action == Action(REMIND, time="22:00")
    assert "/remind 22:00" in reply.plain_text()
    assert reply.to_json()["action"] == {"do": "remind", "time": "22:00", "place": None}
    assert "/remind" in engine.reply("set a bedtime reminder").plain_text()
    assert "/timezone berlin" in engine.reply("change my time zone to berlin").plain_text()
    assert "/forget" in engine.reply("delete my data").plain_text()
    assert "/remind off" in engine.reply("stop reminders").plain_text()


def test_an_action_reply_still_carries_the_caveat_for_a_condition_named(engine: Engine) -> None:
    reply = engine.reply("I'm pregnant, remind me at 10pm")
    assert reply.action == Action(REMIND, time="22:00")
    assert reply.conditions == ["pregnancy"] and reply.caveats_first


def test_the_foot_map_and_safety_overview_come_as_text_with_their_action(engine: Engine) -> None:
    foot_map = engine.reply("show me the foot map")
    assert foot_map.action == Action(MAP) and foot_map.topic == "foot_map"
    assert "The little toe: Earache" in foot_map.plain_text()
    safety = engine.reply("safety info please")
    assert safety.action == Action(SAFETY) and set(safety.conditions) == {"pregnancy", "diabetes", "heart"}


def test_every_routine_reply_carries_the_routine_action(engine: Engine) -> None:
    for text in ("start tonight's routine", "walk me through it", "can you guide me step by step tonight"):
        reply = engine.reply(text)
        assert reply.kind is ReplyKind.ROUTINE and reply.action == Action(ROUTINE), text


def test_pregnancy_with_a_routine_request_gets_the_caveat_first_and_no_routine(engine: Engine) -> None:
    reply = engine.reply("I'm pregnant, start the routine")
    assert reply.kind is ReplyKind.SAFETY and reply.caveats_first and reply.action is None


def test_how_to_set_a_reminder_is_answered_not_carried_out(engine: Engine) -> None:
    for question in ("how do I set a reminder?", "how do reminders work", "how do i stop the reminders?"):
        reply = engine.reply(question)
        assert reply.topic == "how_to_remind" and reply.action is None, question
        assert "/remind" in reply.plain_text()


def test_the_word_matcher_alone_finds_how_to_set_a_reminder(kb: KnowledgeBase) -> None:
    """Until the topic model is retrained on the new entry, the word matcher answers it."""
    matcher_only = Engine(kb, model=None)
    assert matcher_only.reply("how do I set a reminder?").topic == "how_to_remind"
    assert matcher_only.reply("how do reminders work?").topic == "how_to_remind"


def test_the_fallback_offers_what_footbot_really_does(engine: Engine) -> None:
    fallback = engine.reply("blorft znagg wibble")
    assert fallback.kind is ReplyKind.FALLBACK
    assert "I can set a bedtime reminder" not in fallback.body and "/remind" in fallback.body


# ---- the loader checks actions.yaml -------------------------------------------------------------------

BROKEN_ACTIONS = """
    actions:
      openings: ['(?:please']
      requests:
        - do: remind
          patterns: ['remind me']
          reply: Use /remind.
          reply_at: Use /remind at {when}.
        - do: teleport
          patterns: ['beam me up']
          reply: No.
        - do: timezone
          if_known_place: ['i am in (?P<town>\\w+)']
          reply: Use /timezone.
          reply_at: Use /timezone {place}.
        - do: forget
          patterns: ['delete my data']
"""


def test_problems_in_actions_are_reported_with_file_and_line(tmp_path: Path) -> None:
    folder = write_knowledge(tmp_path / "knowledge", {**MINIMAL, "actions.yaml": BROKEN_ACTIONS})
    problems = [str(problem) for problem in check_knowledge(folder)]
    text = "\n".join(problems)
    assert "bad regular expression '(?:please'" in text
    assert "unknown placeholder {when}" in text and "should name the time with {time}" in text
    assert "unknown action (use: remind" in text
    assert "the only named group allowed is (?P<place>...)" in text and "needs a (?P<place>...) group" in text
    assert "entry 'action forget' field 'reply': missing" in text
    assert all(problem.startswith("actions.yaml:") for problem in problems), problems
    assert any(problem.startswith("actions.yaml:5: entry 'action remind'") for problem in problems), problems


def test_knowledge_without_actions_recognises_none(minimal_dir: Path) -> None:
    engine = Engine(load_knowledge(minimal_dir))
    assert engine.reply("remind me at 10pm").action is None


def test_a_curator_adds_a_way_of_asking_without_python(tmp_path: Path) -> None:
    actions = textwrap.dedent("""
        actions:
          openings: ['please']
          requests:
            - do: remind
              patterns: ['nag me\\b']
              reply: Use /remind.
              reply_at: Use /remind {time}.
    """)
    folder = write_knowledge(tmp_path / "knowledge", {**MINIMAL, "actions.yaml": actions})
    engine = Engine(load_knowledge(folder))
    reply = engine.reply("please nag me at 9pm")
    assert reply.action == Action(REMIND, time="21:00") and reply.body == "Use /remind 21:00."


# ---- safety comes first ------------------------------------------------------------------------------

REQUESTS = ["remind me at 10pm", "show me the foot map", "stop reminders", "delete my data", "start the routine"]
CONDITIONS = {"i'm pregnant": "pregnancy", "i am diabetic": "diabetes", "i have a heart condition": "heart"}


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(REQUESTS), st.sampled_from(sorted(CONDITIONS)), st.booleans())
def test_a_request_never_drops_the_caveat_of_a_condition_named(request: str, said: str, first: bool) -> None:
    text = f"{said}, {request}" if first else f"{request}. {said}"
    reply = _ENGINE.reply(text)
    assert CONDITIONS[said] in reply.conditions, (text, reply)


def test_an_emergency_comes_before_any_request(engine: Engine) -> None:
    reply = engine.reply("I have crushing chest pain, remind me at 10pm")
    assert reply.kind is ReplyKind.RED_FLAG and reply.action is None


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("I'm in Mumbai", "Mumbai"),  # no zone's name: /timezone finds it (it got "Sorry, I don't know that one")
        ("We moved to Rio de Janeiro", "Rio de Janeiro"),
        ("I'm in London", "London"),
        ("I'm in Love", None),  # written like a name, but no place
        ("I am in Hospital", None),
        ("I'm in The Office", None),
        ("im in mumbai", None),  # not written as a name: never guessed from a chat
        ("im in london btw", "london"),  # a "btw" after it: it got "The guide I follow doesn't cover that"
        ("I'm in Mumbai by the way", "Mumbai"),
        ("I'm in Love btw", None),
    ],
)
def test_saying_where_you_are_sets_the_time_zone_when_it_is_written_as_a_place(
    recogniser: ActionRecogniser, text: str, place: str | None
) -> None:
    found = recogniser.recognise(text)
    assert (found.place if found is not None and found.do is ActionKind.TIMEZONE else None) == place


@pytest.mark.parametrize(
    ("said", "minutes"),
    [
        ("an hour later", 60),
        ("2 hours later", 120),
        ("half an hour earlier", -30),
        ("push it back 20 mins", 20),
        ("bring it forward a quarter of an hour", -15),
        ("later by 15 minutes", 15),
        ("one hr sooner", -60),
        ("an hour", None),  # no way to move it
        ("13 hours later", None),  # more than half a day: a new time, said as one
        ("push it back an hour and a half", 90),  # it moved the reminder by an hour
        ("one and a half hours later", 90),
        ("an hour and 15 minutes earlier", -75),  # it moved the reminder by 15 minutes
        ("2 hours 30 mins later", 150),
        ("1 1 2 hours later", None),  # "1 1/2 hours": not understood, so not guessed as "2 hours"
        ("an hour 70 minutes later", None),
        ("a bit later", None),  # an amount not said: the caller asks for the time
    ],
)
def test_a_shift_is_an_amount_and_a_way_to_move(said: str, minutes: int | None) -> None:
    assert shift_in(said) == minutes


def test_a_decimal_amount_moves_only_when_typed_with_a_decimal_point() -> None:
    # "1.5 hours later" and "3-5 hours later" both normalise to "1 5"/"3 5 hours later"; the first moved by 5 hours.
    assert shift_in("1 5 hours later", "1.5 hours later") == 90
    assert shift_in("1 5 hours later", "1,5 hours later") == 90
    assert shift_in("3 5 hours later", "3-5 hours later") is None


def test_back_or_forward_by_a_vague_amount_needs_a_verb_that_moves_as_a_said_amount_does() -> None:
    assert not vague_shift_in("back a bit")  # "brb"-like: no move
    assert vague_shift_in("push it back a bit") and vague_shift_in("a bit later")


def test_only_a_shift_allows_the_asides_of_a_time_but_nothing_said_besides(engine: Engine) -> None:
    asides = engine.follow_ups.time_asides  # from conversation.yaml
    assert only_a_shift("could you push it back half an hour please", asides)
    assert not only_a_shift("could you push it back half an hour please")  # no asides: the polite words are more
    assert not only_a_shift("i went to bed an hour later than usual", asides)


def test_a_shift_is_in_the_json_only_when_a_reminder_is_moved() -> None:
    assert "shift" not in Action(ActionKind.REMIND, time="22:00").to_json()
    assert Action(ActionKind.REMIND, shift=-30).to_json() == {"do": "remind", "time": None, "place": None, "shift": -30}
