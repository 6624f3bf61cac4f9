"""Every scheduled deployment of Vigía, served from one process."""

from __future__ import annotations

from prefect import serve
from prefect.schedules import Cron

from flows.fraud_list import fraud_list
from flows.pipeline import pipeline
from flows.retention import retention
from flows.weekly_report import weekly_report

TIMEZONE = "America/Mexico_City"


def deployments() -> list:  # type: ignore[type-arg]
    """The deployments `vigia serve` runs; prefect.yaml declares the same ones."""
    return [
        pipeline.to_deployment(
            name="pipeline-every-5-minutes",
            schedules=[Cron("*/5 * * * *", timezone=TIMEZONE)],
            concurrency_limit=1,
            description="Ingest what landed and bring every stage up to date.",
        ),
        fraud_list.to_deployment(
            name="fraud-list-daily",
            schedules=[Cron("0 7 * * *", timezone=TIMEZONE)],
            concurrency_limit=1,
            description="The investigators' prioritised fraud list, every morning.",
        ),
        weekly_report.to_deployment(
            name="weekly-report-mondays",
            schedules=[Cron("0 8 * * 1", timezone=TIMEZONE)],
            concurrency_limit=1,
            description="Last week's accountability report and open data.",
        ),
        retention.to_deployment(
            name="retention-daily",
            schedules=[Cron("30 3 * * *", timezone=TIMEZONE)],
            concurrency_limit=1,
            description="Empty landed bodies past their retention period.",
        ),
    ]


def serve_all(limit: int = 1) -> None:
    """Serve the deployments with at most ``limit`` flow runs at once."""
    serve(*deployments(), limit=limit)
