"""Fill the ``{slot}`` fields of a bank text for one conversation.

Slot values are drawn the first time a text asks for them and then kept, so
a complainant writes the same amount twice in one story; each new
conversation draws its own formatting ("3,500" or "3 mil 500", "961 234
5678" or "9612345678"), which is how several neighbours describe the same
gestor in their own words.
"""

from __future__ import annotations

import random

from vigia.demo.draw import pick
from vigia.demo.people import (
    MONTHS,
    SUBSIDY_AMOUNTS,
    Fraudster,
    Sender,
    format_amount,
    format_folio,
    format_phone,
)


class Slots(dict):
    """Slot values of one conversation, drawn on first use and then kept."""

    def __init__(
        self,
        rng: random.Random,
        sender: Sender | None,
        fraudster: Fraudster | None = None,
    ) -> None:
        super().__init__()
        self.rng = rng
        self.sender = sender
        self.fraudster = fraudster

    def __missing__(self, key: str) -> str:
        value = self._draw(key)
        self[key] = value
        return value

    def _draw(self, key: str) -> str:
        """Draw the value of one slot, in this writer's own formatting."""
        rng = self.rng
        if key == "mes":
            return pick(rng, MONTHS)
        if key == "apoyo":
            return format_amount(rng, pick(rng, SUBSIDY_AMOUNTS))
        if key == "folio" and self.sender is not None:
            return format_folio(rng, self.sender.folio)
        if self.fraudster is not None:
            return self._about(key, self.fraudster)
        if self.sender is not None and key in ("municipio", "estado"):
            sender = self.sender
            return sender.municipality if key == "municipio" else sender.state.name
        raise KeyError(key)

    def _about(self, key: str, who: Fraudster) -> str:
        """A detail of the person reported, as this writer puts it."""
        rng = self.rng
        if key == "monto":
            return format_amount(rng, who.amount)
        if key == "tel":
            return format_phone(rng, who.phone)
        if key == "nombre":
            return _short_name(rng, who.name)
        if key == "municipio":
            return who.municipality
        if key == "estado":
            return who.state.name
        if key == "cuenta":
            return who.account
        if key == "pagina":
            return who.page
        raise KeyError(key)


def _short_name(rng: random.Random, name: str) -> str:
    """How a victim names the person: in full, given and surname, or given only."""
    words = name.split()
    roll = rng.random()
    if roll < 0.3:
        return name
    if roll < 0.8:
        return " ".join(words[:-1])
    return words[0]
