"""From what a person types ("kingston", "Asia/Kolkata", "new yrok", "india", "UTC+2") to an IANA zone.

Sources, in the order they win: a UTC offset; clock abbreviations and nicknames GeoNames cannot know
(`ALIASES`); IANA zone names; GeoNames places (`places.py`: cities, countries, states); a place with
its country or state ("Portland, Maine"); a known name inside a longer text; then typos, forgiven only
a letter or two and only for towns of some size, so "tromso" never becomes Tomsk.

Many places share a name. The biggest is taken only when it dwarfs the others (London, Paris); the
others that keep a different clock come along as "did you mean" options. Otherwise the person picks
from the biggest few ("Kingston, Jamaica", "Kingston, Canada (Ontario)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo, available_timezones

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.reminders.places import Place, PlaceIndex, Region, normalise, place_index, region_codes

MAX_CHOICES = 5
MAX_ALSO = 2  # "did you mean" buttons under a confident pick
PLACE_KEY = "g"  # button data for a GeoNames place: "g" + geonameid; anything else is a zone name
_NEGLIGIBLE = 50  # a namesake with under 1/50 of the biggest's people is not offered
_DWARFS = 15  # the biggest is taken when it has 15x the people of any namesake on another clock...
_BIG_CITY = 1_000_000  # ...or 5x, when it is a city of a million
_BIG_CITY_DWARFS = 5
_FUZZY_MIN_POPULATION = 15_000
_SURE_TYPO_POPULATION = 500_000  # a letter off a city this big is taken ("berln"); off a smaller town, only offered
_SHORT_WORD = 5
_WITHIN_TEXT_MIN_POPULATION = 100_000
_NOT_USER_ZONES = frozenset({"Factory", "localtime", "posixrules"})
_OFFSET = re.compile(r"(?:utc|gmt|z)?\s*(?P<sign>[+-])\s*(?P<hours>[0-9]{1,2})(?::?(?P<minutes>[0-9]{2}))?")

# What GeoNames cannot know: clock abbreviations people use for their own time (mapped to zones that
# follow daylight saving, since "EST" in June still means New York), and city nicknames. Several
# zones for one name are offered as choices, in this order.
ALIASES: dict[str, tuple[str, ...]] = {
    "est": ("America/New_York",), "edt": ("America/New_York",), "et": ("America/New_York",),
    "eastern": ("America/New_York",), "cst": ("America/Chicago", "Asia/Shanghai"), "cdt": ("America/Chicago",),
    "central": ("America/Chicago",), "mst": ("America/Denver", "America/Phoenix"), "mdt": ("America/Denver",),
    "mountain": ("America/Denver",), "pst": ("America/Los_Angeles",), "pdt": ("America/Los_Angeles",),
    "pt": ("America/Los_Angeles",), "pacific": ("America/Los_Angeles",), "akst": ("America/Anchorage",),
    "hst": ("Pacific/Honolulu",), "bst": ("Europe/London",), "gmt": ("Europe/London", "UTC"),
    "cet": ("Europe/Berlin",), "cest": ("Europe/Berlin",), "eet": ("Europe/Athens",), "eest": ("Europe/Athens",),
    "wet": ("Europe/Lisbon",), "msk": ("Europe/Moscow",), "ist": ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"),
    "pkt": ("Asia/Karachi",), "jst": ("Asia/Tokyo",), "kst": ("Asia/Seoul",), "hkt": ("Asia/Hong_Kong",),
    "sgt": ("Asia/Singapore",), "aest": ("Australia/Sydney",), "aedt": ("Australia/Sydney",),
    "acst": ("Australia/Adelaide",), "awst": ("Australia/Perth",), "nzst": ("Pacific/Auckland",),
    "nzdt": ("Pacific/Auckland",), "sast": ("Africa/Johannesburg",), "wat": ("Africa/Lagos",),
    "eat": ("Africa/Nairobi",), "brt": ("America/Sao_Paulo",), "art": ("America/Argentina/Buenos_Aires",),
    # city nicknames: not among GeoNames' names for these cities
    "nyc": ("America/New_York",), "ny": ("America/New_York",), "la": ("America/Los_Angeles",),
    "sf": ("America/Los_Angeles",), "dc": ("America/New_York",),
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class ZoneChoice:
    """A zone as the person sees it ("Kingston, Jamaica") and the button data that brings it back."""

    zone: str
    label: str
    key: str  # a zone name, or PLACE_KEY + geonameid; at most 30 bytes (Telegram allows 64 in all)


@dataclass(frozen=True, slots=True)
class ZoneMatch:
    """`zone` when we are sure (`place` says what it stands for, `options` are "did you mean"s);
    otherwise `options` to pick from (possibly none)."""

    zone: str | None = None
    place: ZoneChoice | None = None
    options: tuple[ZoneChoice, ...] = ()

    @property
    def choices(self) -> tuple[str, ...]:
        """The zones to pick from when unsure."""
        return () if self.zone is not None else tuple(option.zone for option in self.options)


@dataclass(frozen=True, slots=True)
class _Candidate:
    choice: ZoneChoice
    people: int
    is_city: bool
    region: str | None = None  # a region's own name, for when its main zone is taken: "Texas, United States"
    other_name: bool = False  # a city found by a name in another language ("odessa" for Odesa)

    @property
    def region_choice(self) -> ZoneChoice:
        return self.choice if self.region is None else ZoneChoice(self.choice.zone, self.region, self.choice.key)


def match_zone(text: str, now: datetime | None = None) -> ZoneMatch:
    """The IANA zone a person means by `text`, or choices when unsure. `now` is used for UTC offsets."""
    raw = " ".join(text.casefold().split())
    if (by_offset := _match_offset(raw, now or datetime.now(UTC))) is not None:
        return by_offset
    query = normalise(text)
    if not query:
        return ZoneMatch()
    if query in ALIASES:
        return _decide([_zone_candidate(zone) for zone in ALIASES[query]], keep_order=True)
    if (zone := _zone_names_folded().get(raw.replace(" ", "_"))) is not None:
        return ZoneMatch(zone=zone, place=_zone_choice(zone))
    index = place_index()
    if candidates := _named(query, index):
        return _decide(candidates)
    if (zone := _zone_cities().get(query)) is not None:
        return ZoneMatch(zone=zone, place=_zone_choice(zone))
    return _with_qualifier(query, index) or _within_text(query, index) or _fuzzy(query, index)


def is_known_zone(name: str) -> bool:
    """Whether `name` is a zone we would store (used to check button data before trusting it)."""
    return name in _zone_names()


def choice_for_key(key: str) -> ZoneChoice | None:
    """The choice a button's data stands for, or None when it is stale or tampered with."""
    if key.startswith(PLACE_KEY) and key[1:].isascii() and key[1:].isdigit() and len(key) <= 12:
        index = place_index()
        place = index.place(int(key[1:]))
        return None if place is None or not is_known_zone(place.zone) else _city_choice(place, index)
    return _zone_choice(key) if is_known_zone(key) else None


