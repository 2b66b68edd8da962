"""Wall-clock scheduling: one reminder per local night, at the right instant, across daylight saving."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.reminders.daywords import next_delivery_words
from bot.reminders.schedule import (
    CATCH_UP_LIMIT_SECONDS,
    decide,
    due_on,
    late_by,
    next_due_after,
    night_of,
    zone_named,
)
from bot.store import Store
from bot.telegram_app.reminder_texts import menu_html, reminder_set_html
from tests.reminders.clock import epoch, local

BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"


def nightly(at: time, zone: str, start: int, nights: int) -> list[int]:
    """The due instants of `nights` consecutive reminders after `start`."""
    found, instant = [], start
    for _ in range(nights):
        instant = next_due_after(at, ZoneInfo(zone), instant)
        found.append(instant)
    return found


def test_an_ordinary_evening_is_due_at_that_wall_time_tonight_then_tomorrow() -> None:
    start = epoch(BERLIN, 2025, 6, 10, 20, 0)
    first, second = nightly(time(22, 30), BERLIN, start, 2)
    assert local(first, BERLIN) == datetime(2025, 6, 10, 22, 30)
    assert local(second, BERLIN) == datetime(2025, 6, 11, 22, 30)


def test_a_time_already_passed_today_is_due_tomorrow() -> None:
    start = epoch(BERLIN, 2025, 6, 10, 22, 31)
    assert local(next_due_after(time(22, 30), ZoneInfo(BERLIN), start), BERLIN) == datetime(2025, 6, 11, 22, 30)


def test_due_exactly_now_is_not_due_again_now() -> None:
    now = epoch(BERLIN, 2025, 6, 10, 22, 30)
    assert next_due_after(time(22, 30), ZoneInfo(BERLIN), now) > now


@pytest.mark.parametrize(
    ("zone", "change_day", "expected_gap_end"),
    [
        (BERLIN, date(2025, 3, 30), datetime(2025, 3, 30, 3, 0)),  # 02:00 -> 03:00 CEST
        (NEW_YORK, date(2025, 3, 9), datetime(2025, 3, 9, 3, 0)),  # 02:00 -> 03:00 EDT
    ],
)
def test_spring_forward_sends_a_skipped_time_at_the_first_minute_after_the_gap(
    zone: str, change_day: date, expected_gap_end: datetime
) -> None:
    start = epoch(zone, *(change_day - timedelta(days=2)).timetuple()[:3], 12, 0)
    dues = nightly(time(2, 30), zone, start, 4)
    walls = [local(due, zone) for due in dues]
    day_before = change_day - timedelta(days=1)
    assert walls == [
        datetime.combine(day_before, time(2, 30)),
        expected_gap_end,
        datetime.combine(change_day + timedelta(days=1), time(2, 30)),
        datetime.combine(change_day + timedelta(days=2), time(2, 30)),
    ]
    assert len({night_of(due, ZoneInfo(zone)) for due in dues}) == 4  # one per night


@pytest.mark.parametrize("zone", [BERLIN, NEW_YORK])
def test_spring_forward_keeps_an_evening_reminder_at_its_wall_time(zone: str) -> None:
    day = date(2025, 3, 30) if zone == BERLIN else date(2025, 3, 9)
    start = epoch(zone, *(day - timedelta(days=1)).timetuple()[:3], 12, 0)
    dues = nightly(time(22, 30), zone, start, 3)
    assert [local(due, zone).time() for due in dues] == [time(22, 30)] * 3
    assert dues[2] - dues[1] == 24 * 3600  # both after the change
    assert dues[1] - dues[0] == 23 * 3600  # the night the clocks went forward is an hour shorter


@pytest.mark.parametrize(
    ("zone", "change_day", "repeated"),
    [(BERLIN, date(2025, 10, 26), time(2, 30)), (NEW_YORK, date(2025, 11, 2), time(1, 30))],
)
def test_fall_back_sends_a_repeated_time_once_at_its_first_occurrence(
    zone: str, change_day: date, repeated: time
) -> None:
    first = epoch(zone, *change_day.timetuple()[:3], repeated.hour, repeated.minute, fold=0)
    second = epoch(zone, *change_day.timetuple()[:3], repeated.hour, repeated.minute, fold=1)
    assert second - first == 3600  # the wall time really happens twice
    start = epoch(zone, *(change_day - timedelta(days=1)).timetuple()[:3], 12, 0)
    dues = nightly(repeated, zone, start, 2)
    assert dues[0] == first
    assert second not in dues
    assert local(dues[1], zone) == datetime.combine(change_day + timedelta(days=1), repeated)
    # Even asked from between the two occurrences, the next one is the following night.
    assert next_due_after(repeated, ZoneInfo(zone), first + 60) == dues[1]


def test_due_on_in_a_gap_and_an_overlap() -> None:
    berlin = ZoneInfo(BERLIN)
    assert local(due_on(date(2025, 3, 30), time(2, 0), berlin), BERLIN) == datetime(2025, 3, 30, 3, 0)
    assert local(due_on(date(2025, 3, 30), time(2, 59), berlin), BERLIN) == datetime(2025, 3, 30, 3, 0)
    assert due_on(date(2025, 10, 26), time(2, 0), berlin) == epoch(BERLIN, 2025, 10, 26, 2, 0, fold=0)


def test_a_skipped_whole_day_still_sends_once_that_night() -> None:
    apia = ZoneInfo("Pacific/Apia")  # Samoa skipped 30 December 2011 entirely
    due = due_on(date(2011, 12, 30), time(22, 30), apia)
    assert local(due, "Pacific/Apia") == datetime(2011, 12, 31, 0, 0)


def test_night_runs_noon_to_noon() -> None:
    berlin = ZoneInfo(BERLIN)
    assert night_of(epoch(BERLIN, 2025, 6, 10, 22, 30), berlin) == date(2025, 6, 10)
    assert night_of(epoch(BERLIN, 2025, 6, 11, 0, 30), berlin) == date(2025, 6, 10)
    assert night_of(epoch(BERLIN, 2025, 6, 11, 11, 59), berlin) == date(2025, 6, 10)
    assert night_of(epoch(BERLIN, 2025, 6, 11, 12, 0), berlin) == date(2025, 6, 11)


def test_lateness_decides_between_catching_up_and_skipping_the_night() -> None:
    berlin = ZoneInfo(BERLIN)
    due = epoch(BERLIN, 2025, 6, 10, 22, 30)
    on_time = decide(time(22, 30), berlin, due, due + 5)
    assert on_time.send and on_time.late_by == 5
    assert local(on_time.next_due, BERLIN) == datetime(2025, 6, 11, 22, 30)
    just_in = decide(time(22, 30), berlin, due, due + CATCH_UP_LIMIT_SECONDS - 1)
    assert just_in.send
    too_late = decide(time(22, 30), berlin, due, due + CATCH_UP_LIMIT_SECONDS)
    assert not too_late.send
    assert too_late.night == date(2025, 6, 10)
    days_later = decide(time(22, 30), berlin, due, due + 3 * 86400 + 60)
    assert not days_later.send
    assert local(days_later.next_due, BERLIN) == datetime(2025, 6, 14, 22, 30)
    assert late_by(due, due - 10) == 0


def test_an_unknown_stored_zone_falls_back_to_utc() -> None:
    assert zone_named("Mars/Olympus_Mons") == ZoneInfo("UTC")


_ZONES = st.sampled_from([BERLIN, NEW_YORK, "Australia/Lord_Howe", "Asia/Kolkata", "America/Santiago", "UTC"])


@settings(max_examples=300, deadline=None)
@given(
    zone=_ZONES,
    at=st.times().map(lambda moment: moment.replace(second=0, microsecond=0)),
    start=st.integers(min_value=epoch("UTC", 2020, 1, 1, 0, 0), max_value=epoch("UTC", 2030, 1, 1, 0, 0)),
)
def test_consecutive_reminders_are_one_per_night_and_at_the_wall_time_when_it_exists(
    zone: str, at: time, start: int
) -> None:
    tz = ZoneInfo(zone)
    dues = nightly(at, zone, start, 3)
    assert start < dues[0] < dues[1] < dues[2]
    assert dues[0] - start <= 25 * 3600
    nights = [night_of(due, tz) for due in dues]
    assert nights[1] == nights[0] + timedelta(days=1)
    assert nights[2] == nights[1] + timedelta(days=1)
    for due in dues:
        wall = local(due, zone)
        if wall.time() != at:  # only in a spring-forward gap, and then just after it
            assert wall.time() > at
            assert (wall - datetime.combine(wall.date(), at)) <= timedelta(hours=1)


# ---- the day named for the next delivery: the person's calendar, not the noon-to-noon night -------


@pytest.mark.parametrize(
    ("now", "at", "words"),
    [
        # Morning: a bedtime reminder is due tonight (a "night" began yesterday noon, but the date is today).
        ((2025, 6, 10, 10, 25), time(22, 0), "tonight"),
        ((2025, 6, 10, 11, 59), time(22, 0), "tonight"),
        ((2025, 6, 10, 12, 1), time(22, 0), "tonight"),
        ((2025, 6, 10, 22, 1), time(22, 0), "tomorrow"),
        # Just after midnight: tonight's 22:00 is still today's date.
        ((2025, 6, 11, 0, 10), time(22, 0), "tonight"),
        # A small-hours time set the evening before is due on tomorrow's date...
        ((2025, 6, 10, 23, 0), time(0, 30), "tomorrow"),
        ((2025, 6, 10, 10, 0), time(0, 30), "tomorrow"),
        # ...and once midnight has passed, it is tonight.
        ((2025, 6, 11, 0, 10), time(0, 30), "tonight"),
        ((2025, 6, 11, 0, 40), time(0, 30), "tomorrow"),
        # A morning time later today (flagged elsewhere as a morning) is "today".
        ((2025, 6, 10, 6, 0), time(9, 0), "today"),
    ],
)
def test_the_next_delivery_is_named_by_its_local_calendar_date(now: tuple[int, ...], at: time, words: str) -> None:
    for zone in (BERLIN, NEW_YORK, "UTC", "Asia/Kolkata"):
        start = epoch(zone, *now)
        due = next_due_after(at, ZoneInfo(zone), start)
        assert next_delivery_words(due, start, ZoneInfo(zone)) == words, zone


def test_the_day_is_named_right_across_a_daylight_saving_change() -> None:
    berlin = ZoneInfo(BERLIN)
    # Spring forward (Sun 30 March 2025, 02:00 -> 03:00): 02:30 is due at 03:00 that Sunday.
    saturday_evening = epoch(BERLIN, 2025, 3, 29, 23, 0)
    due = next_due_after(time(2, 30), berlin, saturday_evening)
    assert local(due, BERLIN) == datetime(2025, 3, 30, 3, 0)
    assert next_delivery_words(due, saturday_evening, berlin) == "tomorrow"
    sunday_small_hours = epoch(BERLIN, 2025, 3, 30, 1, 30)
    assert next_delivery_words(due, sunday_small_hours, berlin) == "tonight"
    # Fall back (Sun 26 October 2025, 03:00 -> 02:00): 23:00 local time still holds after the change.
    after_change = epoch(BERLIN, 2025, 10, 26, 2, 30, fold=1)
    due = next_due_after(time(23, 0), berlin, after_change)
    assert local(due, BERLIN) == datetime(2025, 10, 26, 23, 0)
    assert next_delivery_words(due, after_change, berlin) == "tonight"
    # UTC says it is still Saturday the 25th at 23:30; Berlin is already on Sunday.
    assert next_delivery_words(due, epoch("UTC", 2025, 10, 25, 23, 30), berlin) == "tonight"


def test_further_ahead_the_weekday_then_the_date_is_named() -> None:
    utc = ZoneInfo("UTC")
    now = epoch("UTC", 2025, 6, 10, 12, 0)  # a Tuesday
    assert next_delivery_words(epoch("UTC", 2025, 6, 12, 22, 0), now, utc) == "on Thursday"
    assert next_delivery_words(epoch("UTC", 2025, 6, 24, 22, 0), now, utc) == "on Tue 24 Jun"


@pytest.mark.parametrize(
    ("zone", "now", "words"),
    [
        ("UTC", (2025, 6, 10, 10, 25), "tonight"),  # the case the audit found: it said "tomorrow"
        (BERLIN, (2025, 6, 11, 0, 15), "tonight"),  # after midnight: still today's date for 22:00
        (BERLIN, (2025, 6, 10, 22, 5), "tomorrow"),
        (BERLIN, (2025, 3, 30, 1, 0), "tonight"),  # the night the clocks go forward
        (NEW_YORK, (2025, 11, 2, 1, 30), "tonight"),  # the night they go back
    ],
)
def test_the_confirmation_and_the_menu_name_the_day_of_the_next_reminder(
    store: Store, zone: str, now: tuple[int, ...], words: str
) -> None:
    instant = epoch(zone, *now)
    store.set_zone(7, zone, instant)
    person = store.set_reminder(7, time(22, 0), instant)
    assert f"every night at <b>22:00</b> ({zone}), starting {words}." in reminder_set_html(person, instant)
    assert f"every night at <b>22:00</b> ({zone}), next {words}." in menu_html(person, instant)
