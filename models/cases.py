"""Cases: a sender's conversation on one channel, known by its folio."""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

FOLIO_PREFIXES = {"te_atiende": "ATE", "denuncia": "DEN", "portal": "POR"}
"""Folio prefix per channel, as citizens see it: ``ATE-2026-000123``."""


class Case(SQLModel, table=True):
    """Consecutive messages of one sender on one channel, until a quiet gap.

    The folio is the citizen-facing reference; it is unique and never reused.
    """

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_sender_channel_last", "sender", "channel", "last_message_at"),
        Index("ix_cases_opened_at_id", "opened_at", "id"),  # grouping, oldest first
    )

    id: int | None = Field(default=None, primary_key=True)
    folio: str = Field(max_length=20, unique=True)
    channel: str = Field(max_length=16, index=True)
    sender: str = Field(max_length=32)
    opened_at: datetime
    last_message_at: datetime
    message_count: int = 0
    status: str = Field(default="received", max_length=24)
    updated_at: datetime


class FolioCounter(SQLModel, table=True):
    """The last folio number issued per prefix and year; it only grows."""

    __tablename__ = "folio_counters"

    prefix: str = Field(primary_key=True, max_length=3)
    year: int = Field(primary_key=True)
    last_value: int = 0
