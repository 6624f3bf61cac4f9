"""Dates, money and fraud labels as the reports write them for people in Mexico."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from reports.spanish import label_es, money, short_time, spanish_list, spanish_time


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2026, 12, 7, 16, 0, tzinfo=UTC), "lun 7 dic 2026, 10:00"),
        (datetime(2026, 1, 4, 5, 30, tzinfo=UTC), "sáb 3 ene 2026, 23:30"),
        (datetime(2026, 9, 16, 18, 5, tzinfo=UTC), "mié 16 sep 2026, 12:05"),
        (None, ""),
    ],
)
def test_dates_read_in_spanish_in_mexico_city_time(
    moment: datetime | None, text: str
) -> None:
    assert spanish_time(moment) == text


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2026, 12, 7, 16, 0, tzinfo=UTC), "2026-12-07 10:00"),
        (datetime(2027, 1, 1, 3, 0, tzinfo=UTC), "2026-12-31 21:00"),
        (None, ""),
    ],
)
def test_spreadsheet_times_are_mexico_city_time(
    moment: datetime | None, text: str
) -> None:
    assert short_time(moment) == text


@pytest.mark.parametrize(
    ("label", "text"),
    [
        ("cobro_indebido", "cobro indebido"),
        ("soborno", "soborno"),
        ("suplantacion", "suplantación"),
        ("condicionamiento", "condicionamiento"),
        ("desvio_obra", "desvío de obra"),
        ("etiqueta_nueva", "etiqueta nueva"),  # an unknown label still reads as words
    ],
)
def test_fraud_labels_read_in_spanish(label: str, text: str) -> None:
    assert label_es(label) == text


@pytest.mark.parametrize(
    ("amount", "text"), [(350, "$350"), (5000, "$5,000"), (1_250_000, "$1,250,000")]
)
def test_money_is_written_with_thousands_commas(amount: int, text: str) -> None:
    assert money(amount) == text


@pytest.mark.parametrize(
    ("words", "text"),
    [
        ([], ""),
        (["teléfono"], "teléfono"),
        (["a", "b"], "a y b"),
        (["a", "b", "c"], "a, b y c"),
    ],
)
def test_spanish_lists_join_the_last_word_with_y(words: list[str], text: str) -> None:
    assert spanish_list(words) == text
