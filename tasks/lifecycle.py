"""The life of a case: its statuses, the moves allowed between them, the audit trail.

A case is ``received`` when its first message lands, ``acknowledged`` once
the citizen got the automatic acknowledgment with the folio, ``assigned``
when routing gives it to a unit, ``in_progress`` while the unit works on it,
and ends ``resolved`` (answered) or ``closed``. On the way it may be
``referred`` (outside CONAVI's competence: sent to another institution) or
``awaiting_information`` (the unit asked the citizen for something).

Every move is a row of ``case_events`` with who, when, from, to and a note;
nothing is overwritten. A move the table below does not allow is refused
with the moves that are allowed. The pipeline's own moves (acknowledged,
assigned) happen only where they are forward steps: routing a case that a
unit already has in progress leaves its status alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine, bindparam, select, update
from sqlalchemy.engine import Connection

from models import Case, CaseEvent
from vigia.db import insert_fast, utcnow
from vigia.errors import RejectedInput


class Status(StrEnum):
    """Where a case stands."""

    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    AWAITING_INFORMATION = "awaiting_information"
    REFERRED = "referred"
    RESOLVED = "resolved"
    CLOSED = "closed"


S = Status
TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.RECEIVED: frozenset({S.ACKNOWLEDGED, S.ASSIGNED, S.REFERRED, S.CLOSED}),
    S.ACKNOWLEDGED: frozenset({S.ASSIGNED, S.REFERRED, S.CLOSED}),
    S.ASSIGNED: frozenset(
        {S.IN_PROGRESS, S.AWAITING_INFORMATION, S.REFERRED, S.RESOLVED, S.CLOSED}
    ),
    S.IN_PROGRESS: frozenset(
        {S.AWAITING_INFORMATION, S.REFERRED, S.RESOLVED, S.CLOSED}
    ),
    S.AWAITING_INFORMATION: frozenset({S.IN_PROGRESS, S.RESOLVED, S.CLOSED}),
    S.REFERRED: frozenset({S.CLOSED}),
    S.RESOLVED: frozenset({S.IN_PROGRESS, S.CLOSED}),  # reopened if the answer missed
    S.CLOSED: frozenset(),
}
"""Allowed moves: ``TRANSITIONS[current]`` holds every status a case may go to."""

EVENT_COLUMNS = (
    "case_id", "at", "actor", "source", "from_status", "to_status", "note",
    "recorded_at",
)  # fmt: skip


class InvalidTransition(RejectedInput):
    """A move the lifecycle does not allow; the message lists the allowed ones."""


class UnknownCase(RejectedInput):
    """No case has this folio."""


@dataclass(frozen=True)
class Change:
    """A requested move of one case, as a unit reports it."""

    folio: str
    to_status: str
    at: datetime
    actor: str
    source: str
    note: str | None = None


def parse_status(value: str) -> Status:
    """A status from its name; "en proceso" style spellings are not guessed."""
    try:
        return Status(value.strip().lower())
    except ValueError:
        known = ", ".join(status.value for status in Status)
        raise RejectedInput(f"unknown status {value!r}; use one of: {known}") from None


def check_transition(folio: str, current: str, target: str) -> None:
    """Refuse a move the lifecycle does not allow, saying which ones it does."""
    allowed = TRANSITIONS[Status(current)]
    if Status(target) in allowed:
        return
    if not allowed:
        raise InvalidTransition(f"{folio} is {current}: a closed case cannot change")
    options = ", ".join(sorted(status.value for status in allowed))
    raise InvalidTransition(
        f"{folio} cannot go from {current} to {target}; from {current} it can go "
        f"to: {options}"
    )


def apply_changes(connection: Connection, changes: Sequence[Change]) -> int:
    """Apply the moves in order, all or none; returns how many were new.

    A move already recorded (same case, status and time) is skipped, so a
    file of updates imported twice changes nothing the second time.
    """
    cases = Case.__table__
    folios = sorted({change.folio for change in changes})
    rows = connection.execute(
        select(cases.c.folio, cases.c.id, cases.c.status, cases.c.opened_at)
        .where(cases.c.folio.in_(folios))
        .with_for_update()
    ).all()
    known = {row.folio: [row.id, row.status] for row in rows}
    opened = {row.folio: _second(row.opened_at) for row in rows}
    recorded = _recorded(connection, [case_id for case_id, _ in known.values()])

    events: list[tuple[Any, ...]] = []
    moved: dict[int, str] = {}
    for change in changes:
        if change.folio not in known:
            raise UnknownCase(f"no case has the folio {change.folio}")
        case_id, current = known[change.folio]
        target = parse_status(change.to_status).value
        if (case_id, target, _second(change.at)) in recorded:
            continue
        if _second(change.at) < opened[change.folio]:
            raise RejectedInput(
                f"{change.folio} opened after {change.at.isoformat()}: check the date"
            )
        check_transition(change.folio, current, target)
        events.append(_event(case_id, change, current, target))
        known[change.folio][1] = moved[case_id] = target
    _write(connection, events, moved)
    return len(events)


def advance_cases(
    connection: Connection,
    case_ids: Iterable[int],
    target: Status,
    at: datetime,
    source: str = "pipeline",
    note: str | None = None,
) -> int:
    """Move cases to ``target`` where that is an allowed step; skip the others.

    For the pipeline's own moves: a case already past ``target`` stays put.
    """
    cases = Case.__table__
    ids = sorted(set(case_ids))
    events: list[tuple[Any, ...]] = []
    statuses: dict[int, str] = {}
    for start in range(0, len(ids), 900):
        query = select(cases.c.id, cases.c.folio, cases.c.status).where(
            cases.c.id.in_(ids[start : start + 900])
        )
        for case_id, folio, current in connection.execute(query):
            if target in TRANSITIONS[Status(current)]:
                change = Change(folio, target.value, at, "vigia", source, note)
                events.append(_event(case_id, change, current, target.value))
                statuses[case_id] = target.value
    _write(connection, events, statuses)
    return len(events)


def update_case(
    engine: Engine,
    folio: str,
    status: str,
    note: str | None = None,
    actor: str = "unidad",
    at: datetime | None = None,
) -> None:
    """Move one case, as `vigia case update` does; refuses invalid moves."""
    change = Change(folio.strip().upper(), status, at or utcnow(), actor, "cli", note)
    with engine.begin() as connection:
        apply_changes(connection, [change])


def case_history(engine: Engine, folio: str) -> list[dict[str, Any]]:
    """Every event of a case in the order it was recorded.

    ``at`` is when the change happened as its author says (a unit's sheet may
    report last week's work today); the trail itself is kept in the order
    Vigía learnt of each change.
    """
    cases, events = Case.__table__, CaseEvent.__table__
    with engine.connect() as connection:
        case_id = connection.scalar(
            select(cases.c.id).where(cases.c.folio == folio.strip().upper())
        )
        if case_id is None:
            raise UnknownCase(f"no case has the folio {folio}")
        query = select(events).where(events.c.case_id == case_id).order_by(events.c.id)
        return [dict(row._mapping) for row in connection.execute(query)]


def _recorded(connection: Connection, case_ids: list[int]) -> set[tuple[int, str, int]]:
    events = CaseEvent.__table__
    query = select(events.c.case_id, events.c.to_status, events.c.at).where(
        events.c.case_id.in_(case_ids)
    )
    return {(cid, status, _second(at)) for cid, status, at in connection.execute(query)}


def _second(moment: datetime) -> int:
    """A time to the second, to compare stored and new events (naive is UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return int(aware.timestamp())


def _event(case_id: int, change: Change, current: str, target: str) -> tuple[Any, ...]:
    return (
        case_id, change.at, change.actor[:64], change.source[:128], current, target,
        change.note, utcnow(),
    )  # fmt: skip


def _write(
    connection: Connection, events: list[tuple[Any, ...]], statuses: dict[int, str]
) -> None:
    if not events:
        return
    insert_fast(connection, CaseEvent.__table__, EVENT_COLUMNS, events)
    cases = Case.__table__
    connection.execute(
        update(cases)
        .where(cases.c.id == bindparam("target"))
        .values(status=bindparam("new_status"), updated_at=utcnow()),
        [{"target": cid, "new_status": status} for cid, status in statuses.items()],
    )
