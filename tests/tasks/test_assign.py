"""Routing in the pipeline: assignments, re-routing and the overdue list."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, select

from models import Assignment
from tasks.assign import list_overdue, route_pending
from tasks.classify import classify_pending
from tasks.routing import load_rules
from tests.tasks.test_classify import START, deliver, denuncia
from vigia.settings import Settings


def assignments(engine: Engine) -> list:
    with engine.connect() as connection:
        return connection.execute(select(Assignment)).all()


def test_classified_cases_are_routed_by_their_fraud_signal(
    engine: Engine, settings: Settings, trained_models
) -> None:
    deliver(engine, settings, [denuncia(1, "el gestor nos cobra 3 mil pa la lista")])
    classify_pending(engine, trained_models)

    summary = route_pending(engine, load_rules())

    [assignment] = assignments(engine)
    assert summary.per_unit == {"juridico": 1}
    assert assignment.unit == "juridico"
    assert assignment.triage_due is not None
    assert assignment.first_answer_due > START


def test_a_case_is_rerouted_when_its_classification_changes(
    engine: Engine, settings: Settings, trained_models
) -> None:
    rules = load_rules()
    deliver(
        engine, settings, [denuncia(1, "cuando depositan la segunda ministracion?")]
    )
    classify_pending(engine, trained_models)
    route_pending(engine, rules)
    [before] = assignments(engine)

    text = "el servidor de la nacion me pidio el 10% del deposito, su moche"
    deliver(engine, settings, [denuncia(2, text, 10)])
    classify_pending(engine, trained_models)
    route_pending(engine, rules)
    [after] = assignments(engine)

    assert before.unit == "subsidios"
    assert after.unit == "oic"
    assert route_pending(engine, rules).per_unit == {}


def test_unanswered_cases_past_their_first_answer_are_overdue(
    engine: Engine, settings: Settings, trained_models
) -> None:
    deliver(engine, settings, [denuncia(1, "nadie contesta, llevo una semana")])
    classify_pending(engine, trained_models)
    route_pending(engine, load_rules())

    soon = list_overdue(engine, START + timedelta(hours=1))
    later = list_overdue(engine, START + timedelta(days=10))

    assert soon == []
    assert [item["step"] for item in later] == ["first_answer"]
    assert later[0]["folio"].startswith("DEN-2026-")
    assert later[0]["hours_late"] > 0


def test_a_reply_delivered_through_the_api_answers_the_case(
    engine: Engine, settings: Settings, trained_models
) -> None:
    deliver(engine, settings, [denuncia(1, "quiero denunciar a un coyote")])
    classify_pending(engine, trained_models)
    route_pending(engine, load_rules())
    reply = status_body("wamid.reply1", "5219614444444", START + timedelta(hours=2))

    deliver(engine, settings, [reply])

    assert list_overdue(engine, START + timedelta(days=10)) == []


def status_body(wamid: str, recipient: str, at) -> dict:
    body = denuncia(99, "x")
    value = body["entry"][0]["changes"][0]["value"]
    value.pop("messages")
    value["statuses"] = [
        {
            "id": wamid,
            "status": "delivered",
            "timestamp": str(int(at.timestamp())),
            "recipient_id": recipient,
        }
    ]
    return body
