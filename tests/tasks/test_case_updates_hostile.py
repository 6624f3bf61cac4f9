"""Hostile units' sheets of status updates: every row applied or reported by line.

400 generated CSV files on SQLite, with real and unknown folios, known and
invented statuses, impossible and future dates, NUL characters, U+2028 and
other characters Python also counts as line breaks, and cells over the csv
module's size limit.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from models import Case
from tasks.case_updates import import_updates
from tasks.ingest import ingest_pending
from tests.builders import encoded, text_body
from tests.hostile import HUGE, PROPERTY, nasty_text
from tests.tasks.test_ingest import START
from vigia.db import get_engine
from vigia.errors import InputFileError
from vigia.landing import Arrival, land
from vigia.settings import get_settings

STATUSES = ["assigned", "in_progress", "resolved", "closed", "referred", "ENVIADO"]
DATES = ["", "2026-11-30 10:00", "2026-11-30T10:00:00-06:00", "2099-01-01",
         "0001-01-01T00:00+05:00", "9999-12-31T23:00-05:00", "30/11/2026",
         "2026-02-30"]  # fmt: skip
HEADERS = [["folio", "status", "note", "at", "by"],
           ["Folio", "Estatus", "Nota", "Fecha", "Responsable"]]  # fmt: skip
ROW = re.compile(r"^line (\d+): \S")


@pytest.fixture
def engine_with_cases(sqlite_environment: dict[str, str]) -> Iterator[Engine]:
    settings_ = get_settings()
    engine = get_engine(settings_)
    bodies = [
        text_body(f"wamid.u{n}", f"52155111111{n:02d}", START, "mi pago")
        for n in range(3)
    ]
    land(engine, [Arrival("whatsapp_webhook", encoded(body)) for body in bodies])
    ingest_pending(engine, settings_)
    yield engine
    get_settings.cache_clear()


def folios(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.scalars(select(Case.folio)))


def cell(valid: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(valid), nasty_text, st.just(HUGE))


@settings(PROPERTY, max_examples=400)
@given(data=st.data())
def test_every_row_is_applied_already_there_or_reported_by_its_line(
    engine_with_cases: Engine,
    tmp_path_factory: pytest.TempPathFactory,
    data: st.DataObject,
) -> None:
    known = [*folios(engine_with_cases), "DEN-2026-999999"]
    row = st.tuples(cell(known), cell(STATUSES), nasty_text, cell(DATES), nasty_text)
    rows = data.draw(st.lists(row, min_size=1, max_size=5))
    path = tmp_path_factory.mktemp("sheet") / "avances.csv"
    buffer = io.StringIO()
    csv.writer(buffer).writerows([data.draw(st.sampled_from(HEADERS)), *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8", errors="surrogatepass")

    try:
        summary = import_updates(engine_with_cases, path)
    except InputFileError as error:  # half a UTF-16 pair: no UTF-8 file holds it
        assert "not UTF-8" in str(error)
        return

    accounted = summary.applied + summary.unchanged + len(summary.errors)
    if any("were not read" in error for error in summary.errors):
        assert accounted <= len(rows)  # stopped at a row it could not read
    else:
        assert accounted == len(rows)
    lines = len(io.StringIO(buffer.getvalue(), newline="").readlines())
    for error in summary.errors:
        found = ROW.match(error)
        assert found, error
        assert 2 <= int(found[1]) <= lines


def test_a_note_holding_u2028_stays_one_row(
    engine_with_cases: Engine, tmp_path: Path
) -> None:
    folio = folios(engine_with_cases)[0]
    path = tmp_path / "avances.csv"
    path.write_text(
        f"folio,status,note\n{folio},assigned,visita\u2028pendiente\n", "utf-8"
    )

    summary = import_updates(engine_with_cases, path)

    assert (summary.applied, summary.errors) == (1, [])


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        # Each raised OverflowError, csv.Error or a database error before.
        ("{folio},assigned,,0001-01-01T00:00+05:00", "out of range"),
        ("{folio},assigned,,9999-12-31T23:00-05:00", "out of range"),
        ("{folio},assigned,a\x00b", "NUL character"),
    ],
)
def test_rows_that_crashed_the_import_are_reported_by_line(
    engine_with_cases: Engine, tmp_path: Path, cells: str, reason: str
) -> None:
    folio = folios(engine_with_cases)[0]
    path = tmp_path / "avances.csv"
    row = cells.format(folio=folio)
    path.write_text(f"folio,status,note,at\n{row}\n{folio},assigned\n", "utf-8")

    summary = import_updates(engine_with_cases, path)

    assert len(summary.errors) == 1 and summary.errors[0].startswith("line 2: ")
    assert reason in summary.errors[0]
    assert summary.applied == 1  # the good row after it still applies


def test_a_cell_over_the_csv_limit_stops_the_import_at_its_line(
    engine_with_cases: Engine, tmp_path: Path
) -> None:
    folio = folios(engine_with_cases)[0]
    path = tmp_path / "avances.csv"
    rows = f"{folio},assigned\n{folio},in_progress,{HUGE}\n{folio},resolved\n"
    path.write_text(f"folio,status,note\n{rows}", "utf-8")

    summary = import_updates(engine_with_cases, path)

    assert summary.applied == 1
    (error,) = summary.errors
    assert error.startswith("line 3: unreadable row: field larger")
    assert "the rows after it were not read" in error
