"""Group classified cases into incidents, run after run, against what is stored.

A run takes the cases classified since the last one (new, or grown since
they were grouped) in batches. For each batch it fetches only the earlier
cases that could matter, a few per incident: the near-duplicates the
persisted index finds, and the cases that share a detail of the accused (a
phone, an account, a name). Earlier cases come as they were stored (their
details, their copy marks), never read again from their texts. Those and
the batch are grouped together (:mod:`tasks.incidents`), with the copies
the index found; each resulting group joins the incidents its earlier
cases already belong to. A group that touches two incidents merges them
into the older one. Grouping only ever joins: a case that grows can join
more, never leave.
"""

from __future__ import annotations

import time
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import NONE
from sqlalchemy import Engine, or_, select
from sqlalchemy.engine import Connection

from classifiers.conversation import conversation_text
from models import Case, CaseGroup, CaseLabel, IncidentKey, Message
from tasks.dedup import NearDuplicateIndex, TextItem, chain_cues, content_text
from tasks.dedup_store import index_path, open_index
from tasks.incident_store import (
    details_from_json,
    lock_incident_counter,
    merge_incidents,
    new_incidents,
    refresh_duplicates,
    store_cases,
)
from tasks.incidents import (
    COPY_COMPARISONS,
    KEY_MEMORY,
    STRONG_WINDOW,
    WEAK_KEY_LIMIT,
    Details,
    Report,
    details_of,
    group_reports,
    link_keys,
)


@dataclass
class GroupSummary:
    """Counts of one grouping run."""

    cases: int = 0
    new_incidents: int = 0
    joined: int = 0  # cases that joined an incident holding other cases
    merged: int = 0  # incidents merged into an older one
    batches: int = 0

    def as_rows(self) -> list[dict[str, Any]]:
        """One row per count, for a table artifact."""
        return [{"count": name, "value": value} for name, value in asdict(self).items()]


@dataclass(slots=True)
class _Reading:
    """What grouping reads from a case's conversation, each part once."""

    text: str
    content: str  # the text as the near-duplicate index reads it
    forwarded: bool  # WhatsApp marked a message forwarded, or it reads as a chain
    details: Details | None = None  # read when the case may join others

    @classmethod
    def of(cls, texts: list[str | None], marked_forwarded: bool) -> _Reading:
        text = conversation_text(texts)
        content = content_text(text)
        return cls(text, content, marked_forwarded or chain_cues(content))

    def identifying_details(self) -> Details:
        if self.details is None:
            self.details = details_of(self.text)
        return self.details


@dataclass
class _Case:
    """What grouping needs of a case."""

    id: int
    sender: str
    opened_at: datetime
    reading: _Reading
    fraud: list[str]
    messages_seen: int
    incident_id: int | None = None
    details: Details = field(default_factory=Details)

    @property
    def text(self) -> str:
        return self.reading.text

    def in_incident(self, incident_id: int) -> _Case:
        """A copy of this case, in that incident."""
        return _Case(
            self.id, self.sender, self.opened_at, self.reading, self.fraud,
            self.messages_seen, incident_id, self.details,
        )  # fmt: skip

    @property
    def forwarded(self) -> bool:
        return self.reading.forwarded

    @property
    def eligible(self) -> bool:
        """Fraud reports and chains may join other people's reports."""
        return bool(self.fraud) or self.forwarded

    def report(self) -> Report:
        return Report(
            id=str(self.id),
            text=self.text,
            sender=self.sender,
            sent_at=self.opened_at,
            fraud=self.fraud,
            forwarded=self.forwarded,
            content=self.reading.content,
            details=self.details if self.eligible else None,
            together=None if self.incident_id is None else str(self.incident_id),
        )


