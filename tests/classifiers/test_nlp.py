"""The Spanish pipeline: placeholders, normal forms and who asks for money."""

from __future__ import annotations

import pytest

from classifiers.nlp import spanish_pipeline


def test_pipeline_is_blank_spanish_with_our_components() -> None:
    nlp = spanish_pipeline()

    assert nlp.lang == "es"
    assert nlp.pipe_names == ["vigia_entities", "vigia_normalizer", "vigia_evidence"]


@pytest.mark.parametrize(
    ("text", "placeholder"),
    [
        ("me cobro $3,500 el gestor", "_monto_"),
        ("le di tres mil quinientos pesos", "_monto_"),
        ("su numero es 961 123 4567", "_telefono_"),
        ("deposita a la clabe 002180700000000019", "_cuenta_"),
    ],
)
def test_entities_become_one_placeholder_token(text: str, placeholder: str) -> None:
    doc = spanish_pipeline()(text)

    assert placeholder in doc._.normalized.split()
    assert doc.text == text


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ("el servidor de la nacion me pidio 2 mil", "_cobra_servidor_"),
        ("el gestor nos cobra 500 pesos", "_cobra_tercero_"),
        ("la constructora pide 4 mil por los acabados", "_cobra_constructor_"),
        ("dice ser de conavi y pide 1500 en oxxo", "_cobra_impostor_"),
        ("alguien me pidio 300 pesos", "_cobra_alguien_"),
    ],
)
def test_who_asks_for_money_is_marked(text: str, marker: str) -> None:
    assert marker in spanish_pipeline()(text)._.actors


def test_no_marker_without_a_payment() -> None:
    assert spanish_pipeline()("el gestor vino a la casa")._.actors == []
