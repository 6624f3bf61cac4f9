"""Tests for entity extraction from raw citizen messages."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classifiers.extract import (
    SUMMARY_KEYS,
    Entity,
    clabe_is_valid,
    curp_is_valid,
    entities_summary,
    extract_entities,
    fold,
    luhn_is_valid,
    parse_amount,
)

# Identifiers made up for these tests, with correct check digits.
CLABE = "012180001234567899"
CLABE_BAD = "012180001234567890"
CARD = "4152313809217768"
CARD_BAD = "4152313809217760"
CURP = "HEMR850612HCSRRN08"
CURP_BAD = "HEMR850612HCSRRN01"


def found(text: str, label: str) -> list[tuple[str, str | int]]:
    """(text, value) of each entity of one label in a message."""
    return [(e.text, e.value) for e in extract_entities(text) if e.label == label]


def values(text: str, label: str) -> list[str | int]:
    """Values of each entity of one label in a message."""
    return [value for _, value in found(text, label)]


# --- amounts ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written", "pesos"),
    [
        ("me cobro $3,500 por meterme", "$3,500", 3500),
        ("fueron $ 3500.00 en total", "$ 3500.00", 3500),
        ("le pague 3500 pesos al señor", "3500 pesos", 3500),
        ("ya le di 2500 varos", "2500 varos", 2500),
        ("pide 500 baros por cabeza", "500 baros", 500),
        ("nos pidio 5 mil a cada uno", "5 mil", 5000),
        ("nos pidio 5mil a cada uno", "5mil", 5000),
        ("son cinco mil por familia", "cinco mil", 5000),
        ("si le daba mil quinientos lo arreglaba", "mil quinientos", 1500),
        ("tres mil quinientos pesos de cuota", "tres mil quinientos pesos", 3500),
        ("le dimos dos mil 500 al inge", "dos mil 500", 2500),
        ("cobra 3 mil 500 por casa", "3 mil 500", 3500),
        ("quiere 15 mil pesos", "15 mil pesos", 15000),
        ("transferencia de 1,500 mxn", "1,500 mxn", 1500),
        ("pide 3.5k por el tramite", "3.5k", 3500),
        ("se quedo con medio millon", "medio millon", 500_000),
        ("el recibo dice $28,000.00", "$28,000.00", 28000),
        ("treinta y cinco mil pesos", "treinta y cinco mil pesos", 35000),
        ("el apoyo era un millon doscientos mil", "un millon doscientos mil", 1200000),
        ("Me cobró 800 y no dio recibo", "800", 800),
    ],
)
def test_amounts_are_read_with_their_value_in_pesos(
    text: str, written: str, pesos: int
) -> None:
    assert found(text, "amount") == [(written, pesos)]


@pytest.mark.parametrize(
    ("text", "pesos"),
    [
        ("me cobro 800 por la visita", 800),
        ("pidio 1500 pa meternos", 1500),
        ("le dimos 2000 y no volvio", 2000),
        ("deposite 1500 en oxxo", 1500),
        ("pague 700.", 700),
        ("hay una cuota de 300 cada quincena", 300),
        ("cooperacion de 200 pa la gasolina", 200),
        ("nos cobro a cada quien 1,000 por la gestion", 1000),
        ("un 'apoyo' de 1000 a cada persona", 1000),
        ("ahora me pide otros 1000 pa liberar", 1000),
        ("le tengo q dar 300 para el registro", 300),
        ("si le doy 300 al señor me apunta", 300),
        ("si le damos 200 nos pasa primero", 200),
        ("sin pagarle 500 no nos lleva", 500),
        ("el licenciado la activa si le paso 200", 200),
        ("los entrega si le dejamos 500", 500),
        ("la enlace se queda con mil de cada apoyo", 1000),
        ("el señor nos quito 800 en el banco", 800),
        ("me dijo el lic q x 1500 me lo mueve", 1500),
        ("dice q con 500 lo destraba", 500),
        ("por 300 te apunta en la lista", 300),
    ],
)
def test_a_bare_number_after_a_money_word_is_an_amount(text: str, pesos: int) -> None:
    assert values(text, "amount") == [pesos]


@pytest.mark.parametrize(
    "text",
    [
        "nos quitaron el 10% del apoyo",
        "pide el 20 por ciento de lo que llega",
        "mi folio 2024-88213 no aparece",
        "me registre en 2024",
        "me citaron a las 10:30 en el modulo",
        "vivo en calle 5 #23",
        "llegaron 20 bultos de cemento",
        "solo trajeron 50 blocks y 10 laminas",
        "somos 20 familias afectadas",
        "tengo 58 años y no me atienden",
        "fui el 12/05/2024 y nada",
        "ya cobro 2 de 3 pagos",
        "me pidio 10 credenciales de votantes",
        "la obra lleva 5 mil bultos menos",
        "nadie me pidio ni un peso",
        "mil gracias por todo",
        "pague el 15 de mayo",
        "es la casa 3 de la manzana 12",
        "quedan 500 lugares en la lista",
        "la constructora dejo 20 casas sin techo",
        "con 3 hijos me toca mas?",
        "por 2024 me la negaron",
        "vivo con 5 nietos",
        "por 15 dias no me contestaron",
    ],
)
def test_numbers_that_are_not_money_are_not_amounts(text: str) -> None:
    assert values(text, "amount") == []


@pytest.mark.parametrize(
    ("written", "pesos"),
    [
        ("5 mil", 5000),
        ("$3,500", 3500),
        ("mil quinientos", 1500),
        ("3.5k", 3500),
        ("3 mil 500", 3500),
        ("dos mil 500", 2500),
        ("1.500", 1500),
        ("$ 3500.00", 3500),
        ("ciento cincuenta", 150),
        ("medio millon", 500_000),
        ("Tres Mil Quinientos Pesos", 3500),
        ("hola", None),
        ("", None),
    ],
)
def test_parse_amount_reads_written_sums(written: str, pesos: int | None) -> None:
    assert parse_amount(written) == pesos


# --- phones ----------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "961 123 4567",
        "9611234567",
        "961-123-45-67",
        "961.123.4567",
        "+52 961 123 4567",
        "+52 1 961 123 4567",
        "5219611234567",
        "529611234567",
        "(961) 123 4567",
    ],
)
def test_phone_forms_normalise_to_52_and_ten_digits(written: str) -> None:
    assert found(f"su cel es {written} y no contesta", "phone") == [
        (written, "529611234567")
    ]


@pytest.mark.parametrize(
    "written",
    ["(55) 1234-5678", "+52 55 1234 5678", "+52 1 55 1234 5678", "55 12 34 56 78"],
)
def test_mexico_city_phone_forms(written: str) -> None:
    assert values(f"me llamaron del {written}", "phone") == ["525512345678"]


@pytest.mark.parametrize(
    "text",
    [
        f"la clabe es {CLABE}",
        f"deposite a la tarjeta {CARD}",
        "mi nss 12345678901 ya esta",
        "mi numero de seguro social es 1234567890",
        "mi folio 2023114872 no sale",
        "folio VB-2023-114872",
        "me llamo el +1 (305) 442-8812",
        "el numero 0123456789",
    ],
)
def test_numbers_that_are_not_phones(text: str) -> None:
    assert values(text, "phone") == []


def test_a_phone_glued_to_another_number_is_still_found() -> None:
    assert found("le di 500 5512345678", "phone") == [("5512345678", "525512345678")]


# --- CLABE, cards, accounts --------------------------------------------------


@pytest.mark.parametrize(
    ("clabe", "valid"),
    [
        (CLABE, True),
        (CLABE_BAD, False),
        ("072320009876543219", True),
        ("07232000987654321", False),
        ("07232000987654321X", False),
    ],
)
def test_clabe_check_digit(clabe: str, valid: bool) -> None:
    assert clabe_is_valid(clabe) is valid


@pytest.mark.parametrize(
    "written",
    [CLABE, "012 180 00123456789 9", "0121 8000 1234 5678 99", "012-180-001234567899"],
)
def test_a_valid_clabe_is_found_however_grouped(written: str) -> None:
    assert found(f"mandale a {written} porfa", "clabe") == [(written, CLABE)]


@pytest.mark.parametrize(
    ("text", "accounts"),
    [
        (f"la clabe {CLABE_BAD} de bbva", [CLABE_BAD]),
        (f"deposita a la cuenta {CLABE_BAD}", [CLABE_BAD]),
        (f"el codigo {CLABE_BAD} salio en la pantalla", []),
    ],
)
def test_an_invalid_clabe_is_an_account_only_where_the_text_says_so(
    text: str, accounts: list[str]
) -> None:
    assert values(text, "clabe") == []
    assert values(text, "account") == accounts


@pytest.mark.parametrize(
    ("text", "card"),
    [
        (f"a la tarjeta {CARD}", CARD),
        ("a la tarjeta 4152 3138 0921 7768", CARD),
        (f"el numero {CARD} me lo dieron", CARD),
        (f"deposita a la tarjeta {CARD_BAD}", CARD_BAD),  # mistyped, but a card
        ("la tarjeta con terminacion 4521", "****4521"),
        ("mi tarjeta que termina en 4521", "****4521"),
        ("cuenta 4152 **** 8811", "****8811"),
    ],
)
def test_cards_and_card_fragments(text: str, card: str) -> None:
    assert values(text, "card") == [card]


@pytest.mark.parametrize(
    "text",
    [f"el codigo {CARD_BAD} de la caja", "la obra termina en 2025"],
)
def test_numbers_that_are_not_cards(text: str) -> None:
    assert values(text, "card") == []


@pytest.mark.parametrize(
    ("text", "account"),
    [
        ("a la cuenta 1234567890 de banorte", "1234567890"),
        ("no. de cuenta 12345678901", "12345678901"),
        ("cta 1234567890", "1234567890"),
        ("deposita a 12345678901234 en oxxo", "12345678901234"),
        ("transferir a la referencia 987654321012", "987654321012"),
        ("su mercado pago 55123456789", "55123456789"),
    ],
)
def test_accounts_and_payment_references(text: str, account: str) -> None:
    assert values(text, "account") == [account]


@pytest.mark.parametrize(
    ("number", "valid"), [(CARD, True), (CARD_BAD, False), ("4766840211905521", True)]
)
def test_luhn_check(number: str, valid: bool) -> None:
    assert luhn_is_valid(number) is valid


# --- CURP --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("curp", "valid"),
    [
        (CURP, True),
        (CURP_BAD, False),
        ("LOPA920304MVZPRL09", True),
        ("lopa920304mvzprl09", True),
        ("SAGM700101HOCNRR00", True),
        ("SAGM700101HOCNRR0A", False),
        ("SAGM700101HOCNRR0", False),
    ],
)
def test_curp_check_digit(curp: str, valid: bool) -> None:
    assert curp_is_valid(curp) is valid


@pytest.mark.parametrize(
    ("text", "curp"),
    [
        (f"mi curp es {CURP}", CURP),
        (f"CURP: {CURP_BAD}.", CURP_BAD),  # a mistyped check digit is still reported
        (f"curp {CURP.lower()}", CURP),
    ],
)
def test_curps_are_reported_uppercase(text: str, curp: str) -> None:
    assert values(text, "curp") == [curp]


@pytest.mark.parametrize(
    "text",
    [
        "curp HEMR850612XCSRRN08",  # sex must be H or M
        "curp HEMR85061HCSRRN08",  # 17 characters
        "curp HEMR850612HCSRRN08X",  # 19 characters
        "curp HBMR850612HCSRRN08",  # second letter must be a vowel or X
    ],
)
def test_text_that_only_looks_like_a_curp_is_not_one(text: str) -> None:
    assert values(text, "curp") == []


# --- states ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "state"),
    [
        ("Chiapas", "Chiapas"),
        ("chiapas", "Chiapas"),
        ("Edo de Chiapas", "Chiapas"),
        ("Edomex", "Estado de México"),
        ("Edo Mex", "Estado de México"),
        ("Edo. de Mex", "Estado de México"),
        ("estado de mexico", "Estado de México"),
        ("Estado de México", "Estado de México"),
        ("CDMX", "Ciudad de México"),
        ("DF", "Ciudad de México"),
        ("D.F", "Ciudad de México"),
        ("ciudad de mexico", "Ciudad de México"),
        ("Veracruz de Ignacio de la Llave", "Veracruz"),
        ("Coahuila de Zaragoza", "Coahuila"),
        ("Michoacan de Ocampo", "Michoacán"),
        ("Michoacán", "Michoacán"),
        ("Nuevo Leon", "Nuevo León"),
        ("NL", "Nuevo León"),
        ("QRoo", "Quintana Roo"),
        ("Q. Roo", "Quintana Roo"),
        ("BCS", "Baja California Sur"),
        ("Baja California Sur", "Baja California Sur"),
        ("BC", "Baja California"),
        ("SLP", "San Luis Potosí"),
        ("San Luis Potosi", "San Luis Potosí"),
        ("yucatan", "Yucatán"),
        ("QUERETARO", "Querétaro"),
        ("Guerrero", "Guerrero"),
    ],
)
def test_state_aliases_name_the_canonical_state(written: str, state: str) -> None:
    assert found(f"vivo en {written}, ayuda", "state") == [(written, state)]


def test_the_trailing_dot_of_an_abbreviation_ends_the_sentence() -> None:
    assert found("soy del D.F.", "state") == [("D.F", "Ciudad de México")]


@pytest.mark.parametrize(
    "text",
    [
        "vivo en Mexico",
        "soy de méxico y pago impuestos",
        "el abc de los tramites",
        "folio 24-CHIS-55910",
        "folio NL-0933",
        "vivo en la calle Hidalgo 8",
        "la colonia Vicente Guerrero",
        "es de Villa Guerrero",
        "el Lic. Guerrero me atendio",
        "en Ocotlan de Morelos",
    ],
)
def test_the_country_word_parts_and_street_names_are_not_states(text: str) -> None:
    assert values(text, "state") == []


# --- roles -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "role"),
    [
        ("gestor", "gestor"),
        ("gestora", "gestor"),
        ("gestores", "gestor"),
        ("coyote", "coyote"),
        ("coyota", "coyote"),
        ("lider", "lider"),
        ("líder", "lider"),
        ("lideresa", "lider"),
        ("comisariado", "comisariado"),
        ("comisario ejidal", "comisariado"),
        ("servidor de la nacion", "servidor de la nacion"),
        ("servidora de la nación", "servidor de la nacion"),
        ("servidores de la nacion", "servidor de la nacion"),
        ("funcionario", "funcionario"),
        ("funcionaria", "funcionario"),
        ("licenciado", "licenciado"),
        ("licenciada", "licenciado"),
        ("lic", "licenciado"),
        ("delegado", "delegado"),
        ("delegada", "delegado"),
        ("asistente tecnico", "asistente tecnico"),
        ("asistente técnica", "asistente tecnico"),
        ("tecnico", "asistente tecnico"),
        ("constructora", "constructora"),
        ("ingeniero", "ingeniero"),
        ("ingeniera", "ingeniero"),
        ("inge", "ingeniero"),
        ("ing", "ingeniero"),
        ("arquitecto", "arquitecto"),
        ("supervisor", "supervisor"),
        ("supervisora", "supervisor"),
        ("presidente municipal", "autoridad municipal"),
        ("presidente", "autoridad municipal"),
        ("regidor", "autoridad municipal"),
        ("sindico", "autoridad municipal"),
        ("maestro de obra", "maestro de obra"),
        ("albañil", "albañil"),
        ("promotor", "promotor"),
        ("promotora", "promotor"),
        ("encargado", "encargado"),
    ],
)
def test_roles_after_an_article_are_canonical(written: str, role: str) -> None:
    article = "la" if written.endswith("a") and written != "lideresa" else "el"
    assert found(f"{article} {written} nos pidio dinero", "role") == [(written, role)]


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("se presenta como enlace de Conavi", "enlace"),
        ("la enlace municipal cobra", "enlace"),
        ("el presidente del comite de obra cobra", "lider"),
        ("la Lic. Perez dijo", "licenciado"),
    ],
)
def test_roles_that_depend_on_their_neighbours(text: str, role: str) -> None:
    assert values(text, "role") == [role]


@pytest.mark.parametrize(
    "text",
    [
        "da clic en el enlace para registrarte",
        "el tramite no tiene costo",
        "en la secundaria tecnica",
        "ya at me dijo",
        "pedi una licencia",
    ],
)
def test_words_that_only_resemble_roles(text: str) -> None:
    assert values(text, "role") == []


# --- overlaps, offsets and the summary ---------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("me cobro $3,500", [("amount", "$3,500")]),
        ("whatsapp 5215512345678", [("phone", "5215512345678")]),
        (f"clabe {CLABE}", [("clabe", CLABE)]),
        ("di 2 mil y 55 2230 9987", [("amount", "2 mil"), ("phone", "55 2230 9987")]),
        ("tarjeta con terminacion 4521 pague", [("card", "4521")]),
    ],
)
def test_the_longest_reading_wins_and_nothing_overlaps(
    text: str, expected: list[tuple[str, str]]
) -> None:
    entities = [(e.label, e.text) for e in extract_entities(text)]
    assert [item for item in entities if item[0] != "role"] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Señor Núñez de Michoacán 🙏 cobró $1,500 y su número es 961 123 4567",
        "ÁÉÍÓÚ ñ İstanbul\u00a0cdmx 5 mil",
        "Estimado funcionario\u202fde Yucatán: pagué tres mil pesos",
    ],
)
def test_entity_text_is_the_exact_slice_of_the_message(text: str) -> None:
    entities = extract_entities(text)
    assert entities
    for entity in entities:
        assert text[entity.start : entity.end] == entity.text
    assert all(a.end <= b.start for a, b in pairwise(entities))


PIECES = [
    "$3,500", "5 mil", "mil quinientos", "pesos", "cobro", "961 123 4567", "+52 1",
    CLABE, CARD, CURP, "Edomex", "D.F.", "gestor", "el", "la", "tecnico", "10%",
    "folio", "2024-88213", "cuenta", "terminacion 4521", "Guerrero", "Ñ", "ó", "🙏",
    "\u00a0", "\n", ",", ".", "-", "(", ")", "+", "0", "55", "1234",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=25), st.sampled_from(["", " ", "  "]))
def test_entities_are_exact_sorted_and_disjoint_on_any_mix(
    pieces: list[str], glue: str
) -> None:
    text = glue.join(pieces)
    entities = extract_entities(text)

    for entity in entities:
        assert text[entity.start : entity.end] == entity.text
    assert all(a.end <= b.start for a, b in pairwise(entities))


def test_fold_keeps_the_length_of_the_text() -> None:
    text = "Ñandú ÁRBOL İ\u00a0x 😀"
    assert len(fold(text)) == len(text)
    assert fold("Michoacán ÑOÑO") == "michoacan nono"


def test_empty_text_has_no_entities() -> None:
    assert extract_entities("") == []
    assert extract_entities("   \n") == []
    assert entities_summary([]) == {key: [] for key in SUMMARY_KEYS}


def test_summary_has_every_key_and_deduplicates_in_order() -> None:
    text = (
        "el gestor cobro 5 mil, luego otros $3,500 y luego 5 mil pesos mas. "
        "su cel 961 123 4567 o 9611234567. vive en Chiapas, no en Edomex, "
        f"si en chiapas. clabe {CLABE}, tarjeta {CARD}. mi curp {CURP}"
    )
    summary = entities_summary(extract_entities(text))

    assert list(summary) == list(SUMMARY_KEYS)
    assert summary == {
        "amounts": [5000, 3500],
        "phones": ["529611234567"],
        "accounts": [CLABE, CARD],
        "curps": [CURP],
        "states": ["Chiapas", "Estado de México"],
        "roles": ["gestor"],
    }


LONG_MESSAGE = """buenas tardes
quiero denunciar a un señor q se hace llamar gestor de vivienda, anda en la
colonia de Ocosingo, Chiapas cobrando 800 pesos por persona pa meternos en
la lista de conavi. a mi me pidio 2 mil y le di mil quinientos
ya le pagaron como 15 familias, somos 20 familias en total
su cel es 919 134 5521 y tambien manda mensajes del +52 1 55 1234 5678
dice q depositemos a la clabe 0121 8000 1234 5678 99 o en oxxo a la
tarjeta 4152 3138 0921 7768. el servidor de la nacion ya sabe
mi curp es HEMR850612HCSRRN08 folio 2024-88213"""


def test_a_long_message_with_several_entities() -> None:
    entities = extract_entities(LONG_MESSAGE)
    summary = entities_summary(entities)

    assert summary == {
        "amounts": [800, 2000, 1500],
        "phones": ["529191345521", "525512345678"],
        "accounts": [CLABE, CARD],
        "curps": [CURP],
        "states": ["Chiapas"],
        "roles": ["gestor", "servidor de la nacion"],
    }
    assert [e.start for e in entities] == sorted(e.start for e in entities)
    assert all(isinstance(e, Entity) for e in entities)
