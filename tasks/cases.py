"""Cases: consecutive messages of one sender on one channel, and their folios.

A sender's messages on a channel belong to one case until they fall silent
for the configured quiet gap (24 h by default); the next message opens a new
case with a new folio. A late message that falls inside a case's window
(up to one gap before its first or after its last message) joins that case.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.engine import Connection

from models import Case, FolioCounter
from models.cases import FOLIO_PREFIXES
from vigia.db import insert_fast, insert_ignoring_conflicts, utcnow
from vigia.sources.records import ParsedMessage

MEXICO_CITY = ZoneInfo("America/Mexico_City")


@dataclass(slots=True)
class NewMessage:
    """A message about to be stored, with its sender's pseudonym and case."""

    message: ParsedMessage
    pseudonym: str
    landing_id: int
    case_id: int | None = None


@dataclass(slots=True, eq=False)
class _CaseWindow:
    """A case's span in time while a batch is assigned; ``id`` None if new."""

    id: int | None
    opened_at: datetime
    last_message_at: datetime
    added: int = 0

    def covers(self, moment: datetime, gap: timedelta) -> bool:
        return self.opened_at - gap <= moment <= self.last_message_at + gap

    def extend(self, moment: datetime) -> None:
        self.opened_at = min(self.opened_at, moment)
        self.last_message_at = max(self.last_message_at, moment)
        self.added += 1


def assign_cases(
    connection: Connection, messages: list[NewMessage], quiet_gap_hours: float
) -> Counter[str]:
    """Give every inbound message a case, opening cases as needed.

    Returns how many cases were opened, per channel.
    """
    gap = timedelta(hours=quiet_gap_hours)
    by_sender: dict[tuple[str, str], list[NewMessage]] = defaultdict(list)
    for item in messages:
        by_sender[(item.pseudonym, item.message.channel)].append(item)
    if not by_sender:
        return Counter()

    earliest = min(item.message.sent_at for item in messages) - gap
    windows = _open_windows(connection, list(by_sender), earliest)
    owner: dict[int, _CaseWindow] = {}
    for key, items in by_sender.items():
        for item in sorted(items, key=lambda i: i.message.sent_at):
            window = _window_for(windows[key], item.message.sent_at, gap)
            window.extend(item.message.sent_at)
            owner[id(item)] = window

    opened = _save_windows(connection, windows)
    for item in messages:
        item.case_id = owner[id(item)].id
    return opened


def _window_for(
    windows: list[_CaseWindow], moment: datetime, gap: timedelta
) -> _CaseWindow:
    matching = [window for window in windows if window.covers(moment, gap)]
    if matching:
        return max(matching, key=lambda window: window.last_message_at)
    window = _CaseWindow(id=None, opened_at=moment, last_message_at=moment)
    windows.append(window)
    return window


def _open_windows(
    connection: Connection, keys: list[tuple[str, str]], earliest: datetime
) -> dict[tuple[str, str], list[_CaseWindow]]:
    """Stored cases of these senders that a message from ``earliest`` could join.

    The senders keep the order of their first message in the batch: cases
    opened in the same second get their folios in that order, the same in
    every run (a set's order would change with the interpreter's hash seed).
    """
    table = Case.__table__
    windows: dict[tuple[str, str], list[_CaseWindow]] = {key: [] for key in keys}
    senders = sorted({sender for sender, _ in keys})
    for start in range(0, len(senders), 900):
        query = select(
            table.c.id,
            table.c.sender,
            table.c.channel,
            table.c.opened_at,
            table.c.last_message_at,
        ).where(
            table.c.sender.in_(senders[start : start + 900]),
            table.c.last_message_at >= earliest,
        )
        for row in connection.execute(query):
            key = (row.sender, row.channel)
            if key in windows:
                windows[key].append(
                    _CaseWindow(row.id, row.opened_at, row.last_message_at)
                )
    return windows


