"""People and their reminders: the local time, the zone, on or off, a pending snooze, and when one is next due.

What is stored about a person is only what sending the reminder needs: chat id, local time, zone, whether the zone
was confirmed, on/off, the next due instant and a pending snooze. When a reminder falls due is worked out by
`bot.reminders.schedule`; this module keeps the answer.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import time

from bot.reminders import schedule
from bot.store.database import Database

DEFAULT_ZONE = "UTC"  # assumed (and said so) until the person tells us theirs
OFF_BEDTIME_SECONDS = 3 * 3600  # a reminder sent this long before the new zone's hour was not at bedtime there


@dataclass(frozen=True, slots=True)
class Person:
    """Everything stored about one chat."""

    chat_id: int
    remind_at: time | None
    zone: str
    zone_confirmed: bool
    enabled: bool
    next_due: int | None
    snooze_due: int | None


# One person's row, in Person's field order; claiming a reminder (deliveries.py) reads it too.
SELECT_PERSON = """SELECT chat_id, remind_at, zone, zone_confirmed, enabled, next_due, snooze_due
                    FROM people WHERE chat_id = ?"""


class Reminders(Database):
    """Setting, moving, snoozing and stopping a person's daily reminder."""

    def person(self, chat_id: int) -> Person | None:
        with self._reading() as conn:
            row = conn.execute(SELECT_PERSON, (chat_id,)).fetchone()
        return _person(row) if row else None

    def set_reminder(self, chat_id: int, at: time, now: int) -> Person:
        """Turn on the daily reminder at local time `at`; the next due is tonight's, unless it was sent."""
        with self._writing() as conn:
            self._upsert_reminder(conn, chat_id, at, now)
            return _person(conn.execute(SELECT_PERSON, (chat_id,)).fetchone())

    def set_reminders(self, reminders: Iterable[tuple[int, time]], now: int) -> int:
        """`set_reminder` for many chats in one transaction (imports, benchmarks); returns how many."""
        count = 0
        with self._writing() as conn:
            for chat_id, at in reminders:
                self._upsert_reminder(conn, chat_id, at, now)
                count += 1
        return count

    def _upsert_reminder(self, conn: sqlite3.Connection, chat_id: int, at: time, now: int) -> None:
        row = conn.execute("SELECT zone FROM people WHERE chat_id = ?", (chat_id,)).fetchone()
        zone = row[0] if row else DEFAULT_ZONE
        conn.execute(
            """INSERT INTO people (chat_id, remind_at, zone, enabled, next_due) VALUES (?, ?, ?, 1, ?)
               ON CONFLICT (chat_id) DO UPDATE SET remind_at = excluded.remind_at, enabled = 1,
               next_due = excluded.next_due""",
            (chat_id, _format_time(at), zone, self._next_unsent(conn, chat_id, at, zone, now)),
        )

    def disable_reminder(self, chat_id: int) -> bool:
        """Turn the reminder (and any snooze) off; the time and zone are kept for next time."""
        with self._writing() as conn:
            changed = conn.execute(
                """UPDATE people SET enabled = 0, next_due = NULL, snooze_due = NULL
                   WHERE chat_id = ? AND (enabled = 1 OR snooze_due IS NOT NULL)""",
                (chat_id,),
            ).rowcount
        return changed > 0

    def set_zone(self, chat_id: int, zone: str, now: int) -> Person:
        """Set the person's zone (confirmed) and move a running reminder to the same local time there."""
        with self._writing() as conn:
            row = conn.execute(SELECT_PERSON, (chat_id,)).fetchone()
            following = None
            if row and row[4] and row[1]:
                if not row[3] and row[2] != zone:  # the zone was only assumed (UTC) until now
                    self._forget_a_send_off_bedtime(conn, chat_id, parse_time(row[1]), zone, now)
                following = self._next_unsent(conn, chat_id, parse_time(row[1]), zone, now)
            conn.execute(
                """INSERT INTO people (chat_id, zone, zone_confirmed) VALUES (?, ?, 1)
                   ON CONFLICT (chat_id) DO UPDATE SET zone = excluded.zone, zone_confirmed = 1,
                   next_due = CASE WHEN enabled = 1 THEN ? ELSE next_due END""",
                (chat_id, zone, following),
            )
            return _person(conn.execute(SELECT_PERSON, (chat_id,)).fetchone())

    def snooze(self, chat_id: int, until: int) -> bool:
        """Send the reminder again at `until` (one pending snooze per person; a new one replaces it). Only for
        someone whose reminders are on: a Snooze button pressed after /forget or "stop" stores nothing. Returns
        whether it was snoozed."""
        with self._writing() as conn:
            return (
                conn.execute(
                    "UPDATE people SET snooze_due = ? WHERE chat_id = ? AND enabled = 1", (until, chat_id)
                ).rowcount
                > 0
            )

    def count_reminders(self) -> int:
        with self._reading() as conn:
            return int(conn.execute("SELECT count(*) FROM people WHERE enabled = 1").fetchone()[0])

    @staticmethod
    def _forget_a_send_off_bedtime(conn: sqlite3.Connection, chat_id: int, at: time, zone_name: str, now: int) -> None:
        """The first zone set after tonight's reminder came at the assumed zone's hour (22:30 UTC is 15:30 in Los
        Angeles): that send was not at bedtime here, so it no longer counts as tonight's, and the reminder still comes
        tonight. A send near the new zone's hour still counts; a zone the person chose before never gives a night a
        second reminder (Berlin's came, then New York is set: the next is tomorrow's)."""
        zone = schedule.zone_named(zone_name)
        due = schedule.next_due_after(at, zone, now)
        night = schedule.night_of(due, zone).isoformat()
        row = conn.execute("SELECT claimed_at FROM deliveries WHERE chat_id = ? AND night = ?", (chat_id, night))
        sent = row.fetchone()
        if sent is not None and due - sent[0] > OFF_BEDTIME_SECONDS:
            conn.execute("DELETE FROM deliveries WHERE chat_id = ? AND night = ?", (chat_id, night))

    @staticmethod
    def _next_unsent(conn: sqlite3.Connection, chat_id: int, at: time, zone_name: str, now: int) -> int:
        """The next due instant after `now` whose night has not had its reminder yet."""
        zone = schedule.zone_named(zone_name)
        sent = {row[0] for row in conn.execute("SELECT night FROM deliveries WHERE chat_id = ?", (chat_id,)).fetchall()}
        due = schedule.next_due_after(at, zone, now)
        while schedule.night_of(due, zone).isoformat() in sent:
            due = schedule.next_due_after(at, zone, due)
        return due


def _person(row: tuple[object, ...]) -> Person:
    chat_id, remind_at, zone, confirmed, enabled, next_due, snooze_due = row
    return Person(
        chat_id=int(chat_id),  # type: ignore[call-overload]
        remind_at=parse_time(str(remind_at)) if remind_at is not None else None,
        zone=str(zone),
        zone_confirmed=bool(confirmed),
        enabled=bool(enabled),
        next_due=int(next_due) if next_due is not None else None,  # type: ignore[call-overload]
        snooze_due=int(snooze_due) if snooze_due is not None else None,  # type: ignore[call-overload]
    )


def _format_time(at: time) -> str:
    return f"{at:%H:%M}"


def parse_time(stored: str) -> time:
    hours, minutes = stored.split(":")
    return time(int(hours), int(minutes))
