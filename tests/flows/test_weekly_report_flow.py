"""The weekly report on demo traffic: the flow, its artifact, the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from reports.weekly import render_week
from reports.weekly_data import Week
from tasks.assign import route_pending
from tasks.case_updates import import_updates
from tasks.classify import classify_pending
from tasks.group import group_pending
from tasks.ingest import ingest_pending
from tasks.routing import load_rules
from tests.reports.test_weekly import screenshot
from vigia.demo.progress import write_demo_progress
from vigia.demo_files import write_demo_traffic
from vigia.landing import land, read_backfill
from vigia.settings import Settings

pytestmark = pytest.mark.slow
END = datetime(2026, 11, 30, 12, tzinfo=UTC)  # Monday after 2026-W48
WEEK = Week(2026, 48)


def demo_database(engine: Engine, settings: Settings, models, folder: Path) -> None:
    """Two weeks of demo traffic through every stage, and the units' updates."""
    traffic = folder / "traffic.jsonl"
    write_demo_traffic(traffic, messages=1_500, seed=11, weeks=2, end=END)
    land(engine, read_backfill(traffic))
    ingest_pending(engine, settings)
    classify_pending(engine, models)
    group_pending(engine, settings.data_dir)
    route_pending(engine, load_rules())
    write_demo_progress(engine, folder / "avances.csv", END, seed=11)
    assert import_updates(engine, folder / "avances.csv").errors == []


def test_the_demo_week_reads_in_a_browser_at_phone_and_desk_width(
    engine: Engine, settings: Settings, trained_models, tmp_path: Path
) -> None:
    demo_database(engine, settings, trained_models, tmp_path)

    files = render_week(engine, WEEK, tmp_path / "reports")

    html = files.html.read_text(encoding="utf-8")
    assert "Informe semanal" in html and "Asuntos Jurídicos" in html
    for width in (412, 1280):
        shot = screenshot(files.html, tmp_path / f"informe-{width}.png", width)
        assert shot.stat().st_size > 30_000


def test_weekly_flow_publishes_the_summary_with_the_files_location(
    prefect_api: str, engine: Engine, settings: Settings, trained_models, tmp_path
) -> None:
    from prefect.client.orchestration import get_client

    from flows.weekly_report import weekly_report

    demo_database(engine, settings, trained_models, tmp_path)

    state = weekly_report(week="2026-W48", return_state=True)
    rendered = state.result()

    assert Path(rendered["html"]).parent == settings.data_dir / "reports"
    assert Path(rendered["json"]).is_file() and Path(rendered["csv"]).is_file()
    with get_client(sync_client=True) as client:
        [artifact] = [
            a
            for a in client.read_artifacts()
            if a.key == "weekly-report"
            and a.flow_run_id == state.state_details.flow_run_id
        ]
    assert "Informe semanal 2026-W48" in artifact.data
    assert rendered["html"] in artifact.data


def test_report_weekly_on_the_command_line(environment: dict[str, str]) -> None:
    env = os.environ | environment

    def vigia(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "vigia.cli", "report", "weekly", *args],
            env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    done = vigia("--week", "2026-W48")
    refused = vigia("--week", "2026-48")

    assert done.returncode == 0, done.stderr
    assert "informe-semana-2026-W48.html" in done.stdout
    assert refused.returncode == 2
    assert "not an ISO week such as 2026-W48" in refused.stderr
