"""Classification of the pipeline's cases, in its own process or on a Dask cluster.

Without a cluster the pipeline classifies in one task, as every other stage
does. With ``VIGIA_DASK_ADDRESS`` (a running cluster) or ``VIGIA_DASK_WORKERS``
(a local one started for the run), a subflow cuts the pending cases into id
ranges and sends one task per range to the cluster. A task is given two ids
and returns counts, so nothing per message crosses the network; each worker
reads and writes its cases in the database itself, claiming them as a
single process would.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from prefect import flow, get_run_logger

from tasks.classify import (
    ClassifySummary,
    case_ranges,
    classify_case_range,
    classify_cases,
    count_pending,
    process_models,
)
from vigia.db import get_engine
from vigia.settings import Settings, get_settings

if TYPE_CHECKING:
    from prefect_dask import DaskTaskRunner

FLOW_NAME = "vigia-classify-on-dask"
BATCH_SIZE = 2_000  # cases per transaction, as tasks.classify reads them
MIN_RANGES = 8  # so that every worker of a small cluster gets a share
MIN_RANGE_CASES = 500


def classify_stage(max_batches: int | None = None) -> list[dict[str, Any]]:
    """Classify what is pending where the settings say; returns counts per label."""
    settings = get_settings()
    runner = dask_runner(settings)
    if runner is None:
        return classify_cases(max_batches)
    return classify_on_dask.with_options(task_runner=runner)(max_batches)


def dask_runner(settings: Settings) -> DaskTaskRunner | None:
    """The task runner of the configured cluster, or None to stay in process."""
    if not (settings.dask_address or settings.dask_workers):
        return None
    # Imported only when a cluster is configured: distributed takes about a
    # third of a second to import, paid by every run that classifies in process.
    from prefect_dask import DaskTaskRunner

    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    return DaskTaskRunner(
        cluster_class="distributed.LocalCluster",
        cluster_kwargs={
            "n_workers": settings.dask_workers,
            "processes": True,
            "threads_per_worker": 1,
            "dashboard_address": None,
        },
    )


@flow(name=FLOW_NAME, retries=0)
def classify_on_dask(max_batches: int | None = None) -> list[dict[str, Any]]:
    """Send one classification task per range of pending case ids; sum the counts."""
    settings = get_settings()
    engine = get_engine(settings)
    version = process_models(settings).version  # trained here once, if need be
    limit = max_batches * BATCH_SIZE if max_batches is not None else None
    pending = count_pending(engine, version)
    if limit is not None:
        pending = min(pending, limit)
    share = max(-(-pending // MIN_RANGES), MIN_RANGE_CASES)
    ranges = case_ranges(
        engine, version, min(share, settings.classify_range_cases), limit
    )

    futures = [classify_case_range.submit(r.first, r.last) for r in ranges]
    summary = ClassifySummary()
    for future in futures:
        summary.merge(future.result())

    get_run_logger().info(
        "classified %d cases in %d ranges on Dask", summary.cases, len(ranges)
    )
    return summary.as_rows()
