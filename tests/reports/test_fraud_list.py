"""The investigators' fraud list: scoring, ranking and the CSV, HTML and artifact."""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from reports import fraud_list
from reports.excerpt import PHONE_MASK, excerpt_of
from reports.fraud_list import (
    CSV_COLUMNS,
    FraudIncident,
    accused_kind,
    artifact_rows,
    rank_incidents,
    render_html,
    score_incident,
    write_csv,
    write_html,
)
from vigia.errors import RejectedInput

NOW = datetime(2026, 12, 7, 16, 0, tzinfo=UTC)  # Monday 10:00 in Mexico City


def incident(**changes: Any) -> FraudIncident:
    """A plain incident with one report and no aggravating details, then ``changes``."""
    base: dict[str, Any] = dict(
        incident="INC-2026-000001",
        folios=("DEN-2026-000101",),
        labels=("cobro_indebido",),
        confidence=0.5,
        amount=None,
        public_servant=False,
        threats=False,
        victims=None,
        reporters=1,
        accused=(),
        attachments=0,
        first_seen=NOW - timedelta(days=10),
        last_seen=NOW - timedelta(days=10),
        unit="juridico",
        unit_name="Asuntos Jurídicos",
        triage_due=NOW + timedelta(days=2),
        state="Chiapas",
        excerpt="el gestor nos cobro para meternos a la lista",
    )
    return FraudIncident(**{**base, **changes})


def total(**changes: Any) -> float:
    return score_incident(incident(**changes), NOW).total


# --- scoring ---------------------------------------------------------------


def test_weights_sum_to_100() -> None:
    names = [name for name in dir(fraud_list) if name.startswith("W_")]

    assert len(names) == 10
    assert sum(getattr(fraud_list, name) for name in names) == 100


# fmt: off
RAISES = [
    # (change, component key, reason text)
    ({"confidence": 0.9}, "confidence", "probabilidad de fraude 90 %"),
    ({"amount": 5000}, "amount", "monto $5,000"),
    ({"public_servant": True}, "servant", "servidor público"),
    ({"threats": True}, "threats", "amenazas"),
    ({"reporters": 3}, "reporters", "3 personas lo reportan"),
    ({"victims": 20}, "victims", "20 afectados según el relato"),
    ({"accused": ("961 234 5678",)}, "accused", "teléfono del acusado"),
    ({"attachments": 2}, "evidence", "2 evidencias adjuntas"),
    ({"last_seen": NOW - timedelta(days=2)}, "recency", "reciente (hace 2 días)"),
    ({"linked": ("INC-2026-000017",)}, "repeat", "acusado también en otro incidente"),
]
# fmt: on


@pytest.mark.parametrize(("change", "key", "text"), RAISES)
def test_each_component_raises_the_score_with_its_reason(
    change: dict[str, Any], key: str, text: str
) -> None:
    score = score_incident(incident(**change), NOW)

    assert score.total > total()
    assert (key, text) in [(reason.key, reason.text) for reason in score.reasons]


def test_a_plain_report_explains_only_confidence_and_age() -> None:
    keys = [reason.key for reason in score_incident(incident(), NOW).reasons]

    assert keys == ["confidence", "recency"]


def test_score_runs_from_0_to_100() -> None:
    worst = incident(confidence=0.0, last_seen=NOW - timedelta(days=3650))
    best = incident(
        confidence=1.0, amount=1_000_000, public_servant=True, threats=True,
        victims=100, reporters=50, attachments=10, last_seen=NOW,
        accused=("961 234 5678", "CLABE 012180001234567891"),
        linked=("INC-2026-000002", "INC-2026-000003"),
    )  # fmt: skip

    assert score_incident(worst, NOW).total == 0.0
    assert score_incident(best, NOW).total == 100.0


def test_score_grows_with_the_amount_and_saturates() -> None:
    amounts = [None, 50, 500, 2_500, 5_000, 20_000, 50_000, 500_000]

    totals = [total(amount=amount) for amount in amounts]

    assert totals[:-1] == sorted(set(totals[:-1]))  # strictly rising to the cap
    assert totals[-1] == totals[-2]  # no more points past AMOUNT_FULL


def test_score_grows_with_the_number_of_reporters() -> None:
    totals = [total(reporters=count) for count in (1, 2, 3, 5, 10, 20)]

    assert totals == sorted(set(totals))
    assert total(reporters=40) == totals[-1]


