"""Checks of the knowledge that need its readers built: `footbot kb check` runs them once the YAML loads cleanly.

A safety rule can be valid YAML and a valid regular expression and still be wrong: a heart term "massage", or a
red-flag term "toe", would put a caveat (or the emergency reply) on nearly every question. The guide's own
questions (the phrasings of entries that are no caution) rarely name a condition, so a rule firing on many of
them is too broad.
"""

from __future__ import annotations

from bot.core.engine import Engine
from bot.core.knowledge import EntryKind

# Shares of the guide's own questions a rule may fire on. On the shipped knowledge: pregnancy about 1% ("edema during
# pregnancy"), diabetes 0.1%, heart and red flags none; a term like "massage" or "toe" reaches 15 to 30%.
MAX_CAVEAT_SHARE = 0.05
MAX_RED_FLAG_SHARE = 0.01
EXAMPLES_SHOWN = 3


def overbroad_safety_rules(engine: Engine) -> list[str]:
    """One line for each condition whose caveat (or the emergency reply) fires on too many of the guide's own
    questions, with a few of them, so the curator can find the term, pattern or `not_when` to mend."""
    kb = engine.kb
    cautions = set(kb.caution_conditions()) | set(kb.safety_questions.cautions)
    questions = [
        phrasing
        for entry in kb.entries
        if entry.kind is EntryKind.ANSWER and entry.id not in cautions
        for phrasing in entry.phrasings
    ]
    fired: dict[str, list[str]] = {}
    for question in questions:
        conditions, red_flag = engine.safety.scan(question)
        for owner in (*(condition.value for condition in conditions), *(("red_flags",) if red_flag else ())):
            fired.setdefault(owner, []).append(question)
    lines = []
    for owner, hits in fired.items():
        limit = MAX_RED_FLAG_SHARE if owner == "red_flags" else MAX_CAVEAT_SHARE
        if len(hits) > limit * len(questions):
            what = "the emergency reply" if owner == "red_flags" else f"the {owner} caveat"
            examples = "; ".join(f"'{hit}'" for hit in hits[:EXAMPLES_SHOWN])
            lines.append(
                f"safety.yaml: {owner}: {what} fires on {len(hits)} of the guide's own {len(questions)} questions "
                f"(at most {limit:.0%} expected), e.g. {examples}: is a term or pattern too broad?"
            )
    return lines
