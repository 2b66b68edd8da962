"""Finding the IANA zone a person means: exact names, cities, countries, offsets, typos, or choices."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.reminders import timezones
from bot.reminders.timezones import MAX_CHOICES, describe_zone, is_known_zone, match_zone


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("berlin", "Europe/Berlin"),
        ("Berlin", "Europe/Berlin"),
        ("Asia/Kolkata", "Asia/Kolkata"),
        ("asia/kolkata", "Asia/Kolkata"),
        ("Asia/Calcutta", "Asia/Kolkata"),  # an old link name becomes the zone it points to
        ("US/Eastern", "America/New_York"),
        ("new york", "America/New_York"),
        ("New_York", "America/New_York"),
        ("NYC", "America/New_York"),
        ("mumbai", "Asia/Kolkata"),
        ("india", "Asia/Kolkata"),
        ("london", "Europe/London"),
        ("sao paulo", "America/Sao_Paulo"),
        ("São Paulo", "America/Sao_Paulo"),
        ("UTC", "UTC"),
        ("munich", "Europe/Berlin"),
        ("Germany", "Europe/Berlin"),
        ("amsterdam", "Europe/Amsterdam"),
        ("kiev", "Europe/Kyiv"),
        ("EST", "America/New_York"),  # what people mean, with daylight saving, not the fixed EST zone
        # typos
        ("berlinn", "Europe/Berlin"),
        ("new yrok", "America/New_York"),
        ("kolkatta", "Asia/Kolkata"),
        ("londn", "Europe/London"),
        ("vancuver", "America/Vancouver"),
        # a known name inside a longer text
        ("Berlin, Germany", "Europe/Berlin"),
        ("I live in new york", "America/New_York"),
    ],
)
def test_confident_matches(text: str, zone: str) -> None:
    assert match_zone(text) == timezones.ZoneMatch(zone=zone)


@pytest.mark.parametrize(
    ("text", "expected_first"),
    [("usa", "America/New_York"), ("brazil", "America/Sao_Paulo"), ("ist", "Asia/Kolkata"), ("berln", "Europe/Berlin")],
)
def test_unsure_matches_offer_a_few_choices(text: str, expected_first: str) -> None:
    found = match_zone(text)
    assert found.zone is None
    assert 2 <= len(found.choices) <= MAX_CHOICES
    assert found.choices[0] == expected_first
    assert all(is_known_zone(zone) for zone in found.choices)


@pytest.mark.parametrize("text", ["", "   ", "xyz", "abc", "1234", "utc+15"])
def test_nonsense_matches_nothing(text: str) -> None:
    assert match_zone(text) == timezones.ZoneMatch()


def test_whole_hour_offsets_become_fixed_etc_zones_with_the_sign_people_mean() -> None:
    assert match_zone("GMT+2").zone == "Etc/GMT-2"  # IANA's Etc signs are inverted: this is UTC+2
    assert match_zone("utc-5").zone == "Etc/GMT+5"
    assert match_zone("+0").zone == "UTC"
    assert describe_zone("Etc/GMT-2") == "UTC+2 (no daylight saving)"
    assert describe_zone("Europe/Berlin") == "Europe/Berlin"


def test_half_hour_offsets_offer_the_zones_at_that_offset_now() -> None:
    winter = datetime(2025, 1, 15, 12, tzinfo=UTC)
    assert match_zone("UTC+5:30", now=winter).choices[0] == "Asia/Kolkata"
    assert match_zone("+05:45", now=winter).choices == ("Asia/Kathmandu",)


def test_every_curated_place_points_at_a_real_zone() -> None:
    places = timezones._read_places()
    assert len(places) > 100
    unknown = {name: zones for name, zones in places.items() if not all(is_known_zone(z) for z in zones)}
    assert unknown == {}


def test_every_zone_fits_in_telegram_button_data() -> None:
    assert all(len(f"rem:tz:{zone}".encode()) <= 64 for zone in timezones._zone_names())


def test_is_known_zone_refuses_tampered_names() -> None:
    assert is_known_zone("Europe/Berlin")
    assert not is_known_zone("Europe/Nowhere")
    assert not is_known_zone("../../etc/passwd")
    assert not is_known_zone("localtime")


@given(st.text(max_size=60))
def test_any_text_gives_known_zones_only(text: str) -> None:
    found = match_zone(text)
    assert (found.zone is None) or not found.choices
    assert len(found.choices) <= MAX_CHOICES
    for zone in (found.zone, *found.choices):
        assert zone is None or is_known_zone(zone)
