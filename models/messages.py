"""Parsed messages and the delivery statuses of outbound ones."""

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from models.columns import json_column

ACKNOWLEDGMENT = "acknowledgment"
"""``type`` of the automatic acknowledgment Vigía sends a new case: not an answer."""

AUTOMATIC_ANSWER = "automatic_answer"
"""``type`` of an acknowledgment that also carries a curated answer from
``config/answers.yaml`` (requirements, payments, ...): automatic, not a person's."""

LOOKUP_REPLY = "lookup_reply"
"""``type`` of Vigía's reply to a folio lookup sent by WhatsApp: not an answer."""

AUTOMATIC_TYPES = (ACKNOWLEDGMENT, AUTOMATIC_ANSWER, LOOKUP_REPLY)
"""Outbound types Vigía writes by itself; none of them is a first answer."""

FOLIO_LOOKUP = "folio_lookup"
"""``type`` given to an inbound text that only asks the status of a folio
("folio ATE-2026-000123 código 4821"): it joins no case and is not classified."""


class Message(SQLModel, table=True):
    """One WhatsApp message or portal submission, inbound or outbound.

    ``wamid`` is WhatsApp's message id; exports and the portal get a stable
    synthetic one, so re-importing the same file adds nothing. ``landing_id``
    is the landing row it was parsed from, None for the messages Vigía sends
    itself (acknowledgments), which never arrived as a body.
    """

    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_channel_direction", "channel", "direction"),
        # Only Vigía's own replies are looked up by sender (a folio lookup's
        # answer). Senders' pseudonyms are random keys: indexing every inbound
        # message by them cost ingest a page write per message at a million.
        Index(
            "ix_messages_outbound_sender",
            "sender",
            sqlite_where=text("direction = 'out'"),
            postgresql_where=text("direction = 'out'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    wamid: str = Field(max_length=255, unique=True)
    channel: str = Field(max_length=16)
    direction: str = Field(default="in", max_length=3)
    sender: str = Field(max_length=32)
    case_id: int | None = Field(default=None, foreign_key="cases.id", index=True)
    sent_at: datetime
    type: str = Field(max_length=32)
    text: str | None = Field(default=None, sa_column=Column(Text))
    media: dict[str, Any] | None = Field(default=None, sa_column=json_column())
    context: dict[str, Any] | None = Field(default=None, sa_column=json_column())
    forwarded: bool = False
    landing_id: int | None = Field(default=None, foreign_key="landing.id", index=True)


class MessageStatus(SQLModel, table=True):
    """A delivery status (sent, delivered, read, failed) of an outbound message."""

    __tablename__ = "message_statuses"
    # Also the index of the statuses of one message (by wamid).
    __table_args__ = (UniqueConstraint("wamid", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    wamid: str = Field(max_length=255)
    channel: str = Field(max_length=16)
    status: str = Field(max_length=16)
    at: datetime
    recipient: str | None = Field(default=None, max_length=32, index=True)
    errors: list[Any] | None = Field(default=None, sa_column=json_column())
    landing_id: int = Field(foreign_key="landing.id")