def describe_zone(zone: str) -> str:
    """How a stored zone is shown: "Europe/Berlin", or "UTC+2 (no daylight saving)" for Etc/GMT-2."""
    if zone.startswith("Etc/GMT") and zone[7:]:
        hours = -int(zone[7:])
        return f"UTC{hours:+d} (no daylight saving)"
    return zone


# ---- deciding among namesakes ---------------------------------------------------------------------


def _decide(candidates: list[_Candidate], keep_order: bool = False) -> ZoneMatch:
    """Take the biggest when it dwarfs every namesake on another clock; else offer the biggest few."""
    ranked = candidates if keep_order else sorted(candidates, key=lambda found: (-found.people, found.other_name))
    unique: dict[str, _Candidate] = {}
    for candidate in ranked:
        unique.setdefault(candidate.choice.label, candidate)
    top, *rest = unique.values()
    floor = top.people / _NEGLIGIBLE
    others = [candidate for candidate in rest if candidate.people >= floor or keep_order]
    elsewhere = [candidate for candidate in others if _clock(candidate.choice.zone) != _clock(top.choice.zone)]
    if not elsewhere:
        return ZoneMatch(zone=top.choice.zone, place=_best_label(top, others))
    ratio = top.people / max(elsewhere[0].people, 1)
    # A city and a region of one name, or a name that is another city's own: the person says which.
    same_kind = all(candidate.is_city == top.is_city and not candidate.other_name for candidate in elsewhere)
    same_kind = same_kind and not top.other_name
    # A country or state on several clocks always asks: which one is not ours to guess.
    dwarfs = top.is_city and (ratio >= _DWARFS or (top.people >= _BIG_CITY and ratio >= _BIG_CITY_DWARFS))
    if same_kind and dwarfs and not keep_order:
        also = tuple(candidate.choice for candidate in elsewhere[:MAX_ALSO])
        return ZoneMatch(zone=top.choice.zone, place=top.region_choice, options=also)
    offered = [top, *others]
    # A place's own name goes first: "islamabad" is Islamabad before Chattogram, once also called so.
    offered.sort(key=lambda candidate: candidate.other_name)
    return ZoneMatch(options=tuple(candidate.choice for candidate in offered[:MAX_CHOICES]))


def _best_label(top: _Candidate, others: list[_Candidate]) -> ZoneChoice:
    """A city says more than its state: "new york" is New York City, not New York State."""
    if top.is_city:
        return top.choice
    return next((candidate.choice for candidate in others if candidate.is_city), top.region_choice)


