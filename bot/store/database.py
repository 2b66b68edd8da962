"""Opening footbot's one SQLite file (checked, migrated, WAL) or refusing it with the cause; closing; backups.

One file, `footbot.sqlite3` in the data folder, in WAL mode so a backup or a second process can read
while the bot writes. The schema is versioned with `PRAGMA user_version` and grows only through
`schema.MIGRATIONS`. A file we cannot use raises `StoreError` at open, naming the cause (read-only file,
folder or mount, full disk, empty or truncated file, not footbot's, damaged, newer): it is never
overwritten, repaired or dropped, and an existing empty file is never taken for a new database.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path
from types import TracebackType
from typing import Self

from bot.store import schema
from bot.store.errors import StoreError, explain, os_cause
from bot.store.files import check_file, probe_writable
from bot.store.forgetting import Forgetting
from bot.store.transactions import BUSY_TIMEOUT_MS

logger = logging.getLogger(__name__)

DB_FILENAME = "footbot.sqlite3"


class Database(Forgetting):
    """The open database every part of the store builds on. Safe to share between asyncio tasks and threads.

    The schema is read through `schema.MIGRATIONS` and `schema.SCHEMA_VERSION` (not imported names) so that
    a test can add a migration by patching them.
    """

    def __init__(self, path: Path, *, read_only: bool = False, record_misses: bool = True) -> None:
        self.path = path
        self.read_only = read_only
        self.record_misses = record_misses  # FOOTBOT_RECORD_MISSES=0: record_miss keeps nothing
        self._lock = threading.Lock()
        self._vacuum_owed = False
        self._checkpoint_owed = False
        self._last_vacuum = float("-inf")
        try:
            if read_only:
                # mode=ro: never creates the file, never writes it (a curator's look must change nothing).
                self._conn = sqlite3.connect(
                    f"{path.resolve().as_uri()}?mode=ro",
                    uri=True,
                    isolation_level=None,
                    check_same_thread=False,
                    timeout=BUSY_TIMEOUT_MS / 1000,
                )
            else:
                self._conn = sqlite3.connect(
                    path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000
                )
        except sqlite3.Error as error:
            raise StoreError(f"Cannot open the database {path}: {explain(error, path)}") from error
        try:
            self._prepare()
            if self._vacuum_owed:  # a /forget's rewrite was still owed when the last run stopped
                logger.info("Finishing the scrub a /forget owed when footbot last stopped")
                if not self.finish_forgetting(force=True):
                    logger.warning("The scrub owed to a /forget could not finish yet; it is retried")
        except BaseException:
            self._conn.close()
            raise

    @classmethod
    def open(cls, data_dir: Path, *, create: bool = True, read_only: bool = False, record_misses: bool = True) -> Self:
        """Open the database in the data folder, after checking it can be used as asked.

        `create`: make the folder and a new database when none is there (the bot); otherwise a missing
        database is a StoreError and nothing is created (the CLI's backup and curator commands). A read-only
        store never creates anything. A writable one is refused at once, naming the cause, when the file,
        folder or disk cannot take writes, so people are never told "something went wrong" one by one.
        """
        path = data_dir / DB_FILENAME
        if read_only or not create:
            if not path.is_file():
                raise StoreError(
                    f"There is no footbot database at {path} (is FOOTBOT_DATA_DIR right?); nothing was created."
                )
        else:
            try:
                data_dir.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(f"Cannot create the data folder {data_dir}: {os_cause(error)}.") from error
        check_file(path)
        if not read_only:
            probe_writable(data_dir, path)
        return cls(path, read_only=read_only, record_misses=record_misses)

    def close(self) -> None:
        """Close, first running any VACUUM still owed to a /forget."""
        if not self.read_only:
            try:
                self.finish_forgetting(force=True)
            except StoreError:
                logger.exception("Could not rewrite the database before closing")
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    # -- opening -----------------------------------------------------------------------------------

    def _prepare(self) -> None:
        conn = self._conn
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if self.read_only:
                self._check_readable(conn)
                return
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > schema.SCHEMA_VERSION:
                raise StoreError(
                    f"The database {self.path} has schema version {version}, newer than this footbot "
                    f"understands ({schema.SCHEMA_VERSION}). Run a newer footbot, or restore a backup; "
                    "it has not been changed."
                )
            if version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise StoreError(
                    f"{self.path} is a SQLite database but not footbot's (it has tables and no schema "
                    "version). Point FOOTBOT_DATA_DIR at another folder; it has not been changed."
                )
            integrity = conn.execute("PRAGMA quick_check").fetchone()[0]
            if integrity != "ok":
                raise StoreError(
                    f"The database {self.path} is damaged ({integrity}). Restore a backup or move the "
                    "file away; it has not been changed."
                )
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode != "wal":
                logger.warning("SQLite refused WAL mode (journal_mode=%s) for %s", mode, self.path)
            # NORMAL in WAL mode: a crashed or killed process loses nothing committed.
            conn.execute("PRAGMA synchronous = NORMAL")
            # Deleted rows are overwritten with zeros, so /forget leaves nothing readable in the file.
            conn.execute("PRAGMA secure_delete = ON")
            self._migrate(version)
            self._vacuum_owed = bool(conn.execute("SELECT count(*) FROM scrub_owed").fetchone()[0])
        except sqlite3.Error as error:
            raise StoreError(f"Cannot use the database {self.path}: {explain(error, self.path)}") from error

    def _check_readable(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == 0 or version > schema.SCHEMA_VERSION:
            raise StoreError(f"{self.path} is not a footbot database this version can read (schema version {version}).")

    def _migrate(self, version: int) -> None:
        for number, statements in enumerate(schema.MIGRATIONS[version:], start=version + 1):
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                # Re-read under the write lock: another process may have migrated meanwhile.
                if self._conn.execute("PRAGMA user_version").fetchone()[0] >= number:
                    self._conn.execute("ROLLBACK")
                    continue
                for statement in statements:
                    self._conn.execute(statement)
                self._conn.execute(f"PRAGMA user_version = {number}")
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            logger.info("Database schema migrated to version %d", number)

    @property
    def schema_version(self) -> int:
        with self._reading() as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])

    @property
    def journal_mode(self) -> str:
        with self._reading() as conn:
            return str(conn.execute("PRAGMA journal_mode").fetchone()[0])

    # -- backup ------------------------------------------------------------------------------------

    def backup_to(self, target: Path) -> None:
        """Copy the whole database, consistent as of one moment, to `target` while the bot runs.

        A copy that fails (full disk, folder gone) is removed, so no empty or partial file is left
        looking like a backup, or like a database if it is ever restored.
        """
        if target.exists():
            raise StoreError(f"{target} already exists; choose a new file name for the backup.")
        if not target.parent.is_dir():
            raise StoreError(f"The folder {target.parent} does not exist; create it or choose another.")
        try:
            destination = sqlite3.connect(target)
        except sqlite3.Error as error:
            raise StoreError(f"Cannot write the backup {target}: {explain(error, target)}") from error
        try:
            with self._lock:
                self._conn.backup(destination)
        except sqlite3.Error as error:
            destination.close()
            target.unlink(missing_ok=True)
            raise StoreError(f"The backup to {target} failed: {explain(error, target)}") from error
        finally:
            destination.close()
