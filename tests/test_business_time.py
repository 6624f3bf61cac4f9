"""Business hours in Mexico City: due times, elapsed hours and rest days."""

from __future__ import annotations

import time as clock
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from vigia.business_time import BusinessCalendar, CalendarConfigError, HolidayRule
from vigia.errors import VigiaError

CDMX = ZoneInfo("America/Mexico_City")
CONFIG = Path(__file__).resolve().parents[1] / "config" / "routing.yaml"


def local(text: str) -> datetime:
    """A Mexico City wall time written "2026-11-13 17:00"."""
    return datetime.fromisoformat(text).replace(tzinfo=CDMX)


@cache
def shipped_calendar() -> BusinessCalendar:
    """The calendar of the shipped rules file."""
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    return BusinessCalendar.from_config(config["business_hours"], config["holidays"])


@pytest.fixture
def calendar() -> BusinessCalendar:
    return shipped_calendar()


# --- rest days -------------------------------------------------------------

HOLIDAYS = {
    2018: ["01-01", "02-05", "03-19", "05-01", "09-16", "11-19", "12-01", "12-25"],
    2022: ["01-01", "02-07", "03-21", "05-01", "09-16", "11-21", "12-25"],
    2024: ["01-01", "02-05", "03-18", "05-01", "09-16", "10-01", "11-18", "12-25"],
    2025: ["01-01", "02-03", "03-17", "05-01", "09-16", "11-17", "12-25"],
    2026: ["01-01", "02-02", "03-16", "05-01", "09-16", "11-16", "12-25"],
    2030: ["01-01", "02-04", "03-18", "05-01", "09-16", "10-01", "11-18", "12-25"],
}


@pytest.mark.parametrize("year", sorted(HOLIDAYS))
def test_holidays_follow_the_federal_labour_law(
    calendar: BusinessCalendar, year: int
) -> None:
    expected = {date.fromisoformat(f"{year}-{day}") for day in HOLIDAYS[year]}

    assert calendar.holidays(year) == expected


@pytest.mark.parametrize(
    ("year", "inauguration"),
    [(2024, True), (2025, False), (2030, True), (2036, True), (2027, False)],
)
def test_1_october_is_a_rest_day_only_when_a_president_takes_office(
    calendar: BusinessCalendar, year: int, inauguration: bool
) -> None:
    assert (date(year, 10, 1) in calendar.holidays(year)) is inauguration


@pytest.mark.parametrize(
    ("rule", "year", "expected"),
    [
        (HolidayRule("último lunes", 5, weekday=0, nth=-1), 2026, date(2026, 5, 25)),
        (
            HolidayRule("último viernes", 12, weekday=4, nth=-1),
            2026,
            date(2026, 12, 25),
        ),
        (HolidayRule("segundo martes", 6, weekday=1, nth=2), 2026, date(2026, 6, 9)),
        (HolidayRule("bisiesto", 2, day=29), 2027, None),
        (HolidayRule("hasta 2018", 12, day=1, last_year=2018), 2019, None),
    ],
)
def test_a_holiday_rule_finds_its_date_or_skips_the_year(
    rule: HolidayRule, year: int, expected: date | None
) -> None:
    assert rule.date_in(year) == expected


def test_extra_agency_holidays_are_rest_days_of_their_year_only() -> None:
    calendar = BusinessCalendar.from_config(
        {"timezone": "America/Mexico_City", "days": ["monday", "friday"],
         "start": "09:00", "end": "18:00"},
        {"extra": ["2026-12-12", date(2027, 1, 6)]},
    )  # fmt: skip

    assert calendar.holidays(2026) == {date(2026, 12, 12)}
    assert calendar.holidays(2027) == {date(2027, 1, 6)}