@lru_cache(maxsize=1024)
def _clock(zone: str) -> tuple[timedelta | None, timedelta | None]:
    """Zones that keep the same time all year (America/Toronto, America/New_York) are one clock."""
    info = ZoneInfo(zone)
    return tuple(datetime(2025, month, 15, 12, tzinfo=UTC).astimezone(info).utcoffset() for month in (1, 7))  # type: ignore[return-value]


# ---- candidates from names ------------------------------------------------------------------------


def _named(key: str, index: PlaceIndex, min_population: int = 0) -> list[_Candidate]:
    """Every city and region called exactly `key`."""
    own = index.city_names.get(key, ())
    found = [
        _Candidate(_city_choice(place, index), place.population, True, other_name=position not in own)
        for place, position in index.cities_named(key)
        if place.population >= min_population and is_known_zone(place.zone)
    ]
    for region in index.regions.get(key, ()):
        found.extend(_region_candidates(region))
    return found


def _region_candidates(region: Region) -> list[_Candidate]:
    """One candidate per clock in the region, biggest first: "United States: America/Chicago"."""
    clocks: dict[tuple[timedelta | None, timedelta | None], tuple[str, int]] = {}
    for zone, people in region.zones:
        if is_known_zone(zone):
            first, counted = clocks.get(clock := _clock(zone), (zone, 0))
            clocks[clock] = (first, counted + people)
    ranked = sorted(clocks.values(), key=lambda item: -item[1])
    ranked = [(zone, people) for zone, people in ranked if people >= ranked[0][1] / _NEGLIGIBLE]
    if len(ranked) == 1:
        [(zone, people)] = ranked
        return [_Candidate(ZoneChoice(zone, region.name, zone), people, False)]
    return [
        _Candidate(ZoneChoice(zone, f"{describe_zone(zone)} ({region.name})", zone), people, False, region.name)
        for zone, people in ranked
    ]


def _with_qualifier(query: str, index: PlaceIndex) -> ZoneMatch | None:
    """A city in a region: "Portland, Maine", "london ontario", "Kingston Jamaica", "portland me"; or a
    state in its country ("Victoria, Australia")."""
    words = query.split()
    codes = region_codes()
    for split in range(len(words) - 1, 0, -1):
        city, qualifier = " ".join(words[:split]), " ".join(words[split:])
        regions: list[tuple[str, str | None]] = [
            (region.country, region.region) for region in index.regions.get(qualifier, ())
        ]
        if qualifier in codes:
            regions.append(codes[qualifier])
        if not regions:
            continue
        countries = {country for country, _ in regions}
        # "victoria australia": the state of Victoria, when no city of that name is in Australia
        states = [area for area in index.regions.get(city, ()) if area.country in countries and area.region]
        if states and not any(place.country in countries for place, _ in index.cities_named(city)):
            return _decide([candidate for area in states for candidate in _region_candidates(area)])
        inside = [
            _Candidate(_city_choice(place, index), place.population, True)
            for place, _ in index.cities_named(city)
            if any(place.country == country and region in (None, place.region) for country, region in regions)
            and is_known_zone(place.zone)
        ]
        if inside:
            return _decide(inside)
    return None


def _within_text(query: str, index: PlaceIndex) -> ZoneMatch | None:
    """A known name inside a longer text ("I live in new york"): the longest span that names a sizeable
    city, a region, or an alias."""
    words = query.split()
    for size in range(len(words) - 1, 0, -1):
        found: list[_Candidate] = []
        for start in range(len(words) - size + 1):
            span = " ".join(words[start : start + size])
            if span in ALIASES and size > 1:
                found.extend(_zone_candidate(zone) for zone in ALIASES[span])
            found.extend(_named(span, index, min_population=_WITHIN_TEXT_MIN_POPULATION))
        if found:
            return _decide(found)
    return None


