"""SIGKILL mid-classification, mid-grouping and mid-report, then a re-run.

Each child process runs one stage on a database the test filled and kills
itself with SIGKILL at a chosen step of its second batch (or of its first
file), before that batch commits. The re-run must end exactly where one
uninterrupted run does: nothing lost, nothing twice, the report's bytes
identical.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from models import Case, CaseGroup, CaseLabel, Incident
from reports.weekly import render_week
from reports.weekly_data import Week
from tasks.classify import classify_pending
from tasks.group import group_pending
from tasks.ingest import ingest_pending
from tests.builders import encoded, text_body
from tests.conftest import DENUNCIA_ID, TE_ATIENDE_ID
from vigia.landing import Arrival, land
from vigia.settings import Settings

pytestmark = pytest.mark.slow

START = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
TEXTS = (
    "cuales son los requisitos para registrarme al programa",
    "el gestor del 961 222 {n:04d} nos cobro 2 mil por la lista",
    "no me ha llegado el deposito de la segunda ministracion",
    "la constructora no termino la obra y ya cobro todo el material",
)
CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from vigia.db import get_engine
    from vigia.settings import get_settings

    stage = sys.argv[1]
    settings = get_settings()
    engine = get_engine(settings)
    calls = 0

    def dying(original, after):
        def step(*args, **kwargs):
            global calls
            calls += 1
            if calls == after:
                os.kill(os.getpid(), signal.SIGKILL)
            return original(*args, **kwargs)
        return step

    if stage == "classify":
        import tasks.classify as module
        from classifiers.store import load_or_train
        module._store_message_labels = dying(module._store_message_labels, 2)
        module.classify_pending(engine, load_or_train(settings), batch_size=8)
    elif stage == "group":
        import tasks.group as module
        module._group_batch = dying(module._group_batch, 2)
        module.group_pending(engine, settings.data_dir, batch_size=8)
    else:
        import os as system
        import reports.files as module
        from reports.weekly import render_week
        from reports.weekly_data import Week
        module.os.replace = dying(system.replace, 2)
        render_week(engine, Week(2026, 48), Path(sys.argv[2]))
    """
)


def traffic() -> list[Arrival]:
    return [
        Arrival("whatsapp_webhook", encoded(text_body(
            f"wamid.k{person}", f"52155{person:08d}", START + timedelta(minutes=person),
            TEXTS[person % len(TEXTS)].format(n=person),
            DENUNCIA_ID if person % 2 else TE_ATIENDE_ID,
        )))
        for person in range(40)
    ]  # fmt: skip


def labels_and_groups(engine: Engine) -> list[tuple]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(Case.folio, CaseLabel.topic, CaseLabel.fraud, Incident.code)
            .join(CaseLabel, CaseLabel.case_id == Case.id)
            .outerjoin(CaseGroup, CaseGroup.case_id == Case.id)
            .outerjoin(Incident, Incident.id == CaseGroup.incident_id)
            .order_by(Case.folio)
        ).all()
    return [tuple(row) for row in rows]


def kill(stage: str, env: dict[str, str], *extra: str) -> None:
    child = subprocess.run(
        [sys.executable, "-c", CHILD, stage, *extra],
        env=env, capture_output=True, timeout=300,
    )  # fmt: skip
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()[-3000:]


@pytest.mark.parametrize("stage", ["classify", "group"])
def test_a_killed_stage_then_a_rerun_matches_an_uninterrupted_run(
    stage: str,
    engine: Engine,
    settings: Settings,
    environment: dict[str, str],
    installed_models,
    tmp_path: Path,
) -> None:
    land(engine, traffic())
    ingest_pending(engine, settings)
    if stage == "group":
        classify_pending(engine, installed_models)

    kill(stage, os.environ | environment)
    classify_pending(engine, installed_models)
    group_pending(engine, settings.data_dir)

    assert labels_and_groups(engine) == uninterrupted(
        tmp_path / "ref", installed_models
    )


def test_a_killed_report_leaves_whole_files_and_renders_the_same_bytes(
    engine: Engine,
    settings: Settings,
    environment: dict[str, str],
    installed_models,
    tmp_path: Path,
) -> None:
    land(engine, traffic())
    ingest_pending(engine, settings)
    classify_pending(engine, installed_models)
    out, reference = tmp_path / "out", tmp_path / "reference"

    kill("report", os.environ | environment, str(out))
    assert [p.name for p in out.iterdir() if not p.name.startswith(".")] == [
        "informe-semana-2026-W48.html"
    ]  # the first file whole, the second never half-written
    files = render_week(engine, Week(2026, 48), out)
    render_week(engine, Week(2026, 48), reference)

    for path in (files.html, files.json, files.csv):
        assert path.read_bytes() == (reference / path.name).read_bytes()
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def uninterrupted(folder: Path, models) -> list[tuple]:
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
    shutil.rmtree(folder / "models", ignore_errors=True)
    return labels_and_groups(engine)
