"""Checkpoints of SQLite's write-ahead log on a thread while stages write."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from vigia.db import get_engine
from vigia.settings import get_settings
from vigia.wal import AUTOCHECKPOINT_PAGES, THREAD_NAME, checkpoints_aside


def autocheckpoint(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one()


def checkpointers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == THREAD_NAME]


def write_a_megabyte(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE IF NOT EXISTS blobs (b BLOB)")
        connection.exec_driver_sql(
            "INSERT INTO blobs VALUES (?)", [(bytes(1024),) for _ in range(1024)]
        )


@pytest.fixture
def database(sqlite_environment: dict[str, str], tmp_path: Path) -> Path:
    """A migrated SQLite file: its size is what is copied from the log."""
    get_engine(get_settings())
    return tmp_path / "vigia.db"


def test_the_thread_copies_the_log_into_the_file_while_the_block_writes(
    database: Path,
) -> None:
    engine = get_engine(get_settings())
    before = database.stat().st_size

    with checkpoints_aside(engine):
        assert autocheckpoint(engine) == 0  # commits leave it to the thread
        write_a_megabyte(engine)
        deadline = time.monotonic() + 10
        while database.stat().st_size < before + 1_000_000:
            assert time.monotonic() < deadline, "the log was never copied"
            time.sleep(0.05)

    assert checkpointers() == []
    assert autocheckpoint(engine) == AUTOCHECKPOINT_PAGES


def test_what_the_block_wrote_last_is_copied_when_it_ends(database: Path) -> None:
    engine = get_engine(get_settings())
    before = database.stat().st_size

    with checkpoints_aside(engine):
        write_a_megabyte(engine)

    # A megabyte is far below the 64 MiB at which a commit would checkpoint.
    assert database.stat().st_size >= before + 1_000_000


def test_postgresql_keeps_its_own_log() -> None:
    engine = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")

    with checkpoints_aside(engine):
        assert checkpointers() == []
