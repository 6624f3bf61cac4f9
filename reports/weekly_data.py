"""The weekly accountability figures, aggregated in the database.

A week is an ISO week, Monday 00:00 to the next Monday 00:00 in Mexico City.
Every figure is a GROUP BY in SQL that returns a handful of rows, whatever
the traffic; medians and 90th percentiles use window functions (nearest
rank), which SQLite and PostgreSQL both have. Statuses are read *as of the
end of the week* from the audit trail, so that rendering a past week again
gives the same figures even after its cases moved on.

Definitions, as leadership reads them:

- a case is *received* in the week it was opened;
- its *first answer* is the first reply a person sent the citizen: an
  outbound message in the case, or a message the API delivered to that
  citizen on that line, that is not the automatic acknowledgment;
- it is *resolved* at its first move to ``resolved`` or ``closed``;
- it is *open* at a moment when it was opened before then and its latest
  move before then is not resolved, closed or referred;
- a fraud report is *triaged* once a unit acted on it (in progress, waiting
  for information, referred, resolved or closed).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Float,
    Integer,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    select,
)
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from models import (
    Assignment,
    Case,
    CaseEvent,
    CaseGroup,
    CaseLabel,
    Incident,
    LandingRecord,
    Message,
    MessageStatus,
)
from models.messages import ACKNOWLEDGMENT
from vigia.errors import RejectedInput
from vigia.settings import CHANNELS

MEXICO_CITY = ZoneInfo("America/Mexico_City")
DONE = ("resolved", "closed")
LEFT = ("resolved", "closed", "referred")  # no longer the agency's open work
TRIAGED = ("in_progress", "awaiting_information", "referred", "resolved", "closed")
ACK_TYPE = ACKNOWLEDGMENT  # the automatic acknowledgment is not an answer
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


def collect_week(connection: Connection, week: Week) -> dict[str, Any]:
    """Every figure of the report for ``week``, suppression not yet applied."""
    previous = week.previous()
    backlog, overdue = _open_work(connection, week)
    now, before = _case_volume(connection, week), _case_volume(connection, previous)
    return {
        "week": week.label,
        "start": week.start,
        "end": week.end,
        "volume": {
            name: _compare(now[name], before[name])
            for name in ("channel", "topic", "state", "messages")
        },
        "first_answer": _first_answers(connection, week),
        "resolution": _resolutions(connection, week),
        "backlog": backlog,
        "overdue": overdue,
        "fraud_funnel": _fraud_funnel(connection, week),
        "top_incidents": _top_incidents(connection, week),
        "quality": _quality(connection, week, now),
    }


def _compare(now: dict[str, int], before: dict[str, int]) -> list[dict[str, Any]]:
    """This week's counts beside last week's, one row per key, largest first."""
    keys = sorted(set(now) | set(before), key=lambda k: (-now.get(k, 0), k))
    return [
        {"key": key, "count": now.get(key, 0), "previous": before.get(key, 0)}
        for key in keys
    ]


def _opened_in(week: Week) -> ColumnElement[bool]:
    cases = Case.__table__
    return and_(cases.c.opened_at >= week.start, cases.c.opened_at < week.end)


def _case_volume(connection: Connection, week: Week) -> dict[str, dict[str, int]]:
    """Cases opened in the week, and their messages, counted every way at once.

    Per channel: cases and messages; for the classified cases also per topic,
    state, need of review and model version. One GROUP BY over those keys
    gives at most a few hundred rows, added up here each way. The messages
    are those of the week's cases, wherever a long conversation ends; the
    state is the first one the classification found, "sin estado" if none.
    """
    cases, labels = Case.__table__, CaseLabel.__table__
    state = labels.c.entities[("states", 0)].as_string()
    keys = (cases.c.channel, labels.c.topic, state, labels.c.needs_review,
            labels.c.model_version)  # fmt: skip
    query = (
        select(*keys, func.count(), func.sum(cases.c.message_count))
        .outerjoin(labels, labels.c.case_id == cases.c.id)
        .where(_opened_in(week))
        .group_by(*keys)
    )
    totals: dict[str, dict[str, int]] = {
        name: {}
        for name in ("channel", "messages", "topic", "state", "review", "version")
    }
    rows = connection.execute(query)
    for channel, topic, place, review, version, count, messages in rows:
        _add(totals["channel"], channel, count)
        _add(totals["messages"], channel, int(messages or 0))
        if topic is not None:  # classified
            _add(totals["topic"], topic, count)
            _add(totals["state"], place or "sin estado", count)
            _add(totals["review"], "yes" if review else "no", count)
            _add(totals["version"], version, count)
    return totals


def _add(counts: dict[str, int], key: str, count: int) -> None:
    counts[key] = counts.get(key, 0) + count


def _earliest(dialect: str, first: Any, second: Any) -> ColumnElement[Any]:
    """The earlier of two nullable times; null only when both are."""
    kind = Message.__table__.c.sent_at.type
    if dialect == "sqlite":  # SQLite's two-argument min() is null if either is
        return func.min(
            func.coalesce(first, second), func.coalesce(second, first), type_=kind
        )
    return func.least(first, second, type_=kind)


def _answered_cases(week: Week, dialect: str):  # type: ignore[no-untyped-def]
    """The week's routed cases with when a person first wrote back (or null).

    Set-based: the replies in each case and the deliveries to each sender are
    grouped once, then joined to the week's cases, never looked up per case.
    """
    cases, messages, statuses = (
        Case.__table__,
        Message.__table__,
        MessageStatus.__table__,
    )
    assignments = Assignment.__table__
    week_cases = (
        select(cases.c.id, cases.c.sender, cases.c.channel, cases.c.opened_at)
        .where(_opened_in(week))
        .cte("week_cases")
    )
    replies = (
        select(messages.c.case_id, func.min(messages.c.sent_at).label("at"))
        .join(week_cases, week_cases.c.id == messages.c.case_id)
        .where(
            messages.c.channel.in_(CHANNELS),  # lets the (channel, direction) index
            messages.c.direction == "out",  # find the few outbound messages
            messages.c.type != ACK_TYPE,
        )
        .group_by(messages.c.case_id)
        .subquery("replies")
    )
    # The few messages Vigía sent itself, found through the (channel,
    # direction) index and looked up once, not per delivery status.
    acknowledgments = select(messages.c.wamid).where(
        messages.c.channel.in_(CHANNELS),
        messages.c.direction == "out",
        messages.c.type == ACK_TYPE,
    )
    automatic = statuses.c.wamid.in_(acknowledgments)
    delivered = (
        select(week_cases.c.id.label("case_id"), func.min(statuses.c.at).label("at"))
        .join(
            statuses,
            and_(
                statuses.c.recipient == week_cases.c.sender,
                statuses.c.channel == week_cases.c.channel,
                statuses.c.at >= week_cases.c.opened_at,
            ),
        )
        .where(
            statuses.c.status.in_(("sent", "delivered", "read")),
            statuses.c.at < week.end,  # later replies leave the case waiting
            ~automatic,
        )
        .group_by(week_cases.c.id)
        .subquery("delivered")
    )
    return (
        select(
            assignments.c.unit,
            _earliest(dialect, replies.c.at, delivered.c.at).label("answered_at"),
            week_cases.c.opened_at,
            assignments.c.first_answer_due,
        )
        .select_from(week_cases)
        .join(assignments, assignments.c.case_id == week_cases.c.id)
        .outerjoin(replies, replies.c.case_id == week_cases.c.id)
        .outerjoin(delivered, delivered.c.case_id == week_cases.c.id)
        .subquery("answered")
    )


def _resolved_cases(week: Week):  # type: ignore[no-untyped-def]
    """Cases whose first move to resolved or closed fell in the week."""
    cases, events, assignments = (
        Case.__table__,
        CaseEvent.__table__,
        Assignment.__table__,
    )
    first_done = (
        select(events.c.case_id, func.min(events.c.at).label("resolved_at"))
        .where(events.c.to_status.in_(DONE), events.c.at < week.end)
        .group_by(events.c.case_id)
        .subquery("first_done")
    )
    return (
        select(
            assignments.c.unit,
            first_done.c.resolved_at,
            cases.c.opened_at,
            assignments.c.resolution_due,
        )
        .select_from(first_done)
        .join(cases, cases.c.id == first_done.c.case_id)
        .join(assignments, assignments.c.case_id == cases.c.id)
        .where(first_done.c.resolved_at >= week.start)
        .subquery("resolved")
    )


def _percentiles(connection: Connection, durations: Any) -> dict[str, dict[str, Any]]:
    """Per unit: count, median, p90 and on-time count of ``durations``.

    ``durations`` has ``unit``, ``hours`` and ``on_time``; a null ``hours`` is
    a case still waiting, counted apart. The database groups the durations
    into whole minutes per unit (a few thousand rows whatever the traffic);
    the nearest-rank percentiles are read off that histogram: the p-th
    percentile is the value at rank ceil(p * n) among the n known durations.
    """
    minutes = cast(func.round(durations.c.hours * 60), Integer).label("minutes")
    query = (
        select(
            durations.c.unit,
            minutes,
            func.count(),
            func.sum(case((durations.c.on_time, 1), else_=0)),
        )
        .group_by(durations.c.unit, minutes)
        .order_by(durations.c.unit, minutes)
    )
    figures: dict[str, dict[str, Any]] = {}
    histograms: dict[str, list[tuple[int, int]]] = {}
    for unit, minute, count, on_time in connection.execute(query):
        row = figures.setdefault(
            unit, {"cases": 0, "median_h": None, "p90_h": None, "on_time": 0,
                   "waiting": 0}
        )  # fmt: skip
        if minute is None:
            row["waiting"] += count
            continue
        row["cases"] += count
        row["on_time"] += int(on_time or 0)
        histograms.setdefault(unit, []).append((minute, count))
    for unit, histogram in histograms.items():
        total = figures[unit]["cases"]
        figures[unit]["median_h"] = _nearest_rank(histogram, total, 0.5) / 60
        figures[unit]["p90_h"] = _nearest_rank(histogram, total, 0.9) / 60
    return figures


def _nearest_rank(histogram: list[tuple[int, int]], total: int, share: float) -> int:
    """The value at rank ceil(share * total) of a sorted (value, count) histogram."""
    wanted = max(1, math.ceil(share * total))
    seen = 0
    for value, count in histogram:
        seen += count
        if seen >= wanted:
            return value
    return histogram[-1][0]


def _first_answers(connection: Connection, week: Week) -> dict[str, Any]:
    """First-answer times of the week's cases per unit; unanswered ones wait."""
    dialect = connection.dialect.name
    inner = _answered_cases(week, dialect)
    in_time = and_(inner.c.answered_at.is_not(None), inner.c.answered_at < week.end)
    hours = cast(hours_between(inner.c.answered_at, inner.c.opened_at, dialect), Float)
    durations = select(
        inner.c.unit,
        case((in_time, hours)).label("hours"),
        (inner.c.answered_at <= inner.c.first_answer_due).label("on_time"),
    )
    return _percentiles(connection, durations.subquery())


