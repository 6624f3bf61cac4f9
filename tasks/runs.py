"""A record of each pipeline run in Vigía's own database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, insert, update

from models import PipelineRun
from vigia.db import utcnow


def start_run(engine: Engine, flow: str) -> int:
    """Record that a run of ``flow`` started; returns its id."""
    table = PipelineRun.__table__
    with engine.begin() as connection:
        result = connection.execute(
            insert(table).values(flow=flow, started_at=utcnow(), state="running")
        )
        return int(result.inserted_primary_key[0])


def finish_run(
    engine: Engine, run_id: int, state: str, counts: dict[str, Any] | None = None
) -> None:
    """Record how a run ended (``completed`` or ``failed``) and its counts."""
    table = PipelineRun.__table__
    with engine.begin() as connection:
        connection.execute(
            update(table)
            .where(table.c.id == run_id)
            .values(finished_at=utcnow(), state=state, counts=counts)
        )
