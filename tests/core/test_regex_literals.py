"""A curator's regex is skipped when the text lacks its required literals: that must never hide a real match."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.engine import Engine
from bot.core.regex_literals import required_text, required_texts


def test_required_text_of_simple_shapes() -> None:
    assert required_text(r"\bchest\s+(pain|pressure)") == {"chest"}
    assert required_text(r"\b(slurred|slurring)\b") == {"slurred", "slurring"}
    # The parser moves a shared start ("w") out of the branch; it still belongs to each alternative.
    assert required_texts(r"\b\d+\s*(weeks?|wks?)\b") == ({"week", "wk"},)
    assert required_text(r"\b(sudden|abrupt)\s+weak") in ({"sudden", "abrupt"}, {"weak"})
    assert required_text(r"(a|b)+") is None
    assert required_text(r"(?i)\bHEART\b") == {"heart"}
    assert required_text("(unclosed") is None
    assert required_texts(r"\bwith\s+child\b") == ({"child"}, {"with"})


def _knowledge_patterns() -> list[str]:
    kb = Engine.load().kb
    return [*(p for rule in kb.conditions for p in rule.patterns), *kb.red_flags.patterns]


@pytest.mark.parametrize("pattern", _knowledge_patterns())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_every_match_of_a_knowledge_pattern_contains_its_required_text(pattern: str, data: st.DataObject) -> None:
    text = data.draw(st.from_regex(pattern))
    for strings in required_texts(pattern):
        assert any(part in text for part in strings), (pattern, text, strings)
