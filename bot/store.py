"""The one place that talks to SQLite: reminders, time zones, delivery records and the anonymous miss counter.

One file, `footbot.sqlite3` in the data folder, in WAL mode so a backup or a second process can read
while the bot writes. The schema is versioned with `PRAGMA user_version` and grows only through
`MIGRATIONS`. A file we cannot use raises `StoreError` at open, naming the cause (read-only file,
folder or mount, full disk, empty or truncated file, not footbot's, damaged, newer): it is never
overwritten, repaired or dropped, and an existing empty file is never taken for a new database.

What is stored about a person is only what sending the reminder needs: chat id, local time, zone,
whether the zone was confirmed, on/off, the next due instant, a pending snooze and, for a few days,
which nights were already sent. Misses carry no user or chat id, and only what `bot.core.privacy`
lets through (no condition or red-flag message at all); they are dropped after MISS_KEEP_DAYS.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from time import monotonic as _monotonic
from types import TracebackType

from bot.reminders import schedule

logger = logging.getLogger(__name__)

DB_FILENAME = "footbot.sqlite3"
DEFAULT_ZONE = "UTC"  # assumed (and said so) until the person tells us theirs
BUSY_TIMEOUT_MS = 5000
CHECKPOINT_WAIT_MS = 200
DELIVERY_RECORD_DAYS = 3  # a night's record only has to outlive that night
MAX_MISS_LENGTH = 200
VACUUM_MIN_INTERVAL_SECONDS = 60.0
MISS_KEEP_DAYS = 90
SQLITE_HEADER = b"SQLite format 3\x00"
WRITE_PROBE_BYTES = 64 * 1024  # a folder that cannot take this cannot take a transaction either

# Each entry upgrades the schema by one version; never edit a released entry, append a new one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE people (
            chat_id INTEGER PRIMARY KEY,
            remind_at TEXT,                               -- local 'HH:MM', NULL until first set
            zone TEXT NOT NULL DEFAULT 'UTC',             -- IANA zone name
            zone_confirmed INTEGER NOT NULL DEFAULT 0,    -- 0 while we only assume DEFAULT_ZONE
            enabled INTEGER NOT NULL DEFAULT 0,
            next_due INTEGER,                             -- UTC epoch seconds; NULL when off
            snooze_due INTEGER                            -- UTC epoch seconds of a pending snooze
        )""",
        "CREATE INDEX people_next_due ON people(next_due) WHERE next_due IS NOT NULL",
        "CREATE INDEX people_snooze_due ON people(snooze_due) WHERE snooze_due IS NOT NULL",
        """CREATE TABLE deliveries (
            chat_id INTEGER NOT NULL,
            night TEXT NOT NULL,                          -- local date the night began, 'YYYY-MM-DD'
            status TEXT NOT NULL,                         -- claimed, sent, uncertain, undeliverable, failed
            claimed_at INTEGER NOT NULL,
            PRIMARY KEY (chat_id, night)
        ) WITHOUT ROWID""",
        "CREATE INDEX deliveries_claimed_at ON deliveries(claimed_at)",
        """CREATE TABLE misses (
            text TEXT PRIMARY KEY,                        -- the matcher's normalised form, no ids
            count INTEGER NOT NULL,
            first_seen TEXT NOT NULL,                     -- UTC dates only, not times
            last_seen TEXT NOT NULL
        ) WITHOUT ROWID""",
    ),
    # 2: a /forget whose VACUUM was postponed is remembered across a crash and finished at the next open.
    # Misses recorded before version 2 were the whole normalised message (names, phone numbers, health):
    # they cannot be redacted without the knowledge, so they are dropped, and the file is scrubbed of them.
    (
        "CREATE TABLE scrub_owed (id INTEGER PRIMARY KEY CHECK (id = 1))",
        "INSERT INTO scrub_owed (id) SELECT 1 WHERE EXISTS (SELECT 1 FROM misses)",
        "DELETE FROM misses",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(RuntimeError):
    """The database cannot be used as it is; the message says what to do. Nothing was changed."""


# -- what is wrong with a database, in words -------------------------------------------------------

_SQLITE_CAUSES: tuple[tuple[str, str], ...] = (
    ("SQLITE_READONLY", "the file is read-only for this user (uid {uid}): check its owner and mode, and the mount"),
    ("SQLITE_FULL", "the disk is full: free some space; the data is intact"),
    ("SQLITE_NOTADB", "it is not a SQLite database (or its first page is damaged): restore a backup"),
    ("SQLITE_CORRUPT", "the file is damaged: restore a backup; it has not been changed"),
    (
        "SQLITE_CANTOPEN",
        "the file or its folder cannot be opened: check the folder exists and uid {uid} may write in it",
    ),
    ("SQLITE_IOERR", "the disk reported an I/O error: check the disk and free space"),
    ("SQLITE_BUSY", "another process holds the database locked; try again"),
    ("SQLITE_LOCKED", "another process holds the database locked; try again"),
    ("SQLITE_PERM", "the operating system refused access (uid {uid})"),
)


def explain(error: sqlite3.Error, path: Path) -> str:
    """One sentence naming the real cause of a SQLite error (by its result code on Python 3.11+)."""
    name = getattr(error, "sqlite_errorname", None) or ""
    for prefix, cause in _SQLITE_CAUSES:
        if name.startswith(prefix):
            return f"{cause.format(uid=os.geteuid())} ({name}: {error})."
    return f"{error} ({name or type(error).__name__})."


def _os_cause(error: OSError) -> str:
    """An operating-system error in words: which of read-only mount, permissions, full disk it is."""
    uid = os.geteuid()
    if error.errno == errno.EROFS:
        return "it is on a read-only mount (mount it read-write)"
    if error.errno in (errno.EACCES, errno.EPERM):
        return f"it is read-only for this user (uid {uid}): check owner and mode (e.g. after a restore as root)"
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full (or the quota is used up): free some space; the data is intact"
    if error.errno == errno.ENOENT:
        return "it does not exist"
    return f"{error.strerror or error} (errno {error.errno})"


def check_file(path: Path) -> None:
    """Refuse an existing file that cannot be a whole database: empty, too short, not SQLite, or truncated.

    An interrupted copy (a backup on a full disk, a restore cut short) leaves such files; SQLite would take
    an empty one for a new database and the bot would start with nobody's reminders. Nothing is changed.
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    except OSError as error:
        raise StoreError(f"Cannot read the database {path}: {_os_cause(error)}.") from error
    keep = "It has not been changed; restore a backup, or move it away only if you mean to start with no data."
    if size == 0:
        raise StoreError(
            f"The database {path} is empty (0 bytes), as an interrupted copy or a backup on a full disk leaves it; "
            f"it is not taken for a new one. {keep}"
        )
    try:
        with path.open("rb") as file:
            header = file.read(100)
    except OSError as error:
        raise StoreError(f"Cannot read the database {path}: {_os_cause(error)}.") from error
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        raise StoreError(f"{path} is not a SQLite database (its first bytes are wrong). {keep}")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    counted = header[24:28] == header[92:96]  # the page count is valid only when these agree
    wal = path.with_name(path.name + "-wal")
    replaying = wal.exists() and wal.stat().st_size > 0  # the WAL may still hold the missing pages
    if page_size < 512 or size % page_size or (counted and not replaying and size < pages * page_size):
        raise StoreError(f"The database {path} is truncated ({size} bytes, expected {pages * page_size}). {keep}")


def probe_writable(data_dir: Path, path: Path) -> None:
    """Refuse at once a database the bot could read but never write: every /remind and /forget would fail.

    Tries what SQLite will do: open the file (and its -wal/-shm) for writing, and write and remove a small
    file in the folder (the WAL lives there). The refusal names the cause: read-only file, folder or mount,
    or a full disk.
    """
    for each in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if not each.exists():
            continue
        try:
            os.close(os.open(each, os.O_RDWR))
        except OSError as error:
            raise StoreError(
                f"Cannot write the database file {each}: {_os_cause(error)}. Nothing was changed."
            ) from error
    probe: Path | None = None
    try:
        descriptor, name = tempfile.mkstemp(prefix=".footbot-write-probe-", dir=data_dir)
        probe = Path(name)
        try:
            os.write(descriptor, b"\0" * WRITE_PROBE_BYTES)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    except OSError as error:
        raise StoreError(
            f"Cannot write in the data folder {data_dir}: {_os_cause(error)}. Nothing was changed."
        ) from error
    finally:
        if probe is not None:
            with suppress(OSError):
                probe.unlink()


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


@dataclass(frozen=True, slots=True)
class Claim:
    """A reminder taken for sending: recorded before the message goes out, so it can never go twice."""

    chat_id: int
    night: date
    due: int
    next_due: int | None  # what next_due became (None for a snooze)
    snooze: bool = False


class Store:
    """A SQLite database owned by footbot. Safe to share between asyncio tasks and threads.

    Every method is one short transaction. `now` is always passed in (UTC epoch seconds), so the
    caller's clock decides and tests can run any date without sleeping.
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
    def open(cls, data_dir: Path, *, create: bool = True, read_only: bool = False, record_misses: bool = True) -> Store:
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
                raise StoreError(f"Cannot create the data folder {data_dir}: {_os_cause(error)}.") from error
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

    def __enter__(self) -> Store:
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
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"The database {self.path} has schema version {version}, newer than this footbot "
                    f"understands ({SCHEMA_VERSION}). Run a newer footbot, or restore a backup; "
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
        if version == 0 or version > SCHEMA_VERSION:
            raise StoreError(f"{self.path} is not a footbot database this version can read (schema version {version}).")

    def _migrate(self, version: int) -> None:
        for number, statements in enumerate(MIGRATIONS[version:], start=version + 1):
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

    # -- transactions ------------------------------------------------------------------------------

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

    # -- people ------------------------------------------------------------------------------------

    def person(self, chat_id: int) -> Person | None:
        with self._reading() as conn:
            row = conn.execute(_SELECT_PERSON, (chat_id,)).fetchone()
        return _person(row) if row else None

    def set_reminder(self, chat_id: int, at: time, now: int) -> Person:
        """Turn on the daily reminder at local time `at`; the next due is tonight's, unless it was sent."""
        with self._writing() as conn:
            self._upsert_reminder(conn, chat_id, at, now)
            return _person(conn.execute(_SELECT_PERSON, (chat_id,)).fetchone())

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
            row = conn.execute(_SELECT_PERSON, (chat_id,)).fetchone()
            following = None
            if row and row[4] and row[1]:
                following = self._next_unsent(conn, chat_id, _parse_time(row[1]), zone, now)
            conn.execute(
                """INSERT INTO people (chat_id, zone, zone_confirmed) VALUES (?, ?, 1)
                   ON CONFLICT (chat_id) DO UPDATE SET zone = excluded.zone, zone_confirmed = 1,
                   next_due = CASE WHEN enabled = 1 THEN ? ELSE next_due END""",
                (chat_id, zone, following),
            )
            return _person(conn.execute(_SELECT_PERSON, (chat_id,)).fetchone())

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

    def count_reminders(self) -> int:
        with self._reading() as conn:
            return int(conn.execute("SELECT count(*) FROM people WHERE enabled = 1").fetchone()[0])

    # -- delivery ----------------------------------------------------------------------------------

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
                decision = schedule.decide(_parse_time(remind_at), schedule.zone_named(zone), due, now)
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
            row = conn.execute(_SELECT_PERSON, (chat_id,)).fetchone()
            if row is None or not row[4] or row[5] is None or row[5] > now or row[1] is None:
                return None
            zone = schedule.zone_named(row[2])
            decision = schedule.decide(_parse_time(row[1]), zone, row[5], now)
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
                    "UPDATE people SET snooze_due = ? WHERE chat_id = ? AND snooze_due IS NULL",
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

    @staticmethod
    def _next_unsent(conn: sqlite3.Connection, chat_id: int, at: time, zone_name: str, now: int) -> int:
        """The next due instant after `now` whose night has not had its reminder yet."""
        zone = schedule.zone_named(zone_name)
        sent = {row[0] for row in conn.execute("SELECT night FROM deliveries WHERE chat_id = ?", (chat_id,)).fetchall()}
        due = schedule.next_due_after(at, zone, now)
        while schedule.night_of(due, zone).isoformat() in sent:
            due = schedule.next_due_after(at, zone, due)
        return due

    # -- the curator's miss counter ----------------------------------------------------------------

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

    # -- the update journal (Telegram transport) ---------------------------------------------------
    # Updates fetched from Telegram are written here before they are handed to the handlers, so that a
    # hard kill loses none: at start the unhandled ones are handled. Raw update JSON (message text) is
    # kept only until its update is handled; then only the update id stays, to recognise Telegram's
    # redelivery of an update it was never told we had. Its own table, created by `open_journal` with
    # CREATE TABLE IF NOT EXISTS: no schema version of its own (the rows are transient).

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


_SELECT_PERSON = """SELECT chat_id, remind_at, zone, zone_confirmed, enabled, next_due, snooze_due
                    FROM people WHERE chat_id = ?"""


def _person(row: tuple[object, ...]) -> Person:
    chat_id, remind_at, zone, confirmed, enabled, next_due, snooze_due = row
    return Person(
        chat_id=int(chat_id),  # type: ignore[call-overload]
        remind_at=_parse_time(str(remind_at)) if remind_at is not None else None,
        zone=str(zone),
        zone_confirmed=bool(confirmed),
        enabled=bool(enabled),
        next_due=int(next_due) if next_due is not None else None,  # type: ignore[call-overload]
        snooze_due=int(snooze_due) if snooze_due is not None else None,  # type: ignore[call-overload]
    )


def _format_time(at: time) -> str:
    return f"{at:%H:%M}"


def _parse_time(stored: str) -> time:
    hours, minutes = stored.split(":")
    return time(int(hours), int(minutes))


def _day(now: int | None) -> str:
    moment = datetime.now(UTC) if now is None else datetime.fromtimestamp(now, UTC)
    return moment.date().isoformat()
