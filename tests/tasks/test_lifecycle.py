"""The lifecycle of a case: allowed moves, the audit trail, unit updates by CSV."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from models import Case, CaseEvent
from tasks.assign import route_pending
from tasks.case_updates import import_updates
from tasks.classify import classify_pending
from tasks.lifecycle import (
    InvalidTransition,
    UnknownCase,
    case_history,
    check_transition,
    update_case,
)
from tasks.routing import load_rules
from tests.tasks.test_classify import START, deliver, denuncia
from vigia.errors import InputFileError, RejectedInput
from vigia.settings import Settings

FOLIO = "DEN-2026-000001"
LATER = START + timedelta(days=1)


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        ("received", "acknowledged", True),
        ("received", "assigned", True),
        ("acknowledged", "assigned", True),
        ("assigned", "in_progress", True),
        ("in_progress", "awaiting_information", True),
        ("awaiting_information", "in_progress", True),
        ("in_progress", "resolved", True),
        ("resolved", "closed", True),
        ("resolved", "in_progress", True),  # reopened: the answer missed
        ("assigned", "referred", True),
        ("referred", "closed", True),
        ("received", "resolved", False),  # nobody answered yet
        ("received", "in_progress", False),
        ("referred", "in_progress", False),
        ("closed", "in_progress", False),
        ("acknowledged", "received", False),
        ("awaiting_information", "referred", False),
    ],
)
def test_allowed_moves(current: str, target: str, allowed: bool) -> None:
    if allowed:
        check_transition(FOLIO, current, target)
    else:
        with pytest.raises(InvalidTransition, match=r"cannot|closed case"):
            check_transition(FOLIO, current, target)


def test_an_invalid_move_names_the_allowed_ones() -> None:
    with pytest.raises(InvalidTransition) as refused:
        check_transition(FOLIO, "received", "resolved")

    assert "from received it can go to: acknowledged, assigned, closed, referred" in (
        str(refused.value)
    )


def test_routing_assigns_and_every_move_is_kept(
    engine: Engine, settings: Settings, trained_models
) -> None:
    deliver(engine, settings, [denuncia(1, "el gestor me cobro 3 mil x la lista")])
    classify_pending(engine, trained_models)
    route_pending(engine, load_rules())

    update_case(engine, FOLIO, "in_progress", "revisando", "Lic. Ruiz")
    update_case(engine, FOLIO, "resolved", "se canalizó a la fiscalía")

    trail = case_history(engine, FOLIO)
    assert [(e["from_status"], e["to_status"]) for e in trail] == [
        ("received", "assigned"),
        ("assigned", "in_progress"),
        ("in_progress", "resolved"),
    ]
    assert trail[0]["actor"] == "vigia" and trail[0]["source"] == "routing"
    assert trail[1]["actor"] == "Lic. Ruiz" and trail[1]["note"] == "revisando"
    with engine.connect() as connection:
        assert connection.scalar(select(Case.status)) == "resolved"


def test_routing_again_leaves_a_case_in_progress_alone(
    engine: Engine, settings: Settings, trained_models
) -> None:
    deliver(engine, settings, [denuncia(1, "el gestor me cobro 3 mil x la lista")])
    classify_pending(engine, trained_models)
    route_pending(engine, load_rules())
    update_case(engine, FOLIO, "in_progress")

    deliver(engine, settings, [denuncia(2, "se llama Ramiro Sosa", minutes=30)])
    classify_pending(engine, trained_models)
    route_pending(engine, load_rules())

    assert [e["to_status"] for e in case_history(engine, FOLIO)] == [
        "assigned",
        "in_progress",
    ]


def test_a_refused_move_writes_nothing(engine: Engine, settings: Settings) -> None:
    deliver(engine, settings, [denuncia(1, "el gestor me cobro 3 mil x la lista")])

    with pytest.raises(InvalidTransition):
        update_case(engine, FOLIO, "resolved", at=LATER)
    with pytest.raises(UnknownCase):
        update_case(engine, "DEN-2026-999999", "closed", at=LATER)
    with pytest.raises(RejectedInput, match="unknown status 'terminado'"):
        update_case(engine, FOLIO, "terminado", at=LATER)
    with pytest.raises(RejectedInput, match="opened after"):
        update_case(engine, FOLIO, "closed", at=START - timedelta(days=1))

    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(CaseEvent)) == 0
        assert connection.scalar(select(Case.status)) == "received"


def test_a_units_csv_applies_good_rows_and_lists_bad_ones_by_line(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    deliver(engine, settings, [
        denuncia(1, "el gestor me cobro 3 mil x la lista"),
        text_of_other_sender(),
    ])  # fmt: skip
    sheet = tmp_path / "avances.csv"
    sheet.write_text(
        "\ufeffFolio,Estatus,Nota,Fecha,Responsable\n"
        f"{FOLIO},referred,Compete a la fiscalía,2026-11-24 10:00,Jurídico\n"
        f"{FOLIO},in_progress,,2026-11-24 11:00,Jurídico\n"  # referred cannot
        "DEN-2026-000077,closed,,,\n"  # no such folio
        ",closed,,,\n"
        "ATE-2026-000001,closed,duplicado,2026-11-24 mañana,\n"  # bad date
        "ate-2026-000001,closed,duplicado,2026-11-24T12:00:00-06:00,Atención\n",
        encoding="utf-8",
    )

    first = import_updates(engine, sheet)
    again = import_updates(engine, sheet)

    assert first.applied == 2
    assert [error.split(":")[0] for error in first.errors] == [
        "line 3", "line 4", "line 5", "line 6",
    ]  # fmt: skip
    assert "cannot go from referred to in_progress" in first.errors[0]
    assert again.applied == 0 and again.unchanged == 2
    trail = case_history(engine, FOLIO)
    assert trail[0]["note"] == "Compete a la fiscalía"
    assert trail[0]["source"] == "csv:avances.csv"


def test_a_csv_without_the_needed_columns_is_refused(
    engine: Engine, tmp_path: Path
) -> None:
    sheet = tmp_path / "otra.csv"
    sheet.write_text("caso,comentario\nDEN-2026-000001,listo\n", encoding="utf-8")

    with pytest.raises(InputFileError, match="needs the columns folio, status"):
        import_updates(engine, sheet)


def test_case_update_on_the_command_line(
    environment: dict[str, str], engine: Engine, settings: Settings
) -> None:
    deliver(engine, settings, [denuncia(1, "el gestor me cobro 3 mil x la lista")])
    env = os.environ | environment

    def vigia(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "vigia.cli", "case", *args],
            env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    refused = vigia("update", FOLIO, "--status", "resolved")
    moved = vigia("update", FOLIO, "--status", "referred", "--note", "a FOVISSSTE")
    shown = vigia("show", FOLIO)

    assert refused.returncode == 2
    assert "cannot go from received to resolved" in refused.stderr
    assert moved.returncode == 0
    assert "received -> referred" in shown.stdout and "a FOVISSSTE" in shown.stdout


def text_of_other_sender() -> dict:
    from tests.builders import text_body

    return text_body("wamid.o1", "5215599999999", START, "cuales son los requisitos")
