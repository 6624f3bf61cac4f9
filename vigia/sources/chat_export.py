"""Parse the text file a phone writes with WhatsApp's "Export chat".

Backfills of the "Conavi Te Atiende" and "Conavi Denuncia" lines arrive as
these exports instead of webhooks. Each message starts with a header holding
the phone's local date and time; Android and iOS write it differently:

    Android:  3/12/24, 10:15 p. m. - Nombre: texto
              03/12/2024, 22:18 - Nombre: texto
    iOS:      [03/12/24, 22:15:03] Nombre: texto
              [3/12/24, 10:15:03 p.m.] Nombre: texto

A line without a header continues the message above it. Lines without a
"Nombre: " part are system notices (encryption banner, group changes) and
come back with no author so the caller can skip them.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from vigia.errors import RejectedInput

__all__ = ["ChatExportError", "ExportedMessage", "parse_chat_export"]

logger = logging.getLogger(__name__)

# iOS starts lines and placeholders with a left-to-right mark (U+200E), and
# both systems may wrap a phone-number author in other direction controls.
_LRM = "\u200e"
_DIRECTION_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))

# A timestamp may hold a plain space, a no-break space (U+00A0) or, in newer
# Android exports, a narrow no-break space (U+202F).
_SPACE = "[ \u00a0\u202f]"
_DATE = r"(?P<first>\d{1,2})/(?P<second>\d{1,2})/(?P<year>\d{4}|\d{2})"
_TIME = r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<sec>\d{2}))?"
# Spanish phones write "p. m." or "p.m."; English ones "PM".
_MERIDIEM = rf"(?:{_SPACE}?(?P<meridiem>[ap])\.?{_SPACE}?m\.?)?"

_ANDROID_HEADER = re.compile(
    rf"{_DATE},{_SPACE}{_TIME}{_MERIDIEM}{_SPACE}-{_SPACE}(?P<body>.*)",
    re.IGNORECASE,
)
_IOS_HEADER = re.compile(
    rf"\[{_DATE},?{_SPACE}{_TIME}{_MERIDIEM}\]{_SPACE}(?P<body>.*)",
    re.IGNORECASE,
)
_HEADERS = (_ANDROID_HEADER, _IOS_HEADER)

_EXPECTED_LAYOUTS = (
    "expected an Android line like '3/12/24, 10:15 p. m. - Nombre: texto' "
    "or an iOS line like '[3/12/24, 22:15:03] Nombre: texto'"
)

# Placeholders WhatsApp writes instead of a file when media is not exported.
_OMITTED_MEDIA = {
    "<multimedia omitido>": "media",
    "<media omitted>": "media",
    "imagen omitida": "image",
    "image omitted": "image",
    "video omitido": "video",
    "video omitted": "video",
    "gif omitido": "video",
    "gif omitted": "video",
    "audio omitido": "audio",
    "audio omitted": "audio",
    "sticker omitido": "sticker",
    "sticker omitted": "sticker",
    "documento omitido": "document",
    "document omitted": "document",
}
_DELETED = {
    "se eliminó este mensaje",
    "eliminaste este mensaje",
    "this message was deleted",
    "you deleted this message",
}
_KIND_BY_EXTENSION = {
    **dict.fromkeys(("jpg", "jpeg", "png", "webp", "heic", "gif"), "image"),
    **dict.fromkeys(("mp4", "3gp", "mov"), "video"),
    **dict.fromkeys(("opus", "ogg", "m4a", "mp3", "aac", "amr"), "audio"),
    **dict.fromkeys(("pdf", "doc", "docx", "xls", "xlsx"), "document"),
}
# Android: "IMG-20241203-WA0001.jpg (archivo adjunto)", caption on next line.
_ANDROID_ATTACHMENT = re.compile(
    r"(?P<file>.+\.\w+) \((?:archivo adjunto|file attached)\)", re.IGNORECASE
)
# iOS: "<adjunto: 00000012-PHOTO-2024-12-03-22-15-03.jpg>".
_IOS_ATTACHMENT = re.compile(r"<(?:adjunto|attached): (?P<file>[^>]+)>", re.IGNORECASE)
# Edited messages end with this marker; it is not part of what was written.
_EDITED_MARK = re.compile(
    r"\s*<(?:se editó este mensaje\.?|this message was edited)>\s*$", re.IGNORECASE
)


class ChatExportError(RejectedInput):
    """The text is not a WhatsApp chat export this parser can read."""


@dataclass(frozen=True)
class ExportedMessage:
    """One message of a WhatsApp chat export, with its time in UTC.

    Attributes:
        sent_at: When the phone showed the message, converted to UTC.
        author: The name or phone number as the export writes it; None for
            system notices, which the caller should skip.
        text: What was written, lines joined with "\\n"; "" for bare media.
        media: None, or "image", "video", "audio", "document", "sticker",
            "media" (kind unknown) or "deleted".
        line_number: The 1-based line of the file where the message starts.
    """

    sent_at: datetime
    author: str | None
    text: str
    media: str | None
    line_number: int


@dataclass
class _Draft:
    """A header match and the raw lines of its message, before conversion."""

    line_number: int
    stamp: re.Match[str]
    lines: list[str]


def parse_chat_export(
    text: str, *, timezone: str = "America/Mexico_City"
) -> list[ExportedMessage]:
    """Parse an exported chat, reading its times as local to `timezone`.

    Args:
        text: The whole export, as decoded from the .txt file.
        timezone: IANA zone of the phone that exported the chat.

    Raises:
        ChatExportError: The text holds no message header, or its dates are
            impossible or mix day-first and month-first order.
        ValueError: `timezone` is not a known IANA zone.
    """
    zone = _load_zone(timezone)
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")

    header = _detect_layout(lines)
    drafts = _collect_drafts(lines, header)
    day_first = _is_day_first(drafts)

    return [_build_message(draft, day_first, zone) for draft in drafts]


def _load_zone(name: str) -> ZoneInfo:
    """Return the time zone called `name`, or fail saying what is expected."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"Unknown time zone {name!r}: pass an IANA name such as "
            "'America/Mexico_City' or 'America/Cancun'."
        ) from None


