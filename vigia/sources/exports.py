"""Turn a WhatsApp "Export chat" file into messages of one channel.

Exports have no message ids, so each message gets a synthetic one from its
channel, author, time, text and how many identical messages came before it
in the file: importing the same export again, or a longer export of the same
chat later, adds only what is new.
"""

from __future__ import annotations

from collections import Counter

from vigia.errors import RejectedInput
from vigia.sources.chat_export import ChatExportError, parse_chat_export
from vigia.sources.records import (
    ParsedBody,
    ParsedMessage,
    Sender,
    normalise_phone,
    synthetic_id,
)


def is_agency_author(author: str) -> bool:
    """The agency's own account ("Conavi Te Atiende", "CONAVI Denuncia", ...)."""
    return "conavi" in author.casefold()


def parse_export_body(raw: bytes, channel: str, timezone: str) -> ParsedBody:
    """Parse an export of ``channel``; the agency's lines become outbound messages."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RejectedInput(f"chat export is not UTF-8 text: {error}") from error
    try:
        exported = parse_chat_export(text, timezone=timezone)
    except (ChatExportError, ValueError) as error:
        raise RejectedInput(f"chat export not recognised: {error}") from error

    parsed = ParsedBody()
    citizens = {
        m.author for m in exported if m.author and not is_agency_author(m.author)
    }
    seen: Counter[tuple[str, str, str]] = Counter()
    for item in exported:
        if item.author is None:
            parsed.ignored.append(f"line {item.line_number}: system notice")
            continue
        occurrence_key = (item.author, item.sent_at.isoformat(), item.text)
        seen[occurrence_key] += 1
        outbound = is_agency_author(item.author)
        # In a one-to-one chat the agency writes to the only citizen there.
        recipient = next(iter(citizens)) if outbound and len(citizens) == 1 else None
        if outbound and recipient is None:
            parsed.ignored.append(
                f"line {item.line_number}: agency reply, no recipient"
            )
            continue
        parsed.messages.append(
            ParsedMessage(
                wamid=synthetic_id(
                    "export", channel, *occurrence_key, seen[occurrence_key]
                ),
                channel=channel,
                sender=_author(recipient if outbound else item.author),
                sent_at=item.sent_at,
                type=_type(item.media),
                text=item.text or None,
                media={"kind": item.media} if item.media else None,
                direction="out" if outbound else "in",
            )
        )
    return parsed


def _author(author: str) -> Sender:
    """A phone-number author is keyed like a webhook sender; a name stays a name."""
    if sum(ch.isdigit() for ch in author) >= 10:
        phone = normalise_phone(author)
        return Sender("phone", phone, phone)
    return Sender("export_author", author.strip(), None, author.strip())


def _type(media: str | None) -> str:
    if media is None:
        return "text"
    if media == "deleted":
        return "revoke"
    return (
        media
        if media in ("image", "video", "audio", "document", "sticker")
        else "media"
    )
