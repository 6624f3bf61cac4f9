"""Two Prefect process workers on one work pool, the Prefect server on PostgreSQL.

docs/deployment.md keeps the Prefect server's database on PostgreSQL and lets
several process workers pull the pipeline's flow runs from one work pool.
Here that runs for real: `prefect server start` on a fresh PostgreSQL
database, the pipeline deployed from this checkout on a process pool with
Vigía's variables as job variables, two `prefect worker start` processes, and
four flow runs created at once, each allowed a few ingest batches of
generated traffic. Every run completes, both workers run some of them, the
runs together take each batch once and classify each case once, and after
the leftovers are run in process Vigía's database holds what one
uninterrupted run leaves on a database of its own.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine, create_engine, select, text

from classifiers.classifier import TrainedModels
from models import PipelineRun
from tasks.assign import route_pending
from tasks.classify import classify_pending
from tasks.group import group_pending
from tasks.ingest import ingest_pending
from tasks.routing import load_rules
from tests.conftest import REPO, fresh_postgres_database
from tests.flows.test_concurrent_runs import counts, one_run, traffic
from tests.tasks.test_crash import snapshot
from vigia.landing import land
from vigia.local_server import ServerDidNotStart, free_port, wait_until_up
from vigia.settings import Settings
from vigia.status import collect_status

if TYPE_CHECKING:
    from prefect.client.schemas.objects import FlowRun

pytestmark = pytest.mark.slow

POOL = "vigia-on-postgres"
WORKERS = ("worker-a", "worker-b")
RUNS = 4
BATCH_SIZE = 40  # landing rows per ingest batch; a sender's 4 messages stay in one
BATCHES_PER_RUN = 3  # traffic() lands 15 batches: the runs take 12, none takes all
WAIT_SECONDS = 120  # for the server to answer, the workers to register, the runs


@pytest.fixture
def prefect_database() -> Iterator[str]:
    """A fresh PostgreSQL database for the Prefect server, dropped after."""
    with fresh_postgres_database("prefect_test") as url:
        yield url


@pytest.fixture
def prefect_server(tmp_path: Path, prefect_database: str) -> Iterator[str]:
    """`prefect server start` on loopback, its database on PostgreSQL; its API URL.

    This process's Prefect client talks to it for the length of the test.
    """
    from prefect.settings import PREFECT_API_URL, temporary_settings

    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    database = prefect_database.replace("+psycopg", "+asyncpg", 1)
    env = prefect_environment(tmp_path) | {
        "PREFECT_API_DATABASE_CONNECTION_URL": database
    }
    log = tmp_path / "server.log"

    server = start_prefect(["server", "start", "--host", "127.0.0.1",
                            "--port", str(port)], env, log)  # fmt: skip
    try:
        wait_for_health(api, server, log)
        with temporary_settings(updates={PREFECT_API_URL: api}):
            yield api
    finally:
        stop([server])


@pytest.fixture
def workers(tmp_path: Path, prefect_server: str) -> Iterator[list[Path]]:
    """A process pool and two workers pulling from it; yields their output files."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.workers.process import ProcessWorker

    template = ProcessWorker.get_default_base_job_template()
    with get_client(sync_client=True) as client:
        client.create_work_pool(
            WorkPoolCreate(name=POOL, type="process", base_job_template=template)
        )
    env = prefect_environment(tmp_path) | {
        "PREFECT_API_URL": prefect_server,
        "PREFECT_WORKER_QUERY_SECONDS": "1",  # the default 10 s is most of a run
    }
    logs = [tmp_path / f"{name}.log" for name in WORKERS]

    started = [
        start_prefect(["worker", "start", "--pool", POOL, "--type", "process",
                       "--name", name, "--limit", "1"], env, log)
        for name, log in zip(WORKERS, logs, strict=True)
    ]  # fmt: skip
    try:
        yield logs
    finally:
        stop(started)


def prefect_environment(tmp_path: Path) -> dict[str, str]:
    """This process's environment for a Prefect process, without its settings."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("PREFECT_", "VIGIA_"))
    }
    return inherited | {
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PYTHONUNBUFFERED": "1",
    }


def start_prefect(
    arguments: list[str], env: dict[str, str], log: Path
) -> subprocess.Popen[bytes]:
    """Run the `prefect` command line with its output in ``log``.

    A file, not a pipe: a pipe nobody reads fills up and stops the process.
    """
    with log.open("wb") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "prefect", *arguments],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=REPO,
        )


def stop(processes: list[subprocess.Popen[bytes]], timeout: float = 15) -> None:
    """Terminate the processes and every process they started; kill what stays."""
    import psutil

    tree: list[psutil.Process] = []
    for process in processes:
        if process.poll() is None:
            parent = psutil.Process(process.pid)
            tree += [parent, *parent.children(recursive=True)]
    for member in tree:
        with contextlib.suppress(psutil.NoSuchProcess):
            member.terminate()
    _, alive = psutil.wait_procs(tree, timeout=timeout)
    for member in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            member.kill()
    psutil.wait_procs(alive, timeout=timeout)
    for process in processes:
        process.wait(timeout=timeout)


def wait_for_health(api: str, server: subprocess.Popen[bytes], log: Path) -> None:
    """Return once the API answers /health; fail with the server's output."""
    try:
        wait_until_up(api, server, timeout=WAIT_SECONDS, health="/health")
    except ServerDidNotStart as error:
        pytest.fail(f"the Prefect server did not start ({error}):\n{tail([log])}")


