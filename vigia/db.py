"""The database: one engine per URL, migrations, and portable bulk writes."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, DateTime, Engine, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError

from vigia.errors import DatabaseUnavailable
from vigia.settings import Settings, get_settings
from vigia.wal import WAL_KEPT_BYTES, leave_checkpoints_aside

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent.parent / "models" / "migrations"


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC, as every table stores it."""
    return datetime.now(UTC)


def get_engine(settings: Settings | None = None, durable: bool = False) -> Engine:
    """The engine for the configured database, schema brought up to date.

    ``durable`` is for what answers the outside world that something is
    stored (the webhook receiver): on SQLite each commit then reaches the disk
    before it returns, so a power failure cannot take back a body already
    acknowledged. PostgreSQL commits that way in any case.
    """
    settings = settings or get_settings()
    return _engine_for(settings.resolved_database_url, durable)


@lru_cache(maxsize=8)
def _engine_for(url: str, durable: bool = False) -> Engine:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        synchronous = "FULL" if durable else "NORMAL"
        event.listen(engine, "connect", partial(_tune_sqlite, synchronous=synchronous))
        database = str(engine.url.database)
        event.listen(
            engine, "checkout", partial(leave_checkpoints_aside, database=database)
        )
    upgrade_schema(engine)
    return engine


def _tune_sqlite(
    dbapi_connection: Any, _record: Any, synchronous: str = "NORMAL"
) -> None:
    """WAL lets the receiver write while a flow reads; wait instead of failing.

    A checkpoint copies the WAL into the database file and syncs both to
    disk. SQLite's default runs one every 4 MiB of WAL, which a batch of
    ingest or grouping passes at each commit: every batch paid a sync, and
    the sync took longer the larger the file (ingesting 100k messages into
    a database of a million took 1.6x as long as into an empty one). Every
    64 MiB, batches share their syncs and a page written by several batches
    is copied once: those 100k messages took 12.9-14.3 s instead of
    15.8-16.6 s. The cost: on a power failure (not a crash of the process,
    which loses nothing committed) the stages' commits since the last
    checkpoint can be rolled back, up to 64 MiB of them instead of 4; the
    file stays sound, and the stages redo that work from the landing table.
    The receiver's commits are synced one by one (``durable``), so nothing
    it acknowledged is among them. Stages that write in bulk hand their
    checkpoints to a thread (:mod:`vigia.wal`).
    """
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA synchronous={synchronous}")
    # wal_autocheckpoint is set at each checkout (vigia.wal), 64 MiB or none.
    cursor.execute(f"PRAGMA journal_size_limit={WAL_KEPT_BYTES}")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB of pages, bounded
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def upgrade_schema(engine: Engine) -> None:
    """Apply every Alembic migration the database has not seen yet."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    sqlite = engine.dialect.name == "sqlite"
    try:
        with engine.connect() as connection:
            if sqlite:  # SQLite alters a table by copying it: keys are checked after
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                connection.commit()
            try:
                with connection.begin():
                    config.attributes["connection"] = connection
                    command.upgrade(config, "head")
            finally:
                if sqlite:
                    connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                    connection.commit()
    except OperationalError as error:
        raise DatabaseUnavailable(
            f"cannot open or migrate {engine.url.render_as_string()}: {error.orig}. "
            "Check VIGIA_DATABASE_URL and that the server is running."
        ) from error


def insert_fast(
    connection: Connection, table: Table, columns: Sequence[str], rows: list[tuple]
) -> int:
    """Insert plain tuples in bulk, skipping rows that break a unique constraint.

    The hot paths (landing bodies, messages) insert tens of thousands of rows
    a second; SQLAlchemy's per-row parameter processing would cost more than
    the database. Values are converted once here, column by column, into
    what the driver stores: the same forms SQLAlchemy itself writes.
    Returns how many rows were inserted.
    """
    if not rows:
        return 0
    sql = _insert_sql(connection.dialect.name, table, columns, 1, None)
    prepared = _prepared(connection.dialect.name, table, columns, rows)
    return connection.exec_driver_sql(sql, prepared).rowcount


def insert_returning(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    rows: list[tuple],
    returning: str,
) -> list[Any]:
    """Like :func:`insert_fast`, but returns one column of the rows inserted.

    A statement carries many rows (``INSERT ... VALUES (...), (...)``), as
    many as the driver's parameter limit allows: both databases return the
    inserted rows of one statement, neither of a batch of statements.
    """
    dialect = connection.dialect.name
    per_statement = MAX_PARAMETERS // len(columns)
    inserted: list[Any] = []
    for start in range(0, len(rows), per_statement):
        part = rows[start : start + per_statement]
        sql = _insert_sql(dialect, table, columns, len(part), returning)
        prepared = _prepared(dialect, table, columns, part)
        flat = tuple(value for row in prepared for value in row)
        inserted.extend(connection.exec_driver_sql(sql, flat).scalars())
    return inserted


MAX_PARAMETERS = 32_766
"""Parameters one statement may carry: SQLite's limit (PostgreSQL's is 65,535)."""


def _prepared(
    dialect: str, table: Table, columns: Sequence[str], rows: list[tuple]
) -> list[tuple]:
    converters = [_converter(table.c[name].type, dialect) for name in columns]
    return [
        tuple(convert(value) for convert, value in zip(converters, row, strict=True))
        for row in rows
    ]


def _insert_sql(
    dialect: str, table: Table, columns: Sequence[str], rows: int, returning: str | None
) -> str:
    """``INSERT`` of ``rows`` rows that skips conflicts, in the driver's style."""
    names = ", ".join(columns)
    if dialect == "sqlite":
        marks = ", ".join("?" for _ in columns)
        head = f"INSERT OR IGNORE INTO {table.name} ({names}) VALUES "
        tail = ""
    elif dialect == "postgresql":
        marks = ", ".join(
            "%s::json" if isinstance(table.c[name].type, JSON) else "%s"
            for name in columns
        )
        head = f"INSERT INTO {table.name} ({names}) VALUES "
        tail = " ON CONFLICT DO NOTHING"
    else:
        raise DatabaseUnavailable(
            f"unsupported database {dialect!r}: use SQLite or PostgreSQL"
        )
    values = ", ".join([f"({marks})"] * rows)
    back = f" RETURNING {returning}" if returning else ""
    return head + values + tail + back


def _converter(column_type: Any, dialect: str) -> Any:
    """How one column's Python values become driver values."""
    if isinstance(column_type, JSON):
        return lambda value: None if value is None else json.dumps(value)
    if isinstance(column_type, DateTime) and dialect == "sqlite":
        return _sqlite_datetime
    return lambda value: value


def _sqlite_datetime(value: datetime | None) -> str | None:
    """UTC in the text form SQLAlchemy's SQLite dialect writes and reads back."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def insert_ignoring_conflicts(
    connection: Connection, table: Table, rows: Iterable[Mapping[str, Any]]
) -> int:
    """Insert rows, silently skipping those that break a unique constraint.

    Returns how many rows were actually inserted.
    """
    rows = list(rows)
    if not rows:
        return 0
    dialect = connection.dialect.name
    if dialect == "sqlite":
        statement = sqlite.insert(table).on_conflict_do_nothing()
    elif dialect == "postgresql":
        statement = postgresql.insert(table).on_conflict_do_nothing()
    else:
        raise DatabaseUnavailable(
            f"unsupported database {dialect!r}: use SQLite or PostgreSQL"
        )
    return connection.execute(statement, rows).rowcount