def _resolutions(connection: Connection, week: Week) -> dict[str, Any]:
    """Resolution times of the cases resolved during the week, per unit."""
    dialect = connection.dialect.name
    inner = _resolved_cases(week)
    resolved = select(
        inner.c.unit,
        cast(
            hours_between(inner.c.resolved_at, inner.c.opened_at, dialect), Float
        ).label("hours"),
        (inner.c.resolved_at <= inner.c.resolution_due).label("on_time"),
    )
    return _percentiles(connection, resolved.subquery())


def _status_at(moment: datetime) -> ColumnElement[Any]:
    """Each case's status at ``moment``, from its latest move before then."""
    cases, events = Case.__table__, CaseEvent.__table__
    latest = (
        select(events.c.to_status)
        .where(events.c.case_id == cases.c.id, events.c.at < moment)
        .order_by(events.c.at.desc(), events.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(latest, literal("received"))


def _open_at_end(week: Week):  # type: ignore[no-untyped-def]
    """The cases still open when the week ended, with unit, ages and due times."""
    cases, assignments = Case.__table__, Assignment.__table__
    return (
        select(
            cases.c.id,
            func.coalesce(assignments.c.unit, literal("sin asignar")).label("unit"),
            cases.c.opened_at,
            assignments.c.first_answer_due,
            assignments.c.resolution_due,
            _status_at(week.end).label("status"),
        )
        .outerjoin(assignments, assignments.c.case_id == cases.c.id)
        .where(cases.c.opened_at < week.end)
        .subquery()
    )


def _open_work(
    connection: Connection, week: Week
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Cases open when the week ended: by age, and per unit with those overdue.

    One pass over the cases, grouped by unit and age bucket; the few rows it
    returns are then added up both ways.
    """
    dialect = connection.dialect.name
    still = _open_at_end(week)
    # SQLite's julianday() reads the ISO text with its offset; PostgreSQL binds
    # the aware datetime itself.
    end = week.end.isoformat() if dialect == "sqlite" else week.end
    age_days = hours_between(literal(end), still.c.opened_at, dialect) / 24.0
    bucket = case(
        *[
            (age_days < limit, index)
            for index, (limit, _) in enumerate(AGE_BUCKETS)
            if limit is not None
        ],
        else_=len(AGE_BUCKETS) - 1,
    )
    late = func.sum(case((still.c.resolution_due < week.end, 1), else_=0))
    query = (
        select(still.c.unit, bucket, func.count(), late)
        .where(still.c.status.not_in(LEFT))
        .group_by(still.c.unit, bucket)
    )
    by_age: dict[int, int] = {}
    by_unit: dict[str, list[int]] = {}
    for unit, index, count, overdue in connection.execute(query):
        by_age[index] = by_age.get(index, 0) + count
        totals = by_unit.setdefault(unit, [0, 0])
        totals[0] += count
        totals[1] += int(overdue or 0)
    backlog = [
        {"age": name, "count": by_age.get(index, 0)}
        for index, (_, name) in enumerate(AGE_BUCKETS)
    ]
    overdue = [
        {"unit": unit, "open": totals[0], "overdue": totals[1]}
        for unit, totals in sorted(by_unit.items())
    ]
    return backlog, overdue


def _fraud_funnel(connection: Connection, week: Week) -> dict[str, int]:
    """The week's fraud reports: received, and how far they got by its end."""
    cases, labels, events = Case.__table__, CaseLabel.__table__, CaseEvent.__table__

    def reached(statuses: tuple[str, ...]) -> Any:
        moved = exists().where(
            events.c.case_id == cases.c.id,
            events.c.to_status.in_(statuses),
            events.c.at < week.end,
        )
        return func.sum(case((moved, 1), else_=0))

    query = (
        select(
            func.count(),
            reached(TRIAGED),
            reached(("referred",)),
            reached(DONE),
        )
        .join(labels, labels.c.case_id == cases.c.id)
        .where(_opened_in(week), labels.c.has_fraud)
    )
    received, triaged, referred, closed = connection.execute(query).one()
    return {
        "received": received,
        "triaged": int(triaged or 0),
        "referred": int(referred or 0),
        "closed": int(closed or 0),
    }


def _top_incidents(connection: Connection, week: Week, limit: int = 10):  # type: ignore[no-untyped-def]
    """The week's incidents with a fraud signal reported by the most people."""
    cases, labels = Case.__table__, CaseLabel.__table__
    groups, incidents = CaseGroup.__table__, Incident.__table__
    query = (
        select(
            incidents.c.code,
            func.count(func.distinct(cases.c.sender)).label("reporters"),
            func.count().label("cases"),
        )
        .select_from(groups)
        .join(cases, cases.c.id == groups.c.case_id)
        .join(labels, labels.c.case_id == cases.c.id)
        .join(incidents, incidents.c.id == groups.c.incident_id)
        .where(_opened_in(week), labels.c.has_fraud)
        .group_by(incidents.c.code)
        .order_by(func.count(func.distinct(cases.c.sender)).desc(), incidents.c.code)
        .limit(limit)
    )
    top = [dict(row._mapping) for row in connection.execute(query)]
    signals = _incident_signals(connection, [row["code"] for row in top], week)
    for row in top:
        row["labels"] = sorted(signals.get(row["code"], ()))
    return top


def _incident_signals(
    connection: Connection, codes: list[str], week: Week
) -> dict[str, set[str]]:
    cases, labels = Case.__table__, CaseLabel.__table__
    groups, incidents = CaseGroup.__table__, Incident.__table__
    query = (
        select(incidents.c.code, labels.c.fraud)
        .select_from(groups)
        .join(incidents, incidents.c.id == groups.c.incident_id)
        .join(cases, cases.c.id == groups.c.case_id)
        .join(labels, labels.c.case_id == cases.c.id)
        .where(incidents.c.code.in_(codes), _opened_in(week), labels.c.has_fraud)
    )
    found: dict[str, set[str]] = {}
    for code, fraud in connection.execute(query):
        found.setdefault(code, set()).update(fraud or [])
    return found


def _quality(
    connection: Connection, week: Week, volume: dict[str, dict[str, int]]
) -> dict[str, Any]:
    """Rejected deliveries, the share needing review, the classifier versions."""
    landing = LandingRecord.__table__
    rejected = connection.scalar(
        select(func.count()).where(
            landing.c.status == "rejected",
            landing.c.received_at >= week.start,
            landing.c.received_at < week.end,
        )
    )
    review = volume["review"]
    return {
        "rejected": rejected,
        "classified": sum(review.values()),
        "needs_review": review.get("yes", 0),
        "versions": [
            {"version": version, "cases": count}
            for version, count in sorted(volume["version"].items())
        ],
    }
