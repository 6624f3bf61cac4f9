"""Cues in a report that raise an investigator's priority: threats and victims.

Neither is a fraud signal on its own. A threat ("si no pagas te quitamos el
apoyo", "nos amenazó con sacarnos de la lista") puts a citizen's safety or
benefit at stake, so the case cannot wait in the queue. The number of victims
is how the writer tells the breadth of the harm: "somos 20 familias",
"a mas de 30 vecinos les cobro". Both read the folded text (lowercase, no
accents) so that they work on WhatsApp spelling.
"""

from __future__ import annotations

import re

from classifiers.extract import fold

_THREAT = re.compile(
    r"\bamenaz\w*|\bintimid\w*|\brepresalia\w*|\bextorsion\w*"
    # "si no pagamos nos quitan la casa", "si no vamos al mitin nos borran"
    r"|\bsi\s+no\s+(?:le\s+|les\s+)?\w+\s+(?:\w+\s+){0,6}?"
    r"(?:nos|me|te|les|le)\s+(?:van\s+a\s+|iba\s+a\s+|va\s+a\s+)?"
    r"(?:quit\w*|sac\w*|borr\w*|dan\s+de\s+baja|daban\s+de\s+baja|corr\w*|"
    r"pas\w+\s+algo|hac\w+\s+algo|perjudic\w*)"
    r"|\bnos\s+(?:golpe\w*|agredi\w*|pegaron)|\band(?:a|an)\s+armad[oa]s?\b"
    r"|\b(?:tengo|tenemos)\s+miedo\b|\bmiedo\s+(?:a|de)\s+denunciar"
    r"|\bnos\s+(?:dijo|dijeron|advirti\w*)\s+que\s+si\s+(?:denunci\w*|deciamos|"
    r"hablamos|reportamos|nos\s+quejamos)"
)

_SMALL_NUMBERS = {
    "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "quince": 15,
    "veinte": 20, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "cien": 100,
}  # fmt: skip
_PEOPLE = (
    r"familias|personas|vecin[oa]s|beneficiari[oa]s|companer[oa]s|senoras|gentes?|"
    r"afectad[oa]s|casas|viviendas|hogares"
)
_VICTIMS = re.compile(
    r"\b(?:somos|son|fuimos|fueron|a|unas?|unos|mas\s+de|como|hay|otras?|otros|"
    r"cerca\s+de|alrededor\s+de)\s+"
    rf"(\d{{1,4}}|{'|'.join(_SMALL_NUMBERS)})\s+(?:{_PEOPLE})\b"
)
MAX_VICTIMS = 5_000  # beyond this a number is a misreading, not a count of people


def has_threats(text: str) -> bool:
    """Whether the writer reports threats or intimidation."""
    return _THREAT.search(fold(text)) is not None


def victims_in(text: str) -> int | None:
    """The largest number of affected people the writer states, if any."""
    counts = []
    for match in _VICTIMS.finditer(fold(text)):
        word = match.group(1)
        count = int(word) if word.isdigit() else _SMALL_NUMBERS[word]
        if 2 <= count <= MAX_VICTIMS:
            counts.append(count)
    return max(counts, default=None)
