"""Threats and numbers of victims, as people write them."""

from __future__ import annotations

import pytest

from classifiers.cues import has_threats, victims_in


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nos amenazo con sacarnos de la lista si deciamos algo", True),
        ("si no vas a las marchas te borran de la lista", True),
        ("si no le pagamos al lider nos van a quitar el apoyo", True),
        ("no pongan mi nombre porfa tengo miedo", True),
        ("el señor anda armado con gente", True),
        ("nos dijeron que si denunciabamos nos iba a ir mal", True),
        ("Me INTIMIDARON en el modulo", True),
        ("si no me llega el deposito voy a ir a las oficinas", False),
        ("cuando me depositan la segunda ministracion?", False),
        ("un tal Armando cobra por apartar lugar", False),
        ("la obra tiene grietas y nadie viene a revisar", False),
    ],
)
def test_threats(text: str, expected: bool) -> None:
    assert has_threats(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("somos 20 familias afectadas", 20),
        ("a mas de treinta vecinos les cobro", 30),
        ("nos cobro a unas 15 personas, fuimos 40 beneficiarios en total", 40),
        ("a 3 casas no les llego el material", 3),
        ("me depositaron 35 mil", None),
        ("somos 1 familia", None),  # one family is the writer, not many victims
        ("a 20000000 personas", None),
    ],
)
def test_victims(text: str, expected: int | None) -> None:
    assert victims_in(text) == expected