def group_pending(
    engine: Engine,
    data_dir: Path,
    batch_size: int = 2_000,
    max_batches: int | None = None,
) -> GroupSummary:
    """Group every classified case that is new or grew since it was grouped.

    Cases are taken oldest first, each batch starting after the last case of
    the one before. The index is saved at the end and at most once every
    ``SAVE_EVERY_SECONDS`` meanwhile: saving writes every stored signature, so
    saving after each batch would cost the square of the run. An index left
    behind by a crash is rebuilt by the next run (:mod:`tasks.dedup_store`).
    """
    summary = GroupSummary()
    path = index_path(data_dir)
    with engine.connect() as connection:
        index = open_index(connection, path, _grouped_items)
    after: tuple[datetime, int] | None = None
    stored = _StoredCases()
    saved = time.monotonic()
    while max_batches is None or summary.batches < max_batches:
        with engine.begin() as connection:
            lock_incident_counter(connection)
            batch = _cases_to_group(connection, batch_size, after)
            if not batch:
                break
            _group_batch(connection, index, stored, batch, summary)
        after = (batch[-1].opened_at, batch[-1].id)
        summary.batches += 1
        if time.monotonic() - saved >= SAVE_EVERY_SECONDS:
            index.save(path)
            saved = time.monotonic()
    if summary.batches:
        index.save(path)
    return summary


SAVE_EVERY_SECONDS = 60.0


def _cases_to_group(
    connection: Connection,
    limit: int,
    after: tuple[datetime, int] | None,
) -> list[_Case]:
    """The next classified cases to group, oldest first, after ``after``."""
    cases, labels, groups = Case.__table__, CaseLabel.__table__, CaseGroup.__table__
    query = (
        select(cases.c.id)
        .join(labels, labels.c.case_id == cases.c.id)
        .outerjoin(groups, groups.c.case_id == cases.c.id)
        .where(
            or_(
                groups.c.case_id.is_(None),
                groups.c.messages_seen != labels.c.messages_seen,
            )
        )
        .order_by(cases.c.opened_at, cases.c.id)
        .limit(limit)
    )
    if after is not None:
        opened_at, case_id = after
        query = query.where(
            cases.c.opened_at >= opened_at,
            or_(cases.c.opened_at > opened_at, cases.c.id > case_id),
        )
    return _load_cases(connection, list(connection.scalars(query)))


def _load_cases(connection: Connection, case_ids: list[int]) -> list[_Case]:
    """The cases, oldest first, with their texts, labels and current incident."""
    cases, labels, groups = Case.__table__, CaseLabel.__table__, CaseGroup.__table__
    loaded: list[_Case] = []
    for start in range(0, len(case_ids), 900):
        chunk = case_ids[start : start + 900]
        query = (
            select(
                cases.c.id,
                cases.c.sender,
                cases.c.opened_at,
                labels.c.fraud,
                labels.c.messages_seen,
                groups.c.incident_id,
            )
            .join(labels, labels.c.case_id == cases.c.id)
            .outerjoin(groups, groups.c.case_id == cases.c.id)
            .where(cases.c.id.in_(chunk))
        )
        texts, forwarded = _conversations(connection, chunk)
        loaded += [
            _Case(
                row.id,
                row.sender,
                row.opened_at,
                _Reading.of(texts.get(row.id, []), forwarded.get(row.id, False)),
                list(row.fraud or []),
                row.messages_seen,
                row.incident_id,
            )
            for row in connection.execute(query)
        ]
    return sorted(loaded, key=lambda case: (case.opened_at, case.id))


