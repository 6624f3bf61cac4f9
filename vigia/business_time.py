"""Business hours of CONAVI's offices and Mexico's mandatory rest days.

Service targets ("a first answer within one business day") count only the
hours the offices are open: weekdays 09:00 to 18:00 in Mexico City, except
the rest days of the Ley Federal del Trabajo (article 74). Several of those
move: since 2006 Constitution day, Juárez's birthday and Revolution day are
the first or third Monday of their month, and the day a new president takes
office is a rest day once every six years.

Times are kept in UTC and turned into local wall time only to find a day's
opening hours, so the arithmetic stays right across the daylight saving time
that Mexico City kept until October 2022. Every loop steps one day at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from vigia.errors import VigiaError

WEEKDAYS = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
_HOURS_KEYS = ("timezone", "days", "start", "end")
_NUMBER_KEYS = ("month", "day", "nth", "every_years", "first_year", "last_year")
_RULE_KEYS = ("name", "weekday", *_NUMBER_KEYS)
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
_ONE_DAY = timedelta(days=1)


class CalendarConfigError(VigiaError, ValueError):
    """Business hours or holidays are malformed; ``entry`` and ``key`` say where."""

    def __init__(self, message: str, entry: object = None, key: object = None):
        super().__init__(message)
        self.entry = entry
        self.key = key


@dataclass(frozen=True)
class HolidayRule:
    """A rest day that recurs: a fixed date, or the nth weekday of a month."""

    name: str
    month: int
    day: int | None = None
    weekday: int | None = None  # 0 is Monday
    nth: int | None = None  # 1 to 4, or -1 for the last one of the month
    every_years: int | None = None
    first_year: int | None = None
    last_year: int | None = None

    def date_in(self, year: int) -> date | None:
        """The rest day in ``year``, or None when the rule does not apply that year."""
        if not self._applies_in(year):
            return None
        if self.day is not None:
            try:
                return date(year, self.month, self.day)
            except ValueError:  # 29 February in a common year
                return None
        return _nth_weekday(year, self.month, self.weekday or 0, self.nth or 1)

    def _applies_in(self, year: int) -> bool:
        if self.first_year is not None and year < self.first_year:
            return False
        if self.last_year is not None and year > self.last_year:
            return False
        if self.every_years is None:
            return True
        return (year - (self.first_year or 0)) % self.every_years == 0


@dataclass(frozen=True)
class BusinessCalendar:
    """Opening hours on business days, in one time zone, minus rest days."""

    timezone: ZoneInfo
    days: frozenset[int]  # weekdays with opening hours, 0 is Monday
    opens: time
    closes: time
    holiday_rules: tuple[HolidayRule, ...] = ()
    extra_holidays: frozenset[date] = frozenset()
    _by_year: dict[int, frozenset[date]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if not self.days:
            raise CalendarConfigError(
                "a calendar needs at least one business day", key="days"
            )
        if self.opens >= self.closes:
            raise CalendarConfigError(
                f"opening time {self.opens:%H:%M} must come before closing time "
                f"{self.closes:%H:%M}",
                key="start",
            )

    @classmethod
    def from_config(
        cls, business_hours: Mapping[str, Any], holidays: Mapping[str, Any]
    ) -> BusinessCalendar:
        """Build the calendar from the ``business_hours`` and ``holidays`` sections."""
        _check_keys(business_hours, _HOURS_KEYS, _HOURS_KEYS, "business_hours")
        _check_keys(holidays, (), ("rules", "extra"), "holidays")
        try:
            timezone = ZoneInfo(str(business_hours["timezone"]))
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise CalendarConfigError(
                f"unknown time zone {business_hours['timezone']!r}; use an IANA "
                "name such as America/Mexico_City",
                business_hours,
                "timezone",
            ) from None

        days = _sequence(business_hours, "days")
        rules = _sequence(holidays, "rules") if "rules" in holidays else []
        extra = _sequence(holidays, "extra") if "extra" in holidays else []
        try:
            return cls(
                timezone=timezone,
                days=frozenset(_weekday(days, i) for i in range(len(days))),
                opens=_clock(business_hours, "start"),
                closes=_clock(business_hours, "end"),
                holiday_rules=tuple(_holiday_rule(rules, i) for i in range(len(rules))),
                extra_holidays=frozenset(_date(extra, i) for i in range(len(extra))),
            )
        except CalendarConfigError as error:
            if error.entry is None:  # e.g. start after end
                error.entry = business_hours
            raise

    def holidays(self, year: int) -> set[date]:
        """Rest days of ``year`` (the law's and the agency's), weekends aside."""
        return set(self._holidays(year))

    def is_business_day(self, day: date) -> bool:
        """Whether the offices open on ``day`` at all."""
        return day.weekday() in self.days and day not in self._holidays(day.year)

    def is_business_time(self, moment: datetime) -> bool:
        """Whether the offices are open at ``moment`` (an aware datetime)."""
        local = _utc(moment).astimezone(self.timezone)
        if not self.is_business_day(local.date()):
            return False
        return self.opens <= local.time() < self.closes

    def next_business_moment(self, moment: datetime) -> datetime:
        """The first open moment at or after ``moment``, in UTC."""
        return self.add_business_hours(moment, 0)

    def add_business_hours(self, start: datetime, hours: float) -> datetime:
        """The UTC moment ``hours`` business hours after ``start``.

        Counting starts at the next opening when ``start`` falls outside hours.
        """
        if hours < 0:
            raise ValueError(f"cannot add a negative number of hours ({hours})")
        remaining = timedelta(hours=hours)
        moment = _utc(start)

        for opens, closes in self._windows_from(moment):
            begin = max(opens, moment)
            if begin >= closes:
                continue
            if remaining <= closes - begin:
                return begin + remaining
            remaining -= closes - begin
        raise AssertionError("unreachable: windows never run out")  # pragma: no cover

    def business_hours_between(self, a: datetime, b: datetime) -> float:
        """Business hours from ``a`` to ``b``; negative when ``b`` comes first."""
        a, b = _utc(a), _utc(b)
        if b < a:
            return -self.business_hours_between(b, a)

        total = timedelta()
        for opens, closes in self._windows_from(a):
            if opens >= b:
                break
            begin, end = max(opens, a), min(closes, b)
            if begin < end:
                total += end - begin
        return total / timedelta(hours=1)

    def _windows_from(self, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Opening and closing UTC times of each business day from ``moment``'s day."""
        day = moment.astimezone(self.timezone).date()
        while True:
            if self.is_business_day(day):
                opens = datetime.combine(day, self.opens, self.timezone)
                closes = datetime.combine(day, self.closes, self.timezone)
                yield opens.astimezone(UTC), closes.astimezone(UTC)
            day += _ONE_DAY

    def _holidays(self, year: int) -> frozenset[date]:
        found = self._by_year.get(year)
        if found is None:
            by_rule = (rule.date_in(year) for rule in self.holiday_rules)
            extra = (day for day in self.extra_holidays if day.year == year)
            found = frozenset(day for day in (*by_rule, *extra) if day is not None)
            self._by_year[year] = found
        return found


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The nth (or with -1 the last) given weekday of a month."""
    if nth == -1:
        following = date(year + month // 12, month % 12 + 1, 1)
        last = following - _ONE_DAY
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(
            f"{moment.isoformat()} has no time zone; pass an aware datetime"
        )
    return moment.astimezone(UTC)


# Reading the configuration sections. Each error carries the mapping or list
# that holds the mistake, and its key or index, so a caller that kept the
# line numbers of its YAML can point at the line.


def _check_keys(
    entry: object, required: Sequence[str], allowed: Sequence[str], what: str
) -> None:
    if not isinstance(entry, Mapping):
        raise CalendarConfigError(f"{what} must be a mapping", entry)
    for key in entry:
        if key not in allowed:
            raise CalendarConfigError(
                f"unknown key {key!r} in {what}; expected {', '.join(allowed)}",
                entry,
                key,
            )
    for key in required:
        if key not in entry:
            raise CalendarConfigError(f"{what} lacks {key!r}", entry)


def _sequence(entry: Mapping[str, Any], key: str) -> Sequence[Any]:
    value = entry[key]
    if value is None:
        return []
    if not isinstance(value, list):
        raise CalendarConfigError(f"{key!r} must be a list", entry, key)
    return value


def _weekday(days: Sequence[Any], index: int) -> int:
    name = days[index]
    if name not in WEEKDAYS:
        raise CalendarConfigError(
            f"unknown weekday {name!r}; use {', '.join(WEEKDAYS)}", days, index
        )
    return WEEKDAYS.index(name)


def _clock(entry: Mapping[str, Any], key: str) -> time:
    value = entry[key]
    match = _CLOCK.fullmatch(value) if isinstance(value, str) else None
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise CalendarConfigError(
            f'{key} must be a quoted time such as "09:00", not {value!r}', entry, key
        )
    return time(int(match[1]), int(match[2]))


def _date(days: Sequence[Any], index: int) -> date:
    value = days[index]
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise CalendarConfigError(
            f"extra holiday {value!r} is not a date written YYYY-MM-DD", days, index
        ) from None


def _holiday_rule(rules: Sequence[Any], index: int) -> HolidayRule:
    entry = rules[index]
    if not isinstance(entry, Mapping):
        raise CalendarConfigError("a holiday rule must be a mapping", rules, index)
    _check_keys(entry, ("name", "month"), _RULE_KEYS, "a holiday rule")
    for key in _NUMBER_KEYS:
        if key in entry and (type(entry[key]) is not int or entry[key] == 0):
            raise CalendarConfigError(f"{key} must be a whole number", entry, key)
    fixed, moving = "day" in entry, "weekday" in entry or "nth" in entry
    if fixed == moving:
        raise CalendarConfigError(
            "a holiday rule needs either `day`, or `weekday` and `nth`", entry
        )
    if "every_years" in entry and "first_year" not in entry:
        raise CalendarConfigError(
            "`every_years` needs `first_year` to count from", entry, "every_years"
        )

    weekday = entry.get("weekday")
    if moving and weekday not in WEEKDAYS:
        raise CalendarConfigError(f"unknown weekday {weekday!r}", entry, "weekday")
    if moving and entry.get("nth") not in (1, 2, 3, 4, -1):
        raise CalendarConfigError("nth must be 1, 2, 3, 4 or -1 (last)", entry, "nth")
    try:
        date(2000, entry["month"], entry.get("day", 1))  # 2000: 29 Feb is valid
    except ValueError:
        raise CalendarConfigError(
            f"month {entry['month']}, day {entry.get('day', 1)} is no day of a year",
            entry,
            "month",
        ) from None
    if "every_years" in entry and entry["every_years"] < 1:
        raise CalendarConfigError("every_years must be positive", entry, "every_years")

    return HolidayRule(
        name=str(entry["name"]),
        month=entry["month"],
        day=entry.get("day"),
        weekday=WEEKDAYS.index(weekday) if moving else None,
        nth=entry.get("nth"),
        every_years=entry.get("every_years"),
        first_year=entry.get("first_year"),
        last_year=entry.get("last_year"),
    )
