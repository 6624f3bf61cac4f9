"""Hand-written phrase banks for the demo traffic, kept as plain data.

Each bank is a block of text with one citizen message per line; a line that
starts with two spaces continues the line above, so long messages stay
within 88 columns. Two small notations are resolved when a bank is loaded:

- ``{el|la}`` picks the masculine or feminine form, so one line serves a
  male or a female gestor (or writer) without breaking agreement.
- a leading ``[+soborno]`` adds fraud labels beyond the bank's own, for
  messages that carry two signals at once.

The remaining ``{slot}`` fields (``{monto}``, ``{tel}``, ``{municipio}`` ...)
are filled per conversation by :mod:`vigia.demo.compose`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_GENDERED = re.compile(r"\{([^{}|]*)\|([^{}|]*)\}")
_EXTRA_LABELS = re.compile(r"^\[\+([a-z_,+ ]+)\]\s*")


@dataclass(frozen=True, slots=True)
class Phrase:
    """One base message, resolved for a masculine and a feminine referent."""

    male: str
    female: str
    formal: bool
    extra: tuple[str, ...] = ()

    def text(self, female: bool) -> str:
        """Return the variant that agrees with the referent's gender."""
        return self.female if female else self.male


def lines(block: str) -> tuple[str, ...]:
    """Split a bank block into messages, joining indented continuation lines."""
    out: list[str] = []
    for line in block.splitlines():
        if not line.strip():
            continue
        if line.startswith("  ") and out:
            out[-1] = f"{out[-1]} {line.strip()}"
        else:
            out.append(line.strip())
    return tuple(out)


def phrases(block: str) -> tuple[Phrase, ...]:
    """Parse a bank block into phrases with gender variants and extra labels."""
    return tuple(_phrase(line) for line in lines(block))


def _phrase(line: str) -> Phrase:
    """Resolve the notations of one bank line."""
    extra: tuple[str, ...] = ()
    tag = _EXTRA_LABELS.match(line)
    if tag:
        extra = tuple(label.strip(" +") for label in tag.group(1).split(","))
        line = line[tag.end() :]
    male = _GENDERED.sub(lambda m: m.group(1), line)
    female = _GENDERED.sub(lambda m: m.group(2), line)
    # Older and more formal writers open with a capital or an inverted mark.
    formal = line[:1].isupper() or line[:1] in "¿¡"
    return Phrase(male=male, female=female, formal=formal, extra=extra)
