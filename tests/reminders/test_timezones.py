"""Finding the IANA zone a person means: cities from GeoNames, namesakes, countries, states, offsets,
typos, or an honest "not found"."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.reminders import timezones
from bot.reminders.places import place_index
from bot.reminders.timezones import (
    MAX_CHOICES,
    ZoneMatch,
    choice_for_key,
    describe_zone,
    is_known_zone,
    match_zone,
)


@pytest.fixture(scope="module", autouse=True)
def built_index() -> None:
    """Build the GeoNames index once up front, so no test (nor hypothesis' deadline) pays for it."""
    place_index()
    match_zone("berln")


def labels(found: ZoneMatch) -> list[str]:
    return [option.label for option in found.options]


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
        ("bombay", "Asia/Kolkata"),
        ("india", "Asia/Kolkata"),
        ("london", "Europe/London"),
        ("sao paulo", "America/Sao_Paulo"),
        ("São Paulo", "America/Sao_Paulo"),
        ("Zürich", "Europe/Zurich"),
        ("zurich", "Europe/Zurich"),
        ("UTC", "UTC"),
        ("munich", "Europe/Berlin"),
        ("München", "Europe/Berlin"),
        ("cologne", "Europe/Berlin"),
        ("Germany", "Europe/Berlin"),
        ("amsterdam", "Europe/Amsterdam"),
        ("kiev", "Europe/Kyiv"),
        ("kyiv", "Europe/Kyiv"),
        ("EST", "America/New_York"),  # what people mean, with daylight saving, not the fixed EST zone
        ("tromso", "Europe/Oslo"),  # GeoNames has Tromsø (41,000 people): not Asia/Tomsk
        ("Tromsø", "Europe/Oslo"),
        ("rome", "Europe/Rome"),  # Roma dwarfs Rome, Georgia
        ("moskau", "Europe/Moscow"),
        ("wien", "Europe/Vienna"),
        ("peking", "Asia/Shanghai"),
        ("saigon", "Asia/Ho_Chi_Minh"),
        ("paris", "Europe/Paris"),
        ("sydney", "Australia/Sydney"),
        ("perth", "Australia/Perth"),
        ("chicago", "America/Chicago"),
        ("toronto", "America/Toronto"),
        ("buenos aires", "America/Argentina/Buenos_Aires"),
        ("cape town", "Africa/Johannesburg"),
        ("reykjavik", "Atlantic/Reykjavik"),
        ("honolulu", "Pacific/Honolulu"),
        ("tel aviv", "Asia/Jerusalem"),
        ("the hague", "Europe/Amsterdam"),
        ("den haag", "Europe/Amsterdam"),
        ("ontario", "America/Toronto"),
        ("california", "America/Los_Angeles"),
        ("japan", "Asia/Tokyo"),
        # typos
        ("berlinn", "Europe/Berlin"),
        ("new yrok", "America/New_York"),
        ("kolkatta", "Asia/Kolkata"),
        ("londn", "Europe/London"),
        ("vancuver", "America/Vancouver"),
        ("tokio", "Asia/Tokyo"),
        ("berln", "Europe/Berlin"),  # Bern and Bergen are as near, but keep Berlin's clock
        ("chigago", "America/Chicago"),
        ("stockhlm", "Europe/Stockholm"),
        ("amsterdm", "Europe/Amsterdam"),
        ("newyork", "America/New_York"),
        ("losangeles", "America/Los_Angeles"),
        ("helsinky", "Europe/Helsinki"),
        ("dehli", "Asia/Kolkata"),
        ("philadelpia", "America/New_York"),
        ("copenhagan", "Europe/Copenhagen"),
        ("gotheburg", "Europe/Stockholm"),
        ("sao paolo", "America/Sao_Paulo"),
        ("rio de janiero", "America/Sao_Paulo"),
        # a place with its country or state, or a known name inside a longer text
        ("Berlin, Germany", "Europe/Berlin"),
        ("I live in new york", "America/New_York"),
        ("Portland, Maine", "America/New_York"),
        ("portland or", "America/Los_Angeles"),
        ("Kingston, Jamaica", "America/Jamaica"),
        ("kingston ontario", "America/Toronto"),
        ("london, ontario", "America/Toronto"),
        ("Victoria, BC", "America/Vancouver"),
        ("Victoria, Australia", "Australia/Melbourne"),
        ("victoria seychelles", "Indian/Mahe"),
        ("san jose costa rica", "America/Costa_Rica"),
        ("paris, tx", "America/Chicago"),
    ],
)
def test_confident_matches(text: str, zone: str) -> None:
    found = match_zone(text)
    assert found.zone == zone
    assert found.place is not None and found.place.zone == zone


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("kingston", ["Kingston, Jamaica", "Kingston, Canada (Ontario)"]),
        ("victoria", ["Victoria, Canada (British Columbia)", "Victoria, Australia"]),
        ("portland", ["Portland, Oregon", "Portland, Maine"]),
        ("san jose", ["San Jose, California", "San José, Costa Rica"]),
        ("springfield", ["Springfield, Missouri", "Springfield, Illinois", "Springfield, Massachusetts"]),
        ("hamilton", ["Hamilton, Canada (Ontario)", "Hamilton, New Zealand"]),
        ("valencia", ["Valencia, Spain", "Valencia, Venezuela"]),
        ("odessa", ["Odesa, Ukraine", "Odessa, Texas"]),  # a name in another language never wins alone
        ("st petersburg", ["Saint Petersburg, Russia", "St. Petersburg, Florida"]),
        ("georgia", ["Georgia, United States"]),  # the US state, and the country on its own clock
        ("washington", ["Washington, United States", "Washington, District of Columbia"]),
    ],
)
def test_namesakes_of_like_size_are_offered_with_their_country_or_state(text: str, wanted: list[str]) -> None:
    found = match_zone(text)
    assert found.zone is None
    assert 2 <= len(found.options) <= MAX_CHOICES
    assert set(wanted) <= set(labels(found))
    assert all(is_known_zone(option.zone) for option in found.options)


