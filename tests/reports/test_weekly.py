"""The weekly report: SQL aggregates, suppression, files, no personal data."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from reports.weekly import render_week, suppressed_view
from reports.weekly_data import Week, collect_week
from tasks.assign import route_pending
from tasks.classify import classify_pending
from tasks.group import group_pending
from tasks.lifecycle import update_case
from tasks.routing import load_rules
from tests.builders import status_body, text_body
from tests.conftest import DENUNCIA_ID
from tests.tasks.test_classify import deliver
from vigia.settings import Settings

WEEK = Week(2026, 48)  # Monday 23 to Sunday 29 November 2026, Mexico City
MONDAY = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)  # 10:00 in Mexico City
QUESTION = "buenas tardes cuales son los requisitos para registrarme al programa"
PERSONAL = (
    "me atendio la licenciada Rosa Vargas Ortiz, mi curp es VAOR800101MDFRRS09 y mi "
    "cel 55 1234 9876, el gestor Ramiro Sosa del 961 234 5678 me cobro 3 mil"
)


def sender(n: int) -> str:
    return f"5215510000{n:03d}"


def build_week(engine: Engine, settings: Settings, trained_models) -> None:
    """Seven questions and two denuncias this week, one question the week before.

    Five questions are answered two hours later, four of them resolved on the
    Tuesday; one question stays unanswered.
    """
    bodies = [
        text_body(f"wamid.q{n}", sender(n), MONDAY, f"{QUESTION} {n}") for n in range(7)
    ]
    bodies += [
        text_body(f"wamid.d{n}", sender(50 + n), MONDAY, PERSONAL, DENUNCIA_ID)
        for n in range(2)
    ]
    bodies.append(
        text_body("wamid.old", sender(90), MONDAY - timedelta(days=7), QUESTION)
    )
    bodies += [
        status_body(f"wamid.r{n}", sender(n), MONDAY + timedelta(hours=2))
        for n in range(5)
    ]
    deliver(engine, settings, bodies)
    classify_pending(engine, trained_models)
    group_pending(engine, settings.data_dir)
    route_pending(engine, load_rules())
    folios = [f"ATE-2026-{n:06d}" for n in range(2, 9)]  # 1 is last week's
    tuesday = MONDAY + timedelta(days=1)
    for folio in folios[:4]:
        update_case(engine, folio, "in_progress", at=tuesday)
        update_case(engine, folio, "resolved", at=tuesday + timedelta(hours=3))


def test_the_weeks_figures_come_out_of_sql(
    engine: Engine, settings: Settings, trained_models
) -> None:
    build_week(engine, settings, trained_models)

    with engine.connect() as connection:
        data = collect_week(connection, WEEK)

    channels = {row["key"]: row for row in data["volume"]["channel"]}
    assert channels["te_atiende"]["count"] == 7
    assert channels["te_atiende"]["previous"] == 1
    assert channels["denuncia"]["count"] == 2
    answers = data["first_answer"]["atencion_ciudadana"]
    assert answers["cases"] == 5 and answers["waiting"] == 2
    assert answers["median_h"] == pytest.approx(2.0, abs=0.01)
    resolved = data["resolution"]["atencion_ciudadana"]
    assert resolved["cases"] == 4
    assert resolved["median_h"] == pytest.approx(27.0, abs=0.01)
    assert data["fraud_funnel"]["received"] == 2
    open_cases = sum(row["count"] for row in data["backlog"])
    assert open_cases == 10 - 4
    assert data["quality"]["classified"] == 9


def test_small_cells_are_suppressed_everywhere() -> None:
    data = {
        "week": "2026-W48",
        "start": WEEK.start,
        "end": WEEK.end,
        "volume": {
            "channel": [{"key": "denuncia", "count": 3, "previous": 12}],
            "topic": [],
            "state": [{"key": "Oaxaca", "count": 7, "previous": 2}],
            "messages": [],
        },
        "first_answer": {
            "juridico": {"cases": 4, "median_h": 3.0, "p90_h": 9.0, "on_time": 4}
        },
        "resolution": {},
        "backlog": [{"age": "1 a 3 días", "count": 2}],
        "overdue": [{"unit": "juridico", "open": 9, "overdue": 1}],
        "fraud_funnel": {"received": 3, "triaged": 0, "referred": 0, "closed": 0},
        "top_incidents": [
            {"code": "INC-2026-000001", "reporters": 2, "cases": 6, "labels": []}
        ],
        "quality": {"rejected": 1, "classified": 4, "needs_review": 1, "versions": []},
        "automatic": {
            "te_atiende_cases": 40, "answered_automatically": 3, "wrote_again_24h": 1,
        },
    }  # fmt: skip

    view = suppressed_view(data, 5, load_rules().units)

    [channel] = view["volumen"]["casos_por_canal"]
    assert channel["casos"] is None and channel["cambio_pct"] is None
    [state] = view["volumen"]["casos_por_estado"]
    assert state["casos"] == 7 and state["semana_anterior"] is None
    [unit] = view["primera_respuesta"]
    assert unit["mediana_horas"] is None and unit["dentro_de_meta_pct"] is None
    assert view["rezago_por_antiguedad"][0]["casos"] is None
    assert view["vencidos_por_unidad"][0]["vencidos"] is None
    assert view["embudo_fraude"]["received"] is None
    assert view["embudo_fraude"]["triaged"] == 0  # zero reveals no one
    assert view["incidentes_principales"][0]["denunciantes"] is None
    assert view["calidad"]["requieren_revision_pct"] is None
    automatic = view["respuestas_automaticas"]
    assert automatic["casos_te_atiende"] == 40 and automatic["respondidos"] is None
    assert automatic["respondidos_pct"] is None  # 7.5 % of 40 would tell the 3
    assert automatic["escribieron_de_nuevo_pct"] is None  # 1 of 3: too few to show


def test_no_personal_data_reaches_the_report_or_the_open_data(
    engine: Engine, settings: Settings, trained_models, tmp_path: Path
) -> None:
    build_week(engine, settings, trained_models)

    files = render_week(engine, WEEK, tmp_path, threshold=1)

    published = "\n".join(
        path.read_text(encoding="utf-8") for path in (files.html, files.json, files.csv)
    ) + files.summary  # fmt: skip
    digits = re.sub(r"\D", "", published)
    for secret in ("Rosa", "Vargas", "Ramiro", "Sosa", "VAOR800101MDFRRS09"):
        assert secret.lower() not in published.lower()
    for phone in ("5512349876", "9612345678", "5510000000", "5510000050"):
        assert phone not in digits
    assert "INC-2026-" in published  # incidents are named by code only


def test_the_same_week_renders_to_identical_files(
    engine: Engine, settings: Settings, trained_models, tmp_path: Path
) -> None:
    build_week(engine, settings, trained_models)

    first = render_week(engine, WEEK, tmp_path / "a")
    second = render_week(engine, WEEK, tmp_path / "b")

    for one, two in [(first.html, second.html), (first.json, second.json),
                     (first.csv, second.csv)]:  # fmt: skip
        assert one.read_bytes() == two.read_bytes()
    assert json.loads(first.json.read_text())["semana"] == "2026-W48"
    assert first.html.name == "informe-semana-2026-W48.html"


def test_a_person_can_read_the_report_in_a_browser(
    engine: Engine, settings: Settings, trained_models, tmp_path: Path
) -> None:
    build_week(engine, settings, trained_models)
    files = render_week(engine, WEEK, tmp_path)
    html = files.html.read_text(encoding="utf-8")

    assert not re.search(r"<(script|link|img|iframe)\b", html)
    assert not re.search(r"""(src|href)\s*=\s*["']?(?!#)""", html)
    assert not re.search(r"url\(", html)

    shot = screenshot(files.html, tmp_path / "informe.png", width=412)
    assert shot.stat().st_size > 20_000  # a rendered page, not a blank one


def screenshot(page: Path, target: Path, width: int = 1280) -> Path:
    """A headless Chromium screenshot of a local page, with networking cut off."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: `make test` installs it (apt-get)")
        pytest.skip("chromium is not installed; `make test` installs it")
    subprocess.run(
        [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={target.parent / 'chromium-profile'}",
            f"--window-size={width},2000", f"--screenshot={target}", page.as_uri(),
        ],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return target
