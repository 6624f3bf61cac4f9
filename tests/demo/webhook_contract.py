"""A small validator of WhatsApp Cloud API webhook bodies, for the demo tests."""

from __future__ import annotations

import re

WAMID = re.compile(r"^wamid\.[A-Za-z0-9+/=]+$")
MEXICAN_WA_ID = re.compile(r"^521\d{10}$")
USER_ID = re.compile(r"^MX\.\d{19}$")
EPOCH = re.compile(r"^\d{10}$")
MEDIA_TYPES = {"image", "document", "audio", "video", "sticker"}
MESSAGE_TYPES = MEDIA_TYPES | {"text", "reaction", "location"}
STATUSES = {"sent", "delivered", "read", "failed"}


def changes(body: dict) -> list[dict]:
    """The ``value`` of every change in a body."""
    return [change["value"] for entry in body["entry"] for change in entry["changes"]]


def check_body(body: dict) -> None:
    """Assert that ``body`` has the shape Meta posts to a webhook."""
    assert body["object"] == "whatsapp_business_account"
    assert body["entry"], "a body has at least one entry"
    for entry in body["entry"]:
        assert isinstance(entry["id"], str) and entry["id"].isdigit()
        for change in entry["changes"]:
            assert change["field"] == "messages"
            _check_value(change["value"])


def _check_value(value: dict) -> None:
    assert value["messaging_product"] == "whatsapp"
    assert set(value["metadata"]) == {"display_phone_number", "phone_number_id"}
    assert ("messages" in value) != ("statuses" in value)
    if "statuses" in value:
        for entry in value["statuses"]:
            _check_status(entry)
        return
    (contact,) = value["contacts"]
    assert contact["profile"]["name"]
    assert "wa_id" in contact or "user_id" in contact
    if "wa_id" in contact:
        assert MEXICAN_WA_ID.match(contact["wa_id"]), contact["wa_id"]
    if "user_id" in contact:
        assert USER_ID.match(contact["user_id"]), contact["user_id"]
    assert 1 <= len(value["messages"]) <= 3
    for message in value["messages"]:
        _check_message(message, contact)


def _check_message(message: dict, contact: dict) -> None:
    assert WAMID.match(message["id"])
    assert EPOCH.match(message["timestamp"])
    kind = message["type"]
    assert kind in MESSAGE_TYPES
    assert message.get("from") == contact.get("wa_id")
    payload = message[kind]
    if kind == "text":
        assert isinstance(payload["body"], str) and payload["body"]
    elif kind == "reaction":
        assert WAMID.match(payload["message_id"]) and payload["emoji"]
    elif kind == "location":
        assert -90 <= payload["latitude"] <= 90 and -180 <= payload["longitude"] <= 180
    else:
        assert payload["mime_type"] and payload["sha256"] and payload["id"].isdigit()
        if kind == "audio":
            assert payload["voice"] is True
        if kind == "document":
            assert payload["filename"].endswith(".pdf")
    context = message.get("context")
    if context is not None:
        assert context in ({"forwarded": True}, {"frequently_forwarded": True}) or (
            set(context) == {"from", "id"} and WAMID.match(context["id"])
        )


def _check_status(entry: dict) -> None:
    assert WAMID.match(entry["id"])
    assert entry["status"] in STATUSES
    assert EPOCH.match(entry["timestamp"])
    assert entry["recipient_id"]
    if entry["status"] == "failed":
        (error,) = entry["errors"]
        assert isinstance(error["code"], int) and error["title"]
    else:
        assert entry["conversation"]["id"] and entry["pricing"]["category"]
