"""Features asked for in words ("remind me at 10pm", "stop reminders"): the core names the request as an
`Action`; each adapter carries it out exactly as the matching command or button would.

The recogniser reads its phrasings from the knowledge YAML, so a curator adds ways of asking without Python.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class ActionKind(StrEnum):
    """What the person asked footbot to do (the `do` field of `footbot ask --json --chats`)."""

    REMIND = "remind"  # set a daily reminder at `time`; no time: offer the time menu
    REMIND_OFF = "remind_off"  # stop reminders
    ROUTINE = "routine"  # start tonight's routine, step by step
    FOOT_MAP = "foot_map"  # show the foot map (the picture, in Telegram)
    SAFETY = "safety"  # the safety overview
    TIMEZONE = "timezone"  # set the time zone to `place`
    FORGET = "forget"  # delete my data: always asks for confirmation first


class Action(NamedTuple):
    """A request for a feature; `time` is "HH:MM" for REMIND (None: ask), `place` as written for TIMEZONE."""

    do: ActionKind
    time: str | None = None
    place: str | None = None

    def to_json(self) -> dict[str, object]:
        return {"do": self.do.value, "time": self.time, "place": self.place}
