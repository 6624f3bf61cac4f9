"""What `vigia status` reports: landing, messages and cases at a glance."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select

from models import Case, CaseLabel, LandingRecord, Message, PipelineRun
from models.landing import LandingStatus
from vigia.settings import CHANNELS


def collect_status(engine: Engine) -> dict[str, Any]:
    """Counts for scripts; the keys are stable, later stages only add keys."""
    landing = LandingRecord.__table__
    messages = Message.__table__
    cases = Case.__table__
    runs = PipelineRun.__table__
    with engine.connect() as connection:
        by_status = dict(
            connection.execute(
                select(landing.c.status, func.count()).group_by(landing.c.status)
            ).all()
        )
        by_channel = dict(
            connection.execute(
                select(messages.c.channel, func.count())
                .where(messages.c.direction == "in")
                .group_by(messages.c.channel)
            ).all()
        )
        cases_by_channel = dict(
            connection.execute(
                select(cases.c.channel, func.count()).group_by(cases.c.channel)
            ).all()
        )
        last_run = connection.scalar(
            select(func.max(runs.c.finished_at)).where(runs.c.state == "completed")
        )
        classified = _classified(connection)
    return {
        "landing": {status.value: by_status.get(status, 0) for status in LandingStatus},
        "messages": {channel: by_channel.get(channel, 0) for channel in CHANNELS},
        "cases": {channel: cases_by_channel.get(channel, 0) for channel in CHANNELS},
        "last_run": last_run.isoformat() if last_run else None,
        "classified": classified,
    }


def _classified(connection: Any) -> dict[str, int]:
    """Cases with a classification, with a fraud signal, and needing review."""
    labels = CaseLabel.__table__
    row = connection.execute(
        select(
            func.count(),
            func.count().filter(labels.c.has_fraud),
            func.count().filter(labels.c.needs_review),
        )
    ).one()
    return {"cases": row[0], "with_fraud": row[1], "needs_review": row[2]}
