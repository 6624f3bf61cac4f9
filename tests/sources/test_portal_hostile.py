"""Hostile portal forms and CSV exports: refused with a reason, never a crash.

2,100 generated inputs: 1,000 forms with wrong types, unknown keys and
impossible times, 500 bodies of random bytes, 600 CSV exports.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.hostile import HUGE, PROPERTY, encode, nasty_text, portal_forms
from vigia.errors import InputFileError, RejectedInput
from vigia.landing import EXTRA_CELLS, read_backfill
from vigia.sources.portal import parse_portal_body
from vigia.sources.records import ParsedBody, check_storable

RECEIVED = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)


def parse_or_reason(raw: bytes) -> ParsedBody | str:
    try:
        parsed = parse_portal_body(raw, RECEIVED)
        check_storable(parsed)
    except RejectedInput as error:
        return str(error)
    return parsed


@settings(PROPERTY, max_examples=1_000)
@given(portal_forms, st.booleans())
def test_wrong_forms_parse_or_are_refused_with_a_reason(
    form: object, ascii_only: bool
) -> None:
    outcome = parse_or_reason(encode(form, ascii_only))

    if isinstance(outcome, str):
        assert outcome.strip()
    else:
        (message,) = outcome.messages
        assert isinstance(message.text, str) and message.text.strip()
        assert message.sent_at.tzinfo is not None


@settings(PROPERTY, max_examples=500)
@given(st.binary(max_size=2_000))
def test_random_bytes_are_refused_with_a_reason(raw: bytes) -> None:
    outcome = parse_or_reason(raw)

    assert isinstance(outcome, str) and outcome.strip()


cells = st.one_of(nasty_text, st.just(HUGE), st.sampled_from(["a,b", '"', "\n"]))
csv_rows = st.lists(st.lists(cells, min_size=1, max_size=5), min_size=1, max_size=4)
HEADER = ["id", "text", "contact", "submitted_at"]


@settings(PROPERTY, max_examples=600)
@given(rows=csv_rows)
def test_every_csv_row_lands_once_or_the_file_is_refused_by_line(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]]
) -> None:
    path = tmp_path_factory.mktemp("portal") / "portal.csv"
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8", errors="surrogatepass")

    try:
        arrivals = list(read_backfill(path))
    except InputFileError as error:  # a cell over the csv module's limit, or
        # half a UTF-16 pair, which no UTF-8 file can hold
        assert "line " in str(error) or "not UTF-8" in str(error)
        return

    assert len(arrivals) == len(rows)
    for arrival, row in zip(arrivals, rows, strict=True):
        form = json.loads(arrival.body)
        outcome = parse_or_reason(arrival.body)
        if len(row) > len(HEADER):  # cut short it would land as half a complaint
            assert form[EXTRA_CELLS] and isinstance(outcome, str)
            assert EXTRA_CELLS in outcome
        assert isinstance(outcome, ParsedBody) or outcome.strip()


@pytest.mark.parametrize(
    ("form", "reason"),
    [
        # Each of these raised ValueError or OverflowError before.
        ('{"text": "x", "id": ' + "1" * 5_000 + "}", "invalid JSON"),
        ("[" * 100_000, "nested too deeply"),
        ('{"text": "x", "submitted_at": "0001-01-01T00:00:00+05:00"}', "out of range"),
        ('{"text": "x", "submitted_at": "9999-12-31T23:00:00-05:00"}', "out of range"),
        ('{"text": "x", "submitted_at": "1999-12-31T23:00:00-05:00"}', "2009-2099"),
        ('{"text": "a\\u0000b"}', "NUL character"),
        ('{"text": "\\ud800"}', "half of a UTF-16 pair"),
        ('{"text": "x", "id": "' + "9" * 300 + '"}', "wamid is 307 characters"),
    ],
)
def test_forms_that_broke_ingest_are_refused_with_a_reason(
    form: str, reason: str
) -> None:
    outcome = parse_or_reason(form.encode())

    assert isinstance(outcome, str) and reason in outcome


def test_a_row_with_more_cells_than_columns_is_rejected_not_cut(
    tmp_path: Path,
) -> None:
    path = tmp_path / "portal.csv"
    path.write_text("id,text\n7,me cobraron 5,000 pesos\n", encoding="utf-8")

    (arrival,) = read_backfill(path)

    assert "unknown fields: extra_cells" in parse_or_reason(arrival.body)


def test_a_cell_over_the_csv_limit_refuses_the_file_naming_its_line(
    tmp_path: Path,
) -> None:
    path = tmp_path / "portal.csv"
    path.write_text(f"id,text\n1,hola\n2,{HUGE}\n", encoding="utf-8")

    with pytest.raises(InputFileError, match="line 3: field larger"):
        list(read_backfill(path))
