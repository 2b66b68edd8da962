"""What an unanswered message leaves in the miss counter: only the knowledge's own words, never health or contacts."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.engine import Engine
from bot.core.privacy import MASK, allowed_words, cut_addresses, mask_words, miss_text
from bot.core.replies import ReplyKind
from bot.core.text import normalise

RED_TEAM = "my name is Anna Smith, I'm HIV positive, call me at +44 7700 900123, can reflexology help?"


@pytest.fixture(scope="module")
def allowed(engine: Engine) -> frozenset[str]:
    return allowed_words(engine.kb)


def test_the_red_team_message_keeps_its_question_and_nothing_about_anna(engine: Engine) -> None:
    kept = miss_text(engine, RED_TEAM)
    assert kept is not None
    assert "reflexology help" in kept
    for leaked in ("anna", "smith", "hiv", "44", "7700", "900123"):
        assert leaked not in kept.split()
    assert "positive" not in kept  # "HIV positive": one masked run


@pytest.mark.parametrize(
    "text",
    [
        "I was born on 12/03/1985, can I massage my own feet?",
        "I take lithium for bipolar, does foot massage help sleep?",
        "my son Bartholomew has epilepsy, which toe helps?",
    ],
)
def test_dates_drugs_diagnoses_and_names_are_masked(engine: Engine, text: str) -> None:
    kept = miss_text(engine, text) or ""
    for leaked in ("12", "03", "1985", "lithium", "bipolar", "bartholomew", "epilepsy"):
        assert leaked not in kept.split()


@pytest.mark.parametrize(
    "text",
    [
        "I'm pregnant, can reflexology cure my cat?",  # a condition with a fallback reply
        "I have diabetes and I want to know about the moon",
        "my heart condition, what about bicycles",
        "chest pain and my feet hurt",  # a red flag
    ],
)
def test_a_message_naming_a_condition_or_a_red_flag_is_not_kept_at_all(engine: Engine, text: str) -> None:
    assert miss_text(engine, text) is None


def test_health_words_only_the_safety_rules_use_are_not_allowed(allowed: frozenset[str]) -> None:
    assert {"insulin", "warfarin", "pacemaker", "metformin"}.isdisjoint(allowed)
    assert {"reflexology", "toe", "sleep", "massage", "how", "long"} <= allowed


def test_addresses_and_handles_are_cut_before_their_parts_can_pass_as_words(engine: Engine) -> None:
    kept = miss_text(
        engine, "write to foot.care@example.com or see https://foot-massage.example/sleep @footfan, how long?"
    )
    assert kept == f"write to {MASK} or see {MASK} how long"


def test_a_message_with_no_knowledge_word_beyond_stopwords_is_not_kept(engine: Engine) -> None:
    assert miss_text(engine, "Anna Smith +44 7700 900123") is None
    assert miss_text(engine, "") is None


def test_masked_runs_collapse_so_a_names_length_is_not_kept(allowed: frozenset[str]) -> None:
    assert mask_words("can Anna Maria Louisa Smith massage", allowed) == f"can {MASK} massage"


# -- properties ----------------------------------------------------------------------------------------

_digits = st.text(alphabet="0123456789", min_size=3, max_size=6)
phone = st.builds(
    lambda country, parts, sep: f"+{country} " + sep.join(parts),
    st.integers(1, 999),
    st.lists(_digits, min_size=2, max_size=4),
    st.sampled_from([" ", "-", ".", ""]),
)
_label = st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True)
email = st.builds(lambda user, host, tld: f"{user}@{host}.{tld}", _label, _label, st.sampled_from(["com", "org", "co"]))
url = st.builds(
    lambda scheme, host, path: f"{scheme}{host}.com/{path}",
    st.sampled_from(["https://", "http://", "www.", ""]),
    _label,
    _label,
)
handle = st.builds(lambda name: f"@{name}", st.from_regex(r"[A-Za-z][A-Za-z0-9_]{3,15}", fullmatch=True))
_kb_words = ["can", "reflexology", "help", "my", "feet", "how", "long", "sleep", "toe", "massage", "call", "me", "at"]
filler = st.lists(st.sampled_from(_kb_words), max_size=6).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(before=filler, number=phone, after=filler)
def test_no_digit_of_a_phone_number_survives(engine: Engine, before: str, number: str, after: str) -> None:
    kept = miss_text(engine, f"{before} {number} {after}") or ""
    assert not re.search(r"\d", kept)


@settings(max_examples=150, deadline=None)
@given(before=filler, secret=st.one_of(email, url, handle), after=filler)
def test_no_email_url_or_handle_survives_even_in_part(engine: Engine, before: str, secret: str, after: str) -> None:
    kept = miss_text(engine, f"{before} {secret} {after}") or ""
    assert "@" not in kept and "://" not in kept
    # Every word of the secret that is not in the message around it is gone.
    around = set(normalise(f"{before} {after}").split())
    for word in normalise(secret).split():
        assert word in around or word not in kept.split()


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=120))
def test_whatever_is_kept_is_only_knowledge_words_and_masks(engine: Engine, text: str) -> None:
    kept = miss_text(engine, text)
    if kept is None:
        return
    words = kept.split()
    allowed = allowed_words(engine.kb)
    assert all(word == MASK or (word in allowed and not any(ch.isdigit() for ch in word)) for word in words)
    assert all(not (a == b == MASK) for a, b in pairwise(words))


@settings(max_examples=150, deadline=None)
@given(pick=st.integers(0, 10_000), kind=st.integers(0, 3), before=filler, after=filler)
def test_a_message_the_engine_answers_with_a_caveat_or_emergency_is_never_kept(
    engine: Engine, pick: int, kind: int, before: str, after: str
) -> None:
    terms = engine.kb.red_flags.terms if kind == 3 else engine.kb.conditions[kind].terms
    text = f"{before} {terms[pick % len(terms)]} {after}"
    reply = engine.reply(text)  # the adapter's view: what the person was told
    if reply.caveats or reply.kind is ReplyKind.RED_FLAG:
        assert miss_text(engine, text, reply) is None


def test_a_reply_with_a_caveat_keeps_nothing_though_the_rules_alone_read_no_condition(engine: Engine) -> None:
    """Found by the property above ("risks to my baby toe" read as the pregnancy caution; the lookalike "baby toe"
    now keeps the model's caution off it): the topic model reads the pregnancy caution into "is this your first
    baby?" and its caveat comes with it, while the safety rules alone read no condition; the reply decides."""
    text = "is this your first baby?"
    reply = engine.reply(text)
    assert reply.caveats and miss_text(engine, text) is not None
    assert miss_text(engine, text, reply) is None


def test_cut_addresses_leaves_ordinary_text_alone() -> None:
    assert cut_addresses("how long should it last") == "how long should it last"