def _grouped_cases(connection: Connection, case_ids: list[int]) -> list[_Case]:
    """Grouped cases as they were stored, oldest first, without their texts.

    An earlier case is compared with the batch by the details and copy marks
    stored when it was grouped (its copies come from the index), so its
    conversation is not fetched and read again.
    """
    cases, labels, groups = Case.__table__, CaseLabel.__table__, CaseGroup.__table__
    loaded: list[_Case] = []
    for start in range(0, len(case_ids), 900):
        query = (
            select(
                cases.c.id,
                cases.c.sender,
                cases.c.opened_at,
                labels.c.fraud,
                groups.c.messages_seen,
                groups.c.incident_id,
                groups.c.forwarded,
                groups.c.details,
            )
            .join(groups, groups.c.case_id == cases.c.id)
            .outerjoin(labels, labels.c.case_id == cases.c.id)
            .where(cases.c.id.in_(case_ids[start : start + 900]))
        )
        for row in connection.execute(query):
            details = details_from_json(row.details)
            reading = _Reading("", "", row.forwarded, details)
            fraud = list(row.fraud or [])
            loaded.append(
                _Case(
                    row.id,
                    row.sender,
                    row.opened_at,
                    reading,
                    fraud,
                    row.messages_seen,
                    row.incident_id,
                    details,
                )
            )
    return sorted(loaded, key=lambda case: (case.opened_at, case.id))


class _StoredCases:
    """Earlier cases as grouping stored them, kept over a run, the latest used.

    The same earlier cases come back batch after batch: the latest copies of
    a chain or of a much-copied text, the latest reports naming one phone.
    At a million messages three of every four loaded had been loaded within
    the last 20,000, so what was stored of them (sender, time, fraud labels,
    copy mark, details) is kept. Their incident is always the one just read:
    merges move it. A case grouped again in the run is dropped, since what
    is stored of it changes.
    """

    def __init__(self, limit: int = 20_000) -> None:
        self.limit = limit
        self.cases: OrderedDict[int, _Case] = OrderedDict()

    def load(self, connection: Connection, incidents: dict[int, int]) -> list[_Case]:
        """These cases, each in the incident given, oldest first."""
        missing = sorted(case_id for case_id in incidents if case_id not in self.cases)
        for case in _grouped_cases(connection, missing):
            self.cases[case.id] = case
        loaded = []
        for case_id, incident_id in incidents.items():
            kept = self.cases.get(case_id)
            if kept is not None:
                self.cases.move_to_end(case_id)
                loaded.append(kept.in_incident(incident_id))
        while len(self.cases) > self.limit:
            self.cases.popitem(last=False)
        return sorted(loaded, key=lambda case: (case.opened_at, case.id))

    def forget(self, case_ids: Iterable[int]) -> None:
        for case_id in case_ids:
            self.cases.pop(case_id, None)


def _conversations(
    connection: Connection, case_ids: list[int]
) -> tuple[dict[int, list[str | None]], dict[int, bool]]:
    """Each case's inbound texts in order, and whether any of them was forwarded."""
    texts: dict[int, list[str | None]] = defaultdict(list)
    forwarded: dict[int, bool] = defaultdict(bool)
    if not case_ids:
        return texts, forwarded
    messages = Message.__table__
    query = (
        select(messages.c.case_id, messages.c.text, messages.c.forwarded)
        .where(messages.c.case_id.in_(case_ids), messages.c.direction == "in")
        .order_by(messages.c.case_id, messages.c.sent_at, messages.c.id)
    )
    for row in connection.execute(query):
        texts[row.case_id].append(row.text)
        forwarded[row.case_id] |= bool(row.forwarded)
    return texts, forwarded


def _grouped_items(connection: Connection):  # type: ignore[no-untyped-def]
    """Every grouped case as an index item, oldest first (to rebuild the index)."""
    cases, groups = Case.__table__, CaseGroup.__table__
    query = (
        select(cases.c.id)
        .join(groups, groups.c.case_id == cases.c.id)
        .order_by(cases.c.opened_at, cases.c.id)
    )
    case_ids = list(connection.scalars(query))
    for start in range(0, len(case_ids), 5_000):
        chunk = case_ids[start : start + 5_000]
        for case in _load_cases(connection, chunk):
            yield _item(case)


def _item(case: _Case) -> TextItem:
    return TextItem(
        str(case.id), case.text, case.sender, case.forwarded, bool(case.fraud)
    )


