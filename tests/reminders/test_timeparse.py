"""Reading reminder times as people type them, and refusing the rest with an example that works."""

from __future__ import annotations

from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.reminders.timeparse import TimeParseError, format_time, is_midday, is_morning, parse_time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22:30", time(22, 30)),
        ("10:30pm", time(22, 30)),
        ("10:30 PM", time(22, 30)),
        ("10.30 pm", time(22, 30)),
        ("10.30 p.m.", time(22, 30)),
        ("22.30", time(22, 30)),
        ("2230", time(22, 30)),
        ("930", time(9, 30)),
        ("22h30", time(22, 30)),
        ("22h", time(22, 0)),
        ("22 30", time(22, 30)),
        ("10pm", time(22, 0)),
        ("10 pm", time(22, 0)),
        ("10p", time(22, 0)),
        ("9:05am", time(9, 5)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("12:15 am", time(0, 15)),
        ("23", time(23, 0)),
        ("0", time(0, 0)),
        ("00:00", time(0, 0)),
        ("noon", time(12, 0)),
        ("Midnight", time(0, 0)),
        ("  at 21:45  ", time(21, 45)),
        ("9:30", time(9, 30)),
    ],
)
def test_reads_common_ways_of_writing_a_time(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    "text", ["24:00", "25:61", "22:60", "abc", "", "   ", "10:30xm", "13pm", "0am", "22:3", "123456", "-1", "2 2:30"]
)
def test_refuses_what_is_not_a_time_with_an_example_that_works(text: str) -> None:
    with pytest.raises(TimeParseError) as caught:
        parse_time(text)
    assert "22:30" in str(caught.value)


def test_a_bare_hour_is_ambiguous_and_offers_evening_first() -> None:
    with pytest.raises(TimeParseError) as caught:
        parse_time("9")
    assert caught.value.choices == (time(21, 0), time(9, 0))
    assert "9pm" in str(caught.value)


def test_bare_twelve_offers_midnight_before_noon() -> None:
    with pytest.raises(TimeParseError) as caught:
        parse_time("12")
    assert caught.value.choices == (time(0, 0), time(12, 0))


def test_long_garbage_is_not_echoed_in_full() -> None:
    with pytest.raises(TimeParseError) as caught:
        parse_time("x" * 500)
    assert len(str(caught.value)) < 200


def test_shown_times_are_24_hour_and_morning_is_flagged() -> None:
    assert format_time(time(9, 5)) == "09:05"
    assert is_morning(time(9, 30))
    assert not is_morning(time(22, 30))
    assert not is_morning(time(0, 30))


@given(st.text(max_size=40))
def test_parse_never_raises_anything_but_its_own_error(text: str) -> None:
    try:
        result = parse_time(text)
    except TimeParseError as error:
        assert str(error)
    else:
        assert isinstance(result, time)


@given(st.times().map(lambda moment: moment.replace(second=0, microsecond=0)))
def test_every_time_we_show_reads_back_as_itself(moment: time) -> None:
    assert parse_time(format_time(moment)) == moment
    twelve_hour = f"{(moment.hour % 12) or 12}:{moment.minute:02d} {'pm' if moment.hour >= 12 else 'am'}"
    assert parse_time(twelve_hour) == moment


def test_the_morning_warning_covers_four_to_noon() -> None:
    """ "/remind 4:30" is probably a slip for the evening; 03:59 is a night owl's own choice."""
    assert is_morning(time(4, 0)) and is_morning(time(11, 59))
    assert not is_morning(time(3, 59)) and not is_morning(time(12, 0))


@pytest.mark.parametrize("text", ["２２:３０", "22：30", "٢٢:٣٠", "۲۲:۳۰", "१०:३० pm"])
def test_digits_of_other_keyboards_and_scripts_read_as_the_time(text: str) -> None:
    """From the Telegram probe: full-width and Arabic-Indic digits were "not a time"."""
    assert parse_time(text) == time(22, 30)


def test_midday_is_flagged_as_a_likely_slip_for_midnight() -> None:
    assert is_midday(parse_time("12pm")) and is_midday(parse_time("12:45"))
    assert not is_midday(parse_time("12am")) and not is_midday(parse_time("13:00"))
