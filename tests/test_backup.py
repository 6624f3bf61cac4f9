"""The backup and restore drill, on a SQLite file and on PostgreSQL.

Land and ingest traffic, back it up, restore it into a fresh database, land
the same traffic again and ingest: every count of `vigia status` is the same.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from tests.builders import encoded, text_body
from tests.conftest import DENUNCIA_ID, PG_ADMIN_URL
from tests.tasks.test_ingest import START
from vigia.cli import app
from vigia.db import _engine_for
from vigia.errors import BackupError
from vigia.settings import get_settings

runner = CliRunner()


def traffic(path: Path) -> Path:
    bodies = [
        text_body(f"wamid.k{n}", f"52155111111{n % 3}", START + timedelta(hours=n),
                  f"mensaje {n}", DENUNCIA_ID if n % 2 else "100000000000001")
        for n in range(12)
    ]  # fmt: skip
    lines = [encoded(body).decode() for body in bodies] + ["not json"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def vigia(*arguments: str) -> str:
    """Run a command in this process with the test's VIGIA_* variables."""
    get_settings.cache_clear()
    result = runner.invoke(app, list(arguments))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == 0, result.output
    return result.output


def ingest_and_status(feed: Path) -> dict:
    from tasks.ingest import ingest_pending
    from vigia.db import get_engine

    vigia("ingest", str(feed))
    settings = get_settings()
    ingest_pending(get_engine(settings), settings)
    return json.loads(vigia("status", "--json"))


@pytest.fixture
def fresh_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A second, empty database of the same kind to restore into."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"vigia_restore_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    _engine_for.cache_clear()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_restored_backup_gives_the_same_counts_after_ingesting_again(
    environment: dict[str, str],
    fresh_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    feed = traffic(tmp_path / "traffic.jsonl")
    before = ingest_and_status(feed)
    backup = tmp_path / "vigia.backup"
    vigia("backup", str(backup))

    monkeypatch.setenv("VIGIA_DATABASE_URL", fresh_url)
    vigia("restore", str(backup))
    after = ingest_and_status(feed)  # the same traffic again: all duplicates

    assert after == before
    assert before["messages"]["denuncia"] == 6
    assert before["landing"]["rejected"] == 1


def test_restore_refuses_a_database_holding_data_unless_forced(
    environment: dict[str, str], tmp_path: Path
) -> None:
    before = ingest_and_status(traffic(tmp_path / "traffic.jsonl"))
    backup = tmp_path / "vigia.backup"
    vigia("backup", str(backup))

    with pytest.raises(BackupError, match=r"not empty \(.*landing 13"):
        vigia("restore", str(backup))
    vigia("restore", str(backup), "--force")

    assert json.loads(vigia("status", "--json")) == before


def test_sqlite_backup_is_consistent_while_another_connection_writes(
    tmp_path: Path, sqlite_environment: dict[str, str]
) -> None:
    from vigia.backup import backup
    from vigia.db import get_engine

    settings = get_settings()
    get_engine(settings)
    writer = sqlite3.connect(tmp_path / "vigia.db", timeout=30)
    writer.execute("BEGIN IMMEDIATE")  # a receiver in the middle of a write
    writer.execute(
        "INSERT INTO landing (source, body, sha256, key, received_at, status) "
        "VALUES ('whatsapp_webhook', x'7b7d', 'abc', 1, '2026-12-01', 'pending')"
    )

    copy = backup(settings, tmp_path / "copy.db")
    writer.commit()
    writer.close()

    with sqlite3.connect(copy) as connection:
        assert connection.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert connection.execute("SELECT count(*) FROM landing").fetchone()[0] == 0


def test_restore_refuses_a_file_that_is_not_a_backup(
    tmp_path: Path, sqlite_environment: dict[str, str]
) -> None:
    from vigia.backup import restore

    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a database" * 100)

    with pytest.raises(BackupError, match="not a SQLite backup"):
        restore(get_settings(), junk)


def test_missing_pg_tools_are_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from vigia import backup as module
    from vigia.settings import Settings

    monkeypatch.setattr(module.shutil, "which", lambda _name: None)
    settings = Settings(database_url="postgresql+psycopg://u@127.0.0.1:1/x")

    with pytest.raises(BackupError, match="pg_dump is not on PATH"):
        module.backup(settings, tmp_path / "x.backup")
