"""The fraud list read from the database: incidents, reporters, accused, files."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, update

from models import Case
from tasks.assign import route_pending
from tasks.fraud_list import load_fraud_incidents, publish_fraud_list
from tasks.routing import load_rules
from tests.tasks.test_classify import START, deliver
from tests.tasks.test_group import report, run_stage
from vigia.settings import Settings

NOW = START + timedelta(days=5)
GESTOR = (
    "el gestor Ramiro Sosa del cel 961 234 5678 nos cobro 2 mil x meternos a la "
    "lista de vivienda, somos 12 familias y nos amenazo con sacarnos si deciamos algo"
)
NEIGHBOUR = (
    "Denuncio al gestor del numero 9612345678, me pidio 2000 pesos para apartar "
    "lugar en el programa. Pueden responderme a este 961 000 0002"
)


def pipeline_stages(engine: Engine, settings: Settings, trained_models) -> None:
    run_stage(engine, settings, trained_models)
    route_pending(engine, load_rules())


def listed(engine: Engine, now=NOW, days: int = 90):
    return {
        i.incident: i for i in load_fraud_incidents(engine, now, load_rules(), days)
    }


def test_two_neighbours_naming_one_gestor_are_one_incident_of_two_reporters(
    engine: Engine, settings: Settings, trained_models
) -> None:
    deliver(engine, settings, [
        report(1, 1, GESTOR),
        report(2, 2, NEIGHBOUR, days=1),
        report(3, 3, "cuales son los requisitos para el apoyo de vivienda?"),
    ])  # fmt: skip

    pipeline_stages(engine, settings, trained_models)

    [incident] = listed(engine).values()
    assert len(incident.folios) == 2 and incident.reporters == 2
    assert "cobro_indebido" in incident.labels
    assert incident.amount == 2000 and incident.victims == 12 and incident.threats
    assert "96 1234 5678" in incident.accused
    assert "Ramiro Sosa" in incident.accused
    assert incident.unit == "juridico" and incident.triage_due is not None
    assert incident.first_seen == START and incident.last_seen == START + timedelta(1)


def test_the_complainants_own_phone_never_reaches_the_files(
    engine: Engine, settings: Settings, trained_models, tmp_path
) -> None:
    deliver(engine, settings, [report(1, 1, GESTOR), report(2, 2, NEIGHBOUR, days=1)])
    pipeline_stages(engine, settings, trained_models)

    files = publish_fraud_list(engine, tmp_path / "out", NOW)

    written = files.csv.read_text(encoding="utf-8") + files.html.read_text("utf-8")
    digits = "".join(ch for ch in written if ch.isdigit() or ch == "\n")
    assert "9610000002" not in digits and "9610000001" not in digits
    assert "961 000 0002" not in written
    assert "96 1234 5678" in written  # the accused's phone stays
    assert files.html.name == f"fraude-{(NOW - timedelta(hours=6)).date()}.html"


def test_closed_and_stale_incidents_leave_the_list(
    engine: Engine, settings: Settings, trained_models
) -> None:
    deliver(engine, settings, [
        report(1, 1, GESTOR),
        report(2, 4, "me llamaron que sali sorteado y q deposite 500 en oxxo a la "
                     "cuenta 4152 3138 0012 9988 para mi casa", days=2),
    ])  # fmt: skip
    pipeline_stages(engine, settings, trained_models)
    assert len(listed(engine)) == 2

    with engine.begin() as connection:
        connection.execute(
            update(Case).where(Case.folio == "DEN-2026-000001").values(status="closed")
        )

    assert len(listed(engine)) == 1
    assert listed(engine, now=NOW + timedelta(days=20), days=10) == {}


def test_an_accused_seen_months_apart_links_the_two_incidents(
    engine: Engine, settings: Settings, trained_models
) -> None:
    deliver(engine, settings, [
        report(1, 1, GESTOR),
        report(2, 2, NEIGHBOUR, days=200),
    ])  # fmt: skip
    pipeline_stages(engine, settings, trained_models)

    incidents = listed(engine, now=START + timedelta(days=201), days=365)

    assert len(incidents) == 2
    first, second = sorted(incidents)
    assert incidents[first].linked == (second,)
    assert incidents[second].linked == (first,)


def test_publishing_twice_writes_the_same_files(
    engine: Engine, settings: Settings, trained_models, tmp_path
) -> None:
    deliver(engine, settings, [report(1, 1, GESTOR), report(2, 2, NEIGHBOUR, days=1)])
    pipeline_stages(engine, settings, trained_models)

    first = publish_fraud_list(engine, tmp_path, NOW)
    before = first.csv.read_bytes(), first.html.read_bytes()
    second = publish_fraud_list(engine, tmp_path, NOW)

    assert (second.csv.read_bytes(), second.html.read_bytes()) == before
    assert [row.incident.incident for row in second.rows] == [
        row.incident.incident for row in first.rows
    ]
