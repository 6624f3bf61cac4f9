"""Build WhatsApp Cloud API webhook bodies: inbound messages and statuses.

Shapes follow what Meta posts to a webhook: ``object`` is
``whatsapp_business_account``; each ``entry`` has the business account id
and ``changes`` whose ``field`` is ``messages``; the ``value`` carries
``messaging_product``, the receiving line's ``metadata``, and either
``contacts`` plus ``messages`` (inbound) or ``statuses`` (what happened to a
message the agency sent). Message ids ("wamid.") are base64 of a small
binary record holding the user's address and a unique hex token, like the
real ones; inbound and outbound ids differ in a marker byte, so an outbound
id can never equal an inbound one.
"""

from __future__ import annotations

import base64
import random

from vigia.demo.compose import Step
from vigia.demo.people import Sender

_ERRORS_HREF = (
    "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"
)
# Meta error codes for an outbound message that could not be delivered.
_FAILURES = {
    131047: ("Re-engagement message", "More than 24 hours have passed since the "
             "recipient last replied, so a free-form message cannot be sent."),
    131026: ("Message undeliverable", "The recipient could not be reached; the "
             "number may be inactive or on an old WhatsApp version."),
    131000: ("Something went wrong", "The message failed to send for an unknown "
             "reason."),
}  # fmt: skip


class Ids:
    """Unique message ids and media handles, drawn from the run's generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.inbound = 0
        self.outbound = 0
        self._address = ""
        self._prefix = b""

    def wamid(self, address: str, inbound: bool = True) -> str:
        """A "wamid." id for a message from (or to) ``address``."""
        if inbound:
            self.inbound += 1
            serial, marker = self.inbound, b"\x12"
        else:
            self.outbound += 1
            serial, marker = self.outbound, b"\x11"
        # Scrambling the serial keeps ids unique without looking sequential.
        token = (
            f"{(serial * 0x9E3779B1) & 0xFFFFFFFF:08X}{self.rng.getrandbits(48):012X}"
        )
        if address != self._address:  # a burst comes from one sender: reuse
            who = address.encode()
            self._address = address
            self._prefix = b"\x1c\x18" + bytes([len(who)]) + who + b"\x15\x02\x00"
        raw = b"%b%b\x18\x14%b\x00" % (self._prefix, marker, token.encode())
        return "wamid." + base64.b64encode(raw).decode()

    def media(self) -> dict:
        """The ``id`` and ``sha256`` of an uploaded media file."""
        digest = base64.b64encode(self.rng.randbytes(32)).decode()
        return {"sha256": digest, "id": str(self.rng.randrange(10**15, 10**16))}

    def conversation(self) -> str:
        """A pricing conversation id (32 hex characters)."""
        return f"{self.rng.getrandbits(128):032x}"


def envelope(account: str, display: str, phone_id: str, value: dict) -> dict:
    """Wrap a ``value`` for one business line into a full webhook body."""
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": display, "phone_number_id": phone_id},
        **value,
    }
    change = {"value": value, "field": "messages"}
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": account, "changes": [change]}],
    }


def contact(sender: Sender) -> dict:
    """The ``contacts[]`` entry of a sender: profile, wa_id and/or user_id."""
    profile = {"name": sender.name}
    if sender.username:
        profile["username"] = sender.username
    out: dict = {"profile": profile}
    if sender.wa_id:
        out["wa_id"] = sender.wa_id
    if sender.user_id:
        out["user_id"] = sender.user_id
    return out


def message(step: Step, wamid: str, ts: int, sender: Sender, ids: Ids) -> dict:
    """One ``messages[]`` entry for a composed step."""
    out: dict = {}
    if step.context:
        out["context"] = dict(step.context)
    if sender.wa_id:
        out["from"] = sender.wa_id
    out["id"] = wamid
    out["timestamp"] = str(ts)
    out["type"] = step.kind
    out[step.kind] = _payload(step, ids)
    return out


def status(
    outbound: str,
    state: str,
    ts: int,
    recipient: str,
    conversation: str,
    expires: int | None = None,
    error: int | None = None,
) -> dict:
    """One ``statuses[]`` entry for a message the agency sent."""
    out: dict = {
        "id": outbound,
        "status": state,
        "timestamp": str(ts),
        "recipient_id": recipient,
    }
    if error is not None:
        title, details = _FAILURES[error]
        out["errors"] = [
            {
                "code": error,
                "title": title,
                "message": title,
                "error_data": {"details": details},
                "href": _ERRORS_HREF,
            }
        ]
        return out
    out["conversation"] = {"id": conversation, "origin": {"type": "service"}}
    if expires is not None:
        out["conversation"]["expiration_timestamp"] = str(expires)
    # Answers inside the 24-hour service window are free under per-message pricing.
    out["pricing"] = {
        "billable": False,
        "pricing_model": "PMP",
        "category": "service",
        "type": "free_customer_service",
    }
    return out


def _payload(step: Step, ids: Ids) -> dict:
    """The object named after the message type."""
    kind = step.kind
    if kind == "text":
        return {"body": step.text}
    if kind == "reaction":
        return {"message_id": step.target, "emoji": step.text}
    if kind == "location":
        lat, lon, name = step.place or (0.0, 0.0, None)
        out: dict = {"latitude": lat, "longitude": lon}
        if name:
            out["name"] = name
        return out
    media = ids.media()
    if kind == "image":
        out = {"mime_type": "image/jpeg", **media}
    elif kind == "document":
        out = {"filename": step.filename, "mime_type": "application/pdf", **media}
    elif kind == "audio":
        return {"mime_type": "audio/ogg; codecs=opus", **media, "voice": True}
    elif kind == "video":
        out = {"mime_type": "video/mp4", **media}
    else:
        return {"mime_type": "image/webp", **media, "animated": ids.rng.random() < 0.3}
    if step.text:
        out["caption"] = step.text
    return out
