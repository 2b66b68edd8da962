"""The store: schema and migrations, refusing damaged files, reminders, forgetting, misses, exactly-once claims."""

from __future__ import annotations

import sqlite3
import threading
import time as _time
from datetime import date, datetime, time
from pathlib import Path

import pytest

from bot import store as store_module
from bot.store import DB_FILENAME, SCHEMA_VERSION, Store, StoreError, schema
from tests.reminders.clock import epoch, local

BERLIN = "Europe/Berlin"
NOON = epoch("UTC", 2025, 6, 10, 12, 0)


# -- opening, schema and migrations -------------------------------------------------------------------


def test_a_new_data_folder_gets_a_database_in_wal_mode_at_the_current_schema(tmp_path: Path) -> None:
    data_dir = tmp_path / "not" / "there" / "yet"
    with Store.open(data_dir) as opened:
        assert opened.path == data_dir / DB_FILENAME
        assert opened.schema_version == SCHEMA_VERSION
        assert opened.journal_mode == "wal"
    raw = sqlite3.connect(data_dir / DB_FILENAME)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"people", "deliveries", "misses"} <= tables


def test_reopening_keeps_the_data(data_dir: Path) -> None:
    with Store.open(data_dir) as first:
        first.set_reminder(7, time(22, 30), NOON)
    with Store.open(data_dir) as second:
        person = second.person(7)
    assert person is not None
    assert person.remind_at == time(22, 30)


def test_migrations_run_in_order_and_only_once(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(data_dir) as opened:
        opened.set_reminder(7, time(21, 0), NOON)
    extra = ("ALTER TABLE people ADD COLUMN added_by_test INTEGER NOT NULL DEFAULT 42",)
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, extra))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with Store.open(data_dir) as upgraded:
        assert upgraded.schema_version == SCHEMA_VERSION + 1
    with Store.open(data_dir) as again:  # running it a second time would fail: the column exists
        assert again.person(7) is not None
    raw = sqlite3.connect(data_dir / DB_FILENAME)
    assert raw.execute("SELECT added_by_test FROM people WHERE chat_id = 7").fetchone() == (42,)


def test_a_failing_migration_changes_nothing(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store.open(data_dir).close()
    broken = ("CREATE TABLE half_done (x INTEGER)", "THIS IS NOT SQL")
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, broken))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(StoreError):
        Store.open(data_dir)
    raw = sqlite3.connect(data_dir / DB_FILENAME)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert raw.execute("SELECT name FROM sqlite_master WHERE name = 'half_done'").fetchone() is None


def _refused_unchanged(data_dir: Path, expected_words: str) -> None:
    path = data_dir / DB_FILENAME
    before = path.read_bytes()
    with pytest.raises(StoreError) as caught:
        Store.open(data_dir)
    assert expected_words in str(caught.value)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == before


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / DB_FILENAME).write_bytes(b"these are my notes, not a database\n" * 200)
    _refused_unchanged(data_dir, "is not a SQLite database")


def test_a_schema_newer_than_this_code_is_refused_and_left_alone(data_dir: Path) -> None:
    Store.open(data_dir).close()
    raw = sqlite3.connect(data_dir / DB_FILENAME)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    raw.close()
    _refused_unchanged(data_dir, "newer than this footbot")


def test_someone_elses_sqlite_database_is_refused(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    raw = sqlite3.connect(data_dir / DB_FILENAME)
    raw.execute("CREATE TABLE invoices (id INTEGER)")
    raw.commit()
    raw.close()
    _refused_unchanged(data_dir, "not footbot's")


def test_a_damaged_database_is_refused(data_dir: Path) -> None:
    with Store.open(data_dir) as opened:
        for chat_id in range(2000):
            opened.set_reminder(chat_id, time(22, 0), NOON)
    path = data_dir / DB_FILENAME
    damaged = bytearray(path.read_bytes())
    page_size = 4096
    damaged[page_size * 3 : page_size * 5] = b"\xff" * (page_size * 2)  # clobber two b-tree pages
    path.write_bytes(bytes(damaged))
    with pytest.raises(StoreError):
        Store.open(data_dir)


def test_a_data_folder_that_cannot_be_created_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError):
        Store.open(blocker / "data")


# -- reminders and zones ------------------------------------------------------------------------------


def test_set_reminder_assumes_utc_until_a_zone_is_set(store: Store) -> None:
    person = store.set_reminder(7, time(22, 30), NOON)
    assert (person.zone, person.zone_confirmed, person.enabled) == ("UTC", False, True)
    assert person.next_due == epoch("UTC", 2025, 6, 10, 22, 30)


