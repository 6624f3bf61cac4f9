"""Short excerpts of citizens' reports with the complainant's contact details masked.

A complainant's identity in a corruption report is protected by law, so the
excerpt an investigator reads in the fraud list must never show the
complainant's phone, CURP, voter-card key or e-mail. The accused's details
must stay, because they are what the investigator works from: "el gestor me
dio su numero 5512345678" keeps the number.

A phone is the complainant's when it is one of the reporters' own numbers
(known from the channel), however it is written ("55-1234-5678",
"+52 1 55 1234 5678"), or when the writer introduces it as their contact:
"mi numero es ...", "mi cel ...", "marquenme al ...", "me pueden llamar al ...",
"5512345678 es mi whats". Informal imperatives addressed to one person
("marcame al ...") are left alone: in a denuncia they are usually the
fraudster's words being quoted.

Every pattern runs on a folded copy (lowercase, no accents) of the same
length as the text, so offsets found there cut the original text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from classifiers.extract import fold

PHONE_MASK = "[tel. del denunciante]"
EMAIL_MASK = "[correo del denunciante]"
CURP_MASK = "[CURP]"
INE_MASK = "[clave de elector]"
NAME_MASK = "[nombre del denunciante]"

_WHITESPACE = re.compile(r"\s+")
_SEP = r"[\s.()\-]{0,2}"  # what people put between digits of a phone
# A Mexican phone: an optional +52 (and the old mobile 1), then ten digits.
_PHONE = re.compile(
    rf"(?<![\w+])(?<!\d[.-])(?:\+?\s?52{_SEP}(?:1{_SEP})?)?\(?\d(?:{_SEP}\d){{9}}(?!\w)"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# CURP: 4 letters, birth date, sex, state, 3 consonants, a check pair.
_CURP = re.compile(r"(?<![a-z0-9])[a-z]{4}\d{6}[hmx][a-z]{5}[a-z0-9]\d(?![a-z0-9])")
# Clave de elector on the INE card: 6 letters, 8 digits, sex, 3 digits.
_INE = re.compile(r"(?<![a-z0-9])[a-z]{6}\d{8}[hm]\d{3}(?![a-z0-9])")

_CONTACT = r"(?:numero|num|tel|telefono|cel|celular|whats|whatsapp|wats|wasap|wa)"
_RELATIVE = r"(?:espos[oa]|hij[oa]|mama|papa|herman[oa]|suegr[oa]|marido|mujer)"
# Words that introduce the writer's own phone; what follows is checked by _GAP.
_OWN_PHONE_CUE = re.compile(
    rf"\bmi\s+{_CONTACT}\b(?!\s+de\s+(?:folio|cuenta|tarjeta|seguro|solicitud|"
    r"expediente|credencial|ine|curp|registro|clabe))"
    r"|\bmi\s+no\."  # "mi no. es ..."
    rf"|\bde\s+mi\s+{_RELATIVE}\b"
    r"|\b(?:marquenme|marqueme|llamenme|llameme|hablenme|hableme|contactenme"
    r"|escribanme|mandenme\s+(?:whats|mensaje))\b"
    r"|\bme\s+pueden?\s+(?:llamar|marcar|contactar|localizar|escribir|hablar)\b"
    r"|\b(?:contactarme|localizarme|comunicarse\s+conmigo|comuniquense\s+conmigo)\b"
    r"|\b(?:estoy|estamos)\s+(?:al|en\s+el)\b"
)
# Words that introduce the writer's own name: "me llamo ...", "atte. ...".
_OWN_NAME_CUE = re.compile(
    r"\b(?:me\s+llamo|mi\s+nombre\s+es|mi\s+nombre\s*:|soy\s+(?:la\s+senora|el\s+senor"
    r"|la\s+sra\.?|el\s+sr\.?|el\s+ciudadano|la\s+ciudadana)|atte\.?|atentamente"
    r"|les?\s+escribe|quien\s+suscribe)[\s,:]+"
)
_NAME_WORD = re.compile(r"([a-zñ]+)\.?\s*")
_NAME_JOINERS = frozenset({"de", "del", "la", "las", "los", "y"})
_NOT_NAMES = frozenset({
    "que", "con", "en", "por", "para", "vivo", "tengo", "soy", "mi", "me", "le", "les",
    "quiero", "ya", "pero", "porque", "xq", "pq", "no", "si", "es", "a", "al", "el",
    "un", "una", "hace", "desde", "aqui", "colonia", "municipio",
})  # fmt: skip
_OWN_EMAIL_CUE = re.compile(r"\bmi\s+(?:correo|email|e-mail|mail|gmail|hotmail)\b")
# Between a cue and the number: punctuation, emoji and a few filler words only,
# so "a mi whats me llego un mensaje del 55..." keeps the (fraudster's) number.
_GAP = re.compile(
    r"(?:[\W_]|\b(?:es|son|el|al|del|en|seria|aqui|aca|esta|este|personal|"
    r"electronico|de\s+contacto|para\s+cualquier\s+(?:cosa|duda)|por\s+favor|"
    r"x\s+favor|porfa|pf|a|y|o)\b)*",
)
_MAX_GAP = 40
_CHAIN = re.compile(r"\s*(?:,|/|\by\b|\bo\b|\bó\b)?\s*")  # "mi cel 55... o 55..."
# "5512345678 es mi whats", "5512345678 (mi cel)"; a bare ", mi numero ..." after
# a number starts a new phrase and says nothing about that number.
_TRAILING_CUE = re.compile(
    rf"\s*(?:\(\s*|,?\s*es\s+(?:el\s+)?)(?:mi\s+{_CONTACT}\b|mio\b)"
)


def excerpt_of(
    text: str,
    own_phones: Iterable[str] = (),
    limit: int = 180,
    own_names: Iterable[str] = (),
) -> str:
    """A one-line excerpt of ``text`` without the complainant's contact details.

    ``own_names`` are the reporters' names as the channel knows them (the
    WhatsApp profile name); they are masked wherever they appear, and so is
    any name the writer introduces as theirs ("me llamo ...", "atte. ...").
    """
    names = frozenset(
        folded for name in own_names if len(folded := fold(name).strip()) >= 3
    )
    masked = _mask(_WHITESPACE.sub(" ", text).strip(), _national(own_phones), names)
    return _shorten(masked, limit)


def _national(phones: Iterable[str]) -> frozenset[str]:
    """The ten national digits of each phone, whatever its prefix."""
    digits = (re.sub(r"\D", "", phone) for phone in phones)
    return frozenset(number[-10:] for number in digits if len(number) >= 10)


def _mask(
    text: str, own_phones: frozenset[str], own_names: frozenset[str] = frozenset()
) -> str:
    """``text`` with each complainant detail replaced by its mask."""
    folded = fold(text)
    spans = [*_phone_spans(folded, own_phones), *_email_spans(folded)]
    spans += list(_name_spans(folded, own_names))
    spans += [(*m.span(), CURP_MASK) for m in _CURP.finditer(folded)]
    spans += [(*m.span(), INE_MASK) for m in _INE.finditer(folded)]

    pieces, position = [], 0
    for start, end, mask in sorted(spans):
        if start < position:  # already inside an earlier mask
            continue
        pieces += [text[position:start], mask]
        position = end
    return "".join([*pieces, text[position:]])


def _phone_spans(folded: str, own: frozenset[str]) -> Iterator[tuple[int, int, str]]:
    """Spans of phones that are the complainant's: known numbers or introduced."""
    phones = list(_PHONE.finditer(folded))
    introduced = _introduced(folded, phones, _OWN_PHONE_CUE)
    for index, match in enumerate(phones):
        own_number = re.sub(r"\D", "", match.group())[-10:] in own
        trailing = _TRAILING_CUE.match(folded, match.end())
        if own_number or index in introduced or trailing:
            yield match.start(), match.end(), PHONE_MASK


