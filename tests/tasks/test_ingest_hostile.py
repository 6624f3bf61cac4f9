"""Hostile bodies landed and ingested on SQLite: each ends with an outcome.

300 generated batches of one to four bodies from every source: webhook
bodies shaped like Meta's with wrong parts, random bytes, portal forms and
chat exports. Nothing stays pending, nothing crashes the batch, and every
rejected or ignored row says why.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select

from models import LandingRecord
from models.landing import LandingSource, LandingStatus
from tasks.ingest import ingest_pending
from tests.builders import encoded, text_body
from tests.hostile import PROPERTY, chat_exports, encode, encoded_webhooks, portal_forms
from tests.tasks.test_ingest import START
from vigia.db import get_engine
from vigia.landing import Arrival, land
from vigia.settings import Settings, get_settings

WEBHOOK = st.just(LandingSource.WHATSAPP_WEBHOOK)
arrivals = st.one_of(
    st.builds(Arrival, WEBHOOK, encoded_webhooks),
    st.builds(Arrival, WEBHOOK, st.binary(max_size=300)),
    st.builds(
        Arrival,
        st.just(LandingSource.PORTAL_FORM),
        st.builds(encode, portal_forms),
        st.just("portal"),
    ),
    st.builds(
        Arrival,
        st.just(LandingSource.WHATSAPP_EXPORT),
        chat_exports.map(lambda text: text.encode("utf-8", "surrogatepass")),
        st.sampled_from(["te_atiende", "denuncia", None]),
    ),
    st.builds(Arrival, st.sampled_from(["fax", ""]), st.binary(max_size=50)),
)


@pytest.fixture
def sqlite_settings(sqlite_environment: dict[str, str]) -> Iterator[Settings]:
    yield get_settings()
    get_settings.cache_clear()


def last_id(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.max(LandingRecord.id))) or 0


@settings(PROPERTY, max_examples=300)
@given(batch=st.lists(arrivals, min_size=1, max_size=4))
def test_every_landed_body_ends_processed_ignored_or_rejected_with_a_reason(
    sqlite_settings: Settings, batch: list[Arrival]
) -> None:
    engine = get_engine(sqlite_settings)
    before = last_id(engine)
    # A valid body alongside: hostile neighbours must not hold it back.
    good = text_body(f"wamid.good{before}", "5215511111111", START, "hola")
    land(engine, [*batch, Arrival(LandingSource.WHATSAPP_WEBHOOK, encoded(good))])

    ingest_pending(engine, sqlite_settings)

    table = LandingRecord.__table__
    with engine.connect() as connection:
        rows = connection.execute(
            select(table.c.status, table.c.reason).where(table.c.id > before)
        ).all()
    assert LandingStatus.PROCESSED in {status for status, _ in rows}
    for status, reason in rows:
        assert status != LandingStatus.PENDING
        if status in (LandingStatus.REJECTED, LandingStatus.IGNORED):
            assert reason and reason.strip()
