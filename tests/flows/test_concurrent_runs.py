"""Two pipeline runs at once on PostgreSQL: no message, case or folio twice.

The deployments carry a concurrency limit of one, but a second worker, a
manual `vigia run` or a retried flow can still overlap a scheduled run; the
database must hold on its own. Rows are claimed with FOR UPDATE SKIP LOCKED
and folios come from a locked counter, so both runs together must end where
one uninterrupted run does. Two worker processes started on the same pending
rows of one stage split them: the rows each took add up to the rows there
were, so none was taken twice.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from models import Assignment, Case, CaseGroup, CaseLabel, Message
from tasks.assign import route_pending
from tasks.classify import classify_pending
from tasks.group import group_pending
from tasks.ingest import ingest_pending
from tasks.routing import load_rules
from tests.builders import encoded, text_body
from tests.conftest import DENUNCIA_ID, TE_ATIENDE_ID
from tests.tasks.test_crash import snapshot
from vigia.landing import Arrival, land
from vigia.settings import Settings

pytestmark = pytest.mark.slow

START = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
TEXTS = (
    "hola buenas tardes",
    "cuales son los requisitos para el apoyo de vivienda",
    "el gestor del 961 555 {n:04d} nos cobro 3 mil por meternos a la lista",
    "no me ha llegado el deposito de la segunda ministracion",
)


def traffic(people: int = 150) -> list[Arrival]:
    """Several messages from each of many people on both lines."""
    bodies = [
        text_body(
            f"wamid.c{person}m{n}",
            f"52155{person:08d}",
            START + timedelta(minutes=person + 3 * n),
            TEXTS[(person + n) % len(TEXTS)].format(n=person),
            DENUNCIA_ID if person % 3 == 0 else TE_ATIENDE_ID,
        )
        for person in range(people)
        for n in range(4)
    ]
    return [Arrival("whatsapp_webhook", encoded(body)) for body in bodies]


def counts(engine: Engine) -> dict[str, int]:
    tables = {"labels": CaseLabel, "groups": CaseGroup, "assignments": Assignment}
    with engine.connect() as connection:
        found = {
            name: connection.scalar(select(func.count()).select_from(model))
            for name, model in tables.items()
        }
        found["folios"] = connection.scalar(
            select(func.count(func.distinct(Case.folio)))
        )
        found["cases"] = connection.scalar(select(func.count()).select_from(Case))
        found["messages"] = connection.scalar(select(func.count()).select_from(Message))
    return found


def test_two_runs_at_once_end_where_one_run_does(
    prefect_api: str,
    postgres_url: str,
    environment: dict[str, str],
    settings: Settings,
    engine: Engine,
    installed_models,
    tmp_path,
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("concurrent runs are a PostgreSQL deployment's concern")
    land(engine, traffic())
    env = os.environ | environment | {
        "PREFECT_API_URL": prefect_api, "VIGIA_INGEST_BATCH_SIZE": "40",
    }  # fmt: skip
    command = [sys.executable, "-m", "vigia.cli", "run"]

    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE) for _ in range(2)]  # fmt: skip
    outcomes = [run.communicate(timeout=600) for run in runs]

    assert all(run.returncode == 0 for run in runs), [o[1][-2000:] for o in outcomes]
    reference = one_run(tmp_path / "reference", installed_models)
    assert snapshot(engine) == reference[0]
    assert counts(engine) == reference[1]
    assert counts(engine)["folios"] == counts(engine)["cases"]


# Each worker waits for the go file, then works through what is pending; it
# prints how many rows it took. A stage's earlier stages ran before it.
WORKER = """
import json, sys, time
from pathlib import Path

from tasks.assign import route_pending
from tasks.classify import classify_pending, process_models
from tasks.ingest import ingest_pending
from tasks.routing import load_rules
from vigia.db import get_engine
from vigia.settings import get_settings

stage, go = sys.argv[1], Path(sys.argv[2])
settings = get_settings()
engine, models, rules = get_engine(settings), process_models(settings), load_rules()
print("ready", flush=True)
while not go.exists():
    time.sleep(0.005)
if stage == "ingest":
    taken = ingest_pending(engine, settings).total("received")
elif stage == "classify":
    taken = classify_pending(engine, models, batch_size=5).cases
else:
    taken = sum(route_pending(engine, rules, batch_size=5).per_unit.values())
print(json.dumps(taken), flush=True)
"""
STAGES = {"ingest": (), "classify": ("ingest",), "route": ("ingest", "classify")}


@pytest.mark.parametrize("stage", STAGES)
def test_two_workers_on_the_same_pending_rows_never_take_one_twice(
    stage: str,
    environment: dict[str, str],
    settings: Settings,
    engine: Engine,
    installed_models,
    tmp_path,
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("concurrent runs are a PostgreSQL deployment's concern")
    landed = land(engine, traffic()).landed
    _run_stages(STAGES[stage], engine, settings, installed_models)
    expected = landed if stage == "ingest" else counts(engine)["cases"]
    go = tmp_path / "go"
    env = os.environ | environment | {"VIGIA_INGEST_BATCH_SIZE": "5"}

    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, stage, str(go)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(2)
    ]  # fmt: skip
    for worker in workers:
        assert worker.stdout is not None and worker.stdout.readline() == "ready\n"
    go.touch()
    outcomes = [worker.communicate(timeout=300) for worker in workers]

    assert all(w.returncode == 0 for w in workers), [o[1][-2000:] for o in outcomes]
    taken = [int(out.strip()) for out, _ in outcomes]
    assert sum(taken) == expected  # every pending row once, none twice
    assert all(n > 0 for n in taken), taken  # both workers pulled from the rows


def _run_stages(stages, engine: Engine, settings: Settings, models) -> None:
    if "ingest" in stages:
        ingest_pending(engine, settings)
    if "classify" in stages:
        classify_pending(engine, models)


def one_run(folder, models) -> tuple:
    """The same traffic through every stage once, on SQLite."""
    from vigia.db import get_engine

    folder.mkdir()
    alone = Settings(
        data_dir=folder,
        database_url=f"sqlite:///{folder / 'vigia.db'}",
        pseudonym_key="test-pseudonym-key",
        te_atiende_phone_number_id=TE_ATIENDE_ID,
        denuncia_phone_number_id=DENUNCIA_ID,
    )
    engine = get_engine(alone)
    land(engine, traffic())
    ingest_pending(engine, alone)
    classify_pending(engine, models)
    group_pending(engine, folder)
    route_pending(engine, load_rules())
    return snapshot(engine), counts(engine)
