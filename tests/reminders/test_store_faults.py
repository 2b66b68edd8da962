"""Store faults: files it must refuse (naming the cause), errors named by their real cause, misses kept at most
90 days, and a /forget scrub that survives a crash, down to the raw bytes of the db, -wal and -shm."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import time
from pathlib import Path

import pytest

import bot.store as store_module
from bot.store import DB_FILENAME, SCHEMA_VERSION, Store, StoreError
from tests.reminders.clock import epoch

NOON = epoch("UTC", 2025, 6, 10, 12, 0)
ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make `path` unwritable for this process: chmod for a normal user; root ignores modes, so chattr +i."""
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)]).returncode:
            pytest.skip("running as root on a filesystem without chattr +i: cannot make a file read-only")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)


def _all_bytes(data_dir: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(data_dir.iterdir()) if path.is_file())


def sqlite_varint(value: int) -> bytes:
    """SQLite's varint, as rowids are written in the interior pages of a table's b-tree."""
    groups = [value & 0x7F]
    value >>= 7
    while value:
        groups.append((value & 0x7F) | 0x80)
        value >>= 7
    return bytes(reversed(groups))


def id_traces(chat_id: int) -> list[bytes]:
    """Every form a chat id between 2^31 and 2^47 takes in the file: a 6-byte record integer, a varint key."""
    return [chat_id.to_bytes(6, "big"), sqlite_varint(chat_id), str(chat_id).encode()]


# -- files refused at open, never taken for new ones ----------------------------------------------------


def test_an_empty_file_is_refused_not_taken_for_a_fresh_install(data_dir: Path) -> None:
    data_dir.mkdir()
    (data_dir / DB_FILENAME).write_bytes(b"")
    with pytest.raises(StoreError, match=r"empty \(0 bytes\)"):
        Store.open(data_dir)
    assert (data_dir / DB_FILENAME).read_bytes() == b""
    assert sorted(path.name for path in data_dir.iterdir()) == [DB_FILENAME]  # no -wal, -shm, probe left


