"""The audit trail of a case: every change of status, never overwritten."""

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel


class CaseEvent(SQLModel, table=True):
    """One step in a case's life: who moved it, when, from which status to which.

    ``actor`` is who decided (``vigia`` for the pipeline itself, a unit id, or
    the name a person gave with ``--by``); ``source`` is how the change came
    in (``pipeline``, ``cli``, ``csv:<file name>``, ``whatsapp``). Rows are
    only ever added: the case's current status is the latest row's
    ``to_status``, kept on the case too for fast queries.
    """

    __tablename__ = "case_events"
    __table_args__ = (Index("ix_case_events_case_at", "case_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id")
    at: datetime = Field(index=True)
    actor: str = Field(max_length=64)
    source: str = Field(max_length=128)
    from_status: str | None = Field(default=None, max_length=24)
    to_status: str = Field(max_length=24, index=True)
    note: str | None = Field(default=None, sa_column=Column(Text))
    recorded_at: datetime
