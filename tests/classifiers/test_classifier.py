"""The trained models on the hard cases, the model card and `vigia classify`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from classifiers.classifier import classify
from classifiers.evidence import FRAUD_LABELS
from classifiers.model import TOPICS
from classifiers.training import TrainingDataError, data_version, load_examples

pytestmark = pytest.mark.slow


def classify_one(models, text: str):
    [result] = classify(models, [text])
    return result


@pytest.mark.parametrize(
    ("text", "topic", "fraud"),
    [
        ("hola buenas tardes q requisitos piden pa registrarme", "registro", set()),
        ("ya me registre hace 3 meses y no me dicen nada", "estatus", set()),
        ("cuando depositan la segunda ministracion? no me ha llegado", "pago", set()),
        ("la obra va lenta y el techo tiene grietas", "obra", set()),
        ("nadie contesta el telefono, llevo 2 semanas marcando", "atencion", set()),
        ("mi credito infonavit no aparece", "otro", set()),
        (
            "un gestor de la colonia nos cobra 3 mil pa meternos en la lista",
            None,
            {"cobro_indebido"},
        ),
        (
            "me llamaron diciendo q sali sorteado y q deposite 1500 en oxxo, es cierto",
            None,
            {"suplantacion"},
        ),
        (
            "la lider dice q si no vamos a votar por su candidato nos quitan el apoyo",
            None,
            {"condicionamiento"},
        ),
        (
            "nos hicieron firmar q la obra estaba terminada y no han puesto ni el"
            " techo, el material lo vendio la constructora",
            "obra",
            {"desvio_obra"},
        ),
    ],
)
def test_models_read_people_as_they_write(trained_models, text, topic, fraud) -> None:
    result = classify_one(trained_models, text)

    if topic:
        assert result.topic == topic
    assert fraud <= set(result.fraud)
    if not fraud:
        assert not result.fraud


def test_negated_charge_is_no_fraud(trained_models) -> None:
    result = classify_one(
        trained_models, "no me han cobrado nada, solo quiero saber cuando me pagan"
    )

    assert "cobro_indebido" not in result.fraud


def test_every_fraud_label_carries_its_supporting_phrases(trained_models) -> None:
    result = classify_one(
        trained_models, "el servidor de la nacion nos pidio el 10% del apoyo, su moche"
    )

    assert "soborno" in result.fraud
    assert all(item["label"] in result.fraud for item in result.evidence)
    assert any(item["label"] == "soborno" for item in result.evidence)


def test_result_has_the_command_line_contract(trained_models) -> None:
    text = "le pague 2,500 al coyote, su cel 961 123 4567"
    result = classify_one(trained_models, text)

    payload = result.as_dict()
    assert set(payload) == {
        "topic", "topic_score", "fraud", "fraud_scores", "evidence", "entities",
        "needs_review",
    }  # fmt: skip
    assert payload["topic"] in TOPICS
    assert set(payload["fraud_scores"]) == set(FRAUD_LABELS)
    assert payload["entities"]["amounts"] == [2500]
    assert payload["entities"]["phones"] == ["529611234567"]


def test_model_card_reports_every_label(trained_models) -> None:
    card = (trained_models.path.parent / "MODEL_CARD.md").read_text()

    for label in (*TOPICS, *FRAUD_LABELS):
        assert f"| {label} |" in card
    assert trained_models.version in card
    assert trained_models.version == data_version()


TOPIC_MACRO_F1_TARGET = 0.85
FRAUD_RECALL_TARGET = 0.90
FRAUD_PRECISION_TARGET = 0.80


def test_topic_model_meets_its_heldout_target(trained_models) -> None:
    summary = trained_models.metadata["heldout"]

    assert summary["topic_macro_f1"] >= TOPIC_MACRO_F1_TARGET


def test_every_fraud_signal_meets_its_heldout_targets(trained_models) -> None:
    rows = trained_models.metadata["report"]["fraud"]

    below = [
        row["label"]
        for row in rows
        if row["recall"] < FRAUD_RECALL_TARGET
        or row["precision"] < FRAUD_PRECISION_TARGET
    ]
    assert not below


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "1", "text": "x", "topic": "chisme", "fraud": []}', "unknown topic"),
        ('{"id": "1", "text": "x", "topic": "otro", "fraud": ["x"]}', "unknown fraud"),
        ('{"id": "1", "text": "x"}', "not a labelled example"),
        ("{oops", "not a labelled example"),
    ],
)
def test_bad_training_data_names_file_and_line(tmp_path: Path, line, message) -> None:
    first = '{"id": "0", "text": "hola", "topic": "otro"}'
    (tmp_path / "data.jsonl").write_text(first + "\n" + line)

    with pytest.raises(TrainingDataError, match=rf"data.jsonl:2: {message}"):
        load_examples(tmp_path)


def test_classify_command_keeps_order_and_reports_bad_lines(
    installed_models, environment: dict[str, str]
) -> None:
    lines = [
        json.dumps({"id": "a", "text": "requisitos para registrarme"}),
        "{not json",
        json.dumps({"id": "b"}),
        json.dumps({"id": "c", "text": "el gestor cobra 2 mil", "channel": "denuncia"}),
        json.dumps({"id": "d", "text": "hola", "channel": "fax"}),
        json.dumps({"id": 5, "text": "gracias"}),
    ]

    result = subprocess.run(
        [sys.executable, "-m", "vigia.cli", "classify", "-"],
        input="\n".join(lines) + "\n",
        env=os.environ | environment,
        capture_output=True,
        text=True,
        timeout=300,
    )

    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [item["id"] for item in outputs] == ["a", "c", 5]
    assert "line 2: not valid JSON" in result.stderr
    assert "line 3: missing 'text'" in result.stderr
    assert "line 5: unknown channel 'fax'" in result.stderr
    assert result.returncode == 1
