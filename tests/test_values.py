import math

import pytest

from khasham_learn.values import parse_value, weekday_of, words_to_number


@pytest.mark.parametrize(
    "kind, raw, display, low, high",
    [
        ("number", "500", "500", 500, 500),
        ("number", "2,000", "2,000", 2000, 2000),
        ("number", "about 500", "about 500", 450, 550),
        ("number", "more than 500", "more than 500", 500, math.inf),
        ("number", "over 200", "more than 200", 200, math.inf),
        ("number", "fewer than 100", "fewer than 100", 0, 100),
        ("number", "200-300", "200 to 300", 200, 300),
        ("number", "200 to 300", "200 to 300", 200, 300),
        ("number", "around a hundred", "about 100", 90, 110),
        ("number", "dozens", "dozens", 24, 99),
        ("number", "none", "none", 0, 0),
        ("number", "forty", "40", 40, 40),
        ("time", "22:30", "10:30 p.m.", 1350, 1350),
        ("time", "about 22:00", "about 10:00 p.m.", 1310, 1330),
        ("time", "1:00", "1:00 a.m.", 60, 60),
        ("time", "10:30 pm", "10:30 p.m.", 1350, 1350),
        ("duration", "4 hours", "4 hours", 240, 240),
        ("duration", "15 minutes", "15 minutes", 15, 15),
        ("duration", "four-hour", "4 hours", 240, 240),
        ("date", "2018", "2018", 736695, 737059),
    ],
)
def test_interval_values(kind, raw, display, low, high):
    value = parse_value(kind, raw)
    assert value.display == display
    assert value.low == pytest.approx(low)
    assert value.high == pytest.approx(high) if high != math.inf else value.high == math.inf


def test_dates_and_weekdays():
    day = parse_value("date", "2018-02-07")
    assert day.display == "7 February 2018"
    assert weekday_of(day) == "Wednesday"
    assert weekday_of(parse_value("date", "2018-02")) is None
    assert parse_value("weekday", "wed").display == "Wednesday"


def test_names_drop_titles():
    assert parse_value("name", "Lt. Gen. Jeffrey L. Harrigian").key == "jeffrey l harrigian"
    assert parse_value("name", "Col. Thomas Veale").key == "thomas veale"


@pytest.mark.parametrize(
    "kind, raw, message",
    [
        ("number", "lots", "not a number value"),
        ("time", "late evening", "not a time"),
        ("time", "25:00", "not a time of day"),
        ("date", "7 Feb 2018", "not a date"),
        ("date", "2018-02-30", "not a date"),
        ("weekday", "Someday", "not a day of the week"),
        ("duration", "a while", "not a duration"),
    ],
)
def test_bad_values_say_how_to_write_them(kind, raw, message):
    with pytest.raises(ValueError, match=message):
        parse_value(kind, raw)


@pytest.mark.parametrize("text, number", [("forty", 40), ("two hundred", 200), ("a hundred", 100), ("twenty-one", 21), ("1,500", 1500)])
def test_number_words(text, number):
    assert words_to_number(text) == number


@pytest.mark.parametrize(
    "kind, raw, display",
    [
        ("number", "twenty-five", "25"),
        ("number", "up to 100", "fewer than 100"),
        ("number", "~500", "about 500"),
        ("number", ">500", "more than 500"),
        ("number", "about 200 to 300", "about 200 to 300"),
        ("duration", "twenty-four hours", "24 hours"),
        ("duration", "4-3 hours", "3 to 4 hours"),
    ],
)
def test_hyphens_symbols_and_prefixes(kind, raw, display):
    value = parse_value(kind, raw)
    assert value.display == display and value.low <= value.high


def test_huge_numbers_are_refused_not_crashed():
    with pytest.raises(ValueError):
        parse_value("number", "9" * 400)
    with pytest.raises(ValueError):
        parse_value("duration", "9" * 100 + " hours")


def test_times_wrap_at_midnight():
    assert parse_value("time", "about 23:55").meets(parse_value("time", "00:05"))
