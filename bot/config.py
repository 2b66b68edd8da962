"""Settings read once from the environment, so every adapter agrees on where things are."""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

DEFAULT_BASE_URL = "https://api.telegram.org/bot"


def find_default_knowledge_dir() -> Path:
    """Where footbot's own knowledge is, wherever footbot is installed.

    A wheel or sdist install carries the curator's `knowledge/` folder inside the package as `bot/knowledge`
    (setup.py maps it there), found with importlib.resources. A source checkout or an editable install
    has no such copy: there it is the top-level `knowledge/` beside `bot/`, the curator's source of truth,
    which `footbot kb train` must write to.
    """
    bundled = Path(str(resources.files("bot") / "knowledge"))
    if bundled.is_dir():
        return bundled
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "knowledge").is_dir():
        return checkout / "knowledge"
    return bundled  # missing: loading it then says "no *.yaml files found" with this path


DEFAULT_KNOWLEDGE_DIR = find_default_knowledge_dir()


@dataclass(frozen=True)
class Settings:
    token: str | None
    base_url: str
    base_file_url: str
    data_dir: Path
    knowledge_dir: Path
    record_misses: bool = True  # FOOTBOT_RECORD_MISSES=0: unanswered questions are not counted at all

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        base_url = env.get("TELEGRAM_BASE_URL", "").strip() or DEFAULT_BASE_URL
        return cls(
            token=env.get("TELEGRAM_BOT_TOKEN", "").strip() or None,
            base_url=base_url,
            base_file_url=file_url_for(base_url),
            data_dir=Path(env.get("FOOTBOT_DATA_DIR", "").strip() or "data"),
            knowledge_dir=Path(env.get("FOOTBOT_KNOWLEDGE_DIR", "").strip() or DEFAULT_KNOWLEDGE_DIR),
            record_misses=env.get("FOOTBOT_RECORD_MISSES", "").strip().lower() not in {"0", "false", "no", "off"},
        )


def file_url_for(base_url: str) -> str:
    """File downloads follow the API's host: `http://h:p/bot` -> `http://h:p/file/bot`."""
    head, sep, tail = base_url.rstrip("/").rpartition("/")
    if not sep or not head.split("://", 1)[-1]:
        return base_url.rstrip("/") + "/file/bot"
    return f"{head}/file/{tail}"
