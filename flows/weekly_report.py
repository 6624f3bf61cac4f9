"""The weekly-report flow: every Monday, last week's accountability report."""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NONE

FLOW_NAME = "vigia-weekly-report"


@task(name="render-weekly-report", cache_policy=NONE)
def render_weekly_report(week: str | None = None) -> dict[str, str]:
    """Render one ISO week (default: the one before this); returns file paths."""
    from reports.weekly import render_week
    from reports.weekly_data import Week
    from vigia.db import get_engine, utcnow
    from vigia.settings import get_settings

    settings = get_settings()
    chosen = Week.parse(week) if week else Week.containing(utcnow()).previous()
    files = render_week(
        get_engine(settings),
        chosen,
        settings.data_dir / "reports",
        settings.report_min_cell,
    )
    return {
        "week": files.week,
        "html": str(files.html),
        "json": str(files.json),
        "csv": str(files.csv),
        "summary": files.summary,
    }


@flow(name=FLOW_NAME, retries=0)
def weekly_report(week: str | None = None) -> dict[str, Any]:
    """Write the report and its open data; publish a Markdown summary."""
    rendered = render_weekly_report(week)
    create_markdown_artifact(
        key="weekly-report",
        markdown=rendered["summary"],
        description="Headline figures of the weekly report and where it is.",
    )
    get_run_logger().info("weekly report %s written", rendered["week"])
    return rendered