def _save_windows(
    connection: Connection, windows: dict[tuple[str, str], list[_CaseWindow]]
) -> Counter[str]:
    """Insert the new cases with fresh folios and extend the stored ones."""
    now = utcnow()
    new: list[tuple[str, str, _CaseWindow]] = []
    grown: list[dict[str, Any]] = []
    for (sender, channel), channel_windows in windows.items():
        for window in channel_windows:
            if window.id is None:
                new.append((sender, channel, window))
            elif window.added:
                grown.append(_growth(window, now))

    if grown:
        table = Case.__table__
        connection.execute(
            update(table)
            .where(table.c.id == bindparam("case_id"))
            .values(
                opened_at=bindparam("opened"),
                last_message_at=bindparam("last"),
                message_count=table.c.message_count + bindparam("added_count"),
                updated_at=bindparam("now"),
            ),
            grown,
        )
    _insert_new_cases(connection, new, now)
    return Counter(channel for _, channel, _ in new)


def _growth(window: _CaseWindow, now: datetime) -> dict[str, Any]:
    return {
        "case_id": window.id,
        "opened": window.opened_at,
        "last": window.last_message_at,
        "added_count": window.added,
        "now": now,
    }


def _insert_new_cases(
    connection: Connection, new: list[tuple[str, str, _CaseWindow]], now: datetime
) -> None:
    if not new:
        return
    new.sort(key=lambda item: item[2].opened_at)
    by_series: dict[tuple[str, int], list[int]] = defaultdict(list)
    for index, (_, channel, window) in enumerate(new):
        year = window.opened_at.astimezone(MEXICO_CITY).year
        by_series[(FOLIO_PREFIXES[channel], year)].append(index)

    folios: dict[int, str] = {}
    for (prefix, year), indexes in by_series.items():
        for index, folio in zip(
            indexes,
            allocate_folios(connection, prefix, year, len(indexes)),
            strict=True,
        ):
            folios[index] = folio

    rows = [
        (
            folios[index],
            channel,
            sender,
            window.opened_at,
            window.last_message_at,
            window.added,
            "received",
            now,
        )
        for index, (sender, channel, window) in enumerate(new)
    ]
    table = Case.__table__
    insert_fast(connection, table, CASE_COLUMNS, rows)
    ids = _ids_by_folio(connection, [row[0] for row in rows])
    for (_, _, window), row in zip(new, rows, strict=True):
        window.id = ids[row[0]]


CASE_COLUMNS = (
    "folio", "channel", "sender", "opened_at", "last_message_at", "message_count",
    "status", "updated_at",
)  # fmt: skip


def _ids_by_folio(connection: Connection, folios: list[str]) -> dict[str, int]:
    table = Case.__table__
    ids: dict[str, int] = {}
    for start in range(0, len(folios), 900):
        query = select(table.c.folio, table.c.id).where(
            table.c.folio.in_(folios[start : start + 900])
        )
        ids.update({folio: case_id for folio, case_id in connection.execute(query)})
    return ids


def allocate_folios(
    connection: Connection, prefix: str, year: int, count: int
) -> list[str]:
    """Reserve ``count`` consecutive folios; a number is never handed out twice.

    The counter row is locked by the update until the transaction ends, so
    concurrent runs queue instead of sharing numbers.
    """
    table = FolioCounter.__table__
    insert_ignoring_conflicts(
        connection, table, [{"prefix": prefix, "year": year, "last_value": 0}]
    )
    last = connection.execute(
        update(table)
        .where(table.c.prefix == prefix, table.c.year == year)
        .values(last_value=table.c.last_value + count)
        .returning(table.c.last_value)
    ).scalar_one()
    return [
        f"{prefix}-{year}-{number:06d}" for number in range(last - count + 1, last + 1)
    ]


def attach_outbound(connection: Connection, messages: list[NewMessage]) -> None:
    """An agency message belongs to the recipient's latest case on its channel."""
    if not messages:
        return
    table = Case.__table__
    keys = {(item.pseudonym, item.message.channel) for item in messages}
    latest: dict[tuple[str, str], int] = {}
    senders = sorted({sender for sender, _ in keys})
    for start in range(0, len(senders), 900):
        query = (
            select(table.c.sender, table.c.channel, func.max(table.c.id))
            .where(table.c.sender.in_(senders[start : start + 900]))
            .group_by(table.c.sender, table.c.channel)
        )
        latest.update({(row[0], row[1]): row[2] for row in connection.execute(query)})
    for item in messages:
        item.case_id = latest.get((item.pseudonym, item.message.channel))