def test_changing_zone_moves_the_reminder_to_the_same_local_time(store: Store) -> None:
    store.set_reminder(7, time(22, 30), NOON)
    person = store.set_zone(7, BERLIN, NOON)
    assert person.zone_confirmed
    assert person.next_due is not None
    assert local(person.next_due, BERLIN) == datetime(2025, 6, 10, 22, 30)


def test_zone_first_then_time(store: Store) -> None:
    store.set_zone(7, "Asia/Kolkata", NOON)
    assert store.person(7).next_due is None  # type: ignore[union-attr]
    person = store.set_reminder(7, time(21, 0), NOON)
    assert person.next_due == epoch("Asia/Kolkata", 2025, 6, 10, 21, 0)  # noon UTC is 17:30 in Kolkata


def test_disable_keeps_time_and_zone_and_stops_sending(store: Store) -> None:
    store.set_zone(7, BERLIN, NOON)
    store.set_reminder(7, time(22, 30), NOON)
    assert store.disable_reminder(7)
    assert not store.disable_reminder(7)
    person = store.person(7)
    assert person is not None
    assert (person.enabled, person.next_due, person.remind_at, person.zone) == (False, None, time(22, 30), BERLIN)
    assert store.due_reminders(NOON + 86400 * 2) == []
    assert store.count_reminders() == 0


# -- claims: exactly once -----------------------------------------------------------------------------


def test_a_due_reminder_is_claimed_once_and_moves_to_the_next_night(store: Store) -> None:
    person = store.set_reminder(7, time(22, 30), NOON)
    due = person.next_due
    assert due is not None
    assert store.due_reminders(due - 1) == []
    assert store.due_reminders(due) == [7]
    claim = store.claim(7, due + 3)
    assert claim is not None
    assert (claim.night, claim.due) == (date(2025, 6, 10), due)
    assert store.claim(7, due + 4) is None
    assert store.person(7).next_due == due + 86400  # type: ignore[union-attr]
    assert store.delivery_status(7, date(2025, 6, 10)) == "claimed"
    store.mark_sent(claim)
    assert store.delivery_status(7, date(2025, 6, 10)) == "sent"


def test_a_claim_is_refused_before_its_time(store: Store) -> None:
    due = store.set_reminder(7, time(22, 30), NOON).next_due
    assert due is not None
    assert store.claim(7, due - 1) is None
    assert store.person(7).next_due == due  # type: ignore[union-attr]


def test_thirty_minutes_late_is_skipped_for_that_night(store: Store) -> None:
    due = store.set_reminder(7, time(22, 30), NOON).next_due
    assert due is not None
    assert store.claim(7, due + 30 * 60) is None
    assert store.delivery_status(7, date(2025, 6, 10)) is None
    assert store.person(7).next_due == due + 86400  # type: ignore[union-attr]


def test_twenty_nine_minutes_late_is_still_sent(store: Store) -> None:
    due = store.set_reminder(7, time(22, 30), NOON).next_due
    assert due is not None
    assert store.claim(7, due + 29 * 60) is not None


def test_a_released_claim_is_retried_by_the_next_sweep(store: Store) -> None:
    due = store.set_reminder(7, time(22, 30), NOON).next_due
    assert due is not None
    claim = store.claim(7, due)
    assert claim is not None
    store.release(claim)
    assert store.due_reminders(due + 15) == [7]
    again = store.claim(7, due + 15)
    assert again is not None and again.night == claim.night


def test_release_does_not_undo_a_change_made_meanwhile(store: Store) -> None:
    due = store.set_reminder(7, time(22, 30), NOON).next_due
    assert due is not None
    claim = store.claim(7, due)
    assert claim is not None
    store.set_reminder(7, time(23, 0), due + 5)  # tonight was claimed: the new time starts tomorrow
    store.release(claim)
    person = store.person(7)
    assert person is not None and person.next_due == epoch("UTC", 2025, 6, 11, 23, 0)


def test_changing_the_time_after_tonights_reminder_does_not_send_a_second_tonight(store: Store) -> None:
    due = store.set_reminder(7, time(21, 0), NOON).next_due
    assert due is not None
    claim = store.claim(7, due)
    assert claim is not None
    store.mark_sent(claim)
    person = store.set_reminder(7, time(22, 30), due + 60)
    assert person.next_due == epoch("UTC", 2025, 6, 11, 22, 30)


def test_retire_stops_a_blocked_chat(store: Store) -> None:
    due = store.set_reminder(7, time(22, 30), NOON).next_due
    assert due is not None
    claim = store.claim(7, due)
    assert claim is not None
    store.retire(claim)
    assert store.delivery_status(7, claim.night) == "undeliverable"
    assert not store.person(7).enabled  # type: ignore[union-attr]


