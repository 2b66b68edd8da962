"""`footbot kb misses` and `footbot backup` against a missing, empty or wrong database: one line, non-zero exit,
nothing created (no ./data, no empty "backup")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.store import DB_FILENAME, Store

ROOT = Path(__file__).resolve().parents[2]


def _footbot(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {key: value for key, value in os.environ.items() if not key.startswith(("FOOTBOT_", "TELEGRAM_"))}
    environ["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_kb_misses_with_no_database_says_so_and_creates_nothing(tmp_path: Path) -> None:
    result = _footbot(["kb", "misses"], cwd=tmp_path)
    assert result.returncode == 1
    assert "no footbot database" in result.stderr and "nothing was created" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_backup_with_an_unset_data_dir_refuses_and_creates_nothing(tmp_path: Path) -> None:
    result = _footbot(["backup", "copy.sqlite3"], cwd=tmp_path)
    assert result.returncode == 1
    assert "no footbot database" in result.stderr
    assert "Backed up" not in result.stdout
    assert list(tmp_path.iterdir()) == []  # neither ./data nor an empty copy


def test_backup_to_a_missing_folder_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    Store.open(tmp_path / "data").close()
    result = _footbot(["backup", "/missing/dir/x"], cwd=tmp_path, FOOTBOT_DATA_DIR=str(tmp_path / "data"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "footbot: Cannot back up to /missing/dir/x: the folder /missing/dir does not exist."
    ]


def test_backup_of_an_empty_database_file_refuses_and_copies_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / DB_FILENAME).write_bytes(b"")
    monkeypatch.setenv("FOOTBOT_DATA_DIR", str(tmp_path / "data"))
    assert main(["backup", str(tmp_path / "copy.sqlite3")]) == 1
    assert "empty (0 bytes)" in capsys.readouterr().err
    assert not (tmp_path / "copy.sqlite3").exists()


def test_backup_and_misses_leave_the_live_database_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(tmp_path / "data") as store:
        store.record_miss("how long should it last")
    database = tmp_path / "data" / DB_FILENAME
    before = database.read_bytes()
    monkeypatch.setenv("FOOTBOT_DATA_DIR", str(tmp_path / "data"))
    assert main(["kb", "misses"]) == 0
    assert main(["backup", str(tmp_path / "copy.sqlite3")]) == 0
    assert "how long should it last" in capsys.readouterr().out
    assert database.read_bytes() == before
    with Store(tmp_path / "copy.sqlite3") as copy:
        assert copy.top_misses() == [("how long should it last", 1)]
