"""Which plain text a regular expression cannot match without, so a curator's pattern is only run when it could
match: scanning text with a large regex costs Python far more than a few substring checks.
"""

from __future__ import annotations

import re
import re._parser as sre_parse  # the standard library's own regex parser
from re._constants import (
    ASSERT,
    ASSERT_NOT,
    AT,
    BRANCH,
    LITERAL,
    MAX_REPEAT,
    MIN_REPEAT,
    SUBPATTERN,
)

MIN_LITERAL = 3  # shorter runs ("im", "a") rule out too little to be worth checking


def required_text(pattern: str) -> frozenset[str] | None:
    """Strings of which every match of `pattern` contains at least one; None when no such set is known."""
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, TypeError, ValueError):
        return None
    required = _required(parsed)
    if required is not None and parsed.state.flags & re.IGNORECASE:
        required = frozenset(text.lower() for text in required)
    return required


def _required(sequence: sre_parse.SubPattern) -> frozenset[str] | None:
    candidates: list[frozenset[str]] = []
    run: list[str] = []

    def close_run() -> None:
        if len(run) >= MIN_LITERAL:
            candidates.append(frozenset({"".join(run)}))
        run.clear()

    for op, argument in sequence:
        if op is LITERAL:
            run.append(chr(argument))
            continue
        close_run()
        if op is SUBPATTERN:
            found = _required(argument[3])
        elif op is BRANCH:
            branches = [_required(branch) for branch in argument[1]]
            found = None if any(b is None for b in branches) else frozenset().union(*branches)  # type: ignore[arg-type]
        elif op in (MAX_REPEAT, MIN_REPEAT) and argument[0] >= 1:
            found = _required(argument[2])
        elif op in (AT, ASSERT, ASSERT_NOT):
            continue  # zero-width: requires no text
        else:
            found = None
        if found:
            candidates.append(found)
    close_run()
    if not candidates:
        return None
    # The most selective requirement: its shortest string is longest, then it has the fewest alternatives.
    return max(candidates, key=lambda strings: (min(map(len, strings)), -len(strings)))
