"""The landing table: every body exactly as it arrived, before any parsing."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Index, LargeBinary
from sqlmodel import Field, SQLModel


class LandingStatus(StrEnum):
    """Where a landing row stands; a row is never deleted, only marked."""

    PENDING = "pending"
    PROCESSED = "processed"
    REJECTED = "rejected"
    IGNORED = "ignored"


class LandingSource(StrEnum):
    """How a body reached Vigía."""

    WHATSAPP_WEBHOOK = "whatsapp_webhook"
    WHATSAPP_EXPORT = "whatsapp_export"
    PORTAL_FORM = "portal_form"


class LandingRecord(SQLModel, table=True):
    """One delivered body, verbatim, with its processing outcome.

    The sha256 of the bytes is unique, so a body delivered or imported twice
    lands once.
    """

    __tablename__ = "landing"
    __table_args__ = (Index("ix_landing_status_id", "status", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=32)
    channel: str | None = Field(default=None, max_length=16)
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    sha256: str = Field(max_length=64, unique=True)
    received_at: datetime
    status: str = Field(default=LandingStatus.PENDING, max_length=16)
    reason: str | None = Field(default=None, max_length=2000)
    processed_at: datetime | None = None
