"""The store's update journal: a redelivered update is recognised, text goes as handling starts, and ids go once
Telegram can no longer send them again."""

from __future__ import annotations

import json
from pathlib import Path

from bot.store import Store

NOW = 1_800_000_000


def _raw(update_id: int, text: str = "my phone is +15550100") -> tuple[int, str]:
    return update_id, json.dumps({"update_id": update_id, "message": {"text": text}})


def test_a_batch_is_journaled_once_and_a_redelivery_is_recognised(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.open_journal()
        assert store.journal_fetched([_raw(1), _raw(2)], NOW) == {1, 2}
        assert store.journal_fetched([_raw(2), _raw(3)], NOW) == {3}
        assert store.journal_size() == (3, 3)


def test_text_goes_when_handling_starts_and_only_unstarted_updates_come_back(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.open_journal()
        store.journal_fetched([_raw(1), _raw(2), _raw(3)], NOW)
        store.journal_started([1], NOW)
        store.journal_handled([2], NOW)
        fetched, started = store.journal_unhandled()
        assert [update_id for update_id, _ in fetched] == [3] and started == [1]
        assert store.journal_size() == (3, 1)


def test_handled_ids_go_once_confirmed_or_old(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.open_journal()
        store.journal_fetched([_raw(1), _raw(2), _raw(3)], NOW)
        store.journal_handled([1, 2], NOW)
        store.journal_fetched([], NOW, confirmed_below=2)  # the next poll confirmed update 1
        assert store.journal_size() == (2, 1)
        store.journal_started([3], NOW)
        assert store.journal_prune(older_than=NOW + 1) == 2
        assert store.journal_size() == (0, 0)


def test_the_journal_table_leaves_the_schema_version_alone(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        version = store.schema_version
        store.open_journal()
        store.open_journal()  # idempotent
        assert store.schema_version == version
    with Store.open(tmp_path) as store:  # and the file still opens as footbot's
        assert store.journal_size() == (0, 0)
