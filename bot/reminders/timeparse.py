"""Reading a reminder time the way people type it: "22:30", "10:30pm", "10.30 pm", "2230", "22h30"."""

from __future__ import annotations

import re
import unicodedata
from datetime import time

EXAMPLES = "22:30, 10:30pm, 10.30 pm, 2230 or 22h30"

# After normalising: hour, optional separator and two-digit minutes, optional am/pm.
_CLOCK = re.compile(
    r"(?P<hour>[0-9]{1,2})(?:(?:[:.h]|\s)?(?P<minute>[0-9]{2}))?\s*(?P<suffix>h|am|pm|a|p)?",
    re.ASCII,
)
_WORDS = {"noon": time(12, 0), "midday": time(12, 0), "midnight": time(0, 0)}


class TimeParseError(ValueError):
    """The text is not a time we can read; `str(error)` is a message fit to show the person.

    `choices` holds the readings of an ambiguous bare hour ("9" -> 21:00 or 09:00), evening first.
    """

    def __init__(self, message: str, choices: tuple[time, ...] = ()) -> None:
        super().__init__(message)
        self.choices = choices


_ANY_DIGIT = re.compile(r"\d")


def parse_time(text: str) -> time:
    """The clock time in `text`, or TimeParseError with an example of what works."""
    cleaned = _normalise(text)
    if not cleaned:
        raise TimeParseError(f"Tell me a time, for example /remind 22:30 (also {EXAMPLES}).")
    if cleaned in _WORDS:
        return _WORDS[cleaned]
    found = _CLOCK.fullmatch(cleaned)
    if found is None:
        raise TimeParseError(_not_understood(text))
    hour = int(found["hour"])
    minute = int(found["minute"]) if found["minute"] is not None else None
    suffix = found["suffix"]
    if minute is not None and minute > 59:
        raise TimeParseError(f"{minute} is not a minute (0 to 59). {_try_instead()}")
    if suffix in ("am", "a", "pm", "p"):
        return _twelve_hour(hour, minute or 0, afternoon=suffix.startswith("p"))
    if hour > 23:
        raise TimeParseError(f"{hour} is not an hour on a 24-hour clock (0 to 23). {_try_instead()}")
    if minute is None and suffix is None and 1 <= hour <= 12:
        # For a bedtime reminder the night reading comes first: "9" is 21:00, "12" is midnight.
        night, day = (time(0, 0), time(12, 0)) if hour == 12 else (time(hour + 12, 0), time(hour, 0))
        suffix_hint = "am" if hour == 12 else "pm"
        raise TimeParseError(
            f'"{hour}" could be day or night: try /remind {hour}{suffix_hint} or /remind {night:%H:%M}.',
            choices=(night, day),
        )
    return time(hour, minute or 0)


def format_time(at: time) -> str:
    """How a reminder time is shown back: always 24-hour, so there is no am/pm doubt."""
    return f"{at:%H:%M}"


def is_morning(at: time) -> bool:
    """A reminder between 04:00 and 11:59 is probably a slip for the evening; the reply says so."""
    return time(4, 0) <= at < time(12, 0)


def is_midday(at: time) -> bool:
    """12:00 to 12:59 ("12pm", "12:30 pm") is probably a slip for just after midnight; the reply says so."""
    return at.hour == 12


def _twelve_hour(hour: int, minute: int, *, afternoon: bool) -> time:
    if not 1 <= hour <= 12:
        raise TimeParseError(f"With am/pm the hour goes from 1 to 12. {_try_instead()}")
    return time(hour % 12 + (12 if afternoon else 0), minute)


def _normalise(text: str) -> str:
    # Full-width "２２：３０" (a Japanese or Chinese keyboard) as 22:30, and any script's digits ("٢٢:٣٠") as 0-9.
    text = _ANY_DIGIT.sub(lambda digit: str(unicodedata.digit(digit.group())), unicodedata.normalize("NFKC", text))
    cleaned = " ".join(text.lower().split())
    cleaned = cleaned.removeprefix("at ").strip()
    cleaned = re.sub(r"\b([ap])\.?\s?m\.?$", r"\1m", cleaned)  # "p.m.", "p. m." -> "pm"
    return re.sub(r"\s*(am|pm|a|p|h)$", r"\1", cleaned)


def _not_understood(text: str) -> str:
    shown = text.strip()[:40]
    return f'I could not read "{shown}" as a time. {_try_instead()}'


def _try_instead() -> str:
    return f"Try /remind 22:30 (also {EXAMPLES})."
