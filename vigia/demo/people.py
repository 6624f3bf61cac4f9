"""Who writes and who is reported: senders, fraudsters and their details.

A sender is a Mexican WhatsApp user: "521" + a ten-digit number with a real
area code of their state, a profile name, sometimes Meta's business-scoped
``user_id`` and, for users who adopted a username, only that ``user_id``.
A fraudster is the gestor, coyote or servidor that several neighbours may
report, each writing the phone number and the amount in their own way.
"""

from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate

from vigia.demo.banks import names
from vigia.demo.banks.places import STATE_WEIGHTS, STATES, State
from vigia.demo.draw import below, between, pick
from vigia.demo.noise import Style, make_style

_STATE_CUM = tuple(accumulate(STATE_WEIGHTS))
_ACCENTS = str.maketrans("áéíóúüÁÉÍÓÚÜñÑ", "aeiouuAEIOUUnN")
_LOCAL_SPACE = 8_000_000  # unique seven-digit tails from 2000000 to 9999999

MONTHS = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
    "septiembre", "octubre", "noviembre", "diciembre",
)  # fmt: skip
FAKE_PAGES = (
    "Conavi Apoyos 2026", "Vivienda Bienestar Oficial", "Apoyos Conavi México",
    "Programa Vivienda para Todos", "CONAVI Registro en Línea",
    "Casas del Bienestar MX", "Subsidios de Vivienda Gob", "Conavi Te Apoya",
)  # fmt: skip
# Subsidy amounts a beneficiary may legitimately mention (hard negatives).
SUBSIDY_AMOUNTS = (35_000, 40_000, 45_000, 60_000, 75_000, 90_000)
# Amounts gestores and scammers ask for.
FRAUD_AMOUNTS = (
    300, 500, 800, 1_000, 1_500, 2_000, 2_500, 3_000, 3_500, 4_000, 5_000, 6_000,
    8_000, 10_000, 15_000, 20_000,
)  # fmt: skip


@dataclass(slots=True)
class Sender:
    """A citizen writing to a line; consistent across all their messages."""

    wa_id: str | None
    user_id: str | None
    name: str
    username: str | None
    female: bool
    state: State
    municipality: str
    style: Style
    folio: str

    @property
    def key(self) -> str:
        """The sender id the truth uses: ``wa_id`` when present, else ``user_id``."""
        return self.wa_id or self.user_id or ""


@dataclass(frozen=True, slots=True)
class Fraudster:
    """The person a complaint is about, with the details victims repeat."""

    name: str
    female: bool
    phone: str  # ten national digits
    amount: int
    state: State
    municipality: str
    account: str
    page: str


def pick_state(rng: random.Random) -> State:
    """Draw a state, weighted by where the programmes have most people."""
    return STATES[bisect(_STATE_CUM, rng.random() * _STATE_CUM[-1])]


def make_sender(
    rng: random.Random, serial: int, key: int, year: int, state: State | None = None
) -> Sender:
    """Create sender number ``serial``; ``key`` shuffles the numbers per run."""
    state = state or pick_state(rng)
    female = rng.random() < 0.58
    given = _given(rng, female)
    surname = pick(rng, names.SURNAMES)
    roll = rng.random()
    wa_id = None if roll < 0.03 else _mobile(rng, state, serial, key)
    user_id = f"MX.{rng.randrange(10**18, 10**19)}" if roll < 0.33 else None
    username = _username(rng, given, surname) if wa_id is None else None
    return Sender(
        wa_id=wa_id,
        user_id=user_id,
        name=_profile_name(rng, female, given, surname),
        username=username,
        female=female,
        state=state,
        municipality=pick(rng, state.municipalities),
        style=make_style(rng),
        folio=f"ATE-{year - below(rng, 3)}-{rng.randrange(1, 200_000):06d}",
    )


def make_fraudster(rng: random.Random, state: State, municipality: str) -> Fraudster:
    """Create a gestor, coyote or servidor operating in ``municipality``."""
    female = rng.random() < 0.4
    given = _given(rng, female)
    surnames = names.SURNAMES
    full = f"{given} {pick(rng, surnames)} {pick(rng, surnames)}"
    return Fraudster(
        name=full,
        female=female,
        phone=mobile_number(rng, state),
        amount=pick(rng, FRAUD_AMOUNTS),
        state=state,
        municipality=municipality,
        account=_account(rng),
        page=pick(rng, FAKE_PAGES),
    )


def format_phone(rng: random.Random, phone: str) -> str:
    """Write a ten-digit number the way one of many people would."""
    cut = 2 if phone[:2] in ("55", "56", "33", "81") else 3
    area, rest = phone[:cut], phone[cut:]
    kind = below(rng, 6)
    if kind == 0:
        return phone
    if kind == 1:
        return f"{area} {rest[:-4]} {rest[-4:]}"
    if kind == 2:
        return f"{area}-{rest[:-4]}-{rest[-4:]}"
    if kind == 3:
        return f"({area}) {rest[:-4]} {rest[-4:]}"
    if kind == 4:
        return f"+52 {area} {rest[:-4]} {rest[-4:]}"
    return f"{area} {rest[:-4]} {rest[-4:-2]} {rest[-2:]}"


