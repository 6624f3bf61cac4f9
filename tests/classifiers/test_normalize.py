"""Normal forms of WhatsApp Spanish."""

from __future__ import annotations

import pytest

from classifiers.normalize import normalize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Holaaaa buenas tardes", "hola buenas tardes"),
        ("q onda xq no me depositan", "que onda porque no me depositan"),
        ("k paso con mi apoyo", "que paso con mi apoyo"),
        ("El TRÁMITE es gratis?", "el tramite es gratis ?"),
        ("mi año de registro", "mi año de registro"),
        ("tmb mi mama porfa", "tambien mi mama porfavor"),
        ("me cobro tres mil quinientos", "me cobro 3500"),
        ("somos veinte familias", "somos 20 familias"),
        ("treinta y cinco mil pesos", "35000 pesos"),
        ("un señor nos pidio", "un señor nos pidio"),
        ("ya pague 😡", "ya pague enojo"),
        ("jajajaja q risa", "jaja que risa"),
        ("", ""),
    ],
)
def test_spellings_meet_in_one_normal_form(text: str, expected: str) -> None:
    assert normalize(text) == expected
