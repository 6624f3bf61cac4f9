"""Classification on a local Dask cluster: every case once, as one process does it.

The pipeline flow sends one task per range of case ids to two worker
processes; the labels must be those of classifying in the test's own process.

Run by ``test_classification_dask.py`` in a pytest of its own: the Dask
scheduler's loop thread stays in the process that started it, and the rest of
the suite should not share it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from flows.classification import classify_on_dask, dask_runner
from models import Case, CaseLabel, Message, MessageLabel
from tasks.classify import case_ranges, classify_pending
from tasks.ingest import ingest_pending
from tests.flows.test_concurrent_runs import traffic
from vigia.landing import land
from vigia.settings import Settings, get_settings

pytestmark = pytest.mark.slow


@pytest.fixture
def dask_settings(
    sqlite_environment: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    trained_models,
) -> Settings:
    """SQLite settings with a local cluster of two workers, models in place."""
    from classifiers.store import model_path

    monkeypatch.setenv("VIGIA_DASK_WORKERS", "2")
    monkeypatch.setenv("VIGIA_CLASSIFY_RANGE_CASES", "100")
    get_settings.cache_clear()
    settings = get_settings()
    model_path(settings).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(trained_models.path, model_path(settings))
    return settings


def test_two_dask_workers_classify_every_case_once_as_one_process_does(
    prefect_api: str, dask_settings: Settings, trained_models, tmp_path: Path
) -> None:
    from vigia.db import get_engine

    engine = get_engine(dask_settings)
    land(engine, traffic())
    ingest_pending(engine, dask_settings)
    ranges = case_ranges(engine, trained_models.version, 100)

    rows = classify_on_dask.with_options(task_runner=dask_runner(dask_settings))()

    cases = _count(engine, Case)
    topics = sum(row["cases"] for row in rows if row["label"].startswith("topic:"))
    assert len(ranges) == 2  # work for both workers
    assert topics == cases == _count(engine, CaseLabel)
    assert _count(engine, MessageLabel) == _count(engine, Message, inbound=True)
    assert _labels(engine) == _labels(_in_process(tmp_path / "alone", trained_models))


def test_without_a_cluster_the_pipeline_classifies_in_process(
    sqlite_environment: dict[str, str],
) -> None:
    assert dask_runner(get_settings()) is None


def _count(engine: Engine, model: type, inbound: bool = False) -> int:
    query = select(func.count()).select_from(model)
    if inbound:
        query = query.where(Message.direction == "in")
    with engine.connect() as connection:
        return int(connection.scalar(query) or 0)


def _labels(engine: Engine) -> tuple[list[tuple], list[tuple]]:
    """Every label, with scores rounded: what a reader of the tables sees."""
    with engine.connect() as connection:
        cases = connection.execute(
            select(
                Case.folio,
                CaseLabel.topic,
                func.round(CaseLabel.topic_score, 6),
                CaseLabel.fraud,
                CaseLabel.needs_review,
                CaseLabel.messages_seen,
            )
            .join(Case, Case.id == CaseLabel.case_id)
            .order_by(Case.folio)
        ).all()
        messages = connection.execute(
            select(Message.wamid, MessageLabel.topic, MessageLabel.fraud)
            .join(Message, Message.id == MessageLabel.message_id)
            .order_by(Message.wamid)
        ).all()
    return [tuple(row) for row in cases], [tuple(row) for row in messages]


def _in_process(folder: Path, models) -> Engine:
    """The same traffic classified in this process, on a database of its own."""
    from vigia.db import get_engine

    folder.mkdir()
    alone = Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'v.db'}")
    engine = get_engine(alone)
    land(engine, traffic())
    ingest_pending(engine, get_settings())  # the same numbers and pseudonym key
    classify_pending(engine, models)
    return engine
