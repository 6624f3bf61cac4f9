"""Ingest: turn pending landing rows into contacts, messages, statuses and cases.

Rows are taken in batches; each batch is parsed and stored in one
transaction together with the marks on its landing rows, so a run killed at
any point leaves either the whole batch done or none of it. Messages are
unique by WhatsApp id, so running again never duplicates anything.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import NONE
from sqlalchemy import Engine, String, select, type_coerce, update
from sqlalchemy.engine import Connection

from models import Contact, LandingRecord, Message, MessageStatus
from models.landing import LandingSource, LandingStatus
from tasks.cases import NewMessage, assign_cases, attach_outbound
from tasks.lookup_replies import keep_lookups_apart
from vigia.db import get_engine, insert_fast, utcnow
from vigia.errors import RejectedInput
from vigia.settings import Settings, get_settings
from vigia.sources.exports import parse_export_body
from vigia.sources.portal import parse_portal_body
from vigia.sources.records import ParsedBody, ParsedMessage, Sender, check_storable
from vigia.sources.whatsapp import parse_webhook_body

COUNTS = ("received", "new_messages", "duplicates", "rejected", "ignored", "new_cases")
"""What an ingest run counts, per channel."""

MAX_REASON = 2_000


@dataclass
class IngestSummary:
    """Counts of one ingest run, per channel (``unknown`` before parsing)."""

    per_channel: dict[str, Counter[str]] = field(default_factory=dict)
    batches: int = 0

    def count(self, channel: str | None, what: str, n: int = 1) -> None:
        """Add n to one count of one channel."""
        key = channel or "unknown"
        counts = self.per_channel.get(key)
        if counts is None:
            counts = self.per_channel[key] = Counter()
        counts[what] += n

    def total(self, what: str) -> int:
        """One count summed over the channels."""
        return sum(counts[what] for counts in self.per_channel.values())

    def merge(self, other: IngestSummary) -> None:
        """Accumulate another summary into this one."""
        self.batches += other.batches
        for channel, counts in other.per_channel.items():
            self.per_channel.setdefault(channel, Counter()).update(counts)

    def as_rows(self) -> list[dict[str, Any]]:
        """One row per channel, every count present, for tables and artifacts."""
        return [
            {"channel": channel} | {what: counts[what] for what in COUNTS}
            for channel, counts in sorted(self.per_channel.items())
        ]


@dataclass(slots=True)
class _Outcome:
    """A landing row after parsing: what it yields or why it is refused."""

    landing_id: int
    channel: str | None
    parsed: ParsedBody | None = None
    reason: str | None = None


def ingest_pending(
    engine: Engine, settings: Settings, max_batches: int | None = None
) -> IngestSummary:
    """Ingest every pending landing row, batch after batch, until none is left."""
    summary = IngestSummary()
    while max_batches is None or summary.batches < max_batches:
        batch = ingest_batch(engine, settings)
        if batch is None:
            break
        summary.merge(batch)
    return summary


def ingest_batch(engine: Engine, settings: Settings) -> IngestSummary | None:
    """Claim, parse and store one batch in one transaction; None if nothing waits."""
    key = settings.pseudonym_key_bytes()
    with engine.begin() as connection:
        rows = _claim_pending(connection, settings.ingest_batch_size)
        if not rows:
            return None
        outcomes = [_parse_row(row, settings) for row in rows]
        summary = _store(connection, outcomes, key, settings)
        _mark(connection, outcomes)
    summary.batches = 1
    return summary


def _claim_pending(connection: Connection, limit: int) -> list[Any]:
    """The oldest pending rows, locked so that a concurrent run skips them."""
    table = LandingRecord.__table__
    # The arrival time matters only to portal forms without their own time;
    # it is read as stored and converted there, not for every row.
    query = (
        select(table.c.id, table.c.source, table.c.channel, table.c.body)
        .add_columns(type_coerce(table.c.received_at, String).label("received_at"))
        .where(table.c.status == LandingStatus.PENDING)
        .order_by(table.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(connection.execute(query))


def parse_landing_row(
    source: str,
    channel: str | None,
    body: bytes,
    received_at: Callable[[], datetime],
    settings: Settings,
) -> ParsedBody:
    """Parse one landing row according to how it arrived.

    ``received_at`` is called only for sources that need the arrival time.
    A body whose values the database cannot keep is refused here, whole.
    """
    if source == LandingSource.WHATSAPP_WEBHOOK:
        parsed = parse_webhook_body(body, settings.channel_for_phone_number_id)
    elif source == LandingSource.WHATSAPP_EXPORT:
        parsed = parse_export_body(body, channel or "", settings.export_timezone)
    elif source == LandingSource.PORTAL_FORM:
        parsed = parse_portal_body(body, received_at())
    else:
        raise RejectedInput(f"unknown landing source {source!r}")
    check_storable(parsed)
    return parsed


def _as_utc(stored: Any) -> Callable[[], datetime]:
    """A thunk giving the stored arrival time as an aware UTC datetime."""

    def moment() -> datetime:
        if isinstance(stored, datetime):
            return stored.astimezone(UTC)
        return datetime.fromisoformat(str(stored)).replace(tzinfo=UTC)

    return moment


def _parse_row(row: Any, settings: Settings) -> _Outcome:
    outcome = _Outcome(landing_id=row.id, channel=row.channel)
    try:
        outcome.parsed = parse_landing_row(
            row.source, row.channel, bytes(row.body), _as_utc(row.received_at), settings
        )
    except RejectedInput as error:
        outcome.reason = str(error)[:MAX_REASON]
        return outcome
    items = outcome.parsed.messages or outcome.parsed.statuses
    if items and outcome.channel is None:
        outcome.channel = items[0].channel
    return outcome


def _store(
    connection: Connection, outcomes: list[_Outcome], key: bytes, settings: Settings
) -> IngestSummary:
    """Write contacts, new messages, statuses and cases of the parsed rows."""
    summary = IngestSummary()
    parsed = [outcome for outcome in outcomes if outcome.parsed is not None]
    for outcome in outcomes:
        summary.count(outcome.channel, "received")
        if outcome.parsed is None:
            summary.count(outcome.channel, "rejected")
        elif outcome.parsed.is_empty:
            summary.count(outcome.channel, "ignored")

    pseudonyms = _store_contacts(connection, parsed, key)
    messages = _new_messages(connection, parsed, pseudonyms, summary)
    inbound = [item for item in messages if item.message.direction == "in"]
    if settings.lookup_replies_enabled:  # "folio … código …" opens no case
        inbound = keep_lookups_apart(inbound)
    new_cases = assign_cases(connection, inbound, settings.case_quiet_gap_hours)
    outbound = [item for item in messages if item.message.direction == "out"]
    attach_outbound(connection, outbound)
    for channel, n in new_cases.items():
        summary.count(channel, "new_cases", n)

    _insert_messages(connection, messages)
    _insert_statuses(connection, parsed, pseudonyms)
    return summary


def _store_contacts(
    connection: Connection, parsed: list[_Outcome], key: bytes
) -> dict[Sender, str]:
    """Pseudonymise every sender; only the contacts table keeps who they are."""
    senders: set[Sender] = set()
    for outcome in parsed:
        assert outcome.parsed is not None
        senders.update(message.sender for message in outcome.parsed.messages)
        senders.update(s.recipient for s in outcome.parsed.statuses if s.recipient)
    pseudonyms = {sender: sender.pseudonym(key) for sender in senders}
    now = utcnow()
    rows = [
        (pseudonym, s.kind, s.identifier, s.phone, s.display_name, now)
        for s, pseudonym in pseudonyms.items()
    ]
    insert_fast(connection, Contact.__table__, CONTACT_COLUMNS, rows)
    return pseudonyms


CONTACT_COLUMNS = (
    "pseudonym", "kind", "identifier", "phone", "display_name", "first_seen_at"
)  # fmt: skip


def _new_messages(
    connection: Connection,
    parsed: list[_Outcome],
    pseudonyms: dict[Sender, str],
    summary: IngestSummary,
) -> list[NewMessage]:
    """Messages not stored before; earlier copies count as duplicates."""
    candidates: dict[str, tuple[int, ParsedMessage]] = {}
    for outcome in parsed:
        assert outcome.parsed is not None
        for message in outcome.parsed.messages:
            if message.wamid in candidates:
                summary.count(message.channel, "duplicates")
            else:
                candidates[message.wamid] = (outcome.landing_id, message)

    known = _stored_wamids(connection, list(candidates))
    fresh = []
    for wamid, (landing_id, message) in candidates.items():
        if wamid in known:
            summary.count(message.channel, "duplicates")
            continue
        summary.count(message.channel, "new_messages")
        fresh.append(NewMessage(message, pseudonyms[message.sender], landing_id))
    return fresh


def _stored_wamids(connection: Connection, wamids: list[str]) -> set[str]:
    column = Message.__table__.c.wamid
    known: set[str] = set()
    for start in range(0, len(wamids), 900):
        chunk = wamids[start : start + 900]
        known.update(connection.scalars(select(column).where(column.in_(chunk))))
    return known


MESSAGE_COLUMNS = (
    "wamid", "channel", "direction", "sender", "case_id", "sent_at", "type", "text",
    "media", "context", "forwarded", "landing_id",
)  # fmt: skip


def _insert_messages(connection: Connection, messages: list[NewMessage]) -> None:
    rows = [
        (
            item.message.wamid,
            item.message.channel,
            item.message.direction,
            item.pseudonym,
            item.case_id,
            item.message.sent_at,
            item.message.type,
            item.message.text,
            item.message.media,
            item.message.context,
            item.message.forwarded,
            item.landing_id,
        )
        for item in messages
    ]
    insert_fast(connection, Message.__table__, MESSAGE_COLUMNS, rows)


STATUS_COLUMNS = (
    "wamid",
    "channel",
    "status",
    "at",
    "recipient",
    "errors",
    "landing_id",
)


def _insert_statuses(
    connection: Connection, parsed: list[_Outcome], pseudonyms: dict[Sender, str]
) -> None:
    rows = [
        (
            status.wamid,
            status.channel,
            status.status,
            status.at,
            pseudonyms.get(status.recipient) if status.recipient else None,
            status.errors,
            outcome.landing_id,
        )
        for outcome in parsed
        if outcome.parsed is not None
        for status in outcome.parsed.statuses
    ]
    insert_fast(connection, MessageStatus.__table__, STATUS_COLUMNS, rows)


def _mark(connection: Connection, outcomes: list[_Outcome]) -> None:
    """Record each landing row's outcome; the verbatim body always stays.

    Rows sharing an outcome and reason are marked by one statement, so the
    common case (a whole batch processed) costs one update.
    """
    now = utcnow()
    groups: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    for outcome in outcomes:
        groups[_outcome_of(outcome)].append(outcome.landing_id)
    table = LandingRecord.__table__
    for (status, reason), ids in groups.items():
        for start in range(0, len(ids), 900):
            connection.execute(
                update(table)
                .where(table.c.id.in_(ids[start : start + 900]))
                .values(status=status, reason=reason, processed_at=now)
            )


def _outcome_of(outcome: _Outcome) -> tuple[str, str | None]:
    if outcome.parsed is None:
        return LandingStatus.REJECTED.value, outcome.reason
    if outcome.parsed.is_empty:
        reason = "; ".join(outcome.parsed.ignored)[:MAX_REASON] or "nothing to store"
        return LandingStatus.IGNORED.value, reason
    reason = "; ".join(outcome.parsed.ignored)[:MAX_REASON] or None
    return LandingStatus.PROCESSED.value, reason


@task(name="ingest-landing", cache_policy=NONE, retries=2, retry_delay_seconds=5)
def ingest_landing(max_batches: int | None = None) -> list[dict[str, Any]]:
    """Ingest pending landing rows; returns counts per channel, never the rows."""
    settings = get_settings()
    summary = ingest_pending(get_engine(settings), settings, max_batches)
    get_run_logger().info(
        "ingested %d batches: %d new messages, %d duplicates, %d rejected",
        summary.batches,
        summary.total("new_messages"),
        summary.total("duplicates"),
        summary.total("rejected"),
    )
    return summary.as_rows()
