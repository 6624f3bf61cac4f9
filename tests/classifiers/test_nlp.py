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
        ("el agente municipal pide 2 mil por la constancia", "_cobra_servidor_"),
        ("si le doy algo al encargado me vuelve a meter", "_cobra_servidor_"),
        ("la lider cobra 500. no es de gobierno", "_sin_cargo_"),
        ("la enlace municipal se queda con mil de cada apoyo", "_cobra_servidor_"),
        ("me dicen q le tengo q dar una parte al lider", "_cobra_tercero_"),
    ],
)
def test_who_asks_for_money_is_marked(text: str, marker: str) -> None:
    assert marker in spanish_pipeline()(text)._.actors


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        (
            "oigan\nel encargado del modulo\nse llama Ruben\nle cobra 100 a cada quien",
            "_cobra_servidor_",
        ),
        (
            "la señora q entrega las fichas dijo q si le daba 100 me conseguia una\n"
            "trabaja ahi, trae su gafete",
            "_cobra_servidor_",
        ),
        (
            "fui a la delegacion y un señor de ahi\ndijo q por 2 mil me cambia",
            "_cobra_servidor_",
        ),
        (
            "el lider de la colonia vino.\ndijo q le demos 500 a cada quien",
            "_cobra_tercero_",
        ),
    ],
)
def test_a_request_takes_the_person_named_in_the_lines_around_it(
    text: str, marker: str
) -> None:
    assert spanish_pipeline()(text)._.actors == [marker]


@pytest.mark.parametrize(
    "text",
    [
        "un señor cobra 600 por meterte a vivienda para el bienestar",
        "en el banco del bienestar le pidieron 500 al gestor",
    ],
)
def test_bienestar_in_a_programme_name_is_no_office(text: str) -> None:
    assert "_cobra_servidor_" not in spanish_pipeline()(text)._.actors


@pytest.mark.parametrize(
    "text",
    [
        "el gestor vino a la casa",
        "me llego un deposito de 12 mil, es de conavi?",
        "quiero saber cuando me depositan los 45 mil",
        "el servidor de la nacion vino. quiero saber cuando me depositan los 45 mil",
    ],
)
def test_no_marker_without_someone_asking_or_paying(text: str) -> None:
    assert spanish_pipeline()(text)._.actors == []


def test_a_post_the_writer_denies_is_not_a_servant() -> None:
    actors = spanish_pipeline()("cobra 300 pesos y no es funcionario")._.actors

    assert "_cobra_servidor_" not in actors
    assert "_sin_cargo_" in actors
