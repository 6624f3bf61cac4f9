"""Strategies for hostile input: right shapes with wrong values, and plain junk.

The property tests over the parsers and importers draw from here. Every test
fixes ``max_examples`` and runs derandomized, so CI checks the same inputs
every time; the totals are listed in the README ("Hostile input").
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.conftest import TE_ATIENDE_ID

NASTY_TEXT = [
    "",
    " ",
    "\x00",
    "hola\x00mundo",
    "\ud800",  # half of a UTF-16 pair: JSON can carry it, UTF-8 cannot
    "\udfff texto",
    "\u202e\u200e\u200f",  # direction marks
    "\ufeff",
    "\r\n\r",
    "\u2028\u2029\x85\x0b\x0c",  # what str.splitlines() also treats as a break
    "٣/١٢/٢٤",  # Arabic-Indic digits match \d
    "🏠💸👮‍♀️",
    "ñÑáé",
    "A" * 300,  # longer than a 255-character column
    "9" * 5_000,
    '=HYPERLINK("http://x")',
    "<script>alert(1)</script>",
    "null",
    "NaN",
    "1e400",
    "-1",
    "1700000000",
]

HUGE = "x" * 200_000
"""Longer than csv.field_size_limit(); only the CSV tests use it, to stay fast."""

nasty_text = st.one_of(st.sampled_from(NASTY_TEXT), st.text(max_size=40))
"""Text that breaks naive code: NUL, lone surrogates, huge, control characters."""

numbers = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63),
    st.sampled_from([0, -1, 10**20, 10**4_000, 2**31]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
)

scalars = st.one_of(st.none(), numbers, nasty_text)

junk = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
    ),
    max_leaves=5,
)
"""Nested junk: any JSON value, small enough to keep examples fast."""


def maybe(valid: st.SearchStrategy[Any], odds: int = 2) -> st.SearchStrategy[Any]:
    """The valid value ``odds`` times out of ``odds + 1``, else junk in its place.

    The outer parts of a body are rarely wrong, so most examples reach the
    fields inside, where most of the parsing is.
    """
    return st.sampled_from([valid] * odds + [junk]).flatmap(lambda chosen: chosen)


timestamps = st.one_of(
    st.integers(min_value=1_230_768_000, max_value=4_000_000_000).map(str),
    st.integers(min_value=1_230_768_000, max_value=4_000_000_000).map(str),
    st.sampled_from(["-1", "0", "99999999999999", "1e10", "1.5", "", "ayer"]),
    numbers,
)

message_types = st.sampled_from(
    ["text", "image", "audio", "video", "document", "sticker", "location",
     "contacts", "interactive", "button", "reaction", "order", "unsupported",
     "edit", "revoke", "system", "unknown_kind"]
)  # fmt: skip


PAYLOAD_KEYS = {
    "text": ("body",),
    "image": ("caption", "mime_type", "id"),
    "audio": ("voice", "id"),
    "location": ("name", "address", "latitude"),
    "interactive": ("type", "button_reply"),
    "button": ("text",),
    "reaction": ("emoji", "message_id"),
    "order": ("text", "product_items"),
    "edit": ("message", "original_message_id"),
    "revoke": ("original_message_id",),
}
"""The fields each message type carries in the object named after it."""


@st.composite
def _message(draw: st.DrawFn) -> dict[str, Any]:
    """A message whose type and payload mostly agree, any value possibly wrong."""
    kind = draw(maybe(message_types, 6))
    keys = PAYLOAD_KEYS.get(kind, ()) if isinstance(kind, str) else ()
    payload = {key: draw(maybe(_payload_value(key), 3)) for key in keys}
    message = draw(
        st.fixed_dictionaries(
            {
                "from": maybe(st.sampled_from(["5215511111111", "52196122", ""]), 10),
                "id": maybe(st.text(min_size=1, max_size=20).map("wamid.".__add__), 10),
                "timestamp": maybe(timestamps, 4),
            },
            optional={
                "context": maybe(st.just({"forwarded": True, "id": "wamid.0"}), 3),
                "from_user_id": maybe(st.just("MX.1349"), 3),
                "errors": junk,
            },
        )
    )
    message["type"] = kind
    if isinstance(kind, str):
        message[kind] = draw(maybe(st.just(payload), 6))
    return message


def _payload_value(key: str) -> st.SearchStrategy[Any]:
    if key == "button_reply":
        return st.fixed_dictionaries({"title": nasty_text})
    if key == "message":
        return st.fixed_dictionaries(
            {"type": maybe(message_types), "text": st.just({"body": "corregido"})}
        )
    if key == "type":
        return st.just("button_reply")
    return nasty_text


def _value() -> st.SearchStrategy[dict[str, Any]]:
    status = st.fixed_dictionaries(
        {"id": maybe(st.just("wamid.out")), "status": maybe(st.just("read")),
         "timestamp": timestamps},
        optional={"recipient_id": junk, "recipient_user_id": junk, "errors": junk},
    )  # fmt: skip
    metadata = st.fixed_dictionaries(
        {"phone_number_id": maybe(st.sampled_from([TE_ATIENDE_ID] * 6 + ["999"]), 12)}
    )
    contact = st.fixed_dictionaries(
        {"wa_id": maybe(st.just("5215511111111"))},
        optional={"profile": maybe(st.fixed_dictionaries({"name": nasty_text}))},
    )
    messages = st.lists(maybe(_message(), 10), min_size=1, max_size=3)
    return st.fixed_dictionaries(
        {"metadata": maybe(metadata, 20), "messages": maybe(messages, 20)},
        optional={
            "statuses": maybe(st.lists(maybe(status, 6), max_size=2), 6),
            "contacts": maybe(st.lists(maybe(contact, 6), max_size=2), 6),
        },
    )


def _change() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "field": maybe(
                st.sampled_from(["messages", "messages", "smb_message_echoes", "x"]), 20
            ),
            "value": maybe(_value(), 20),
        }
    )


webhook_bodies = st.fixed_dictionaries(
    {
        "object": maybe(st.just("whatsapp_business_account"), 30),
        "entry": maybe(
            st.lists(
                maybe(st.fixed_dictionaries(
                    {"id": st.just("1"),
                     "changes": maybe(
                         st.lists(maybe(_change(), 20), min_size=1, max_size=2), 20
                     )}
                ), 20),
                min_size=1, max_size=2,
            ),
            30,
        ),
    }
)  # fmt: skip
"""Webhook bodies shaped as Meta posts them, any part possibly wrong or missing."""


def encode(document: Any, ascii_only: bool = True) -> bytes:
    """JSON bytes; unicode escaped as Meta does, or raw (half pairs made invalid)."""
    text = json.dumps(document, ensure_ascii=ascii_only)
    return text.encode("utf-8", "surrogatepass")


encoded_webhooks = st.builds(encode, webhook_bodies, st.booleans())

portal_keys = st.sampled_from(
    ["id", "submitted_at", "name", "contact", "state", "folio", "text", "extra"]
)
PORTAL_VALUES = [
    "2026-11-30T10:00:00-06:00", "2026-11-30T10:00:00", "0001-01-01T00:00+05:00",
    "9999-12-31T23:00-05:00", "ana@example.org", "55 1234 5678",
    "DEN-2026-000001", "DEN-2026-1", "me cobraron 500 pesos por la casa",
]  # fmt: skip
portal_values = st.one_of(nasty_text, st.sampled_from(PORTAL_VALUES), numbers, junk)
portal_forms = st.one_of(
    st.dictionaries(portal_keys, portal_values, max_size=7),
    st.fixed_dictionaries({"text": portal_values}, optional={"submitted_at": junk}),
    junk,
)

_DATE_PART = st.sampled_from(["0", "1", "3", "12", "13", "31", "32", "99", "٣"])
_YEAR = st.sampled_from(["24", "00", "99", "2024", "0000", "0001", "9999"])
_HOUR = st.sampled_from(["0", "00", "9", "12", "13", "23", "24", "99"])
_MERIDIEM = st.sampled_from(["", " p. m.", "\u202fp. m.", " a.m.", " PM", " x. m."])


@st.composite
def export_lines(draw: st.DrawFn) -> str:
    """One line of a chat export: a header (dates possibly impossible) or text."""
    day, month, year = draw(_DATE_PART), draw(_DATE_PART), draw(_YEAR)
    time = f"{draw(_HOUR)}:{draw(st.sampled_from(['00', '15', '59', '60']))}"
    body = draw(st.sampled_from(["Ana: ", "Conavi Te Atiende: ", "", "\u200e"]))
    body += draw(nasty_text)
    return draw(
        st.sampled_from(
            [
                f"{day}/{month}/{year}, {time}{draw(_MERIDIEM)} - {body}",
                f"[{day}/{month}/{year}, {time}:03{draw(_MERIDIEM)}] {body}",
                f"\u200e[{day}/{month}/{year} {time}] {body}",
                draw(nasty_text),
            ]
        )
    )


chat_exports = st.lists(export_lines(), max_size=12).map("\n".join)

PROPERTY = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
        HealthCheck.filter_too_much,
    ],
)
"""Shared settings: reproducible in CI, no deadline (a first call imports)."""
