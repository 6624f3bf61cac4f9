"""Retention on real databases: old stored bodies emptied, the rest kept."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, select, update
from typer.testing import CliRunner

from models import LandingPurge, LandingRecord
from tasks.ingest import ingest_pending
from tasks.retention import purge_landing
from tests.builders import encoded, text_body
from tests.tasks.test_ingest import START
from vigia.cli import app
from vigia.db import utcnow
from vigia.landing import Arrival, land
from vigia.settings import Settings
from vigia.status import collect_status

NOW = utcnow()


def deliver(engine: Engine, settings: Settings) -> dict[str, bytes]:
    """One body of each outcome, landed long ago; one pending, landed as old."""
    bodies = {
        "processed": encoded(text_body("wamid.r1", "5215511111111", START, "hola")),
        "ignored": b'{"object": "whatsapp_business_account", "entry": []}',
        "rejected": b"not json at all",
    }
    land(engine, [Arrival("whatsapp_webhook", body) for body in bodies.values()])
    ingest_pending(engine, settings)
    bodies["pending"] = encoded(text_body("wamid.r2", "5215511111111", START, "y?"))
    land(engine, [Arrival("whatsapp_webhook", bodies["pending"])])
    return bodies


def age_everything(engine: Engine, days: int) -> None:
    table = LandingRecord.__table__
    with engine.begin() as connection:
        connection.execute(update(table).values(received_at=NOW - timedelta(days=days)))


def kept(engine: Engine) -> dict[str, tuple[bytes, str]]:
    table = LandingRecord.__table__
    with engine.connect() as connection:
        rows = connection.execute(select(table.c.status, table.c.body, table.c.sha256))
        return {status: (bytes(body), sha) for status, body, sha in rows}


def test_stored_bodies_past_retention_are_emptied_rejected_and_pending_kept(
    engine: Engine, settings: Settings
) -> None:
    bodies = deliver(engine, settings)
    before = kept(engine)
    age_everything(engine, settings.landing_retention_days + 1)

    summary = purge_landing(engine, settings, NOW)

    after = kept(engine)
    assert summary.rows == 2
    assert summary.bytes_freed == len(bodies["processed"]) + len(bodies["ignored"])
    assert after["processed"] == (b"", before["processed"][1])
    assert after["ignored"] == (b"", before["ignored"][1])
    assert after["rejected"] == before["rejected"]  # kept for review
    assert after["pending"] == before["pending"]  # never purged
    with engine.connect() as connection:
        (record,) = connection.execute(select(LandingPurge.__table__)).all()
    assert (record.rows, record.bytes_freed) == (2, summary.bytes_freed)


def test_rejected_bodies_go_after_their_longer_limit(
    engine: Engine, settings: Settings
) -> None:
    deliver(engine, settings)
    age_everything(engine, settings.rejected_retention_days + 1)

    purge_landing(engine, settings, NOW)

    after = kept(engine)
    assert after["rejected"][0] == b""
    assert after["pending"][0] != b""


def test_a_redelivered_purged_body_is_still_a_duplicate(
    engine: Engine, settings: Settings
) -> None:
    bodies = deliver(engine, settings)
    ingest_pending(engine, settings)
    age_everything(engine, settings.landing_retention_days + 1)
    purge_landing(engine, settings, NOW)
    before = collect_status(engine)

    summary = land(engine, [Arrival("whatsapp_webhook", bodies["processed"])])
    ingest_pending(engine, settings)

    assert (summary.landed, summary.already_landed) == (0, 1)
    assert collect_status(engine) == before


def test_purging_twice_empties_nothing_more_and_records_one_purge(
    engine: Engine, settings: Settings
) -> None:
    deliver(engine, settings)
    age_everything(engine, settings.landing_retention_days + 1)
    purge_landing(engine, settings, NOW)

    again = purge_landing(engine, settings, NOW)

    assert again.rows == 0
    with engine.connect() as connection:
        assert len(connection.execute(select(LandingPurge.__table__)).all()) == 1


def test_recent_bodies_are_kept(engine: Engine, settings: Settings) -> None:
    deliver(engine, settings)
    age_everything(engine, settings.landing_retention_days - 1)

    assert purge_landing(engine, settings, NOW).rows == 0


def test_purge_dry_run_counts_and_changes_nothing(
    engine: Engine, settings: Settings
) -> None:
    deliver(engine, settings)
    age_everything(engine, settings.landing_retention_days + 1)
    before = kept(engine)

    result = CliRunner().invoke(app, ["purge", "--dry-run", "--json"])

    assert result.exit_code == 0, result.output
    assert '"rows": 2' in result.output and '"dry_run": true' in result.output
    assert kept(engine) == before
