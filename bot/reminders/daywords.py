"""Which day the next reminder falls on, in words, by the person's own calendar.

A reminder's "night" runs noon to noon (see schedule.py), but people read "tonight" and "tomorrow" by
the date on their clock: /remind 22:00 at 10:25 is due tonight, and 00:30 set at 23:00 is due tomorrow.
So the words follow the local calendar date of the delivery against today's local date, which also
holds across a daylight-saving change (the zone gives each instant its own offset).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

EVENING_FROM_HOUR = 18  # a delivery today at or after this hour is "tonight"
SMALL_HOURS_UNTIL = 6  # ... and so is one before this hour (it is still night)
NAMED_WEEKDAY_WITHIN_DAYS = 6  # further ahead, the date is given too


def next_delivery_words(due: int, now: int, zone: ZoneInfo) -> str:
    """'tonight', 'today', 'tomorrow', 'on Thursday' or 'on Thu 19 Jun' for the delivery at `due`."""
    when = datetime.fromtimestamp(due, zone)
    days = (when.date() - datetime.fromtimestamp(now, zone).date()).days
    if days <= 0:
        return "tonight" if when.hour >= EVENING_FROM_HOUR or when.hour < SMALL_HOURS_UNTIL else "today"
    if days == 1:
        return "tomorrow"
    if days <= NAMED_WEEKDAY_WITHIN_DAYS:
        return f"on {when:%A}"
    return f"on {when:%a} {when.day} {when:%b}"
