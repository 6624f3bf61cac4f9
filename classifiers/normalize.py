"""Normalise Mexican WhatsApp Spanish so that spellings of one word meet.

Citizens write "q", "xq", "k", "porfa", "holaaaa", "tramite" and "trámite",
"💰" for money. The classifier and the evidence patterns work on one
normal form per word: lowercase, no accents (ñ kept: "año" is not "ano"),
letters repeated for emphasis collapsed, abbreviations spelled out, the
emojis that carry meaning turned into words, number words into digits.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# fmt: off
ABBREVIATIONS = {
    "q": "que", "k": "que", "ke": "que", "qe": "que", "qu": "que",
    "xq": "porque", "pq": "porque", "porq": "porque", "xk": "porque", "pk": "porque",
    "x": "por", "xa": "para", "pa": "para", "pal": "para el",
    "tmb": "tambien", "tb": "tambien", "tbn": "tambien", "tambn": "tambien",
    "porfa": "porfavor", "xfa": "porfavor", "xfavor": "porfavor", "plis": "porfavor",
    "pls": "porfavor", "porfis": "porfavor",
    "info": "informacion", "infor": "informacion",
    "d": "de", "dl": "del", "ps": "pues", "pos": "pues", "pz": "pues",
    "tons": "entonces", "entons": "entonces",
    "bn": "bien", "dnd": "donde", "msj": "mensaje", "msjs": "mensajes",
    "vdd": "verdad", "nd": "nada", "aki": "aqui", "ahi": "ahi", "nomas": "nada mas",
    "tel": "telefono", "cel": "celular", "num": "numero",
    "cta": "cuenta", "dep": "deposito", "hrs": "horas", "hr": "hora",
    "lic": "licenciado", "licen": "licenciado", "inge": "ingeniero", "ing": "ingeniero",
    "sr": "senor", "sra": "senora", "srita": "senorita", "seño": "senora",
    "edo": "estado", "gob": "gobierno", "mpio": "municipio",
    "varos": "pesos", "baros": "pesos", "bolas": "pesos",
    "grax": "gracias", "grs": "gracias", "gcs": "gracias",
    "tmbn": "tambien", "cmo": "como", "cm": "como",
    "sta": "esta", "stoy": "estoy", "stamos": "estamos", "ta": "esta",
    "toy": "estoy", "tamos": "estamos", "weno": "bueno", "wenas": "buenas",
    "ola": "hola", "hla": "hola", "ntonces": "entonces",
}

EMOJI_WORDS = {
    "🙏": " porfavor ", "😡": " enojo ", "🤬": " enojo ", "😠": " enojo ",
    "😢": " triste ", "😭": " triste ", "😔": " triste ", "💰": " dinero ",
    "💵": " dinero ", "💸": " dinero ", "🤑": " dinero ", "👍": " ok ",
    "👌": " ok ", "✅": " ok ", "🏠": " casa ", "🏡": " casa ", "🏚": " casa ",
    "🗳": " votar ", "📞": " telefono ", "☎": " telefono ", "📱": " celular ",
    "⚠": " alerta ", "🚨": " alerta ", "❓": " ? ", "❔": " ? ",
}

NUMBER_WORDS = {
    "un": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
    "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11,
    "doce": 12, "trece": 13, "catorce": 14, "quince": 15, "dieciseis": 16,
    "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20,
    "veinticinco": 25, "treinta": 30, "cuarenta": 40,
    "cincuenta": 50, "cien": 100, "ciento": 100, "doscientos": 200,
    "trescientos": 300, "cuatrocientos": 400, "quinientos": 500,
    "seiscientos": 600, "setecientos": 700, "ochocientos": 800,
    "novecientos": 900,
}
# fmt: on

_ACCENTS = str.maketrans("áéíóúüàèìòùâêîôûäëïö", "aeiouuaeiouaeiouaeio")
_REPEATS = re.compile(r"([a-zñ])\1{2,}")
_LAUGHS = re.compile(r"\b(?:ja|je|ji|ha|xd){2,}\w*\b")
_WORD = re.compile(r"\w+|[^\w\s]")
_SPACES = re.compile(r"\s+")
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d]", re.UNICODE
)


def strip_accents(text: str) -> str:
    """Remove accents from vowels but keep ñ, which changes a word's meaning."""
    return text.translate(_ACCENTS)


def _emojis_to_words(text: str) -> str:
    for emoji, word in EMOJI_WORDS.items():
        if emoji in text:
            text = text.replace(emoji, word)
    return _EMOJI.sub(" ", text)


@lru_cache(maxsize=200_000)
def normalize_word(word: str) -> str:
    """The normal form of one lowercase token (cached: vocabularies are small)."""
    word = strip_accents(word)
    word = _REPEATS.sub(r"\1", word)
    return ABBREVIATIONS.get(word, word)


def numbers_to_digits(words: list[str]) -> list[str]:
    """Spell out runs of number words as digits: "tres mil quinientos" -> "3500".

    "un" counts only before "mil" ("un señor" stays as it is); "y" joins
    numbers only between two of them ("treinta y cinco").
    """
    out: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if word in _RUN_STARTS:  # most words start no run: skip the scan
            end, value = _number_run(words, index)
            if end > index:
                out.append(str(value))
                index = end
                continue
        out.append(word)
        index += 1
    return out


_RUN_STARTS = frozenset(NUMBER_WORDS) | {"mil"}


def _number_run(words: list[str], start: int) -> tuple[int, int]:
    """Where a run of number words starting at ``start`` ends, and its value."""
    total = current = 0
    index = end = start
    while index < len(words):
        word = words[index]
        following = words[index + 1] if index + 1 < len(words) else ""
        if word == "mil":
            total += max(current, 1) * 1000
            current = 0
        elif word in NUMBER_WORDS and (word != "un" or following == "mil"):
            current += NUMBER_WORDS[word]
        elif not (word == "y" and index > start and following in NUMBER_WORDS):
            break
        index += 1
        if word != "y":
            end = index
    return end, total + current


def normalize(text: str) -> str:
    """One normal form of a message: the text the models and patterns read."""
    text = unicodedata.normalize("NFC", text).lower()
    text = _emojis_to_words(text)
    text = _LAUGHS.sub(" jaja ", text)
    words = [normalize_word(word) for word in _WORD.findall(text)]
    words = numbers_to_digits(" ".join(words).split())
    return _SPACES.sub(" ", " ".join(words)).strip()