def complainant_names(text: str, own_names: Iterable[str] = ()) -> set[str]:
    """The writer's own names in ``text``, folded: never to be listed as accused."""
    folded = fold(text)
    known = frozenset(fold(name).strip() for name in own_names if name.strip())
    return {folded[start:end] for start, end, _ in _name_spans(folded, known)}


def _name_spans(
    folded: str, own_names: frozenset[str]
) -> Iterator[tuple[int, int, str]]:
    """The reporters' known names, and a name the writer introduces as theirs."""
    for name in own_names:
        if name not in folded:  # an incident's text holds few of its reporters' names
            continue
        for match in re.finditer(rf"(?<![a-z]){re.escape(name)}(?![a-z])", folded):
            yield match.start(), match.end(), NAME_MASK
    for cue in _OWN_NAME_CUE.finditer(folded):
        position, end, words = cue.end(), cue.end(), 0
        while words < 4 and (word := _NAME_WORD.match(folded, position)):
            token = word.group(1)
            if token in _NOT_NAMES and token not in _NAME_JOINERS:
                break
            position = word.end()
            if token not in _NAME_JOINERS:
                words, end = words + 1, word.end(1)
        if words:
            yield cue.end(), end, NAME_MASK


def _email_spans(folded: str) -> Iterator[tuple[int, int, str]]:
    emails = list(_EMAIL.finditer(folded))
    for index in _introduced(folded, emails, _OWN_EMAIL_CUE):
        yield emails[index].start(), emails[index].end(), EMAIL_MASK


def _introduced(folded: str, found: list[re.Match[str]], cue: re.Pattern) -> set[int]:
    """Indexes of the matches a cue introduces, with those chained after them."""
    introduced: set[int] = set()
    for cue_match in cue.finditer(folded):
        position, chain = cue_match.end(), _GAP
        for index, match in enumerate(found):
            if match.start() < position:
                continue
            gap = folded[position : match.start()]
            if len(gap) > _MAX_GAP or not chain.fullmatch(gap):
                break
            introduced.add(index)
            position, chain = match.end(), _CHAIN
    return introduced


def _shorten(text: str, limit: int) -> str:
    """``text`` cut at the last word boundary before ``limit``, marked with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    boundary = cut.rfind(" ")
    if boundary > limit // 2:
        cut = cut[:boundary]
    if cut.rfind("[") > cut.rfind("]"):  # never leave half a mask
        cut = cut[: cut.rfind("[")]
    return cut.rstrip(" ,;:.-") + "…"
