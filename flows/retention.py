"""The retention flow: every night, empty the landed bodies past retention."""

from __future__ import annotations

from typing import Any

from prefect import flow
from prefect.artifacts import create_table_artifact

from tasks.retention import purge_landing_task

FLOW_NAME = "vigia-retention"


@flow(name=FLOW_NAME, retries=0)
def retention(dry_run: bool = False) -> dict[str, Any]:
    """Purge landing bodies past retention; the purge is recorded in the database."""
    purged = purge_landing_task(dry_run=dry_run)
    create_table_artifact(
        key="retention-purge",
        table=[purged],
        description="Landing bodies emptied after their retention period.",
    )
    return purged
