"""Checks made on the file before SQLite opens it: refuse one that cannot be a whole database, or cannot be written.

SQLite would take an empty or cut-short file for a new database, and opens a read-only one only to fail at the first
write; these checks refuse both at open, naming the cause, and change nothing.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import suppress
from pathlib import Path

from bot.store.errors import StoreError, os_cause

SQLITE_HEADER = b"SQLite format 3\x00"
WRITE_PROBE_BYTES = 64 * 1024  # a folder that cannot take this cannot take a transaction either


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
        raise StoreError(f"Cannot read the database {path}: {os_cause(error)}.") from error
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
        raise StoreError(f"Cannot read the database {path}: {os_cause(error)}.") from error
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
                f"Cannot write the database file {each}: {os_cause(error)}. Nothing was changed."
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
            f"Cannot write in the data folder {data_dir}: {os_cause(error)}. Nothing was changed."
        ) from error
    finally:
        if probe is not None:
            with suppress(OSError):
                probe.unlink()
