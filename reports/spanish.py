"""How reports write dates, money and fraud labels for people in Mexico.

Dates are shown in Mexico City time with Spanish day and month names from a
small table, not from the system locale, which servers often lack.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

MEXICO_CITY = ZoneInfo("America/Mexico_City")

# Fraud signal label -> how investigators say it.
LABELS_ES = {
    "cobro_indebido": "cobro indebido",
    "soborno": "soborno",
    "suplantacion": "suplantación",
    "condicionamiento": "condicionamiento",
    "desvio_obra": "desvío de obra",
}

_WEEKDAYS = ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")
_MONTHS = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct",
           "nov", "dic")  # fmt: skip


def spanish_list(words: Sequence[str]) -> str:
    """ "a", "a y b", "a, b y c"."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " y " + words[-1]


def money(amount: int) -> str:
    """Pesos as Mexicans write them: "$5,000"."""
    return f"${amount:,}"


def label_es(label: str) -> str:
    """A fraud label in Spanish words: "desvio_obra" -> "desvío de obra"."""
    return LABELS_ES.get(label, label.replace("_", " "))


def local(moment: datetime) -> datetime:
    """``moment`` in Mexico City time."""
    return moment.astimezone(MEXICO_CITY)


def short_time(moment: datetime | None) -> str:
    """Mexico City time for a spreadsheet: "2026-12-07 10:00"; "" for none."""
    return local(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def spanish_time(moment: datetime | None) -> str:
    """Mexico City time in Spanish words: "lun 7 dic 2026, 10:00"; "" for none."""
    if moment is None:
        return ""
    here = local(moment)
    weekday, month = _WEEKDAYS[here.weekday()], _MONTHS[here.month - 1]
    return f"{weekday} {here.day} {month} {here.year}, {here:%H:%M}"
