"""Evidence phrases for each fraud signal, as people write them.

Patterns read normalised tokens (see :mod:`classifiers.normalize`), so "q",
"k" and "que" are one word and accents do not matter. Money, phone numbers
and accounts are already one placeholder token each (``_monto_``,
``_telefono_``, ``_cuenta_``). A pattern is a line of tokens:

- ``cobro|cobraron`` any of these words; ``cobr*`` any word starting so;
- ``~3`` up to three words of anything; ``?de`` an optional word.

A phrase right after a negation ("no me cobraron nada", "nadie nos pidio
dinero") is not evidence.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

FRAUD_LABELS = (
    "cobro_indebido",
    "soborno",
    "suplantacion",
    "condicionamiento",
    "desvio_obra",
)

MONEY = "_monto_|dinero|lana|feria|cuota|cooperacion|cooperacha|pesos|varo|dinerito"
ASK = "cobr*|pid*|pedi*|pide*|exig*|quier*|solicit*"
GAVE = (
    "di|dimos|dio|dieron|doy|damos|dar|darle|darles|pague|pagamos|pago|pagaron|"
    "deposite|depositamos|entregamos"
)
SERVANT = (
    "servidor|servidora|servidores|funcionario|funcionaria|funcionarios|delegado|"
    "delegada|supervisor|supervisora|presidente|presidenta|regidor|regidora|"
    "sindico|sindica|enlace|promotor|promotora|burocrata|empleado|empleada|"
    "tesorero|tesorera|tesoreria|oficina|ayuntamiento|municipio|presidencia"
)
THIRD_PARTY = (
    "gestor|gestora|gestores|coyote|coyotes|coyota|lider|lideresa|lideres|comisariado|"
    "comisario|señor|señora|senor|senora|muchacho|muchacha|joven|tipo|vecino|vecina|"
    "coordinador|coordinadora|representante|organizacion|pastor|padre|comite|"
    "intermediario|intermediaria|conocido|conocida"
)
BUILDER = (
    "asistente|tecnico|tecnica|ingeniero|ingeniera|arquitecto|arquitecta|constructora|"
    "constructor|albañil|albañiles|maestro|contratista|residente|trabajadores"
)
PROCEDURE = (
    "lista|listas|padron|registr*|apunt*|inscrib*|meter*|entrar|papeles|papeleria|"
    "tramite*|folio|censo|acomodar|agilizar|adelantar|apartar|asegurar|lugar|"
    "formato|formatos|solicitud|expediente|constancia"
)
OFFICIAL = (
    "licenciado|licenciada|lic|encargado|encargada|director|directora|agente|juez|"
    "verificador|verificadora|cajero|cajera|jefe|jefa|modulo|delegacion|censo"
)
"""People placed in an office by their title or post, as beneficiaries name them."""
HANDOVER = (
    "dar|darle|diera|dieramos|daba|doy|de|den|demos|pase|pasara|pasaba|deje|"
    "dejar|dejamos|dejara|llevara|llevaba|entregara|entregaba|toca|corresponde"
)
INDIRECT = (
    "algo|parte|propina|refresco|chesco|cafe|tacos|ayudadita|regalito|regalo|"
    "diezmo|comision|agradecimiento|atencion|gratificacion|mitad|%|porciento|ciento"
)
"""How servants ask for a bribe without naming money ("si le doy algo")."""
RELEASE = "liberar|soltar|bajar|agilizar|acelerar|apurar|adelantar|aprobar|autorizar"
QUICKLY = (
    f"{RELEASE}|rapido|pronto|primero|salir|sali|saliera|pasa|pasaba|arregla|"
    "arreglaba|arreglo|consigue|conseguia|mete|metia|aprueba|aprobaba|mueve|movia|"
    "destraba|destrababa|resuelve|resolvia|sube|subia"
)
"""What a price buys when someone offers to move a case along ("por 500 te paso")."""
LIST = "lista|padron|programa|censo|registro|apoyo|subsidio"
POLITICS = (
    "votar|voten|vote|votemos|votamos|voto|votos|votaran|mitin|mitines|marcha|"
    "campaña|candidato|candidata|partido|casilla|casillas|eleccion|elecciones|"
    "afiliar|afiliarse|afiliarnos|afiliacion|morena|pri|pan|prd|pvem|mc|"
    "politico|politica|acarreo|acarreados"
)
REMOVE = "quitan|quitar|quitaran|quitamos|sacan|sacar|sacaran|borran|borrar|bajan"
WORKS = (
    "material|materiales|cemento|block|varilla|lamina|laminas|tinaco|acabados|"
    "instalacion|flete|mano|obra|terminar|enjarre|piso|techo|ventanas|puertas|bano"
)
# fmt: off
PATTERNS: dict[str, tuple[str, ...]] = {
    "cobro_indebido": (
        f"{THIRD_PARTY} ~6 {ASK}|{GAVE} ~4 {MONEY}",
        f"{GAVE} ~3 {MONEY} ~3 al|a ~1 la|el ~1 {THIRD_PARTY}",
        f"{GAVE} ~3 {MONEY} ~3 al|a ?un|una|su|mi ~1 {THIRD_PARTY}",
        f"{GAVE} ~1 al|a ~2 {THIRD_PARTY} ~4 para|por|pa ~3 {PROCEDURE}|{QUICKLY}",
        f"{THIRD_PARTY} ~8 por|con {MONEY} ~6 {PROCEDURE}|{QUICKLY}",
        f"{THIRD_PARTY} ~8 {ASK} ~3 %|porciento|porcentaje|parte|mitad|comision",
        f"{MONEY} ~5 para|por ~3 {PROCEDURE}",
        f"{ASK}|{GAVE} ~3 {MONEY} ~6 {PROCEDURE}",
        f"{PROCEDURE} ~5 {ASK} ~3 {MONEY}",
        "cuota|cuotas|cooperacion|cooperacha|cooperar",
        f"para|por ~2 {RELEASE} ~3 {MONEY}",
        "vende|vender|venden|vendio|compra|comprar|compro "
        "~3 lugar|lugares|folio|folios",
        f"hay|tenemos|tiene|tienen|debemos ~2 dar|pagar "
        f"~3 {MONEY} ~4 {THIRD_PARTY}",
    ),
    "soborno": (
        "moche|moches|mordida|soborno|sobornar|tajada|cochupo",
        f"{SERVANT} ~8 {ASK} ~4 {MONEY}|%|porciento|porcentaje|parte|mitad|comision",
        f"{SERVANT} ~8 {MONEY}",
        f"{SERVANT} ~8 {ASK}|{GAVE} ~6 %|porciento|porcentaje|gratificacion|regalo",
        f"{ASK}|{GAVE} ~4 %|porciento|porcentaje|gratificacion ~8 {SERVANT}",
        f"trabaja|trabajan ~3 en ~2 ayuntamiento|municipio|presidencia|gobierno|conavi "
        f"~6 {MONEY}",
        "%|porciento|porcentaje ~3 de ~2 lo que|apoyo|subsidio|deposit*|pago",
        f"{GAVE} ~3 {MONEY} ~3 al|a ~1 la|el ~1 {SERVANT}",
        "parte|mitad ~3 del ~2 apoyo|subsidio|deposito|pago",
        f"{SERVANT}|{OFFICIAL} ~8 {ASK}|{HANDOVER} ~3 {INDIRECT}",
        f"{ASK}|{HANDOVER} ~3 {INDIRECT} ~4 al|a ~1 la|el ~1 {SERVANT}|{OFFICIAL}",
        f"{SERVANT}|{OFFICIAL} ~8 por|con {MONEY} ~6 {QUICKLY}",
    ),
    "suplantacion": (
        "sorteado|sorteada|sorteados|sorteo|rifa|ganador|ganadora|ganaste|gano",
        "seleccionado|seleccionada|beneficiado|beneficiada "
        "~4 deposit*|pag*|oxxo|_monto_",
        "felicidades|felicitaciones ~6 apoyo|credito|subsidio|casa|vivienda",
        "oxxo|elektra|spin|transferencia|transferir",
        "deposit* ~4 para ~2 liberar|apartar|asegurar|recibir|activar|tramite|cobrar",
        "deposit* ~3 a ~2 la ~1 cuenta|tarjeta|_cuenta_",
        "pagina|perfil|numero|cuenta|grupo|facebook|whatsapp "
        "~2 falso|falsa|falsos|patito",
        "haciendose|hacen|hace ~1 pasar",
        "dicen|dice|decia|dijeron ~2 ser ~2 de ~1 conavi",
        "a nombre de ~1 conavi",
        "link|liga|http|https|www|bit",
        "un|este|ese|siguiente|al|clic|click|abrir|abre|abri|ingresa|ingrese|entrar|"
        "entra|compartieron|compartio|mandaron|mando ~2 enlace",
        f"{ASK} ~4 ine|curp|credencial|nip|clabe|contraseña|datos|foto|fotos|_cuenta_",
        "es ~1 verdad|real|cierto|fraude|estafa|confiable|oficial",
        "estafa|fraude|estafadores|estafador|engaño|enganar|engañar",
        "credito|apoyo ~3 inmediato|aprobado ~4 deposit*|pag*|_monto_",
        "_cuenta_",
    ),
    "condicionamiento": (
        POLITICS,
        "si no ~3 vas|van|vamos|votas|votan|asistes|asisten|vienes|vienen|apoyas|"
        f"jalas|participas ~6 {REMOVE}|pierdes|pierden|perder",
        f"{REMOVE} ~2 del ~1 {LIST}|apoyo",
        "condicion|condicionan|condicionando|condiciona|condicionado|condicionaron",
        "reunion|reuniones|junta|juntas|asamblea|evento|eventos "
        "~3 del|de ~1 partido|grupo|lider",
        "tienen|tenemos|tiene|hay ~2 que ~1 ir|asistir|ir a "
        "~3 reunion|evento|mitin|marcha",
        "credencial ~2 de ~1 elector|votar ~3 foto|copia|pidi*|piden",
        "a cambio ~1 de",
        "favor|favores ~2 sexual*|personal*",
    ),
    "desvio_obra": (
        "material|materiales|cemento|block|blocks|varilla|laminas|lamina|tinaco|bultos "
        "~4 no ~2 llego|llegaron|entregaron|dieron|completo|completos",
        "material|materiales|cemento|varilla|laminas|bultos "
        "~3 incompleto|incompletos|faltan|falto|faltante|menos",
        "solo|nomas ~2 llego|llegaron|entregaron|dieron|trajeron "
        "~4 de ~2 los|las",
        "firmar|firmamos|firme|firmaron|firmara|firmo "
        "~6 terminad*|concluid*|lista|listo|entregad*|recibid*|completo|acabad*",
        "hicieron|hizo|obligaron|obligo|pusieron ~2 firmar",
        "vendi*|vende|revend*|llevo|llevaron|robo|robaron|robaran|quedo "
        "~3 el|los|las|con ~1 material*|cemento|varilla|laminas|block|tinaco",
        f"{BUILDER} ~6 {ASK} ~4 {MONEY}",
        f"{ASK} ~4 {MONEY} ~6 {WORKS}",
        f"{ASK} ~3 extra|adicional|mas|aparte ~3 {MONEY}",
        f"{MONEY} ~2 extra|adicional|adicionales|aparte|mas",
        "cobr* ~3 extra|adicional|aparte|demas",
        "obra|casa|cuarto|bano|techo ~3 pagad*|cobrad* ~4 no|nunca|sin",
        "no|nunca ~2 hicieron|construyeron|terminaron|acabaron "
        "~3 nada|obra|casa|cuarto",
        "desvio|desviaron|desviando|desvian|abandonad*|abandonaron",
        "menos|menor ~2 material|bultos|cemento|varilla|de lo",
        "casa|casas|obra|obras ~1 fantasma|fantasmas",
    ),
}
# fmt: on

NEGATIONS = frozenset({"no", "nunca", "nadie", "ni", "jamas", "tampoco", "sin"})
NEGATION_WINDOW = 3


@dataclass(frozen=True, slots=True)
class _Pattern:
    """One compiled pattern line and the tokens it cannot match without.

    Each requirement is the set of words, and of prefixes written ``cobr*``,
    of which a text must hold at least one.
    """

    label: str
    matcher: Matcher
    requirements: tuple[frozenset[str], ...]

    def possible(self, present: set[str]) -> bool:
        return all(not options.isdisjoint(present) for options in self.requirements)


class EvidenceMatcher:
    """Every evidence pattern, each in a spaCy Matcher of its own.

    A Matcher costs time for every pattern at every token, and most messages
    could not match most patterns (they lack a required word). So a pattern
    runs only on texts holding one of the words of each of its required
    tokens: the same matches, several times faster.
    """

    def __init__(self, vocab: Vocab) -> None:
        self.patterns: list[_Pattern] = []
        for label, lines in PATTERNS.items():
            for line in lines:
                matcher = Matcher(vocab)
                matcher.add(label, [compile_pattern(line)])
                self.patterns.append(_Pattern(label, matcher, _requirements(line)))
        # Each pattern is filed under the options of its narrowest required
        # token, so a text looks only at the patterns one of its words can open.
        self.index: dict[str, list[int]] = {}
        for number, pattern in enumerate(self.patterns):
            for option in min(pattern.requirements, key=len):
                self.index.setdefault(option, []).append(number)
        self.prefixes = tuple(
            sorted(
                {
                    option[:-1]
                    for pattern in self.patterns
                    for options in pattern.requirements
                    for option in options
                    if option.endswith("*")
                }
            )
        )
        self._prefix_cache: dict[str, frozenset[str]] = {}

    def __call__(self, doc: Doc) -> list[Span]:
        """The non-negated evidence spans of a document."""
        sequence = norms_of(doc)
        present = set(sequence)
        present.update(*(self._prefixes_of(norm) for norm in set(sequence)))
        candidates = {n for word in present for n in self.index.get(word, ())}
        spans: list[Span] = []
        for pattern in (self.patterns[n] for n in sorted(candidates)):
            if pattern.possible(present):
                spans += [
                    Span(doc, start, end, label=pattern.label)
                    for _, start, end in pattern.matcher(doc)
                    if not _negated(sequence, start)
                ]
        return _longest_per_label(spans)

    def _prefixes_of(self, norm: str) -> frozenset[str]:
        """The required prefixes a word starts with, written ``cobr*``."""
        found = self._prefix_cache.get(norm)
        if found is None:
            found = frozenset(f"{p}*" for p in self.prefixes if norm.startswith(p))
            if len(self._prefix_cache) < 200_000:
                self._prefix_cache[norm] = found
        return found


def _requirements(line: str) -> tuple[frozenset[str], ...]:
    """For each required token of a line, the words and ``prefix*`` it takes."""
    return tuple(
        frozenset(part.split("|"))
        for part in line.split()
        if not part.startswith(("~", "?"))
    )


def compile_pattern(line: str) -> list[dict]:
    """Turn one pattern line into the token dictionaries spaCy's Matcher takes."""
    tokens: list[dict] = []
    for part in line.split():
        optional = part.startswith("?")
        part = part.removeprefix("?")
        if part.startswith("~"):
            tokens.append({"OP": f"{{0,{int(part[1:])}}}"})
            continue
        token = _token(part)
        if optional:
            token["OP"] = "?"
        tokens.append(token)
    return tokens


def _token(part: str) -> dict:
    options = part.split("|")
    prefixes = [option[:-1] for option in options if option.endswith("*")]
    words = [option for option in options if not option.endswith("*")]
    if not prefixes:
        return {"NORM": {"IN": words}}
    alternatives = [f"{prefix}\\w*" for prefix in prefixes] + words
    return {"NORM": {"REGEX": f"^(?:{'|'.join(alternatives)})$"}}


def _negated(norms: list[str], start: int) -> bool:
    window = norms[max(0, start - NEGATION_WINDOW) : start]
    return not NEGATIONS.isdisjoint(window)


def norms_of(doc: Doc) -> list[str]:
    """The normal form of each token, as the normaliser left them."""
    kept = doc._.norms if Doc.has_extension("norms") else None
    return kept if kept is not None else [token.norm_ for token in doc]


def _longest_per_label(spans: list[Span]) -> list[Span]:
    """Drop spans contained in a longer span of the same label."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if any(
            other.label == span.label
            and other.start <= span.start
            and span.end <= other.end
            for other in kept
        ):
            continue
        kept.append(span)
    return kept
