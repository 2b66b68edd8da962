"""From what a person types ("berlin", "Asia/Kolkata", "new york", "NYC", "india", "UTC+2") to an IANA zone.

Sources, in the order they win: a UTC offset; the curated names in `places.csv` (abbreviations, big
cities, multi-zone countries); IANA zone names and their city part; country names from tzdata's own
tables; then fuzzy matching of all of these to forgive typos. A match is either confident (one zone)
or a short list of choices for the person to pick from.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

from rapidfuzz import process
from rapidfuzz.distance import OSA

MAX_CHOICES = 5
PLACES_FILE = Path(__file__).with_name("places.csv")
_CONFIDENT_SCORE = 80.0  # a fuzzy match this good, clearly ahead of any other zone, is taken
_CLEAR_LEAD = 10.0
_CHOICE_SCORE = 60.0  # weaker matches are not worth offering
_WHOLE_WORD_SCORE = 85.0  # "york" is a whole word of "new york"
_NOT_USER_ZONES = frozenset({"Factory", "localtime", "posixrules"})
_OFFSET = re.compile(r"(?:utc|gmt|z)?\s*(?P<sign>[+-])\s*(?P<hours>[0-9]{1,2})(?::?(?P<minutes>[0-9]{2}))?")


@dataclass(frozen=True, slots=True)
class ZoneMatch:
    """`zone` when we are sure; otherwise up to five `choices` (possibly none)."""

    zone: str | None = None
    choices: tuple[str, ...] = ()


def match_zone(text: str, now: datetime | None = None) -> ZoneMatch:
    """The IANA zone a person means by `text`, or choices when unsure. `now` is used for UTC offsets."""
    query = _normalise(text)
    if not query:
        return ZoneMatch()
    if (by_offset := _match_offset(query, now or datetime.now(UTC))) is not None:
        return by_offset
    index = _index()
    if query in index:
        return _as_match(index[query])
    return _within_text(query, index) or _fuzzy(query, index)


def is_known_zone(name: str) -> bool:
    """Whether `name` is a zone we would store (used to check button data before trusting it)."""
    return name in _zone_names()


def describe_zone(zone: str) -> str:
    """How a stored zone is shown: "Europe/Berlin", or "UTC+2 (no daylight saving)" for Etc/GMT-2."""
    if zone.startswith("Etc/GMT") and zone[7:]:
        hours = -int(zone[7:])
        return f"UTC{hours:+d} (no daylight saving)"
    return zone


def _match_offset(query: str, now: datetime) -> ZoneMatch | None:
    found = _OFFSET.fullmatch(query)
    if found is None:
        return None
    sign = 1 if found["sign"] == "+" else -1
    hours, minutes = int(found["hours"]), int(found["minutes"] or 0)
    if hours > 14 or minutes >= 60:
        return ZoneMatch()
    if minutes == 0 and (hours <= 12 or sign > 0):
        if hours == 0:
            return ZoneMatch(zone="UTC")
        # IANA's Etc zones count the other way round: Etc/GMT-2 is two hours ahead of UTC.
        return ZoneMatch(zone=f"Etc/GMT{-sign * hours:+d}")
    wanted = timedelta(hours=hours, minutes=minutes) * sign
    return ZoneMatch(choices=_zones_at_offset(wanted, now))


def _zones_at_offset(offset: timedelta, now: datetime) -> tuple[str, ...]:
    found: list[str] = []
    for zone in _country_zones_in_order():
        if now.astimezone(ZoneInfo(zone)).utcoffset() == offset:
            found.append(zone)
        if len(found) == MAX_CHOICES:
            break
    return tuple(found)


def _within_text(query: str, index: dict[str, tuple[str, ...]]) -> ZoneMatch | None:
    """Known names inside a longer text ("Berlin, Germany", "I live in new york"), longest first."""
    words = query.split()
    if len(words) < 2:
        return None
    covered = [False] * len(words)
    zones: list[str] = []
    for size in range(len(words) - 1, 0, -1):
        for start in range(len(words) - size + 1):
            span = " ".join(words[start : start + size])
            if span in index and not any(covered[start : start + size]):
                covered[start : start + size] = [True] * size
                zones.extend(index[span])
    if not zones:
        return None
    return _as_match(tuple(dict.fromkeys(zones)))


def _fuzzy(query: str, index: dict[str, tuple[str, ...]]) -> ZoneMatch:
    """Typos ("new yrok", "kolkatta") by edit distance; a whole word of a name ("york") also counts."""
    scores = dict.fromkeys(index, 0.0)
    for key, score, _ in process.extract(
        query, list(index), scorer=OSA.normalized_similarity, limit=30, score_cutoff=_CHOICE_SCORE / 100
    ):
        scores[key] = score * 100
    query_words = set(query.split())
    if len(query) >= 3:
        for key in _keys_with_words(frozenset(query_words), index):
            scores[key] = max(scores[key], _WHOLE_WORD_SCORE)
    best_by_zone: dict[str, float] = {}
    for key, score in scores.items():
        if score >= _CHOICE_SCORE:
            for zone in index[key]:
                best_by_zone[zone] = max(best_by_zone.get(zone, 0.0), score)
    ranked = sorted(best_by_zone.items(), key=lambda item: -item[1])
    if not ranked:
        return ZoneMatch()
    top_zone, top_score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if top_score >= _CONFIDENT_SCORE and top_score - runner_up >= _CLEAR_LEAD:
        return ZoneMatch(zone=top_zone)
    return ZoneMatch(choices=tuple(zone for zone, _ in ranked[:MAX_CHOICES]))


def _keys_with_words(words: frozenset[str], index: dict[str, tuple[str, ...]]) -> list[str]:
    return [key for key in index if words <= _key_words(key)]


@lru_cache(maxsize=4096)
def _key_words(key: str) -> frozenset[str]:
    """The words of a name, leaving out a zone's area ("america/new york" -> new, york)."""
    return frozenset(key.split("/", 1)[-1].replace("/", " ").split())


