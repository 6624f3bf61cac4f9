"""Identifying details in a citizen's message: money, phones, accounts, places, roles.

An investigator triaging a denuncia needs how much was asked or paid, the
fraudster's phone number, CLABE, card or account, the complainant's CURP, the
state, and who asked (a "gestor", a "servidor de la nación", the builder).
Tokenisers break "$5,000" and "+52 1 55 1234 5678" into pieces, so this
module reads the raw message with plain regular expressions.

Every pattern runs on a *folded* copy of the message: lowercase, accents
removed, ñ read as n, no-break spaces read as spaces, and exactly as long as
the original. Offsets found on the folded copy are therefore offsets in the
raw text, and an entity's text is what the citizen wrote.

A bare number is money only with money around it: "$", "pesos", "varos",
"mil", "mxn", or a money verb or noun right before it ("me cobró 800",
"cuota de 300"). Phones, folios, years, times, percentages and counts of
things ("20 bultos", "somos 20 familias") are not amounts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from classifiers.places import NAME_LIKE_STATES, STATES

# fmt: off
# Canonical role -> the ways people name it, folded (lowercase, no accents).
ROLES: dict[str, tuple[str, ...]] = {
    "gestor":                ("gestor", "gestora", "gestores", "gestoras"),
    "coyote":                ("coyote", "coyotes", "coyota", "coyotas"),
    "lider":                 ("lider", "lideres", "lideresa", "lideresas", "lidereza"),
    "comisariado":           ("comisariado", "comisariados", "comisariado ejidal",
                              "comisario ejidal", "comisaria ejidal",
                              "presidente del comisariado",
                              "presidenta del comisariado"),
    "servidor de la nacion": ("servidor de la nacion", "servidora de la nacion",
                              "servidores de la nacion", "servidoras de la nacion"),
    "funcionario":           ("funcionario", "funcionaria", "funcionarios",
                              "funcionarias", "servidor publico", "servidora publica",
                              "servidores publicos"),
    "licenciado":            ("licenciado", "licenciada", "licenciados", "licenciadas",
                              "lic", "licen"),
    "delegado":              ("delegado", "delegada", "delegados", "delegadas"),
    # "tecnico" and "asistente" alone are too common; with an article they
    # are the programme's asistente técnico ("el tecnico vino a medir").
    "asistente tecnico":     ("asistente tecnico", "asistente tecnica",
                              "asistentes tecnicos", "asesor tecnico",
                              "asesora tecnica", "el asistente", "la asistente",
                              "el tecnico", "la tecnica", "los tecnicos"),
    "constructora":          ("constructora", "constructoras", "constructor"),
    "ingeniero":             ("ingeniero", "ingeniera", "ingenieros", "ingenieras",
                              "inge", "ing"),
    "arquitecto":            ("arquitecto", "arquitecta", "arquitectos", "arquitectas",
                              "arq"),
    "supervisor":            ("supervisor", "supervisora", "supervisores",
                              "supervisoras"),
    "autoridad municipal":   ("presidente municipal", "presidenta municipal",
                              "el presidente", "la presidenta", "alcalde", "alcaldesa",
                              "regidor", "regidora", "regidores", "sindico", "sindica"),
    "maestro de obra":       ("maestro de obra", "maestro de obras", "maestros de obra",
                              "maestro albanil"),
    "albañil":               ("albanil", "albaniles"),
    "promotor":              ("promotor", "promotora", "promotores", "promotoras"),
    "encargado":             ("encargado", "encargada", "encargados", "encargadas"),
}

NUMBER_WORDS: dict[str, int] = {
    "un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
    "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11,
    "doce": 12, "trece": 13, "catorce": 14, "quince": 15, "dieciseis": 16,
    "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20,
    "veintiun": 21, "veintiuno": 21, "veintidos": 22, "veintitres": 23,
    "veinticuatro": 24, "veinticinco": 25, "veintiseis": 26, "veintisiete": 27,
    "veintiocho": 28, "veintinueve": 29, "treinta": 30, "cuarenta": 40,
    "cincuenta": 50, "sesenta": 60, "setenta": 70, "ochenta": 80, "noventa": 90,
    "cien": 100, "ciento": 100, "doscientos": 200, "trescientos": 300,
    "cuatrocientos": 400, "quinientos": 500, "seiscientos": 600,
    "setecientos": 700, "ochocientos": 800, "novecientos": 900,
}

# Words that may stand between a money verb and its sum: "cobro a cada quien 1,000".
_CUE_FILLERS = frozenset({
    "me", "te", "le", "les", "nos", "se", "lo", "a", "al", "con", "como", "unos",
    "unas", "otros", "otras", "otro", "otra", "cada", "uno", "quien", "todos",
    "todas", "mas", "solo", "nomas", "apenas", "hasta", "casi", "ya", "tambien",
    "aprox", "aproximadamente",
})
# Words of a sum that carry no quantity.
_AMOUNT_FILLERS = frozenset({
    "y", "de", "pesos", "peso", "pesitos", "varos", "varo", "baros", "baro", "mxn",
    "m", "n", "mn",
})
# Before "Guerrero", "Hidalgo" or "Morelos" these make it a street, a town or a
# person: "calle Hidalgo", "Villa Guerrero", "Lic. Guerrero".
_NAME_BEFORE = frozenset({
    "calle", "av", "avenida", "col", "colonia", "blvd", "boulevard", "privada",
    "cerrada", "andador", "esquina", "esq", "ciudad", "cd", "villa", "union",
    "dolores", "vicente", "miguel", "martin", "maria", "jose", "juan", "mineral",
    "lic", "ing", "arq", "profe", "sr", "sra", "don", "dona", "senor", "senora",
})
# fmt: on

SUMMARY_KEYS = ("amounts", "phones", "accounts", "curps", "states", "roles")
_SUMMARY_KEY = {
    "amount": "amounts",
    "phone": "phones",
    "clabe": "accounts",
    "card": "accounts",
    "account": "accounts",
    "curp": "curps",
    "state": "states",
    "role": "roles",
}
# When two candidates cover the same span, identifiers beat money and words.
_PRIORITY = {"clabe": 0, "card": 0, "phone": 1, "account": 2, "curp": 2, "amount": 3}

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Entity:
    """One identifying detail found in a message."""

    label: str  # amount, phone, clabe, card, account, curp, state or role
    text: str  # exactly as written: message[start:end]
    start: int
    end: int
    value: str | int  # pesos for amounts, digits or canonical names otherwise


def _fold_table() -> dict[int, str]:
    """Map each letter to one lowercase unaccented letter (ñ to n)."""
    table = {code: chr(code + 32) for code in range(ord("A"), ord("Z") + 1)}
    for code in range(0xC0, 0x250):
        base = unicodedata.normalize("NFD", chr(code))[0].lower()
        if base.isascii() and base.isalpha():
            table[code] = base
    table.update({0xA0: " ", 0x2007: " ", 0x202F: " "})  # no-break spaces
    return table


_FOLD = _fold_table()
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def fold(text: str) -> str:
    """Lowercase, unaccented copy of ``text`` with the same length."""
    lower = text.lower()
    if len(lower) != len(text):  # a rare letter whose lowercase is two characters
        return text.translate(_FOLD)
    if lower.isascii():
        return lower
    return _NON_ASCII.sub(lambda m: _FOLD.get(ord(m.group()), m.group()), lower)


def _trie_pattern(words: Iterable[str]) -> str:
    """One regex alternation for many words, sharing prefixes; longest first."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word.rstrip("."):  # "D.F." ends a sentence as often as not
            node = node.setdefault(char, {})
        node[""] = {}
    return _node_pattern(trie)


