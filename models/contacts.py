"""Contacts: the only table that holds who a complainant is."""

from datetime import datetime

from sqlmodel import Field, SQLModel


class Contact(SQLModel, table=True):
    """A sender's identifier and the pseudonym every other table uses.

    ``kind`` says what ``identifier`` is: a phone number, a WhatsApp
    business-scoped user id, an author name from a chat export, a contact
    written in the portal form, or an anonymous portal submission.
    """

    __tablename__ = "contacts"

    pseudonym: str = Field(primary_key=True, max_length=32)
    kind: str = Field(max_length=16)
    identifier: str = Field(max_length=255)
    phone: str | None = Field(default=None, max_length=32)
    display_name: str | None = Field(default=None, max_length=255)
    first_seen_at: datetime
