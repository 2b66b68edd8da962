"""Wall-clock helpers for tests: local times in, UTC epoch seconds out (and back), no sleeping."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def epoch(zone: str, *parts: int, fold: int = 0) -> int:
    """UTC epoch seconds of a local wall time, e.g. epoch("Europe/Berlin", 2025, 3, 30, 2, 30)."""
    return int(datetime(*parts, tzinfo=ZoneInfo(zone), fold=fold).timestamp())  # type: ignore[arg-type]


def local(instant: int, zone: str) -> datetime:
    """The local wall time of an instant, without tzinfo, for readable assertions."""
    return datetime.fromtimestamp(instant, ZoneInfo(zone)).replace(tzinfo=None)


class FakeClock:
    """A `now()` callable the tests move by hand."""

    def __init__(self, start: float) -> None:
        self.current = float(start)

    def __call__(self) -> float:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += seconds

    def set(self, instant: float) -> None:
        self.current = float(instant)
