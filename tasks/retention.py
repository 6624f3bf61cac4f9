"""Retention: empty landed bodies once they are no longer needed verbatim.

A landing row keeps the body exactly as it arrived so that nothing is lost if
parsing fails. Once its parsed form is stored (``processed``, or ``ignored``
on purpose) the verbatim copy only holds personal data twice; after
``VIGIA_LANDING_RETENTION_DAYS`` its body is emptied. The row, its sha256 and
its status stay, so a re-delivery of the same bytes is still a duplicate.

A ``rejected`` body is the only copy of what arrived: nothing of it was
stored. It is kept for review, and for a fixed parser to ingest it again,
for the longer ``VIGIA_REJECTED_RETENTION_DAYS``. A ``pending`` body is never
emptied. Every purge is recorded in ``landing_purges``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import NONE
from sqlalchemy import ColumnElement, Engine, and_, func, insert, or_, select, update

from models import LandingPurge, LandingRecord
from models.landing import LandingStatus
from vigia.db import get_engine, utcnow
from vigia.settings import Settings, get_settings


@dataclass(frozen=True)
class PurgeSummary:
    """What one purge emptied, or would empty on a dry run."""

    purged_at: datetime
    cutoff: datetime
    rejected_cutoff: datetime
    rows: int
    bytes_freed: int
    dry_run: bool

    def as_dict(self) -> dict[str, Any]:
        """Plain values for JSON and artifacts."""
        values = asdict(self)
        for name in ("purged_at", "cutoff", "rejected_cutoff"):
            values[name] = values[name].isoformat()
        return values


def purge_landing(
    engine: Engine, settings: Settings, now: datetime, *, dry_run: bool = False
) -> PurgeSummary:
    """Empty the bodies past retention in one transaction, and record the purge."""
    cutoff = now - timedelta(days=settings.landing_retention_days)
    rejected_cutoff = now - timedelta(days=settings.rejected_retention_days)
    table = LandingRecord.__table__
    due = _due(cutoff, rejected_cutoff)

    with engine.begin() as connection:
        rows, size = connection.execute(
            select(func.count(), func.coalesce(func.sum(func.length(table.c.body)), 0))
            .where(due)
        ).one()  # fmt: skip
        summary = PurgeSummary(now, cutoff, rejected_cutoff, rows, size, dry_run)
        if dry_run or not rows:
            return summary
        connection.execute(update(table).where(due).values(body=b"", purged_at=now))
        connection.execute(
            insert(LandingPurge.__table__).values(
                purged_at=now,
                cutoff=cutoff,
                rejected_cutoff=rejected_cutoff,
                rows=rows,
                bytes_freed=size,
            )
        )
    return summary


def _due(cutoff: datetime, rejected_cutoff: datetime) -> ColumnElement[bool]:
    """Rows whose body may go: stored and old, or rejected and older still."""
    table = LandingRecord.__table__
    stored = (LandingStatus.PROCESSED.value, LandingStatus.IGNORED.value)
    return and_(
        table.c.purged_at.is_(None),
        or_(
            and_(table.c.status.in_(stored), table.c.received_at < cutoff),
            and_(
                table.c.status == LandingStatus.REJECTED.value,
                table.c.received_at < rejected_cutoff,
            ),
        ),
    )


@task(name="purge-landing", cache_policy=NONE)
def purge_landing_task(dry_run: bool = False) -> dict[str, Any]:
    """Purge the landing bodies past retention; returns the counts."""
    settings = get_settings()
    summary = purge_landing(get_engine(settings), settings, utcnow(), dry_run=dry_run)
    get_run_logger().info(
        "purged %d landing bodies (%d bytes) received before %s",
        summary.rows,
        summary.bytes_freed,
        summary.cutoff.isoformat(),
    )
    return summary.as_dict()