def _group_batch(
    connection: Connection,
    index: NearDuplicateIndex,
    stored: _StoredCases,
    batch: list[_Case],
    summary: GroupSummary,
) -> None:
    """Group a batch with the earlier cases it may belong with; store the result."""
    _read_details(batch)
    batch_ids = {case.id for case in batch}
    found = index.query_and_add_positions(
        [_item(case) for case in batch], [case.reading.content for case in batch]
    )
    matched = [[int(index.ids[p]) for p in sorted(m, reverse=True)] for m in found]
    wanted = _copies_to_compare(connection, matched, batch_ids)
    wanted |= _cases_sharing_keys(connection, batch)
    earlier = stored.load(connection, _without(wanted, batch_ids))

    everyone = earlier + batch
    grouping = group_reports(
        [case.report() for case in everyone], _copies_among(everyone, matched)
    )
    members: dict[str, list[_Case]] = defaultdict(list)
    for case, group in zip(everyone, grouping.groups, strict=True):
        members[group].append(case)

    touched = _assign_incidents(
        connection,
        [cases for cases in members.values() if batch_ids & {c.id for c in cases}],
        summary,
    )
    store_cases(connection, batch)
    stored.forget(batch_ids)
    refresh_duplicates(connection, touched)
    summary.cases += len(batch)


def _without(incidents: dict[int, int], case_ids: set[int]) -> dict[int, int]:
    return {case: at for case, at in incidents.items() if case not in case_ids}


def _copies_among(everyone: list[_Case], matched: list[list[int]]) -> list[list[int]]:
    """For each case, the others it copies: the index's matches of the batch.

    The batch is last in ``everyone``; ``matched`` holds its matches' case
    ids. The earlier cases' copies among themselves were joined when they
    were grouped.
    """
    place = {case.id: at for at, case in enumerate(everyone)}
    copies: list[list[int]] = [[] for _ in everyone]
    first = len(everyone) - len(matched)
    for at, case_ids in enumerate(matched, first):
        for case_id in case_ids:
            other = place.get(case_id)
            if other is not None and other != at:
                copies[at].append(other)
    return copies


COPIES_PER_INCIDENT = 2
"""Earlier copies of one incident compared with a new case, at most.

A chain forwarded by thousands matches a new copy to a hundred of its
members, all in one incident: one is enough to join it (and one more in case
the latest's details contradict the new case's). Loading them all would make
each batch cost more the longer the chain grows.
"""


def _copies_to_compare(
    connection: Connection, matched: list[list[int]], batch_ids: set[int]
) -> dict[int, int]:
    """The earlier grouped cases worth comparing with the batch's copies.

    ``matched`` holds each batch case's near-duplicates, latest first; of
    those, no more than ``COPIES_PER_INCIDENT`` of one incident and
    ``COPY_COMPARISONS`` in all. Returns each chosen case's incident.
    """
    incident_of = _incidents_of(
        connection, sorted({c for ids in matched for c in ids} - batch_ids)
    )
    chosen: dict[int, int] = {}
    for case_ids in matched:
        pairs = [(c, incident_of[c]) for c in case_ids if c in incident_of]
        chosen.update(_latest_per_incident(pairs, COPY_COMPARISONS))
    return chosen


def _incidents_of(connection: Connection, case_ids: list[int]) -> dict[int, int]:
    """The incident of each of these cases that is grouped."""
    groups = CaseGroup.__table__
    incidents: dict[int, int] = {}
    for start in range(0, len(case_ids), 900):
        query = select(groups.c.case_id, groups.c.incident_id).where(
            groups.c.case_id.in_(case_ids[start : start + 900])
        )
        incidents.update(
            (row.case_id, row.incident_id) for row in connection.execute(query)
        )
    return incidents


def _read_details(cases: list[_Case]) -> None:
    for case in cases:
        if case.eligible:
            case.details = case.reading.identifying_details()


