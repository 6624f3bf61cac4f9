"""SQLite's write-ahead log, copied into the database by a thread of its own.

In WAL mode a commit appends the pages it changed to the ``-wal`` file, and a
checkpoint copies them into the database file. By default the connection
whose commit takes the log past ``wal_autocheckpoint`` pages runs that
checkpoint itself, inside the commit: while a stage writes in bulk, every
64 MiB of log stops it for the copy and a sync, and on two cores the other
core sits idle meanwhile.

While :func:`checkpoints_aside` is open, a thread copies the log every half
second instead (a passive checkpoint never blocks the writer), and the
database's connections, as they are checked out of the pool, leave
checkpointing to it: ingesting a million messages took 73 s instead of 83
to 86 s, landing a million bodies 16 s instead of 22 s. The log starts
over from its beginning only after a checkpoint has copied all of it while
no transaction reads an older state; past ``RESTART_PAGES`` the thread asks
for that moment, waiting at most ``RESTART_WAIT_SECONDS``. A stage that
always holds a transaction never leaves one, so the log grows by what the
stage writes (350 MB while ingesting a million messages) and is cut back to
64 MiB when it next starts over (``journal_size_limit``).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine

logger = logging.getLogger(__name__)

AUTOCHECKPOINT_PAGES = 16_384  # pages of 4 KiB: 64 MiB
RESTART_PAGES = 16_384
WAL_KEPT_BYTES = 64 * 1024 * 1024  # what the log is cut back to after a restart
RESTART_WAIT_SECONDS = 0.2
EVERY_SECONDS = 0.5
THREAD_NAME = "vigia-wal-checkpoints"

_aside: Counter[str] = Counter()
_aside_lock = threading.Lock()


@contextmanager
def checkpoints_aside(engine: Engine) -> Iterator[None]:
    """While the block runs, checkpoint this engine's SQLite file from a thread.

    Other databases (PostgreSQL) manage their own log: nothing is started.
    """
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    stop = threading.Event()
    worker = threading.Thread(
        target=_checkpoint_until, args=(database, stop), name=THREAD_NAME, daemon=True
    )
    with _aside_lock:
        _aside[database] += 1
    worker.start()
    try:
        yield
    finally:
        stop.set()
        worker.join()
        with _aside_lock:
            _aside[database] -= 1


def leave_checkpoints_aside(
    dbapi_connection: Any, _record: Any, _proxy: Any, *, database: str
) -> None:
    """On checkout: no checkpoints in commits while a thread runs them."""
    pages = 0 if _aside[database] else AUTOCHECKPOINT_PAGES
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA wal_autocheckpoint={pages}")
    cursor.close()


def _checkpoint_until(database: str, stop: threading.Event) -> None:
    try:
        connection = sqlite3.connect(
            database, timeout=RESTART_WAIT_SECONDS, isolation_level=None
        )
    except sqlite3.Error as error:  # the writer will meet the same error
        logger.warning("no WAL checkpoints aside for %s: %s", database, error)
        return
    try:
        while not stop.wait(EVERY_SECONDS):
            checkpoint(connection)
        checkpoint(connection)  # what the block wrote last
    finally:
        connection.close()


def checkpoint(connection: sqlite3.Connection) -> None:
    """Copy the log into the database; let it start over once it is long."""
    try:
        _, frames, _ = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        if frames >= RESTART_PAGES:
            connection.execute("PRAGMA wal_checkpoint(RESTART)").fetchone()
    except sqlite3.Error as error:  # busy or locked: the next round tries again
        logger.debug("WAL checkpoint skipped: %s", error)
