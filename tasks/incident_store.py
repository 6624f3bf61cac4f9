"""Writing incidents: new ones, joins, merges, and each case's link and keys."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import fields
from typing import Any, Protocol

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.engine import Connection

from models import Case, CaseGroup, Incident, IncidentKey
from tasks.cases import allocate_folios
from tasks.incidents import Details, actor_keys, link_keys
from vigia.db import insert_fast, utcnow

INCIDENT_PREFIX = "INC"
"""Incident codes read ``INC-2026-000042``."""
_GROUP_COLUMNS = (
    "case_id",
    "incident_id",
    "duplicate_of",
    "details",
    "fraud",
    "forwarded",
    "messages_seen",
    "grouped_at",
)
_KEY_COLUMNS = ("key", "level", "actor", "case_id", "seen_at")


class GroupedCase(Protocol):
    """What is stored of a grouped case."""

    id: int
    opened_at: Any
    fraud: list[str]
    forwarded: bool
    messages_seen: int
    incident_id: int | None
    details: Details


def lock_incident_counter(connection: Connection) -> None:
    """One grouping writer at a time: hold the incident counter's row lock."""
    allocate_folios(connection, INCIDENT_PREFIX, utcnow().year, 0)


def new_incidents(connection: Connection, count: int) -> list[int]:
    """Create ``count`` incidents with fresh codes; their ids, in code order."""
    if count == 0:
        return []
    codes = allocate_folios(connection, INCIDENT_PREFIX, utcnow().year, count)
    now = utcnow()
    table = Incident.__table__
    insert_fast(
        connection,
        table,
        ("code", "merged_into", "created_at", "updated_at"),
        [(code, None, now, now) for code in codes],
    )
    ids: dict[str, int] = {}
    for start in range(0, len(codes), 900):
        query = select(table.c.code, table.c.id).where(
            table.c.code.in_(codes[start : start + 900])
        )
        ids.update({code: id_ for code, id_ in connection.execute(query)})
    return [ids[code] for code in codes]


def merge_incidents(
    connection: Connection, survivor: int, others: Iterable[int]
) -> None:
    """Fold younger incidents into ``survivor``; their rows stay and point at it."""
    others = [other for other in others if other != survivor]
    if not others:
        return
    incidents, groups = Incident.__table__, CaseGroup.__table__
    connection.execute(
        update(incidents)
        .where(incidents.c.id.in_(others) | incidents.c.merged_into.in_(others))
        .values(merged_into=survivor, updated_at=utcnow())
    )
    connection.execute(
        update(groups)
        .where(groups.c.incident_id.in_(others))
        .values(incident_id=survivor)
    )


def store_cases(connection: Connection, cases: Sequence[GroupedCase]) -> None:
    """Write each case's incident, details and link keys, replacing earlier ones."""
    groups, keys = CaseGroup.__table__, IncidentKey.__table__
    case_ids = [case.id for case in cases]
    for start in range(0, len(case_ids), 900):
        chunk = case_ids[start : start + 900]
        connection.execute(delete(groups).where(groups.c.case_id.in_(chunk)))
        connection.execute(delete(keys).where(keys.c.case_id.in_(chunk)))

    now = utcnow()
    insert_fast(
        connection,
        groups,
        _GROUP_COLUMNS,
        [
            (
                case.id,
                case.incident_id,
                None,
                details_json(case.details),
                bool(case.fraud),
                case.forwarded,
                case.messages_seen,
                now,
            )
            for case in cases
        ],
    )
    insert_fast(connection, keys, _KEY_COLUMNS, list(_key_rows(cases)))


def _key_rows(cases: Sequence[GroupedCase]) -> Iterable[tuple[Any, ...]]:
    for case in cases:
        actors = set(actor_keys(case.details))
        for key, level in link_keys(case.details):
            yield (key[:160], level, key in actors, case.id, case.opened_at)


def details_json(details: Details) -> dict[str, Any]:
    """The details as plain JSON: sorted lists, names as lists of words."""
    plain = {name: getattr(details, name) for name in _DETAIL_FIELDS}
    return {
        name: [list(v) if isinstance(v, tuple) else v for v in sorted(value)]
        for name, value in plain.items()
        if value
    }


def details_from_json(plain: dict[str, Any] | None) -> Details:
    """The details :func:`details_json` wrote, as grouping compares them."""
    if not plain:
        return NO_DETAILS
    values: dict[str, Any] = {
        name: frozenset(stored) for name, stored in plain.items() if name in _SETS
    }
    if "names" in plain:
        values["names"] = tuple(tuple(name) for name in plain["names"])
    return Details(**values)


NO_DETAILS = Details()
_DETAIL_FIELDS = tuple(item.name for item in fields(Details))
_SETS = frozenset(_DETAIL_FIELDS) - {"names"}


def refresh_duplicates(connection: Connection, incident_ids: set[int]) -> None:
    """Point every case of these incidents at the incident's earliest case.

    Every case of an incident points at its earliest, which points at none.
    Cases just stored point at none too, and a merge leaves one such case per
    incident it folded. So only the cases that point at none are read: the
    earliest of them is the incident's earliest, the others now point at it,
    and so do the followers of an earliest that lost its place. A chain
    forwarded by thousands is touched by every batch; reading or rewriting
    all its members each time would cost the square of its size.
    """
    moves = [
        {"incident": incident_id, "former": head, "first": heads[0]}
        for incident_id, heads in _earliest_cases(connection, incident_ids).items()
        for head in heads[1:]
    ]
    if not moves:
        return
    groups = CaseGroup.__table__
    for pointer in (groups.c.duplicate_of, groups.c.case_id):  # followers, then heads
        connection.execute(
            update(groups)
            .where(
                groups.c.incident_id == bindparam("incident"),
                pointer == bindparam("former"),
            )
            .values(duplicate_of=bindparam("first")),
            moves,
        )


def _earliest_cases(
    connection: Connection, incident_ids: set[int]
) -> dict[int, list[int]]:
    """The cases of each incident that point at none, oldest first."""
    groups, cases = CaseGroup.__table__, Case.__table__
    ordered = sorted(incident_ids)
    heads: dict[int, list[int]] = defaultdict(list)
    for start in range(0, len(ordered), 900):
        query = (
            select(groups.c.incident_id, groups.c.case_id)
            .join(cases, cases.c.id == groups.c.case_id)
            .where(
                groups.c.incident_id.in_(ordered[start : start + 900]),
                groups.c.duplicate_of.is_(None),
            )
            .order_by(groups.c.incident_id, cases.c.opened_at, cases.c.id)
        )
        for incident_id, case_id in connection.execute(query):
            heads[incident_id].append(case_id)
    return heads
