"""The reply object: plain data that every adapter (Telegram, console, CLI JSON) renders its own way."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from bot.core.actions import Action
from bot.core.knowledge import Condition


class ReplyKind(StrEnum):
    ANSWER = "answer"  # a knowledge entry from the guide
    SMALLTALK = "smalltalk"  # greeting, thanks, who are you
    ROUTINE = "routine"  # the person asked to be walked through tonight's routine
    FALLBACK = "fallback"  # no answer: what we can help with, and suggestions
    SAFETY = "safety"  # the caveat is the answer (pregnancy with a routine request: no routine pushed)
    RED_FLAG = "red_flag"  # possible emergency: go to emergency care
    EMPTY = "empty"  # nothing to read (empty text, only emoji or punctuation)


@dataclass(frozen=True, slots=True)
class Caveat:
    """A condition's caveat; empty `text` when the reply's answer already says it (listed, not repeated)."""

    condition: Condition
    text: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A topic offered to the person; adapters show it as a button that answers when pressed."""

    topic: str
    label: str


class Reply(NamedTuple):
    """What the bot says to one message, before any formatting.

    `body` is the answer itself; caveats are kept apart so each adapter can set them off visibly,
    and put them first when `caveats_first` is set (pregnancy with a routine request; a red flag lists its conditions
    with empty texts, after the emergency reply).
    A named tuple: immutable like a frozen dataclass, and a tenth of the cost to make, once per message.
    """

    kind: ReplyKind
    body: str
    topic: str | None = None
    score: float = 0.0
    caveats: tuple[Caveat, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    credit: str | None = None
    caveats_first: bool = False
    topics: tuple[str, ...] = ()  # every entry the reply answers, in order (several questions in one message)
    action: Action | None = None  # a feature asked for in words; the adapter carries it out

    @property
    def conditions(self) -> list[str]:
        return [caveat.condition.value for caveat in self.caveats]

    def plain_text(self) -> str:
        """The whole reply as plain text, exactly what a user of a text-only adapter reads."""
        caveat_block = "\n\n".join(f"⚠️ {caveat.text}" for caveat in self.caveats if caveat.text)
        main = self.body if not self.credit else f"{self.body}\n\n{self.credit}"
        if self.suggestions:
            main += "\n" + "\n".join(f"• {suggestion.label}" for suggestion in self.suggestions)
        parts = [caveat_block, main] if self.caveats_first else [main, caveat_block]
        return "\n\n".join(part for part in parts if part)

    def to_json(self) -> dict[str, object]:
        """The `footbot ask --json` shape."""
        return {
            "text": self.plain_text(),
            "topic": self.topic,
            "score": round(self.score, 1),
            "caveats": self.conditions,
            "suggestions": [suggestion.label for suggestion in self.suggestions],
            "topics": list(self.topics) if self.topics else ([self.topic] if self.topic else []),
            "action": self.action.to_json() if self.action is not None else None,
        }
