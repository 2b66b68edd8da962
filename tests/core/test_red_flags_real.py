"""Red flags that real people's questions raise (a red, hot, swollen foot; a clot; an infected or unhealing
diabetic wound; a fever with a wound; pre-eclampsia signs said without the word), and the everyday questions
beside them that must not sound an alarm."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine
from bot.core.replies import ReplyKind


@pytest.mark.parametrize(
    "text",
    [
        "my left foot swelled up overnight, it's red and hot",
        "my calf is swollen and there's redness and warmth around it",
        "I think I threw a clot in my leg",
        "my dad is diabetic and has a sore on his heel that won't heal",
        "why is one foot swollen and not the other?",
        "my left ankle is swollen but not the right one",
        "there's swelling in only one leg since yesterday",
        "I felt a lot of pressure on my chest and my upper arm ached",
        "he had a blister on his heel and now he has an infection",
        "diabetic foot ulcer, what should i do",
        "I have a fever and the ulcer on my foot smells",
        "the cut on my toe turned purple",
        "i think i have cellulitis on my shin",
        "blinding headache and my rings won't come off my swollen fingers",
        "28 weeks pregnant with a bad headache and my face is puffy",
        "part of my calf is red and hot to the touch",
        "mum is diabetic and her foot sores won't heal",
        "it feels like something heavy is pressing on my chest",
        "this headache won't go away and my vision went blurry",
        "I'm 30 weeks pregnant, should I go to hospital for a headache that won't go away?",
        "it's swollen and feels hot. Is this just another weird pregnancy thing?",
        "Should you massage a possible blood clot?",
        "Why is my left calf swollen and hard?",
        "is it ok to massage my mum's leg, she has a blood clot",
        "how dangerous is toe blackening in diabetics?",
        "what does a blood clot in the leg look like?",
        "can you rub blood clots out?",
        "why should you not massage a leg with DVT",
        "one-sided calf pain after a long flight, what could it be",
        "what to do for a pre-eclampsia symptom",
        "I'm diabetic and my foot is warm, swollen and red, could it be Charcot?",
        "a dull ache in my right calf since a 14-hour flight, and now the spot is warm to the touch and swollen",
        "I have type 1 diabetes and my toes are turning blueish",
        "why are my feet blue with diabetes?",
        "purple and painful feet in an older adult with diabetes",
        "my right leg is swollen but the left one isn't, I'm 33 weeks",
        "swelling in my left calf since yesterday",
        "my dad's leg swelling after his knee surgery keeps getting worse",
        "two weeks post op and my calves are swollen, can I massage them?",
        "the wound on her heel shows increasing pain and redness",
        "the ulcer on his toe has red streaks spreading from it",
        "swelling and redness in my lower leg since this morning",
        "redness and swelling around my ankle, what should I do?",
        "I'm 10 weeks pregnant and there's some bleeding, is that normal?",
        "some spotting today, could I be miscarrying? I'm pregnant",
        "am I having a miscarriage?",
        "how do I treat a non-healing heel wound? my mum is diabetic",
    ],
)
def test_an_urgent_problem_gets_emergency_care_first(engine: Engine, text: str) -> None:
    assert engine.reply(text).kind is ReplyKind.RED_FLAG


@pytest.mark.parametrize(
    "text",
    [
        "is foot massage good for swollen feet in the evening when they feel warm",
        "How to prevent a diabetic foot infection?",
        "my feet are red after a warm bath, is a massage ok",
        "what do I do about swollen ankles after a long day",
        "can a foot massage help my headache",
        "my feet are tired af, which toe first",
        "can a foot massage help prevent blood clots on long flights?",
        "my toes go purple in the cold, will a foot rub warm them?",
        "my feet feel hot at night, does massage help?",
        "my toenail polish is blackish, is that a problem for a massage?",
        "So, how can we overcome foot cramp right away?",
        "flirting with the idea of a foot rub before bed, where do I start?",
        "both legs swell a little after a long shift, which toe first?",
        "how do I help one leg feel less heavy after a run?",
        "I bled from a paper cut two weeks ago, which toe is for the brain?",
        "my gums were bleeding after flossing, which toes help teeth?",
        "my feet swell in the evening but not in the morning",
        "heavy chest day at the gym and my feet ache, which toe first?",
        "Can a stent get deformed by putting pressure on the chest from outside?",
        "how do I keep a blister from getting infected?",
    ],
)
def test_everyday_questions_near_them_stay_calm(engine: Engine, text: str) -> None:
    assert engine.reply(text).kind is not ReplyKind.RED_FLAG


@pytest.mark.parametrize(
    ("text", "condition"),
    [
        ("has anyone had a foot massage with AF?", "heart"),
        ("my client is due to have her baby in a few weeks, can I still do reflexology?", "pregnancy"),
        ("she's having her baby in May, is a foot rub ok", "pregnancy"),
        ("any tips to get my labour going?", "pregnancy"),
        ("restless legs keep me up and I haven't even had the baby yet!", "pregnancy"),
        ("can I keep doing this until the baby comes?", "pregnancy"),
        ("can a foot massage cause a miscarriage?", "pregnancy"),
        ("I'm scared to miscarry, is reflexology ok?", "pregnancy"),
        ("can it help bring on your little one's arrival?", "pregnancy"),
        ("What type of massage is good for the heart?", "heart"),
        ("can a foot massage nudge your baby into action?", "pregnancy"),
        ("can reflexology cause an abortion?", "pregnancy"),
        ("can an expecting mother use a foot spa safely?", "pregnancy"),
        ("so I am currently 19 weeks 1 day and so dizzy, is a foot rub ok?", "pregnancy"),
        ("is this ache normal or should I call my doctor or midwife?", "pregnancy"),
        ("how do I know if this ache warrants a 2 a.m. call to your doctor or midwife?", "pregnancy"),
        ("is foot massage bad for my heart", "heart"),
        ("can a foot rub really kick your body into labor mode?", "pregnancy"),
        ("can reflexology cause premature labour?", "pregnancy"),
        ("my doula suggested foot rubs, which toe first?", "pregnancy"),
        ("I'm planning an epidural, can I still have reflexology before?", "pregnancy"),
        ("the baby is breech, is there a point on the foot to turn it?", "pregnancy"),
        ("how do I know if I'm in labour or it's just cramps?", "pregnancy"),
        ("is maternity reflexology worth it?", "pregnancy"),
        ("any prenatal foot massage tips?", "pregnancy"),
        ("how long after a foot rub does labour start?", "pregnancy"),
        ("any tips for the two week wait? can reflexology help?", "pregnancy"),
        ("we're planning a home birth, is reflexology ok?", "pregnancy"),
        ("anything to move the process of labour along?", "pregnancy"),
        ("can I keep hiking with peripheral neuropathy?", "diabetes"),
    ],
)
def test_conditions_said_the_way_forums_say_them_keep_their_caveat(engine: Engine, text: str, condition: str) -> None:
    assert condition in engine.reply(text).conditions