@pytest.mark.parametrize(("days", "share"), [(0, 1.0), (14, 0.5), (28, 0.25)])
def test_recency_halves_every_two_weeks(days: int, share: float) -> None:
    score = score_incident(incident(last_seen=NOW - timedelta(days=days)), NOW)

    recency = next(reason for reason in score.reasons if reason.key == "recency")
    assert recency.points == round(fraud_list.W_RECENCY * share, 1)


def test_a_report_dated_after_now_counts_as_fresh() -> None:
    assert total(last_seen=NOW + timedelta(hours=3)) == total(last_seen=NOW)


def test_scoring_is_deterministic_and_reasons_come_largest_first() -> None:
    busy = incident(amount=3500, threats=True, reporters=4, attachments=1)

    first, second = score_incident(busy, NOW), score_incident(busy, NOW)

    assert first == second
    points = [reason.points for reason in first.reasons]
    assert points == sorted(points, reverse=True)


@pytest.mark.parametrize(
    ("detail", "kind"),
    [
        ("961 234 5678", "teléfono"),
        ("+52 1 55 1234 5678", "teléfono"),
        ("CLABE 012180001234567891", "cuenta"),
        ("tarjeta 4152 3131 0000 8811", "cuenta"),
        ("cuenta Banco Azteca 1234567890", "cuenta"),
        ("https://conavi-apoyos.com", "página web"),
        ("facebook: Apoyos Conavi 2026", "página web"),
        ("Lic. Ramiro Gómez", "nombre"),
        ("Tuxtla Gutiérrez, col. Las Palmas", "nombre"),
    ],
)
def test_accused_details_are_told_apart(detail: str, kind: str) -> None:
    assert accused_kind(detail) == kind


def test_several_kinds_of_accused_detail_are_listed_in_one_reason() -> None:
    score = score_incident(
        incident(
            accused=("Lic. Ramiro Gómez", "961 234 5678", "CLABE 012180001234567891")
        ),
        NOW,
    )

    texts = [reason.text for reason in score.reasons]
    assert "teléfono, cuenta y nombre del acusado" in texts


# --- ranking ---------------------------------------------------------------


def test_ranking_puts_the_highest_score_first() -> None:
    low = incident(incident="INC-2026-000001")
    high = incident(incident="INC-2026-000002", amount=5000, threats=True)

    rows = rank_incidents([low, high], NOW)

    assert [(row.rank, row.incident.incident) for row in rows] == [
        (1, "INC-2026-000002"),
        (2, "INC-2026-000001"),
    ]
    assert rows[0].score.total > rows[1].score.total


def test_ties_go_to_more_reporters_then_latest_report_then_id() -> None:
    # A second reporter is worth what 0.0833 more confidence is: equal scores.
    newer, older = NOW - timedelta(days=10), NOW - timedelta(days=10, minutes=1)
    tied = [
        incident(incident="INC-2026-000009", confidence=0.5833, last_seen=newer),
        incident(incident="INC-2026-000004", confidence=0.5833, last_seen=newer),
        incident(incident="INC-2026-000003", confidence=0.5833, last_seen=older),
        incident(incident="INC-2026-000005", reporters=2),
    ]

    rows = rank_incidents(tied, NOW)

    assert len({row.score.total for row in rows}) == 1
    assert [row.incident.incident for row in rows] == [
        "INC-2026-000005",
        "INC-2026-000004",
        "INC-2026-000009",
        "INC-2026-000003",
    ]


def test_an_incident_listed_twice_is_rejected() -> None:
    with pytest.raises(RejectedInput, match="INC-2026-000001"):
        rank_incidents([incident(), incident()], NOW)


@pytest.mark.parametrize(
    "change",
    [
        {"last_seen": datetime(2026, 12, 7, 10, 0)},
        {"triage_due": datetime(2026, 12, 7, 10, 0)},
        {"confidence": 1.2},
    ],
)
def test_bad_incident_data_is_rejected_with_its_reason(change: dict[str, Any]) -> None:
    with pytest.raises(RejectedInput, match="INC-2026-000001"):
        incident(**change)


def test_a_naive_now_is_rejected() -> None:
    with pytest.raises(RejectedInput, match="time zone"):
        score_incident(incident(), datetime(2026, 12, 7, 10, 0))


# --- rendering -------------------------------------------------------------

OWN_PHONE = "9615550101"
REPORT = (
    "el servidor de la nacion nos pide 5 mil x quedar en la lista, su cel es "
    "961 234 5678. mi numero es 961 555 0101"
)


