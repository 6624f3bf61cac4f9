"""Generate Portal Ciudadano contact forms and write them as CSV.

The web form asks for a text (required) and, optionally, a name, a phone or
e-mail, the state and an existing folio. People write there as they do on
WhatsApp, in one block, and many complaints come without a name: a
complainant's identity in a corruption report is protected.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

from vigia.demo import compose
from vigia.demo.clock import MX_OFFSET, period, plan_days
from vigia.demo.people import (
    Sender,
    email_for,
    format_phone,
    full_name,
    make_fraudster,
    make_sender,
    mobile_number,
)

PORTAL_COLUMNS = ("id", "submitted_at", "name", "contact", "state", "folio", "text")
_MEXICO = timezone(timedelta(seconds=MX_OFFSET))
_TOPICS = ("registro", "estatus", "pago", "obra", "atencion", "otro")
_TOPIC_WEIGHTS = (25, 24, 20, 16, 10, 5)
_FRAUD = (
    "cobro_indebido",
    "soborno",
    "suplantacion",
    "condicionamiento",
    "desvio_obra",
)
_FRAUD_WEIGHTS = (32, 14, 22, 10, 22)


def generate_portal_forms(
    count: int, seed: int, *, end: datetime, weeks: int = 6
) -> Iterator[dict]:
    """Yield ``count`` portal forms submitted within ``[end - weeks, end)``."""
    cases = generate_portal_cases(count, seed, end=end, weeks=weeks)
    return (form for form, _truth in cases)


def generate_portal_cases(
    count: int, seed: int, *, end: datetime, weeks: int = 6
) -> Iterator[tuple[dict, dict]]:
    """Yield ``(form, truth)`` pairs; truth has ``id``, ``topic`` and ``fraud``."""
    if count < 0:
        raise ValueError(f"count must be zero or more, got {count}")
    if weeks < 1:
        raise ValueError(f"weeks must be at least 1, got {weeks}")
    return _cases(count, seed, end, weeks)


def write_portal_csv(forms: Iterable[dict], path: Path) -> int:
    """Write forms as CSV (empty cells for missing values); return rows written."""
    rows = 0
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=PORTAL_COLUMNS, extrasaction="ignore"
        )
        writer.writeheader()
        for form in forms:
            writer.writerow({key: form.get(key) or "" for key in PORTAL_COLUMNS})
            rows += 1
    return rows


def _cases(
    count: int, seed: int, end: datetime, weeks: int
) -> Iterator[tuple[dict, dict]]:
    """Generate day by day, in submission order, numbering forms as they come."""
    rng = random.Random(seed)
    start, stop = period(end, weeks)
    serial = 0
    for day in plan_days(count, start, stop, rng):
        batch = []
        for _ in range(day.quota):
            serial += 1
            batch.append((day.sample(rng), serial, *_form(rng, serial, end.year)))
        batch.sort(key=lambda item: (item[0], item[1]))
        for ts, _serial, form, truth in batch:
            submitted = datetime.fromtimestamp(ts, _MEXICO)
            form["id"] = truth["id"] = f"PC-{submitted.year}-{_serial:06d}"
            form["submitted_at"] = submitted.isoformat()
            yield form, truth


def _form(rng: random.Random, serial: int, year: int) -> tuple[dict, dict]:
    """One form: who wrote it, what they wrote and what it is really about."""
    writer = make_sender(rng, serial, 0, year)
    episode = _episode(rng, writer)
    text = " ".join(s.text for s in episode.steps if s.kind == "text" and s.text)
    anonymous = (bool(episode.fraud) and rng.random() < 0.5) or rng.random() < 0.15
    asks_folio = episode.topic in ("estatus", "pago") and not episode.fraud
    name = full_name(rng, writer.female)
    form = {
        "id": "",
        "submitted_at": "",
        "name": None if anonymous else name,
        "contact": None
        if anonymous and rng.random() < 0.7
        else _contact(rng, writer, name),
        "state": writer.state.name if rng.random() < 0.8 else None,
        "folio": writer.folio if rng.random() < (0.6 if asks_folio else 0.08) else None,
        "text": text,
    }
    truth = {"id": "", "topic": episode.topic, "fraud": list(episode.fraud)}
    return form, truth


def _episode(rng: random.Random, writer: Sender) -> compose.Episode:
    """What the form is about: a complaint or a question, never empty."""
    if rng.random() < 0.42:
        label = rng.choices(_FRAUD, _FRAUD_WEIGHTS)[0]
        who = make_fraudster(rng, writer.state, writer.municipality)
        return compose.denuncia(rng, writer, "denuncia", label, who)
    topic = rng.choices(_TOPICS, _TOPIC_WEIGHTS)[0]
    # Written like a complaint to Denuncia: one longer block of text.
    return compose.question(rng, writer, "denuncia", topic)


def _contact(rng: random.Random, writer: Sender, name: str) -> str | None:
    """A phone number or an e-mail address (derived from the name), or nothing."""
    roll = rng.random()
    if roll < 0.45:
        phone = writer.wa_id[3:] if writer.wa_id else mobile_number(rng, writer.state)
        return format_phone(rng, phone)
    if roll < 0.85:
        return email_for(rng, name)
    return None
