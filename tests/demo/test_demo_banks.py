"""The hand-written phrase banks: large, varied, and every slot fillable."""

from __future__ import annotations

import random
import re
import string

import pytest

from vigia.demo.banks import chatter, lines, phrases
from vigia.demo.banks.chains import CHAINS
from vigia.demo.banks.places import STATES
from vigia.demo.compose import FRAUD_BANKS, TOPIC_BANKS
from vigia.demo.people import make_fraudster, make_sender
from vigia.demo.slots import Slots

SLOTS = {"monto", "nombre", "tel", "municipio", "estado", "cuenta", "pagina", "folio",
         "mes", "apoyo"}  # fmt: skip
FRAUD = set(FRAUD_BANKS)


def slots_of(text: str) -> set[str]:
    """The ``{slot}`` names a text asks for."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("topic", sorted(TOPIC_BANKS))
def test_each_topic_has_at_least_forty_distinct_texts(topic) -> None:
    texts = {phrase.male for phrase in TOPIC_BANKS[topic]}

    assert len(texts) >= 40


@pytest.mark.parametrize("label", sorted(FRAUD_BANKS))
def test_each_fraud_label_has_at_least_forty_distinct_texts(label) -> None:
    texts = {phrase.male for bank in FRAUD_BANKS[label].values() for phrase in bank}

    assert len(texts) >= 40
    assert set(FRAUD_BANKS[label]) <= set(TOPIC_BANKS)


def test_every_slot_is_known_and_every_gender_choice_resolved() -> None:
    banks = [
        *TOPIC_BANKS.values(),
        chatter.CONTEXT,
        chatter.IDENTIFYING,
        chatter.IMPACT,
    ]
    banks += [bank for label in FRAUD_BANKS.values() for bank in label.values()]

    for bank in banks:
        for phrase in bank:
            for text in (phrase.male, phrase.female):
                assert slots_of(text) <= SLOTS, text
                assert "|" not in text and "[+" not in text
            assert set(phrase.extra) <= FRAUD


def test_every_text_fills_from_its_own_kind_of_conversation() -> None:
    rng = random.Random(1)
    sender = make_sender(rng, 1, 0, 2026)
    who = make_fraudster(rng, sender.state, sender.municipality)
    questions = [*TOPIC_BANKS.values(), chatter.CONTEXT]
    reports = [b for label in FRAUD_BANKS.values() for b in label.values()]
    reports += [chatter.IDENTIFYING, chatter.IMPACT]

    for bank in questions:
        for phrase in bank:
            assert "{" not in phrase.female.format_map(Slots(rng, sender))
    for bank in reports:
        for phrase in bank:
            assert "{" not in phrase.male.format_map(Slots(rng, sender, who))
    for _, _, text in CHAINS:
        assert "{" not in text.format_map(Slots(rng, None, who))


def test_notation_gives_agreeing_variants_and_extra_labels() -> None:
    (phrase,) = phrases("[+soborno] {el señor|la señora} pidio {monto}")

    assert phrase.male == "el señor pidio {monto}"
    assert phrase.female == "la señora pidio {monto}"
    assert phrase.extra == ("soborno",)
    assert lines("uno\n  sigue\ndos") == ("uno sigue", "dos")


def test_chains_carry_valid_labels_and_known_slots() -> None:
    for labels, topic, text in CHAINS:
        assert set(labels) <= FRAUD and topic in TOPIC_BANKS
        assert slots_of(text) <= SLOTS


def test_the_thirty_two_states_have_real_looking_area_codes() -> None:
    assert len({state.name for state in STATES}) == 32
    for state in STATES:
        assert state.municipalities and state.weight > 0
        assert all(re.fullmatch(r"\d{2,3}", code) for code in state.area_codes)