def _node_pattern(node: dict[str, dict]) -> str:
    # In an alias a dot is optional and a space is optional whitespace.
    fragment = {".": r"\.?", " ": r"\s*"}
    branches = [
        fragment.get(char, re.escape(char)) + _node_pattern(child)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


_SEPARATORS = re.compile(r"[\s.]+")


def _key(alias: str) -> str:
    return _SEPARATORS.sub("", alias)


_STATE_BY_KEY = {_key(a): name for name, aliases in STATES.items() for a in aliases}
_ROLE_BY_KEY = {_key(a): role for role, aliases in ROLES.items() for a in aliases}
_ALIASES = [alias for table in (STATES, ROLES) for v in table.values() for alias in v]

# The patterns below are parts of one scan (see _SCAN): each starts right
# after a character that is neither a letter nor a digit.

# A run of digit groups of at least 8 digits, as phones, accounts and CLABEs
# are written: "+52 1 55 1234 5678", "(55) 1234-5678", "0121 8000 4713 2345 67".
_RUN = (
    r"(?<![+(,$/#])(?<!\d[.-])(?=(?:\+ ?)?\(?\d(?:[ .()-]{0,2}\d){7})"
    r"(?:\+ ?\d{1,3}[ .-]?(?:1[ .-]?)?)?(?:\(\d{2,3}\)[ .-]?)?\d+(?:[ .-]\d+)*"
    r"(?![a-z0-9]|[.,]\d)"
)
_MASKED_CARD = r"\d{4}[ -]?(?:[*x]{4}[ -]?){1,2}(?P<masked_end>\d{4})(?!\d)"
_CARD_END = (
    r"(?:terminacion|(?:tarjeta|cuenta)[^\n.]{0,30}?termina(?:da|do)?\s+en)"
    r"\s*:?\s*(?:el\s+)?(?P<card_end>\d{4})(?!\d)"
)
_CURP = (
    r"[a-z][aeioux][a-z]{2}\d{6}[hm][a-z]{2}[b-df-hj-np-tv-z]{3}[a-z0-9]\d(?![a-z0-9])"
)
# "enlace" is also the link in a scam message; only "enlace de conavi",
# "enlace municipal" or "la enlace" name the programme's link person.
_ENLACE = (
    r"enlace(?=\s+(?:del?\s+(?:la\s+)?(?:conavi|programa|vivienda|bienestar|gobierno"
    r"|municipio)|municipal|comunitari[oa]|territorial|regional))|(?<=la )enlace"
)
# States and roles share one trie: one pass over the words is cheaper than two.
# "Edo de Chiapas" keeps its prefix; an article ("el gestor") is dropped later.
# A code inside a folio ("24-CHIS-55910", "NL-0933") is not a place.
_NAMED = (
    r"(?<![-/])(?P<lead>(?:estado|edo)\.?\s*de\s+|(?:el|la|los|las)\s+)?"
    rf"(?:{_trie_pattern(_ALIASES)}|{_ENLACE})(?![a-z0-9]|-[a-z0-9])"
)

# Sums: "$3,500", "$ 3500.00", "5mil", "tres mil quinientos pesos", "3.5k".
_DIGITS = (
    r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d{1,3}(?:\.\d{3})+(?!\d|,\d)"
    r"|\d{1,9}(?:\.\d{1,2})?"
)
_SP = r"[ \t]"  # a sum never runs across lines
_WORD = _trie_pattern(NUMBER_WORDS)
_WORDS = rf"(?:{_WORD})(?:{_SP}+(?:y{_SP}+)?(?:{_WORD}))*"
# After "mil" a one is never meant: "2 mil\nun dia" is not 2001.
_TAIL_WORD = _trie_pattern(word for word in NUMBER_WORDS if word[:2] != "un")
_TAIL = rf"(?:{_TAIL_WORD})(?:{_SP}+(?:y{_SP}+)?(?:{_TAIL_WORD}))*"
_SCALE = r"(?P<scale>mil|millon(?:es)?)(?![a-z])"
# "mil" alone counts as a quantity of one: "mil quinientos".
_QTY = rf"(?:{_DIGITS}|{_WORDS}|medio(?={_SP}+millon)|(?=mil))"
_AMOUNT = (
    # Cheap first-character gate: "$", a digit, or how a number word starts.
    rf"(?=[$\dcdmnoqstuv])(?<![.,/#:])(?:(?P<cur>\${_SP}?)|(?<!\d-))"
    rf"(?P<num>{_QTY}(?:{_SP}*{_SCALE}|(?<=\d)k(?![a-z]))?"
    # After a scale, more groups ("un millon doscientos mil") and a tail
    # ("3 mil 500", "mil quinientos").
    rf"(?(scale)(?:{_SP}+(?:y{_SP}+)?(?:{_QTY}){_SP}*(?:mil|millon(?:es)?)(?![a-z]))*"
    rf"(?:{_SP}+(?:\d{{3}}(?!\d|[.,]\d|[ .-]\d)|{_TAIL}))?))"
    rf"(?P<unit>{_SP}*(?:de{_SP}+)?(?:pesos?|pesitos|varos?|baros?|mxn|m\.n\.?|mn)"
    rf"(?![a-z]))?(?![a-z0-9]|[.,:/-]\d)"
)

# One pass over the folded message (with a space in front) finds every
# candidate; the leading [^a-z0-9] lets the regex engine skip letters fast.
_SCAN = re.compile(
    r"[^a-z0-9](?:"
    rf"(?=[\d+(])(?:(?P<masked>{_MASKED_CARD})|(?P<run>{_RUN}))"
    rf"|(?P<amount>{_AMOUNT})"
    rf"|(?=[a-z])(?:(?P<card>{_CARD_END})|(?P<curp>{_CURP})|(?P<named>{_NAMED}))"
    r")",
    re.ASCII,
)

# What a long number's nearest preceding words say it is.
_CUE = re.compile(
    r"(?<![a-z])(?:"
    r"(?P<nss>nss|seguro\s+social|imss|afiliacion)"
    r"|(?P<folio>folio|expediente|acuse|solicitud)"
    r"|(?P<card>tarjeta|terminacion)"
    r"|(?P<account>cuenta|cta\b|clabe|interbancaria|ref\b|referencia|spin\b"
    r"|mercado\s*pago)"
    r"|(?P<pay>deposit|transf|spei|oxxo|banco|bbva|bancomer|banorte|banamex|santander"
    r"|azteca|coppel|hsbc|scotiabank|inbursa)"
    r"|(?P<phone>tel|cel|numero|num\b|whats|wa\b|llam|marca|contacto|mensaje|sms"
    r"|lada)"
    r")",
    re.ASCII,
)
# National phone layouts: "9611234567", "55 1234 5678", "961 123 45 67" ...
_PHONE_SHAPES = frozenset(
    {(10,), (2, 8), (3, 7), (2, 4, 4), (3, 3, 4), (3, 4, 3), (2, 4, 2, 2)}
    | {(3, 3, 2, 2), (2, 2, 2, 2, 2), (6, 4)}
)
_DIGIT_GROUP = re.compile(r"\d+")
_CURP_ALPHABET = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"

_AMOUNT_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[a-z]+", re.ASCII)
_THOUSANDS_DOTS = re.compile(r"\d{1,3}(?:\.\d{3})+")
_PERCENT_AFTER = re.compile(r"\s*(?:%|por\s*ciento|x\s*ciento)", re.ASCII)
# "15 de mayo" is a date; "30 de 45 mil" is a share, read on the larger sum.
_DATE_OR_SHARE_AFTER = re.compile(
    r"\s+de\s+(?:\d|enero|febrero|marzo|abril|mayo|junio|julio|agosto|sept?iembre"
    r"|octubre|noviembre|diciembre)",
    re.ASCII,
)
_COUNT_AFTER = re.compile(
    r"\s*(?:familias|personas|gente|vecin[oa]s|beneficiari[oa]s|casas|viviendas|"
    r"hogares|bultos|blocks?|blocs?|bloques|tabiques|ladrillos|laminas|varillas|sacos|"
    r"costales|metros|m2|mts|kilos|kg|toneladas|litros|habitantes|ejidatari[oa]s|"
    r"firmas|votos|credenciales|afiliad[oa]s|seguidores|contactos|veces|anos|dias|"
    r"meses|semanas|horas|minutos|km|kilometros|piezas|pzas|cuartos|mensajes|llamadas|"
    r"solicitudes|folios|registros|alumnos|ninos|hectareas)(?![a-z])",
    re.ASCII,
)
# Money verbs and nouns that make a bare number an amount ("le dimos 2000",
# "cuota de 300", "si le paso 200", "se queda con 500").
_MONEY_VERB = re.compile(
    r"cobr\w*|pid\w*|pedi\w*|pag(?!in)\w*|deposit\w*|transf\w*|mand\w*|envi\w*|"
    r"d(?:i|io|imos|ieron|ar|arle|arles|aba|abamos|aban|iera|ieran|en|a|oy|amos|"
    r"emos)|quier\w*|"
    r"exig\w*|solicit\w*|sac(?:o|a|aron|ar)|cuesta|costo|gast\w*|cooper\w*|aport\w*|"
    r"prest\w*|pas(?:o|e|a|ara|aramos|arle|arles|en)|dej(?:o|e|a|ar|ara|aramos|arle|"
    r"en|amos)|llev(?:e|ara|aramos|arle|en)|regres\w*|qued(?:a|o|an|aron|ara|e)|"
    r"quit(?:a|o|an|aron|ara|en)",
    re.ASCII,
)
_MONEY_NOUN = re.compile(
    r"cuota|cooperacion|cooperacha|aportacion|pago|deposito|apoyo|multa|mordida|moche|"
    r"propina|comision|enganche|anticipo|adelanto|cantidad|monto|precio|total|extra|"
    r"tarifa|gastos?|derecho|recibo|vale|transferencia|prestamo|deuda|renta|cobro",
    re.ASCII,
)
# After a bare amount comes a small word or punctuation, not a thing counted.
_BARE_END = re.compile(
    r"[^\S\n]*(?:$|\n|[^\w\s]|(?:a|al|por|x|pa|para|en|de|del|y|o|u|cada|mas|que|q|k|"
    r"pero|ya|le|les|nos|me|te|se|cuando|porque|pq|xq|sin|con|mensuales|semanales|"
    r"diarios|quincenales|aparte|extra|adicionales|entre|ni|el|la|los|las|tambien|"
    r"nomas|c|no)(?![a-z]))",
    re.ASCII,
)
# A price put on a favour with no money word: "x 1500 me lo mueve", "con 500 lo
# destraba". The number is money only when a pronoun and a verb follow it.
_OFFER_BEFORE = re.compile(r"(?:^|\s)(?:por|x|con)\s+$", re.ASCII)
_CLITIC_AFTER = re.compile(
    r"\s+(?:me|te|lo|la|le|les|nos|los|las|se)\s+[a-z]", re.ASCII
)
_ARTICLE = re.compile(r"(?:el|la|los|las)\s+", re.ASCII)
_TWO_WORDS_BEFORE = re.compile(r"(?:([a-z]+)[ \t]+)?([a-z]+)\.?[ \t]+$", re.ASCII)
# "el presidente del comite de obra" leads a committee, not the municipality.
_HEAD_OF_GROUP = re.compile(r"\s+(?:del|de\s+la)\s+(?!municipio|ayuntamiento|dif)")


def extract_entities(text: str) -> list[Entity]:
    """Entities in a raw message, sorted by start; of overlapping ones the longest."""
    if not text:
        return []

    # Offsets in the padded copies are one more than in the message.
    padded, folded = " " + text, " " + fold(text)
    found = []
    for match in _SCAN.finditer(folded):
        kind = match.lastgroup
        entity = _READERS[kind](match, padded, folded)
        if entity is not None:
            found.append(entity)
    return _longest(found) if len(found) > 1 else found


def entities_summary(entities: list[Entity]) -> dict[str, list[str | int]]:
    """Values per kind (amounts, phones, accounts ...), deduplicated, in order."""
    summary: dict[str, list[str | int]] = {key: [] for key in SUMMARY_KEYS}
    for entity in entities:
        values = summary[_SUMMARY_KEY[entity.label]]
        if entity.value not in values:
            values.append(entity.value)
    return summary


def parse_amount(text: str) -> int | None:
    """Pesos in a written sum: "5 mil", "$3,500", "mil quinientos", "3.5k"."""
    total, current, seen = 0.0, 0.0, False
    for token in _AMOUNT_TOKEN.findall(fold(text)):
        if token[0].isdigit():
            current += _number_value(token)
        elif token in NUMBER_WORDS:
            current += NUMBER_WORDS[token]
        elif token == "medio":
            current += 0.5
        elif token in ("mil", "k"):
            total, current = total + (current or 1) * 1000, 0.0
        elif token in ("millon", "millones"):
            total, current = ((total + current) or 1) * 1_000_000, 0.0
        elif token in _AMOUNT_FILLERS:
            continue
        else:
            return None
        seen = True
    value = round(total + current)
    return value if seen and value > 0 else None


def curp_is_valid(curp: str) -> bool:
    """Whether a CURP's last character is the check digit of the first 17."""
    curp = curp.upper()
    if len(curp) != 18 or not curp[17].isdigit():
        return False
    try:
        total = sum(_CURP_ALPHABET.index(c) * (18 - i) for i, c in enumerate(curp[:17]))
    except ValueError:
        return False
    return (10 - total % 10) % 10 == int(curp[17])


def clabe_is_valid(clabe: str) -> bool:
    """Whether an 18-digit CLABE carries its check digit (weights 3, 7, 1)."""
    if len(clabe) != 18 or not clabe.isdigit():
        return False
    total = sum((int(d) * (3, 7, 1)[i % 3]) % 10 for i, d in enumerate(clabe[:17]))
    return (10 - total % 10) % 10 == int(clabe[17])


def luhn_is_valid(number: str) -> bool:
    """Whether a card number passes the Luhn check."""
    total = 0
    for i, digit in enumerate(int(d) for d in reversed(number)):
        doubled = digit * 2 if i % 2 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return total % 10 == 0


def _entity(label: str, padded: str, start: int, end: int, value: str | int) -> Entity:
    return Entity(label, padded[start:end], start - 1, end - 1, value)


def _number_value(token: str) -> float:
    """Value of "3,500", "1.500" (dots as thousands), "3500.00" or "3.5"."""
    if "," in token:
        whole, _, cents = token.replace(",", "").partition(".")
        return float(f"{whole}.{cents or 0}")
    if _THOUSANDS_DOTS.fullmatch(token):
        return float(token.replace(".", ""))
    return float(token)


def _amount(match: re.Match[str], padded: str, folded: str) -> Entity | None:
    span = match.span("amount")
    value = parse_amount(match.group("num"))
    if value is None or not _is_money(span, match, folded):
        return None
    return _entity("amount", padded, *span, value)


def _is_money(span: Span, match: re.Match[str], folded: str) -> bool:
    """Whether a number written in a message is a sum of money."""
    start, end = span
    after = folded[end : end + 40]
    number = match.group("num")
    if _PERCENT_AFTER.match(after) or number in ("un", "uno", "una"):
        return False  # "el 10%"; "ni un peso" is nothing, not one peso
    if match.group("cur") or match.group("unit"):
        return True
    if number != "mil" and (match.group("scale") or number.endswith("k")):
        return not _COUNT_AFTER.match(after)

    # A bare number (or "mil"): a money word before, a small word after.
    if number.isdigit() and int(number) < 10:
        return False  # "ya cobro 2 de 3 pagos"
    if number.isdigit() and _OFFER_BEFORE.search(folded[max(0, start - 8) : start]):
        return _could_be_price(int(number)) and bool(_CLITIC_AFTER.match(after))
    return bool(
        _money_before(folded, start)
        and _BARE_END.match(after)
        and not _DATE_OR_SHARE_AFTER.match(after)
    )


def _could_be_price(number: int) -> bool:
    """Whether a bare number offered for a favour can be pesos, not a year."""
    is_year = 1990 <= number <= 2035 and number % 100 != 0
    return number >= 50 and not is_year


def _money_before(folded: str, start: int) -> bool:
    """Whether a money verb or noun comes right before ``start``."""
    words = [word.strip("'\":") for word in folded[max(0, start - 60) : start].split()]
    fillers = 0
    while words:
        word = words.pop()
        if word in _CUE_FILLERS and fillers < 4:
            fillers += 1
            continue
        if word in ("de", "por"):  # "cuota de 300", "un pago por 500"
            return bool(words and _MONEY_NOUN.fullmatch(words[-1]))
        return bool(_MONEY_VERB.fullmatch(word) or _MONEY_NOUN.fullmatch(word))
    return False


def _run(match: re.Match[str], padded: str, folded: str) -> Entity | None:
    start, end = match.span("run")
    run = folded[start:end]
    groups = [m.span() for m in _DIGIT_GROUP.finditer(run)]
    found = _classify_run(run, groups, _cue(folded, start))
    if found is None:
        return None
    label, value, (first, last) = found
    return _entity(label, padded, start + first, start + last, value)


def _cue(folded: str, start: int) -> str | None:
    """The kind of number announced by the nearest cue word before ``start``."""
    cue = None
    for cue_match in _CUE.finditer(folded, max(0, start - 40), start):
        cue = cue_match.lastgroup
    return cue


def _classify_run(
    run: str, groups: list[Span], cue: str | None
) -> tuple[str, str, Span] | None:
    """Label, value and span (within ``run``) of a run of digit groups."""
    digits = "".join(run[start:end] for start, end in groups)
    whole = (0, len(run))
    if cue in ("nss", "folio") or (run[0] == "+" and not digits.startswith("52")):
        return None  # a social-security or folio number, or a foreign phone
    if len(digits) == 18 and clabe_is_valid(digits):
        return "clabe", digits, whole
    if len(digits) == 16 and (luhn_is_valid(digits) or cue == "card"):
        return "card", digits, whole
    if cue in ("account", "card"):
        return ("account", digits, whole) if len(digits) <= 20 else None

    phone = _phone(run, digits, groups)
    if phone:
        return "phone", phone, whole
    if cue == "pay":  # "deposita a 12345678901234 en oxxo"
        return ("account", digits, whole) if len(digits) <= 20 else None
    if run[0] in "+(":
        return None
    # A phone glued to another number by a space: "pague 500 5512345678".
    for part in (groups[1:], groups[:-1]):
        part_digits = "".join(run[start:end] for start, end in part)
        if _phone("", part_digits, part):
            return "phone", "52" + part_digits, (part[0][0], part[-1][1])
    return None


def _phone(run: str, digits: str, groups: list[Span]) -> str | None:
    """The number as "52" + 10 digits if the run is a Mexican phone number."""
    if len(digits) == 10:
        shape = tuple(end - start for start, end in groups)
        national = digits if shape in _PHONE_SHAPES and not run.startswith("+") else ""
    elif len(digits) == 13 and digits.startswith("521"):
        national = digits[3:]
    elif len(digits) == 12 and digits.startswith("52"):
        national = digits[2:]
    else:
        return None
    # Area codes never start with 0 or 1.
    return "52" + national if national and national[0] not in "01" else None


def _masked(match: re.Match[str], padded: str, folded: str) -> Entity:
    value = "****" + match.group("masked_end")  # "4152 **** 8811"
    return _entity("card", padded, *match.span("masked"), value)


def _card_end(match: re.Match[str], padded: str, folded: str) -> Entity:
    value = "****" + match.group("card_end")  # "terminacion 4521"
    return _entity("card", padded, *match.span("card_end"), value)


def _curp(match: re.Match[str], padded: str, folded: str) -> Entity:
    start, end = match.span("curp")
    return _entity("curp", padded, start, end, padded[start:end].upper())


def _named(match: re.Match[str], padded: str, folded: str) -> Entity | None:
    """A state or a role; the entity leaves out a leading article ("el gestor")."""
    start, end = match.span("named")
    lead = match.group("lead") or ""
    key = _key(folded[start + len(lead) : end])  # "edomex", "eltecnico", "gestor"
    article = _ARTICLE.match(folded, start, end)
    if article:
        start = article.end()

    if key in _STATE_BY_KEY:
        name = _STATE_BY_KEY[key]
        if name in NAME_LIKE_STATES and not lead and _reads_as_name(padded, start):
            return None
        return _entity("state", padded, start, end, name)
    role = _ROLE_BY_KEY.get(key, "enlace")
    if key in ("elpresidente", "lapresidenta") and _HEAD_OF_GROUP.match(folded, end):
        role = "lider"
    return _entity("role", padded, start, end, role)


def _reads_as_name(padded: str, start: int) -> bool:
    """Whether "Hidalgo" at ``start`` names a street, a town or a person."""
    before = _TWO_WORDS_BEFORE.search(fold(padded[max(0, start - 40) : start]))
    if before is None:
        return False
    if before.group(2) in _NAME_BEFORE:
        return True
    # "Ocotlan de Morelos", "Jardines de Morelos": part of a longer place name.
    first = before.group(1)
    offset = max(0, start - 40)
    return bool(
        first
        and before.group(2) in ("de", "del")
        and padded[offset + before.start(1)].isupper()
    )


# Each reader turns one kind of _SCAN match into an entity, or rejects it.
_READERS: dict[str, Callable[[re.Match[str], str, str], Entity | None]] = {
    "masked": _masked,
    "run": _run,
    "amount": _amount,
    "card": _card_end,
    "curp": _curp,
    "named": _named,
}


def _longest(found: list[Entity]) -> list[Entity]:
    """Drop overlapping entities, keeping the longest (identifiers on ties)."""
    kept: list[Entity] = []
    order = sorted(found, key=lambda e: (e.start - e.end, _PRIORITY.get(e.label, 4)))
    for entity in order:
        if all(entity.end <= k.start or entity.start >= k.end for k in kept):
            kept.append(entity)
    return sorted(kept, key=lambda e: e.start)
