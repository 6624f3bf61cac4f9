"""Evidence phrases: what supports each fraud signal, and what does not."""

from __future__ import annotations

import pytest

from classifiers.evidence import FRAUD_LABELS, PATTERNS, compile_pattern
from classifiers.nlp import spanish_pipeline


def evidence(text: str) -> set[str]:
    return {span.label_ for span in spanish_pipeline()(text)._.evidence}


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("el gestor nos cobro 3500 pa meternos en la lista", "cobro_indebido"),
        ("nos piden cooperacion de 200 pa los papeles", "cobro_indebido"),
        ("el servidor de la nacion me pidio el 10% del apoyo", "soborno"),
        ("el delegado quiere su moche", "soborno"),
        ("el licenciado del modulo dijo q si le llevaba algo pa el cafe", "soborno"),
        ("en el modulo dicen q si le doy algo al encargado me mete", "soborno"),
        ("me dijeron q sali sorteada y q deposite en oxxo", "suplantacion"),
        ("hay una pagina falsa de conavi en face", "suplantacion"),
        ("me llego un mensaje, ingresa a este enlace y pon tu tarjeta", "suplantacion"),
        ("si no vamos al mitin nos quitan del programa", "condicionamiento"),
        ("la lider dice q hay q votar por su candidato", "condicionamiento"),
        ("nos hicieron firmar q la obra esta terminada y no", "desvio_obra"),
        ("el material no llego completo, faltan bultos de cemento", "desvio_obra"),
    ],
)
def test_phrases_people_write_are_evidence(text: str, label: str) -> None:
    assert label in evidence(text)


@pytest.mark.parametrize(
    "text",
    [
        "no me han cobrado nada, solo quiero saber cuando pagan",
        "nadie nos pidio dinero verdad?",
        "buenas tardes, cuales son los requisitos",
        "ya me depositaron la primera ministracion gracias",
        "no le di nada al licenciado, solo quiero saber mi folio",
    ],
)
def test_negations_and_plain_questions_are_not_evidence(text: str) -> None:
    assert evidence(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "la enlace municipal nos pidio 500 a cada una",
        "el enlace de bienestar dice q le toca su parte",
    ],
)
def test_the_programmes_link_person_is_no_scam_link(text: str) -> None:
    assert "suplantacion" not in evidence(text)


def test_every_label_has_patterns_that_compile() -> None:
    assert set(PATTERNS) == set(FRAUD_LABELS)
    for lines in PATTERNS.values():
        assert all(compile_pattern(line) for line in lines)


def test_pattern_syntax() -> None:
    assert compile_pattern("cobro|cobraron ~3 ?de cuot*") == [
        {"NORM": {"IN": ["cobro", "cobraron"]}},
        {"OP": "{0,3}"},
        {"NORM": {"IN": ["de"]}, "OP": "?"},
        {"NORM": {"REGEX": "^(?:cuot\\w*)$"}},
    ]
