"""What every source parses into, before it is stored."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

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
