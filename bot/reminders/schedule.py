"""Wall-clock arithmetic for a daily reminder: when HH:MM is next due in a zone, across daylight saving.

All instants are whole UTC epoch seconds, so the store can index them and tests can pass any clock.
- Spring forward: a time that does not exist that night (02:30 in Berlin on the last Sunday of March)
  is due at the first minute that does exist after the gap (03:00 local).
- Fall back: a time that happens twice that night is due once, at its first occurrence.
- A "night" runs from noon to noon local time, so a reminder at 00:30 belongs to the evening before;
  at most one reminder is sent per person per night.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

logger = logging.getLogger(__name__)

CATCH_UP_LIMIT_SECONDS = 30 * 60  # a reminder this late (or later) is skipped for that night
_NIGHT_SHIFT = timedelta(hours=12)  # a night's date is the date of its noon-to-noon span's start


@lru_cache(maxsize=1024)
def zone_named(name: str) -> ZoneInfo:
    """The ZoneInfo for a stored name; UTC (logged) if the name is no longer known to tzdata."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        logger.warning("Unknown time zone %r in the store; using UTC", name)
        return ZoneInfo("UTC")


def due_on(day: date, at: time, zone: ZoneInfo) -> int:
    """The instant the reminder for local `day` at `at` is due (gap -> end of gap; repeat -> first)."""
    wall = datetime.combine(day, at)
    first = wall.replace(tzinfo=zone, fold=0)
    instant = _epoch(first)
    if _local_wall(instant, zone) == wall:
        return instant
    return _end_of_gap(wall, zone)


def next_due_after(at: time, zone: ZoneInfo, after: int) -> int:
    """The first instant strictly after `after` at which the daily reminder `at` is due."""
    start = datetime.fromtimestamp(after, zone).date() - timedelta(days=1)
    for offset in range(5):
        instant = due_on(start + timedelta(days=offset), at, zone)
        if instant > after:
            return instant
    raise AssertionError("a daily time always recurs within five days")  # pragma: no cover


def night_of(instant: int, zone: ZoneInfo) -> date:
    """The night an instant belongs to: the local date on which that noon-to-noon span began."""
    return (datetime.fromtimestamp(instant, zone).replace(tzinfo=None) - _NIGHT_SHIFT).date()


def late_by(due: int, now: int) -> int:
    """How many seconds after its due instant a reminder would go out now (0 if not yet due)."""
    return max(0, now - due)


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do with one due reminder: send it (or skip it as too late) and when it is due next."""

    night: date
    due: int
    next_due: int
    late_by: int
    send: bool


def decide(at: time, zone: ZoneInfo, due: int, now: int) -> Decision:
    """Send a due reminder unless it is 30 minutes late or more; either way move on to a later night."""
    lateness = late_by(due, now)
    following = next_due_after(at, zone, max(now, due))
    return Decision(
        night=night_of(due, zone),
        due=due,
        next_due=following,
        late_by=lateness,
        send=lateness < CATCH_UP_LIMIT_SECONDS,
    )


def _end_of_gap(wall: datetime, zone: ZoneInfo) -> int:
    """The first existing instant after a wall time skipped by a forward change of the clocks."""
    low = _epoch(wall.replace(tzinfo=zone, fold=1))  # read with the offset after the change
    high = _epoch(wall.replace(tzinfo=zone, fold=0))  # read with the offset before it
    low, high = min(low, high), max(low, high)
    # Before the change the local wall clock reads earlier than `wall`; from the change on, later.
    while low < high:
        middle = (low + high) // 2
        if _local_wall(middle, zone) < wall:
            low = middle + 1
        else:
            high = middle
    return low


def _local_wall(instant: int, zone: ZoneInfo) -> datetime:
    return datetime.fromtimestamp(instant, zone).replace(tzinfo=None)


def _epoch(moment: datetime) -> int:
    return int(moment.astimezone(UTC).timestamp())
