"""The update journal of the Telegram transport: no update is lost to a hard kill.

Updates fetched from Telegram are written here before they are handed to the handlers, so that a
hard kill loses none: at start the unhandled ones are handled. Raw update JSON (message text) is
kept only until its update is handled; then only the update id stays, to recognise Telegram's
redelivery of an update it was never told we had. Its own table, created by `open_journal` with
CREATE TABLE IF NOT EXISTS: no schema version of its own (the rows are transient).
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.store.database import Database


class UpdateJournal(Database):
    """Recording fetched Telegram updates, marking them started and handled, and replaying the unhandled."""

    def open_journal(self) -> None:
        """Create the journal table if missing (idempotent; called by the Telegram app at start)."""
        with self._writing() as conn:
            conn.execute(
                """CREATE TABLE IF NOT EXISTS update_journal (
                    update_id INTEGER PRIMARY KEY,
                    raw TEXT,                     -- the update as Telegram sent it; NULL once started
                    state INTEGER NOT NULL,       -- 0 fetched, 1 being handled, 2 handled
                    changed_at INTEGER NOT NULL   -- UTC epoch seconds of the last state change
                )"""
            )

    def journal_fetched(self, updates: list[tuple[int, str]], now: int, confirmed_below: int | None = None) -> set[int]:
        """Record a fetched batch [(update_id, raw JSON)] in one transaction; returns the ids that were new
        (the others were fetched before: a redelivery, not to be handled again). Ids below
        `confirmed_below` were confirmed to Telegram, which never sends them again: their rows go once
        handled."""
        with self._writing() as conn:
            if confirmed_below:
                conn.execute("DELETE FROM update_journal WHERE update_id < ? AND state = 2", (confirmed_below,))
            if not updates:
                return set()
            ids = [update_id for update_id, _ in updates]
            known = {
                row[0]
                for row in conn.execute(
                    f"SELECT update_id FROM update_journal WHERE update_id IN ({','.join('?' * len(ids))})", ids
                )
            }
            new = [(update_id, raw, now) for update_id, raw in updates if update_id not in known]
            conn.executemany("INSERT INTO update_journal VALUES (?, ?, 0, ?)", new)
        return {update_id for update_id, _, _ in new}

    def journal_started(self, update_ids: Iterable[int], now: int) -> None:
        """These updates are about to be handled: a reply may go out from here on, so after a crash they
        are not handled again (at most one reply). Their raw text is dropped now."""
        with self._writing() as conn:
            conn.executemany(
                "UPDATE update_journal SET state = 1, raw = NULL, changed_at = ? WHERE update_id = ? AND state = 0",
                [(now, update_id) for update_id in update_ids],
            )

    def journal_handled(self, update_ids: Iterable[int], now: int) -> None:
        with self._writing() as conn:
            conn.executemany(
                "UPDATE update_journal SET state = 2, raw = NULL, changed_at = ? WHERE update_id = ?",
                [(now, update_id) for update_id in update_ids],
            )

    def journal_unhandled(self) -> tuple[list[tuple[int, str]], list[int]]:
        """After a stop: ([(update_id, raw)] fetched but never started, oldest first; [ids] started but
        never finished, whose reply may or may not have gone out)."""
        with self._reading() as conn:
            rows = conn.execute("SELECT update_id, raw, state FROM update_journal WHERE state < 2 ORDER BY update_id")
            fetched, started = [], []
            for update_id, raw, state in rows.fetchall():
                if state == 0 and raw is not None:
                    fetched.append((int(update_id), str(raw)))
                else:
                    started.append(int(update_id))
        return fetched, started

    def journal_prune(self, older_than: int) -> int:
        """Forget handled update ids (and give up interrupted ones) last changed before `older_than`."""
        with self._writing() as conn:
            return conn.execute("DELETE FROM update_journal WHERE changed_at < ? AND state > 0", (older_than,)).rowcount

    def journal_size(self) -> tuple[int, int]:
        """(rows, rows still holding raw update JSON): for tests and the curious."""
        with self._reading() as conn:
            total, raw = conn.execute("SELECT count(*), count(raw) FROM update_journal").fetchone()
        return int(total), int(raw)