def _assign_incidents(
    connection: Connection, groups: list[list[_Case]], summary: GroupSummary
) -> set[int]:
    """Give each group one incident: the oldest it touches, or a new one.

    A group touching several incidents merges them into the oldest; later
    groups of the batch that still name a merged incident follow it there.
    """
    redirect: dict[int, int] = {}
    unclaimed: list[list[_Case]] = []
    touched: set[int] = set()
    for cases in groups:
        existing = sorted(
            {redirect.get(c.incident_id, c.incident_id) for c in cases if c.incident_id}
        )
        if not existing:
            unclaimed.append(cases)
            continue
        survivor, others = existing[0], existing[1:]
        merge_incidents(connection, survivor, others)
        redirect.update(dict.fromkeys(others, survivor))
        summary.merged += len(others)
        summary.joined += sum(1 for c in cases if c.incident_id is None)
        touched.add(_claim(cases, survivor))

    for cases, incident_id in zip(
        unclaimed, new_incidents(connection, len(unclaimed)), strict=True
    ):
        touched.add(_claim(cases, incident_id))
        summary.new_incidents += 1
        summary.joined += len(cases) - 1
    return touched


def _claim(cases: list[_Case], incident_id: int) -> int:
    for case in cases:
        case.incident_id = incident_id
    return incident_id


def _cases_sharing_keys(connection: Connection, batch: list[_Case]) -> dict[int, int]:
    """Grouped cases that name the same accused as a case of the batch.

    Per key, the latest ``KEY_MEMORY`` reports, no more than
    ``COPIES_PER_INCIDENT`` of one incident: a phone forwarded in a chain is
    in thousands of one incident's cases, and the latest is enough to join it.
    Returns each chosen case's incident.
    """
    wanted = {key for case in batch for key, _ in link_keys(case.details)}
    if not wanted:
        return {}
    keys, groups = IncidentKey.__table__, CaseGroup.__table__
    since = min(case.opened_at for case in batch) - STRONG_WINDOW
    found: dict[str, list[tuple[int, int]]] = defaultdict(list)
    weak: set[str] = set()
    ordered = sorted(wanted)
    for start in range(0, len(ordered), 900):
        query = (
            select(keys.c.key, keys.c.level, keys.c.case_id, groups.c.incident_id)
            .join(groups, groups.c.case_id == keys.c.case_id)
            .where(
                keys.c.key.in_(ordered[start : start + 900]), keys.c.seen_at >= since
            )
            .order_by(keys.c.key, keys.c.seen_at.desc())
        )
        for row in connection.execute(query):
            found[row.key].append((row.case_id, row.incident_id))
            if row.level == "weak":
                weak.add(row.key)
    # A weak key found in too many reports identifies no one (see tasks.incidents).
    return {
        case_id: incident_id
        for key, reports in found.items()
        if not (key in weak and len(reports) >= WEAK_KEY_LIMIT)
        for case_id, incident_id in _latest_per_incident(reports, KEY_MEMORY)
    }


def _latest_per_incident(
    reports: list[tuple[int, int]], limit: int
) -> list[tuple[int, int]]:
    """Of ``(case, incident)`` pairs, latest first, the first few of each incident."""
    per_incident: Counter[int] = Counter()
    chosen: list[tuple[int, int]] = []
    for case_id, incident in reports:
        if per_incident[incident] < COPIES_PER_INCIDENT:
            per_incident[incident] += 1
            chosen.append((case_id, incident))
            if len(chosen) == limit:
                break
    return chosen


@task(name="group-cases", cache_policy=NONE)
def group_cases(max_batches: int | None = None) -> list[dict[str, Any]]:
    """Group newly classified cases into incidents; returns counts, never cases."""
    from vigia.db import get_engine
    from vigia.settings import get_settings

    settings = get_settings()
    summary = group_pending(
        get_engine(settings), settings.data_dir, max_batches=max_batches
    )
    get_run_logger().info(
        "grouped %d cases: %d new incidents, %d merged",
        summary.cases,
        summary.new_incidents,
        summary.merged,
    )
    return summary.as_rows()
