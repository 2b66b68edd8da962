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
