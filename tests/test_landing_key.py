"""The landing key: eight bytes of a body's sha256, told apart by the rest.

Two different bodies whose sha256 share their first eight bytes cannot be
made on purpose, so the clash is staged: a row of another body already
holds the key that a body's first eight bytes give.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, select, text

import vigia.landing
from models import LandingRecord
from tests.conftest import fresh_postgres_database
from vigia.db import MIGRATIONS, upgrade_schema, utcnow
from vigia.landing import Arrival, land, landing_key

BODY = b'{"object":"whatsapp_business_account","entry":[]}'
OTHER = b'{"object":"whatsapp_business_account","entry":[{}]}'


def stage_clash(engine: Engine, body: bytes) -> None:
    """Another body's row holding the key of ``body``'s first eight bytes."""
    with engine.begin() as connection:
        connection.execute(
            LandingRecord.__table__.insert().values(
                source="whatsapp_webhook", body=b"{}", sha256="f" * 64,
                key=landing_key(hashlib.sha256(body).digest()),
                received_at=utcnow(), status="pending",
            )
        )  # fmt: skip


def stored_keys(engine: Engine) -> dict[str, int]:
    table = LandingRecord.__table__
    query = select(table.c.sha256, table.c.key)
    with engine.connect() as connection:
        return {sha256: key for sha256, key in connection.execute(query)}


def test_a_body_lands_once_under_its_first_eight_bytes(engine: Engine) -> None:
    first = land(engine, [Arrival("whatsapp_webhook", BODY)] * 2)
    again = land(engine, [Arrival("whatsapp_webhook", BODY)])

    digest = hashlib.sha256(BODY).digest()
    assert (first.landed, first.already_landed) == (1, 1)
    assert (again.landed, again.already_landed) == (0, 1)
    assert stored_keys(engine) == {digest.hex(): landing_key(digest, 0)}


def test_a_body_whose_key_is_taken_by_another_lands_under_the_next_and_once(
    engine: Engine,
) -> None:
    stage_clash(engine, BODY)

    first = land(engine, [Arrival("whatsapp_webhook", BODY)])
    again = land(
        engine, [Arrival("whatsapp_webhook", BODY), Arrival("portal_form", OTHER)]
    )

    digest = hashlib.sha256(BODY).digest()
    assert (first.landed, first.already_landed) == (1, 0)
    assert (again.landed, again.already_landed) == (1, 1)
    assert stored_keys(engine)[digest.hex()] == landing_key(digest, 1)


def test_bodies_of_one_chunk_sharing_a_key_all_land(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every body's first eight bytes made the same: one keeps them, the others
    move to their next eight, and none is taken for a copy of another."""
    real = vigia.landing.landing_key
    monkeypatch.setattr(
        vigia.landing,
        "landing_key",
        lambda digest, slot=0: 7 if slot == 0 else real(digest, slot),
    )
    bodies = [b'{"n":1}', b'{"n":2}', b'{"n":3}']

    first = land(engine, [Arrival("whatsapp_webhook", body) for body in bodies])
    again = land(engine, [Arrival("whatsapp_webhook", body) for body in bodies])

    assert (first.landed, first.already_landed) == (3, 0)
    assert (again.landed, again.already_landed) == (0, 3)
    keys = stored_keys(engine)
    assert len(keys) == 3 and sorted(keys.values()).count(7) == 1


@contextmanager
def database_at_0012(kind: str, tmp_path: Path) -> Iterator[Engine]:
    """A database migrated up to the schema whose sha256 itself was unique."""
    sqlite = nullcontext(f"sqlite:///{tmp_path / 'old.db'}")
    with sqlite if kind == "sqlite" else fresh_postgres_database("vigia_mig") as url:
        engine = create_engine(url)
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0012")
        try:
            yield engine
        finally:
            engine.dispose()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_bodies_landed_before_the_key_keep_being_recognised(
    kind: str, tmp_path: Path
) -> None:
    body_digest = hashlib.sha256(BODY).digest()
    # A different body whose sha256 begins like BODY's: the later one moves on.
    twin = body_digest[:8] + hashlib.sha256(OTHER).digest()[8:]
    with database_at_0012(kind, tmp_path) as engine:
        with engine.begin() as connection:
            for sha256 in (body_digest.hex(), twin.hex()):
                connection.execute(
                    text(
                        "INSERT INTO landing (source, body, sha256, received_at, "
                        "status) VALUES ('whatsapp_webhook', :body, :sha256, "
                        "'2026-12-01 00:00:00', 'processed')"
                    ),
                    {"body": BODY, "sha256": sha256},
                )

        upgrade_schema(engine)
        summary = land(engine, [Arrival("whatsapp_webhook", BODY)])

        assert (summary.landed, summary.already_landed) == (0, 1)
        assert stored_keys(engine) == {
            body_digest.hex(): landing_key(body_digest, 0),
            twin.hex(): landing_key(twin, 1),
        }