def _fuzzy(query: str, index: PlaceIndex) -> ZoneMatch:
    """Typos ("new yrok", "berln", "tokio"): names within a letter or two, of towns of some size.

    The fewest edits win; among names equally near, the usual rule for namesakes decides.
    """
    allowed = _allowed_edits(query)
    if allowed == 0:
        return ZoneMatch()
    keys = _fuzzy_keys()
    found = process.extract(query, keys, scorer=OSA.distance, score_cutoff=allowed, limit=40)
    if not found:
        return ZoneMatch()
    nearest = min(distance for _, distance, _ in found)
    # Two or three edits away, only a city of some size is a likely meaning ("blah blah" is not Bah-Bah);
    # a five-letter word is one edit from many towns, so only a city of a million ("hello" is not Bello).
    min_population = _FUZZY_MIN_POPULATION if nearest <= 1 else _WITHIN_TEXT_MIN_POPULATION
    if len(query.replace(" ", "")) <= _SHORT_WORD:
        min_population = _BIG_CITY
    candidates: list[_Candidate] = []
    for key, distance, _ in found:
        if distance == nearest:
            if key in ALIASES:
                candidates.extend(_zone_candidate(zone) for zone in ALIASES[key])
            candidates.extend(_named(key, index, min_population=min_population))
    # Near a city's own name, a smaller city near one of its names in other languages is noise
    # ("berln": Berlin, not Belém, once "Beren").
    biggest_own = max((found.people for found in candidates if found.is_city and not found.other_name), default=0)
    candidates = [found for found in candidates if not found.other_name or found.people > biggest_own]
    if not candidates:
        return ZoneMatch()
    match = _decide(candidates)
    if match.zone is not None and (nearest > 1 or max(found.people for found in candidates) < _SURE_TYPO_POPULATION):
        # Near a town, or two letters off, it is a guess ("narnia" is not Sarnia, "gotham" not Gotha): offered, not set.
        return ZoneMatch(options=(match.place or _zone_choice(match.zone), *match.options)[:MAX_CHOICES])
    return match


def _allowed_edits(query: str) -> int:
    """No guessing under five letters ("abc"); one edit up to seven, two up to eleven, then three."""
    letters = len(query.replace(" ", ""))
    if letters < 5:
        return 0
    return 1 if letters <= 7 else 2 if letters <= 11 else 3


@lru_cache(maxsize=1)
def _fuzzy_keys() -> tuple[str, ...]:
    """Names worth guessing: regions, long aliases, towns of 15,000 people or more, and the names in
    other languages of cities of 100,000 or more (positions are biggest first, so [0] is the biggest)."""
    index = place_index()
    keys = {key for key in index.regions}
    keys.update(key for key in ALIASES if len(key) >= 5)
    keys.update(key for key, at in index.city_names.items() if index.places[at[0]].population >= _FUZZY_MIN_POPULATION)
    keys.update(
        key for key, at in index.other_names.items() if index.places[at[0]].population >= _WITHIN_TEXT_MIN_POPULATION
    )
    return tuple(sorted(keys))


# ---- zones and their labels -----------------------------------------------------------------------


def _city_choice(place: Place, index: PlaceIndex | None = None) -> ZoneChoice:
    label = (index or place_index()).label(place)
    return ZoneChoice(place.zone, label, f"{PLACE_KEY}{place.geonameid}")


def _zone_choice(zone: str) -> ZoneChoice:
    return ZoneChoice(zone, describe_zone(zone), zone)


def _zone_candidate(zone: str) -> _Candidate:
    return _Candidate(_zone_choice(zone), 0, False)


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
            return ZoneMatch(zone="UTC", place=_zone_choice("UTC"))
        # IANA's Etc zones count the other way round: Etc/GMT-2 is two hours ahead of UTC.
        zone = f"Etc/GMT{-sign * hours:+d}"
        return ZoneMatch(zone=zone, place=_zone_choice(zone))
    wanted = timedelta(hours=hours, minutes=minutes) * sign
    zones = _zones_at_offset(wanted, now)
    if zones and len({_clock(zone) for zone in zones}) == 1:
        # "UTC+5:30": Asia/Kolkata and Asia/Colombo keep the same time all year, so there is nothing to choose
        return ZoneMatch(zone=zones[0], place=_zone_choice(zones[0]))
    return ZoneMatch(options=tuple(_zone_choice(zone) for zone in zones))


def _zones_at_offset(offset: timedelta, now: datetime) -> tuple[str, ...]:
    found: list[str] = []
    for zone in _country_zones_in_order():
        if now.astimezone(ZoneInfo(zone)).utcoffset() == offset:
            found.append(zone)
        if len(found) == MAX_CHOICES:
            break
    return tuple(found)


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones()) - _NOT_USER_ZONES


@lru_cache(maxsize=1)
def _zone_names_folded() -> dict[str, str]:
    """Every IANA name case-folded, old links to their zone: "asia/calcutta" -> "Asia/Kolkata"."""
    canonical = _canonical_names(_zone_names())
    return {zone.casefold(): canonical.get(zone, zone) for zone in _zone_names()}


@lru_cache(maxsize=1)
def _zone_cities() -> dict[str, str]:
    """A zone's city part ("kolkata", "new york") for the rare one GeoNames has no city for."""
    canonical = _canonical_names(_zone_names())
    found: dict[str, str] = {}
    for zone in (*_country_zones_in_order(), *sorted(_zone_names())):
        if "/" in zone:
            found.setdefault(normalise(zone.rsplit("/", 1)[-1]), canonical.get(zone, zone))
    return found


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