def test_snooze_is_claimed_once(store: Store) -> None:
    store.set_reminder(7, time(22, 30), NOON)
    assert store.snooze(7, NOON + 900)
    assert store.due_snoozes(NOON) == []
    assert store.due_snoozes(NOON + 900) == [7]
    claim = store.claim_snooze(7, NOON + 901)
    assert claim is not None and claim.snooze
    assert store.claim_snooze(7, NOON + 902) is None
    store.release(claim)
    assert store.due_snoozes(NOON + 903) == [7]
    assert store.disable_reminder(7)
    assert store.due_snoozes(NOON + 904) == []


def test_old_delivery_records_are_pruned(store: Store) -> None:
    due = store.set_reminder(7, time(22, 30), NOON).next_due
    assert due is not None
    claim = store.claim(7, due)
    assert claim is not None
    assert store.prune_deliveries(due + 86400) == 0
    assert store.prune_deliveries(due + 4 * 86400) == 1
    assert store.delivery_status(7, claim.night) is None


def _claim_all(data_dir: Path, chat_ids: list[int], now: int, won: list[int], start: threading.Barrier) -> None:
    with Store.open(data_dir) as own:  # each worker is a separate connection, as a second process would be
        start.wait()
        for chat_id in chat_ids:
            if own.claim(chat_id, now) is not None:
                won.append(chat_id)


