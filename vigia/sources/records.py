"""What every source parses into, before it is stored."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from vigia.errors import RejectedInput

_NON_DIGITS = re.compile(r"\D")


def normalise_phone(raw: str) -> str:
    """Digits of a phone number in one canonical Mexican form.

    WhatsApp writes Mexican mobiles as ``521`` + 10 digits, people write
    ``+52 1 55 ...``, ``55 1234 5678`` or ``(55) 1234-5678``: all become
    ``52`` + the 10 national digits, so one person gets one pseudonym.
    """
    digits = _NON_DIGITS.sub("", raw)
    if len(digits) == 13 and digits.startswith("521"):
        return "52" + digits[3:]
    if len(digits) == 10:
        return "52" + digits
    return digits


@dataclass(frozen=True, slots=True)
class Sender:
    """Who wrote: the identifier stays in ``contacts``, the rest sees a pseudonym.

    ``kind`` is ``user_id`` (WhatsApp business-scoped id, stable across phone
    changes), ``phone``, ``export_author``, ``portal_contact`` or ``anonymous``.
    """

    kind: str
    identifier: str
    phone: str | None = None
    display_name: str | None = None

    def pseudonym(self, key: bytes) -> str:
        """The keyed, irreversible name of this sender used outside contacts."""
        digest = hmac.new(key, f"{self.kind}:{self.identifier}".encode(), "sha256")
        return digest.hexdigest()[:32]


@dataclass(slots=True)
class ParsedMessage:
    """A message ready to store; ``wamid`` is unique across all sources."""

    wamid: str
    channel: str
    sender: Sender
    sent_at: datetime
    type: str
    text: str | None = None
    media: dict[str, Any] | None = None
    context: dict[str, Any] | None = None
    forwarded: bool = False
    direction: str = "in"


@dataclass(slots=True)
class ParsedStatus:
    """A delivery status of a message the agency sent."""

    wamid: str
    channel: str
    status: str
    at: datetime
    recipient: Sender | None = None
    errors: list[Any] | None = None


@dataclass(slots=True)
class ParsedBody:
    """Everything one landing row yields; ``ignored`` explains skipped parts."""

    messages: list[ParsedMessage] = field(default_factory=list)
    statuses: list[ParsedStatus] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """True when nothing in the body is worth storing."""
        return not self.messages and not self.statuses


def synthetic_id(prefix: str, *parts: object) -> str:
    """A stable message id for sources without one (exports, the portal)."""
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode())
    return f"{prefix}:{digest.hexdigest()[:40]}"


EARLIEST = datetime(2009, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
"""Times a message can carry: WhatsApp began in 2009; later than 2099 is a typo.

Outside this window a time comes from a wrong clock or a forged body, and it
would also break the business-hour arithmetic of due times downstream.
"""

# Longest value each column keeps (models/messages.py, models/contacts.py).
_LIMITS = {"wamid": 255, "type": 32, "status": 16, "identifier": 255, "phone": 32}
_LIMITS["display_name"] = 255


def check_storable(parsed: ParsedBody) -> None:
    """Refuse a parsed body the database could not keep as it is.

    Parsers check shapes; this checks values every source shares: text must
    encode as UTF-8 (a JSON escape such as ``\\ud800`` decodes to half a
    character that no database accepts), hold no NUL character (PostgreSQL
    refuses it in text), fit its column, and times must be plausible. One
    refused value sends the whole body to review, so no half is stored.
    """
    for n, message in enumerate(parsed.messages):
        where = f"message {n} ({message.wamid[:60]!r})"
        _check_time(message.sent_at, f"{where}: sent_at")
        for name in ("wamid", "type", "text"):
            _check_text(getattr(message, name), name, where)
        for name in ("identifier", "phone", "display_name"):
            _check_text(getattr(message.sender, name), f"sender {name}", where)
    for n, status in enumerate(parsed.statuses):
        where = f"status {n} ({status.wamid[:60]!r})"
        _check_time(status.at, f"{where}: timestamp")
        for name in ("wamid", "status"):
            _check_text(getattr(status, name), name, where)
        if status.recipient is not None:
            _check_text(status.recipient.identifier, "recipient identifier", where)


def _check_time(moment: datetime, where: str) -> None:
    if not EARLIEST <= moment < LATEST:
        raise RejectedInput(
            f"{where} {moment.isoformat()} is outside {EARLIEST.year}-"
            f"{LATEST.year - 1}: a wrong clock or a forged body"
        )


def _check_text(value: str | None, name: str, where: str) -> None:
    if value is None:
        return
    if "\x00" in value:
        raise RejectedInput(f"{where}: {name} holds a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise RejectedInput(
            f"{where}: {name} holds half of a UTF-16 pair (an escape like "
            "\\ud800), not a character"
        ) from None
    limit = _LIMITS.get(name.rpartition(" ")[2])
    if limit is not None and len(value) > limit:
        raise RejectedInput(
            f"{where}: {name} is {len(value)} characters, longer than {limit}"
        )
