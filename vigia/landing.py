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
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.engine import Connection

from models import LandingRecord
from models.landing import LandingSource
from vigia.db import insert_returning, utcnow
from vigia.errors import InputFileError, LandingError


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

    The unique key index takes each body at a random place, so once the
    index holds many more pages than a chunk has bodies, each transaction
    writes about one index page per body. In chunks of 5,000 the time per
    body of a 300,000-body backfill doubled from its first to its last
    part; in chunks of 50,000 (about 30 MB of bodies at once) it stays flat.
    A backfill runs inside :func:`vigia.wal.checkpoints_aside`; the
    receiver's small batches do not, or each would end in a checkpoint.
    """
    summary = LandingSummary()
    iterator = iter(arrivals)
    while batch := list(islice(iterator, chunk)):
        bodies = _distinct(batch)
        with engine.begin() as connection:
            landed = _land_new(connection, bodies)
        summary.landed += landed
        summary.already_landed += len(batch) - landed
    return summary


@dataclass(frozen=True, slots=True)
class _Body:
    arrival: Arrival
    digest: bytes
    sha256: str

    def row(self, key: int, now: datetime) -> tuple[object, ...]:
        arrival = self.arrival
        return (
            arrival.source, arrival.channel, arrival.body, self.sha256, key, now,
            "pending",
        )  # fmt: skip


COLUMNS = ("source", "channel", "body", "sha256", "key", "received_at", "status")


def landing_key(digest: bytes, slot: int = 0) -> int:
    """The ``slot``-th eight bytes of a sha256, as a signed 64-bit integer."""
    return int.from_bytes(digest[8 * slot : 8 * slot + 8], "big", signed=True)


def _distinct(batch: list[Arrival]) -> list[_Body]:
    seen: set[bytes] = set()
    bodies = []
    for arrival in batch:
        digest = hashlib.sha256(arrival.body).digest()
        if digest not in seen:
            seen.add(digest)
            bodies.append(_Body(arrival, digest, digest.hex()))
    return bodies


def _land_new(connection: Connection, bodies: list[_Body]) -> int:
    """Insert the bodies not landed before; returns how many were new.

    A body whose key is taken was either landed before (same sha256) or
    shares those eight bytes with a different body, and is tried again
    under its next eight.
    """
    now = utcnow()
    landed = 0
    pending = [(body, 0) for body in bodies]
    while pending:
        attempts = [
            (body, slot, landing_key(body.digest, slot)) for body, slot in pending
        ]
        rows = [body.row(key, now) for body, _, key in attempts]
        inserted = set(insert_returning(connection, TABLE, COLUMNS, rows, "key"))
        landed += len(inserted)
        # Bodies of this chunk sharing a key: only the stored sha256 tells
        # which of them the inserted row is.
        counts = Counter(key for _, _, key in attempts)
        taken = [
            (body, slot, key)
            for body, slot, key in attempts
            if key not in inserted or counts[key] > 1
        ]
        pending = _collided(connection, taken)
    return landed


TABLE = LandingRecord.__table__


def _collided(
    connection: Connection, taken: list[tuple[_Body, int, int]]
) -> list[tuple[_Body, int]]:
    """Of bodies whose key was taken, those that must try their next key."""
    keys = [key for _, _, key in taken]
    holders: dict[int, str] = {}
    for start in range(0, len(keys), 900):
        query = select(TABLE.c.key, TABLE.c.sha256).where(
            TABLE.c.key.in_(keys[start : start + 900])
        )
        holders.update((key, sha256) for key, sha256 in connection.execute(query))
    retry = []
    for body, slot, key in taken:
        if holders.get(key) != body.sha256:
            if slot + 1 == KEY_SLOTS:
                raise LandingError(
                    f"body {body.sha256}: every eight bytes of its sha256 "
                    "are the key of another body"
                )
            retry.append((body, slot + 1))
    return retry


KEY_SLOTS = 4  # a sha256 has four 8-byte slices


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
