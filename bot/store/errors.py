"""Why the database cannot be used, in words: StoreError, and the cause behind a SQLite or operating-system error.

Every refusal names the real cause (read-only file, folder or mount, full disk, damaged file, a lock held elsewhere)
and what to do about it, so whoever runs footbot can act on the message without reading a traceback.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path


class StoreError(RuntimeError):
    """The database cannot be used as it is; the message says what to do. Nothing was changed."""


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


def os_cause(error: OSError) -> str:
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
