"""What kind of follow-up a message is ("why?", "and after that?", "how do I massage it?", "and the little one?").

Only the shape of the message is read here, from the phrases in conversation.yaml; the engine resolves it
against the chat's context, and only when there is one.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from bot.core.knowledge import ConversationRules


class FollowUpKind(StrEnum):
    WHY = "why"  # "why?": the reason behind the last answer
    MORE = "more"  # "tell me more"
    NEXT = "next"  # "and after that?": the routine step after the last one
    AFTER = "after"  # "what comes after the sole?": the step after the one named
    HOW = "how"  # "how should I massage them?": how to work the last topic
    CONTINUATION = "continuation"  # "and the little one?", "what about the liver": like the last topic
    REFERENCE = "reference"  # any other message with a word pointing back ("is that for the lungs too?")


class FollowUp(NamedTuple):
    kind: FollowUpKind
    rest: str = ""  # what the message says after its follow-up phrase ("the sole" in "what comes after the sole")


class FollowUpReader:
    """Recognises follow-ups by their phrases; knows nothing of the conversation."""

    def __init__(self, rules: ConversationRules) -> None:
        self._whole = {
            **{phrase: FollowUpKind.HOW for phrase in rules.how_alone},
            **{phrase: FollowUpKind.NEXT for phrase in rules.next},
            **{phrase: FollowUpKind.MORE for phrase in rules.more},
            **{phrase: FollowUpKind.WHY for phrase in rules.why},
        }
        by_length = lambda phrases: tuple(sorted(set(phrases), key=len, reverse=True))  # noqa: E731
        self._after = by_length(rules.after)
        self._after_starts = frozenset(phrase.split()[0] for phrase in self._after)
        self._how = by_length(rules.how)
        self._continuations = by_length(rules.continuations)
        self._references = frozenset(rules.references)
        self._fillers = by_length(rules.fillers)
        # First words of every phrase: most messages start with none of them and are passed over at once.
        self._starts = frozenset(
            phrase.split()[0]
            for phrase in (*self._whole, *self._after, *self._how, *self._continuations, *self._fillers)
        )

    def read(self, normalised: str, words: list[str] | None = None, history: bool = True) -> FollowUp | None:
        """The follow-up a normalised message is (`words`: its split, when already made), or None when it
        reads as a message of its own. Without `history` only "what comes after the sole?" and "and then?" can be."""
        words = words if words is not None else normalised.split()
        if not history:
            if self._whole.get(normalised) is FollowUpKind.NEXT:
                return FollowUp(FollowUpKind.NEXT)
            rest = _after_prefix(normalised, self._after) if words[0] in self._after_starts else None
            return FollowUp(FollowUpKind.AFTER, rest) if rest else None
        points_back = not self._references.isdisjoint(words)
        if not points_back and words[0] not in self._starts:
            return None  # most messages
        normalised = self._without_fillers(normalised)
        whole = self._whole.get(normalised)
        if whole is not None:
            return FollowUp(whole)
        rest = _after_prefix(normalised, self._after)
        if rest:
            return FollowUp(FollowUpKind.AFTER, rest)
        if points_back and _after_prefix(normalised, self._how) is not None:
            return FollowUp(FollowUpKind.HOW)
        rest = _after_prefix(normalised, self._continuations)
        if rest:
            return FollowUp(FollowUpKind.CONTINUATION, rest)
        if points_back:
            return FollowUp(FollowUpKind.REFERENCE)
        return None

    def _without_fillers(self, normalised: str) -> str:
        """Fillers at the start are dropped, one after another: "ok, and then what" reads as "and then what"."""
        while True:
            rest = _after_prefix(normalised, self._fillers)
            if not rest:  # no filler, or nothing but a filler ("ok" is a message of its own)
                return normalised
            normalised = rest


def _after_prefix(normalised: str, phrases: tuple[str, ...]) -> str | None:
    """What follows the longest phrase the text starts with ("" when the phrase is all of it); None if none."""
    for phrase in phrases:
        if normalised == phrase:
            return ""
        if normalised.startswith(phrase) and normalised[len(phrase)] == " ":
            return normalised[len(phrase) + 1 :]
    return None
