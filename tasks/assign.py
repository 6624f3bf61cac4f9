"""Route classified cases to their responsible unit, with business-hour due times.

A case is routed once it has a classification, and routed again whenever
it is classified again (it grew, or a new model read it): a fraud signal
found later moves the case to the unit that handles fraud.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import NONE
from sqlalchemy import Engine, Select, delete, exists, or_, select
from sqlalchemy.engine import Connection

from models import Assignment, Case, CaseLabel, Message, MessageStatus
from models.messages import AUTOMATIC_TYPES
from tasks.lifecycle import Status, advance_cases
from tasks.routing import Assignment as RoutingDecision
from tasks.routing import RoutingRules, load_rules, route, staff_involved
from vigia.db import insert_fast, utcnow

COLUMNS = (
    "case_id", "unit", "rule", "rules_version", "priority", "first_answer_due",
    "triage_due", "resolution_due", "assigned_at",
)  # fmt: skip


@dataclass
class RouteSummary:
    """Cases routed in one run, per unit."""

    per_unit: Counter[str] = field(default_factory=Counter)

    def as_rows(self) -> list[dict[str, Any]]:
        """One row per unit, for a table artifact."""
        return [{"unit": u, "cases": n} for u, n in sorted(self.per_unit.items())]


def route_pending(
    engine: Engine, rules: RoutingRules, batch_size: int = 2_000
) -> RouteSummary:
    """Route every classified case that has no assignment or a newer label.

    Batches follow the case ids, each starting after the last one claimed.
    """
    summary = RouteSummary()
    after = 0
    while True:
        with engine.begin() as connection:
            claimed = _claim_cases_to_route(connection, batch_size, after)
            if not claimed:
                return summary
            rows = [_assignment(rules, case) for case in _due(connection, claimed)]
            table = Assignment.__table__
            ids = [row[0] for row in rows]
            connection.execute(delete(table).where(table.c.case_id.in_(ids)))
            insert_fast(connection, table, COLUMNS, rows)
            advance_cases(connection, ids, Status.ASSIGNED, utcnow(), "routing")
        summary.per_unit.update(row[1] for row in rows)
        after = claimed[-1]


def _claim_cases_to_route(connection: Connection, limit: int, after: int) -> list[int]:
    """Lock the next cases due a routing; a concurrent run skips them.

    The rows are read again by :func:`_due` once locked: a run that routed
    one of them and committed just before the lock was taken must be seen.
    """
    cases = Case.__table__
    query = (
        _due_query(cases.c.id)
        .where(cases.c.id > after)
        .order_by(cases.c.id)
        .limit(limit)
        .with_for_update(of=cases, skip_locked=True)
    )
    return list(connection.scalars(query))


def _due(connection: Connection, case_ids: list[int]) -> list[Any]:
    """The locked cases still due a routing, with what routing reads of them."""
    cases, labels = Case.__table__, CaseLabel.__table__
    query = _due_query(
        cases.c.id,
        cases.c.channel,
        cases.c.opened_at,
        labels.c.topic,
        labels.c.fraud,
        labels.c.entities,
        labels.c.evidence,
    ).where(cases.c.id.in_(case_ids))
    return list(connection.execute(query.order_by(cases.c.id)))


def _due_query(*columns: Any) -> Select[Any]:
    """Classified cases with no assignment, or classified again since."""
    cases, labels, assignments = (
        Case.__table__,
        CaseLabel.__table__,
        Assignment.__table__,
    )
    return (
        select(*columns)
        .join(labels, labels.c.case_id == cases.c.id)
        .outerjoin(assignments, assignments.c.case_id == cases.c.id)
        .where(
            or_(
                assignments.c.case_id.is_(None),
                labels.c.classified_at > assignments.c.assigned_at,
            )
        )
    )


def route_case(rules: RoutingRules, case: Any) -> RoutingDecision:
    """The unit and due times of a case row with its channel, opening and labels.

    ``case`` needs ``channel``, ``opened_at`` and the ``case_labels`` columns
    ``topic``, ``fraud``, ``entities`` and ``evidence``.
    """
    entities = case.entities or {}
    evidence_text = " ".join(item["text"] for item in case.evidence or [])
    states = entities.get("states") or []
    return route(
        rules,
        topic=case.topic,
        fraud=case.fraud or [],
        channel=case.channel,
        state=states[0] if states else None,
        staff_involved=staff_involved(entities.get("roles") or [], evidence_text),
        opened_at=case.opened_at,
    )


def _assignment(rules: RoutingRules, case: Any) -> tuple[Any, ...]:
    result = route_case(rules, case)
    return (
        case.id,
        result.unit,
        result.rule,
        result.rules_version,
        result.priority,
        result.first_answer_due,
        result.triage_due,
        result.resolution_due,
        utcnow(),
    )


def list_overdue(engine: Engine, now: datetime) -> list[dict[str, Any]]:
    """Cases whose first answer is late: the agency has not written since they opened.

    A reply is an outbound message in the case (from the business app or a
    chat export) or a message the API delivered to the citizen on that line,
    known from its delivery status. What Vigía writes by itself is neither:
    a first answer is a person's, so the acknowledgment (with or without an
    automatic answer), the replies to folio lookups and their delivery
    statuses are left out. Triage and resolution deadlines join this list
    once units report the progress of their cases.
    """
    cases, assignments = Case.__table__, Assignment.__table__
    messages, statuses = Message.__table__, MessageStatus.__table__
    replied_in_case = exists().where(
        messages.c.case_id == cases.c.id,
        messages.c.direction == "out",
        messages.c.type.not_in(AUTOMATIC_TYPES),
        messages.c.sent_at >= cases.c.opened_at,
    )
    automatic = select(messages.c.wamid).where(
        messages.c.direction == "out", messages.c.type.in_(AUTOMATIC_TYPES)
    )
    delivered = exists().where(
        statuses.c.recipient == cases.c.sender,
        statuses.c.channel == cases.c.channel,
        statuses.c.status.in_(("sent", "delivered", "read")),
        statuses.c.at >= cases.c.opened_at,
        statuses.c.wamid.not_in(automatic),
    )
    answered = or_(replied_in_case, delivered)
    query = (
        select(
            cases.c.folio,
            cases.c.channel,
            assignments.c.unit,
            assignments.c.priority,
            assignments.c.first_answer_due,
        )
        .join(assignments, assignments.c.case_id == cases.c.id)
        .where(assignments.c.first_answer_due < now, ~answered)
        .order_by(assignments.c.first_answer_due)
    )
    with engine.connect() as connection:
        return [
            {
                "folio": row.folio,
                "channel": row.channel,
                "unit": row.unit,
                "priority": row.priority,
                "step": "first_answer",
                "due": row.first_answer_due.isoformat(),
                "hours_late": round(
                    (now - row.first_answer_due).total_seconds() / 3600
                ),
            }
            for row in connection.execute(query)
        ]


@task(name="route-cases", cache_policy=NONE)
def route_cases() -> list[dict[str, Any]]:
    """Route newly classified cases; returns counts per unit, never the cases."""
    from vigia.db import get_engine
    from vigia.settings import get_settings

    summary = route_pending(get_engine(get_settings()), load_rules())
    get_run_logger().info("routed %d cases", sum(summary.per_unit.values()))
    return summary.as_rows()
