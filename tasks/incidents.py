"""Incidents: the reports of several people about one gestor, scam or chain.

Ten neighbours report the same gestor in their own words; two hundred
people forward the same scam. Reports are grouped (union-find) when

- their texts are copies (:mod:`tasks.dedup`): one sender re-sending, or
  two mergeable texts (fraud reports, forwarded chains) of different people
  whose identifying details do not contradict each other;
- or they are fraud reports or chains that name the same accused: the same
  phone number or account written in the text, the same person's name in
  the same place, or the same sum asked in the same municipality.

Phones in a text are the accused's: a report carries its writer only as a
pseudonym, never their number. Weak keys (a name or a sum with a place) link
reports only within a few weeks and only so many times, so that "5 mil in
Chiapas" cannot swallow a whole state. A phone, account or full name found
in several incidents is a *repeat actor*, listed with those incidents.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from classifiers.extract import Entity, extract_entities, fold
from tasks.dedup import (
    NearDuplicateIndex,
    TextItem,
    chain_cues,
    content_text,
    fraud_cues,
)

STRONG_WINDOW = timedelta(days=120)
"""A phone or account links reports this close; further apart, a new incident."""
WEAK_WINDOW = timedelta(days=30)
"""A name or a sum with a place links reports this close."""
WEAK_KEY_LIMIT = 25
"""Reports one weak key may link; beyond that it identifies nobody."""
BURST_GAP = timedelta(minutes=30)
"""One sender's messages this close together are one burst (one report)."""
KEY_MEMORY = 8
"""Latest reports remembered per key."""
COPY_COMPARISONS = 24
"""Near-duplicates of a new text in other groups compared with it, at most.

A common question ("requisitos para registrarme") is near-identical to
thousands of other people's; the most recent are enough to find the copy it
may be, and the cost per text stays flat as volume grows.
"""
MIN_AMOUNT = 100
"""Smaller sums identify nothing."""


def _words(block: str) -> frozenset[str]:
    """The words of a whitespace-separated block."""
    return frozenset(block.split())


