"""Acknowledge new cases: the citizen gets the folio and when to expect an answer.

Once a case is classified, and before it is routed, Vigía writes to the
citizen on WhatsApp from the line of the case: the folio, the time by which
a person will answer (the first-answer due time routing gives the case), and
on the Denuncia line that the report is confidential, that every CONAVI
procedure is free, and to keep any evidence. The text comes from
``reports/templates/ack/<channel>.txt.j2``.

An acknowledgment is stored as an outbound message of type
``acknowledgment`` and moves the case from ``received`` to ``acknowledged``.
It is not an answer: the first-answer clock keeps running.

Who is left out, and counted:

- cases with no phone to write to (chat authors known by name, anonymous or
  e-mail portal forms);
- cases imported from a chat export: the agency already talked to them on
  its phone.

A send that fails leaves the case unacknowledged; it is tried again on the
next run, by then usually routed (``assigned``), until the case is
``ack_max_age_hours`` old. A failure that concerns every message (the token
refused, the API unreachable) ends the stage for this run.

A batch's cases stay locked (on PostgreSQL) while its messages go out, so a
concurrent run skips them. A crash between a send and the batch's commit
sends that acknowledgment again on the next run: the Cloud API takes no
idempotency key that would let a second send be recognised.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from prefect import get_run_logger, task
from prefect.cache_policies import NONE
from sqlalchemy import Engine, and_, exists, or_, select
from sqlalchemy.engine import Connection

from models import Case, CaseLabel, Contact, LandingRecord, Message
from models.landing import LandingSource
from models.messages import ACKNOWLEDGMENT
from reports.spanish import local
from tasks.assign import route_case
from tasks.lifecycle import Status, advance_cases
from tasks.routing import RoutingRules
from vigia.db import insert_fast, utcnow
from vigia.settings import CHANNELS, Settings
from vigia.whatsapp_send import (
    TextSender,
    WhatsAppCredentialsRefused,
    WhatsAppSendError,
    WhatsAppUnavailable,
)

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parents[1] / "reports" / "templates" / "ack"
COUNTS = ("acknowledged", "failed", "no_phone", "from_export")
"""What an acknowledgment run counts, per channel."""

SOURCE = "acknowledgment"
"""The ``source`` of the case events this stage writes."""

MESSAGE_COLUMNS = (
    "wamid", "channel", "direction", "sender", "case_id", "sent_at", "type", "text",
    "forwarded",
)  # fmt: skip

_WEEKDAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado",
             "domingo")  # fmt: skip
_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre")  # fmt: skip


@dataclass
class AckSummary:
    """Counts of one acknowledgment run, per channel."""

    enabled: bool = True
    per_channel: dict[str, Counter[str]] = field(default_factory=dict)
    stopped: str | None = None  # why sending ended early, when it did

    def count(self, channel: str, what: str) -> None:
        """Add one to a count of one channel."""
        self.per_channel.setdefault(channel, Counter())[what] += 1

    def total(self, what: str) -> int:
        """One count summed over the channels."""
        return sum(counts[what] for counts in self.per_channel.values())

    def as_rows(self) -> list[dict[str, Any]]:
        """One row per channel, every count present, for a table artifact."""
        if not self.enabled:
            return [{"channel": "all"} | dict.fromkeys(COUNTS, 0) | {"note": "off"}]
        return [
            {"channel": channel}
            | {what: counts[what] for what in COUNTS}
            | {"note": f"stopped: {self.stopped}" if self.stopped else ""}
            for channel, counts in sorted(self.per_channel.items())
        ]


@dataclass(frozen=True, slots=True)
class _Sent:
    """An acknowledgment WhatsApp accepted, to be stored with its case."""

    case_id: int
    channel: str
    sender: str
    wamid: str
    text: str
    sent_at: datetime


def acknowledge_pending(
    engine: Engine,
    sender: TextSender,
    rules: RoutingRules,
    settings: Settings,
    now: datetime | None = None,
) -> AckSummary:
    """Acknowledge every classified case still waiting for it, batch by batch.

    ``now`` decides which cases are too old to acknowledge; it defaults to
    the current time.
    """
    now = now or utcnow()
    oldest = now - timedelta(hours=settings.ack_max_age_hours)
    # TODO: WhatsApp takes free-form text only within 24 hours of the
    # citizen's last message to the sending number, and refuses it otherwise
    # (error 131047). A portal citizen who never wrote on WhatsApp is outside
    # that window; reaching them needs a template message approved by Meta.
    lines = {channel: settings.reply_phone_number_id(channel) for channel in CHANNELS}
    summary = AckSummary()
    after = 0
    while summary.stopped is None:
        with engine.begin() as connection:
            cases = _cases_to_acknowledge(
                connection, oldest, after, settings.ack_batch_size
            )
            if not cases:
                break
            sent = _send(sender, rules, lines, cases, summary)
            _record(connection, sent)
        after = cases[-1].id
    return summary


def _cases_to_acknowledge(
    connection: Connection, oldest: datetime, after: int, limit: int
) -> list[Any]:
    """Unacknowledged classified cases past id ``after``, opened since ``oldest``.

    A received case is taken whatever it holds, to be counted once; a routed
    one only when it can be written to (its acknowledgment failed before).
    """
    cases, labels, contacts = Case.__table__, CaseLabel.__table__, Contact.__table__
    messages, landing = Message.__table__, LandingRecord.__table__
    acknowledged = exists().where(
        messages.c.case_id == cases.c.id, messages.c.type == ACKNOWLEDGMENT
    )
    exported = exists().where(
        messages.c.case_id == cases.c.id,
        landing.c.id == messages.c.landing_id,
        landing.c.source == LandingSource.WHATSAPP_EXPORT,
    )
    columns = (
        cases.c.id, cases.c.folio, cases.c.channel, cases.c.sender, cases.c.opened_at,
        labels.c.topic, labels.c.fraud, labels.c.entities, labels.c.evidence,
        contacts.c.phone, exported.label("exported"),
    )  # fmt: skip
    query = (
        select(*columns)
        .join(labels, labels.c.case_id == cases.c.id)
        .outerjoin(contacts, contacts.c.pseudonym == cases.c.sender)
        .where(
            cases.c.id > after,
            cases.c.opened_at >= oldest,
            or_(
                cases.c.status == Status.RECEIVED,
                and_(
                    cases.c.status == Status.ASSIGNED,
                    contacts.c.phone.is_not(None),
                    ~exported,
                ),
            ),
            ~acknowledged,
        )
        .order_by(cases.c.id)
        .limit(limit)
        .with_for_update(of=cases, skip_locked=True)
    )
    return list(connection.execute(query))


def _send(
    sender: TextSender,
    rules: RoutingRules,
    lines: dict[str, str],
    cases: list[Any],
    summary: AckSummary,
) -> list[_Sent]:
    """Send the batch's acknowledgments; what WhatsApp accepted, to be stored."""
    sent = []
    for case in cases:
        if case.exported or not case.phone:
            summary.count(case.channel, "from_export" if case.exported else "no_phone")
            continue
        due = route_case(rules, case).first_answer_due
        text = render_acknowledgment(case.channel, case.folio, due, case.opened_at)
        try:
            wamid = sender.send_text(lines[case.channel], case.phone, text)
        except WhatsAppSendError as error:
            summary.count(case.channel, "failed")
            logger.warning("acknowledgment of %s not sent: %s", case.folio, error)
            if isinstance(error, WhatsAppCredentialsRefused | WhatsAppUnavailable):
                summary.stopped = str(error)
                break
            continue
        summary.count(case.channel, "acknowledged")
        sent.append(_Sent(case.id, case.channel, case.sender, wamid, text, utcnow()))
    return sent


