"""Acknowledging new cases, on both databases, through a local Graph API."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from jinja2 import UndefinedError
from sqlalchemy import Engine, select

from models import Assignment, Case, CaseEvent, Message
from tasks.acknowledge import (
    AckSummary,
    _environment,
    acknowledge_pending,
    due_in_words,
    render_acknowledgment,
    run_acknowledgments,
)
from tasks.assign import list_overdue, route_pending
from tasks.classify import classify_pending
from tasks.ingest import ingest_pending
from tasks.routing import load_rules
from tests.builders import text_body
from tests.conftest import DENUNCIA_ID, TE_ATIENDE_ID
from tests.graph_api import EXPIRED_TOKEN, REFUSAL, GraphApi
from tests.tasks.test_assign import status_body
from tests.tasks.test_classify import START, deliver, denuncia
from vigia.errors import ConfigurationError
from vigia.landing import Arrival, land
from vigia.settings import Settings
from vigia.whatsapp_send import CloudApiSender

SOON = START + timedelta(minutes=5)  # the run right after the case opened
FRAUD = "el gestor nos cobra 3 mil pa meternos en la lista"


def acknowledge(
    engine: Engine, sender: CloudApiSender, settings: Settings, now: datetime = SOON
) -> AckSummary:
    return acknowledge_pending(engine, sender, load_rules(), settings, now)


def case_row(engine: Engine) -> Case:
    with engine.connect() as connection:
        return connection.execute(select(Case)).one()


def history(engine: Engine) -> list[tuple[str | None, str, str]]:
    with engine.connect() as connection:
        query = select(CaseEvent.from_status, CaseEvent.to_status, CaseEvent.source)
        return [tuple(row) for row in connection.execute(query.order_by(CaseEvent.id))]


def acknowledgments(engine: Engine) -> list:
    with engine.connect() as connection:
        query = select(Message).where(Message.type == "acknowledgment")
        return connection.execute(query).all()


def test_a_new_denuncia_is_acknowledged_once_with_its_folio_and_due_time(
    engine: Engine,
    settings: Settings,
    trained_models,
    graph: GraphApi,
    sender: CloudApiSender,
) -> None:
    deliver(engine, settings, [denuncia(1, FRAUD)])
    classify_pending(engine, trained_models)

    summary = acknowledge(engine, sender, settings)
    acknowledged = case_row(engine)
    route_pending(engine, load_rules())
    again = acknowledge(engine, sender, settings)

    [request] = graph.requests
    [message] = acknowledgments(engine)
    [assignment] = _assignments(engine)
    text = request.body["text"]["body"]
    assert summary.per_channel == {"denuncia": {"acknowledged": 1}}
    assert request.path == f"/v21.0/{DENUNCIA_ID}/messages"
    assert request.body["to"] == "529614444444"
    assert acknowledged.folio in text and "confidencial" in text
    assert f"a más tardar {due_in_words(assignment.first_answer_due, START)}" in text
    assert "el lunes 23 de noviembre a las 18:00" in text
    assert (message.direction, message.wamid) == ("out", "wamid.ACK0001")
    assert message.text == text
    assert message.case_id == acknowledged.id and message.landing_id is None
    assert acknowledged.status == "acknowledged"
    assert history(engine) == [
        ("received", "acknowledged", "acknowledgment"),
        ("acknowledged", "assigned", "routing"),
    ]
    assert again.per_channel == {} and len(graph.requests) == 1


def test_an_acknowledgment_is_not_a_first_answer(
    engine: Engine, settings: Settings, trained_models, sender: CloudApiSender
) -> None:
    deliver(engine, settings, [denuncia(1, FRAUD)])
    classify_pending(engine, trained_models)
    acknowledge(engine, sender, settings)
    route_pending(engine, load_rules())
    later = START + timedelta(days=10)

    read = status_body("wamid.ACK0001", "5219614444444", START + timedelta(minutes=6))
    read["entry"][0]["changes"][0]["value"]["statuses"][0]["status"] = "read"
    deliver(engine, settings, [read])
    still_late = list_overdue(engine, later)
    reply = status_body("wamid.person1", "5219614444444", START + timedelta(hours=3))
    deliver(engine, settings, [reply])

    assert [item["step"] for item in still_late] == ["first_answer"]
    assert list_overdue(engine, later) == []


def test_a_failed_send_is_tried_again_on_the_next_run(
    engine: Engine,
    settings: Settings,
    trained_models,
    graph: GraphApi,
    sender: CloudApiSender,
) -> None:
    deliver(engine, settings, [denuncia(1, FRAUD)])
    classify_pending(engine, trained_models)
    graph.answer_next(400, REFUSAL)

    failed = acknowledge(engine, sender, settings)
    route_pending(engine, load_rules())
    retried = acknowledge(engine, sender, settings, SOON + timedelta(minutes=5))

    assert failed.per_channel == {"denuncia": {"failed": 1}}
    assert retried.per_channel == {"denuncia": {"acknowledged": 1}}
    assert len(acknowledgments(engine)) == 1
    assert case_row(engine).status == "assigned"  # routed meanwhile: stays so


def test_a_refused_token_stops_sending_for_the_run(
    engine: Engine,
    settings: Settings,
    trained_models,
    graph: GraphApi,
    sender: CloudApiSender,
) -> None:
    deliver(engine, settings, [denuncia(1, FRAUD), other_sender(2, FRAUD)])
    classify_pending(engine, trained_models)
    graph.answer_next(401, EXPIRED_TOKEN)

    summary = acknowledge(engine, sender, settings)

    assert len(graph.requests) == 1
    assert summary.per_channel == {"denuncia": {"failed": 1}}
    assert summary.stopped and "VIGIA_WHATSAPP_ACCESS_TOKEN" in summary.stopped
    assert acknowledgments(engine) == []


def test_cases_older_than_the_limit_are_given_up(
    engine: Engine,
    settings: Settings,
    trained_models,
    graph: GraphApi,
    sender: CloudApiSender,
) -> None:
    deliver(engine, settings, [denuncia(1, FRAUD)])
    classify_pending(engine, trained_models)

    summary = acknowledge(engine, sender, settings, START + timedelta(hours=49))

    assert summary.per_channel == {} and graph.requests == []
    assert case_row(engine).status == "received"


def test_cases_without_a_phone_or_from_an_export_are_counted_not_sent(
    engine: Engine,
    settings: Settings,
    trained_models,
    graph: GraphApi,
    sender: CloudApiSender,
) -> None:
    submitted = (START + timedelta(minutes=1)).isoformat()
    forms = [
        {"text": "quiero denunciar a un coyote", "submitted_at": submitted},
        {"text": "cuales son los requisitos", "submitted_at": submitted,
         "contact": "961 555 0000"},
    ]  # fmt: skip
    export = "23/11/2026, 09:10 - +52 1 961 555 1234: el gestor me cobro 2 mil\n"
    land(
        engine,
        [Arrival("portal_form", json.dumps(f).encode(), "portal") for f in forms]
        + [Arrival("whatsapp_export", export.encode(), "denuncia")],
    )
    ingest_pending(engine, settings)
    classify_pending(engine, trained_models)

    summary = acknowledge(engine, sender, settings)
    route_pending(engine, load_rules())
    next_run = acknowledge(engine, sender, settings)

    [request] = graph.requests  # the portal form that left a phone
    assert request.path == f"/v21.0/{TE_ATIENDE_ID}/messages"
    assert "Portal Ciudadano" in request.body["text"]["body"]
    assert summary.per_channel == {
        "portal": {"acknowledged": 1, "no_phone": 1},
        "denuncia": {"from_export": 1},
    }
    assert next_run.per_channel == {}  # routed: not counted a second time


def test_nothing_is_sent_when_acknowledgments_are_off(
    engine: Engine, settings: Settings, trained_models, graph: GraphApi
) -> None:
    deliver(engine, settings, [denuncia(1, FRAUD)])
    classify_pending(engine, trained_models)

    summary = run_acknowledgments(settings)

    assert summary.as_rows()[0]["note"] == "off"
    assert graph.requests == [] and acknowledgments(engine) == []


def test_acknowledgments_on_without_a_token_name_the_variable(
    settings: Settings,
) -> None:
    enabled = settings.model_copy(update={"ack_enabled": True})

    with pytest.raises(ConfigurationError, match="VIGIA_WHATSAPP_ACCESS_TOKEN"):
        run_acknowledgments(enabled)


@pytest.mark.parametrize("channel", ["te_atiende", "denuncia", "portal"])
def test_every_channel_has_a_short_acknowledgment(channel: str) -> None:
    due = datetime(2026, 12, 8, 0, 0, tzinfo=UTC)

    text = render_acknowledgment(channel, "DEN-2026-000042", due, START, code="4821")

    assert "DEN-2026-000042, código 4821" in text
    assert "a más tardar el lunes 7 de diciembre a las 18:00" in text
    assert "{" not in text and len(text) < 600


def test_the_denuncia_acknowledgment_warns_about_fraud() -> None:
    text = render_acknowledgment(
        "denuncia", "DEN-2026-000042", START, START, code="4821"
    )

    for words in ("confidencial", "gratuitos", "no le pagues a nadie", "prueba"):
        assert words in text


def test_a_template_missing_a_value_fails_loudly() -> None:
    with pytest.raises(UndefinedError):
        _environment().get_template("denuncia.txt.j2").render(folio="DEN-1")


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        ((2026, 12, 8, 0, 0), "el lunes 7 de diciembre a las 18:00"),
        ((2026, 11, 25, 15, 30), "el miércoles 25 de noviembre a las 9:30"),
        ((2026, 11, 27, 7, 15), "el viernes 27 de noviembre a la 1:15"),
        ((2027, 1, 4, 16, 0), "el lunes 4 de enero de 2027 a las 10:00"),
    ],
)
def test_due_times_read_in_mexico_city_words(due: tuple, expected: str) -> None:
    """Due times are stored in UTC; Mexico City is six hours behind."""
    assert due_in_words(datetime(*due, tzinfo=UTC), START) == expected


def test_each_line_answers_from_its_first_configured_number(
    settings: Settings,
) -> None:
    moving = settings.model_copy(update={"denuncia_phone_number_id": "222, 111"})

    assert moving.reply_phone_number_id("denuncia") == "222"
    assert settings.reply_phone_number_id("portal") == TE_ATIENDE_ID


def other_sender(n: int, text: str) -> dict:
    return text_body(f"wamid.o{n}", "5219615555555", START, text, DENUNCIA_ID)


def _assignments(engine: Engine) -> list:
    with engine.connect() as connection:
        return connection.execute(select(Assignment)).all()
