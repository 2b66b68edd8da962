"""One short transaction at a time on the shared connection, with every SQLite error turned into a StoreError.

Every part of the store reads and writes through `_reading` and `_writing`: a thread lock lets asyncio tasks and
threads share the one connection, and a write takes SQLite's write lock up front so two processes queue, not deadlock.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.store.errors import StoreError, explain

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000


class Transactions:
    """The connection's transactions. `Database` opens the connection and sets these attributes."""

    path: Path
    _conn: sqlite3.Connection
    _lock: threading.Lock

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._conn
            except sqlite3.Error as error:
                raise StoreError(f"Database error: {explain(error, self.path)}") from error

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taking the write lock up front so two processes queue, not deadlock."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise StoreError(f"Database error: {explain(error, self.path)}") from error
            try:
                yield self._conn
            except BaseException as error:
                self._rollback()
                if isinstance(error, sqlite3.Error):
                    raise StoreError(f"Database error: {explain(error, self.path)}") from error
                raise
            else:
                try:
                    self._conn.execute("COMMIT")
                except sqlite3.Error as error:
                    self._rollback()
                    raise StoreError(f"Database error: {explain(error, self.path)}") from error

    def _rollback(self) -> None:
        """Roll back if a transaction is still open (SQLite ends some on its own, e.g. on SQLITE_FULL)."""
        if self._conn.in_transaction:
            try:
                self._conn.execute("ROLLBACK")
            except sqlite3.Error:
                logger.warning("Rollback failed after a database error", exc_info=True)
