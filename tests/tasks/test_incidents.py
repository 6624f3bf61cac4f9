"""Incidents across reporters: details of the accused, links, repeat actors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import tasks.incidents as incidents
from classifiers.extract import extract_entities
from tasks.incidents import (
    Report,
    dedup_items,
    details_of,
    group_reports,
    names_in,
    organisations_in,
    places_in,
    websites_in,
)

START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


def together(*texts: str, **options: object) -> bool:
    """Whether reports of these texts, by different people, form one group."""
    reports = [
        Report(str(n), text, f"vecina-{n}", at(n * 90), **options)  # type: ignore[arg-type]
        for n, text in enumerate(texts)
    ]
    return len(set(group_reports(reports).groups)) == 1


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("un tal Juan Pérez nos cobró 3 mil", [("juan", "perez")]),
        (
            "la licenciada rosa martinez de la delegacion pide 500",
            [("rosa", "martinez")],
        ),
        (
            "El Lic. Ramírez, que trabaja en el municipio, nos pidió dinero",
            [("ramirez",)],
        ),
        (
            "Efrén Castillo, quien dice ser de Conavi, cobra 400",
            [("efren", "castillo")],
        ),
        ("en navojoa un tal efren castillo nos quito 400", [("efren", "castillo")]),
        ("SE LLAMA CHUY ORTEGA Y PIDE 4000", [("jesus", "ortega")]),
        ("aqui en la colonia Benito Juarez nos piden 500", []),
        ("el señor que vende tortillas nos dijo", []),
    ],
)
def test_names_of_the_accused(text: str, names: list[tuple[str, ...]]) -> None:
    assert names_in(text) == names


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("cobra 3 mil en la comunidad de San Isidro", ["san isidro"]),
        ("aqui en tlapa todos lo conocen", ["tlapa"]),
        ("esto paso en Tlapa de Comonfort, Guerrero", ["tlapa", "comonfort"]),
        ("En Tapachula, el delegado pide 5 mil", ["tapachula"]),
        ("el gestor pide 5 mil en la lista", []),
    ],
)
def test_places_of_an_incident(text: str, places: list[str]) -> None:
    assert places_in(text, extract_entities(text)) == places


def test_builders_pages_and_web_addresses_are_named() -> None:
    assert organisations_in("la constructora Cimientos del Sur no vino") == [
        "cimientos sur"
    ]
    assert organisations_in("un grupo de WhatsApp 'Vivienda Gratis Puebla'") == [
        "vivienda gratis"
    ]
    assert organisations_in("la constructora pone lonas del partido") == []
    assert websites_in("entra a www.Apoyo-Vivienda.mx o conavi-registro.com.") == [
        "apoyo-vivienda.mx",
        "conavi-registro.com",
    ]


def test_phones_written_many_ways_are_one_phone() -> None:
    texts = [
        "al 961 204 7788",
        "del 9612047788",
        "el +52 961 204 77 88",
        "(961) 204-7788",
    ]

    assert {details_of(f"me llamaron {t}").phones for t in texts} == {
        frozenset({"9612047788"})
    }


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (  # the same phone
            "me llamaron del 55 3487 2291 diciendo q sali sorteada y q deposite 3500",
            "OJO con el 55-3487-2291, le piden a mi mama 3 mil 500 por una casa",
        ),
        (  # the same account
            "el señor pide depositar 1200 a la cuenta 012760004412883109",
            "Nos dieron la CLABE 0127 6000 4412 8831 09 para pagar el censo",
        ),
        (  # the same name, told differently
            "un tal Rogelio Mendoza anda cobrando 2 mil pesos x apuntar en la lista",
            "en ocosingo el rogelio mendoza nos pidio dos mil a cada familia",
        ),
        (  # the same sum in the same town
            "en la comunidad de San Isidro el promotor cobra 700 por la ficha",
            "Aquí en San Isidro nos pidieron $700 para el registro, es legal?",
        ),
        (  # the same page
            "la pagina de facebook Vivienda Bienestar Apoyos pide 299 pesos",
            "Denuncio la página 'Vivienda Bienestar Apoyos', cobran $299",
        ),
    ],
)
def test_reports_naming_the_same_accused_are_one_incident(
    first: str, second: str
) -> None:
    assert together(first, second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (  # the same sum in another town
            "en la comunidad de San Isidro el promotor cobra 700 por la ficha",
            "en la comunidad de La Soledad el promotor cobra 700 por la ficha",
        ),
        (  # another gestor in the same town
            "en Juchitan el señor Abel Toledo cobra 1,500 para meter los papeles",
            "en Juchitan el señor Hector Ruiz cobra 1,500 para meter los papeles",
        ),
        (  # the same scam text with another phone
            "me llamaron del 55 3487 2291 diciendo q sali sorteada y q deposite 3500",
            "me llamaron del 55 2190 7734 diciendo q sali sorteada y q deposite 3500",
        ),
        (  # a generic opener is no incident
            "vengo a denunciar a un gestor",
            "vengo a denunciar a un gestor",
        ),
    ],
)
def test_look_alike_reports_of_different_accused_stay_apart(
    first: str, second: str
) -> None:
    assert not together(first, second)


def test_a_chain_forwarded_by_many_is_one_group_but_its_sibling_is_not() -> None:
    chain = "Si te llaman del 81 2290 3345 diciendo que ganaste una casa es FRAUDE"
    sibling = chain.replace("2290 3345", "6614 0027")

    assert together(chain, "Pasenlo 👇 " + chain, chain + " 🙏", forwarded=True)
    assert not together(chain, sibling, forwarded=True)


def test_the_same_question_by_different_people_is_not_an_incident() -> None:
    assert not together(
        "es gratis el registro o hay que pagar algo?",
        "Es gratis el registro? o se tiene que pagar algo",
        "el registro es gratis o hay q pagar algo?",
    )


def test_the_pieces_of_one_report_join_the_incident_of_its_phone() -> None:
    reports = [
        Report("a1", "hola buenas tardes", "ana", at(0)),
        Report("a2", "el gestor nos cobro 2 mil a cada familia", "ana", at(1)),
        Report("a3", "su numero es 961 123 4567", "ana", at(2)),
        Report(
            "b1", "cuidado con el 9611234567, pide dinero para la lista", "beto", at(60)
        ),
    ]

    groups = group_reports(reports).groups

    assert groups[1] == groups[2] == groups[3]
    assert groups[0] != groups[1]  # a greeting says nothing


def test_a_phone_months_apart_is_a_new_incident_and_a_repeat_actor() -> None:
    early = "el coyote del 868 145 3320 pide 6 mil para sacar el subsidio rapido"
    late = "otra vez el 8681453320 anda pidiendo 5 mil para la lista"
    named = "la licenciada Araceli Bautista pide el 10 porciento del apoyo, en Guerrero"
    elsewhere = "Araceli Bautista nos pidio moche del 10% aqui en Oaxaca"
    reports = [
        Report("1", early, "ana", START),
        Report("2", late, "beto", START + timedelta(days=200)),
        Report("3", named, "cris", START),
        Report("4", elsewhere, "dora", START + timedelta(days=1)),
    ]

    grouping = group_reports(reports)

    assert len(set(grouping.groups)) == 4
    assert grouping.repeat_actors == {
        "nombre:araceli bautista": [grouping.groups[2], grouping.groups[3]],
        "tel:8681453320": [grouping.groups[0], grouping.groups[1]],
    }


def test_a_weak_key_stops_linking_when_too_common(monkeypatch) -> None:
    monkeypatch.setattr(incidents, "WEAK_KEY_LIMIT", 2)
    texts = [
        "en la comunidad de San Isidro el promotor cobra 700 por la ficha",
        "Aquí en San Isidro nos pidieron $700 para el registro, es legal?",
        "me cobraron 700 pesos en la comunidad San Isidro por apuntarme",
        "comunidad de San Isidro: piden 700 para entrar a la lista de vivienda",
    ]

    assert together(*texts[:2])
    assert not together(*texts)


def test_dedup_items_keeps_order_and_points_at_the_earliest_copy() -> None:
    story = "el gestor Juan Perez nos cobro 3 mil pesos, su cel es 961 123 4567"
    items = [
        {"id": 1, "text": "hola", "sender": "a", "sent_at": "2026-03-02T10:00:00Z"},
        {"id": 2, "text": story, "sender": "a", "sent_at": "2026-03-02T10:01:00Z"},
        {"id": 3, "text": "me pidio dinero el 9611234567", "sender": "b",
         "sent_at": "2026-03-03T10:00:00Z"},
        {"id": 4, "text": "requisitos para registrarme", "sender": "c"},
        {"id": 5, "text": "requisitos para registrarme", "sender": "d"},
        {"id": 6, "text": "el gestor juan perez cobra 3000", "sender": "e",
         "sent_at": "2026-03-01T09:00:00+00:00"},
    ]  # fmt: skip

    results = dedup_items(items)

    assert [r["id"] for r in results] == [1, 2, 3, 4, 5, 6]
    assert [r["group"] for r in results] == [
        "G000001", "G000002", "G000002", "G000003", "G000004", "G000002"
    ]  # fmt: skip
    assert [r["duplicate_of"] for r in results] == [None, 6, 6, None, None, None]


def test_dedup_items_takes_labels_and_marks_when_given() -> None:
    text = "me dijeron que el programa ya cerro el registro este año"
    labelled = [
        {"id": "x", "text": text, "sender": "a", "fraud": ["suplantacion"]},
        {"id": "y", "text": text + "!!", "sender": "b", "fraud": ["suplantacion"]},
    ]
    forwarded = [
        {"id": "x", "text": text, "sender": "a", "forwarded": True},
        {"id": "y", "text": text + "!!", "sender": "b", "forwarded": True},
    ]
    plain = [{"id": "x", "text": text, "sender": "a"}, {"id": "y", "text": text}]

    assert dedup_items(labelled)[1]["duplicate_of"] is None  # nothing identifying
    assert dedup_items(forwarded)[1]["duplicate_of"] == "x"
    assert dedup_items(plain)[1]["duplicate_of"] is None