def test_a_truncated_file_is_refused_and_left_as_it_was(data_dir: Path) -> None:
    with Store.open(data_dir) as opened:
        opened.set_reminders(((chat_id, time(22, 0)) for chat_id in range(1, 2001)), NOON)
    path = data_dir / DB_FILENAME
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])  # what a copy cut short by a full disk leaves
    with pytest.raises(StoreError, match="truncated"):
        Store.open(data_dir)
    assert path.read_bytes() == whole[: len(whole) // 2]


def test_a_read_only_database_file_is_refused_at_open_naming_it(data_dir: Path) -> None:
    Store.open(data_dir).close()
    path = data_dir / DB_FILENAME
    with read_only(path), pytest.raises(StoreError) as caught:
        Store.open(data_dir)
    message = str(caught.value)
    assert "read-only" in message and str(path) in message and f"uid {os.geteuid()}" in message
    assert "damaged" not in message and "restore a backup" not in message


def test_a_read_only_data_folder_is_refused_at_open_naming_the_folder(data_dir: Path) -> None:
    Store.open(data_dir).close()
    with read_only(data_dir), pytest.raises(StoreError) as caught:
        Store.open(data_dir)
    assert "data folder" in str(caught.value) and "read-only" in str(caught.value)
    assert "damaged" not in str(caught.value)


def test_a_read_only_mount_is_named_as_such(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store.open(data_dir).close()
    real_open = os.open

    def read_only_mount(path: object, flags: int, *args: object) -> int:
        if flags & (os.O_RDWR | os.O_WRONLY):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", read_only_mount)
    with pytest.raises(StoreError, match="read-only mount") as caught:
        Store.open(data_dir)
    assert "move it away" not in str(caught.value)


def test_a_full_disk_is_named_as_such_at_open(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store.open(data_dir).close()

    def full(descriptor: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(StoreError, match="disk is full") as caught:
        Store.open(data_dir)
    assert "damaged" not in str(caught.value)
    assert not [path for path in data_dir.iterdir() if "probe" in path.name]


def test_a_full_disk_while_running_is_named_and_changes_nothing(store: Store) -> None:
    store.set_reminder(1, time(22, 0), NOON)
    store._conn.execute("PRAGMA max_page_count = 1")  # SQLite's own SQLITE_FULL, as a full disk gives it
    with pytest.raises(StoreError, match="disk is full") as caught:
        store.set_reminders(((chat_id, time(22, 0)) for chat_id in range(2, 5000)), NOON)
    assert "SQLITE_FULL" in str(caught.value)
    store._conn.execute("PRAGMA max_page_count = 1073741823")
    assert store.count_reminders() == 1  # the failed transaction was rolled back whole
    store.set_reminder(2, time(22, 0), NOON)  # and the store still works once there is room


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("SQLITE_READONLY", "read-only"),
        ("SQLITE_READONLY_DBMOVED", "read-only"),
        ("SQLITE_FULL", "disk is full"),
        ("SQLITE_NOTADB", "not a SQLite database"),
        ("SQLITE_CORRUPT", "damaged"),
        ("SQLITE_CANTOPEN", "cannot be opened"),
        ("SQLITE_IOERR_WRITE", "I/O error"),
    ],
)
def test_each_sqlite_error_is_explained_by_its_cause(name: str, expected: str) -> None:
    error = sqlite3.OperationalError("boom")
    error.sqlite_errorname = name  # type: ignore[attr-defined]
    assert expected in store_module.explain(error, Path("x"))


def test_a_real_notadb_error_is_explained_from_sqlite_itself(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"not a database at all" * 300)
    with pytest.raises(sqlite3.DatabaseError) as caught:
        sqlite3.connect(path).execute("PRAGMA user_version")
    assert "not a SQLite database" in store_module.explain(caught.value, path)


# -- opening without creating -------------------------------------------------------------------------


def test_opening_read_only_or_without_create_creates_nothing(tmp_path: Path) -> None:
    for options in ({"read_only": True}, {"create": False}):
        with pytest.raises(StoreError, match="no footbot database"):
            Store.open(tmp_path / "data", **options)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_store_reads_misses_and_never_writes(data_dir: Path) -> None:
    with Store.open(data_dir) as opened:
        opened.record_miss("how long should it last", now=NOON)
    before = (data_dir / DB_FILENAME).read_bytes()
    with Store.open(data_dir, read_only=True) as reader:
        assert reader.top_misses() == [("how long should it last", 1)]
        with pytest.raises(StoreError, match="read-only"):
            reader.record_miss("something new", now=NOON)
    assert (data_dir / DB_FILENAME).read_bytes() == before


# -- misses: kept 90 days at most, or not at all --------------------------------------------------------


def test_misses_first_seen_over_ninety_days_ago_are_dropped(store: Store) -> None:
    day = 86400
    store.record_miss("an old question", now=NOON - 91 * day)
    store.record_miss("an old question", now=NOON - 1 * day)  # asked again: the row is still 91 days old
    store.record_miss("a recent question", now=NOON - 89 * day)
    assert store.prune_misses(NOON) == 1
    assert store.top_misses() == [("a recent question", 1)]


def test_with_the_counter_off_nothing_is_recorded(data_dir: Path) -> None:
    with Store.open(data_dir, record_misses=False) as opened:
        opened.record_miss("how long should it last", now=NOON)
        assert opened.top_misses() == []


def test_misses_recorded_before_schema_2_are_dropped_and_scrubbed(data_dir: Path) -> None:
    data_dir.mkdir()
    raw = sqlite3.connect(data_dir / DB_FILENAME)
    for statement in store_module.MIGRATIONS[0]:
        raw.execute(statement)
    raw.execute("INSERT INTO misses VALUES ('my name is anna smith i am hiv positive', 1, '2025-06-01', '2025-06-01')")
    raw.execute("PRAGMA user_version = 1")
    raw.commit()
    raw.close()
    with Store.open(data_dir) as upgraded:
        assert upgraded.schema_version == SCHEMA_VERSION
        assert upgraded.top_misses() == []
    assert b"anna smith" not in _all_bytes(data_dir)
    assert b"hiv" not in _all_bytes(data_dir)


# -- /forget survives a crash inside the postponement window --------------------------------------------

VICTIMS = [5_000_000_000 + 7 * n for n in range(1, 400)]
CRASH_SCRIPT = """
import os, sys
from datetime import time
from pathlib import Path
from bot.store import Store

data_dir, victims = Path(sys.argv[1]), [int(v) for v in sys.argv[2:]]
store = Store.open(data_dir)
others = range(5_000_000_001, 5_000_003_001)
store.set_reminders(((chat_id, time(22, 0)) for chat_id in [*others, *victims]), {now})
for chat_id in [*others, *victims]:
    store.claim(chat_id, {now} + 11 * 3600)  # delivery records too: their keys sit in index pages
assert store.forget(5_000_000_001)  # the first rewrite runs at once...
for chat_id in victims:  # ...the next ones within a minute are postponed
    assert store.forget(chat_id)
os._exit(0)  # killed inside the window: close() never runs
"""


def test_a_forget_postponed_then_killed_is_finished_at_the_next_open(data_dir: Path) -> None:
    script = CRASH_SCRIPT.replace("{now}", str(NOON))
    subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), str(data_dir), *map(str, VICTIMS)],
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    before = _all_bytes(data_dir)
    left_before = [chat_id for chat_id in VICTIMS if any(trace in before for trace in id_traces(chat_id))]
    assert left_before, "the scenario must leave ids in index pages, or it proves nothing"
    with Store.open(data_dir) as reopened:  # the restart
        assert all(reopened.person(chat_id) is None for chat_id in VICTIMS)
        after = _all_bytes(data_dir)  # while open: db, -wal and -shm all present
    assert [chat_id for chat_id in left_before if any(trace in after for trace in id_traces(chat_id))] == []
    raw = sqlite3.connect(data_dir / DB_FILENAME)
    assert raw.execute("SELECT count(*) FROM scrub_owed").fetchone()[0] == 0
    raw.close()
