"""Near-duplicate texts: re-sends, chains, the merging rule, persistence, pairs."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from tasks.dedup import (
    KeyRuns,
    MinHasher,
    NearDuplicateIndex,
    TextItem,
    chain_cues,
    content_text,
    fraud_cues,
)
from tasks.incidents import Report, group_reports

PAIRS = Path(__file__).resolve().parents[2] / "classifiers/data/dedup/pairs.jsonl"

STORY = (
    "el gestor de mi colonia nos cobro 1500 pesos a cada uno para meternos al "
    "programa y ya no contesta el telefono"
)
CHAIN = (
    "⚠️ AVISO ⚠️ La CONAVI abre registro para casas gratis, solo manda tu nombre "
    "completo, CURP y foto de tu INE al WhatsApp 722 418 9930. Cupo limitado!!"
)
QUESTION = "cuales son los requisitos para registrarme al programa de vivienda?"


def matches(items: list[TextItem]) -> list[list[str]]:
    return NearDuplicateIndex().query_and_add(items)


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("Buenas tardes!! el gestor me cobro 3 mil 🙏", "el gestor me cobro 3 1000"),
        ("hola que tal, me pueden ayudar? gracias", "me pueden ayudar"),
        ("HOLA BUENOS DÍAS", ""),
        ("q tal oiga, ya me registre", "ya me registre"),
    ],
)
def test_content_is_the_normal_form_without_courtesy(text: str, content: str) -> None:
    assert content_text(text) == content


def test_one_sender_resending_with_edits_is_a_copy() -> None:
    items = [
        TextItem("1", STORY, "ana"),
        TextItem("2", f"como ya les habia dicho, {STORY} y nadie hace nada", "ana"),
        TextItem("3", STORY.upper() + " 😡😡", "ana"),
    ]

    assert matches(items) == [[], ["1"], ["1", "2"]]


def test_one_sender_resending_the_first_half_is_a_copy() -> None:
    first_half = STORY[: STORY.index(" y ya no")]

    assert matches([TextItem("1", STORY, "ana"), TextItem("2", first_half, "ana")]) == [
        [],
        ["1"],
    ]


def test_a_chain_forwarded_by_several_people_is_one_text() -> None:
    items = [
        TextItem("1", CHAIN, "ana", forwarded=True),
        TextItem("2", "Pasenlo 👇 " + CHAIN, "beto", forwarded=True),
        TextItem(
            "3", CHAIN.replace("CONAVI", "Conavi") + " 🙏", "carla", forwarded=True
        ),
        TextItem("4", CHAIN[: CHAIN.rindex(". ")], "dora", forwarded=True),
    ]

    assert matches(items) == [[], ["1"], ["1", "2"], ["1", "2", "3"]]


def test_the_same_question_from_different_people_is_not_merged() -> None:
    items = [
        TextItem("1", QUESTION, "ana"),
        TextItem("2", QUESTION, "beto"),
        TextItem("3", "Cuáles son los requisitos para registrarme al programa", "cris"),
    ]

    assert matches(items) == [[], [], []]


def test_fraud_reports_of_different_people_may_be_compared() -> None:
    items = [TextItem("1", STORY, "ana", fraud=True), TextItem("2", STORY, "beto")]
    mergeable = [
        TextItem("1", STORY, "ana", fraud=True),
        TextItem("2", STORY, "b", fraud=True),
    ]

    assert matches(items) == [[], []]
    assert matches(mergeable) == [[], ["1"]]


def test_short_texts_are_copies_only_when_exact() -> None:
    items = [
        TextItem("1", "ya me registre", "ana"),
        TextItem("2", "ya me registre!!", "ana"),
        TextItem("3", "ya me registré ayer", "ana"),
        TextItem("4", "ya me registre", "beto"),
    ]

    assert matches(items) == [[], ["1"], [], []]


def test_texts_without_a_sender_are_never_one_senders_copies() -> None:
    assert matches([TextItem("1", STORY), TextItem("2", STORY)]) == [[], []]


def test_a_saved_index_compares_only_new_items_with_the_stored_ones(
    tmp_path: Path,
) -> None:
    index = NearDuplicateIndex()
    index.query_and_add(
        [
            TextItem("old-1", CHAIN, "ana", forwarded=True),
            TextItem("old-2", STORY, "beto"),
            TextItem("old-3", QUESTION, "cris"),
        ]
    )
    index.save(tmp_path / "dedup.npz")

    loaded = NearDuplicateIndex.load(tmp_path / "dedup.npz")
    found = loaded.query_and_add(
        [
            TextItem("new-1", "Reenviado: " + CHAIN, "dora", forwarded=True),
            TextItem("new-2", STORY + " ya paso una semana", "beto"),
            TextItem("new-3", QUESTION, "elsa"),
            TextItem("new-4", "Info 👇 " + CHAIN + " 🙏", "fer", forwarded=True),
        ]
    )

    assert found == [["old-1"], ["old-2"], [], ["old-1", "new-1"]]
    assert len(loaded) == 7
    assert loaded.ids[:3] == ["old-1", "old-2", "old-3"]
    assert np.array_equal(loaded.signatures[:3], index.signatures[:3])


def test_minhash_similarity_estimates_the_jaccard_of_shingles() -> None:
    hasher = MinHasher(num_perm=128)
    base = "el gestor juan perez nos cobro 3 mil pesos por meternos a la lista"
    edited = base.replace("juan perez", "pedro lopez") + " y nadie hace nada"

    def shingles(text: str) -> set[bytes]:
        data = text.encode()
        return {data[i : i + 5] for i in range(len(data) - 4)}

    truth = len(shingles(base) & shingles(edited)) / len(
        shingles(base) | shingles(edited)
    )
    first, second = hasher.signatures([base, edited])

    assert abs(np.mean(first == second) - truth) < 0.12


def test_sorted_runs_find_the_latest_items_of_a_key() -> None:
    runs = KeyRuns()
    for start in range(0, 40, 10):  # four batches, merged as they grow
        keys = np.array([7, 3] * 5, dtype=np.uint64)
        runs.add(keys, np.arange(start, start + 10))

    query, items = runs.lookup(np.array([7, 5], dtype=np.uint64), limit=2)

    assert set(query) == {0}
    assert {38, 36} <= set(items.tolist())
    assert len(runs) == 40
    assert len(runs.runs) < 4


@pytest.mark.parametrize(
    "text",
    [
        "el gestor nos cobro 3 mil por meternos a la lista",
        "me llamaron diciendo que sali sorteada, es verdad?",
        "la licenciada pide $500 para que salga mi folio",
        "x $500 te suben en la lista",
        "si no le pagan 8 mil no les da las tarjetas",
        "nos hicieron firmar que la obra estaba terminada",
        "el ingeniero se llevo el cemento y la varilla",
        "el arquitecto cobro la asistencia tecnica y nunca vino",
        "dice que si no votamos por su candidato nos quitan el apoyo",
    ],
)
def test_fraud_cues_find_reports_and_scams(text: str) -> None:
    assert fraud_cues(content_text(text))


@pytest.mark.parametrize(
    "text",
    [
        QUESTION,
        "es gratis el registro o hay que pagar algo?",
        "no me han cobrado nada, verdad que no se paga?",
        "cuando depositan el apoyo de 35 mil?",
        "mi folio es ATE-2024-133339 y no me llega el pago",
        "se puede sacar el dinero en efectivo o solo se paga con la tarjeta?",
        "cuando cobro mi apoyo de 45 mil?",
    ],
)
def test_fraud_cues_leave_questions_alone(text: str) -> None:
    assert not fraud_cues(content_text(text))


@pytest.mark.parametrize(
    ("text", "chain"),
    [(CHAIN, True), ("Compartan!! ya salio la lista", True), (QUESTION, False)],
)
def test_chain_cues(text: str, chain: bool) -> None:
    assert chain_cues(content_text(text)) is chain


# The labelled pairs.


def load_pairs() -> list[dict]:
    return [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines()]


def merged(pair: dict) -> bool:
    """Whether grouping puts a pair's two texts together.

    What the pipeline knows besides the texts comes from the pair's
    situation: a ``resend`` pair has one sender, the others two; ``chain``
    texts arrive with WhatsApp's forwarded mark. Fraud is read from the text.
    """
    second_sender = "one" if pair["kind"] == "resend" else "two"
    forwarded = pair["kind"] == "chain"
    reports = [
        Report("a", pair["a"], "one", forwarded=forwarded),
        Report("b", pair["b"], second_sender, forwarded=forwarded),
    ]
    groups = group_reports(reports).groups
    return groups[0] == groups[1]


def scores(pairs: list[dict]) -> dict[str, float]:
    outcome = Counter((pair["same"], merged(pair)) for pair in pairs)
    true_positives = outcome[(True, True)]
    return {
        "precision": true_positives / max(1, true_positives + outcome[(False, True)]),
        "recall": true_positives / max(1, true_positives + outcome[(True, False)]),
    }


def test_the_pairs_file_is_well_formed() -> None:
    pairs = load_pairs()
    kinds = Counter(pair["kind"] for pair in pairs)
    splits = Counter(pair["split"] for pair in pairs)

    assert len(pairs) >= 600
    assert len({pair["id"] for pair in pairs}) == len(pairs)
    assert set(kinds) == {"resend", "chain", "incident", "different", "same_question"}
    assert all(set(p) == {"id", "a", "b", "same", "kind", "split"} for p in pairs)
    assert 0.25 <= splits["test"] / len(pairs) <= 0.35
    assert not any(pair["same"] for pair in pairs if pair["kind"] == "same_question")


def test_held_out_pairs_are_merged_with_precision_and_recall() -> None:
    held_out = [pair for pair in load_pairs() if pair["split"] == "test"]

    result = scores(held_out)

    assert result["precision"] >= 0.95
    assert result["recall"] >= 0.85
