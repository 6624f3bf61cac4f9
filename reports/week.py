"""An ISO week in Mexico City, and the definitions the weekly figures share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func
from sqlalchemy.sql.elements import ColumnElement

from models import Case
from models.messages import AUTOMATIC_TYPES
from vigia.errors import RejectedInput

MEXICO_CITY = ZoneInfo("America/Mexico_City")
# What Vigía sends by itself (acknowledgments, automatic answers, lookup
# replies): none of it is a person's answer.
__all__ = ["AUTOMATIC_TYPES", "Week", "hours_between", "opened_in"]
DONE = ("resolved", "closed")
LEFT = ("resolved", "closed", "referred")  # no longer the agency's open work
TRIAGED = ("in_progress", "awaiting_information", "referred", "resolved", "closed")
# Upper bound in days (None: no bound) and how the report names the bucket.
AGE_BUCKETS = (
    (1, "menos de 1 día"),
    (3, "1 a 3 días"),
    (7, "3 a 7 días"),
    (14, "1 a 2 semanas"),
    (30, "2 a 4 semanas"),
    (None, "más de 4 semanas"),
)


@dataclass(frozen=True)
class Week:
    """An ISO week and its bounds in UTC."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Week:
        """ "2026-W48" -> Week(2026, 48)."""
        try:
            year, number = text.upper().split("-W")
            week = cls(int(year), int(number))
            week.monday  # noqa: B018  (checks that the week exists)
        except ValueError:
            raise RejectedInput(
                f"week {text!r} is not an ISO week such as 2026-W48"
            ) from None
        return week

    @classmethod
    def containing(cls, moment: datetime) -> Week:
        year, number, _ = moment.astimezone(MEXICO_CITY).isocalendar()
        return cls(year, number)

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def start(self) -> datetime:
        """Monday 00:00 in Mexico City, in UTC."""
        return datetime.combine(self.monday, time(), MEXICO_CITY).astimezone(UTC)

    @property
    def end(self) -> datetime:
        """The next Monday 00:00 in Mexico City, in UTC."""
        monday = self.monday + timedelta(days=7)
        return datetime.combine(monday, time(), MEXICO_CITY).astimezone(UTC)

    def previous(self) -> Week:
        return Week.containing(self.start - timedelta(days=1))


def hours_between(later: Any, earlier: Any, dialect: str) -> ColumnElement[float]:
    """``later - earlier`` in hours, as SQL of the connection's dialect."""
    if dialect == "sqlite":
        return (func.julianday(later) - func.julianday(earlier)) * 24.0
    return func.extract("epoch", later - earlier) / 3600.0


def opened_in(week: Week) -> ColumnElement[bool]:
    cases = Case.__table__
    return and_(cases.c.opened_at >= week.start, cases.c.opened_at < week.end)