def _as_match(zones: tuple[str, ...]) -> ZoneMatch:
    if len(zones) == 1:
        return ZoneMatch(zone=zones[0])
    return ZoneMatch(choices=zones[:MAX_CHOICES])


def _normalise(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = re.sub(r"[^\w/+\-:]+", " ", plain.replace("_", " "))
    return " ".join(plain.split())


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones()) - _NOT_USER_ZONES


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[str, ...]]:
    """Every name we recognise -> its zones, best first. Earlier sources win a name."""
    names = _zone_names()
    canonical = _canonical_names(names)
    index: dict[str, list[str]] = {}

    def add(key: str, zones: Iterable[str]) -> None:
        key = _normalise(key)
        if key and key not in index:
            index[key] = [zone for zone in zones if zone in names]
            if not index[key]:
                del index[key]

    for name, zones in _read_places().items():
        add(name, zones)
    for zone in sorted(names):
        add(zone, [canonical.get(zone, zone)])
    for zone in _country_zones_in_order():
        add(zone.rsplit("/", 1)[-1], [zone])
    for country, zones in _country_zones().items():
        add(country, zones)
    for zone in sorted(names):
        add(zone.rsplit("/", 1)[-1], [canonical.get(zone, zone)])
    return {key: tuple(dict.fromkeys(zones)) for key, zones in index.items()}


def _read_places() -> dict[str, list[str]]:
    places: dict[str, list[str]] = {}
    with PLACES_FILE.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(line for line in handle if line.strip() and not line.startswith("#"))
        for row in rows:
            if len(row) == 2 and row != ["name", "zone"]:
                places.setdefault(row[0].strip(), []).append(row[1].strip())
    return places


def _tzdata_table(name: str) -> list[list[str]]:
    try:
        text = resources.files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return []
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@lru_cache(maxsize=1)
def _country_zones_in_order() -> tuple[str, ...]:
    """The zones tzdata lists per country (zone.tab): the ones a person actually lives in."""
    return tuple(dict.fromkeys(row[2] for row in _tzdata_table("zone.tab") if len(row) >= 3))


def _country_zones() -> dict[str, list[str]]:
    countries = {row[0]: row[1] for row in _tzdata_table("iso3166.tab") if len(row) >= 2}
    zones: dict[str, list[str]] = {}
    for row in _tzdata_table("zone.tab"):
        if len(row) >= 3 and row[0] in countries:
            zones.setdefault(countries[row[0]], []).append(row[2])
    return zones


def _canonical_names(names: frozenset[str]) -> dict[str, str]:
    """Old link names -> the zone they point to (Asia/Calcutta -> Asia/Kolkata), from tzdata.zi.

    Links that zone.tab still lists for a country (Europe/Amsterdam) are kept as typed.
    """
    listed = set(_country_zones_in_order())
    links: dict[str, str] = {}
    for row in _tzdata_table("tzdata.zi"):
        parts = row[0].split()
        if len(parts) == 3 and parts[0] == "L" and parts[2] not in listed | {"UTC"} and parts[1] in names:
            links[parts[2]] = parts[1]
    return links
