"""Sending each night's reminder exactly once: a claim recorded before the message goes out, and what became of it.

A claim records (chat, night) in `deliveries` and moves the person's next due in one transaction; the primary key
makes a second claim, by this or another process, fail. Records are kept DELIVERY_RECORD_DAYS: only as long as
their night matters.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from bot.reminders import schedule
from bot.store.reminders import SELECT_PERSON, Reminders, parse_time

logger = logging.getLogger(__name__)

DELIVERY_RECORD_DAYS = 3  # a night's record only has to outlive that night


@dataclass(frozen=True, slots=True)
class Claim:
    """A reminder taken for sending: recorded before the message goes out, so it can never go twice."""

    chat_id: int
    night: date
    due: int
    next_due: int | None  # what next_due became (None for a snooze)
    snooze: bool = False


class Deliveries(Reminders):
    """Which reminders and snoozes are due, claiming them for sending, and recording how the send went."""

    def due_reminders(self, now: int, limit: int | None = None) -> list[int]:
        """Chats whose reminder is due at `now`, oldest first."""
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT chat_id FROM people WHERE next_due <= ? ORDER BY next_due LIMIT ?",
                (now, -1 if limit is None else limit),
            ).fetchall()
        return [row[0] for row in rows]

    def due_snoozes(self, now: int, limit: int | None = None) -> list[int]:
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT chat_id FROM people WHERE snooze_due <= ? ORDER BY snooze_due LIMIT ?",
                (now, -1 if limit is None else limit),
            ).fetchall()
        return [row[0] for row in rows]

    def skip_overdue(self, now: int, limit: int = 1000) -> int:
        """Move reminders 30 minutes late or more (missed while the bot was down) on to their next night.

        Done in bulk before a sweep sends anything, so a long outage costs no send slots. At most
        `limit` per call, to keep each transaction short; returns how many were moved.
        """
        cutoff = now - schedule.CATCH_UP_LIMIT_SECONDS
        with self._writing() as conn:
            rows = conn.execute(
                """SELECT chat_id, remind_at, zone, next_due FROM people
                   WHERE next_due <= ? ORDER BY next_due LIMIT ?""",
                (cutoff, limit),
            ).fetchall()
            moves = []
            for chat_id, remind_at, zone, due in rows:
                if remind_at is None:
                    moves.append((None, chat_id, due))
                    continue
                decision = schedule.decide(parse_time(remind_at), schedule.zone_named(zone), due, now)
                moves.append((decision.next_due, chat_id, due))
            conn.executemany("UPDATE people SET next_due = ? WHERE chat_id = ? AND next_due = ?", moves)
            conn.execute("UPDATE people SET snooze_due = NULL WHERE snooze_due <= ?", (cutoff,))
        if moves:
            logger.info("Skipped %d reminder(s) missed by 30 minutes or more", len(moves))
        return len(moves)

    def claim(self, chat_id: int, now: int) -> Claim | None:
        """Take tonight's reminder for sending, or None if it is not due, already sent, or too late.

        In one transaction: record (chat, night) in `deliveries` and move `next_due` to the following
        night. The primary key on (chat, night) makes a second claim, by this or another process, fail.
        A reminder 30 minutes late or more is skipped (next_due still moves on).
        """
        with self._writing() as conn:
            row = conn.execute(SELECT_PERSON, (chat_id,)).fetchone()
            if row is None or not row[4] or row[5] is None or row[5] > now or row[1] is None:
                return None
            zone = schedule.zone_named(row[2])
            decision = schedule.decide(parse_time(row[1]), zone, row[5], now)
            conn.execute("UPDATE people SET next_due = ? WHERE chat_id = ?", (decision.next_due, chat_id))
            if not decision.send:
                logger.info("Reminder %d min late after downtime: skipped that night", decision.late_by // 60)
                return None
            inserted = conn.execute(
                """INSERT INTO deliveries (chat_id, night, status, claimed_at) VALUES (?, ?, 'claimed', ?)
                   ON CONFLICT DO NOTHING""",
                (chat_id, decision.night.isoformat(), now),
            ).rowcount
            if not inserted:
                return None
            return Claim(chat_id, decision.night, decision.due, decision.next_due)

    def claim_snooze(self, chat_id: int, now: int) -> Claim | None:
        """Take a due snooze for sending (at most once: the snooze is cleared in the same transaction)."""
        with self._writing() as conn:
            row = conn.execute("SELECT snooze_due, zone FROM people WHERE chat_id = ?", (chat_id,)).fetchone()
            if row is None or row[0] is None or row[0] > now:
                return None
            conn.execute("UPDATE people SET snooze_due = NULL WHERE chat_id = ?", (chat_id,))
            if schedule.late_by(row[0], now) >= schedule.CATCH_UP_LIMIT_SECONDS:
                return None
            night = schedule.night_of(row[0], schedule.zone_named(row[1]))
            return Claim(chat_id, night, row[0], None, snooze=True)

    def mark_sent(self, claim: Claim) -> None:
        self._set_status(claim, "sent")

    def mark_uncertain(self, claim: Claim) -> None:
        """The send may or may not have arrived (a timeout after the request left): never retried."""
        self._set_status(claim, "uncertain")

    def mark_failed(self, claim: Claim) -> None:
        """Telegram refused this message for a reason retrying will not fix; that night is given up."""
        self._set_status(claim, "failed")

    def release(self, claim: Claim) -> None:
        """The send surely failed (Telegram said so, or it never connected): let a later sweep retry it.

        Only undoes the claim if nothing changed meanwhile (the person may have set a new time or
        stopped reminders between the claim and now).
        """
        with self._writing() as conn:
            if claim.snooze:
                conn.execute(
                    "UPDATE people SET snooze_due = ? WHERE chat_id = ? AND enabled = 1 AND snooze_due IS NULL",
                    (claim.due, claim.chat_id),
                )
                return
            conn.execute(
                "DELETE FROM deliveries WHERE chat_id = ? AND night = ? AND status = 'claimed'",
                (claim.chat_id, claim.night.isoformat()),
            )
            conn.execute(
                "UPDATE people SET next_due = ? WHERE chat_id = ? AND enabled = 1 AND next_due = ?",
                (claim.due, claim.chat_id, claim.next_due),
            )

    def still_wanted(self, claim: Claim) -> bool:
        """Whether the person still has reminders on: a send waiting out Telegram's 429 is dropped when they were
        turned off meanwhile."""
        person = self.person(claim.chat_id)
        return person is not None and person.enabled

    def last_sent_at(self, chat_id: int) -> int | None:
        """When the chat's latest reminder was taken for sending (records last DELIVERY_RECORD_DAYS), or None."""
        with self._reading() as conn:
            row = conn.execute("SELECT max(claimed_at) FROM deliveries WHERE chat_id = ?", (chat_id,)).fetchone()
        return row[0] if row else None

    def retire(self, claim: Claim) -> None:
        """The chat is gone or blocked us: stop its reminders (the person can /remind again)."""
        self._set_status(claim, "undeliverable")
        self.disable_reminder(claim.chat_id)

    def prune_deliveries(self, now: int) -> int:
        """Drop delivery records old enough that their night is long over."""
        with self._writing() as conn:
            return conn.execute(
                "DELETE FROM deliveries WHERE claimed_at < ?", (now - DELIVERY_RECORD_DAYS * 86400,)
            ).rowcount

    def delivery_status(self, chat_id: int, night: date) -> str | None:
        with self._reading() as conn:
            row = conn.execute(
                "SELECT status FROM deliveries WHERE chat_id = ? AND night = ?", (chat_id, night.isoformat())
            ).fetchone()
        return row[0] if row else None

    def _set_status(self, claim: Claim, status: str) -> None:
        if claim.snooze:
            return
        with self._writing() as conn:
            conn.execute(
                "UPDATE deliveries SET status = ? WHERE chat_id = ? AND night = ?",
                (status, claim.chat_id, claim.night.isoformat()),
            )
