"""The curator's miss counter: which questions went unanswered and how often, with nothing that says who asked.

Misses carry no user or chat id, and only what `bot.core.privacy` lets through (no condition or red-flag
message at all); they are dropped after MISS_KEEP_DAYS, and none are kept when FOOTBOT_RECORD_MISSES=0.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.store.database import Database

MAX_MISS_LENGTH = 200
MISS_KEEP_DAYS = 90


class Misses(Database):
    """Counting unanswered questions, dropping old ones, and listing the most frequent for the curator."""

    def record_miss(self, text: str | None, now: int | None = None) -> None:
        """Count one unanswered message by its redacted text (`bot.core.privacy.miss_text`); nothing links
        it to who asked. Does nothing when the counter is off (FOOTBOT_RECORD_MISSES=0)."""
        text = " ".join((text or "").split())[:MAX_MISS_LENGTH]
        if not text or not self.record_misses:
            return
        day = _day(now)
        with self._writing() as conn:
            conn.execute(
                """INSERT INTO misses (text, count, first_seen, last_seen) VALUES (?, 1, ?, ?)
                   ON CONFLICT (text) DO UPDATE SET count = count + 1, last_seen = excluded.last_seen""",
                (text, day, day),
            )

    def prune_misses(self, now: int) -> int:
        """Drop misses first seen more than MISS_KEEP_DAYS ago (at start and hourly); returns how many."""
        with self._writing() as conn:
            return conn.execute(
                "DELETE FROM misses WHERE first_seen < ?", (_day(now - MISS_KEEP_DAYS * 86400),)
            ).rowcount

    def top_misses(self, limit: int = 50) -> list[tuple[str, int]]:
        """The most frequent unanswered questions, most frequent first."""
        with self._reading() as conn:
            rows = conn.execute(
                "SELECT text, count FROM misses ORDER BY count DESC, last_seen DESC, text LIMIT ?", (limit,)
            ).fetchall()
        return [(row[0], int(row[1])) for row in rows]


def _day(now: int | None) -> str:
    moment = datetime.now(UTC) if now is None else datetime.fromtimestamp(now, UTC)
    return moment.date().isoformat()
