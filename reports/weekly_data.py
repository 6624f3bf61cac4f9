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

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Float,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    or_,
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
from vigia.errors import RejectedInput

MEXICO_CITY = ZoneInfo("America/Mexico_City")
DONE = ("resolved", "closed")
LEFT = ("resolved", "closed", "referred")  # no longer the agency's open work
TRIAGED = ("in_progress", "awaiting_information", "referred", "resolved", "closed")
ACK_TYPE = "acknowledgment"  # the automatic acknowledgment, not an answer
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
    return {
        "week": week.label,
        "start": week.start,
        "end": week.end,
        "volume": {
            "channel": _compare(_by_channel, connection, week, previous),
            "topic": _compare(_by_topic, connection, week, previous),
            "state": _compare(_by_state, connection, week, previous),
            "messages": _compare(_messages_by_channel, connection, week, previous),
        },
        "first_answer": _first_answers(connection, week),
        "resolution": _resolutions(connection, week),
        "backlog": _backlog(connection, week),
        "overdue": _overdue(connection, week),
        "fraud_funnel": _fraud_funnel(connection, week),
        "top_incidents": _top_incidents(connection, week),
        "quality": _quality(connection, week),
    }


def _compare(query, connection: Connection, week: Week, previous: Week):  # type: ignore[no-untyped-def]
    """This week's counts beside last week's, one row per key."""
    now, before = query(connection, week), query(connection, previous)
    keys = sorted(set(now) | set(before), key=lambda k: (-now.get(k, 0), k))
    return [
        {"key": key, "count": now.get(key, 0), "previous": before.get(key, 0)}
        for key in keys
    ]


def _opened_in(week: Week) -> ColumnElement[bool]:
    cases = Case.__table__
    return and_(cases.c.opened_at >= week.start, cases.c.opened_at < week.end)


def _by_channel(connection: Connection, week: Week) -> dict[str, int]:
    cases = Case.__table__
    query = (
        select(cases.c.channel, func.count())
        .where(_opened_in(week))
        .group_by(cases.c.channel)
    )
    return dict(connection.execute(query).all())


def _by_topic(connection: Connection, week: Week) -> dict[str, int]:
    cases, labels = Case.__table__, CaseLabel.__table__
    query = (
        select(labels.c.topic, func.count())
        .join(labels, labels.c.case_id == cases.c.id)
        .where(_opened_in(week))
        .group_by(labels.c.topic)
    )
    return dict(connection.execute(query).all())


def _by_state(connection: Connection, week: Week) -> dict[str, int]:
    """Cases per state named in them; "sin estado" when none is."""
    cases, labels = Case.__table__, CaseLabel.__table__
    state = func.coalesce(labels.c.entities[("states", 0)].as_string(), "sin estado")
    query = (
        select(state, func.count())
        .join(labels, labels.c.case_id == cases.c.id)
        .where(_opened_in(week))
        .group_by(state)
    )
    return dict(connection.execute(query).all())


def _messages_by_channel(connection: Connection, week: Week) -> dict[str, int]:
    messages = Message.__table__
    query = (
        select(messages.c.channel, func.count())
        .where(
            messages.c.direction == "in",
            messages.c.sent_at >= week.start,
            messages.c.sent_at < week.end,
        )
        .group_by(messages.c.channel)
    )
    return dict(connection.execute(query).all())


def _first_answer_at(dialect: str) -> ColumnElement[Any]:
    """Per case: when a person first wrote back (null when nobody has)."""
    cases, messages, statuses = (
        Case.__table__,
        Message.__table__,
        MessageStatus.__table__,
    )
    acks = select(messages.c.wamid).where(messages.c.type == ACK_TYPE)
    replied = (
        select(func.min(messages.c.sent_at))
        .where(
            messages.c.case_id == cases.c.id,
            messages.c.direction == "out",
            messages.c.type != ACK_TYPE,
        )
        .scalar_subquery()
    )
    delivered = (
        select(func.min(statuses.c.at))
        .where(
            statuses.c.recipient == cases.c.sender,
            statuses.c.channel == cases.c.channel,
            statuses.c.status.in_(("sent", "delivered", "read")),
            statuses.c.at >= cases.c.opened_at,
            statuses.c.wamid.not_in(acks),
        )
        .scalar_subquery()
    )
    if dialect == "sqlite":  # SQLite's two-argument min() is null if either is
        return func.min(
            func.coalesce(replied, delivered),
            func.coalesce(delivered, replied),
            type_=messages.c.sent_at.type,
        )
    return func.least(replied, delivered, type_=messages.c.sent_at.type)


def _resolved_at() -> ColumnElement[Any]:
    cases, events = Case.__table__, CaseEvent.__table__
    return (
        select(func.min(events.c.at))
        .where(events.c.case_id == cases.c.id, events.c.to_status.in_(DONE))
        .scalar_subquery()
    )