def sample_rows() -> list[fraud_list.FraudRow]:
    """Two incidents: one overdue with the complainant's phone in its report."""
    serious = incident(
        incident="INC-2026-000042",
        folios=("DEN-2026-000123", "POR-2026-000017"),
        labels=("soborno", "desvio_obra"),
        amount=5000,
        public_servant=True,
        reporters=2,
        accused=("961 234 5678", "+52 55 8765 4321"),
        triage_due=datetime(2026, 12, 4, 16, 0, tzinfo=UTC),
        excerpt=excerpt_of(REPORT, own_phones=(OWN_PHONE,)),
        linked=("INC-2026-000017",),
    )
    scam = incident(
        incident="INC-2026-000051",
        labels=("suplantacion",),
        triage_due=datetime(2026, 12, 7, 23, 0, tzinfo=UTC),  # 17:00 today
        state=None,
        excerpt='=HYPERLINK("x") sali sorteado <script>alert(1)</script>',
    )
    return rank_incidents([scam, serious], NOW)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def test_csv_reads_back_with_bom_spanish_headers_and_local_times(
    tmp_path: Path,
) -> None:
    path = tmp_path / "lista.csv"

    write_csv(sample_rows(), path, NOW)

    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    first, second = read_csv(path)
    assert tuple(first) == CSV_COLUMNS
    assert first["rango"] == "1"
    assert first["incidente"] == "INC-2026-000042"
    assert first["folios"] == "DEN-2026-000123 POR-2026-000017"
    assert first["senales"] == "soborno; desvío de obra"
    assert first["vence_triage"] == "2026-12-04 10:00"
    assert first["situacion_triage"] == "vencido"
    assert first["ultima_vez"] == "2026-11-27 10:00"
    assert "monto $5,000" in first["razones"].split("; ")
    assert float(first["puntaje"]) > float(second["puntaje"])
    assert second["situacion_triage"] == "vence hoy"


def test_csv_has_the_accused_phone_but_never_the_complainant(tmp_path: Path) -> None:
    path = tmp_path / "lista.csv"

    write_csv(sample_rows(), path, NOW)

    content = path.read_text(encoding="utf-8-sig")
    assert "961 234 5678" in content
    assert PHONE_MASK in content
    assert "555 0101" not in content


def test_csv_cells_starting_like_a_formula_are_neutralised(tmp_path: Path) -> None:
    path = tmp_path / "lista.csv"

    write_csv(sample_rows(), path, NOW)

    first, second = read_csv(path)
    assert first["acusado"] == "961 234 5678; +52 55 8765 4321"  # not at cell start
    assert second["extracto"].startswith("'=HYPERLINK")


def test_writing_leaves_no_temporary_file(tmp_path: Path) -> None:
    write_csv(sample_rows(), tmp_path / "lista.csv", NOW)
    write_html(sample_rows(), tmp_path / "lista.html", NOW)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["lista.csv", "lista.html"]


def test_html_is_self_contained() -> None:
    html = render_html(sample_rows(), NOW)

    assert '<html lang="es">' in html
    for outside in ("src=", "href=", "<link", "<script", "@import", "url(", "@font"):
        assert outside not in html


def test_html_escapes_citizen_text() -> None:
    html = render_html(sample_rows(), NOW)

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_html_marks_overdue_triage_red_and_today_amber() -> None:
    html = render_html(sample_rows(), NOW)

    assert '<span class="due vencido">vencido · vie 4 dic 2026, 10:00</span>' in html
    assert (
        '<span class="due vence-hoy">vence hoy · lun 7 dic 2026, 17:00</span>' in html
    )
    assert "1 con triage vencido" in html


def test_html_speaks_spanish_to_the_investigator() -> None:
    html = render_html(sample_rows(), NOW)

    assert "Generado el lun 7 dic 2026, 10:00" in html
    for text in (
        "desvío de obra",
        "suplantación",
        "Asuntos Jurídicos",
        "INC-2026-000017",
    ):
        assert text in html
    assert "555 0101" not in html


def test_empty_list_renders_a_friendly_message() -> None:
    html = render_html([], NOW)

    assert "Sin incidentes con señal de fraude en este periodo" in html
    assert "<table" not in html


def test_artifact_rows_hold_short_keys_and_plain_values() -> None:
    rows = artifact_rows(sample_rows(), limit=1)

    assert len(rows) == 1
    assert rows[0]["incidente"] == "INC-2026-000042"
    assert all(isinstance(value, str | int | float) for value in rows[0].values())
    assert all(re.fullmatch(r"[a-z_]+", key) for key in rows[0])
