"""SIGKILL in the middle of an ingest batch loses and duplicates nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from models import Case, Message
from tasks.ingest import ingest_pending
from tests.builders import encoded, text_body
from tests.conftest import DENUNCIA_ID, TE_ATIENDE_ID
from vigia.landing import Arrival, land
from vigia.settings import Settings
from vigia.status import collect_status

pytestmark = pytest.mark.slow

# The child runs a real ingest and kills itself with SIGKILL right after the
# named step in its second batch, before that batch's transaction commits.
CHILD = textwrap.dedent(
    """
    import os, signal, sys
    import tasks.ingest as ingest
    import tasks.cases as cases
    from vigia.db import get_engine
    from vigia.settings import get_settings

    module_name, step = sys.argv[1].split(".")
    module = {"ingest": ingest, "cases": cases}[module_name]
    original_step = getattr(module, step)
    original_batch = ingest.ingest_batch
    batches = 0

    def counting_batch(*args, **kwargs):
        global batches
        batches += 1
        return original_batch(*args, **kwargs)

    def crash_after(*args, **kwargs):
        result = original_step(*args, **kwargs)
        if batches == 2:
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    ingest.ingest_batch = counting_batch
    setattr(module, step, crash_after)
    settings = get_settings()
    ingest.ingest_pending(get_engine(settings), settings)
    """
)

STEPS = [
    "ingest._parse_row",
    "ingest._store_contacts",
    "cases.allocate_folios",
    "ingest._insert_messages",
    "ingest._mark",
]


def traffic() -> list[Arrival]:
    start = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
    bodies = []
    for person in range(12):
        for n in range(3):
            bodies.append(
                text_body(
                    f"wamid.p{person}m{n}",
                    f"52155{person:08d}",
                    start + timedelta(minutes=person * 7 + n),
                    f"mensaje {n} de la persona {person}",
                    DENUNCIA_ID if person % 3 == 0 else TE_ATIENDE_ID,
                )
            )
    return [Arrival("whatsapp_webhook", encoded(body)) for body in bodies]


def snapshot(engine: Engine) -> tuple[dict, list[tuple[str, str]]]:
    with engine.connect() as connection:
        pairs = connection.execute(
            select(Message.wamid, Case.folio)
            .join(Case, Case.id == Message.case_id)
            .order_by(Message.wamid)
        ).all()
    status = collect_status(engine)
    status.pop("last_run")
    return status, [tuple(pair) for pair in pairs]


@pytest.mark.parametrize("step", STEPS)
def test_sigkill_mid_batch_then_rerun_matches_an_uninterrupted_run(
    step: str,
    engine: Engine,
    settings: Settings,
    environment: dict[str, str],
    tmp_path: Path,
) -> None:
    land(engine, traffic())
    env = os.environ | environment | {"VIGIA_INGEST_BATCH_SIZE": "5"}

    child = subprocess.run(
        [sys.executable, "-c", CHILD, step], env=env, capture_output=True, timeout=120
    )
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()
    partial = collect_status(engine)
    assert 0 < partial["landing"]["processed"] < 36
    ingest_pending(engine, settings)

    reference = _uninterrupted(tmp_path / "reference")
    assert snapshot(engine) == reference
    assert reference[0]["landing"]["processed"] == 36


def _uninterrupted(folder: Path) -> tuple[dict, list[tuple[str, str]]]:
    from vigia.db import get_engine

    folder.mkdir()
    reference = Settings(
        data_dir=folder,
        database_url=f"sqlite:///{folder / 'vigia.db'}",
        pseudonym_key="test-pseudonym-key",
        te_atiende_phone_number_id=TE_ATIENDE_ID,
        denuncia_phone_number_id=DENUNCIA_ID,
        ingest_batch_size=5,
    )
    engine = get_engine(reference)
    land(engine, traffic())
    ingest_pending(engine, reference)
    return snapshot(engine)