def _percentiles(connection: Connection, durations: Any) -> dict[str, dict[str, Any]]:
    """Per unit: count, median and p90 of ``durations`` (unit, hours, on_time)."""
    ranked = select(
        durations.c.unit,
        durations.c.hours,
        durations.c.on_time,
        func.row_number()
        .over(partition_by=durations.c.unit, order_by=durations.c.hours)
        .label("rank"),
        func.count().over(partition_by=durations.c.unit).label("n"),
    ).subquery()
    query = select(
        ranked.c.unit,
        ranked.c.n,
        func.min(case((ranked.c.rank >= ranked.c.n * 0.5, ranked.c.hours))),
        func.min(case((ranked.c.rank >= ranked.c.n * 0.9, ranked.c.hours))),
        func.sum(case((ranked.c.on_time, 1), else_=0)),
    ).group_by(ranked.c.unit, ranked.c.n)
    return {
        unit: {"cases": n, "median_h": median, "p90_h": p90, "on_time": on_time}
        for unit, n, median, p90, on_time in connection.execute(query)
    }


def _first_answers(connection: Connection, week: Week) -> dict[str, Any]:
    """First-answer times of the week's cases, per unit, and how many wait."""
    dialect = connection.dialect.name
    cases, assignments = Case.__table__, Assignment.__table__
    inner = (
        select(
            assignments.c.unit,
            _first_answer_at(dialect).label("answered_at"),
            cases.c.opened_at,
            assignments.c.first_answer_due,
        )
        .join(assignments, assignments.c.case_id == cases.c.id)
        .where(_opened_in(week))
        .subquery()
    )
    answered = select(
        inner.c.unit,
        cast(
            hours_between(inner.c.answered_at, inner.c.opened_at, dialect), Float
        ).label("hours"),
        (inner.c.answered_at <= inner.c.first_answer_due).label("on_time"),
    ).where(inner.c.answered_at.is_not(None), inner.c.answered_at < week.end)
    figures = _percentiles(connection, answered.subquery())
    waiting = dict(
        connection.execute(
            select(inner.c.unit, func.count())
            .where(or_(inner.c.answered_at.is_(None), inner.c.answered_at >= week.end))
            .group_by(inner.c.unit)
        ).all()
    )
    for unit, count in waiting.items():
        figures.setdefault(unit, {"cases": 0, "median_h": None, "p90_h": None,
                                  "on_time": 0})["waiting"] = count  # fmt: skip
    return figures


def _resolutions(connection: Connection, week: Week) -> dict[str, Any]:
    """Resolution times of the cases resolved during the week, per unit."""
    dialect = connection.dialect.name
    cases, assignments = Case.__table__, Assignment.__table__
    inner = (
        select(
            assignments.c.unit,
            _resolved_at().label("resolved_at"),
            cases.c.opened_at,
            assignments.c.resolution_due,
        )
        .join(assignments, assignments.c.case_id == cases.c.id)
        .where(cases.c.opened_at < week.end)
        .subquery()
    )
    resolved = select(
        inner.c.unit,
        cast(
            hours_between(inner.c.resolved_at, inner.c.opened_at, dialect), Float
        ).label("hours"),
        (inner.c.resolved_at <= inner.c.resolution_due).label("on_time"),
    ).where(inner.c.resolved_at >= week.start, inner.c.resolved_at < week.end)
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


def _backlog(connection: Connection, week: Week) -> list[dict[str, Any]]:
    """Open cases at the end of the week by age."""
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
    query = (
        select(bucket, func.count()).where(still.c.status.not_in(LEFT)).group_by(bucket)
    )
    counts = dict(connection.execute(query).all())
    return [
        {"age": name, "count": counts.get(index, 0)}
        for index, (_, name) in enumerate(AGE_BUCKETS)
    ]


def _overdue(connection: Connection, week: Week) -> list[dict[str, Any]]:
    """Per unit, open cases past their resolution target when the week ended."""
    still = _open_at_end(week)
    query = (
        select(
            still.c.unit,
            func.count(),
            func.sum(case((still.c.resolution_due < week.end, 1), else_=0)),
        )
        .where(still.c.status.not_in(LEFT))
        .group_by(still.c.unit)
        .order_by(still.c.unit)
    )
    return [
        {"unit": unit, "open": count, "overdue": int(overdue or 0)}
        for unit, count, overdue in connection.execute(query)
    ]


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


def _quality(connection: Connection, week: Week) -> dict[str, Any]:
    """Rejected deliveries, the share needing review, the classifier versions."""
    landing, cases, labels = (
        LandingRecord.__table__,
        Case.__table__,
        CaseLabel.__table__,
    )
    rejected = connection.scalar(
        select(func.count()).where(
            landing.c.status == "rejected",
            landing.c.received_at >= week.start,
            landing.c.received_at < week.end,
        )
    )
    classified, review = connection.execute(
        select(func.count(), func.sum(case((labels.c.needs_review, 1), else_=0)))
        .join(labels, labels.c.case_id == cases.c.id)
        .where(_opened_in(week))
    ).one()
    versions = connection.execute(
        select(labels.c.model_version, func.count())
        .join(cases, cases.c.id == labels.c.case_id)
        .where(_opened_in(week))
        .group_by(labels.c.model_version)
        .order_by(labels.c.model_version)
    ).all()
    return {
        "rejected": rejected,
        "classified": classified,
        "needs_review": int(review or 0),
        "versions": [{"version": v, "cases": n} for v, n in versions],
    }
