"""The pipeline flow: every five minutes, turn what landed into cases."""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger
from prefect.artifacts import create_table_artifact

from flows.classification import classify_stage
from tasks.acknowledge import acknowledge_cases
from tasks.assign import route_cases
from tasks.group import group_cases
from tasks.ingest import ingest_landing
from tasks.lookup_replies import answer_folio_lookups
from tasks.runs import finish_run, start_run
from vigia.db import get_engine
from vigia.settings import get_settings
from vigia.wal import checkpoints_aside

FLOW_NAME = "vigia-pipeline"


@flow(name=FLOW_NAME, retries=0)
def pipeline(max_batches: int | None = None) -> dict[str, Any]:
    """Ingest what landed; classify, group, acknowledge and route the cases.

    Folio lookups sent by WhatsApp are answered between acknowledging and routing.
    """
    engine = get_engine(get_settings())
    run_id = start_run(engine, FLOW_NAME)
    try:
        with checkpoints_aside(engine):
            counts = _stages(max_batches)
    except BaseException:
        finish_run(engine, run_id, "failed")
        raise
    finish_run(engine, run_id, "completed", counts)
    get_run_logger().info("pipeline run %d completed", run_id)
    return counts


def _stages(max_batches: int | None) -> dict[str, Any]:
    """Each stage's task in order; each publishes its counts as an artifact."""
    return {
        "ingest": _published(
            "ingest-counts",
            "Landing rows and messages per channel in this run.",
            ingest_landing(max_batches),
        ),
        "classify": _published(
            "classification-counts",
            "Cases classified in this run, per topic and fraud signal.",
            classify_stage(max_batches),
        ),
        "group": _published(
            "grouping-counts",
            "Cases grouped into incidents in this run.",
            group_cases(max_batches),
        ),
        "acknowledge": _published(
            "acknowledgment-counts",
            "Acknowledgments sent to citizens in this run, per channel, with "
            "the cases that failed or had no phone.",
            acknowledge_cases(),
        ),
        "lookup": _published(
            "lookup-counts",
            "Folio lookups asked by WhatsApp and answered in this run, per "
            "line: answered, not found, throttled, failed.",
            answer_folio_lookups(),
        ),
        "route": _published(
            "routing-counts",
            "Cases routed or re-routed in this run, per unit.",
            route_cases(),
        ),
    }


def _published(
    key: str, description: str, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Publish a stage's counts as a table artifact of the run; return them."""
    create_table_artifact(key=key, table=rows, description=description)
    return rows
