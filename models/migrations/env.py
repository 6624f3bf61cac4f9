"""Alembic environment: migrations run on a connection Vigía hands over."""

from alembic import context
from sqlalchemy import create_engine

from models import metadata

config = context.config


def run_migrations() -> None:
    """Run on the given connection, or on the URL given to the alembic CLI."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from vigia.settings import get_settings

    url = config.get_main_option("sqlalchemy.url") or (
        get_settings().resolved_database_url
    )
    with create_engine(url).begin() as fresh:
        _run(fresh)


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
