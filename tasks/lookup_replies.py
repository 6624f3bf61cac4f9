"""Answer folio lookups sent by WhatsApp: "folio ATE-2026-000123 código 4821".

A citizen may ask either line for the status of a case by writing its folio
and the code that came with the acknowledgment. With
``VIGIA_LOOKUP_REPLIES_ENABLED``, ingest recognises a text that asks only
that (courtesy words aside; anything more is a conversation for a person),
gives it the type ``folio_lookup`` and keeps it out of cases, so it neither
opens a case nor is classified as a complaint. This stage then replies with
what the lookup page shows (``vigia.case_status``): stage, unit, dates.

The reply is an outbound message of type ``lookup_reply`` with no case; it
is not a first answer. It answers every lookup of that sender on that line
sent before it, so a citizen who asks twice before a run gets two replies
and none on the next run. Failures are counted per sender and per folio as
on the web (``vigia.throttle``). Lookups older than
``lookup_reply_max_age_hours`` are left unanswered: WhatsApp refuses
free-form text outside 24 hours of the citizen's last message.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import NONE
from sqlalchemy import Engine, exists, select
from sqlalchemy.engine import Connection

from models import Contact, Message
from models.messages import FOLIO_LOOKUP, LOOKUP_REPLY
from tasks.cases import NewMessage
from tasks.line_counts import LineCounts
from vigia.case_status import look_up, status_text
from vigia.db import insert_fast, utcnow
from vigia.folio_code import read_lookup
from vigia.settings import Settings
from vigia.throttle import LookupThrottle
from vigia.whatsapp_send import (
    TextSender,
    WhatsAppCredentialsRefused,
    WhatsAppSendError,
    WhatsAppUnavailable,
)

logger = logging.getLogger(__name__)

LINES = ("te_atiende", "denuncia")
COUNTS = ("answered", "not_found", "throttled", "failed", "no_phone")
"""What a lookup run counts, per line: each lookup lands in one of these."""

REPLY_COLUMNS = (
    "wamid", "channel", "direction", "sender", "case_id", "sent_at", "type", "text",
    "context", "forwarded",
)  # fmt: skip
BATCH_SIZE = 200


def keep_lookups_apart(items: list[NewMessage]) -> list[NewMessage]:
    """The inbound messages that belong in cases; lookups are marked and left out."""
    kept = []
    for item in items:
        message = item.message
        if (
            message.channel in LINES
            and message.type == "text"
            and read_lookup(message.text)
        ):
            message.type = FOLIO_LOOKUP
        else:
            kept.append(item)
    return kept


class LookupSummary(LineCounts):
    """Counts of one run, per line."""

    COUNTS = COUNTS


@dataclass(frozen=True)
class LookupContext:
    """What answering needs besides the database and the sender."""

    throttle: LookupThrottle
    units: dict[str, str]
    code_key: bytes
    digits: int
    lines: dict[str, str]  # line -> the phone_number_id that writes from it


def answer_lookups(
    engine: Engine,
    sender: TextSender,
    context: LookupContext,
    max_age_hours: float = 24.0,
    now: datetime | None = None,
) -> LookupSummary:
    """Reply to every unanswered lookup younger than ``max_age_hours``."""
    oldest = (now or utcnow()) - timedelta(hours=max_age_hours)
    summary = LookupSummary()
    after = 0
    while summary.stopped is None:
        with engine.begin() as connection:
            rows = _pending(connection, oldest, after)
            if not rows:
                break
            replies = [
                reply
                for row in rows
                if (reply := _reply(engine, sender, context, row, summary))
            ]
            insert_fast(connection, Message.__table__, REPLY_COLUMNS, replies)
        after = rows[-1].id
    return summary


def _pending(connection: Connection, oldest: datetime, after: int) -> list[Any]:
    """Lookups past id ``after`` with no reply to their sender since they came."""
    messages, contacts = Message.__table__, Contact.__table__
    replies = messages.alias("replies")
    answered = exists().where(
        replies.c.sender == messages.c.sender,
        replies.c.channel == messages.c.channel,
        replies.c.direction == "out",
        replies.c.type == LOOKUP_REPLY,
        replies.c.sent_at >= messages.c.sent_at,
    )
    columns = (
        messages.c.id, messages.c.wamid, messages.c.channel, messages.c.sender,
        messages.c.text, contacts.c.phone,
    )  # fmt: skip
    query = (
        select(*columns)
        .outerjoin(contacts, contacts.c.pseudonym == messages.c.sender)
        .where(
            messages.c.type == FOLIO_LOOKUP,
            messages.c.direction == "in",
            messages.c.sent_at >= oldest,
            messages.c.id > after,
            ~answered,
        )
        .order_by(messages.c.id)
        .limit(BATCH_SIZE)
        .with_for_update(of=messages, skip_locked=True)
    )
    return list(connection.execute(query))


def _reply(
    engine: Engine,
    sender: TextSender,
    context: LookupContext,
    row: Any,
    summary: LookupSummary,
) -> tuple[Any, ...] | None:
    """Look the folio up and send the answer; the reply row to store, if sent."""
    request = read_lookup(row.text)
    if request is None or not row.phone:
        summary.count(row.channel, "no_phone")
        return None
    lookup = look_up(
        engine,
        context.throttle,
        [f"wa:{row.sender}"],
        request,
        context.units,
        context.code_key,
        context.digits,
    )
    text = status_text(lookup)
    try:
        wamid = sender.send_text(context.lines[row.channel], row.phone, text)
    except WhatsAppSendError as error:
        summary.count(row.channel, "failed")
        logger.warning("lookup reply not sent: %s", error)
        if isinstance(error, WhatsAppCredentialsRefused | WhatsAppUnavailable):
            summary.stopped = str(error)
        return None
    summary.count(row.channel, "answered" if lookup.status else lookup.outcome)
    return (
        wamid, row.channel, "out", row.sender, None, utcnow(), LOOKUP_REPLY, text,
        {"in_reply_to": row.wamid}, False,
    )  # fmt: skip


_THROTTLES: dict[tuple[Any, ...], LookupThrottle] = {}


def _throttle(settings: Settings) -> LookupThrottle:
    """One throttle per process, so in-memory counts outlive a single run."""
    key = (
        settings.redis_url,
        settings.lookup_max_failures,
        settings.lookup_window_minutes,
    )
    if key not in _THROTTLES:
        _THROTTLES[key] = LookupThrottle.from_settings(settings)
    return _THROTTLES[key]


def run_lookup_replies(settings: Settings) -> LookupSummary:
    """Answer pending lookups through the Cloud API, if enabled in ``settings``."""
    from tasks.routing import load_rules
    from vigia.db import get_engine
    from vigia.whatsapp_send import CloudApiSender

    if not settings.lookup_replies_enabled:
        return LookupSummary(enabled=False)
    context = LookupContext(
        throttle=_throttle(settings),
        units=load_rules().units,
        code_key=settings.lookup_code_key_bytes(),
        digits=settings.lookup_code_digits,
        lines={line: settings.reply_phone_number_id(line) for line in LINES},
    )
    switch = "VIGIA_LOOKUP_REPLIES_ENABLED"
    with CloudApiSender.from_settings(settings, switch) as sender:
        return answer_lookups(
            get_engine(settings), sender, context, settings.lookup_reply_max_age_hours
        )


@task(name="answer-lookups", cache_policy=NONE)
def answer_folio_lookups() -> list[dict[str, Any]]:
    """Reply to folio lookups sent by WhatsApp when enabled; counts per line."""
    from vigia.settings import get_settings

    summary = run_lookup_replies(get_settings())
    run_logger = get_run_logger()
    if not summary.enabled:
        run_logger.info("lookup replies are off: VIGIA_LOOKUP_REPLIES_ENABLED")
    elif summary.stopped:
        run_logger.error("lookup replies stopped for this run: %s", summary.stopped)
    return summary.as_rows()