def _record(connection: Connection, sent: list[_Sent]) -> None:
    """Store the acknowledgments as outbound messages and move their cases on."""
    if not sent:
        return
    rows = [
        (item.wamid, item.channel, "out", item.sender, item.case_id, item.sent_at,
         ACKNOWLEDGMENT, item.text, False)
        for item in sent
    ]  # fmt: skip
    insert_fast(connection, Message.__table__, MESSAGE_COLUMNS, rows)
    ids = [item.case_id for item in sent]
    advance_cases(connection, ids, Status.ACKNOWLEDGED, sent[-1].sent_at, SOURCE)


def render_acknowledgment(
    channel: str, folio: str, due: datetime, opened_at: datetime
) -> str:
    """The acknowledgment text of a case on ``channel``, in Spanish."""
    template = _environment().get_template(f"{channel}.txt.j2")
    return template.render(folio=folio, due=due_in_words(due, opened_at)).strip()


def due_in_words(due: datetime, opened_at: datetime) -> str:
    """Mexico City time as a citizen reads it: "el lunes 7 de diciembre a las 18:00".

    The year is added when it is not the year the case opened in.
    """
    here = local(due)
    weekday, month = _WEEKDAYS[here.weekday()], _MONTHS[here.month - 1]
    year = f" de {here.year}" if here.year != local(opened_at).year else ""
    article = "la" if here.hour == 1 else "las"  # "a la 1:30", "a las 18:00"
    hour = f"{here.hour}:{here.minute:02d}"
    return f"el {weekday} {here.day} de {month}{year} a {article} {hour}"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    # Plain text for WhatsApp: nothing to escape; a missing variable is an error.
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
    )


def run_acknowledgments(settings: Settings) -> AckSummary:
    """Acknowledge pending cases through the Cloud API, if enabled in ``settings``.

    Enabled without a token, or without a line's number, is a
    ConfigurationError naming the variable to set.
    """
    from tasks.routing import load_rules
    from vigia.db import get_engine
    from vigia.whatsapp_send import CloudApiSender

    if not settings.ack_enabled:
        return AckSummary(enabled=False)
    with CloudApiSender.from_settings(settings) as sender:
        return acknowledge_pending(get_engine(settings), sender, load_rules(), settings)


@task(name="acknowledge-cases", cache_policy=NONE)
def acknowledge_cases() -> list[dict[str, Any]]:
    """Acknowledge new cases by WhatsApp when enabled; returns counts per channel."""
    from vigia.settings import get_settings

    summary = run_acknowledgments(get_settings())
    run_logger = get_run_logger()
    if not summary.enabled:
        run_logger.info("acknowledgments are off: VIGIA_ACK_ENABLED is not true")
        return summary.as_rows()
    run_logger.info(
        "acknowledged %d cases; %d failed, %d without a phone",
        summary.total("acknowledged"),
        summary.total("failed"),
        summary.total("no_phone"),
    )
    if summary.stopped:
        run_logger.error("acknowledgments stopped for this run: %s", summary.stopped)
    return summary.as_rows()
