"""A folio's verification code, and reading "folio … código …" out of a message.

A citizen proves a folio is theirs with a short code that came with it in
the acknowledgment ("folio ATE-2026-000123, código 4821"). The code is not
stored: it is derived from the folio by HMAC-SHA256 with a secret key
(``VIGIA_LOOKUP_CODE_KEY``), so every process that has the key computes the
same code and nothing new is kept per case. Rotating the key changes every
code at once, which is also how a leaked key is cured.

Four digits are guessable one time in 10,000; the lookup counts failures per
sender, client address and folio (``vigia.throttle``), so guessing is slow.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from classifiers.extract import fold

_FOLIO = re.compile(r"\b(ate|den|por)[\s\-_./]*(\d{4})[\s\-_./]*(\d{1,6})\b")
_CODE = re.compile(r"\b(?:codigo|cod|clave)\b[\s:.#=\-]*(\d{4,8})\b")
_WORDS = re.compile(r"[a-zñ]+")

# Words a citizen may wrap a lookup in. Anything else ("me cobraron", "nadie
# contesta") makes the message a conversation for a person, not a lookup.
_COURTESY_WORDS = (
    "hola", "buenas", "buenos", "buen", "tardes", "dias", "dia", "noches",
    "saludos", "que", "tal", "gracias", "muchas", "mil", "ok", "oki", "va", "porfa",
    "porfavor", "por", "favor", "xfa", "pf", "plis", "please", "quiero", "quisiera",
    "queria", "puedo", "puede", "pueden", "podrian", "me", "le", "nos", "consultar",
    "consulta", "consulto", "saber", "ver", "revisar", "checar", "informar",
    "informen", "decir", "digan", "como", "van", "esta", "estan", "el", "la", "los",
    "las", "lo", "mi", "mis", "su", "sus", "tu", "de", "del", "al", "a", "en",
    "con", "y", "e", "o", "q", "k", "es", "un", "una", "numero", "num", "no",
    "caso", "denuncia", "queja", "solicitud", "tramite", "registro", "estatus",
    "estado", "status", "seguimiento", "avance", "info", "informacion", "folio",
    "codigo", "cod", "clave", "mensaje", "este",
)  # fmt: skip
COURTESY = frozenset(_COURTESY_WORDS)


@dataclass(frozen=True, slots=True)
class LookupRequest:
    """A folio and the code offered with it, as a citizen typed them."""

    folio: str
    code: str


def verification_code(key: bytes, folio: str, digits: int = 4) -> str:
    """The code of ``folio``: ``digits`` decimal digits of its keyed HMAC."""
    digest = hmac.new(key, canonical_folio(folio).encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10**digits:0{digits}d}"


def code_matches(key: bytes, folio: str, offered: str, digits: int = 4) -> bool:
    """Whether ``offered`` is the folio's code, compared in constant time."""
    expected = verification_code(key, folio, digits)
    return hmac.compare_digest(expected.encode(), offered.strip().encode())


def canonical_folio(text: str) -> str:
    """A folio as it is stored ("ATE-2026-000123"); other text uppercased as is."""
    found = _FOLIO.search(fold(text.strip()))
    if not found:
        return text.strip().upper()[:32]
    prefix, year, number = found.groups()
    return f"{prefix.upper()}-{year}-{int(number):06d}"


def read_lookup(text: str | None) -> LookupRequest | None:
    """The folio and code of a message that asks for nothing else, or None.

    Tolerates case, accents, spaces and punctuation ("Folio: ate 2026 123,
    codigo 4821"). A message that also says something else is left to a person.
    """
    if not text or len(text) > 300:
        return None
    folded = fold(text)
    folio, code = _FOLIO.search(folded), _CODE.search(folded)
    if folio is None or code is None:
        return None
    rest = folded
    for start, end in sorted((folio.span(), code.span()), reverse=True):
        rest = f"{rest[:start]} {rest[end:]}"
    if not set(_WORDS.findall(rest)) <= COURTESY or any(ch.isdigit() for ch in rest):
        return None
    return LookupRequest(canonical_folio(folio.group()), code.group(1))