# fmt: off
# Common Mexican given names and surnames, folded: in text typed all in
# lowercase (or capitals) they tell a name from an ordinary word.
GIVEN_NAMES = _words("""
juan jose luis carlos jesus miguel pedro francisco javier antonio alejandro manuel
ricardo roberto fernando jorge eduardo raul sergio mario arturo rafael daniel david
oscar alberto enrique martin hector ramon victor gerardo armando alfredo andres
rodolfo rogelio salvador guillermo ignacio joaquin gabriel ruben hugo ernesto gustavo
felipe ismael israel abel adrian agustin alfonso angel benito cesar cristian diego
efrain emilio esteban fabian federico felix gilberto gregorio heriberto humberto
jaime julio leonardo lorenzo marco marcos mauricio moises nicolas noe octavio omar
pablo ramiro rene rigoberto rolando saul samuel santiago teodoro tomas ulises vicente
chuy pancho pepe beto memo lalo paco nacho chava maria guadalupe lupita lupe rosa ana
juana margarita veronica patricia leticia elizabeth alejandra gabriela laura martha
marta sandra adriana silvia claudia teresa josefina yolanda norma araceli rocio monica
lucia carmen gloria angelica beatriz blanca brenda carolina cecilia diana dolores
elena esperanza eva fabiola gisela graciela irma isabel karla karina leonor lorena
luz marisol maribel mercedes miriam nancy olga paola raquel reyna reina rosario sofia
susana virginia viviana ximena yesenia estela alicia socorro concepcion conchita
catalina delia edith elsa erika griselda hilda ines jazmin julia liliana magdalena
marcela natalia noemi paula petra ramona refugio rebeca sara soledad tania victoria
candelaria amparo aurora adela chela lencho goyo toño tono
""")
SURNAMES = _words("""
hernandez garcia martinez lopez gonzalez perez rodriguez sanchez ramirez cruz flores
gomez morales vazquez reyes jimenez torres diaz gutierrez ruiz mendoza aguilar ortiz
moreno castillo romero alvarez mendez chavez rivera juarez ramos dominguez herrera
medina castro vargas guzman velazquez rojas salazar contreras luna ortega estrada
figueroa guerrero soto nunez rios cortes acosta espinoza espinosa campos vega
sandoval navarro carrillo leon cervantes delgado pena silva fuentes cabrera marquez
mejia nava rosas solis zamora mora ibarra lara bautista escobar tapia trejo miranda
cardenas villa salinas pacheco valdez valdes rangel calderon ochoa sosa padilla avila
alvarado montes zuniga bravo barrera osorio lozano pineda meza galvan velasco molina
robles cano beltran santos paredes jaimes arellano maldonado orozco rubio ponce
camacho serrano duran gallegos olvera hidalgo morelos ayala cisneros esquivel toledo
""")
# Words that end a name: articles, pronouns, common verbs...
FUNCTION_WORDS = _words("""
de del la las el los lo y e o u que quien a al en con por para se me nos le les su sus
mi mis tu es era fue son esta este ese esa eso aqui ahi alla aca dice dijo decia anda
andaba cobra cobro cobraba cobrando pide pidio pidiendo trabaja trabajaba vino viene
quiere queria tiene tenia hace hizo ya no si pero porque pq como cuando donde muy mas
todos todo toda nada un una uno otro otra tambien tmb solo nomas cual hay va dejo
hola gracias ok asi
""")
# ... and the institutions, channels and roles people name around them.
STOP_WORDS = FUNCTION_WORDS | _words("""
conavi infonavit fovissste gobierno bienestar programa vivienda municipio presidencia
delegacion ayuntamiento secretaria morena pri pan prd oxxo elektra coppel facebook
whatsapp internet banco numero telefono cel celular cuenta tarjeta gestor gestora
licenciado licenciada senor senora don dona lider promotor supervisor ingeniero
tecnico colonia comunidad casa lista apoyo dinero pesos mil
""")
TITLES = frozenset({
    "lic", "licenciado", "licenciada", "ing", "ingeniero", "ingeniera", "sr", "sra",
    "senor", "senora", "don", "dona", "profe", "profesor", "profesora", "dr", "dra",
    "doctor", "doctora", "c", "arq", "mtro", "mtra", "maestro", "maestra",
})
# Nicknames and the given name they stand for: "Chuy Ortega" is Jesús Ortega.
NICKNAMES = {
    "chuy": "jesus", "chucho": "jesus", "lupita": "guadalupe", "lupe": "guadalupe",
    "pancho": "francisco", "paco": "francisco", "pepe": "jose", "memo": "guillermo",
    "lalo": "eduardo", "nacho": "ignacio", "chava": "salvador", "chela": "graciela",
    "lencho": "lorenzo", "goyo": "gregorio", "tono": "antonio", "chente": "vicente",
    "lucha": "luz", "conchita": "concepcion", "quique": "enrique", "rafa": "rafael",
}
# fmt: on
NAME_WORDS = GIVEN_NAMES | SURNAMES | frozenset(NICKNAMES)

