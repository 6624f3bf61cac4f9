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

EDITABLE_TYPES = STORED_TYPES - {"edit", "revoke"}
"""What an edit may carry as the new version of a message."""

ECHO_FIELD = "smb_message_echoes"
"""Messages the agency sent from the WhatsApp Business app, echoed to us."""

ChannelLookup = Callable[[str], str | None]


def load_json(raw: bytes) -> Any:
    """Decode a body, refusing what ``json`` cannot or will not read.

    Besides malformed text and bytes that are not UTF-8, ``json`` raises on
    integers of more than 4,300 digits (a plain ValueError) and on arrays
    nested deeper than Python's recursion limit; both are hostile bodies.
    """
    try:
        return json.loads(raw)
    except ValueError as error:  # JSONDecodeError and UnicodeDecodeError too
        raise RejectedInput(f"invalid JSON: {error}") from error
    except RecursionError:
        raise RejectedInput("invalid JSON: nested too deeply") from None


def parse_webhook_body(raw: bytes, channel_for: ChannelLookup) -> ParsedBody:
    """Parse one verbatim body; raise :class:`RejectedInput` naming the problem."""
    body = load_json(raw)
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
    contacts = value.get("contacts") or []
    for contact in contacts if isinstance(contacts, list) else []:
        if isinstance(contact, dict):
            key = contact.get("wa_id") or contact.get("user_id")
            if isinstance(key, str | int) and key:
                found[str(key)] = contact
    return found


def _parse_message(
    message: Any, where: str, contacts: dict[str, dict[str, Any]]
) -> ParsedMessage | None:
    kind = _require(message, "type", where)
    if kind == "system":
        return None
    if not isinstance(kind, str) or kind not in STORED_TYPES:
        raise RejectedInput(f"{where}: unknown message type {_shown(kind)}")

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
    _fill_context(item, message, where)
    return item


def _sender(message: Any, where: str, contacts: dict[str, dict[str, Any]]) -> Sender:
    """Key a sender on what is present, preferring the stable business user id."""
    phone = _identifier(message.get("from"), f"{where}.from")
    contact = contacts.get(phone) if phone else None
    if contact is None and len(contacts) == 1:
        contact = next(iter(contacts.values()))
    contact = contact or {}
    user_id = _identifier(
        message.get("from_user_id") or contact.get("user_id"), f"{where}.from_user_id"
    )
    profile = _object(contact, "profile", f"{where} contact")
    name = _text(profile, "name", f"{where} contact.profile")
    phone = phone or _identifier(contact.get("wa_id"), f"{where} contact.wa_id")
    if user_id:
        return Sender("user_id", str(user_id), phone and normalise_phone(phone), name)
    if phone:
        normalised = normalise_phone(phone)
        return Sender("phone", normalised, normalised, name)
    raise RejectedInput(f"{where}: message has no sender (from, from_user_id)")


def _fill_content(item: ParsedMessage, message: Any, kind: str, where: str) -> None:
    """Text, caption and media metadata for each message type."""
    # A contacts message holds a list of cards; every other type an object.
    payload = {} if kind == "contacts" else _object(message, kind, where)
    here = f"{where}.{kind}"
    if kind == "text":
        item.text = _text(payload, "body", here, required=True)
    elif kind in MEDIA_TYPES:
        item.text = _text(payload, "caption", here)
        item.media = _media(kind, payload)
    elif kind == "location":
        place = (_text(payload, "name", here), _text(payload, "address", here))
        item.text = " ".join(filter(None, place))
        item.media = {
            "kind": "location",
            "latitude": payload.get("latitude"),
            "longitude": payload.get("longitude"),
        }
    elif kind == "contacts":
        count = len(_list(message, "contacts", where, required=False))
        item.media = {"kind": "contacts", "count": count}
    elif kind == "interactive":
        item.text = _interactive_text(payload, here)
    elif kind == "button":
        item.text = _text(payload, "text", here)
    elif kind == "reaction":
        item.text = _text(payload, "emoji", here)
        item.context = {"reacts_to": payload.get("message_id")}
    elif kind == "order":
        item.text = _text(payload, "text", here)
        items = _list(payload, "product_items", here, required=False)
        item.media = {"kind": "order", "items": len(items)}
    elif kind == "edit":
        _fill_edit(item, payload, where)
    elif kind == "revoke":
        item.context = {"revokes": payload.get("original_message_id")}


def _fill_edit(item: ParsedMessage, payload: dict[str, Any], where: str) -> None:
    """An edit carries the new version of an earlier message; both are kept."""
    edited = _object(payload, "message", f"{where}.edit")
    edited_kind = edited.get("type")
    if isinstance(edited_kind, str) and edited_kind in EDITABLE_TYPES:
        _fill_content(item, edited, edited_kind, f"{where}.edit.message")
    item.context = {"edits": payload.get("original_message_id")}


def _media(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    keep = ("mime_type", "sha256", "id", "filename", "voice", "animated")
    media = {key: payload[key] for key in keep if key in payload}
    media["kind"] = "voice" if payload.get("voice") else kind
    return media


def _interactive_text(payload: dict[str, Any], where: str) -> str | None:
    """The title the citizen tapped, or the body of a completed form."""
    reply_kind = payload.get("type")
    if not isinstance(reply_kind, str):
        return None
    reply = _object(payload, reply_kind, where)
    here = f"{where}.{reply_kind}"
    parts = (_text(reply, key, here) for key in ("title", "description", "body"))
    return " - ".join(part for part in parts if part) or None


def _fill_context(item: ParsedMessage, message: Any, where: str) -> None:
    """Reply and forwarding flags, ad referrals and per-message errors."""
    context = dict(item.context or {})
    raw = _object(message, "context", where)
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
    if not isinstance(kind, str):
        raise RejectedInput(f"{where}: message type {_shown(kind)} is not text")
    user_id = _identifier(echo.get("to_user_id"), f"{where}.to_user_id")
    phone = _identifier(echo.get("to"), f"{where}.to")
    if user_id:
        sender = Sender("user_id", user_id)
    elif phone:
        sender = Sender("phone", normalise_phone(phone), normalise_phone(phone))
    else:
        raise RejectedInput(f"{where}: echo has no recipient (to, to_user_id)")
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
    if not isinstance(status, dict):
        raise RejectedInput(f"{where}: expected an object")
    user_id = _identifier(status.get("recipient_user_id"), f"{where}.recipient_user_id")
    recipient_id = _identifier(status.get("recipient_id"), f"{where}.recipient_id")
    recipient = None
    if user_id:
        recipient = Sender("user_id", user_id)
    elif recipient_id:
        contact = contacts.get(recipient_id) or {}
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


def _object(container: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    """An optional nested object: absent is empty, anything else is refused."""
    value = container.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RejectedInput(f"{where}.{key}: expected an object, got {_shown(value)}")
    return value


def _text(
    container: dict[str, Any], key: str, where: str, *, required: bool = False
) -> str | None:
    """A field people wrote: text or absent; numbers, lists and objects are not."""
    value = _require(container, key, where) if required else container.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise RejectedInput(f"{where}.{key}: expected text, got {_shown(value)}")
    return value


def _identifier(value: Any, where: str) -> str | None:
    """A phone number or user id: Meta sends text, some relays send numbers."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RejectedInput(f"{where}: expected an identifier, got {_shown(value)}")
    return str(value)


def _shown(value: Any) -> str:
    """A short rendering of a refused value for the reason stored with it."""
    shown = repr(value)
    return shown if len(shown) <= 60 else f"{shown[:57]}..."


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
