"""Acknowledge new cases: the citizen gets the folio and when to expect an answer.

Once a case is classified, and before it is routed, Vigía writes to the
citizen on WhatsApp from the line of the case: the folio, the time by which
a person will answer (the first-answer due time routing gives the case), and
on the Denuncia line that the report is confidential, that every CONAVI
procedure is free, and to keep any evidence. The text comes from
``reports/templates/ack/<channel>.txt.j2``.

Every acknowledgment carries the folio's verification code
(``vigia.folio_code``), with which the citizen can look the case up on the
web or by WhatsApp.

A Te Atiende case confidently about a frequent question (its topic score at
least ``auto_answer_min_topic_score``) and with no fraud signal gets the
matching curated answer from ``config/answers.yaml`` inside its
acknowledgment (``tasks.answers``). A Te Atiende case with a fraud signal
gets the fraud warning instead (``te_atiende_fraude.txt.j2``): do not pay,
keep the evidence, your folio.

An acknowledgment is stored as an outbound message of type
``acknowledgment``, or ``automatic_answer`` when it carries an answer, and
moves the case from ``received`` to ``acknowledged``. Neither is a person's
answer: the first-answer clock keeps running.

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
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from prefect import get_run_logger, task
from prefect.cache_policies import NONE
from sqlalchemy import Engine, and_, exists, or_, select
from sqlalchemy.engine import Connection

from classifiers.conversation import conversation_text
from models import Case, CaseLabel, Contact, LandingRecord, Message
from models.landing import LandingSource
from models.messages import ACKNOWLEDGMENT, AUTOMATIC_ANSWER
from reports.spanish import local
from tasks.answers import AnswerBase, load_answers
from tasks.assign import route_case
from tasks.lifecycle import Status, advance_cases
from tasks.line_counts import LineCounts
from tasks.routing import RoutingRules
from vigia.db import insert_fast, utcnow
from vigia.folio_code import verification_code
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


class AckSummary(LineCounts):
    """Counts of one acknowledgment run, per channel."""

    COUNTS = COUNTS


@dataclass(frozen=True, slots=True)
class _Sent:
    """An acknowledgment WhatsApp accepted, to be stored with its case."""

    case_id: int
    channel: str
    sender: str
    wamid: str
    text: str
    sent_at: datetime
    type: str = ACKNOWLEDGMENT


@dataclass(frozen=True)
class _Writer:
    """Writes a case's acknowledgment: folio, code, due time, maybe an answer."""

    rules: RoutingRules
    answers: AnswerBase
    code_key: bytes
    digits: int
    min_topic_score: float

    def wants_answer(self, case: Any) -> bool:
        """A Te Atiende case the classifier is sure of, with no fraud signal."""
        return (
            case.channel == "te_atiende"
            and not case.fraud
            and case.topic_score >= self.min_topic_score
        )

    def write(self, case: Any, text: str) -> tuple[str, str]:
        """The message for ``case``, whose conversation is ``text``, and its type."""
        due = route_case(self.rules, case).first_answer_due
        answer = None
        if self.wants_answer(case):
            answer = self.answers.best(case.topic, text)
        message = render_acknowledgment(
            case.channel,
            case.folio,
            due,
            case.opened_at,
            code=verification_code(self.code_key, case.folio, self.digits),
            answer=answer.text if answer else None,
            fraud=bool(case.fraud),
        )
        return message, AUTOMATIC_ANSWER if answer else ACKNOWLEDGMENT


def acknowledge_pending(
    engine: Engine,
    sender: TextSender,
    rules: RoutingRules,
    settings: Settings,
    now: datetime | None = None,
    answers: AnswerBase | None = None,
) -> AckSummary:
    """Acknowledge every classified case still waiting for it, batch by batch.

    ``now`` decides which cases are too old to acknowledge; it defaults to
    the current time. ``answers`` defaults to ``config/answers.yaml``.
    """
    writer = _Writer(
        rules,
        answers or load_answers(),
        settings.lookup_code_key_bytes(),
        settings.lookup_code_digits,
        settings.auto_answer_min_topic_score,
    )
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
            texts = _conversations(
                connection, [case.id for case in cases if writer.wants_answer(case)]
            )
            sent = _send(sender, writer, lines, cases, texts, summary)
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
        messages.c.case_id == cases.c.id,
        messages.c.type.in_((ACKNOWLEDGMENT, AUTOMATIC_ANSWER)),
    )
    exported = exists().where(
        messages.c.case_id == cases.c.id,
        landing.c.id == messages.c.landing_id,
        landing.c.source == LandingSource.WHATSAPP_EXPORT,
    )
    columns = (
        cases.c.id, cases.c.folio, cases.c.channel, cases.c.sender, cases.c.opened_at,
        labels.c.topic, labels.c.topic_score, labels.c.fraud, labels.c.entities,
        labels.c.evidence,
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


def _conversations(connection: Connection, case_ids: list[int]) -> dict[int, str]:
    """The inbound text of each case, as the classifier read it."""
    if not case_ids:
        return {}
    messages = Message.__table__
    query = (
        select(messages.c.case_id, messages.c.text)
        .where(messages.c.case_id.in_(case_ids), messages.c.direction == "in")
        .order_by(messages.c.case_id, messages.c.sent_at, messages.c.id)
    )
    texts: dict[int, list[str | None]] = {}
    for case_id, text in connection.execute(query):
        texts.setdefault(case_id, []).append(text)
    return {case_id: conversation_text(parts) for case_id, parts in texts.items()}


def _send(
    sender: TextSender,
    writer: _Writer,
    lines: dict[str, str],
    cases: list[Any],
    texts: dict[int, str],
    summary: AckSummary,
) -> list[_Sent]:
    """Send the batch's acknowledgments; what WhatsApp accepted, to be stored."""
    sent = []
    for case in cases:
        if case.exported or not case.phone:
            summary.count(case.channel, "from_export" if case.exported else "no_phone")
            continue
        text, kind = writer.write(case, texts.get(case.id, ""))
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
        sent.append(
            _Sent(case.id, case.channel, case.sender, wamid, text, utcnow(), kind)
        )
    return sent


def _record(connection: Connection, sent: list[_Sent]) -> None:
    """Store the acknowledgments as outbound messages and move their cases on."""
    if not sent:
        return
    rows = [
        (item.wamid, item.channel, "out", item.sender, item.case_id, item.sent_at,
         item.type, item.text, False)
        for item in sent
    ]  # fmt: skip
    insert_fast(connection, Message.__table__, MESSAGE_COLUMNS, rows)
    ids = [item.case_id for item in sent]
    advance_cases(connection, ids, Status.ACKNOWLEDGED, sent[-1].sent_at, SOURCE)


def render_acknowledgment(
    channel: str,
    folio: str,
    due: datetime,
    opened_at: datetime,
    *,
    code: str,
    answer: str | None = None,
    fraud: bool = False,
) -> str:
    """The acknowledgment text of a case on ``channel``, in Spanish.

    ``code`` is the folio's verification code; ``answer`` a curated answer
    (Te Atiende only); ``fraud`` picks the Te Atiende fraud warning.
    """
    name = "te_atiende_fraude" if fraud and channel == "te_atiende" else channel
    template = _environment().get_template(f"{name}.txt.j2")
    return template.render(
        folio=folio, code=code, due=due_in_words(due, opened_at), answer=answer
    ).strip()


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
