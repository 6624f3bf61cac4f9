"""Classification in the pipeline: per case, per message, with the model version."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, select

from classifiers.pool import ClassifierPool
from models import Case, CaseLabel, Message, MessageLabel
from tasks.classify import classify_pending, forget_labels
from tasks.ingest import ingest_pending
from tests.builders import encoded, text_body
from tests.conftest import DENUNCIA_ID
from tests.tasks.test_ingest import START
from vigia.landing import Arrival, land
from vigia.settings import Settings


def deliver(engine: Engine, settings: Settings, bodies: list[dict]) -> None:
    land(engine, [Arrival("whatsapp_webhook", encoded(body)) for body in bodies])
    ingest_pending(engine, settings)


def denuncia(n: int, text: str, minutes: int = 0) -> dict:
    moment = START + timedelta(minutes=minutes)
    return text_body(f"wamid.d{n}", "5219614444444", moment, text, DENUNCIA_ID)


def labels(engine: Engine) -> tuple[list, list]:
    with engine.connect() as connection:
        cases = connection.execute(select(CaseLabel)).all()
        messages = connection.execute(
            select(MessageLabel.topic, Message.text).join(Message)
        ).all()
    return cases, messages


def test_a_case_is_classified_on_its_conversation_without_greetings(
    engine: Engine, settings: Settings, trained_models
) -> None:
    deliver(
        engine,
        settings,
        [
            denuncia(1, "hola"),
            denuncia(2, "buenas tardes"),
            denuncia(3, "el gestor Ramiro nos cobra 3 mil pa meternos en la lista", 1),
            denuncia(4, "gracias", 2),
        ],
    )

    summary = classify_pending(engine, trained_models)

    [case], messages = labels(engine)
    assert summary.cases == 1 and summary.messages == 4
    assert case.model_version == trained_models.version
    assert "cobro_indebido" in case.fraud and case.has_fraud
    assert case.messages_seen == 4
    fillers = {topic for topic, text in messages if text in ("hola", "gracias")}
    assert fillers == {"otro"}


def test_only_new_grown_or_outdated_cases_are_classified_again(
    engine: Engine, settings: Settings, trained_models
) -> None:
    deliver(engine, settings, [denuncia(1, "nos piden cuota de 500 pa la lista")])
    classify_pending(engine, trained_models)

    assert classify_pending(engine, trained_models).cases == 0

    deliver(engine, settings, [denuncia(2, "y el lider amenaza con sacarnos", 5)])
    grown = classify_pending(engine, trained_models)
    forget_labels(engine)
    again = classify_pending(engine, trained_models)

    assert (grown.cases, grown.messages) == (1, 1)
    assert (again.cases, again.messages) == (1, 2)
    with engine.connect() as connection:
        [count] = connection.execute(select(Case.message_count)).one()
    assert count == 2


def test_a_pool_of_workers_stores_what_one_process_stores(
    engine: Engine, settings: Settings, trained_models
) -> None:
    texts = [
        "el gestor Ramiro nos cobra 3 mil pa meternos en la lista",
        "cuando depositan la segunda ministracion",
        "hola",
        "el licenciado del modulo me dijo q x 1500 me lo mueve",
        "me llamaron diciendo q sali sorteada y q deposite en oxxo",
    ]
    deliver(engine, settings, [denuncia(n, text, n) for n, text in enumerate(texts)])
    deliver(engine, settings, [other_sender(n, text) for n, text in enumerate(texts)])
    classify_pending(engine, trained_models)
    in_process = labels(engine)
    forget_labels(engine)

    pool = ClassifierPool(trained_models.path, workers=2)
    try:  # batches of two cases: the next is sent before the last is stored
        summary = classify_pending(engine, trained_models, batch_size=2, pool=pool)
    finally:
        pool.close()

    assert summary.cases == 1 + len(texts) and summary.batches == 3
    assert summary.messages == 2 * len(texts)
    pooled = labels(engine)
    by_case = sorted((row.case_id, _label(row)) for row in pooled[0])
    assert by_case == sorted((row.case_id, _label(row)) for row in in_process[0])
    assert sorted(pooled[1]) == sorted(in_process[1])


def other_sender(n: int, text: str) -> dict:
    """A message of its own sender on the Denuncia line: a case of its own."""
    moment = START + timedelta(minutes=n)
    return text_body(f"wamid.o{n}", f"52196155555{n:02d}", moment, text, DENUNCIA_ID)


def _label(row) -> tuple:  # type: ignore[no-untyped-def]
    return (row.topic, row.fraud, row.fraud_scores, row.evidence, row.needs_review)
