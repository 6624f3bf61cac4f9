"""Excerpts for the fraud list: the complainant's details masked, the accused's kept."""

from __future__ import annotations

import pytest

from reports.excerpt import CURP_MASK, EMAIL_MASK, INE_MASK, PHONE_MASK, excerpt_of

OWN = ("5219615550101",)  # the reporter's WhatsApp number, as the channel gives it

# fmt: off
CASES = [
    # (text, reporters' own phones, must appear, must not appear)
    ("hola buenas tardes quiero denunciar al gestor q nos cobro 3 mil x meternos a "
     "la lista, su numero es 961 234 5678. mi numero es 961 555 0101",
     (), ["961 234 5678", PHONE_MASK], ["961 555 0101"]),
    ("el gestor me dio su número 5512345678 y me pidio 2500 pesos",
     (), ["5512345678"], [PHONE_MASK]),
    ("mi cel 55-1234-5678 xfa llamenme, el licenciado nos pide moche",
     (), [PHONE_MASK], ["55-1234-5678"]),
    ("Me pueden llamar al +52 1 961 555 0101 en la tarde",
     (), [PHONE_MASK], ["555 0101"]),
    ("marquenme al 9615550101 porfa, la señora de la conavi nos pide 500",
     (), [PHONE_MASK], ["9615550101"]),
    ("5519876543 es mi whats, el coyote se llama Pedro y su tel es 5587654321",
     (), [PHONE_MASK, "5587654321"], ["5519876543"]),
    ("denuncio a la lider q pide cooperacion, cualquier cosa al 961 555 01 01",
     OWN, [PHONE_MASK], ["555 01 01"]),
    ("me quieren cobrar, contacto +52 (961) 555-0101", OWN, [PHONE_MASK], ["555-0101"]),
    ("a mi whats me llego un mensaje del 7224189930 diciendo q sali sorteado",
     (), ["7224189930"], [PHONE_MASK]),
    ("el gestor dijo marcame al 5512345678 para darte tu lugar",
     (), ["5512345678"], [PHONE_MASK]),
    ("mi curp es GOMR800101HCSRMM09 y mi numero de folio es 1234567890",
     (), [CURP_MASK, "1234567890"], ["GOMR800101HCSRMM09", PHONE_MASK]),
    ("mi correo es juana.perez85@gmail.com, la pagina falsa pide depositar y manda "
     "info a conavi.tramites@gmail.com",
     (), [EMAIL_MASK, "conavi.tramites@gmail.com"], ["juana.perez85"]),
    ("mi cel es 961 555 0101 o 961 555 0202, el del gestor es 961 234 5678",
     (), ["961 234 5678"], ["555 0101", "555 0202"]),
    ("el numero de mi esposo es 9615550303 x si no contesto",
     (), [PHONE_MASK], ["9615550303"]),
    ("me marcaron del 5512345678, mi numero es 5598765432",
     (), ["5512345678", PHONE_MASK], ["5598765432"]),
    ("pague 500 5512345678 (mi cel)", (), ["pague 500", PHONE_MASK], ["5512345678"]),
    ("mi clave de elector GMRMRM80010107M500 la pidio el servidor de la nacion",
     (), [INE_MASK, "servidor de la nacion"], ["GMRMRM80010107M500"]),
    ("deposite a la CLABE 012180001234567891 q me dieron, mi tel 961 555 0101",
     (), ["012180001234567891", PHONE_MASK], ["555 0101"]),
]
# fmt: on


@pytest.mark.parametrize(("text", "own", "present", "absent"), CASES)
def test_excerpt_hides_complainant_details_and_keeps_the_accused(
    text: str, own: tuple[str, ...], present: list[str], absent: list[str]
) -> None:
    excerpt = excerpt_of(text, own_phones=own, limit=500)

    for part in present:
        assert part in excerpt
    for part in absent:
        assert part not in excerpt


def test_excerpt_collapses_whitespace() -> None:
    assert excerpt_of("hola\n\nbuenas   tardes\t quiero denunciar") == (
        "hola buenas tardes quiero denunciar"
    )


@pytest.mark.parametrize("limit", [20, 45, 80])
def test_long_text_is_cut_at_a_word_boundary(limit: int) -> None:
    text = "el gestor de la colonia nos cobro dos mil pesos a cada familia " * 5

    excerpt = excerpt_of(text, limit=limit)

    assert len(excerpt) <= limit
    assert excerpt.endswith("…")
    assert excerpt[:-1] in text
    assert text[len(excerpt) - 1] == " "  # the cut fell between words


def test_cut_never_leaves_half_a_mask() -> None:
    text = "hola buenas tardes mi numero es 961 555 0101 y quiero denunciar al gestor"

    excerpt = excerpt_of(text, limit=40)

    assert "[" not in excerpt
    assert "0101" not in excerpt


@pytest.mark.parametrize(
    ("text", "names", "kept", "gone"),
    [
        ("me llamo Guadalupe Ramírez Soto y el gestor Ramiro Sosa cobra", (),
         "Ramiro Sosa", "Guadalupe"),
        ("el licenciado pide 2 mil. Atte. María de la Luz Pérez", (), "licenciado",
         "Pérez"),
        ("soy la señora Rosa Martinez, el lider cobra 500", (), "lider", "Rosa"),
        ("Juana Torres aquí, el gestor Pedro Gil nos cobró", ("Juana Torres",),
         "Pedro Gil", "Juana"),
    ],
)  # fmt: skip
def test_the_complainants_own_name_is_masked(
    text: str, names: tuple[str, ...], kept: str, gone: str
) -> None:
    excerpt = excerpt_of(text, own_names=names)

    assert kept in excerpt and gone not in excerpt
    assert "[nombre del denunciante]" in excerpt
