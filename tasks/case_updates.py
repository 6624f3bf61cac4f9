"""Units report back in spreadsheets: import a CSV of status updates.

Each row moves one case: ``folio``, ``status``, and optionally ``note``,
``at`` (ISO 8601; Mexico City time when it has no offset; now when empty)
and ``by`` (who in the unit). Spanish headers are understood too (``estatus``,
``nota``, ``fecha``, ``responsable``). Rows are checked one by one: a good
row is applied in its own transaction, a bad one is reported with its line
number and reason and changes nothing. Importing the same file again applies
nothing new.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from tasks.lifecycle import Change, apply_changes
from vigia.db import utcnow
from vigia.errors import InputFileError, RejectedInput

MEXICO_CITY = ZoneInfo("America/Mexico_City")
HEADER_ALIASES = {
    "folio": "folio",
    "status": "status", "estatus": "status", "estado": "status",
    "note": "note", "nota": "note", "observaciones": "note",
    "at": "at", "fecha": "at", "when": "at",
    "by": "by", "responsable": "by", "unidad": "by",
}  # fmt: skip


@dataclass
class ImportSummary:
    """What one file did."""

    applied: int = 0
    unchanged: int = 0  # rows already imported before
    errors: list[str] = field(default_factory=list)  # "line 7: reason"


def import_updates(engine: Engine, path: Path) -> ImportSummary:
    """Apply every good row of ``path``; collect the bad ones with their lines."""
    summary = ImportSummary()
    source = f"csv:{path.name}"[:128]
    for line, row in _rows(path):
        if isinstance(row, RejectedInput):
            summary.errors.append(f"line {line}: {row}")
            continue
        try:
            change = _change(row, source)
            with engine.begin() as connection:
                applied = apply_changes(connection, [change])
        except RejectedInput as error:
            summary.errors.append(f"line {line}: {error}")
            continue
        summary.applied += applied
        summary.unchanged += 1 - applied
    return summary


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str] | RejectedInput]]:
    """Each data row by the line where it ends, or why it could not be read."""
    if not path.is_file():
        raise InputFileError(f"{path}: no such file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputFileError(
            f"{path}: not UTF-8 text; save the sheet as CSV UTF-8"
        ) from None
    # Lines end only at CR/LF: str.splitlines() would also break a note at
    # U+2028, U+0085 or a form feed, which people paste from other programs.
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        names = reader.fieldnames or []
    except csv.Error as error:
        raise InputFileError(
            f"{path}: the header row cannot be read: {error}"
        ) from None
    headers = {name: HEADER_ALIASES.get((name or "").strip().lower()) for name in
               names}  # fmt: skip
    missing = {"folio", "status"} - set(headers.values())
    if missing:
        raise InputFileError(
            f"{path}: the header needs the columns {', '.join(sorted(missing))} "
            f"(found: {', '.join(name for name in headers if name) or 'none'})"
        )
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:  # a cell over csv.field_size_limit(), 128 KiB
            # The reader stops mid-row; what follows would be read out of step,
            # so nothing after it is. Rows already applied are skipped next time.
            # DictReader counts only the rows it returns; its reader, every line.
            yield (
                reader.reader.line_num,
                RejectedInput(
                    f"unreadable row: {error}; the rows after it were not read: fix "
                    "it and import the sheet again"
                ),
            )
            return
        fields = {
            headers[k]: (v or "").strip() for k, v in row.items() if headers.get(k)
        }
        yield reader.line_num, fields


def _change(row: dict[str, str], source: str) -> Change:
    folio, status = row.get("folio", ""), row.get("status", "")
    if not folio or not status:
        raise RejectedInput("folio and status are required")
    for name, value in row.items():
        if "\x00" in value:  # PostgreSQL keeps no NUL in text
            raise RejectedInput(f"{name} holds a NUL character")
    return Change(
        folio=folio.upper(),
        to_status=status,
        at=_moment(row.get("at", "")),
        actor=row.get("by") or "unidad",
        source=source,
        note=row.get("note") or None,
    )


def _moment(value: str) -> datetime:
    if not value:
        return utcnow()
    try:
        moment = datetime.fromisoformat(value.replace(" ", "T", 1))
    except ValueError:
        raise RejectedInput(
            f"date {value!r} is not ISO 8601 (e.g. 2026-12-07 10:30)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=MEXICO_CITY)
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:  # year 1 east of Greenwich, year 9999 west of it
        raise RejectedInput(f"date {value!r} is out of range") from None
    if moment > utcnow():
        raise RejectedInput(f"date {value} is in the future")
    return moment
