"""Tables of Vigía.

Conventions shared by every table:

- every datetime is timezone-aware and stored in UTC; local time (Mexico
  City) is computed only where people read it;
- people appear only as a *pseudonym* (a keyed HMAC of their phone number or
  WhatsApp user id); the identifier behind it lives in ``contacts`` alone.
"""

from sqlmodel import SQLModel

from models.assignments import Assignment
from models.cases import Case, FolioCounter
from models.contacts import Contact
from models.events import CaseEvent
from models.incidents import CaseGroup, Incident, IncidentKey
from models.labels import CaseLabel, MessageLabel
from models.landing import LandingPurge, LandingRecord, LandingStatus
from models.messages import Message, MessageStatus
from models.runs import PipelineRun

metadata = SQLModel.metadata

__all__ = [
    "Assignment",
    "Case",
    "CaseEvent",
    "CaseGroup",
    "CaseLabel",
    "Contact",
    "FolioCounter",
    "Incident",
    "IncidentKey",
    "LandingPurge",
    "LandingRecord",
    "LandingStatus",
    "Message",
    "MessageLabel",
    "MessageStatus",
    "PipelineRun",
    "metadata",
]
