"""The investigators' prioritised fraud list: score, rank and render incidents.

CONAVI's investigators open this list on Monday morning to choose what to work
first. Each incident (several citizens' reports about one accused) gets a
score out of 100 built from what raises an investigator's priority: how sure
the classifier is that it is fraud, the money involved, a public servant,
threats, how many people report it, details that identify the accused,
evidence, how recent it is and whether the accused appears in other incidents.
Every point is explained by a short Spanish reason shown next to the score.

Everything here works on plain data: the database query that builds
:class:`FraudIncident` objects and the Prefect flow live elsewhere.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from reports.excerpt import excerpt_of
from reports.files import write_atomically
from reports.spanish import (
    label_es,
    local,
    money,
    short_time,
    spanish_list,
    spanish_time,
)
from vigia.errors import RejectedInput

__all__ = [
    "FraudIncident",
    "FraudRow",
    "Reason",
    "Score",
    "artifact_rows",
    "excerpt_of",
    "rank_incidents",
    "render_html",
    "score_incident",
    "write_csv",
    "write_html",
]

TEMPLATES = Path(__file__).parent / "templates"

# fmt: off
# Points each component can give; they sum to 100 so a score reads as points
# out of 100.
W_CONFIDENCE = 25  # the base: is it fraud at all? nothing else counts without it
W_AMOUNT = 15      # money asked or paid is the harm itself and what a prosecutor needs
W_SERVANT = 12     # staff taking money is corruption inside the programme (OIC)
W_THREATS = 10     # a citizen's safety is at stake: it cannot wait for the queue
W_REPORTERS = 9    # distinct people reporting the same thing corroborate each other
W_VICTIMS = 3      # "somos 20 familias": breadth of harm, as the writer tells it
W_ACCUSED = 10     # a phone, account or name is what lets an investigator act at all
W_EVIDENCE = 6     # photos and receipts make a case, yet many true reports come without
W_RECENCY = 6      # fresh leads are still warm: numbers answer, money can be stopped
W_REPEAT = 4       # the same accused in other incidents: a pattern, not a one-off
# fmt: on

AMOUNT_FULL = 50_000  # pesos that earn all of W_AMOUNT (log scale below it)
PEOPLE_FULL = 20  # reporters or victims that earn a full component (log scale)
EVIDENCE_FULL = 3  # attachments that earn all of W_EVIDENCE
RECENCY_HALF_LIFE_DAYS = 14  # the recency points halve every two weeks
# What each kind of identifying detail is worth; several add up to at most 1.
ACCUSED_VALUE = {"teléfono": 0.5, "cuenta": 0.6, "página web": 0.4, "nombre": 0.25}


@dataclass(frozen=True, slots=True)
class FraudIncident:
    """One incident with a fraud signal, as the list needs it; datetimes in UTC."""

    incident: str  # "INC-2026-000042"
    folios: tuple[str, ...]  # its cases' folios, oldest first
    labels: tuple[str, ...]  # fraud labels found in any of its cases
    confidence: float  # highest calibrated fraud score among its cases, 0..1
    amount: int | None  # largest sum of money asked or paid, pesos
    public_servant: bool  # servidor de la nación, funcionario, CONAVI staff
    threats: bool  # threats or intimidation reported
    victims: int | None  # "somos 20 familias" -> 20, when a text says so
    reporters: int  # distinct people reporting
    accused: tuple[str, ...]  # the accused's phones, accounts, names, places, pages
    attachments: int  # photos, receipts, documents across its cases
    first_seen: datetime
    last_seen: datetime
    unit: str  # unit id, e.g. "juridico"
    unit_name: str  # "Asuntos Jurídicos"
    triage_due: datetime | None  # when an investigator's first assessment is due
    state: str | None  # Mexican state, canonical name, or None
    excerpt: str  # short, complainant details masked (see excerpt_of)
    linked: tuple[str, ...] = ()  # other incidents sharing an accused
    status: str = "abierto"  # lifecycle status of its cases, in Spanish

    def __post_init__(self) -> None:
        for name in ("first_seen", "last_seen", "triage_due"):
            moment = getattr(self, name)
            if moment is not None and moment.utcoffset() is None:
                raise RejectedInput(
                    f"{self.incident}: {name} has no time zone; "
                    "pass timezone-aware datetimes (UTC)"
                )
        if not 0 <= self.confidence <= 1:
            raise RejectedInput(
                f"{self.incident}: confidence {self.confidence} is not between 0 and 1"
            )


class Reason(NamedTuple):
    """One component's contribution, with the text the investigator reads."""

    key: str  # component: confidence, amount, servant, threats, reporters ...
    points: float
    text: str  # Spanish, short: "monto $5,000", "amenazas"


@dataclass(frozen=True, slots=True)
class Score:
    """Points out of 100 and the reasons behind them, largest first."""

    total: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class FraudRow:
    """One line of the list: rank 1 is worked first."""

    rank: int
    incident: FraudIncident
    score: Score


