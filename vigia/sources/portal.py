"""The Portal Ciudadano contact form, posted as JSON or exported as CSV."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from typing import Any

from vigia.errors import RejectedInput
from vigia.sources.records import ParsedBody, ParsedMessage, Sender, normalise_phone
from vigia.sources.whatsapp import load_json

FIELDS = ("id", "submitted_at", "name", "contact", "state", "folio", "text")
"""Columns of the portal's CSV export, and keys of its JSON form."""

MAX_TEXT = 10_000
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_FOLIO = re.compile(r"^(ATE|DEN|POR)-\d{4}-\d{6}$")


def validate_form(data: Any) -> dict[str, str | None]:
    """Check a submitted form and return it with only the known keys, trimmed."""
    if not isinstance(data, dict):
        raise RejectedInput("portal form must be a JSON object")
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise RejectedInput(f"portal form has unknown fields: {', '.join(unknown)}")
    form = {key: _clean(data.get(key), key) for key in FIELDS}
    if not form["text"]:
        raise RejectedInput("portal form needs a non-empty 'text'")
    if len(form["text"]) > MAX_TEXT:
        raise RejectedInput(f"portal form 'text' is longer than {MAX_TEXT} characters")
    if form["folio"] and not _FOLIO.match(form["folio"].upper()):
        raise RejectedInput(
            f"portal form 'folio' {form['folio']!r} is not like ATE-2026-000123"
        )
    if form["submitted_at"]:
        _submitted_at(form["submitted_at"])
    return form


def parse_portal_body(raw: bytes, received_at: datetime) -> ParsedBody:
    """One landing row of the portal form becomes one inbound message."""
    form = validate_form(load_json(raw))

    digest = hashlib.sha256(raw).hexdigest()
    sent_at = (
        _submitted_at(form["submitted_at"]) if form["submitted_at"] else received_at
    )
    context = {key: form[key] for key in ("state", "folio") if form[key] is not None}
    message = ParsedMessage(
        wamid=f"portal:{form['id'] or digest[:40]}",
        channel="portal",
        sender=_sender(form, digest),
        sent_at=sent_at,
        type="text",
        text=form["text"],
        context=context or None,
    )
    return ParsedBody(messages=[message])


def _sender(form: dict[str, str | None], digest: str) -> Sender:
    """A contact identifies the citizen; without one each submission stands alone."""
    contact = form["contact"]
    if contact and _EMAIL.match(contact):
        return Sender("portal_contact", contact.lower(), None, form["name"])
    if contact and sum(ch.isdigit() for ch in contact) >= 10:
        phone = normalise_phone(contact)
        return Sender("phone", phone, phone, form["name"])
    return Sender("anonymous", digest, None, form["name"])


def _clean(value: Any, key: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str | int):
        raise RejectedInput(f"portal form field {key!r} must be text")
    text = str(value).strip()
    return text or None


def _submitted_at(raw: str) -> datetime:
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError as error:
        raise RejectedInput(
            f"portal form 'submitted_at' {raw!r} is not an ISO 8601 time"
        ) from error
    if moment.tzinfo is None:
        raise RejectedInput(
            f"portal form 'submitted_at' {raw!r} needs a UTC offset, e.g. -06:00"
        )
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # year 1 east of Greenwich, year 9999 west of it
        raise RejectedInput(
            f"portal form 'submitted_at' {raw!r} is out of range"
        ) from None
