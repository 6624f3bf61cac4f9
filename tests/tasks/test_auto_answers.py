"""Automatic first answers: chosen, sent and counted, on both databases."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from models import Message
from reports.auto_answers import automatic_answer_figures
from reports.weekly_data import Week
from tasks.acknowledge import acknowledge_pending
from tasks.answers import AnswersFileError, load_answers
from tasks.assign import list_overdue, route_pending
from tasks.classify import classify_pending
from tasks.routing import load_rules
from tests.builders import text_body
from tests.graph_api import GraphApi
from tests.tasks.test_classify import deliver
from vigia.db import utcnow
from vigia.settings import Settings
from vigia.whatsapp_send import CloudApiSender

OPENED = utcnow() - timedelta(hours=1)
QUESTION = "hola cuales son los requisitos para registrarme, que documentos necesito"
SCAM = "me llamaron que sali sorteado y que deposite 2 mil en oxxo para el tramite"


def question(n: int, phone: str, text: str, minutes: float = 0) -> dict:
    return text_body(f"wamid.t{n}", phone, OPENED + timedelta(minutes=minutes), text)


def sent_types(engine: Engine) -> dict[str, str]:
    with engine.connect() as connection:
        query = select(Message.type, Message.text).where(Message.direction == "out")
        return {text: kind for kind, text in connection.execute(query)}


def test_a_sure_question_gets_its_answer_and_a_scam_the_warning(
    engine: Engine,
    settings: Settings,
    trained_models,
    graph: GraphApi,
    sender: CloudApiSender,
) -> None:
    deliver(
        engine,
        settings,
        [question(1, "5215510000001", QUESTION), question(2, "5215510000002", SCAM)],
    )
    classify_pending(engine, trained_models)

    summary = acknowledge_pending(engine, sender, load_rules(), settings)
    route_pending(engine, load_rules())
    deliver(engine, settings, [question(3, "5215510000001", "y donde me registro", 90)])

    texts = {r.body["to"]: r.body["text"]["body"] for r in graph.requests}
    answered, warned = texts["525510000001"], texts["525510000002"]
    requisitos = next(a for a in load_answers().answers if a.id == "requisitos")
    assert summary.per_channel == {"te_atiende": {"acknowledged": 2}}
    assert requisitos.text in answered and ", código " in answered
    assert "No pagues" in warned and requisitos.text not in warned
    assert sent_types(engine) == {
        answered: "automatic_answer",
        warned: "acknowledgment",
    }
    assert len(list_overdue(engine, OPENED + timedelta(days=10))) == 2
    assert automatic_answer_figures(engine.connect(), Week.containing(OPENED)) == {
        "week": Week.containing(OPENED).label,
        "te_atiende_cases": 2,
        "answered_automatically": 1,
        "answered_share": 0.5,
        "wrote_again_24h": 1,
        "wrote_again_share": 1.0,
    }


def test_an_unsure_case_gets_the_plain_acknowledgment(
    engine: Engine, settings: Settings, trained_models, sender: CloudApiSender
) -> None:
    strict = settings.model_copy(update={"auto_answer_min_topic_score": 1.0})
    deliver(engine, strict, [question(1, "5215510000001", QUESTION)])
    classify_pending(engine, trained_models)

    acknowledge_pending(engine, sender, load_rules(), strict)

    assert list(sent_types(engine).values()) == ["acknowledgment"]


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("version: 1\nrevision: x\nanswers: [\n", 4, "not valid YAML"),
        ("version: 1\nrevision: x\nanswers: []\n", 3, "non-empty list"),
        ("version: 1\nrevision: x\nanswers:\n  - id: pagos\n    topics: [pagos]\n"
         "    keywords: [pago]\n    text: hola\n", 5, "did you mean 'pago'"),
        ("version: 1\nrevision: x\nanswers:\n  - id: pagos\n    topics: [pago]\n"
         "    keyword: [pago]\n    text: hola\n", 6, "unknown key 'keyword'"),
        ("version: 1\nrevision: x\nanswers:\n"
         "  - {id: a1, topics: [pago], keywords: [x], text: y}\n"
         "  - {id: a1, topics: [pago], keywords: [x], text: y}\n", 5, "second answer"),
    ],
)  # fmt: skip
def test_a_bad_answers_file_names_its_line(
    tmp_path: Path, text: str, line: int, problem: str
) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text(text)

    with pytest.raises(AnswersFileError, match=f"line {line}: .*{problem}"):
        load_answers(path)


def test_the_shipped_answers_cover_the_promised_questions() -> None:
    answers = load_answers()

    ids = {answer.id for answer in answers.answers}
    assert {"requisitos", "donde_cuando_registro", "pagos", "gratuidad"} <= ids
    assert "consulta_folio" in ids
    texts = " ".join(answer.text for answer in answers.answers).lower()
    assert "todos los trámites de conavi son gratuitos" in texts
    assert "denuncia a quien te cobre" in texts
