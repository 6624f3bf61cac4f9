"""Hostile webhook bodies are refused with a reason, never crash the parser.

4,700 generated bodies: 3,000 shaped like Meta's with parts wrong or missing,
1,700 of random bytes.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import TE_ATIENDE_ID
from tests.hostile import PROPERTY, encoded_webhooks
from vigia.errors import RejectedInput
from vigia.sources.records import ParsedBody, check_storable
from vigia.sources.whatsapp import parse_webhook_body


def channel_for(number_id: str) -> str | None:
    return "te_atiende" if number_id == TE_ATIENDE_ID else None


def parse_or_reason(raw: bytes) -> ParsedBody | str:
    """The parsed body ready to store, or the reason it is refused."""
    try:
        parsed = parse_webhook_body(raw, channel_for)
        check_storable(parsed)
    except RejectedInput as error:
        return str(error)
    return parsed


def assert_well_typed(parsed: ParsedBody) -> None:
    for message in parsed.messages:
        assert isinstance(message.wamid, str) and message.wamid
        assert isinstance(message.type, str)
        assert message.text is None or isinstance(message.text, str)
        assert isinstance(message.sent_at, datetime) and message.sent_at.tzinfo
        assert isinstance(message.sender.identifier, str)
        name = message.sender.display_name
        assert name is None or isinstance(name, str)
    for status in parsed.statuses:
        assert isinstance(status.wamid, str) and isinstance(status.status, str)


@settings(PROPERTY, max_examples=3_000)
@given(encoded_webhooks)
def test_structured_but_wrong_bodies_parse_or_are_refused_with_a_reason(
    raw: bytes,
) -> None:
    outcome = parse_or_reason(raw)

    if isinstance(outcome, str):
        assert outcome.strip()
    else:
        assert_well_typed(outcome)


@settings(PROPERTY, max_examples=1_700)
@given(st.binary(max_size=2_000))
def test_random_bytes_are_refused_with_a_reason(raw: bytes) -> None:
    outcome = parse_or_reason(raw)

    assert isinstance(outcome, str) and outcome.strip()


def body(**message: object) -> bytes:
    """One text message to the Te Atiende line, with fields overridden."""
    fields = {"from": "5215511111111", "id": "wamid.1", "timestamp": "1764514800",
              "type": "text", "text": {"body": "hola"}} | message  # fmt: skip
    value = {"metadata": {"phone_number_id": TE_ATIENDE_ID}, "messages": [fields]}
    document = {"object": "whatsapp_business_account",
                "entry": [{"id": "1", "changes": [{"field": "messages",
                                                   "value": value}]}]}  # fmt: skip
    return json.dumps(document).encode()


# Each of these raised TypeError, AttributeError or ValueError before, or
# was parsed into values the database cannot store.
@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b'{"object": ' + b"1" * 5_000 + b"}", "invalid JSON: Exceeds the limit"),
        (b"[" * 100_000, "nested too deeply"),
        (body(type=["text"]), "unknown message type ['text']"),
        (body(context="reenviado"), "context: expected an object"),
        (body(text={"body": 5}), "text.body: expected text, got 5"),
        (body(text={"body": "\ud800"}), "half of a UTF-16 pair"),
        (body(text={"body": "a\x00b"}), "NUL character"),
        (body(id="w" * 300), "wamid is 300 characters"),
        (body(timestamp="99999999999"), "outside 2009-2099"),
        (body(type="image", image="foto.jpg"), "image: expected an object"),
        (body(type="edit", edit={"message": {"type": {}}}), None),
        (body(**{"from": {"wa": 1}}), "from: expected an identifier"),
    ],
)
def test_bodies_that_broke_the_parser_are_refused_with_a_reason(
    raw: bytes, reason: str | None
) -> None:
    outcome = parse_or_reason(raw)

    if reason is None:  # an edit of an unknown kind keeps only its link
        assert isinstance(outcome, ParsedBody)
    else:
        assert isinstance(outcome, str) and reason in outcome


def test_contacts_that_are_not_a_list_are_ignored() -> None:
    document = json.loads(body())
    document["entry"][0]["changes"][0]["value"]["contacts"] = 5

    outcome = parse_or_reason(json.dumps(document).encode())

    assert isinstance(outcome, ParsedBody) and outcome.messages[0].text == "hola"
