"""Group commit: concurrent requests share transactions, and none is lost."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import LandingRecord
from vigia.bench_webhook import signed_body
from vigia.db import get_engine
from vigia.landing import Arrival
from vigia.landing_writer import LandingWriter
from vigia.settings import Settings


def test_two_hundred_concurrent_bodies_are_all_committed_once(tmp_path: Path) -> None:
    engine = get_engine(Settings(data_dir=tmp_path))
    writer = LandingWriter(engine, max_batch=50)
    bodies = [signed_body(n)[0] for n in range(200)]

    async def post_all() -> None:
        await asyncio.gather(
            *(writer.store(Arrival("whatsapp_webhook", raw)) for raw in bodies + bodies)
        )

    asyncio.run(post_all())

    with engine.connect() as connection:
        stored = connection.scalar(select(func.count()).select_from(LandingRecord))
    assert stored == 200


def test_a_failed_batch_fails_each_of_its_requests(tmp_path: Path) -> None:
    engine = get_engine(Settings(data_dir=tmp_path))
    writer = LandingWriter(engine)
    engine.dispose()
    (tmp_path / "vigia.db").unlink()
    (tmp_path / "vigia.db").mkdir()  # the file is gone: every write fails

    async def post() -> None:
        await writer.store(Arrival("whatsapp_webhook", b"{}"))

    with pytest.raises(Exception):  # noqa: B017  (the driver's own error reaches the request)
        asyncio.run(post())