def score_incident(incident: FraudIncident, now: datetime) -> Score:
    """Score ``incident`` out of 100 as of ``now`` (timezone-aware)."""
    _check_aware(now)
    parts = [
        _confidence(incident),
        _amount(incident),
        _flag("servant", W_SERVANT, incident.public_servant, "servidor público"),
        _flag("threats", W_THREATS, incident.threats, "amenazas"),
        _reporters(incident),
        _victims(incident),
        _accused(incident),
        _evidence(incident),
        _recency(incident, now),
        _repeat(incident),
    ]
    reasons = [part for part in parts if part.points >= 0.05]
    order = {part.key: index for index, part in enumerate(parts)}
    reasons.sort(key=lambda reason: (-reason.points, order[reason.key]))
    total = round(sum(part.points for part in parts), 1)
    return Score(total, tuple(r._replace(points=round(r.points, 1)) for r in reasons))


def rank_incidents(incidents: Iterable[FraudIncident], now: datetime) -> list[FraudRow]:
    """Incidents by score; ties by more reporters, latest report, then id."""
    scored = [(incident, score_incident(incident, now)) for incident in incidents]
    seen = Counter(incident.incident for incident, _ in scored)
    if repeated := sorted(code for code, count in seen.items() if count > 1):
        raise RejectedInput(f"incidents listed twice: {', '.join(repeated)}")

    scored.sort(
        key=lambda pair: (
            -pair[1].total,
            -pair[0].reporters,
            -pair[0].last_seen.timestamp(),
            pair[0].incident,
        )
    )
    return [FraudRow(rank, inc, score) for rank, (inc, score) in enumerate(scored, 1)]


def _check_aware(now: datetime) -> None:
    if now.utcoffset() is None:
        raise RejectedInput("now has no time zone; pass a timezone-aware datetime")


def _confidence(incident: FraudIncident) -> Reason:
    percent = round(incident.confidence * 100)
    return Reason(
        "confidence",
        W_CONFIDENCE * incident.confidence,
        f"probabilidad de fraude {percent} %",
    )


def _amount(incident: FraudIncident) -> Reason:
    amount = incident.amount or 0
    if amount <= 0:
        return Reason("amount", 0.0, "")
    share = min(1.0, math.log1p(amount / 100) / math.log1p(AMOUNT_FULL / 100))
    return Reason("amount", W_AMOUNT * share, f"monto {money(amount)}")


def _flag(key: str, weight: int, present: bool, text: str) -> Reason:
    return Reason(key, float(weight if present else 0), text)


def _people_share(count: int) -> float:
    """0 for one person, 1 for PEOPLE_FULL or more, log scale between."""
    if count <= 1:
        return 0.0
    return min(1.0, math.log(count) / math.log(PEOPLE_FULL))


def _reporters(incident: FraudIncident) -> Reason:
    count = incident.reporters
    text = f"{count} personas lo reportan"
    return Reason("reporters", W_REPORTERS * _people_share(count), text)


def _victims(incident: FraudIncident) -> Reason:
    count = incident.victims or 0
    text = f"{count} afectados según el relato"
    return Reason("victims", W_VICTIMS * _people_share(count), text)


def accused_kind(detail: str) -> str:
    """What an identifying detail is: teléfono, cuenta, página web or nombre."""
    lowered = detail.lower()
    if re.search(r"https?:|www\.|\.com\b|\.mx\b|facebook|fb\.|@", lowered):
        return "página web"
    digits = re.sub(r"\D", "", lowered)
    if re.search(r"clabe|cuenta|tarjeta|oxxo|banco", lowered) or len(digits) >= 14:
        return "cuenta"
    if 10 <= len(digits) <= 13:
        return "teléfono"
    return "nombre"


def _accused(incident: FraudIncident) -> Reason:
    kinds = [accused_kind(detail) for detail in incident.accused]
    if not kinds:
        return Reason("accused", 0.0, "")
    share = min(1.0, sum(ACCUSED_VALUE[kind] for kind in kinds))
    named = list(dict.fromkeys(kind for kind in ACCUSED_VALUE if kind in kinds))
    text = spanish_list(named) + " del acusado"
    return Reason("accused", W_ACCUSED * share, text)


def _evidence(incident: FraudIncident) -> Reason:
    count = incident.attachments
    share = min(1.0, max(0, count) / EVIDENCE_FULL)
    text = "1 evidencia adjunta" if count == 1 else f"{count} evidencias adjuntas"
    return Reason("evidence", W_EVIDENCE * share, text)


def _recency(incident: FraudIncident, now: datetime) -> Reason:
    days = max(0.0, (now - incident.last_seen).total_seconds() / 86_400)
    share = 0.5 ** (days / RECENCY_HALF_LIFE_DAYS)
    return Reason("recency", W_RECENCY * share, _age_text(days))


