"""Who asks for the money: the markers that tell a bribe from an undue charge.

The same words, "me pidio 2 mil", are a bribe (``soborno``) when a public
servant says them, an undue charge (``cobro_indebido``) from a gestor or a
community leader, a diversion of works money (``desvio_obra``) from the
builder, and an impersonation (``suplantacion``) from someone posing as
CONAVI. Each sentence that speaks of a payment gets a marker for every kind
of person in it, for the models to weigh.

Writers often say who the person is not: "no es de gobierno", "ni es
funcionario", "no trabaja en el municipio". Such a denied post does not make the
person a servant; the text gets a marker of its own instead, because a charge
by someone who holds no office is an undue charge or an impersonation, not a
bribe.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from classifiers.evidence import norms_of

SERVANTS = frozenset(
    {"servidor de la nacion", "funcionario", "delegado", "supervisor",
     "autoridad municipal", "promotor", "licenciado", "encargado", "enlace"}
)  # fmt: skip
BUILDERS = frozenset(
    {"asistente tecnico", "constructora", "ingeniero", "arquitecto",
     "maestro de obra", "albañil"}
)  # fmt: skip
THIRD_PARTIES = frozenset({"gestor", "coyote", "lider", "comisariado"})
IMPOSTOR_WORDS = frozenset(
    {"falso", "falsa", "falsos", "supuesto", "supuesta", "sorteado", "sorteada",
     "oxxo", "pagina", "perfil", "link", "haciendose", "apocrifo", "fraude",
     "sorteo", "rifa", "premio", "ganaste", "estafa", "estafaron", "pirata",
     "patito", "elektra", "coppel", "spin", "facebook", "face", "tiktok",
     "messenger", "inbox"}
)  # fmt: skip
OFFICE_WORDS = frozenset(
    {"gobierno", "oficina", "delegacion", "modulo", "censo", "ayuntamiento",
     "presidencia", "municipio", "dependencia", "funcionaria", "servidora",
     "burocrata", "empleado", "empleada", "trabaja", "trabajan", "bienestar",
     "dif", "catastro", "tesoreria", "sedatu", "diputado", "diputada",
     "ventanilla", "capturista", "censador", "censadora", "verificador",
     "verificadora", "inspector", "inspectora", "juez", "agencia", "tenencia",
     "civil", "inpi", "coordinacion", "municipal", "agente"}
)  # fmt: skip
"""Words that place a person in government, even unnamed ("el de la oficina")."""
NEIGHBOUR_WORDS = frozenset(
    {"vecino", "vecina", "vecinos", "comite", "organizacion", "asociacion",
     "despacho", "gestoria", "papeleria", "ciber", "tianguis", "compadre",
     "intermediario", "dirigente", "colonos", "ejido", "palancas", "contactos"}
)  # fmt: skip
"""Words that place a person outside government: neighbours, groups, shops."""
MONEY_WORDS = frozenset(
    {"_monto_", "_cuenta_", "dinero", "lana", "feria", "cuota", "cooperacion",
     "pesos", "%", "porciento", "porcentaje", "mordida", "moche", "gratificacion",
     "comision", "mitad", "propina", "refresco", "ayudadita", "regalito", "diezmo",
     "detallito", "apoyito", "mochada", "cervezas", "chesco", "cooperacha"}
)  # fmt: skip
"""Money, also as servants ask for it without naming it ("su refresco")."""
SOMETHING = re.compile(
    r"\b(?:le de|dar|darle|doy|di|diera|dieramos|daba|dejar|dejarle|deje|pase|pasara|"
    r"caigo|caiga|caia|pongo|ponga|ponia|pusiera|mochara|mocharamos|toca|tocaba)\b"
    r"(?: \S+){0,2} (?:algo|su parte|una parte|la mitad)\b"
)
"""Money asked for without a word for it: "si le doy algo", "le toca su parte"."""
POSING = re.compile(
    r"\b(?:dice|dicen|dijo|dijeron|diciendo|decia|presenta|presento|ostenta|"
    r"identifica|identifico|hablo|hablaron|llamo|llamaron|marco|"
    r"marcaron|escribio|hace pasar|hacen pasar)\b(?: \S+){0,3} "
    r"(?:es|era|son|eran|ser|como|por)\b(?: \S+){0,3} (?:conavi|programa|gobierno)\b"
)
"""Someone claiming to be CONAVI: "dice que es de conavi", "se hace pasar por"."""
DENIED = re.compile(
    r"\b(?:no|ni)(?: es| son| era| eran| trabaja| trabajan)?"
    r"(?: de| del| en| para| el| la| un| una){0,2} "
    r"(?:gobierno|municipio|ayuntamiento|presidencia|funcionari[oa]s?|"
    r"servidor(?:a|es)?|emplead[oa]s?|autoridad)\b"
)
"""A post the writer denies: "no es de gobierno", "ni del municipio".