def test_two_processes_on_one_file_never_claim_the_same_night(data_dir: Path) -> None:
    chat_ids = list(range(1, 301))
    with Store.open(data_dir) as setup:
        for chat_id in chat_ids:
            setup.set_reminder(chat_id, time(22, 30), NOON)
    due = epoch("UTC", 2025, 6, 10, 22, 30)
    won: list[int] = []
    start = threading.Barrier(3)
    workers = [
        threading.Thread(target=_claim_all, args=(data_dir, order, due + 1, won, start))
        for order in (chat_ids, chat_ids[::-1], chat_ids[100:] + chat_ids[:100])
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert sorted(won) == chat_ids  # every reminder claimed, none twice


# -- forgetting and the miss counter ------------------------------------------------------------------


def _file_bytes(data_dir: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(data_dir.iterdir()) if path.is_file())


def test_forget_leaves_nothing_of_the_person_in_the_files(data_dir: Path) -> None:
    chat_id = 0x1A2B3C4D5E6F  # a six-byte id: SQLite stores it as these six bytes
    marker_zone = "Pacific/Chatham"
    with Store.open(data_dir) as opened:
        for other in range(1, 500):
            opened.set_reminder(other, time(22, 0), NOON)
        opened.set_zone(chat_id, marker_zone, NOON)
        due = opened.set_reminder(chat_id, time(22, 30), NOON).next_due
        assert due is not None
        claim = opened.claim(chat_id, due)
        assert claim is not None
        opened.mark_sent(claim)
        assert opened.snooze(chat_id, due + 900)
        opened.checkpoint()
        assert marker_zone.encode() in _file_bytes(data_dir)  # the check below can see stored data
        assert chat_id.to_bytes(6, "big") in _file_bytes(data_dir)

        assert opened.forget(chat_id) is True
        assert opened.person(chat_id) is None
        assert opened.delivery_status(chat_id, claim.night) is None
        assert opened.forget(chat_id) is False
        leftovers = _file_bytes(data_dir)  # the database and its -wal/-shm files, while still open
        assert marker_zone.encode() not in leftovers
        assert chat_id.to_bytes(6, "big") not in leftovers
        assert opened.person(1) is not None  # the others are untouched
    raw = sqlite3.connect(data_dir / DB_FILENAME)
    for table in ("people", "deliveries"):
        assert raw.execute(f"SELECT count(*) FROM {table} WHERE chat_id = ?", (chat_id,)).fetchone() == (0,)


def test_forget_of_someone_unknown_says_nothing_was_stored(store: Store) -> None:
    assert store.forget(12345) is False


def test_misses_are_counted_by_text_with_no_id(store: Store) -> None:
    for text in ["does it cure gout", "does it cure gout", "  does it   cure gout ", "what about my elbow"]:
        store.record_miss(text, now=NOON)
    store.record_miss("   ")
    assert store.top_misses(10) == [("does it cure gout", 3), ("what about my elbow", 1)]
    assert store.top_misses(1) == [("does it cure gout", 3)]
    raw = sqlite3.connect(store.path)
    columns = {row[1] for row in raw.execute("PRAGMA table_info(misses)")}
    assert columns == {"text", "count", "first_seen", "last_seen"}
    assert raw.execute("SELECT first_seen, last_seen FROM misses LIMIT 1").fetchone() == ("2025-06-10",) * 2


def test_a_very_long_miss_is_cut(store: Store) -> None:
    store.record_miss("word " * 500)
    [(text, count)] = store.top_misses(1)
    assert len(text) <= store_module.MAX_MISS_LENGTH and count == 1


def test_only_what_sending_needs_is_stored(store: Store) -> None:
    raw = sqlite3.connect(store.path)
    columns = {
        table: {row[1] for row in raw.execute(f"PRAGMA table_info({table})")}
        for (table,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    }
    assert columns == {
        "people": {"chat_id", "remind_at", "zone", "zone_confirmed", "enabled", "next_due", "snooze_due"},
        "deliveries": {"chat_id", "night", "status", "claimed_at"},
        "misses": {"text", "count", "first_seen", "last_seen"},
        "scrub_owed": {"id"},  # only whether a /forget's rewrite is still owed: no id, no time
    }


def test_reminders_missed_during_downtime_are_moved_on_in_bulk(store: Store) -> None:
    store.set_reminders(((chat_id, time(22, 30)) for chat_id in range(1, 2501)), NOON)
    store.set_reminder(9999, time(23, 30), NOON)
    assert store.snooze(5, NOON + 900)
    later = epoch("UTC", 2025, 6, 10, 23, 30, 10)  # 22:30 is an hour late; 23:30 only 10 s
    assert store.skip_overdue(later, limit=1000) == 1000
    assert store.skip_overdue(later, limit=1000) == 1000
    assert store.skip_overdue(later, limit=1000) == 500
    assert store.skip_overdue(later, limit=1000) == 0
    assert store.due_reminders(later) == [9999]
    assert store.due_snoozes(later) == []
    assert store.person(1).next_due == epoch("UTC", 2025, 6, 11, 22, 30)  # type: ignore[union-attr]


def test_set_reminders_in_bulk_matches_one_by_one(store: Store) -> None:
    assert store.set_reminders([(1, time(22, 0)), (2, time(6, 15))], NOON) == 2
    assert store.person(1).next_due == epoch("UTC", 2025, 6, 10, 22, 0)  # type: ignore[union-attr]
    assert store.person(2).next_due == epoch("UTC", 2025, 6, 11, 6, 15)  # type: ignore[union-attr]
    assert store.count_reminders() == 2


def test_a_backup_taken_while_open_holds_everything(store: Store, tmp_path: Path) -> None:
    store.set_zone(7, BERLIN, NOON)
    store.set_reminder(7, time(22, 30), NOON)
    store.record_miss("does it cure gout", now=NOON)
    target = tmp_path / "backup.sqlite3"
    store.backup_to(target)
    with Store(target) as restored:
        assert restored.person(7) == store.person(7)
        assert restored.top_misses() == [("does it cure gout", 1)]
    with pytest.raises(StoreError, match="already exists"):
        store.backup_to(target)


def test_forget_does_not_hang_on_a_reader_in_another_process_and_finishes_later(data_dir: Path) -> None:
    marker_zone = "Pacific/Chatham"
    with Store.open(data_dir) as opened:
        opened.set_zone(7, marker_zone, NOON)
        opened.set_reminder(8, time(22, 0), NOON)
        reader = sqlite3.connect(data_dir / DB_FILENAME, isolation_level=None)
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM people").fetchone()  # holds a snapshot, as a backup would
        started = _time.monotonic()
        assert opened.forget(7) is True
        assert _time.monotonic() - started < 2.0
        assert opened.person(7) is None
        reader.execute("COMMIT")
        reader.close()
        opened.finish_forgetting(force=True)
        assert marker_zone.encode() not in _file_bytes(data_dir)


def test_a_snooze_needs_reminders_on_and_never_stores_anyone(store: Store) -> None:
    """A Snooze button under an old reminder, pressed after /forget or "stop": nothing is stored, nothing comes."""
    assert not store.snooze(8, NOON + 900)
    assert store.person(8) is None
    store.set_reminder(9, time(22, 30), NOON)
    store.disable_reminder(9)
    assert not store.snooze(9, NOON + 900)
    assert store.due_snoozes(NOON + 900) == []


def test_a_snooze_claimed_half_an_hour_late_or_more_is_not_sent(store: Store) -> None:
    """A backlogged sweep reaching a snooze long after it was due skips it, as it skips a late reminder."""
    store.set_reminder(7, time(22, 30), NOON)
    assert store.snooze(7, NOON + 900)
    assert store.claim_snooze(7, NOON + 900 + 30 * 60) is None
    assert store.due_snoozes(NOON + 900 + 30 * 60) == []  # and it is gone, not kept for later
