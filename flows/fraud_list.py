"""The fraud-list flow: every morning, the investigators' prioritised list."""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from tasks.fraud_list import publish_fraud_list_task

FLOW_NAME = "vigia-fraud-list"


@flow(name=FLOW_NAME, retries=0)
def fraud_list() -> dict[str, Any]:
    """Rank today's incidents with a fraud signal; write the CSV and the HTML page."""
    published = publish_fraud_list_task()
    create_table_artifact(
        key="fraud-list",
        table=published["top"],
        description="Incidentes con señal de fraude, los 50 de mayor prioridad.",
    )
    create_markdown_artifact(
        key="fraud-list-files",
        markdown=(
            f"**Lista de fraude**: {published['incidents']} incidentes.\n\n"
            f"- Página: `{published['html']}`\n- Hoja de cálculo: `{published['csv']}`"
        ),
        description="Where today's fraud list was written.",
    )
    get_run_logger().info("fraud list published: %d incidents", published["incidents"])
    return published
