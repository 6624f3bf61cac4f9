"""Hostile chat exports are refused with a reason, never crash the parser.

2,000 generated files: 1,500 of header-like lines with impossible dates,
hours, meridiems and unicode, 500 of random bytes.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.hostile import PROPERTY, chat_exports
from vigia.errors import RejectedInput
from vigia.sources.exports import parse_export_body
from vigia.sources.records import EARLIEST, LATEST, ParsedBody, check_storable


def parse_or_reason(raw: bytes) -> ParsedBody | str:
    try:
        parsed = parse_export_body(raw, "te_atiende", "America/Mexico_City")
        check_storable(parsed)
    except RejectedInput as error:
        return str(error)
    return parsed


@settings(PROPERTY, max_examples=1_500)
@given(chat_exports)
def test_malformed_exports_parse_or_are_refused_with_a_reason(text: str) -> None:
    outcome = parse_or_reason(text.encode("utf-8", "surrogatepass"))

    if isinstance(outcome, str):
        assert outcome.strip()
    else:
        for message in outcome.messages:
            assert EARLIEST <= message.sent_at < LATEST
            assert isinstance(message.text, str | None)


@settings(PROPERTY, max_examples=500)
@given(st.binary(max_size=2_000))
def test_random_bytes_parse_or_are_refused_with_a_reason(raw: bytes) -> None:
    outcome = parse_or_reason(raw)

    assert isinstance(outcome, ParsedBody) or outcome.strip()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # Moving the last minutes of year 9999 to UTC overflowed (OverflowError).
        ("31/12/9999, 23:59 - Ana: hola", "impossible timestamp"),
        ("1/1/1990, 10:00 - Ana: hola", "outside 2009-2099"),
        ("3/12/24, 10:15 p. m. - Ana: a\x00b", "NUL character"),
        ("3/12/24, 10:15 p. m. - " + "A" * 300 + ": hola", "sender identifier is"),
    ],
)
def test_exports_that_broke_ingest_are_refused_with_a_reason(
    text: str, reason: str
) -> None:
    outcome = parse_or_reason(text.encode())

    assert isinstance(outcome, str) and reason in outcome
