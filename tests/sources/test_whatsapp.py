"""The webhook parser on Meta's real bodies and on broken ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, fixture_bodies
from vigia.errors import RejectedInput
from vigia.sources.whatsapp import parse_webhook_body

FIXTURE_NUMBERS = {
    "1122334455667": "te_atiende",
    "106540352242922": "denuncia",
    "<BUSINESS_PHONE_NUMBER_ID>": "te_atiende",
}


def parse(body: dict | bytes, numbers: dict[str, str] = FIXTURE_NUMBERS):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return parse_webhook_body(raw, numbers.get)


def all_fixture_cases() -> list[tuple[str, str]]:
    if not FIXTURES.exists():
        return []
    return [
        (path.name, case)
        for path in sorted(Path(FIXTURES).glob("*.json"))
        for case in json.loads(path.read_text())
    ]


@pytest.mark.parametrize(("file", "case"), all_fixture_cases())
def test_every_fixture_is_stored_or_ignored_on_purpose(file: str, case: str) -> None:
    parsed = parse(fixture_bodies(file)[case])

    assert parsed.messages or parsed.statuses or parsed.ignored


@pytest.mark.parametrize(
    ("case", "kind", "text", "media_kind"),
    [
        ("text", "text", "Body Text", None),
        ("image", "image", None, "image"),
        ("video", "video", "caption", "video"),
        ("document", "document", "caption", "document"),
        ("audio", "audio", None, "audio"),
        ("voice", "audio", None, "voice"),
        ("static_sticker", "sticker", None, "sticker"),
        ("current_location", "location", None, "location"),
        ("contacts", "contacts", None, "contacts"),
        ("order", "order", None, "order"),
        ("unsupported", "unsupported", None, None),
    ],
)
def test_message_types_keep_text_and_media(
    case: str, kind: str, text: str | None, media_kind: str | None
) -> None:
    [message] = parse(fixture_bodies("message.json")[case]).messages

    assert message.type == kind
    assert message.channel == "te_atiende"
    if text is not None:
        assert message.text == text
    assert (message.media or {}).get("kind") == media_kind


def test_reply_forward_and_referral_context() -> None:
    bodies = fixture_bodies("message.json")

    [reply] = parse(bodies["reply"]).messages
    [forwarded] = parse(bodies["forwarded"]).messages
    [chain] = parse(bodies["forwarded_many_times"]).messages
    [referred] = parse(bodies["referral"]).messages

    assert reply.context == {"reply_to": "wamid.xyzxyz=="}
    assert forwarded.forwarded and not reply.forwarded
    assert chain.forwarded and chain.context == {"frequently_forwarded": True}
    assert referred.context and "referral" in referred.context


def test_sender_prefers_the_business_scoped_user_id() -> None:
    [message] = parse(fixture_bodies("message.json")["text"]).messages

    assert message.sender.kind == "user_id"
    assert message.sender.identifier == "US.13491208655302741918"
    assert message.sender.phone == "972987654321"


def test_sender_without_user_id_is_keyed_on_the_normalised_phone() -> None:
    body = fixture_bodies("message.json")["text"]
    body["entry"][0]["changes"][0]["value"]["contacts"][0].pop("user_id")
    body["entry"][0]["changes"][0]["value"]["messages"][0]["from"] = "5215512345678"
    body["entry"][0]["changes"][0]["value"]["contacts"][0]["wa_id"] = "5215512345678"

    [message] = parse(body).messages

    assert (message.sender.kind, message.sender.identifier) == ("phone", "525512345678")


@pytest.mark.parametrize("status", ["sent", "delivered", "read", "played", "failed"])
def test_statuses_are_parsed(status: str) -> None:
    [parsed] = parse(fixture_bodies("message_status.json")[status]).statuses

    assert parsed.status == status
    assert parsed.wamid
    assert (parsed.errors is not None) == (status == "failed")


def test_edit_keeps_the_new_text_and_points_at_the_original() -> None:
    [edit] = parse(fixture_bodies("edited_message.json")["image"]).messages

    assert edit.type == "edit"
    assert edit.text == "Updated image caption"
    assert edit.context and edit.context["edits"].startswith("wamid.")


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda b: b.update(object="page"), "not a WhatsApp Business Account"),
        (lambda b: b.pop("entry"), "field 'entry' must be a list"),
        (lambda b: _value(b)["metadata"].pop("phone_number_id"), "phone_number_id"),
        (lambda b: _value(b)["metadata"].update(phone_number_id="999"), "unknown"),
        (lambda b: _message(b).update(type="hologram"), "unknown message type"),
        (lambda b: _message(b).pop("id"), "missing field 'id'"),
        (lambda b: _message(b).update(timestamp="yesterday"), "not epoch seconds"),
        (lambda b: _message(b)["text"].pop("body"), "missing field 'body'"),
    ],
)
def test_unusable_bodies_are_rejected_with_a_reason(mutate, reason: str) -> None:
    body = fixture_bodies("message.json")["text"]
    mutate(body)

    with pytest.raises(RejectedInput, match=reason):
        parse(body)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"{not json", "invalid JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b"\xff", "JSON"),
    ],
)
def test_non_json_is_rejected(raw: bytes, reason: str) -> None:
    with pytest.raises(RejectedInput, match=reason):
        parse(raw)


def _value(body: dict) -> dict:
    return body["entry"][0]["changes"][0]["value"]


def _message(body: dict) -> dict:
    return _value(body)["messages"][0]
