"""A record of every pipeline run, for `vigia status` and audits."""

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from models.columns import json_column


class PipelineRun(SQLModel, table=True):
    """One run of a flow: when, how it ended, and its counts."""

    __tablename__ = "pipeline_runs"

    id: int | None = Field(default=None, primary_key=True)
    flow: str = Field(max_length=64)
    started_at: datetime
    finished_at: datetime | None = None
    state: str = Field(default="running", max_length=16)
    counts: dict[str, Any] | None = Field(default=None, sa_column=json_column())
