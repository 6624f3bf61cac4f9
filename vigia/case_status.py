"""What a citizen may learn about their case from its folio and code.

The answer is the same for the web page and for WhatsApp: the stage of the
case in plain Spanish, the unit that answers for it (a unit, never a
person), the date of each step from the audit trail, and the date the next
step is due from the case's assignment. Nothing else leaves: not the topic
or fraud labels, not the notes of the trail, not who in a unit acted, no
text of the messages.

A denuncia, and any case carrying a fraud signal (its assignment has a
triage due time), does not name its unit either: the Órgano Interno de
Control takes reports against public servants and Asuntos Jurídicos those
against third parties, so the unit alone would tell whom the report
accuses. Its stage and dates are all the citizen needs, and all that may be
said without revealing the investigation.

An unknown folio and a wrong code are one and the same answer, so the
lookup cannot tell anyone which folios exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Connection, Engine, Select, bindparam, select

from models import Assignment, Case, CaseEvent
from reports.spanish import local
from vigia.db import utcnow
from vigia.folio_code import LookupRequest, code_matches
from vigia.throttle import LookupThrottle

STAGES = {
    "received": "Recibido",
    "acknowledged": "Recibido; le enviamos su folio",
    "assigned": "Turnado a la unidad responsable",
    "in_progress": "En atención",
    "awaiting_information": "En espera de información de usted",
    "referred": "Canalizado a otra institución",
    "resolved": "Resuelto",
    "closed": "Concluido",
}
"""Each status as the citizen reads it."""

_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre")  # fmt: skip

NOT_FOUND = (
    "No encontramos un caso con ese folio y código. Revise que los escribió "
    "como vienen en el mensaje de CONAVI (por ejemplo: folio ATE-2026-000123, "
    "código 4821)."
)
RESERVED = "Reservada; las denuncias son confidenciales"
THROTTLED = (
    "Por seguridad, las consultas con estos datos están pausadas. Intente más tarde."
)


def _case_query() -> Select[Any]:
    """A folio's case with its assignment, one row per move of its trail.

    A case not yet moved gives one row whose move columns are null.
    """
    cases, assignments = Case.__table__, Assignment.__table__
    events = CaseEvent.__table__
    columns = (
        cases.c.id, cases.c.folio, cases.c.channel, cases.c.status,
        cases.c.opened_at, assignments.c.unit, assignments.c.first_answer_due,
        assignments.c.triage_due, assignments.c.resolution_due,
        events.c.at.label("moved_at"), events.c.to_status.label("moved_to"),
    )  # fmt: skip
    return (
        select(*columns)
        .outerjoin(assignments, assignments.c.case_id == cases.c.id)
        .outerjoin(events, events.c.case_id == cases.c.id)
        .where(cases.c.folio == bindparam("folio"))
        .order_by(events.c.at, events.c.id)
    )


# Built once: a lookup then only binds its folio, which keeps each answer
# cheap when many citizens ask at once.
_CASE = _case_query()


@dataclass(frozen=True)
class Step:
    """One step of the case: when it happened and the stage it reached."""

    at: datetime
    stage: str


@dataclass(frozen=True)
class CaseStatus:
    """Everything a lookup shows; nothing in it names or describes a person."""

    folio: str
    stage: str
    unit: str | None  # None until the case is routed, and for a denuncia
    reserved: bool  # a denuncia: the unit is withheld
    steps: tuple[Step, ...]
    next_step: str | None  # what comes next, when something is still owed
    next_due: datetime | None
    overdue: bool


@dataclass(frozen=True)
class Lookup:
    """The outcome of one lookup; ``status`` only when ``found``."""

    outcome: Literal["found", "not_found", "throttled"]
    status: CaseStatus | None = None


def look_up(
    engine: Engine | Connection,
    throttle: LookupThrottle,
    asker: Sequence[str],
    request: LookupRequest,
    units: dict[str, str],
    code_key: bytes,
    digits: int = 4,
) -> Lookup:
    """Answer a lookup unless ``asker``'s keys or the folio are throttled.

    ``asker`` names who asks ("ip:…", "wa:…"); a failure counts against
    them and against the folio.
    """
    keys = [*asker, f"folio:{request.folio}"]
    if throttle.blocked(keys):
        return Lookup("throttled")
    status = find_case_status(engine, request, units, code_key, digits)
    if status is None:
        throttle.failed(keys)
        return Lookup("not_found")
    return Lookup("found", status)


def find_case_status(
    engine: Engine | Connection,
    request: LookupRequest,
    units: dict[str, str],
    code_key: bytes,
    digits: int = 4,
    now: datetime | None = None,
) -> CaseStatus | None:
    """The status of the case, or None when the folio or the code is wrong.

    The code is checked first, without the database: a wrong code costs the
    same whether the folio exists or not, so not even the answer time tells.
    """
    if not code_matches(code_key, request.folio, request.code, digits):
        return None
    rows = _read_case(engine, request.folio)
    if not rows:
        return None

    case = rows[0]
    steps = [Step(case.opened_at, STAGES["received"])]
    steps += [
        Step(row.moved_at, STAGES.get(row.moved_to, row.moved_to))
        for row in rows
        if row.moved_at is not None
    ]
    next_step, due = _next_step(case)
    reserved = case.channel == "denuncia" or case.triage_due is not None
    return CaseStatus(
        folio=case.folio,
        stage=STAGES.get(case.status, case.status),
        unit=units.get(case.unit, case.unit) if case.unit and not reserved else None,
        reserved=reserved,
        steps=tuple(steps),
        next_step=next_step,
        next_due=due,
        overdue=due is not None and due < (now or utcnow()),
    )


def _read_case(source: Engine | Connection, folio: str) -> list[Any]:
    """The rows of ``_CASE`` for ``folio``, on a new or a kept connection.

    A kept connection (the lookup page keeps one on its event loop) ends its
    read transaction at once, so it never holds back SQLite's checkpoints.
    """
    if isinstance(source, Connection):
        try:
            return list(source.execute(_CASE, {"folio": folio}).all())
        finally:
            source.rollback()
    with source.connect() as connection:
        return list(connection.execute(_CASE, {"folio": folio}).all())


def _next_step(case: Any) -> tuple[str | None, datetime | None]:
    """What the agency owes next and by when, from the assignment's due times.

    ``case`` is a row with ``status`` and the assignment's due times (None
    before routing).
    """
    if case.status in ("received", "acknowledged", "assigned"):
        return "Primera respuesta de la unidad", case.first_answer_due
    if case.status in ("in_progress", "awaiting_information"):
        return "Respuesta final de la unidad", case.resolution_due
    return None, None


def date_in_words(moment: datetime) -> str:
    """Mexico City time as the citizen reads it: "7 de diciembre de 2026, 18:00"."""
    here = local(moment)
    return f"{here.day} de {_MONTHS[here.month - 1]} de {here.year}, {here:%H:%M}"


def status_text(lookup: Lookup) -> str:
    """The answer as a WhatsApp text, in Spanish."""
    if lookup.outcome == "throttled":
        return THROTTLED
    status = lookup.status
    if status is None:
        return NOT_FOUND
    lines = [
        f"Folio {status.folio}",
        f"Etapa: {status.stage}",
        f"Unidad responsable: {unit_text(status)}",
        "",
        "Pasos:",
        *(f"• {date_in_words(step.at)}: {step.stage}" for step in status.steps),
    ]
    if status.next_step and status.next_due:
        lines += ["", f"{_next_line(status)}"]
    return "\n".join(lines)


def unit_text(status: CaseStatus) -> str:
    """The unit as shown: its name, not yet assigned, or withheld for a denuncia."""
    if status.reserved:
        return RESERVED
    return status.unit or "Por asignar"


def _next_line(status: CaseStatus) -> str:
    assert status.next_due is not None
    when = date_in_words(status.next_due)
    if status.overdue:
        return f"{status.next_step}: estaba prevista para el {when}; sigue pendiente."
    return f"{status.next_step}: a más tardar el {when}."
