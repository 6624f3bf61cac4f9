"""Group commit for the receiver: many concurrent requests, one transaction.

SQLite takes one writer at a time, and a writer that finds the database
busy sleeps in growing steps before it tries again: with dozens of
requests landing at once, most of their time would go to those sleeps.
Here each request hands its body to a single writer task and waits; the
writer lands whatever has queued up while the previous transaction was
committing, all in one transaction, then answers every request of the
batch. A request is answered only after its body is committed, so an
accepted webhook is never lost; under light load a batch is one body.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from vigia.landing import Arrival, land

logger = logging.getLogger(__name__)

MAX_BATCH = 500  # bodies per transaction, at most


class LandingWriter:
    """Lands the bodies of concurrent requests in shared transactions."""

    def __init__(self, engine: Engine, max_batch: int = MAX_BATCH) -> None:
        self.engine = engine
        self.max_batch = max_batch
        self._queue: asyncio.Queue[tuple[Arrival, asyncio.Future[None]]] | None = None
        self._task: asyncio.Task[None] | None = None

    async def store(self, arrival: Arrival) -> None:
        """Return once ``arrival`` is committed; raise if landing it failed."""
        if self._task is None or self._task.done():
            self._queue = asyncio.Queue()
            self._task = asyncio.create_task(self._write_batches())
        assert self._queue is not None
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        await self._queue.put((arrival, done))
        await done

    async def _write_batches(self) -> None:
        assert self._queue is not None
        while True:
            batch = [await self._queue.get()]
            while len(batch) < self.max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                await run_in_threadpool(land, self.engine, [a for a, _ in batch])
            except Exception as error:  # every waiting request answers 500
                logger.exception("landing a batch of %d bodies failed", len(batch))
                for _, done in batch:
                    if not done.done():
                        done.set_exception(error)
                continue
            for _, done in batch:
                if not done.done():
                    done.set_result(None)
