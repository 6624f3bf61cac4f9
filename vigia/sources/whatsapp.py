"""Parse WhatsApp Business Cloud API webhook bodies as Meta posts them.

A body holds ``entry[]``, each with ``changes[]``; a change of field
``messages`` carries inbound ``messages[]`` or outbound ``statuses[]`` for
one receiving number (``metadata.phone_number_id``), which tells the channel.
Other fields (account, template, call updates) are ignored on purpose.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from vigia.errors import RejectedInput
from vigia.sources.records import (
    ParsedBody,
    ParsedMessage,
    ParsedStatus,
    Sender,
    normalise_phone,
)

MEDIA_TYPES = ("image", "audio", "video", "document", "sticker")
STORED_TYPES = frozenset(
    (
        "text",
        *MEDIA_TYPES,
        "location",
        "contacts",
        "interactive",
        "button",
        "reaction",
        "order",
        "unsupported",
        "edit",
        "revoke",
    )
)
"""Message types stored as messages; ``system`` notices are ignored on purpose."""

ECHO_FIELD = "smb_message_echoes"
"""Messages the agency sent from the WhatsApp Business app, echoed to us."""

ChannelLookup = Callable[[str], str | None]


def parse_webhook_body(raw: bytes, channel_for: ChannelLookup) -> ParsedBody:
    """Parse one verbatim body; raise :class:`RejectedInput` naming the problem."""
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RejectedInput(f"invalid JSON: {error}") from error
    if not isinstance(body, dict):
        raise RejectedInput("body is not a JSON object")
    if body.get("object") != "whatsapp_business_account":
        raise RejectedInput(
            f"not a WhatsApp Business Account webhook: object={body.get('object')!r}"
        )

    parsed = ParsedBody()
    for e, entry in enumerate(_list(body, "entry", "entry")):
        for c, change in enumerate(_list(entry, "changes", f"entry[{e}].changes")):
            _parse_change(change, f"entry[{e}].changes[{c}]", channel_for, parsed)
    return parsed


def _parse_change(
    change: Any, where: str, channel_for: ChannelLookup, parsed: ParsedBody
) -> None:
    field = _require(change, "field", where)
    if field not in ("messages", ECHO_FIELD):
        parsed.ignored.append(f"{where}: update field {field!r} is not a message")
        return
    value = _require(change, "value", where)
    messages = _list(value, "messages", f"{where}.value", required=False)
    echoes = _list(value, "message_echoes", f"{where}.value", required=False)
    statuses = _list(value, "statuses", f"{where}.value", required=False)
    if not (messages or echoes or statuses):
        parsed.ignored.append(f"{where}: no messages or statuses")
        return

    channel = _channel(value, where, channel_for)
    contacts = _contacts_by_wa_id(value)
    for m, message in enumerate(messages):
        item = _parse_message(message, f"{where}.value.messages[{m}]", contacts)
        if item is None:
            parsed.ignored.append(f"{where}.value.messages[{m}]: system notice")
            continue
        item.channel = channel
        parsed.messages.append(item)
    for m, echo in enumerate(echoes):
        parsed.messages.append(
            _parse_echo(echo, f"{where}.value.message_echoes[{m}]", channel)
        )
    for s, status in enumerate(statuses):
        parsed.statuses.append(
            _parse_status(status, f"{where}.value.statuses[{s}]", channel, contacts)
        )


def _channel(value: Any, where: str, channel_for: ChannelLookup) -> str:
    metadata = _require(value, "metadata", f"{where}.value")
    number_id = str(_require(metadata, "phone_number_id", f"{where}.value.metadata"))
    channel = channel_for(number_id)
    if channel is None:
        raise RejectedInput(
            f"unknown phone_number_id {number_id!r}: not configured as a channel "
            "(set VIGIA_TE_ATIENDE_PHONE_NUMBER_ID or VIGIA_DENUNCIA_PHONE_NUMBER_ID)"
        )
    return channel


def _contacts_by_wa_id(value: Any) -> dict[str, dict[str, Any]]:
    """Sender profiles of a change, by wa_id (or by user_id when wa_id is absent)."""
    found: dict[str, dict[str, Any]] = {}
    for contact in value.get("contacts") or []:
        if isinstance(contact, dict):
            key = contact.get("wa_id") or contact.get("user_id")
            if key:
                found[str(key)] = contact
    return found


def _parse_message(
    message: Any, where: str, contacts: dict[str, dict[str, Any]]
) -> ParsedMessage | None:
    kind = _require(message, "type", where)
    if kind == "system":
        return None
    if kind not in STORED_TYPES:
        raise RejectedInput(f"{where}: unknown message type {kind!r}")

    message_id = str(_require(message, "id", where))
    sender = _sender(message, where, contacts)
    item = ParsedMessage(
        wamid=message_id,
        channel="",
        sender=sender,
        sent_at=_timestamp(message, where),
        type=kind,
    )
    _fill_content(item, message, kind, where)
    _fill_context(item, message)
    return item


def _sender(message: Any, where: str, contacts: dict[str, dict[str, Any]]) -> Sender:
    """Key a sender on what is present, preferring the stable business user id."""
    phone = message.get("from")
    contact = contacts.get(str(phone)) if phone else None
    if contact is None and len(contacts) == 1:
        contact = next(iter(contacts.values()))
    contact = contact or {}
    user_id = message.get("from_user_id") or contact.get("user_id")
    name = (contact.get("profile") or {}).get("name")
    phone = str(phone) if phone else contact.get("wa_id")
    if user_id:
        return Sender("user_id", str(user_id), phone and normalise_phone(phone), name)
    if phone:
        normalised = normalise_phone(phone)
        return Sender("phone", normalised, normalised, name)
    raise RejectedInput(f"{where}: message has no sender (from, from_user_id)")


def _fill_content(item: ParsedMessage, message: Any, kind: str, where: str) -> None:
    """Text, caption and media metadata for each message type."""
    payload = message.get(kind) if isinstance(message.get(kind), dict) else {}
    if kind == "text":
        item.text = _require(payload, "body", f"{where}.text")
    elif kind in MEDIA_TYPES:
        item.text = payload.get("caption")
        item.media = _media(kind, payload)
    elif kind == "location":
        item.text = " ".join(
            filter(None, (payload.get("name"), payload.get("address")))
        )
        item.media = {
            "kind": "location",
            "latitude": payload.get("latitude"),
            "longitude": payload.get("longitude"),
        }
    elif kind == "contacts":
        item.media = {"kind": "contacts", "count": len(message.get("contacts") or [])}
    elif kind == "interactive":
        item.text = _interactive_text(payload)
    elif kind == "button":
        item.text = payload.get("text")
    elif kind == "reaction":
        item.text = payload.get("emoji") or None
        item.context = {"reacts_to": payload.get("message_id")}
    elif kind == "order":
        item.text = payload.get("text") or None
        item.media = {"kind": "order", "items": len(payload.get("product_items") or [])}
    elif kind == "edit":
        _fill_edit(item, payload, where)
    elif kind == "revoke":
        item.context = {"revokes": payload.get("original_message_id")}


def _fill_edit(item: ParsedMessage, payload: dict[str, Any], where: str) -> None:
    """An edit carries the new version of an earlier message; both are kept."""
    edited = payload.get("message") or {}
    edited_kind = edited.get("type")
    if edited_kind in STORED_TYPES and edited_kind not in ("edit", "revoke"):
        _fill_content(item, edited, edited_kind, f"{where}.edit.message")
    item.context = {"edits": payload.get("original_message_id")}


def _media(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    keep = ("mime_type", "sha256", "id", "filename", "voice", "animated")
    media = {key: payload[key] for key in keep if key in payload}
    media["kind"] = "voice" if payload.get("voice") else kind
    return media


def _interactive_text(payload: dict[str, Any]) -> str | None:
    """The title the citizen tapped, or the body of a completed form."""
    reply_kind = payload.get("type")
    reply = payload.get(reply_kind) if isinstance(payload.get(reply_kind), dict) else {}
    parts = (reply.get("title"), reply.get("description"), reply.get("body"))
    return " - ".join(part for part in parts if part) or None


def _fill_context(item: ParsedMessage, message: Any) -> None:
    """Reply and forwarding flags, ad referrals and per-message errors."""
    context = dict(item.context or {})
    raw = message.get("context") or {}
    if raw.get("id"):
        context["reply_to"] = raw["id"]
    if raw.get("frequently_forwarded"):
        context["frequently_forwarded"] = True
    item.forwarded = bool(raw.get("forwarded") or raw.get("frequently_forwarded"))
    if message.get("referral"):
        context["referral"] = message["referral"]
    if message.get("errors"):
        context["errors"] = message["errors"]
    item.context = context or None


def _parse_echo(echo: Any, where: str, channel: str) -> ParsedMessage:
    """An outbound message the agency sent from the app; kept for answer times."""
    kind = _require(echo, "type", where)
    recipient = echo.get("to_user_id") or echo.get("to")
    if not recipient:
        raise RejectedInput(f"{where}: echo has no recipient (to, to_user_id)")
    sender = (
        Sender("user_id", str(echo["to_user_id"]))
        if echo.get("to_user_id")
        else Sender(
            "phone", normalise_phone(str(echo["to"])), normalise_phone(str(echo["to"]))
        )
    )
    item = ParsedMessage(
        wamid=str(_require(echo, "id", where)),
        channel=channel,
        sender=sender,
        sent_at=_timestamp(echo, where),
        type=kind,
        direction="out",
    )
    if kind in STORED_TYPES:
        _fill_content(item, echo, kind, where)
    return item


def _parse_status(
    status: Any, where: str, channel: str, contacts: dict[str, dict[str, Any]]
) -> ParsedStatus:
    recipient_id = status.get("recipient_user_id") or status.get("recipient_id")
    recipient = None
    if status.get("recipient_user_id"):
        recipient = Sender("user_id", str(status["recipient_user_id"]))
    elif recipient_id:
        contact = contacts.get(str(recipient_id)) or {}
        if contact.get("user_id"):
            recipient = Sender("user_id", str(contact["user_id"]))
        else:
            phone = normalise_phone(str(recipient_id))
            recipient = Sender("phone", phone, phone)
    return ParsedStatus(
        wamid=str(_require(status, "id", where)),
        channel=channel,
        status=str(_require(status, "status", where)),
        at=_timestamp(status, where),
        recipient=recipient,
        errors=status.get("errors"),
    )


def _timestamp(item: Any, where: str) -> datetime:
    raw = _require(item, "timestamp", where)
    try:
        return datetime.fromtimestamp(int(raw), UTC)
    except (TypeError, ValueError, OverflowError, OSError) as error:
        raise RejectedInput(f"{where}.timestamp: not epoch seconds: {raw!r}") from error


def _require(container: Any, key: str, where: str) -> Any:
    if not isinstance(container, dict):
        raise RejectedInput(f"{where}: expected an object")
    if container.get(key) in (None, ""):
        raise RejectedInput(f"{where}: missing field {key!r}")
    return container[key]


def _list(container: Any, key: str, where: str, *, required: bool = True) -> list[Any]:
    if not isinstance(container, dict):
        raise RejectedInput(f"{where}: expected an object")
    value = container.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list):
        raise RejectedInput(f"{where}: field {key!r} must be a list")
    return value
