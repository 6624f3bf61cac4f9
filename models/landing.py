"""The landing table: every body exactly as it arrived, before any parsing."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, Index, LargeBinary
from sqlmodel import Field, SQLModel


class LandingStatus(StrEnum):
    """Where a landing row stands; a row is never deleted, only marked.

    Past its retention period a row's body is emptied (``purged_at`` set);
    the row, its sha256 and status stay, so a re-delivery is still known.
    """

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

    ``key`` is unique, so a body delivered or imported twice lands once. It
    is eight bytes of the body's sha256 read as a signed 64-bit integer: the
    first eight, unless a different body already holds them (about once in
    10^19 pairs of bodies), then the next eight, and so on; ``sha256`` tells
    the two apart. Bodies arrive in random key order, so every commit writes
    into pages all over the key's index: an index of 64-character strings
    outgrew the page cache near a million bodies and each commit rewrote
    most of it, where one of integers stays an eighth of the size.
    """

    __tablename__ = "landing"
    __table_args__ = (
        Index("ix_landing_status_id", "status", "id"),
        Index("ux_landing_key", "key", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=32)
    channel: str | None = Field(default=None, max_length=16)
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    sha256: str = Field(max_length=64)
    key: int = Field(sa_column=Column(BigInteger, nullable=False))
    received_at: datetime
    status: str = Field(default=LandingStatus.PENDING, max_length=16)
    reason: str | None = Field(default=None, max_length=2000)
    processed_at: datetime | None = None
    purged_at: datetime | None = None


class LandingPurge(SQLModel, table=True):
    """One run of the retention purge: when, up to which arrival, what it freed.

    ``cutoff`` applies to processed and ignored rows, ``rejected_cutoff`` to
    rejected ones, which are kept longer for review.
    """

    __tablename__ = "landing_purges"

    id: int | None = Field(default=None, primary_key=True)
    purged_at: datetime
    cutoff: datetime
    rejected_cutoff: datetime
    rows: int
    bytes_freed: int = Field(sa_column=Column(BigInteger, nullable=False))