# --- open or closed ----------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (local("2026-03-10 09:00"), True),  # Tuesday, opening
        (local("2026-03-10 08:59"), False),
        (local("2026-03-10 17:59"), True),
        (local("2026-03-10 18:00"), False),  # closing time is already closed
        (local("2026-03-14 12:00"), False),  # Saturday
        (local("2026-03-16 12:00"), False),  # Juárez's birthday, observed
        (datetime(2026, 3, 10, 15, tzinfo=UTC), True),  # 09:00 in Mexico City
        (datetime(2026, 3, 10, 3, tzinfo=UTC), False),  # Monday 21:00 there
    ],
)
def test_business_time_is_weekday_office_hours_in_mexico_city(
    calendar: BusinessCalendar, moment: datetime, is_open: bool
) -> None:
    assert calendar.is_business_time(moment) is is_open


def test_a_naive_datetime_is_refused(calendar: BusinessCalendar) -> None:
    with pytest.raises(ValueError, match="no time zone"):
        calendar.add_business_hours(datetime(2026, 3, 10, 10), 1)


# --- due times ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("opened", "hours", "due"),
    [
        pytest.param("2026-03-10 10:00", 3, "2026-03-10 13:00", id="same-day"),
        pytest.param("2026-03-10 10:00", 8, "2026-03-10 18:00", id="until-closing"),
        pytest.param("2026-03-10 10:00", 8.5, "2026-03-11 09:30", id="next-morning"),
        pytest.param("2026-03-06 17:00", 9, "2026-03-09 17:00", id="over-a-weekend"),
        pytest.param("2026-11-13 17:00", 9, "2026-11-17 17:00", id="revolution-day"),
        pytest.param("2026-11-13 17:00", 27, "2026-11-19 17:00", id="fraud-triage"),
        pytest.param("2026-03-11 22:30", 9, "2026-03-12 18:00", id="opened-at-night"),
        pytest.param("2026-03-11 06:00", 1, "2026-03-11 10:00", id="before-opening"),
        pytest.param("2026-03-16 11:00", 9, "2026-03-17 18:00", id="on-a-holiday"),
        pytest.param("2026-03-07 12:00", 4.5, "2026-03-09 13:30", id="on-saturday"),
        pytest.param("2026-03-10 18:00", 0, "2026-03-11 09:00", id="zero-at-close"),
        pytest.param("2026-12-24 16:00", 9, "2026-12-28 16:00", id="christmas"),
        pytest.param("2026-11-13 17:00", 180, "2026-12-14 17:00", id="twenty-days"),
        pytest.param("2022-07-13 10:00", 2, "2022-07-13 12:00", id="2022-summer"),
        pytest.param("2022-10-28 17:00", 9, "2022-10-31 17:00", id="2022-dst-ends"),
        pytest.param("2022-04-01 17:00", 9, "2022-04-04 17:00", id="2022-dst-starts"),
    ],
)
def test_due_time_counts_only_business_hours(
    calendar: BusinessCalendar, opened: str, hours: float, due: str
) -> None:
    result = calendar.add_business_hours(local(opened), hours)

    assert result == local(due)
    assert result.tzinfo is UTC


@pytest.mark.parametrize(
    ("opened", "hours", "due_utc"),
    [
        ("2022-07-13 10:00", 2, "2022-07-13 17:00"),  # summer time: UTC-5
        ("2022-10-28 17:00", 9, "2022-10-31 23:00"),  # standard time after the weekend
        ("2022-04-01 17:00", 9, "2022-04-04 22:00"),  # summer time after the weekend
        ("2026-07-15 10:00", 2, "2026-07-15 18:00"),  # no summer time since 2022
    ],
)
def test_due_times_follow_the_utc_offset_of_their_date(
    calendar: BusinessCalendar, opened: str, hours: float, due_utc: str
) -> None:
    result = calendar.add_business_hours(local(opened), hours)

    assert result == datetime.fromisoformat(due_utc).replace(tzinfo=UTC)


def test_a_utc_moment_late_in_the_mexican_evening_waits_for_the_morning(
    calendar: BusinessCalendar,
) -> None:
    monday_night = datetime(2026, 3, 10, 3, tzinfo=UTC)  # Monday 21:00 local

    due = calendar.add_business_hours(monday_night, 1)

    assert due == local("2026-03-10 10:00")


def test_negative_hours_are_refused(calendar: BusinessCalendar) -> None:
    with pytest.raises(ValueError, match="negative"):
        calendar.add_business_hours(local("2026-03-10 10:00"), -1)


