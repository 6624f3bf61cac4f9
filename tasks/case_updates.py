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
from dataclasses import dataclass, field
from datetime import datetime
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


def _rows(path: Path):  # type: ignore[no-untyped-def]
    if not path.is_file():
        raise InputFileError(f"{path}: no such file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputFileError(
            f"{path}: not UTF-8 text; save the sheet as CSV UTF-8"
        ) from None
    reader = csv.DictReader(text.splitlines())
    headers = {name: HEADER_ALIASES.get((name or "").strip().lower()) for name in
               reader.fieldnames or []}  # fmt: skip
    missing = {"folio", "status"} - set(headers.values())
    if missing:
        raise InputFileError(
            f"{path}: the header needs the columns {', '.join(sorted(missing))} "
            f"(found: {', '.join(name for name in headers if name) or 'none'})"
        )
    for row in reader:
        fields = {
            headers[k]: (v or "").strip() for k, v in row.items() if headers.get(k)
        }
        yield reader.line_num, fields


def _change(row: dict[str, str], source: str) -> Change:
    folio, status = row.get("folio", ""), row.get("status", "")
    if not folio or not status:
        raise RejectedInput("folio and status are required")
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
    if moment > utcnow():
        raise RejectedInput(f"date {value} is in the future")
    return moment
