"""Benchmark of the whole pipeline on generated traffic, against a floor.

`vigia bench pipeline --messages N` writes N messages of demo traffic (not
timed), then measures each size in a fresh process, so that its peak memory
is that size's own. The child lands the traffic into a new SQLite file and
runs the real flows against a temporary Prefect server: the pipeline, the
fraud list, and the weekly report of the traffic's last week. Starting the
server is timed apart and left out of the pipeline's time.

Every process that classifies has its models loaded before the clock starts,
as a long-running worker (`vigia serve`, a standing Dask cluster) has them.
Each stage is timed from inside its task, so what the flows' wall time spends
outside the stages (creating runs and states, publishing artifacts, writing
the run record) is the orchestration. The flows run as a foreground `vigia
run` does, without Prefect's heartbeats (see
:func:`vigia.prefect_env.foreground_flow_runs`). The floor is the
classifiers alone in the same process: the texts the pipeline sent to the
models, batch by batch, normalised, tokenised, vectorised and predicted with
no database and no Prefect. Reading those texts back is not timed; the peak
memory is taken before the floor, so it is the pipeline's.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vigia.bench import BENCH_END, BENCH_NUMBERS
from vigia.settings import Settings

if TYPE_CHECKING:
    from classifiers.pool import ClassifierPool

CLASSIFY_BATCH = 2_000  # cases per batch, as tasks.classify.classify_pending reads
STAGES = (
    "land", "ingest", "classify", "group", "acknowledge", "lookup", "route",
    "fraud_list", "weekly_report",
)  # fmt: skip


def run_pipeline_benchmarks(
    sizes: list[int], dask_workers: int, as_json: bool, classify_workers: int = 1
) -> None:
    """Measure each size in its own process; print a table or one JSON per size.

    With ``dask_workers``, classification runs on a local Dask cluster of that
    many worker processes, started before the clock like the Prefect server;
    with ``classify_workers``, on that many worker processes of the pipeline's
    own (``VIGIA_CLASSIFY_WORKERS``), also started before the clock.
    """
    from classifiers.store import load_or_train, model_path
    from vigia.settings import get_settings

    settings = get_settings()
    load_or_train(settings)  # trained once here, not inside a measured run
    results = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="vigia-bench-pipeline-") as folder:
            traffic = Path(folder) / "traffic.jsonl"
            _write_traffic(traffic, size)
            workers = (dask_workers, classify_workers)
            results.append(_in_child(traffic, model_path(settings), *workers))
        print(json.dumps(results[-1]) if as_json else describe(results[-1]))  # noqa: T201
    if len(results) > 1 and not as_json:
        print(describe_growth(results[0], results[-1]))  # noqa: T201


def _write_traffic(traffic: Path, size: int) -> None:
    os.environ.update({k: os.environ.get(k, v) for k, v in BENCH_NUMBERS.items()})
    from vigia.demo_files import write_demo_traffic

    write_demo_traffic(traffic, messages=size, seed=1, weeks=6, end=BENCH_END)


def _in_child(
    traffic: Path, models: Path, dask_workers: int, classify_workers: int
) -> dict[str, Any]:
    command = [
        sys.executable, "-m", "vigia.bench_pipeline", str(traffic), str(models),
        str(dask_workers), str(classify_workers),
    ]  # fmt: skip
    child = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(child.stdout.strip().splitlines()[-1])


@dataclass
class StageClock:
    """Seconds spent inside each stage's task body, summed over its calls."""

    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def timing(self, stages: list[tuple[str, Any]]) -> Iterator[None]:
        """Time the bodies of these Prefect tasks and flows while the block runs."""
        originals = [runnable.fn for _, runnable in stages]
        for name, runnable in stages:
            runnable.fn = self._timed(name, runnable.fn)
        try:
            yield
        finally:
            for (_, runnable), original in zip(stages, originals, strict=True):
                runnable.fn = original

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time a stage that runs outside any flow."""
        started = time.perf_counter()
        try:
            yield
        finally:
            elapsed = time.perf_counter() - started
            self.seconds[name] = self.seconds.get(name, 0.0) + elapsed

    def _timed(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        from functools import wraps

        @wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.stage(name):
                return fn(*args, **kwargs)

        return timed


def _stage_tasks() -> list[tuple[str, Any]]:
    """The task (or subflow) of each stage the flows run, with the stage's name.

    Classification on Dask is timed as the body of its subflow, from planning
    the ranges to the last result: the workers run in other processes.
    """
    from flows.classification import classify_on_dask
    from flows.weekly_report import render_weekly_report
    from tasks.acknowledge import acknowledge_cases
    from tasks.assign import route_cases
    from tasks.classify import classify_cases
    from tasks.fraud_list import publish_fraud_list_task
    from tasks.group import group_cases
    from tasks.ingest import ingest_landing
    from tasks.lookup_replies import answer_folio_lookups

    return [
        ("ingest", ingest_landing),
        ("classify", classify_cases),
        ("classify", classify_on_dask),
        ("group", group_cases),
        ("acknowledge", acknowledge_cases),
        ("lookup", answer_folio_lookups),
        ("route", route_cases),
        ("fraud_list", publish_fraud_list_task),
        ("weekly_report", render_weekly_report),
    ]


def measure_pipeline(
    traffic: Path, models: Path, dask_workers: int, classify_workers: int = 1
) -> dict[str, Any]:
    """Run the flows over a traffic file in this process; time them and the floor."""
    with tempfile.TemporaryDirectory(prefix="vigia-bench-pipeline-db-") as folder:
        settings = _bench_settings(Path(folder), models, classify_workers)
        from prefect.testing.utilities import prefect_test_harness

        started = time.perf_counter()
        with (
            prefect_test_harness(server_startup_timeout=180),
            _cluster(dask_workers) as workers_peak_mb,
        ):
            pool = _load_models()
            startup_seconds = time.perf_counter() - started
            clock = StageClock()
            flow_seconds, messages = _run_flows(clock, traffic)
            peak_rss_mb = _peak_rss_mb() + sum(workers_peak_mb())
            if pool is not None:
                peak_rss_mb += sum(pool.peak_rss_mb())
                pool.close()
        floor_seconds, floor_texts = _floor(settings)
    return figures(
        clock, messages, flow_seconds, startup_seconds, peak_rss_mb, floor_seconds
    ) | {
        "floor_texts": floor_texts,
        "dask_workers": dask_workers,
        "classify_workers": classify_workers,
    }


@contextmanager
def _cluster(workers: int) -> Iterator[Callable[[], list[float]]]:
    """A local Dask cluster the flows classify on, when ``workers`` is not 0.

    Yields a function giving each worker's peak memory so far, in MB.
    """
    if not workers:
        yield list
        return
    from distributed import Client, LocalCluster

    from vigia.settings import get_settings

    with (
        LocalCluster(
            n_workers=workers,
            processes=True,
            threads_per_worker=1,
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        os.environ["VIGIA_DASK_ADDRESS"] = cluster.scheduler_address
        get_settings.cache_clear()
        client.run(_load_models)  # as warm as a standing cluster's workers
        yield lambda: list(client.run(_peak_rss_mb).values())


def _load_models() -> ClassifierPool | None:
    """Load the models, as a long-running worker holds them; start its pool."""
    from tasks.classify import process_models, process_pool
    from vigia.settings import get_settings

    process_models(get_settings())
    return process_pool(get_settings())


def _bench_settings(folder: Path, models: Path, classify_workers: int = 1) -> Settings:
    """Point Vigía and Prefect at a fresh folder holding a copy of the models."""
    from classifiers.store import model_path
    from vigia.prefect_env import configure_prefect
    from vigia.settings import get_settings

    for name in [name for name in os.environ if name.startswith("VIGIA_")]:
        del os.environ[name]  # a configured database or Dask cluster stays out
    os.environ.update(
        BENCH_NUMBERS
        | {
            "VIGIA_DATA_DIR": str(folder),
            "VIGIA_CLASSIFY_WORKERS": str(classify_workers),
        }
    )
    get_settings.cache_clear()
    settings = get_settings()
    configure_prefect(settings)
    target = model_path(settings)
    target.parent.mkdir(parents=True)
    shutil.copy(models, target)
    return settings


def _run_flows(clock: StageClock, traffic: Path) -> tuple[float, int]:
    """Land the traffic, then run the three flows; returns their wall time."""
    from flows.fraud_list import fraud_list
    from flows.pipeline import pipeline
    from flows.weekly_report import weekly_report
    from reports.week import Week
    from vigia.db import get_engine
    from vigia.landing import land, read_backfill
    from vigia.prefect_env import foreground_flow_runs
    from vigia.wal import checkpoints_aside

    engine = get_engine()
    with clock.stage("land"), checkpoints_aside(engine):  # as `vigia ingest` lands
        land(engine, read_backfill(traffic))

    last_week = Week.containing(BENCH_END).previous().label
    started = time.perf_counter()
    with clock.timing(_stage_tasks()), foreground_flow_runs():
        counts = pipeline()
        fraud_list()
        weekly_report(last_week)
    flow_seconds = time.perf_counter() - started
    return flow_seconds, sum(row["new_messages"] for row in counts["ingest"])


def _floor(settings: Settings) -> tuple[float, int]:
    """Seconds the models alone take over the texts the pipeline classified."""
    from sqlalchemy import select

    from classifiers.classifier import TrainedModels, classify
    from classifiers.store import model_path
    from models import Case
    from tasks.classify import texts_of_cases
    from vigia.db import get_engine

    models = TrainedModels.load(model_path(settings))
    engine = get_engine(settings)
    with engine.connect() as connection:
        case_ids = list(connection.scalars(select(Case.id).order_by(Case.id)))
    seconds, texts = 0.0, 0
    for start in range(0, len(case_ids), CLASSIFY_BATCH):
        with engine.connect() as connection:
            batch = texts_of_cases(connection, case_ids[start : start + CLASSIFY_BATCH])
        started = time.perf_counter()
        for _ in classify(models, batch):
            pass
        seconds += time.perf_counter() - started
        texts += len(batch)
    engine.dispose()
    return seconds, texts


def figures(
    clock: StageClock,
    messages: int,
    flow_seconds: float,
    startup_seconds: float,
    peak_rss_mb: float,
    floor_seconds: float,
) -> dict[str, Any]:
    """The figures of one size: rates, floor, orchestration share and stages."""
    seconds = clock.seconds["land"] + flow_seconds
    inside = sum(v for name, v in clock.seconds.items() if name != "land")
    rate, floor_rate = messages / seconds, messages / floor_seconds
    return {
        "messages": messages,
        "seconds": round(seconds, 2),
        "messages_per_second": round(rate, 1),
        "floor_messages_per_second": round(floor_rate, 1),
        "ratio_to_floor": round(rate / floor_rate, 3),
        "orchestration_share": round((flow_seconds - inside) / flow_seconds, 4),
        "peak_rss_mb": round(peak_rss_mb, 1),
        "stages": {name: round(clock.seconds.get(name, 0.0), 2) for name in STAGES},
        "orchestration_seconds": round(flow_seconds - inside, 2),
        "floor_seconds": round(floor_seconds, 2),
        "startup_seconds": round(startup_seconds, 2),
    }


def describe(result: dict[str, Any]) -> str:
    """A few lines for people: the headline figures, then one line per stage."""
    lines = [
        f"pipeline {result['messages']:,} messages: {result['seconds']:,.1f} s, "
        f"{result['messages_per_second']:,.0f} msg/s; floor "
        f"{result['floor_messages_per_second']:,.0f} msg/s "
        f"({result['floor_texts']:,} texts in {result['floor_seconds']:,.1f} s), "
        f"ratio to floor {result['ratio_to_floor']:.2f}",
        f"  orchestration {result['orchestration_seconds']:,.1f} s "
        f"({result['orchestration_share']:.1%} of the flows' wall time), peak RSS "
        f"{result['peak_rss_mb']:,.0f} MB; starting the Prefect server"
        f"{' and Dask cluster' if result['dask_workers'] else ''}"
        f"{' and classifying workers' if result.get('classify_workers', 1) > 1 else ''}"
        " took "
        f"{result['startup_seconds']:.1f} s (not counted)",
    ]
    lines += [
        f"  {name:<14}{seconds:>10,.2f} s" for name, seconds in result["stages"].items()
    ]
    return "\n".join(lines)


def describe_growth(base: dict[str, Any], top: dict[str, Any]) -> str:
    """How each stage's time and the peak memory grew between two sizes."""
    lines = [
        f"from {base['messages']:,} to {top['messages']:,} messages "
        f"({top['messages'] / base['messages']:.1f}x): time "
        f"{top['seconds'] / base['seconds']:.2f}x, peak memory "
        f"{top['peak_rss_mb'] / base['peak_rss_mb']:.2f}x"
    ]
    for name, seconds in top["stages"].items():
        before = base["stages"][name]
        growth = f"{seconds / before:.2f}x" if before >= 0.01 else "n/a"
        lines.append(f"  {name:<14}{before:>10,.2f} s -> {seconds:>9,.2f} s  {growth}")
    return "\n".join(lines)


def _peak_rss_mb() -> float:
    """Peak resident memory of this process (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    traffic, models = Path(sys.argv[1]), Path(sys.argv[2])
    workers = int(sys.argv[3]), int(sys.argv[4])
    print(json.dumps(measure_pipeline(traffic, models, *workers)))  # noqa: T201
