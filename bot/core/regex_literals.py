"""Which plain text a regular expression cannot match without, so a curator's pattern is only run when it could
match: scanning text with a large regex costs Python far more than a few substring checks.
"""

from __future__ import annotations

import re
import re._parser as sre_parse  # the standard library's own regex parser
from re._constants import (
    BRANCH,
    LITERAL,
    MAX_REPEAT,
    MIN_REPEAT,
    SUBPATTERN,
)

MIN_LITERAL = 2  # a single letter rules out too little to be worth checking

Requirement = frozenset[str]  # a match contains at least one of these strings


def required_texts(pattern: str) -> tuple[Requirement, ...]:
    """Requirements that every match of `pattern` meets, all of them, most selective first; () if none known."""
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, TypeError, ValueError):
        return ()
    requirements = _requirements(parsed)
    if parsed.state.flags & re.IGNORECASE:
        requirements = [frozenset(text.lower() for text in strings) for strings in requirements]
    return tuple(sorted(set(requirements), key=_selectivity, reverse=True))


def required_text(pattern: str) -> Requirement | None:
    """The single most selective requirement of `pattern`, or None."""
    requirements = required_texts(pattern)
    return requirements[0] if requirements else None


def _selectivity(strings: Requirement) -> tuple[int, int]:
    """Longer shortest string first, then fewer alternatives: the likelier to rule a text out."""
    return (min(map(len, strings)), -len(strings))


def _requirements(sequence: sre_parse.SubPattern) -> list[Requirement]:
    """Every requirement of a sequence: each of its parts that must appear, and must contain known text."""
    requirements: list[Requirement] = []
    run: list[str] = []

    def close_run() -> None:
        if len(run) >= MIN_LITERAL:
            requirements.append(frozenset({"".join(run)}))
        run.clear()

    for op, argument in sequence:
        if op is LITERAL:
            run.append(chr(argument))
            continue
        prefix = [(LITERAL, ord(letter)) for letter in run]  # the parser moves a shared start out of a branch
        close_run()
        if op is SUBPATTERN:
            requirements += _requirements(argument[3])
        elif op is BRANCH:
            branches = [_best(_requirements([*prefix, *branch])) for branch in argument[1]]
            if all(branch is not None for branch in branches):
                requirements.append(frozenset().union(*branches))  # type: ignore[arg-type]
        elif op in (MAX_REPEAT, MIN_REPEAT) and argument[0] >= 1:
            requirements += _requirements(argument[2])
        # anything else (zero-width assertions, classes, optional parts) requires no known text
    close_run()
    return requirements


def _best(requirements: list[Requirement]) -> Requirement | None:
    return max(requirements, key=_selectivity) if requirements else None
