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
        "diabetic foot ulcer, what should i do",
        "I have a fever and the ulcer on my foot smells",
        "the cut on my toe turned purple",
        "i think i have cellulitis on my shin",
        "blinding headache and my rings won't come off my swollen fingers",
        "28 weeks pregnant with a bad headache and my face is puffy",
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
    ],
)
def test_everyday_questions_near_them_stay_calm(engine: Engine, text: str) -> None:
    assert engine.reply(text).kind is not ReplyKind.RED_FLAG
