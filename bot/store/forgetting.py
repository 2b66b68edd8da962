"""/forget: delete a chat's rows, then rewrite the file so nothing of them can be read back, even after a crash.

A class of its own below `Database`, because opening and closing the database finish a rewrite a /forget still owes.
"""

from __future__ import annotations

import logging
from time import monotonic as _monotonic

from bot.store.errors import StoreError
from bot.store.transactions import BUSY_TIMEOUT_MS, Transactions

logger = logging.getLogger(__name__)

CHECKPOINT_WAIT_MS = 200
VACUUM_MIN_INTERVAL_SECONDS = 60.0


class Forgetting(Transactions):
    """Deleting one chat's rows, and the VACUUM and WAL checkpoint that scrub them out of the file."""

    _vacuum_owed: bool  # a VACUUM is owed to a /forget (table scrub_owed, read at open)
    _checkpoint_owed: bool  # the WAL may still hold deleted rows
    _last_vacuum: float  # monotonic seconds

    def forget(self, chat_id: int) -> bool:
        """Delete every row about this chat, and squeeze it out of the file and the write-ahead log.

        Deleted rows are zeroed on the spot (secure_delete); VACUUM then rebuilds the file so that not
        even a b-tree divider key is left, at most once a minute (see `finish_forgetting`). That a rewrite
        is owed is committed with the deletion (table scrub_owed), so a crash before it runs does not
        lose it: the next open finishes it. Returns whether anything was stored. Misses are not
        touched: they hold no chat id.
        """
        with self._writing() as conn:
            removed = conn.execute("DELETE FROM people WHERE chat_id = ?", (chat_id,)).rowcount
            removed += conn.execute("DELETE FROM deliveries WHERE chat_id = ?", (chat_id,)).rowcount
            if removed:
                conn.execute("INSERT OR IGNORE INTO scrub_owed (id) VALUES (1)")
        if removed:
            self._vacuum_owed = self._checkpoint_owed = True
            self.finish_forgetting()
        return removed > 0

    def finish_forgetting(self, *, force: bool = False) -> bool:
        """Finish what `forget` started: VACUUM (at most once a minute unless forced: it rewrites the whole
        file), then empty the WAL. Returns True when nothing is owed any more; the sweep calls it often."""
        if self._vacuum_owed and (force or _monotonic() - self._last_vacuum >= VACUUM_MIN_INTERVAL_SECONDS):
            started = self._last_vacuum = _monotonic()
            try:
                with self._reading() as conn:
                    conn.execute("VACUUM")
                    conn.execute("DELETE FROM scrub_owed")
            except StoreError as error:  # another process is writing: tried again later
                logger.warning("Could not rewrite the database after /forget yet: %s", error)
            else:
                self._vacuum_owed = False
                self._checkpoint_owed = True
                logger.info("Database rewritten after /forget in %.2f s", _monotonic() - started)
        if self._checkpoint_owed and self.checkpoint():
            self._checkpoint_owed = False
        return not (self._vacuum_owed or self._checkpoint_owed)

    def checkpoint(self) -> bool:
        """Copy the WAL into the main file and empty it; False if a reader elsewhere kept it busy.

        Waits at most CHECKPOINT_WAIT_MS for other processes' readers, not the full busy timeout.
        """
        with self._reading() as conn:
            conn.execute(f"PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}")
            try:
                busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            finally:
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if busy:
            logger.warning("WAL checkpoint incomplete: another connection is reading the database")
        return not busy
