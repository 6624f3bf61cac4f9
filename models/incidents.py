"""Incidents: the cases of several people about one event, and what links them.

An incident is known to investigators by its code (``INC-2026-000042``),
unique and never reused. Every grouped case belongs to exactly one incident;
most incidents hold a single case. When a new report shows that two
incidents are one (it names the accused of both), the younger incident is
*merged into* the older: its row stays, pointing at the survivor, so a code
an investigator wrote down still leads somewhere.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from models.columns import json_column


class Incident(SQLModel, table=True):
    """One event reported by one or more people."""

    __tablename__ = "incidents"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True)
    # Indexed: a merge moves the incidents already merged into the younger one.
    merged_into: int | None = Field(
        default=None, foreign_key="incidents.id", index=True
    )
    created_at: datetime
    updated_at: datetime


class CaseGroup(SQLModel, table=True):
    """The incident of a case, and what grouping read in it.

    ``duplicate_of`` is the incident's earliest case when this case came
    later (a re-send, a forwarded copy, or another person's report of the
    same event), null for the earliest itself. ``details`` keeps what
    identifies the accused (phones, accounts, names, places, sums), so that
    later reports are compared without reading this case again.
    ``messages_seen`` is the case's size when grouped: a case that grew is
    grouped again, and can then only join more, never leave.
    """

    __tablename__ = "case_groups"
    # An incident's cases, and among them quickly the earliest (pointing at none).
    __table_args__ = (
        Index("ix_case_groups_incident_duplicate", "incident_id", "duplicate_of"),
    )

    case_id: int = Field(primary_key=True, foreign_key="cases.id")
    incident_id: int = Field(foreign_key="incidents.id")
    duplicate_of: int | None = Field(default=None, foreign_key="cases.id")
    details: dict[str, Any] = Field(sa_column=json_column())
    fraud: bool
    forwarded: bool
    messages_seen: int
    grouped_at: datetime


class IncidentKey(SQLModel, table=True):
    """A detail of the accused that links reports: ``tel:5512345678``.

    ``level`` says how much the key alone proves: ``strong`` (a phone, an
    account, a web address), ``name`` (a person's or builder's name), or
    ``weak`` (a sum or first name with a town, trusted only close in time).
    ``actor`` marks keys that identify a person wherever they appear: one
    found in several incidents is a repeat actor.
    """

    __tablename__ = "incident_keys"
    __table_args__ = (Index("ix_incident_keys_key_seen", "key", "seen_at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=160)
    level: str = Field(max_length=8)
    actor: bool = Field(default=False)
    case_id: int = Field(foreign_key="cases.id", index=True)
    seen_at: datetime