@pytest.mark.parametrize(
    ("text", "taken", "also"),
    [
        ("birmingham", "Birmingham, United Kingdom", "Birmingham, Alabama"),
        ("london", "London, United Kingdom", "London, Canada (Ontario)"),
        ("naples", "Naples, Italy", "Naples, Florida"),
        ("dublin", "Dublin, Ireland", "Dublin, California"),
    ],
)
def test_a_place_far_bigger_than_its_namesakes_is_taken_and_they_become_did_you_mean(
    text: str, taken: str, also: str
) -> None:
    found = match_zone(text)
    assert found.place is not None and found.place.label == taken
    assert also in labels(found)
    assert len(found.options) <= timezones.MAX_ALSO


def test_a_namesake_on_the_same_clock_is_not_offered() -> None:
    found = match_zone("paris")  # Paris, Texas keeps another clock; a French Paris-sur-Something would not
    assert all(option.zone != "Europe/Paris" for option in found.options)


@pytest.mark.parametrize(
    ("text", "expected_first"),
    [
        ("usa", "America/New_York"),
        ("united states", "America/New_York"),
        ("brazil", "America/Sao_Paulo"),
        ("australia", "Australia/Sydney"),
        ("russia", "Europe/Moscow"),
        ("canada", "America/Toronto"),
        ("ist", "Asia/Kolkata"),
    ],
)
def test_unsure_matches_offer_a_few_choices(text: str, expected_first: str) -> None:
    found = match_zone(text)
    assert found.zone is None
    assert 2 <= len(found.choices) <= MAX_CHOICES
    assert found.choices[0] == expected_first
    assert all(is_known_zone(zone) for zone in found.choices)


def test_a_country_offers_its_zones_most_people_first() -> None:
    assert match_zone("usa").choices[:3] == ("America/New_York", "America/Chicago", "America/Los_Angeles")


def test_a_country_or_state_on_several_clocks_asks_most_people_first() -> None:
    assert match_zone("spain").choices == ("Europe/Madrid", "Atlantic/Canary")
    texas = match_zone("texas")
    assert texas.choices == ("America/Chicago", "America/Denver")  # El Paso keeps mountain time
    assert labels(texas)[0] == "America/Chicago (Texas, United States)"
    china = match_zone("china")  # Urumqi's own clock is kept by too few people to ask about
    assert china.zone == "Asia/Shanghai" and china.place is not None and china.place.label == "China"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "xyz",
        "abc",
        "1234",
        "utc+15",
        "asdfgh",
        "qwerty",
        "blorptastic",
        "gibberish",
        "blah blah",
        "zzzzz",
        "hello",
        "house",
    ],
)
def test_nonsense_matches_nothing(text: str) -> None:
    assert match_zone(text) == ZoneMatch()