# --- elapsed business hours ------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "hours"),
    [
        ("2026-03-10 10:00", "2026-03-10 13:00", 3),
        ("2026-03-06 17:00", "2026-03-09 10:00", 2),  # a weekend counts nothing
        ("2026-11-13 17:00", "2026-11-17 10:00", 2),  # nor Revolution day
        ("2026-03-11 22:00", "2026-03-12 22:00", 9),
        ("2026-03-14 10:00", "2026-03-15 10:00", 0),  # all weekend
        ("2026-03-13 10:00", "2026-03-10 13:00", -24),  # backwards
        ("2022-10-28 17:00", "2022-10-31 17:00", 9),  # over the last DST change
    ],
)
def test_business_hours_between_two_moments(
    calendar: BusinessCalendar, a: str, b: str, hours: float
) -> None:
    assert calendar.business_hours_between(local(a), local(b)) == pytest.approx(hours)


@settings(max_examples=200, deadline=None)
@given(
    start=st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2031, 12, 31),
        timezones=st.just(UTC),
    ),
    minutes=st.integers(min_value=0, max_value=60 * 9 * 300),
)  # fmt: skip
def test_adding_then_measuring_gives_back_the_hours(
    start: datetime, minutes: int
) -> None:
    calendar, hours = shipped_calendar(), minutes / 60

    due = calendar.add_business_hours(start, hours)

    assert calendar.business_hours_between(start, due) == pytest.approx(hours)
    assert hours == 0 or calendar.is_business_time(due - timedelta(microseconds=1))


def test_a_year_of_business_hours_is_counted_by_the_day_not_by_the_minute(
    calendar: BusinessCalendar,
) -> None:
    start = local("2026-01-02 10:00")
    began = clock.perf_counter()

    for _ in range(100):
        due = calendar.add_business_hours(start, 9 * 260)
        calendar.business_hours_between(start, due)

    assert clock.perf_counter() - began < 2.0  # about 0.1 s on a laptop
    assert due.year == 2027


# --- configuration mistakes ------------------------------------------------------

HOURS = {
    "timezone": "America/Mexico_City",
    "days": ["monday", "tuesday", "wednesday", "thursday", "friday"],
    "start": "09:00",
    "end": "18:00",
}


@pytest.mark.parametrize(
    ("hours", "holidays", "key", "message"),
    [
        ({"timezone": "Mexico/Tijuanita"}, {}, "timezone", "unknown time zone"),
        ({"timezone": "America"}, {}, "timezone", "unknown time zone"),
        ({"start": "19:00"}, {}, "start", "must come before"),
        ({"end": 1080}, {}, "end", "quoted time"),  # YAML reads 18:00 as 1080
        ({"days": ["lunes"]}, {}, 0, "unknown weekday"),
        ({"days": []}, {}, "days", "at least one business day"),
        ({"hours": 9}, {}, "hours", "unknown key"),
        ({}, {"rules": [{"name": "x", "month": 1}]}, None, "either `day`"),
        ({}, {"rules": [{"name": "x", "month": 2, "day": 30}]}, "month", "no day"),
        ({}, {"rules": [{"name": "x", "month": 1, "day": 1, "every_years": 6}]},
         "every_years", "first_year"),
        ({}, {"rules": [{"name": "x", "month": 3, "weekday": "monday", "nth": 5}]},
         "nth", "nth must be"),
        ({}, {"rules": ["1 de enero"]}, 0, "must be a mapping"),
        ({}, {"extra": ["12 de diciembre"]}, 0, "YYYY-MM-DD"),
    ],
)  # fmt: skip
def test_a_malformed_calendar_says_which_entry_is_wrong(
    hours: dict, holidays: dict, key: object, message: str
) -> None:
    with pytest.raises(CalendarConfigError, match=message) as caught:
        BusinessCalendar.from_config({**HOURS, **hours}, holidays)

    assert isinstance(caught.value, VigiaError)
    assert caught.value.key == key
    assert caught.value.entry is not None