def _detect_layout(lines: list[str]) -> re.Pattern[str]:
    """Return the header pattern of the first line that has a header."""
    for line in lines:
        for header in _HEADERS:
            if header.match(line.lstrip(_LRM)):
                return header

    first = next((line.strip() for line in lines if line.strip()), "")
    if not first:
        raise ChatExportError(f"The chat export is empty; {_EXPECTED_LAYOUTS}.")
    raise ChatExportError(
        f"No WhatsApp message header found; the first line is {first[:80]!r}, "
        f"but {_EXPECTED_LAYOUTS}. Is this an 'Export chat' .txt file?"
    )


def _collect_drafts(lines: list[str], header: re.Pattern[str]) -> list[_Draft]:
    """Group the lines into messages, one per header, in a single pass."""
    drafts: list[_Draft] = []
    orphans = 0

    # One layout per file: a pasted line in the other layout is just text.
    for number, raw in enumerate(lines, start=1):
        line = raw.removesuffix("\r")
        stamp = header.match(line.lstrip(_LRM))
        if stamp:
            drafts.append(_Draft(number, stamp, [stamp["body"]]))
        elif drafts:
            drafts[-1].lines.append(line)
        elif line.strip():
            orphans += 1

    if orphans:
        logger.warning("Skipped %d lines before the first message header", orphans)
    return drafts


def _is_day_first(drafts: list[_Draft]) -> bool:
    """Decide, once for the whole file, whether dates put the day first."""
    day_first_at = month_first_at = None
    for draft in drafts:
        if day_first_at is None and int(draft.stamp["first"]) > 12:
            day_first_at = draft.line_number
        if month_first_at is None and int(draft.stamp["second"]) > 12:
            month_first_at = draft.line_number

    if day_first_at and month_first_at:
        raise ChatExportError(
            f"Dates mix orders: line {day_first_at} is day/month but line "
            f"{month_first_at} is month/day. Split the file per phone export."
        )

    # Mexican phones write day/month, so that is the default when unsure.
    return month_first_at is None