_ROLE = (
    r"senor|senora|sr|sra|don|dona|licenciad[oa]|lic|ingenier[oa]|inge?|gestora?"
    r"|coyot[ea]|lider|lideresa|profe|profesora?|maestr[oa]|arquitect[oa]|arq"
    r"|delegad[oa]|supervisora?|promotora?|funcionari[oa]|servidora?(?: publica?| de"
    r" la nacion)?|asistente(?: tecnic[oa])?|tecnic[oa]|comisariado|encargad[oa]"
    r"|contratista|regidora?|sindic[oa]|president[ea]|doctora?|dra?|tesorer[oa]"
    r"|agente municipal|albanil"
)
# What comes before a name: "un tal", "la licenciada", "se llama", "de nombre".
_NAME_CUE = re.compile(
    rf"(?<![a-z])(?:(?:un|una|el|la) tal|(?:el|la|al|del|denuncio al|a la) (?:{_ROLE})"
    rf"\.?,?|(?:senor|senora|sr|sra|don|dona|lic)\.?|se llama(?:ba)?"
    rf"|de nombre|llamad[oa]|(?:su )?nombre es|identifico como|fue (?:el|la)"
    rf"|todos (?:lo|la) conocen,? es|denuncio a|investigue a)(?![a-z])"
)
# After these, whatever word comes is a name: "un tal efren", "se llama chuy".
_STRONG_NAME_CUE = re.compile(
    r"(?<![a-z])(?:(?:un|una) tal|se llama(?:ba)?|de nombre|(?:su )?nombre es)"
    r"(?![a-z])"
)
# A name right after these is a street, school or neighbourhood's name.
_PLACE_BEFORE = re.compile(
    r"(?<![a-z])(?:colonia|col|calle|av|avenida|blvd|boulevard|municipio|escuela"
    r"|comunidad|barrio|fraccionamiento|fracc|ejido|unidad|privada|cerrada|mercado"
    r"|plaza|hospital|clinica|ciudad|villa|presa)\.? $"
)
# Who else is named: "la constructora X", "la pagina X", "el grupo X".
_ORGANISATION_CUE = re.compile(
    r"(?<![a-z])(?:constructora|empresa|pagina|perfil|grupo)(?: de (?:facebook|face"
    r"|whatsapp|whats))?(?: falso| falsa)?(?![a-z])"
)
_WEBSITE = re.compile(r"(?<![\w.-])(?:www\.)?([a-z0-9-]+(?:\.[a-z]{2,6}){1,2})(?!\w)")
_DOMAINS = ("com", "mx", "net", "org", "info", "site", "online", "gob")
_TOKEN = re.compile(r"[ \t'\"“”‘’(]+([^\W\d_]+)\.?")
_GIVEN_NAME = re.compile(
    r"(?<![a-z])(?:" + "|".join(sorted(GIVEN_NAMES | set(NICKNAMES))) + r")(?![a-z])"
)
_BEFORE_SURNAME = re.compile(
    r"(?<![a-z])[^\W\d_]{3,}( )(?:" + "|".join(sorted(SURNAMES)) + r")(?![a-z])"
)
_PLACE_CUE = re.compile(
    r"(?<![a-z])(?:(?:municipio|mpio|comunidad|colonia|col|localidad|ejido|pueblo"
    r"|poblado|rancheria|rancho|barrio|fraccionamiento|fracc|congregacion|ciudad|cd"
    r"|villa|alcaldia)\.?(?: de| del)?|(?:aqui|aca|alla|ahi) en|(?:soy|somos|vivo"
    r"|vivimos|paso|pasa|ocurrio|sucedio|anda|andan) (?:de|en))(?: (?:la|el|los|las))?"
    r"(?![a-z])"
)
# "en Tlapa, Guerrero": the words between "en"/"de" and a state; "en Tlapa".
_BEFORE_STATE = re.compile(r"(?<![a-z])(?:en|de) ((?:[a-z]+ ){0,3}[a-z]+),? *$")
_JOINERS = frozenset({"de", "del", "la", "las", "los"})
_EN_DE = re.compile(r"(?<![a-z])(?:en|de)(?= [^\W\d_])")


@dataclass(frozen=True, slots=True)
class Details:
    """What identifies the accused in one report.

    Names are tuples of folded words with nicknames spelled out; places are
    folded words; states are canonical names.
    """

    phones: frozenset[str] = frozenset()
    accounts: frozenset[str] = frozenset()
    websites: frozenset[str] = frozenset()
    names: tuple[tuple[str, ...], ...] = ()
    organisations: frozenset[str] = frozenset()
    municipalities: frozenset[str] = frozenset()
    states: frozenset[str] = frozenset()
    amounts: frozenset[int] = frozenset()
    roles: frozenset[str] = frozenset()

    def shares(self, other: Details) -> bool:
        """Whether the two share what identifies someone (a sum or a state won't)."""
        pairs = [
            (self.phones, other.phones),
            (self.accounts, other.accounts),
            (self.websites, other.websites),
            (self.organisations, other.organisations),
            (self.municipalities, other.municipalities),
        ]
        if any(mine & theirs for mine, theirs in pairs):
            return True
        return any(
            _same_person(mine, theirs) for mine in self.names for theirs in other.names
        )

    def contradicts(self, other: Details, level: str = "name") -> bool:
        """Whether the two name different accused.

        ``name``: different phones, accounts, web addresses, names or states.
        ``weak`` adds different towns; ``text`` (two similar texts) adds
        different sums and different builders or pages.
        """
        pairs = [
            (self.phones, other.phones),
            (self.accounts, other.accounts),
            (self.websites, other.websites),
            (self.states, other.states),
        ]
        if level in ("weak", "text"):
            pairs.append((self.municipalities, other.municipalities))
        if level == "text":
            pairs += [
                (self.amounts, other.amounts),
                (self.organisations, other.organisations),
            ]
        if any(mine and theirs and not mine & theirs for mine, theirs in pairs):
            return True
        return bool(self.names and other.names) and not any(
            _same_person(mine, theirs) for mine in self.names for theirs in other.names
        )