def tail(logs: list[Path], size: int = 3_000) -> str:
    """The end of each process's output, for a failure message."""
    return "\n".join(
        f"--- {log.name}\n{log.read_text(errors='replace')[-size:]}" for log in logs
    )


def deploy_pipeline(env: dict[str, str]) -> uuid.UUID:
    """The pipeline deployed from this checkout on the pool, with no schedule."""
    from prefect import Flow

    pipeline = Flow.from_source(source=REPO, entrypoint="flows/pipeline.py:pipeline")
    deployment = pipeline.to_deployment(
        name="pipeline-on-demand", work_pool_name=POOL, job_variables={"env": env}
    )
    return deployment.apply()


def wait_for_workers(logs: list[Path]) -> None:
    """Return once both workers have registered with the pool."""
    from prefect.client.orchestration import get_client

    deadline = time.monotonic() + WAIT_SECONDS
    with get_client(sync_client=True) as client:
        while time.monotonic() < deadline:
            found = {worker.name for worker in client.read_workers_for_work_pool(POOL)}
            if found >= set(WORKERS):
                return
            time.sleep(0.5)
    pytest.fail(f"the workers did not register:\n{tail(logs)}")


def run_at_once(deployment_id: uuid.UUID, logs: list[Path]) -> list[FlowRun]:
    """Create the flow runs together; return them once every one has ended."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    limit = {"max_batches": BATCHES_PER_RUN}
    deadline = time.monotonic() + WAIT_SECONDS
    with get_client(sync_client=True) as client:
        ids = [
            client.create_flow_run_from_deployment(deployment_id, parameters=limit).id
            for _ in range(RUNS)
        ]
        ours = FlowRunFilter(id=FlowRunFilterId(any_=ids))
        while time.monotonic() < deadline:
            runs = client.read_flow_runs(flow_run_filter=ours)
            if all(run.state is not None and run.state.is_final() for run in runs):
                return runs
            time.sleep(0.5)
    pytest.fail(f"the flow runs did not end in {WAIT_SECONDS} s:\n{tail(logs)}")


def recorded_in_prefect(database: str) -> tuple[int, bool]:
    """Completed flow runs in the server's own database; whether pg_trgm is there.

    Only Prefect's PostgreSQL migrations create the pg_trgm extension.
    """
    engine = create_engine(database)
    with engine.connect() as connection:
        completed = connection.scalar(
            text("SELECT count(*) FROM flow_run WHERE state_type = 'COMPLETED'")
        )
        trigrams = connection.scalar(
            text("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'")
        )
    engine.dispose()
    return int(completed or 0), trigrams == 1


def recorded_in_vigia(engine: Engine) -> tuple[int, int]:
    """Rows received and cases classified, summed over the recorded pipeline runs."""
    with engine.connect() as connection:
        runs = connection.scalars(select(PipelineRun.counts)).all()
    received = sum(row["received"] for run in runs for row in run["ingest"])
    classified = sum(
        row["cases"]
        for run in runs
        for row in run["classify"]
        if row["label"].startswith("topic:")  # one topic per case classified
    )
    return received, classified


def finish_in_process(engine: Engine, settings: Settings, models: TrainedModels) -> int:
    """Run every stage on what the flow runs left; returns the cases classified."""
    ingest_pending(engine, settings)
    classified = classify_pending(engine, models).cases
    group_pending(engine, settings.data_dir)
    route_pending(engine, load_rules())
    return classified


def conversations(pairs: list[tuple[str, str]]) -> tuple[list[tuple[str, ...]], set]:
    """Each case as the sorted ids of its messages, and the set of folios.

    Batches stored side by side commit in either order, so which case got
    which folio number may differ from one uninterrupted run; which messages
    make up each case and which folios were handed out may not.
    """
    cases: dict[str, list[str]] = defaultdict(list)
    for wamid, folio in pairs:
        cases[folio].append(wamid)
    return sorted(tuple(sorted(wamids)) for wamids in cases.values()), set(cases)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_two_workers_on_one_pool_end_where_one_run_does(
    postgres_url: str,  # first, so that a missing PostgreSQL skips before training
    workers: list[Path],
    prefect_database: str,
    environment: dict[str, str],
    settings: Settings,
    engine: Engine,
    installed_models: TrainedModels,
    tmp_path: Path,
) -> None:
    landed = land(engine, traffic()).landed
    reference = one_run(tmp_path / "reference", installed_models)
    job_env = environment | {"VIGIA_INGEST_BATCH_SIZE": str(BATCH_SIZE)}

    deployment_id = deploy_pipeline(job_env)
    wait_for_workers(workers)
    runs = run_at_once(deployment_id, workers)

    states = [run.state.type.value for run in runs]
    assert states == ["COMPLETED"] * RUNS, tail(workers)
    assert {run.labels["prefect.worker.name"] for run in runs} == set(WORKERS)
    assert recorded_in_prefect(prefect_database) == (RUNS, True)
    taken = RUNS * BATCHES_PER_RUN * BATCH_SIZE
    assert collect_status(engine)["landing"]["processed"] == taken  # none twice
    received, classified = recorded_in_vigia(engine)
    assert received == taken

    classified += finish_in_process(engine, settings, installed_models)

    assert classified == counts(engine)["cases"]  # each case classified once
    assert snapshot(engine)[0] == reference[0][0]  # every count of `vigia status`
    assert counts(engine) == reference[1]  # labels, incidents, routing, folios
    assert counts(engine)["folios"] == counts(engine)["cases"]
    assert conversations(snapshot(engine)[1]) == conversations(reference[0][1])
    assert collect_status(engine)["landing"]["processed"] == landed