"No es de conavi" is left out: a municipal servant is not CONAVI staff either.
"""
OFFER = re.compile(r"\b(?:por|con|sin) _monto_")
"""A price put on a favour: "por 2 mil te cambia", "con 500 lo libera"."""
NEGATIONS = frozenset({"no", "ni"})
PROGRAMMES = frozenset(
    {"banco", "vivienda", "casas", "pension", "tarjeta", "programa", "apoyos",
     "becas", "para"}
)  # fmt: skip
"""Words before "(del|el) bienestar" that make it a programme's name."""
NEIGHBOURS = (-1, 1, -2)
"""Where to look, in sentences from a request, for the person who made it."""
ASKING = re.compile(
    r"^(?:cobr|pid|pedi|pide|exig|solicit|quiere|dar|doy|di$|dimos|damos|demos|"
    r"dier|dab|dej|regres|aport|cooper|pagu|pagar|pagamos|deposite$|depositamos|"
    r"depositar)"
)
"""Someone asking for money or paying it.

Not "pago", "me depositaron" or "quiero": those speak of the subsidy itself or
of what the writer wants.
"""


def money_actors(doc: Doc) -> list[str]:
    """Markers such as ``_cobra_servidor_`` for each sentence about a payment.

    A sentence with money and a kind of person gets that person's marker
    ("la funcionaria dijo que con 2,000 lo liberaba"). A request that names
    nobody takes the person named in the sentences around it, as messages come
    in short lines; with nobody there either, it gets ``_cobra_alguien_``.
    """
    markers: list[str] = []
    all_norms = norms_of(doc)
    sentences = _sentences(doc)
    for index, sentence in enumerate(sentences):
        norms = all_norms[sentence.start : sentence.end]
        if not MONEY_WORDS.intersection(norms) and not SOMETHING.search(
            " ".join(norms)
        ):
            continue
        kinds = _kinds(doc, sentence.start_char, sentence.end_char, norms)
        if not kinds and _asks(norms):
            kinds = _neighbours_kinds(doc, sentences, index) or {"alguien"}
        markers += [f"_cobra_{kind}_" for kind in sorted(kinds)]
    if DENIED.search(" ".join(all_norms)):
        markers.append("_sin_cargo_")
    return markers


def _kinds(doc: Doc, start: int, end: int, norms: list[str]) -> set[str]:
    roles = {
        entity.value
        for entity in doc._.entities or ()
        if entity.label == "role"
        and start <= entity.start < end
        and not _after_negation(doc, entity.start)
    }
    held = _held(norms)
    kinds = set()
    if (
        roles & SERVANTS
        or OFFICE_WORDS.intersection(held)
        or {"conavi", "trabaja"} <= held
    ):
        kinds.add("servidor")
    if roles & BUILDERS:
        kinds.add("constructor")
    if roles & THIRD_PARTIES or NEIGHBOUR_WORDS.intersection(norms):
        kinds.add("tercero")
    if IMPOSTOR_WORDS.intersection(norms) or POSING.search(" ".join(norms)):
        kinds.add("impostor")
    return kinds


def _asks(norms: list[str]) -> bool:
    """Whether a sentence asks for money, pays it or puts a price on a favour."""
    return any(map(ASKING.match, norms)) or bool(OFFER.search(" ".join(norms)))


def _neighbours_kinds(doc: Doc, sentences: list[Span], index: int) -> set[str]:
    """Who is named in the sentences around a request that names nobody.

    Messages come in short lines: "el encargado del modulo" / "se llama Ruben" /
    "le cobra 100 a cada quien". The person is the nearest one named before the
    request, or else in the line right after it ("trabaja ahi, trae gafete").
    """
    for other in NEIGHBOURS:
        if 0 <= index + other < len(sentences):
            sentence = sentences[index + other]
            norms = norms_of(doc)[sentence.start : sentence.end]
            kinds = _kinds(doc, sentence.start_char, sentence.end_char, norms)
            if kinds:
                return kinds
    return set()


def _held(norms: list[str]) -> set[str]:
    """Words of a sentence with no "no" or "ni" among the three words before.

    "Bienestar" in the name of a programme or a bank ("vivienda para el
    bienestar", "banco del bienestar") places nobody in an office.
    """
    return {
        norm
        for index, norm in enumerate(norms)
        if NEGATIONS.isdisjoint(norms[max(0, index - 3) : index])
        and not (norm == "bienestar" and PROGRAMMES.intersection(norms[:index][-2:]))
    }


def _after_negation(doc: Doc, start_char: int) -> bool:
    """Whether "no" or "ni" is among the three words before a character offset."""
    token = doc.char_span(start_char, start_char + 1, alignment_mode="expand")
    if token is None:
        return False
    before = doc[max(0, token.start - 3) : token.start]
    return any(t.norm_ in NEGATIONS for t in before)


def _sentences(doc: Doc) -> list[Span]:
    """Sentences split at line breaks and end punctuation (no parser offline)."""
    words = doc._.words if doc._.words is not None else [t.text for t in doc]
    sentences, start = [], 0
    for index, word in enumerate(words):
        if word in (".", "?", "!", "\n") or "\n" in word:
            if index > start:
                sentences.append(doc[start:index])
            start = index + 1
    if start < len(doc):
        sentences.append(doc[start:])
    return sentences