def _build_message(draft: _Draft, day_first: bool, zone: ZoneInfo) -> ExportedMessage:
    """Turn a draft into a message: UTC time, author, text and media kind."""
    sent_at = _to_utc(draft, day_first, zone)
    author, first_line = _split_author(draft.stamp["body"])

    # iOS attributes notices to the chat name and marks their text with U+200E.
    if author and first_line.startswith(_LRM) and not _is_placeholder(first_line):
        author = None

    text = "\n".join([first_line, *draft.lines[1:]]).replace(_LRM, "").rstrip()
    if text.endswith(">"):
        text = _EDITED_MARK.sub("", text)
    media, text = _extract_media(text)

    return ExportedMessage(sent_at, author, text, media, draft.line_number)


def _to_utc(draft: _Draft, day_first: bool, zone: ZoneInfo) -> datetime:
    """Read the draft's local timestamp in `zone` and convert it to UTC."""
    stamp = draft.stamp
    first, second, year = int(stamp["first"]), int(stamp["second"]), int(stamp["year"])
    day, month = (first, second) if day_first else (second, first)

    # Times that repeat when daylight saving ended (Mexico City until
    # October 2022) take their first, summer-time reading (fold=0). The last
    # hours of year 9999 overflow once moved to UTC: impossible as well.
    try:
        return datetime(
            year + 2000 if year < 100 else year,
            month,
            day,
            _to_24_hour(int(stamp["hour"]), stamp["meridiem"]),
            int(stamp["minute"]),
            int(stamp["sec"] or 0),
            tzinfo=zone,
        ).astimezone(UTC)
    except (ValueError, OverflowError) as error:
        header = stamp.string[: stamp.start("body")].strip()
        raise ChatExportError(
            f"Line {draft.line_number} has an impossible timestamp {header!r}: {error}."
        ) from None


def _to_24_hour(hour: int, meridiem: str | None) -> int:
    """Return the hour on a 24-hour clock; 12 a. m. is midnight, 12 p. m. noon."""
    if meridiem is None:
        return hour
    if not 1 <= hour <= 12:
        raise ValueError(f"hour {hour} is not on a 12-hour clock")
    return hour % 12 + (12 if meridiem.lower() == "p" else 0)


def _split_author(body: str) -> tuple[str | None, str]:
    """Split a header's body into author and text; no author for notices."""
    # An author name never holds ": ", so the first one ends it; a notice's
    # own colons ("a las 10:30") are not followed by a space.
    if body.startswith(_LRM):
        return None, body
    author, separator, text = body.partition(": ")
    if not separator:
        return None, body
    return author.translate(_DIRECTION_MARKS).strip(), text


def _extract_media(text: str) -> tuple[str | None, str]:
    """Return the media kind of a placeholder and the caption left as text."""
    first_line, _, rest = text.partition("\n")
    key = first_line.strip()
    folded = key.casefold()
    caption = rest.strip()

    if folded.rstrip(".") in _DELETED:
        return "deleted", caption
    if folded in _OMITTED_MEDIA:
        return _OMITTED_MEDIA[folded], caption
    if key.endswith(")") and (attached := _ANDROID_ATTACHMENT.fullmatch(key)):
        return _kind_of_file(attached["file"]), caption

    # iOS may write text on the same line as the tag (a document's name and
    # page count, or a caption): keep it as text.
    if "<" in key and (attached := _IOS_ATTACHMENT.search(key)):
        beside = (key[: attached.start()] + key[attached.end() :]).strip()
        caption = "\n".join(part for part in (beside, caption) if part)
        return _kind_of_file(attached["file"]), caption
    return None, text


def _kind_of_file(name: str) -> str:
    """Return the media kind of an attached file from its name."""
    # WhatsApp stickers are .webp files named "STK-..." (Android) or
    # "...-STICKER-..." (iOS); other .webp files are pictures.
    upper = name.upper()
    if upper.startswith("STK-") or "-STICKER-" in upper:
        return "sticker"
    extension = name.rpartition(".")[2].lower()
    return _KIND_BY_EXTENSION.get(extension, "media")


def _is_placeholder(line: str) -> bool:
    """Tell whether a message's first line is a media or deletion placeholder."""
    return _extract_media(line.replace(_LRM, ""))[0] is not None