def _same_person(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    """Whether two names may be one person: same key, or one word of the other."""
    if first == second or name_key(first) == name_key(second) is not None:
        return True
    shorter, longer = sorted((first, second), key=len)
    return len(shorter) == 1 and shorter[0] in longer


def name_key(name: tuple[str, ...]) -> str | None:
    """Given name and first surname: "rosa maria vargas" -> "rosa vargas".

    None without a surname: "Jesús María" is as often a town as a person.
    """
    surnames = [word for word in name[1:] if word not in GIVEN_NAMES]
    return " ".join(name[:1] + tuple(surnames[:1])) if surnames else None


def names_in(text: str) -> list[tuple[str, ...]]:
    """Names of people: after "un tal", "la licenciada", "se llama"..., or a
    given name followed by a surname anywhere ("Rogelio Mendoza").

    A name is its folded words, nicknames spelled out ("Chuy Ortega" ->
    ("jesus", "ortega")). In text typed all in one case only common given
    names and surnames count, as capitals tell nothing there.
    """
    text = " " + text  # every word then has a separator before it
    folded = fold(text)
    cased = _is_cased(text)
    starts = [(cue.end(), 1) for cue in _NAME_CUE.finditer(folded)]
    strong = {cue.end() for cue in _STRONG_NAME_CUE.finditer(folded)}
    starts += [(position, 1) for position in strong]
    starts += [
        (match.start() - 1, 2)  # a bare name needs a surname too
        for match in _GIVEN_NAME.finditer(folded)
        if not cased or text[match.start()].isupper()
    ]
    if cased:  # "Efrén Castillo": a capitalised word before a known surname
        starts += [
            (match.start() - 1, 2)
            for match in _BEFORE_SURNAME.finditer(folded)
            if text[match.start()].isupper() and text[match.end(1)].isupper()
        ]
    names: list[tuple[str, ...]] = []
    taken: set[int] = set()
    for position, least in sorted(starts):
        if _PLACE_BEFORE.search(folded, max(0, position - 16), position + 1):
            continue  # "colonia Benito Juarez" is a place
        words, spans = _name_from(text, folded, position, cased, position in strong)
        if len(words) >= least and not taken.intersection(spans):
            taken.update(spans)
            if tuple(words) not in names:
                names.append(tuple(words))
    return names


def _name_from(
    text: str, folded: str, position: int, cased: bool, anything: bool = False
) -> tuple[list[str], list[int]]:
    """The words of a name starting after ``position``, and where they start.

    After "un tal" or "se llama" (``anything``) any word but a stop word is
    a name; elsewhere it must be capitalised, or a known name.
    """
    words: list[str] = []
    spans: list[int] = []
    while len(words) < 3 and (token := _TOKEN.match(folded, position)):
        word = token.group(1)
        position = token.end()
        if not words and word in TITLES:
            continue
        capital = cased and text[token.start(1)].isupper()
        # After "se llama" the first two words are the name whatever they are;
        # a third must look like one ("se llama pancho lopez tenemos miedo").
        known = capital or word in NAME_WORDS or (anything and len(words) < 2)
        if word in STOP_WORDS or len(word) < 2 or not known:
            break
        words.append(NICKNAMES.get(word, word))
        spans.append(token.start(1))
        if token.group(0).endswith("."):
            break  # "se llama Jorge Mendoza. Tenemos miedo": the sentence ended
    return words, spans


def _is_cased(text: str) -> bool:
    """Whether the writer uses capitals (neither all lower nor all upper case)."""
    return text.lower() != text and text.upper() != text


def organisations_in(text: str) -> list[str]:
    """Builders, pages, profiles and groups by name: "la constructora Edifica Sur".

    The name must be capitalised or quoted: "la constructora pone lonas" names
    no one.
    """
    text = " " + text
    folded = fold(text)
    cased = _is_cased(text)
    found = []
    for cue in _ORGANISATION_CUE.finditer(folded):
        following = _TOKEN.match(folded, cue.end())
        if following is None:
            continue
        quoted = any(mark in following.group(0) for mark in "'\"“")
        capital = cased and text[following.start(1)].isupper()
        if not (quoted or capital):
            continue  # only a capitalised or quoted name is a name
        words = _words_from(
            folded, cue.end(), limit=2, stop_words=FUNCTION_WORDS, skip_joiners=True
        )
        if words and words not in found:
            found.append(words)
    return found


def websites_in(text: str) -> list[str]:
    """Web addresses written in a text, without "www.": "conavi-registro.com"."""
    found = []
    for match in _WEBSITE.finditer(fold(text)):
        site = match.group(1)
        if site.rsplit(".", 1)[-1] in _DOMAINS and site not in found:
            found.append(site)
    return found


def places_in(text: str, entities: Sequence[Entity] = ()) -> list[str]:
    """Towns and neighbourhoods: "comunidad de X", "aqui en X", "en X, <state>"."""
    text = " " + text  # offsets of ``entities`` move by one
    folded = fold(text)
    states = {e.start + 1 for e in entities if e.label == "state"}
    starts = [cue.end() for cue in _PLACE_CUE.finditer(folded)]
    for start in sorted(states):
        before = _BEFORE_STATE.search(folded, 0, start)
        if before:
            starts.append(before.start(1) - 1)
    if _is_cased(text):  # "en Tlapa", "de Ocosingo": a capitalised word
        starts += [
            match.end()
            for match in _EN_DE.finditer(folded)
            if text[match.end() + 1].isupper()
            and folded[match.end() + 1 :].split(" ", 1)[0] not in GIVEN_NAMES
        ]
    found: list[str] = []
    for start in starts:
        place = _words_from(folded, start, limit=2, stops=states)
        if place and place not in found:
            found.append(place)
    return found


def _words_from(
    folded: str,
    position: int,
    limit: int,
    stops: set[int] | frozenset[int] = frozenset(),
    stop_words: frozenset[str] = STOP_WORDS,
    skip_joiners: bool = False,
) -> str:
    """Up to ``limit`` words after ``position``, skipping "de", "del", "la"...

    "Cimientos del Sur" gives "cimientos sur": two content words are enough
    to tell one name from another and survive how people shorten it.
    """
    words: list[str] = []
    while len(words) < limit and (token := _TOKEN.match(folded, position)):
        word = token.group(1)
        position = token.end()
        if skip_joiners and words and word in _JOINERS:
            continue
        if token.start(1) in stops or len(word) < 2 or word in stop_words:
            break
        words.append(word)
    return " ".join(words)


def details_of(text: str, entities: Sequence[Entity] | None = None) -> Details:
    """The identifying details of a report's text."""
    if entities is None:
        entities = extract_entities(text)
    phones, accounts, amounts, states, roles = set(), set(), set(), set(), set()
    for entity in entities:
        value = entity.value
        if entity.label in ("phone", "account", "clabe", "card"):
            digits = str(value)
            if entity.label == "phone" or len(digits) == 10:
                phones.add(digits[-10:])
            elif len(digits) >= 8:
                accounts.add(digits)
        elif entity.label == "amount" and isinstance(value, int):
            if value >= MIN_AMOUNT:
                amounts.add(value)
        elif entity.label == "state":
            states.add(str(value))
        elif entity.label == "role":
            roles.add(str(value))
    return Details(
        phones=frozenset(phones),
        accounts=frozenset(accounts),
        websites=frozenset(websites_in(text)),
        names=tuple(names_in(text)),
        organisations=frozenset(organisations_in(text)),
        municipalities=frozenset(places_in(text, entities)),
        states=frozenset(states),
        amounts=frozenset(amounts),
        roles=frozenset(roles),
    )


def link_keys(details: Details) -> list[tuple[str, str]]:
    """``(key, level)`` pairs that link reports naming the same accused.

    ``strong`` keys (phone, account, web address) link on their own. ``name``
    keys (a person's name and surname, a builder's or page's name) link
    unless :meth:`Details.contradicts` at that level. ``weak`` keys (a sum
    and a town, a sum with a state and a role, a first name and a town)
    link only close in time, a limited number of times.
    """
    keys = [(f"tel:{phone}", "strong") for phone in sorted(details.phones)]
    keys += [(f"cta:{account}", "strong") for account in sorted(details.accounts)]
    keys += [(f"web:{site}", "strong") for site in sorted(details.websites)]
    keys += [(f"org:{org}", "name") for org in sorted(details.organisations)]
    towns = sorted(details.municipalities)
    for name in details.names:
        key = name_key(name)
        if key is not None:
            keys.append((f"nombre:{key}", "name"))
        else:
            keys += [(f"nombre:{' '.join(name)}@{town}", "weak") for town in towns]
    for amount in sorted(details.amounts):
        keys += [(f"monto:{amount}@{town}", "weak") for town in towns]
        keys += [
            (f"monto:{amount}@{state}+{role}", "weak")
            for state in sorted(details.states)
            for role in sorted(details.roles)
        ]
    return keys


def actor_keys(details: Details) -> list[str]:
    """Who is accused, wherever: phones, accounts, web addresses, full names."""
    actors = [f"tel:{phone}" for phone in sorted(details.phones)]
    actors += [f"cta:{account}" for account in sorted(details.accounts)]
    actors += [f"web:{site}" for site in sorted(details.websites)]
    actors += [f"nombre:{key}" for n in details.names if (key := name_key(n))]
    return actors


@dataclass(slots=True)
class Report:
    """A message to group, with what the pipeline knows about it."""

    id: str
    text: str
    sender: str = ""  # pseudonym of the writer; empty when unknown
    sent_at: datetime | None = None
    fraud: Sequence[str] | None = None  # fraud labels; None: read cues in the text
    forwarded: bool | None = None  # WhatsApp's mark; None: read cues in the text
    entities: list[Entity] | None = None  # extracted from the text when None
    content: str | None = None  # content_text(text), when the caller has it
    details: Details | None = None  # details_of(text, entities), when known
    together: str | None = None  # reports with the same value are one group already


@dataclass
class Grouping:
    """Groups of reports: copies of one text or reports of one incident."""

    ids: list[str]
    groups: list[str]  # group id of each report, in input order
    earliest: list[int]  # input index of each report's group's earliest report
    repeat_actors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def duplicate_of(self) -> list[str | None]:
        """The id of the group's earliest report, None for that report itself."""
        return [
            None if first == index else self.ids[first]
            for index, first in enumerate(self.earliest)
        ]

    def members(self) -> dict[str, list[str]]:
        """Report ids per group, groups of two or more only."""
        members: dict[str, list[str]] = defaultdict(list)
        for report_id, group in zip(self.ids, self.groups, strict=True):
            members[group].append(report_id)
        return {group: ids for group, ids in members.items() if len(ids) > 1}


@dataclass(slots=True)
class _Entry:
    """A report being grouped, with what is read from its text once."""

    report: Report
    content: str
    moment: float | None  # epoch seconds
    fraud: bool
    forwarded: bool
    eligible: bool = False  # fraud or forwarded: may join other senders' reports
    details: Details = field(default_factory=Details)


class _UnionFind:
    """Disjoint sets over 0..n-1 with path halving and union by size."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))
        self.size = [1] * size

    def find(self, item: int) -> int:
        parent = self.parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, first: int, second: int) -> None:
        first, second = self.find(first), self.find(second)
        if first == second:
            return
        if self.size[first] < self.size[second]:
            first, second = second, first
        self.parent[second] = first
        self.size[first] += self.size[second]


def group_reports(
    reports: Sequence[Report], copies: Sequence[Sequence[int]] | None = None
) -> Grouping:
    """Group reports that are copies or tell of the same incident.

    Reports are taken in time order (``sent_at``, then input order); the
    earliest of a group is the one the others are duplicates of. A caller
    that keeps its own :class:`NearDuplicateIndex` passes ``copies``: for
    each report, the input indexes of the reports its text is a copy of.
    The texts are then not signed and compared again here.
    """
    order = sorted(range(len(reports)), key=lambda i: (_moment_key(reports[i]), i))
    entries = [_entry(reports[index]) for index in order]
    sets = _UnionFind(len(entries))

    _link_known(entries, sets)
    _link_bursts(entries, sets)
    for entry in entries:
        entry.eligible = entry.fraud or entry.forwarded
        if entry.eligible:
            entry.details = entry.report.details or details_of(
                entry.report.text, entry.report.entities
            )
    if copies is None:
        _link_copies(entries, sets)
    else:
        _link_given_copies(entries, sets, order, copies)
    _link_details(entries, sets)

    roots = [0] * len(reports)
    for rank, index in enumerate(order):
        roots[index] = sets.find(rank)
    names: dict[int, str] = {}
    for root in roots:  # group ids in order of first appearance in the input
        names.setdefault(root, f"G{len(names) + 1:06d}")
    earliest: dict[int, int] = {}
    for index in order:  # in time order, the first report seen is the earliest
        earliest.setdefault(roots[index], index)
    return Grouping(
        ids=[report.id for report in reports],
        groups=[names[root] for root in roots],
        earliest=[earliest[root] for root in roots],
        repeat_actors=_repeat_actors(entries, sets, names),
    )


def _entry(report: Report) -> _Entry:
    """Read a report's content, time and cues once."""
    content = report.content
    if content is None:
        content = content_text(report.text)
    fraud = fraud_cues(content) if report.fraud is None else bool(report.fraud)
    forwarded = chain_cues(content) if report.forwarded is None else report.forwarded
    sent_at = report.sent_at
    if sent_at is not None and sent_at.tzinfo is None:
        sent_at = sent_at.replace(tzinfo=UTC)
    moment = None if sent_at is None else sent_at.timestamp()
    return _Entry(report, content, moment, fraud, forwarded)


def _moment_key(report: Report) -> tuple[bool, float]:
    """Sort key: reports without a time come after the others."""
    sent_at = report.sent_at
    if sent_at is None:
        return (True, 0.0)
    if sent_at.tzinfo is None:
        sent_at = sent_at.replace(tzinfo=UTC)
    return (False, sent_at.timestamp())


def _link_known(entries: list[_Entry], sets: _UnionFind) -> None:
    """Join the reports already known to be together (an incident's cases).

    Copies among them are then never compared again, only with the others.
    """
    first: dict[str, int] = {}
    for rank, entry in enumerate(entries):
        if entry.report.together is not None:
            sets.union(first.setdefault(entry.report.together, rank), rank)


def _link_bursts(entries: list[_Entry], sets: _UnionFind) -> None:
    """Join the messages of one sender's fraud report, sent in a burst.

    People split a denuncia: "el gestor juan perez" / "nos cobro 3 mil" /
    "su numero es ...". The pieces that say something (not "hola", not
    "gracias") of a burst with fraud in any piece are one report, all fraud.
    """
    last_seen: dict[str, tuple[float, list[int]]] = {}
    bursts: list[list[int]] = []
    for rank, entry in enumerate(entries):
        sender = entry.report.sender
        if not sender or entry.moment is None or not entry.content:
            continue
        previous = last_seen.get(sender)
        if previous is None or entry.moment - previous[0] > BURST_GAP.total_seconds():
            previous = (entry.moment, [])
            bursts.append(previous[1])
        previous[1].append(rank)
        last_seen[sender] = (entry.moment, previous[1])
    for burst in bursts:
        if len(burst) > 1 and any(entries[rank].fraud for rank in burst):
            for rank in burst:
                sets.union(burst[0], rank)
                entries[rank].fraud = True


def _link_copies(entries: list[_Entry], sets: _UnionFind) -> None:
    """Join near-duplicate texts (see :func:`_copies`)."""
    index = NearDuplicateIndex()
    batch = 20_000  # bounds the candidate arrays of one query
    for start in range(0, len(entries), batch):
        chunk = entries[start : start + batch]
        items = [
            TextItem(e.report.id, e.report.text, e.report.sender, e.forwarded, e.fraud)
            for e in chunk
        ]
        found = index.query_and_add_positions(items, [e.content for e in chunk])
        for rank, earlier in enumerate(found, start):
            _join_copies(entries, sets, rank, earlier)


def _link_given_copies(
    entries: list[_Entry],
    sets: _UnionFind,
    order: list[int],
    copies: Sequence[Sequence[int]],
) -> None:
    """Join the near-duplicates the caller found, as :func:`_link_copies` would."""
    rank_of = {index: rank for rank, index in enumerate(order)}
    earlier: list[list[int]] = [[] for _ in entries]
    for index, others in enumerate(copies):
        for other in others:
            first, second = sorted((rank_of[index], rank_of[other]))
            if first != second:
                earlier[second].append(first)
    for rank, candidates in enumerate(earlier):
        if candidates:
            _join_copies(entries, sets, rank, candidates)


def _join_copies(
    entries: list[_Entry], sets: _UnionFind, rank: int, earlier: list[int]
) -> None:
    """Join a report with the near-duplicates before it that are its copies."""
    compared = 0
    for old in sorted(earlier, reverse=True):  # the most recent first
        if sets.find(rank) == sets.find(old):
            continue
        if _copies(entries[rank], entries[old]):
            sets.union(rank, old)
        compared += 1
        if compared == COPY_COMPARISONS:
            break


def _copies(later: _Entry, earlier: _Entry) -> bool:
    """Whether two near-duplicate texts are one report, re-sent or forwarded.

    One sender's copies always are. Across senders, details must not
    differ; and two fraud reports that are not forwarded chains must also
    share what identifies someone: "vengo a denunciar a un gestor" is written
    alike by people who report different gestores.
    """
    sender = later.report.sender
    if sender and sender == earlier.report.sender:
        return True
    if later.details.contradicts(earlier.details, "text"):
        return False
    both_forwarded = later.forwarded and earlier.forwarded
    return both_forwarded or later.details.shares(earlier.details)


def _link_details(entries: list[_Entry], sets: _UnionFind) -> None:
    """Join eligible reports that name the same accused (see :func:`link_keys`)."""
    recent: dict[str, deque[int]] = defaultdict(lambda: deque(maxlen=KEY_MEMORY))
    uses: dict[str, int] = defaultdict(int)
    for rank, entry in enumerate(entries):
        if not entry.eligible:
            continue
        for key, level in link_keys(entry.details):
            if level == "weak":
                uses[key] += 1
                if uses[key] > WEAK_KEY_LIMIT:
                    continue
            window = WEAK_WINDOW if level == "weak" else STRONG_WINDOW
            for old in reversed(recent[key]):
                if not _within(entries[old], entry, window):
                    break
                if level == "strong" or not entry.details.contradicts(
                    entries[old].details, level
                ):
                    sets.union(rank, old)
                    break
            recent[key].append(rank)


def _within(earlier: _Entry, later: _Entry, window: timedelta) -> bool:
    """Whether two reports are close enough in time (unknown times always are)."""
    if earlier.moment is None or later.moment is None:
        return True
    return later.moment - earlier.moment <= window.total_seconds()


def _repeat_actors(
    entries: list[_Entry], sets: _UnionFind, names: dict[int, str]
) -> dict[str, list[str]]:
    """Phones, accounts, web addresses and names found in two incidents or more."""
    incidents: dict[str, set[str]] = defaultdict(set)
    for rank, entry in enumerate(entries):
        for actor in actor_keys(entry.details):
            incidents[actor].add(names[sets.find(rank)])
    return {
        actor: sorted(groups)
        for actor, groups in sorted(incidents.items())
        if len(groups) > 1
    }


def report_from_mapping(item: Mapping[str, Any]) -> Report:
    """A report from a `vigia classify`-style dict (``id``, ``text``, ...).

    ``sent_at`` is ISO 8601 or epoch seconds. ``fraud`` (labels, or a bool)
    and ``forwarded`` are optional; when missing they are read from the text.
    """
    fraud = item.get("fraud")
    if isinstance(fraud, bool | str):
        fraud = ["unspecified"] if fraud else []
    forwarded = item.get("forwarded")
    return Report(
        id=str(item["id"]),
        text=item.get("text") or "",
        sender=str(item.get("sender") or ""),
        sent_at=_parse_moment(item.get("sent_at")),
        fraud=None if fraud is None else list(fraud),
        forwarded=None if forwarded is None else bool(forwarded),
    )


def _parse_moment(value: Any) -> datetime | None:
    """A datetime from ISO 8601 text ("Z" allowed) or epoch seconds."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, tz=UTC)
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def dedup_items(items: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Group items: ``{"id", "group", "duplicate_of"}`` per item, in input order.

    Items are dicts as `vigia classify` reads them (``id``, ``text``, and
    optionally ``channel``, ``sender``, ``sent_at``, ``fraud``,
    ``forwarded``). Items sharing a ``group`` are copies or reports of one
    incident; ``duplicate_of`` is the id of the group's earliest item (by
    ``sent_at``, then input order), null for that item and for items alone.
    """
    items = list(items)
    grouping = group_reports([report_from_mapping(item) for item in items])
    return [
        {
            "id": item["id"],
            "group": group,
            "duplicate_of": None if first == index else items[first]["id"],
        }
        for index, (item, group, first) in enumerate(
            zip(items, grouping.groups, grouping.earliest, strict=True)
        )
    ]
