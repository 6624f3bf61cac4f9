"""What the classifiers concluded, per case and per message, with the model version."""

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from models.columns import json_column


class CaseLabel(SQLModel, table=True):
    """The classification of a case's whole conversation.

    ``messages_seen`` is the case's message count when it was classified: a
    case that grew since then, or a newer model, means classifying it again.
    """

    __tablename__ = "case_labels"

    case_id: int = Field(primary_key=True, foreign_key="cases.id")
    model_version: str = Field(max_length=32, index=True)
    topic: str = Field(max_length=16, index=True)
    topic_score: float
    fraud: list[str] = Field(sa_column=json_column())
    fraud_scores: dict[str, float] = Field(sa_column=json_column())
    evidence: list[dict[str, Any]] = Field(sa_column=json_column())
    entities: dict[str, Any] = Field(sa_column=json_column())
    has_fraud: bool = Field(index=True)
    needs_review: bool
    messages_seen: int
    classified_at: datetime


class MessageLabel(SQLModel, table=True):
    """The classification of one inbound message on its own."""

    __tablename__ = "message_labels"

    message_id: int = Field(primary_key=True, foreign_key="messages.id")
    model_version: str = Field(max_length=32)
    topic: str = Field(max_length=16)
    topic_score: float
    fraud: list[str] = Field(sa_column=json_column())
    needs_review: bool