def format_amount(rng: random.Random, amount: int) -> str:
    """Write an amount as people do: "3,500", "$3500", "3 mil 500", "3500 pesos"."""
    kind = below(rng, 7)
    thousands, rest = divmod(amount, 1000)
    if kind == 0:
        return f"{amount:,}"
    if kind == 1:
        return f"${amount:,}"
    if kind == 2:
        return f"{amount} pesos"
    if kind == 3 and thousands:
        words = "mil" if thousands == 1 else f"{thousands} mil"
        return words + (f" {rest}" if rest else "")
    if kind == 4:
        return f"${amount:,}.00"
    if kind == 5 and thousands and not rest:
        return f"{thousands} mil pesos"
    return f"${amount}"


def format_folio(rng: random.Random, folio: str) -> str:
    """Write a folio exactly, in lower case, spaced, or only its number."""
    kind = below(rng, 5)
    if kind == 0:
        return folio.lower()
    if kind == 1:
        return folio.replace("-", " ")
    if kind == 2:
        return folio.rsplit("-", 1)[1]
    return folio


def full_name(rng: random.Random, female: bool) -> str:
    """A plain given name and two surnames, as typed in a web form."""
    surnames = names.SURNAMES
    return f"{_given(rng, female)} {pick(rng, surnames)} {pick(rng, surnames)}"


def email_for(rng: random.Random, name: str) -> str:
    """A plausible personal e-mail address derived from a name."""
    parts = name.lower().translate(_ACCENTS).split()
    local = f"{parts[0]}{pick(rng, ('.', '_', ''))}{parts[-1]}"
    if rng.random() < 0.6:
        local += str(rng.randrange(1, 99))
    return f"{local}@{pick(rng, names.EMAIL_DOMAINS)}"


def mobile_number(rng: random.Random, state: State) -> str:
    """A ten-digit mobile number of ``state`` (not guaranteed unique)."""
    area = pick(rng, state.area_codes)
    return area + str(rng.randrange(10 ** (9 - len(area)) * 2, 10 ** (10 - len(area))))


def _mobile(rng: random.Random, state: State, serial: int, key: int) -> str:
    """A unique "521" + ten-digit WhatsApp id with an area code of ``state``.

    The last seven digits are a keyed permutation of the sender's serial, so
    no two senders of a run share a number and the numbers do not look
    sequential.
    """
    area = pick(rng, state.area_codes)
    tail = 2_000_000 + _permute(serial % _LOCAL_SPACE, key)
    lead = str(rng.randrange(2, 10)) if len(area) == 2 else ""
    return f"521{area}{lead}{tail}"


def _permute(value: int, key: int) -> int:
    """A keyed one-to-one shuffle of ``range(8_000_000)``.

    A four-round Feistel network on 24 bits is a permutation of 0..2**24-1;
    re-applying it until the result falls below eight million ("cycle
    walking") restricts it to a permutation of the smaller range.
    """
    while True:
        left, right = value >> 12, value & 0xFFF
        for shift in (0, 12, 24, 36):
            mixed = ((right + (key >> shift)) * 0x9E3779B1) >> 11 & 0xFFF
            left, right = right, left ^ mixed
        value = left << 12 | right
        if value < _LOCAL_SPACE:
            return value


def _profile_name(rng: random.Random, female: bool, given: str, surname: str) -> str:
    """A WhatsApp profile name: full, first only, nickname, caps, a title."""
    roll = rng.random()
    if roll < 0.30:
        return f"{given} {surname}"
    if roll < 0.50:
        return given.split()[0]
    if roll < 0.60:
        return f"{given} {surname} {pick(rng, names.SURNAMES)}"
    if roll < 0.75:
        nick = pick(rng, names.NICKNAMES_FEMALE if female else names.NICKNAMES_MALE)
        return nick + (
            pick(rng, (" 🌸", " ✨", " 💕", " 🙏", " ⚽")) if roll > 0.7 else ""
        )
    if roll < 0.81:
        return f"{given} {surname}".upper()
    if roll < 0.87:
        return f"{given.split()[0].lower()} {surname.lower()}"
    if roll < 0.91:
        title = pick(rng, ("Profra." if female else "Profr.", "Lic.", "Ing."))
        return f"{title} {given.split()[0]} {surname}"
    if roll < 0.94:
        return f"Fam. {surname} {pick(rng, names.SURNAMES)}"
    return f"{given.split()[0]} {surname[0]}."


def _username(rng: random.Random, given: str, surname: str) -> str:
    """A WhatsApp username for users who hide their phone number."""
    first = given.split()[0].lower().translate(_ACCENTS)
    last = surname.lower().translate(_ACCENTS)
    joiner = pick(rng, (".", "_", ""))
    suffix = str(rng.randrange(1, 100)) if rng.random() < 0.5 else ""
    return (
        f"{first}{joiner}{last[: between(rng, min(3, len(last)), len(last))]}{suffix}"
    )


def _given(rng: random.Random, female: bool) -> str:
    """A given name of the right gender."""
    return pick(rng, names.FEMALE if female else names.MALE)


def _account(rng: random.Random) -> str:
    """A card number or an 18-digit CLABE a scammer gives for deposits."""
    if rng.random() < 0.6:
        digits = f"4{rng.randrange(10**14, 10**15)}"
        return " ".join(digits[i : i + 4] for i in range(0, 16, 4))
    bank = pick(rng, ("002", "012", "014", "021", "072", "127"))
    return f"{bank}{rng.randrange(10**14, 10**15)}"
