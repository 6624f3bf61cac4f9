"""Demo progress reports: what CONAVI's units would send back about their cases.

Units report by spreadsheet (``vigia case import``). For the demo, each
routed case gets a plausible history drawn from a seed: most questions are
taken up within a business day or two and resolved within a week; fraud
reports are triaged more slowly, some referred to the prosecutor's office or
another institution, fewer closed. Nothing happens after ``now``, so recent
cases are still open, as in real life.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, select

from models import Assignment, Case, CaseLabel

# Chance of each step, and its delay in hours after the previous one
# (low, high), per kind of case.
QUESTION_PLAN = {
    "take_up": 0.85, "resolve": 0.8, "close": 0.5,
    "take_up_h": (1, 60), "resolve_h": (2, 140), "close_h": (24, 96),
}  # fmt: skip
FRAUD_PLAN = {
    "take_up": 0.7, "resolve": 0.35, "close": 0.3, "refer": 0.25,
    "take_up_h": (4, 120), "resolve_h": (48, 400), "close_h": (24, 120),
}  # fmt: skip
NOTES = {
    "in_progress": ("se revisa el expediente", "se contactó al ciudadano",
                    "se pidió información al área", "en revisión"),
    "resolved": ("se dio respuesta al ciudadano", "se aclaró el estatus de su folio",
                 "se informó la fecha de pago", "se canalizó la visita técnica"),
    "referred": ("se turnó a la Fiscalía", "compete a otra institución",
                 "se turnó al Órgano Interno de Control estatal"),
    "closed": ("sin más seguimiento", "atendido"),
}  # fmt: skip
UNIT_PEOPLE = ("Lic. Hernández", "Mtra. Ruiz", "Ing. Castillo", "Lic. Ortega")


def write_demo_progress(
    engine: Engine, path: Path, now: datetime, seed: int = 7
) -> int:
    """Write the CSV a unit would send for every routed case; returns its rows."""
    rows = list(_progress(engine, now, random.Random(seed)))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["folio", "status", "note", "at", "by"])
        writer.writerows(rows)
    return len(rows)


def _progress(
    engine: Engine, now: datetime, draw: random.Random
) -> Iterator[list[str]]:
    cases, labels, assignments = (
        Case.__table__,
        CaseLabel.__table__,
        Assignment.__table__,
    )
    query = (
        select(cases.c.folio, cases.c.opened_at, labels.c.has_fraud)
        .join(labels, labels.c.case_id == cases.c.id)
        .join(assignments, assignments.c.case_id == cases.c.id)
        .order_by(cases.c.id)
    )
    with engine.connect() as connection:
        for folio, opened_at, has_fraud in connection.execute(query):
            plan = FRAUD_PLAN if has_fraud else QUESTION_PLAN
            yield from _history(folio, opened_at, plan, now, draw)


def _history(
    folio: str, opened_at: datetime, plan: dict, now: datetime, draw: random.Random
) -> Iterator[list[str]]:
    person = draw.choice(UNIT_PEOPLE)
    moment = opened_at
    steps = [("in_progress", "take_up")]
    if draw.random() < plan.get("refer", 0):
        steps.append(("referred", "resolve"))
    else:
        steps.append(("resolved", "resolve"))
    steps.append(("closed", "close"))
    for status, step in steps:
        if draw.random() >= plan[step]:
            return
        low, high = plan[f"{step}_h"]
        moment = moment + timedelta(hours=draw.uniform(low, high))
        if moment >= now:
            return
        note = draw.choice(NOTES[status])
        yield [folio, status, note, moment.isoformat(timespec="seconds"), person]