def test_a_far_fetched_guess_is_not_made() -> None:
    # Two edits from "tomsk" and from no real place within one: nothing, rather than Asia/Tomsk.
    assert match_zone("trimsa").zone != "Asia/Tomsk"
    assert "Asia/Tomsk" not in match_zone("tromsa").choices


def test_whole_hour_offsets_become_fixed_etc_zones_with_the_sign_people_mean() -> None:
    assert match_zone("GMT+2").zone == "Etc/GMT-2"  # IANA's Etc signs are inverted: this is UTC+2
    assert match_zone("utc-5").zone == "Etc/GMT+5"
    assert match_zone("+0").zone == "UTC"
    assert describe_zone("Etc/GMT-2") == "UTC+2 (no daylight saving)"
    assert describe_zone("Europe/Berlin") == "Europe/Berlin"


def test_half_hour_offsets_offer_the_zones_at_that_offset_now_when_their_clocks_differ() -> None:
    winter, summer = datetime(2025, 1, 15, 12, tzinfo=UTC), datetime(2025, 6, 10, 12, tzinfo=UTC)
    # Kolkata and Colombo keep the same time all year: asking which was a choice between the same two clocks
    assert match_zone("UTC+5:30", now=winter).zone == "Asia/Kolkata"
    assert match_zone("+05:45", now=winter).zone == "Asia/Kathmandu"
    # Adelaide keeps daylight saving and Darwin does not: in June both are at +9:30, so the person says which
    assert {"Australia/Adelaide", "Australia/Darwin"} <= set(match_zone("GMT+9:30", now=summer).choices)


def test_every_alias_points_at_a_real_zone() -> None:
    unknown = {name: zones for name, zones in timezones.ALIASES.items() if not all(map(is_known_zone, zones))}
    assert unknown == {}


def test_button_keys_fit_telegram_and_come_back_as_the_same_choice() -> None:
    for text in ("kingston", "usa", "birmingham", "UTC+9:30"):
        found = match_zone(text, now=datetime(2025, 6, 15, tzinfo=UTC))
        for option in found.options:
            assert len(f"rem:tz:{option.key}".encode()) <= 64
            back = choice_for_key(option.key)
            assert back is not None and back.zone == option.zone
            if option.key.startswith(timezones.PLACE_KEY):
                assert back == option  # a place comes back with its label: "Kingston, Jamaica"
    assert all(len(f"rem:tz:{zone}".encode()) <= 64 for zone in timezones._zone_names())


def test_stale_or_tampered_keys_are_refused() -> None:
    assert is_known_zone("Europe/Berlin")
    for key in ("Europe/Nowhere", "../../etc/passwd", "localtime", "g", "g12x", "g999999999999", "g" + "9" * 40, "g²"):
        assert choice_for_key(key) is None
    assert not is_known_zone("localtime")


@settings(deadline=None)
@given(st.text(max_size=60))
def test_any_text_gives_known_zones_only(text: str) -> None:
    found = match_zone(text)
    assert len(found.options) <= MAX_CHOICES
    if found.zone is None:
        assert found.place is None
    for zone in (found.zone, *found.choices, *(option.zone for option in found.options)):
        assert zone is None or is_known_zone(zone)


def test_geonames_is_read_in_this_process_when_the_child_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.reminders import places

    tiny = ({"NO": "Norway"}, {}, [(3133880, "Tromsø", "NO", "18", 41915, "Europe/Oslo", ("tromso",))])
    monkeypatch.setattr(places, "_CHILD", "import sys; sys.exit(3)")
    monkeypatch.setattr(places, "_read_geonames", lambda: tiny)
    assert places._read_geonames_apart() == tiny


@pytest.mark.parametrize(("typed", "offered"), [("narnia", "Sarnia"), ("gotham", "Gotha"), ("wakanda", "Akanda")])
def test_a_name_a_letter_off_a_small_town_is_offered_never_taken(typed: str, offered: str) -> None:
    """From the Telegram probe: made-up places were set to the town a letter away."""
    found = match_zone(typed)
    assert found.zone is None
    assert [option.label.split(",")[0] for option in found.options] == [offered]
