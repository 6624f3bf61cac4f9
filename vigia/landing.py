"""Land bodies verbatim: the first and only write before anything is parsed.

Whatever arrives (a webhook POST, a line of a backfill file, a chat export,
a portal form) is stored here as received, keyed by its sha256, so that a
re-delivery lands once and nothing is lost if parsing later fails.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from sqlalchemy import Engine

from models import LandingRecord
from models.landing import LandingSource
from vigia.db import insert_fast, utcnow
from vigia.errors import InputFileError


@dataclass(frozen=True, slots=True)
class Arrival:
    """One body to land, with where it came from."""

    source: str
    body: bytes
    channel: str | None = None


@dataclass(slots=True)
class LandingSummary:
    """How many bodies were new, and how many had landed before."""

    landed: int = 0
    already_landed: int = 0

    def add(self, other: LandingSummary) -> None:
        """Accumulate another summary into this one."""
        self.landed += other.landed
        self.already_landed += other.already_landed


def land(
    engine: Engine, arrivals: Iterable[Arrival], chunk: int = 50_000
) -> LandingSummary:
    """Store arrivals verbatim, one transaction per chunk; duplicates are skipped.

    The unique sha256 index takes each body at a random place, so once the
    index holds many more pages than a chunk has bodies, each transaction
    writes about one index page per body. In chunks of 5,000 the time per
    body of a 300,000-body backfill doubled from its first to its last
    part; in chunks of 50,000 (about 30 MB of bodies at once) it stays flat.
    """
    summary = LandingSummary()
    table = LandingRecord.__table__
    iterator = iter(arrivals)
    while batch := list(islice(iterator, chunk)):
        rows = _rows(batch)
        with engine.begin() as connection:
            landed = insert_fast(connection, table, COLUMNS, rows)
        summary.landed += landed
        summary.already_landed += len(batch) - landed
    return summary


COLUMNS = ("source", "channel", "body", "sha256", "received_at", "status")


def _rows(batch: list[Arrival]) -> list[tuple[object, ...]]:
    now = utcnow()
    seen: set[str] = set()
    rows = []
    for arrival in batch:
        digest = hashlib.sha256(arrival.body).hexdigest()
        if digest not in seen:
            seen.add(digest)
            rows.append(
                (arrival.source, arrival.channel, arrival.body, digest, now, "pending")
            )
    return rows


def read_backfill(path: Path, channel: str | None = None) -> Iterator[Arrival]:
    """The arrivals in a backfill file, recognised by its extension.

    ``.jsonl`` holds one webhook body per line, ``.json`` one body or a list
    of them, ``.txt`` a WhatsApp "Export chat" file of the given channel, and
    ``.csv`` an export of the portal form.
    """
    if not path.is_file():
        raise InputFileError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return _jsonl(path)
    if suffix == ".json":
        return _json(path)
    if suffix == ".txt":
        return iter([_chat_export(path, channel)])
    if suffix == ".csv":
        return _portal_csv(path)
    raise InputFileError(
        f"{path}: unknown kind of file; expected .jsonl or .json (webhook bodies), "
        ".txt (WhatsApp chat export, with --channel) or .csv (portal form export)"
    )


def _jsonl(path: Path) -> Iterator[Arrival]:
    """Each non-blank line lands verbatim, even if it is not valid JSON."""
    with path.open("rb") as handle:
        for line in handle:
            line = line.rstrip(b"\r\n")
            if line.strip():
                yield Arrival(LandingSource.WHATSAPP_WEBHOOK, line)


def _json(path: Path) -> Iterator[Arrival]:
    raw = path.read_bytes()
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputFileError(f"{path}: not valid JSON ({error})") from error
    if not isinstance(document, list):
        yield Arrival(LandingSource.WHATSAPP_WEBHOOK, raw)
        return
    for body in document:
        encoded = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        yield Arrival(LandingSource.WHATSAPP_WEBHOOK, encoded.encode())


def _chat_export(path: Path, channel: str | None) -> Arrival:
    if channel not in ("te_atiende", "denuncia"):
        raise InputFileError(
            f"{path}: a chat export needs --channel te_atiende or --channel denuncia"
        )
    return Arrival(LandingSource.WHATSAPP_EXPORT, path.read_bytes(), channel)


EXTRA_CELLS = "extra_cells"
"""Key under which a portal CSV row's cells beyond the header land.

An unquoted comma in a complaint splits it into more cells than there are
columns; rather than land the complaint cut short, the row lands with the
surplus here, and ingest rejects it as a form with an unknown field.
"""


def _portal_csv(path: Path) -> Iterator[Arrival]:
    """Each CSV row lands as the JSON form the portal would have posted."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputFileError(f"{path}: not UTF-8 text ({error})") from error
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        if not reader.fieldnames or "text" not in reader.fieldnames:
            raise InputFileError(
                f"{path}: a portal CSV needs a header row with at least a 'text' column"
            )
        for row in reader:
            form = {key or EXTRA_CELLS: value for key, value in row.items() if value}
            encoded = json.dumps(form, ensure_ascii=False, sort_keys=True)
            yield Arrival(LandingSource.PORTAL_FORM, encoded.encode(), "portal")
    except csv.Error as error:  # a cell over csv.field_size_limit(), 128 KiB
        raise InputFileError(
            f"{path}: line {reader.reader.line_num}: {error}; a portal form holds "
            "at most 10,000 characters of text"
        ) from None
