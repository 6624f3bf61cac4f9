"""Tests for the WhatsApp "Export chat" parser."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from vigia.sources.chat_export import (
    ChatExportError,
    ExportedMessage,
    parse_chat_export,
)

NBSP = "\u00a0"
NNBSP = "\u202f"
LRM = "\u200e"
DEMO_EXPORTS = Path(__file__).resolve().parents[2] / "demo" / "exports"


def utc(*fields: int) -> datetime:
    """Build a UTC datetime."""
    return datetime(*fields, tzinfo=UTC)


def parse_one(line: str, **options: str) -> ExportedMessage:
    """Parse a one-message export and return its message."""
    (message,) = parse_chat_export(line, **options)
    return message


# 3 December 2024, 22:15 in Mexico City (UTC-6, no daylight saving) is
# 4 December 04:15 UTC.
@pytest.mark.parametrize(
    ("line", "sent_at", "author", "text"),
    [
        pytest.param(
            "3/12/24, 10:15 p. m. - Juan Pérez: hola",
            utc(2024, 12, 4, 4, 15),
            "Juan Pérez",
            "hola",
            id="android-12h-spaced-marker",
        ),
        pytest.param(
            "3/12/24, 10:15 p.m. - Juan Pérez: hola",
            utc(2024, 12, 4, 4, 15),
            "Juan Pérez",
            "hola",
            id="android-12h-compact-marker",
        ),
        pytest.param(
            f"3/12/24, 10:15{NBSP}a.{NBSP}m. - Juan Pérez: hola",
            utc(2024, 12, 3, 16, 15),
            "Juan Pérez",
            "hola",
            id="android-12h-no-break-space",
        ),
        pytest.param(
            f"3/12/24, 10:15{NNBSP}p.{NBSP}m. - Juan Pérez: hola",
            utc(2024, 12, 4, 4, 15),
            "Juan Pérez",
            "hola",
            id="android-12h-narrow-no-break-space",
        ),
        pytest.param(
            "03/12/2024, 22:18 - Juan Pérez: hola",
            utc(2024, 12, 4, 4, 18),
            "Juan Pérez",
            "hola",
            id="android-24h-four-digit-year",
        ),
        pytest.param(
            "3/12/24, 10:15 p. m. - +52 1 55 1234 5678: hola",
            utc(2024, 12, 4, 4, 15),
            "+52 1 55 1234 5678",
            "hola",
            id="android-phone-number-author",
        ),
        pytest.param(
            "[03/12/24, 22:15:03] Juan Pérez: hola",
            utc(2024, 12, 4, 4, 15, 3),
            "Juan Pérez",
            "hola",
            id="ios-24h",
        ),
        pytest.param(
            "[3/12/24, 10:15:03 p.m.] Juan Pérez: hola",
            utc(2024, 12, 4, 4, 15, 3),
            "Juan Pérez",
            "hola",
            id="ios-12h",
        ),
        pytest.param(
            "[3/12/24 10:15:03 p. m.] Juan Pérez: hola",
            utc(2024, 12, 4, 4, 15, 3),
            "Juan Pérez",
            "hola",
            id="ios-12h-without-comma",
        ),
        pytest.param(
            f"[3/12/24, 10:15:03{NNBSP}p.m.] Juan Pérez: hola",
            utc(2024, 12, 4, 4, 15, 3),
            "Juan Pérez",
            "hola",
            id="ios-12h-narrow-no-break-space",
        ),
        pytest.param(
            f"{LRM}[03/12/24, 22:15:03] Juan Pérez: hola",
            utc(2024, 12, 4, 4, 15, 3),
            "Juan Pérez",
            "hola",
            id="ios-leading-left-to-right-mark",
        ),
        pytest.param(
            "[03/12/24, 22:15:03] \u202a+52 1 55 1234 5678\u202c: hola",
            utc(2024, 12, 4, 4, 15, 3),
            "+52 1 55 1234 5678",
            "hola",
            id="ios-phone-author-in-direction-marks",
        ),
    ],
)
def test_each_layout_gives_utc_time_author_and_text(
    line: str, sent_at: datetime, author: str, text: str
) -> None:
    message = parse_one(line)

    assert message == ExportedMessage(sent_at, author, text, None, 1)


@pytest.mark.parametrize(
    ("line", "sent_at"),
    [
        ("3/12/24, 12:00 a. m. - Ana: hola", utc(2024, 12, 3, 6, 0)),
        ("3/12/24, 12:59 a. m. - Ana: hola", utc(2024, 12, 3, 6, 59)),
        ("3/12/24, 12:00 p. m. - Ana: hola", utc(2024, 12, 3, 18, 0)),
        ("3/12/24, 1:00 p. m. - Ana: hola", utc(2024, 12, 3, 19, 0)),
        ("[3/12/24, 12:05:09 a.m.] Ana: hola", utc(2024, 12, 3, 6, 5, 9)),
        ("[3/12/24, 12:05:09 p.m.] Ana: hola", utc(2024, 12, 3, 18, 5, 9)),
        ("[3/12/24, 12:05:09 AM] Ana: hola", utc(2024, 12, 3, 6, 5, 9)),
    ],
)
def test_twelve_am_is_midnight_and_twelve_pm_is_noon(
    line: str, sent_at: datetime
) -> None:
    assert parse_one(line).sent_at == sent_at


@pytest.mark.parametrize(
    ("line", "zone", "sent_at"),
    [
        # Mexico City kept daylight saving time until October 2022.
        ("15/07/21, 10:00 - Ana: hola", "America/Mexico_City", utc(2021, 7, 15, 15)),
        ("15/01/21, 10:00 - Ana: hola", "America/Mexico_City", utc(2021, 1, 15, 16)),
        ("15/07/24, 10:00 - Ana: hola", "America/Mexico_City", utc(2024, 7, 15, 16)),
        ("15/07/24, 10:00 - Ana: hola", "America/Cancun", utc(2024, 7, 15, 15)),
        ("15/07/24, 10:00 - Ana: hola", "America/Tijuana", utc(2024, 7, 15, 17)),
        ("15/07/24, 10:00 - Ana: hola", "UTC", utc(2024, 7, 15, 10)),
        # 11 p. m. local is already the next day in UTC.
        (
            "31/12/24, 11:30 p. m. - Ana: hola",
            "America/Mexico_City",
            utc(2025, 1, 1, 5, 30),
        ),
    ],
)
def test_local_times_are_read_in_the_phone_zone_and_converted_to_utc(
    line: str, zone: str, sent_at: datetime
) -> None:
    message = parse_one(line, timezone=zone)

    assert message.sent_at == sent_at
    assert message.sent_at.tzinfo is UTC


def test_unknown_timezone_is_rejected_with_an_example() -> None:
    with pytest.raises(ValueError, match="America/Mexico_City"):
        parse_chat_export("3/12/24, 10:15 - Ana: hola", timezone="Mexico/Chiapas")


@pytest.mark.parametrize(
    ("lines", "first_sent_at"),
    [
        pytest.param(
            ["01/02/25, 10:00 - Ana: hola", "13/02/25, 10:00 - Ana: sigo"],
            utc(2025, 2, 1, 16),
            id="a-first-field-over-12-makes-the-file-day-first",
        ),
        pytest.param(
            ["01/02/25, 10:00 - Ana: hola", "1/13/25, 10:00 - Ana: sigo"],
            utc(2025, 1, 2, 16),
            id="a-second-field-over-12-makes-the-file-month-first",
        ),
        pytest.param(
            ["[02/03/25, 10:00:00] Ana: hola", "[12/14/25, 10:00:00] Ana: sigo"],
            utc(2025, 2, 3, 16),
            id="ios-month-first-decided-by-a-later-line",
        ),
        pytest.param(
            ["01/02/25, 10:00 - Ana: hola", "03/04/25, 10:00 - Ana: sigo"],
            utc(2025, 2, 1, 16),
            id="ambiguous-dates-default-to-day-first",
        ),
    ],
)
def test_day_month_order_is_decided_once_for_the_whole_file(
    lines: list[str], first_sent_at: datetime
) -> None:
    messages = parse_chat_export("\n".join(lines))

    assert messages[0].sent_at == first_sent_at


def test_a_file_mixing_day_first_and_month_first_dates_is_rejected() -> None:
    export = "13/01/25, 10:00 - Ana: hola\n1/14/25, 10:00 - Ana: sigo"

    with pytest.raises(ChatExportError, match="line 1 is day/month but line 2"):
        parse_chat_export(export)


def test_lines_without_header_continue_the_message_and_keep_blank_lines() -> None:
    export = "\n".join(
        [
            "3/12/24, 10:15 p. m. - Ana: cobra 3,500 pesos",
            "dice q es gestor",
            "",
            "su numero es 961 245 8890",
            "3/12/24, 10:16 p. m. - Ana: ya",
            "",
        ]
    )

    first, second = parse_chat_export(export)

    assert (
        first.text == "cobra 3,500 pesos\ndice q es gestor\n\nsu numero es 961 245 8890"
    )
    assert (first.line_number, second.line_number) == (1, 5)
    assert second.text == "ya"


@pytest.mark.parametrize(
    ("body", "media", "text"),
    [
        ("<Multimedia omitido>", "media", ""),
        ("<Media omitted>", "media", ""),
        ("IMG-20241203-WA0001.jpg (archivo adjunto)", "image", ""),
        ("foto casa.jpeg (archivo adjunto)", "image", ""),
        ("Screenshot_20241203.png (archivo adjunto)", "image", ""),
        ("VID-20241203-WA0002.mp4 (archivo adjunto)", "video", ""),
        ("VID-20241203-WA0003.3gp (archivo adjunto)", "video", ""),
        ("PTT-20241203-WA0004.opus (archivo adjunto)", "audio", ""),
        ("AUD-20241203-WA0005.m4a (archivo adjunto)", "audio", ""),
        ("AUD-20241203-WA0006.mp3 (archivo adjunto)", "audio", ""),
        ("recibo.pdf (archivo adjunto)", "document", ""),
        ("Solicitud firmada.docx (archivo adjunto)", "document", ""),
        ("STK-20241203-WA0007.webp (archivo adjunto)", "sticker", ""),
        ("contacto.vcf (archivo adjunto)", "media", ""),
        ("IMG-20241203-WA0001.jpg (file attached)", "image", ""),
        (f"{LRM}imagen omitida", "image", ""),
        (f"{LRM}video omitido", "video", ""),
        (f"{LRM}audio omitido", "audio", ""),
        (f"{LRM}sticker omitido", "sticker", ""),
        (f"{LRM}<adjunto: 00000012-PHOTO-2024-12-03-22-15-03.jpg>", "image", ""),
        (f"{LRM}<adjunto: 00000013-AUDIO-2024-12-03-22-15-09.opus>", "audio", ""),
        (f"{LRM}<adjunto: 00000014-STICKER-2024-12-03-22-15-12.webp>", "sticker", ""),
        (f"{LRM}<attached: 00000015-Recibo.pdf>", "document", ""),
        ("Se eliminó este mensaje.", "deleted", ""),
        (f"{LRM}Se eliminó este mensaje.", "deleted", ""),
        ("Eliminaste este mensaje.", "deleted", ""),
        ("This message was deleted", "deleted", ""),
        ("la foto es de mi casa.jpg", None, "la foto es de mi casa.jpg"),
    ],
)
def test_placeholders_become_a_media_kind_with_empty_text(
    body: str, media: str | None, text: str
) -> None:
    message = parse_one(f"3/12/24, 10:15 p. m. - Ana: {body}")

    assert (message.media, message.text, message.author) == (media, text, "Ana")


@pytest.mark.parametrize(
    ("export", "media", "text"),
    [
        pytest.param(
            "3/12/24, 10:15 p. m. - Ana: IMG-20241203-WA0001.jpg (archivo adjunto)\n"
            "asi quedo la obra\nnomas los cimientos",
            "image",
            "asi quedo la obra\nnomas los cimientos",
            id="android-caption-on-next-lines",
        ),
        pytest.param(
            "3/12/24, 10:15 p. m. - Ana: <Multimedia omitido>\nel recibo",
            "media",
            "el recibo",
            id="android-omitted-media-with-caption",
        ),
        pytest.param(
            f"[3/12/24, 22:15:03] Ana: {LRM}<adjunto: 00000012-PHOTO.jpg> el recibo",
            "image",
            "el recibo",
            id="ios-caption-beside-the-tag",
        ),
    ],
)
def test_caption_of_an_attachment_stays_as_text(
    export: str, media: str, text: str
) -> None:
    message = parse_one(export)

    assert (message.media, message.text) == (media, text)


@pytest.mark.parametrize(
    ("line", "text"),
    [
        pytest.param(
            "3/12/24, 10:15 p. m. - Los mensajes y las llamadas están cifrados "
            "de extremo a extremo.",
            "Los mensajes y las llamadas están cifrados de extremo a extremo.",
            id="android-encryption-notice",
        ),
        pytest.param(
            '3/12/24, 10:15 p. m. - Juan creó el grupo "Vecinos"',
            'Juan creó el grupo "Vecinos"',
            id="group-created",
        ),
        pytest.param(
            "3/12/24, 10:15 p. m. - Juan añadió a Pedro",
            "Juan añadió a Pedro",
            id="member-added",
        ),
        pytest.param(
            '3/12/24, 10:15 p. m. - Juan cambió el asunto a "Junta 10:30"',
            'Juan cambió el asunto a "Junta 10:30"',
            id="colon-without-space-in-notice",
        ),
        pytest.param(
            f"[3/12/24, 22:15:03] Vecinos: {LRM}Los mensajes y las llamadas están "
            "cifrados de extremo a extremo.",
            "Los mensajes y las llamadas están cifrados de extremo a extremo.",
            id="ios-notice-under-the-chat-name",
        ),
        pytest.param(
            f"{LRM}[3/12/24, 22:15:03] {LRM}Juan añadió a Pedro",
            "Juan añadió a Pedro",
            id="ios-notice-without-name",
        ),
    ],
)
def test_system_lines_come_back_without_author(line: str, text: str) -> None:
    message = parse_one(line)

    assert (message.author, message.text, message.media) == (None, text, None)


def test_author_ends_at_the_first_colon_and_space() -> None:
    message = parse_one("3/12/24, 10:15 p. m. - Ana Ruiz: ojo: cobran a las 10:30")

    assert (message.author, message.text) == ("Ana Ruiz", "ojo: cobran a las 10:30")


def test_edited_marker_is_not_part_of_the_text() -> None:
    message = parse_one("3/12/24, 10:15 p. m. - Ana: mi folio <Se editó este mensaje.>")

    assert message.text == "mi folio"


def test_crlf_line_endings_and_a_leading_bom_are_accepted() -> None:
    export = "\ufeff3/12/24, 22:15 - Ana: hola\r\nsigo\r\n3/12/24, 22:16 - Ana: ya\r\n"

    first, second = parse_chat_export(export)

    assert (first.text, first.sent_at) == ("hola\nsigo", utc(2024, 12, 4, 4, 15))
    assert (second.text, second.line_number) == ("ya", 3)


def test_the_first_header_fixes_the_layout_for_the_file() -> None:
    export = (
        "3/12/24, 22:15 - Ana: me reenviaron esto\n[3/12/24, 22:10:00] Lic: deposita"
    )

    (message,) = parse_chat_export(export)

    assert message.text == "me reenviaron esto\n[3/12/24, 22:10:00] Lic: deposita"


def test_lines_before_the_first_header_are_skipped_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    export = "resto de un mensaje cortado\n3/12/24, 22:15 - Ana: hola"

    with caplog.at_level(logging.WARNING):
        (message,) = parse_chat_export(export)

    assert (message.text, message.line_number) == ("hola", 2)
    assert "Skipped 1 lines" in caplog.text


@pytest.mark.parametrize(
    ("export", "quoted"),
    [
        ("", "empty"),
        ("\ufeff\r\n  \n", "empty"),
        ("hola que tal\nsin fechas", "'hola que tal'"),
        ('{"object": "whatsapp_business_account"}', '\'{"object"'),
        ("2024-12-03 22:15:03 Ana: hola", "'2024-12-03 22:15:03 Ana: hola'"),
    ],
)
def test_text_without_any_header_raises_naming_both_layouts(
    export: str, quoted: str
) -> None:
    with pytest.raises(ChatExportError) as raised:
        parse_chat_export(export)

    message = str(raised.value)
    assert quoted in message
    assert "Android line like '3/12/24, 10:15 p. m. - Nombre: texto'" in message
    assert "iOS line like '[3/12/24, 22:15:03] Nombre: texto'" in message


@pytest.mark.parametrize(
    "line",
    [
        "31/02/24, 10:15 - Ana: hola",
        "3/12/24, 25:15 - Ana: hola",
        "3/12/24, 13:15 p. m. - Ana: hola",
        "3/12/24, 0:15 a. m. - Ana: hola",
    ],
)
def test_impossible_timestamps_raise_with_their_line(line: str) -> None:
    with pytest.raises(ChatExportError, match="Line 1 has an impossible timestamp"):
        parse_chat_export(line)


def test_chat_export_error_is_a_value_error() -> None:
    assert issubclass(ChatExportError, ValueError)


@pytest.mark.parametrize(
    ("name", "count", "media", "first", "last"),
    [
        (
            "te_atiende_android_12h.txt",
            27,
            {"document": 1, "image": 1, "deleted": 1, "media": 1},
            utc(2024, 11, 14, 15, 1),
            utc(2024, 11, 16, 6, 5),
        ),
        (
            "denuncia_android_24h.txt",
            26,
            {"media": 2, "deleted": 1, "audio": 1, "video": 1, "sticker": 1},
            utc(2025, 2, 19, 1, 39),
            utc(2025, 2, 19, 15, 41),
        ),
        (
            "denuncia_ios.txt",
            23,
            {"image": 2, "deleted": 1, "audio": 1, "sticker": 1},
            utc(2025, 3, 5, 22, 21, 58),
            utc(2025, 3, 6, 16, 31),
        ),
        (
            "te_atiende_ios_month_first.txt",
            24,
            {"image": 2, "deleted": 1, "audio": 1, "video": 1},
            utc(2025, 1, 14, 15, 4, 51),
            utc(2025, 1, 16, 14, 15, 30),
        ),
    ],
)
def test_demo_exports_parse_with_expected_counts(
    name: str, count: int, media: dict[str, int], first: datetime, last: datetime
) -> None:
    messages = parse_chat_export((DEMO_EXPORTS / name).read_text(encoding="utf-8"))

    assert len(messages) == count
    assert [m.author for m in messages].count(None) == 1  # the encryption notice
    assert Counter(m.media for m in messages if m.media) == media
    assert (messages[0].sent_at, messages[-1].sent_at) == (first, last)
    assert sorted(m.sent_at for m in messages) == [m.sent_at for m in messages]
    assert {m.author for m in messages} & {"Conavi Te Atiende", "Conavi Denuncia"}
