"""Folio lookups by WhatsApp through a local Graph API, on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select

from models import Case, Message
from tasks.assign import list_overdue, route_pending
from tasks.classify import classify_pending
from tasks.lookup_replies import LookupContext, answer_lookups
from tasks.routing import load_rules
from tests.builders import status_body, text_body
from tests.conftest import DENUNCIA_ID, TE_ATIENDE_ID
from tests.graph_api import GraphApi
from tests.tasks.test_classify import deliver
from tests.test_lookup_page import ACCUSATION, SECRETS
from vigia.db import utcnow
from vigia.folio_code import read_lookup, verification_code
from vigia.settings import Settings
from vigia.throttle import LookupThrottle, MemoryStore
from vigia.whatsapp_send import CloudApiSender

CITIZEN = "5219614444444"
NOW = utcnow()
OPENED = NOW - timedelta(hours=5)


@pytest.fixture
def lookups_on(settings: Settings) -> Settings:
    return settings.model_copy(update={"lookup_replies_enabled": True})


def context(settings: Settings) -> LookupContext:
    return LookupContext(
        throttle=LookupThrottle(MemoryStore(), 5, 15),
        units=load_rules().units,
        code_key=settings.lookup_code_key_bytes(),
        digits=4,
        lines={"te_atiende": TE_ATIENDE_ID, "denuncia": DENUNCIA_ID},
    )


def a_routed_denuncia(engine: Engine, settings: Settings, trained_models) -> str:
    deliver(
        engine,
        settings,
        [text_body("wamid.d1", CITIZEN, OPENED, ACCUSATION, DENUNCIA_ID)],
    )
    classify_pending(engine, trained_models)
    route_pending(engine, load_rules())
    with engine.connect() as connection:
        return connection.scalar(select(Case.folio))


def ask(n: int, text: str, phone_number_id: str = TE_ATIENDE_ID) -> dict:
    moment = NOW - timedelta(minutes=30 - n)
    return text_body(f"wamid.ask{n}", CITIZEN, moment, text, phone_number_id)


def count(engine: Engine, query) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return connection.scalar(query)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("folio ATE-2026-000123 código 4821", ("ATE-2026-000123", "4821")),
        ("FOLIO: ate 2026 123, CODIGO: 4821", ("ATE-2026-000123", "4821")),
        ("hola buenas tardes, código 0042 folio den-2026-000004 gracias",
         ("DEN-2026-000004", "0042")),
        ("folio ATE-2026-000123 codigo 4821 me cobraron 3 mil", None),
        ("folio ATE-2026-000123", None),
        ("mi codigo postal es 45000", None),
    ],
)  # fmt: skip
def test_only_a_bare_lookup_is_read_as_one(text: str, expected) -> None:
    found = read_lookup(text)

    assert (found and (found.folio, found.code)) == (expected or None)


def test_a_lookup_by_whatsapp_gets_the_status_and_opens_no_case(
    engine: Engine,
    lookups_on: Settings,
    trained_models,
    graph: GraphApi,
    sender: CloudApiSender,
) -> None:
    folio = a_routed_denuncia(engine, lookups_on, trained_models)
    code = verification_code(lookups_on.lookup_code_key_bytes(), folio)
    asked = f"Folio {folio.lower()}; codigo: {code}"

    deliver(engine, lookups_on, [ask(1, asked, DENUNCIA_ID)])
    summary = answer_lookups(engine, sender, context(lookups_on), now=NOW)
    again = answer_lookups(engine, sender, context(lookups_on), now=NOW)

    [request] = graph.requests
    reply = request.body["text"]["body"]
    assert request.path == f"/v21.0/{DENUNCIA_ID}/messages"
    assert f"Folio {folio}" in reply and "Etapa: Turnado" in reply
    assert "Unidad responsable: Reservada; las denuncias son confidenciales" in reply
    assert "Jurídicos" not in reply and "Control" not in reply
    for secret in SECRETS:
        assert secret.lower() not in reply.lower(), secret
    assert summary.per_channel == {"denuncia": {"answered": 1}}
    assert again.per_channel == {}
    assert count(engine, select(func.count()).select_from(Case)) == 1
    lookup_types = select(Message.type, Message.case_id).where(
        Message.wamid.in_(["wamid.ask1", "wamid.ACK0001"])
    )
    with engine.connect() as connection:
        stored = sorted(connection.execute(lookup_types).all())
    assert stored == [("folio_lookup", None), ("lookup_reply", None)]


def test_a_lookup_reply_is_not_a_first_answer(
    engine: Engine,
    lookups_on: Settings,
    trained_models,
    sender: CloudApiSender,
) -> None:
    folio = a_routed_denuncia(engine, lookups_on, trained_models)
    code = verification_code(lookups_on.lookup_code_key_bytes(), folio)
    deliver(engine, lookups_on, [ask(1, f"folio {folio} código {code}", DENUNCIA_ID)])
    answer_lookups(engine, sender, context(lookups_on), now=NOW)

    read = status_body("wamid.ACK0001", CITIZEN, NOW, "read", DENUNCIA_ID)
    deliver(engine, lookups_on, [read])

    late = list_overdue(engine, NOW + timedelta(days=10))
    assert [item["folio"] for item in late] == [folio]


def test_wrong_codes_by_whatsapp_are_throttled_per_sender(
    engine: Engine,
    lookups_on: Settings,
    trained_models,
    graph: GraphApi,
    sender: CloudApiSender,
) -> None:
    folio = a_routed_denuncia(engine, lookups_on, trained_models)
    right = verification_code(lookups_on.lookup_code_key_bytes(), folio)
    wrong = [f"{(int(right) + n) % 10_000:04d}" for n in range(1, 6)]
    texts = [f"folio {folio} codigo {code}" for code in [*wrong, right]]
    deliver(engine, lookups_on, [ask(n, text) for n, text in enumerate(texts)])

    summary = answer_lookups(engine, sender, context(lookups_on), now=NOW)

    replies = [request.body["text"]["body"] for request in graph.requests]
    assert summary.per_channel == {"te_atiende": {"not_found": 5, "throttled": 1}}
    assert all("No encontramos" in reply for reply in replies[:5])
    assert "Intente más tarde" in replies[5] and folio not in replies[5]


def test_lookups_are_ordinary_messages_when_replies_are_off(
    engine: Engine, settings: Settings, trained_models
) -> None:
    deliver(engine, settings, [ask(1, "folio ATE-2026-000001 codigo 1234")])

    assert count(engine, select(func.count()).select_from(Case)) == 1
