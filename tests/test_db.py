"""SQLite connection settings: the receiver's commits reach the disk one by one."""

from __future__ import annotations

from pathlib import Path

import pytest

from vigia.db import get_engine
from vigia.settings import Settings

SYNCHRONOUS = {1: "NORMAL", 2: "FULL"}


@pytest.mark.parametrize(("durable", "expected"), [(False, "NORMAL"), (True, "FULL")])
def test_only_durable_engines_sync_every_commit(
    tmp_path: Path, durable: bool, expected: str
) -> None:
    settings = Settings(data_dir=tmp_path)

    engine = get_engine(settings, durable=durable)

    with engine.connect() as connection:
        level = connection.exec_driver_sql("PRAGMA synchronous").scalar()
        journal = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    assert SYNCHRONOUS[level] == expected
    assert journal == "wal"
