"""The pipeline flow: every five minutes, turn what landed into cases."""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger
from prefect.artifacts import create_table_artifact

from tasks.acknowledge import acknowledge_cases
from tasks.assign import route_cases
from tasks.classify import classify_cases
from tasks.group import group_cases
from tasks.ingest import ingest_landing
from tasks.runs import finish_run, start_run
from vigia.db import get_engine
from vigia.settings import get_settings

FLOW_NAME = "vigia-pipeline"


@flow(name=FLOW_NAME, retries=0)
def pipeline(max_batches: int | None = None) -> dict[str, Any]:
    """Ingest what landed; classify, group, acknowledge and route the cases."""
    engine = get_engine(get_settings())
    run_id = start_run(engine, FLOW_NAME)
    try:
        ingest_rows = ingest_landing(max_batches)
        create_table_artifact(
            key="ingest-counts",
            table=ingest_rows,
            description="Landing rows and messages per channel in this run.",
        )
        classify_rows = classify_cases(max_batches)
        create_table_artifact(
            key="classification-counts",
            table=classify_rows,
            description="Cases classified in this run, per topic and fraud signal.",
        )
        group_rows = group_cases(max_batches)
        create_table_artifact(
            key="grouping-counts",
            table=group_rows,
            description="Cases grouped into incidents in this run.",
        )
        ack_rows = acknowledge_cases()
        create_table_artifact(
            key="acknowledgment-counts",
            table=ack_rows,
            description="Acknowledgments sent to citizens in this run, per channel, "
            "with the cases that failed or had no phone.",
        )
        route_rows = route_cases()
        create_table_artifact(
            key="routing-counts",
            table=route_rows,
            description="Cases routed or re-routed in this run, per unit.",
        )
    except BaseException:
        finish_run(engine, run_id, "failed")
        raise
    counts = {
        "ingest": ingest_rows,
        "classify": classify_rows,
        "group": group_rows,
        "acknowledge": ack_rows,
        "route": route_rows,
    }
    finish_run(engine, run_id, "completed", counts)
    get_run_logger().info("pipeline run %d completed", run_id)
    return counts