def _repeat(incident: FraudIncident) -> Reason:
    count = len(incident.linked)
    if not count:
        return Reason("repeat", 0.0, "")
    share = min(1.0, 0.5 + 0.25 * count)
    other = "otro incidente" if count == 1 else f"{count} incidentes más"
    return Reason("repeat", W_REPEAT * share, f"acusado también en {other}")


def _age_text(days: float) -> str:
    whole = int(days)
    if whole == 0:
        return "reciente (hoy)"
    if whole == 1:
        return "reciente (ayer)"
    if whole < 7:
        return f"reciente (hace {whole} días)"
    if whole < 60:
        weeks = whole // 7
        return "hace 1 semana" if weeks == 1 else f"hace {weeks} semanas"
    return f"hace {whole // 30} meses"


def triage_situation(due: datetime | None, now: datetime) -> str:
    """ "vencido", "vence hoy" (Mexico City day), "en plazo", or "" without a due."""
    if due is None:
        return ""
    if due < now:
        return "vencido"
    return "vence hoy" if local(due).date() == local(now).date() else "en plazo"


# --- rendering -------------------------------------------------------------

CSV_COLUMNS = (
    "rango", "incidente", "folios", "puntaje", "razones", "senales", "unidad",
    "vence_triage", "estado", "primera_vez", "ultima_vez", "denunciantes", "acusado",
    "extracto", "incidentes_relacionados", "situacion_triage",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_csv(rows: Sequence[FraudRow], path: Path, generated_at: datetime) -> None:
    """Write the list as a spreadsheet Excel opens right (UTF-8 with BOM)."""
    write_atomically(Path(path), _csv_lines(rows, generated_at))


def _csv_lines(rows: Sequence[FraudRow], generated_at: datetime) -> Iterator[str]:
    """The spreadsheet a line at a time, the byte order mark first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    yield "\ufeff" + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(_csv_cells(row, generated_at))
        yield buffer.getvalue()


def _csv_cells(row: FraudRow, now: datetime) -> list[str | int | float]:
    incident = row.incident
    return [
        row.rank,
        incident.incident,
        _cell(" ".join(incident.folios)),
        row.score.total,
        _cell("; ".join(reason.text for reason in row.score.reasons)),
        _cell("; ".join(label_es(label) for label in incident.labels)),
        _cell(incident.unit_name),
        short_time(incident.triage_due),
        _cell(incident.state or ""),
        short_time(incident.first_seen),
        short_time(incident.last_seen),
        incident.reporters,
        _cell("; ".join(incident.accused)),
        _cell(incident.excerpt),
        _cell(" ".join(incident.linked)),
        triage_situation(incident.triage_due, now),
    ]


def _cell(text: str) -> str:
    """Citizen text Excel will not run as a formula ("=HYPERLINK(...)", "+52 ...")."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,  # excerpts and accused details are citizens' text
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters.update(
        spanish_time=spanish_time, label_es=label_es, money=money
    )
    return environment


TITLE = "Incidentes con señal de fraude: prioridad de investigación"


def render_html(
    rows: Sequence[FraudRow],
    generated_at: datetime,
    title: str = TITLE,
) -> str:
    """The list as one self-contained HTML page, in Spanish."""
    return "".join(_html_parts(rows, generated_at, title))


def _html_parts(
    rows: Sequence[FraudRow],
    generated_at: datetime,
    title: str = TITLE,
) -> Iterator[str]:
    """The page of :func:`render_html` in parts, as the template yields them."""
    _check_aware(generated_at)
    situations = {
        row.incident.incident: triage_situation(row.incident.triage_due, generated_at)
        for row in rows
    }
    units = Counter(row.incident.unit_name for row in rows)
    signals = Counter(label for row in rows for label in row.incident.labels)

    template = _environment().get_template("fraud_list.html.j2")
    return template.generate(
        title=title,
        generated_at=generated_at,
        rows=rows,
        situations=situations,
        overdue=sum(situation == "vencido" for situation in situations.values()),
        by_unit=units.most_common(),
        by_signal=[(label_es(label), n) for label, n in signals.most_common()],
    )


def write_html(
    rows: Sequence[FraudRow], path: Path, generated_at: datetime, **options: str
) -> None:
    """Write :func:`render_html` to ``path`` atomically, a part at a time."""
    write_atomically(Path(path), _html_parts(rows, generated_at, **options))


def artifact_rows(rows: Sequence[FraudRow], limit: int = 50) -> list[dict[str, Any]]:
    """The top ``limit`` rows for a Prefect table artifact: short Spanish keys."""
    return [
        {
            "rango": row.rank,
            "incidente": row.incident.incident,
            "puntaje": row.score.total,
            "razones": "; ".join(reason.text for reason in row.score.reasons[:4]),
            "senales": ", ".join(label_es(label) for label in row.incident.labels),
            "unidad": row.incident.unit_name,
            "vence": short_time(row.incident.triage_due),
            "estado": row.incident.state or "",
            "denunciantes": row.incident.reporters,
            "folios": " ".join(row.incident.folios),
        }
        for row in rows[:limit]
    ]
