"""Answers keep the article's own key words: real people ask in them, and a right reply is read for them.

A curator rewording an answer in our own words may drop the one term people search for ("the way up", "other
parts of the body"); the labelled real questions list such terms as the facts a right reply carries
(tests/sets/real_dev*.yaml, `facts`). These pin the ones real questions ask most.
"""

from __future__ import annotations

import pytest

from bot.core.engine import Engine


@pytest.mark.parametrize(
    ("entry_id", "words"),
    [
        ("what_is_reflexology", ["massage certain body parts", "other parts of the body", "different places"]),
        ("how_to_massage", ["way up", "way down", "toes", "ankles"]),
        ("healthy_subject", ["healthy", "good health", "information", "heart", "diabetes"]),
        ("benefit_muscles", ["loosen tight muscles", "cramps", "prolonged standing"]),
        ("foot_map", ["points", "body parts", "heart", "liver", "stomach", "ankles"]),
        ("benefits_overview", ["nerve endings", "mini-map", "circulation", "stress", "tension", "sleep"]),
        ("benefit_sleep", ["fall asleep", "stress", "tension", "sleep quality"]),
        ("benefit_circulation", ["swelling", "heavy legs", "circulation"]),
        # the half answer issue #11 names: asked how it helps in pregnancy, the caution alone left out the benefit
        ("pregnancy_caution", ["doctor", "strictly forbidden", "first three months", "swelling", "edema"]),
        ("pregnancy_benefit", ["swelling", "edema", "doctor", "first three months"]),
    ],
)
def test_an_answer_carries_the_articles_key_words(engine: Engine, entry_id: str, words: list[str]) -> None:
    answer = " ".join(engine.kb.entry(entry_id).answer.lower().split())
    assert [word for word in words if word not in answer] == []


@pytest.mark.parametrize(
    ("entry_id", "words"),
    [
        # its phrasings include cold feet and swelling after a flight, which the article never mentions
        ("benefit_circulation", ["nothing about cold feet", "one leg", "doctor"]),
        # asked about a child's earache or an ear infection: the article names neither
        ("little_toe", ["ear infections or children", "doctor"]),
        # asked whether feeling tired after a session is normal: the article never says
        ("why_sleepy", ["doesn't explain", "normal", "doctor"]),
        # the article gives the firmer-up, lighter-down strokes for the tops of the feet only
        ("oos_pain_during", ["tops of the feet"]),
    ],
)
def test_an_answer_says_what_the_guide_leaves_out_where_its_questions_reach_past_it(
    engine: Engine, entry_id: str, words: list[str]
) -> None:
    answer = " ".join(engine.kb.entry(entry_id).answer.split())
    assert [word for word in words if word not in answer] == []
