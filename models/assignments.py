"""Which unit answers for a case, under which rule, and by when."""

from datetime import datetime

from sqlmodel import Field, SQLModel


class Assignment(SQLModel, table=True):
    """The current routing of a case; re-routed when its classification changes.

    Due times are counted in business hours of the rules' calendar (Mexico
    City, federal holidays excluded). ``triage_due`` exists only for cases
    with a fraud signal.
    """

    __tablename__ = "assignments"

    case_id: int = Field(primary_key=True, foreign_key="cases.id")
    unit: str = Field(max_length=32, index=True)
    rule: str = Field(max_length=64)
    rules_version: str = Field(max_length=32)
    priority: str = Field(max_length=8)
    first_answer_due: datetime = Field(index=True)
    triage_due: datetime | None = None
    resolution_due: datetime
    assigned_at: datetime
