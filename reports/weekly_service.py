"""How fast and how far the agency answered in a week, aggregated in SQL.

Part of the weekly figures (:mod:`reports.weekly_data` has the definitions
of answered, resolved, open and triaged). Per unit: the first-answer and
resolution times of the week's cases, read as minute histograms; the cases
still open when the week ended, by age and past their target; and how far
the week's fraud reports got.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from sqlalchemy import Float, Integer, and_, case, cast, exists, func, literal, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from models import Assignment, Case, CaseEvent, CaseLabel, Message, MessageStatus
from reports.week import (
    AGE_BUCKETS,
    AUTOMATIC_TYPES,
    DONE,
    LEFT,
    TRIAGED,
    Week,
    hours_between,
    opened_in,
)
from vigia.settings import CHANNELS


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
        .where(opened_in(week))
        .cte("week_cases")
    )
    replies = (
        select(messages.c.case_id, func.min(messages.c.sent_at).label("at"))
        .join(week_cases, week_cases.c.id == messages.c.case_id)
        .where(
            messages.c.channel.in_(CHANNELS),  # lets the (channel, direction) index
            messages.c.direction == "out",  # find the few outbound messages
            messages.c.type.not_in(AUTOMATIC_TYPES),
        )
        .group_by(messages.c.case_id)
        .subquery("replies")
    )
    # The few messages Vigía sent itself, found through the (channel,
    # direction) index and looked up once, not per delivery status.
    acknowledgments = select(messages.c.wamid).where(
        messages.c.channel.in_(CHANNELS),
        messages.c.direction == "out",
        messages.c.type.in_(AUTOMATIC_TYPES),
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


def first_answers(connection: Connection, week: Week) -> dict[str, Any]:
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


def resolutions(connection: Connection, week: Week) -> dict[str, Any]:
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


def open_work(
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


def fraud_funnel(connection: Connection, week: Week) -> dict[str, int]:
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
        .where(opened_in(week), labels.c.has_fraud)
    )
    received, triaged, referred, closed = connection.execute(query).one()
    return {
        "received": received,
        "triaged": int(triaged or 0),
        "referred": int(referred or 0),
        "closed": int(closed or 0),
    }
