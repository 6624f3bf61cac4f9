"""The portal form: validation, sender identity and times."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from vigia.errors import RejectedInput
from vigia.sources.portal import parse_portal_body, validate_form

RECEIVED = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)


def parse(form: dict):
    return parse_portal_body(json.dumps(form).encode(), RECEIVED)


@pytest.mark.parametrize(
    ("form", "reason"),
    [
        ([], "must be a JSON object"),
        ({"name": "Rosa"}, "non-empty 'text'"),
        ({"text": "   "}, "non-empty 'text'"),
        ({"text": "hola", "colour": "red"}, "unknown fields: colour"),
        ({"text": "hola", "folio": "123"}, "not like ATE-2026-000123"),
        ({"text": "hola", "submitted_at": "ayer"}, "not an ISO 8601 time"),
        ({"text": "hola", "submitted_at": "2026-11-20T10:00:00"}, "UTC offset"),
        ({"text": "x" * 10_001}, "longer than"),
        ({"text": {"nested": 1}}, "must be text"),
    ],
)
def test_bad_forms_are_refused_with_a_reason(form, reason: str) -> None:
    with pytest.raises(RejectedInput, match=reason):
        validate_form(form)


@pytest.mark.parametrize(
    ("contact", "kind", "identifier"),
    [
        ("(55) 1234-5678", "phone", "525512345678"),
        ("+52 1 55 1234 5678", "phone", "525512345678"),
        ("Rosa.P@Correo.mx", "portal_contact", "rosa.p@correo.mx"),
        (None, "anonymous", None),
    ],
)
def test_sender_identity_from_the_contact(contact, kind, identifier) -> None:
    [message] = parse({"text": "quiero denunciar", "contact": contact}).messages

    assert message.sender.kind == kind
    if identifier:
        assert message.sender.identifier == identifier
    assert message.channel == "portal"


def test_submission_time_state_and_folio_are_kept() -> None:
    form = {
        "id": "p-77",
        "text": "sigo esperando",
        "state": "Oaxaca",
        "folio": "ATE-2026-000123",
        "submitted_at": "2026-11-20T10:00:00-06:00",
    }

    [message] = parse(form).messages

    assert message.wamid == "portal:p-77"
    assert message.sent_at == datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
    assert message.context == {"state": "Oaxaca", "folio": "ATE-2026-000123"}


def test_without_a_time_the_arrival_time_counts() -> None:
    [message] = parse({"text": "hola"}).messages

    assert message.sent_at == RECEIVED
