"""Near-duplicate texts: one person re-sending, and chain messages across people.

The same complaint comes back from its writer with small edits ("como ya
les habia dicho, ..."), and the same chain message is forwarded by hundreds
of people with an emoji or a "Pasenlo 👇" added. Both are found here, at a
cost that grows with the number of texts, never with the number of pairs:

- each text is reduced to its content (normal form, no punctuation, no
  greetings or thanks around it) and hashed, so exact copies cost nothing;
- content of at least ``MIN_CHARS`` characters gets a MinHash signature of
  its character 5-shingles, and signatures are banded (locality-sensitive
  hashing) so that only texts sharing a band are ever compared;
- candidates are confirmed by the share of equal signature values, which
  estimates the Jaccard similarity of the two shingle sets.

Similar text is not enough across people: "cuales son los requisitos para
registrarme" is written the same way by thousands of applicants who are not
one incident. Across senders only *mergeable* texts are compared: fraud
reports and forwarded messages. The same sender's texts are always compared.
(The same webhook delivered twice never gets here: ingest drops it.)

The index keeps compact numpy arrays, saves to one ``.npz`` file and loads
back, so a later run compares only its new texts against the stored ones.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from classifiers.normalize import normalize

MIN_CHARS = 20
"""Content shorter than this is matched only as an exact copy."""
NUM_PERM = 64
"""MinHash values per signature."""
BANDS = 16
"""LSH bands; ``NUM_PERM // BANDS`` values each (a band of 4 favours J >= 0.5)."""
# Tuned on the training split of classifiers/data/dedup/pairs.jsonl.
SAME_SENDER_THRESHOLD = 0.5
"""Estimated Jaccard from which one sender's two texts are one re-sent text."""
CROSS_SENDER_THRESHOLD = 0.6
"""Estimated Jaccard from which two senders' mergeable texts are one text."""
CONTAINMENT_THRESHOLD = 0.85
"""Estimated share of one sender's shorter text found in the longer one."""
CONTAINED_MIN_SHINGLES = 30
"""A shorter text needs this many shingles to count as contained."""
BUCKET_LIMIT = 8
"""Latest items compared per LSH bucket: a chain joins through any of them."""
SENDER_LIMIT = 50
"""Latest items of one sender compared with a new one."""
FORMAT_VERSION = 1

_SEED = 20_240_607
_WORD = re.compile(r"\w+")
# fmt: off
# Courtesy around a message carries nothing: "hola buenas tardes", "gracias".
_OPENING = frozenset({
    "hola", "buenas", "buenos", "buen", "buena", "dia", "dias", "tarde", "tardes",
    "noche", "noches", "saludos", "oiga", "oigan", "disculpe", "disculpa",
    "disculpen", "jovenes", "amigos", "senorita", "buenasss", "holi",
})
_CLOSING = frozenset({
    "gracias", "muchas", "mil", "saludos", "bendiciones", "porfavor", "ok",
    "enojo", "triste", "alerta", "jaja",
})
# fmt: on


def content_text(text: str) -> str:
    """The words of a message that can repeat: normal form, no courtesy around it.

    "Buenas tardes!! el gestor me cobro 3 mil 🙏" becomes
    "el gestor me cobro 3000". "que tal" opens a message only as a pair.
    """
    words = _WORD.findall(normalize(text))
    start, end = 0, len(words)
    while start < end:
        if words[start] in _OPENING:
            start += 1
        elif words[start] == "que" and start + 1 < end and words[start + 1] == "tal":
            start += 2
        else:
            break
    while end > start and words[end - 1] in _CLOSING:
        end -= 1
    return " ".join(words[start:end])


def stable_hash(text: str) -> int:
    """A 64-bit hash that is the same in every process (unlike ``hash``)."""
    digest = hashlib.blake2b(text.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


# Fraud cues, read on content text (normal form: lowercase, no accents, sums in
# digits: "3 mil" is "3 1000", "$3,500" is "3 500"). Words that on their own
# tell of a fraud or a scam:
_FRAUD_WORDS = re.compile(
    r"\b(?:gestor(?:a|es|as)?|coyot[ae]s?|moches?|mordidas?|soborn\w*|sortead[oa]s?"
    r"|sorteo|rifa|ganaste|fraudes?|estaf\w*|extorsi\w*|amenaz\w*|cuotas?"
    r"|cooperacion|cooperacha|oxxo|elektra|falsos?|falsas?|apocrif\w*|desvi[oa]\w*"
    r"|robaron|intermediari\w*|corrupt\w*|mitin\w*|acarread\w*|votar|voten|vote"
    r"|votemos|votamos|votaran|partido|planilla|candidat[oa]s?|campaña|afiliar\w*"
    r"|condicion(?:a|an|aron|ando)|obligaron|nos obliga\w*|datos bancarios"
    r"|haciendose pasar|hace pasar|hacen pasar|nos hicieron firmar|a cambio de"
    r"|la mitad del (?:material|apoyo|subsidio)|parte del (?:apoyo|subsidio)"
    r"|porciento|por ciento|credencial\w* de elector|link raro|tramitamos"
    r"|gestionamos|actualizar (?:sus |tus )?datos|desaparecio|se desaparecieron)\b"
)
# Phrases: taking the materials or money, paid and not done, pressure to sign,
# dropping people from lists, posing as CONAVI, harvesting documents.
_FRAUD_PHRASES = re.compile(
    r"\b(?:se llev(?:o|aron)|se qued(?:o|aron) con|se (?:lo|la|los|las) qued\w*"
    r"|agarr(?:o|aron)|vend(?:e|en|io|ieron|iendo)|revend\w*|rob(?:o|aron|an)"
    r"|sac(?:aban|aron|o|an))"
    r"(?: \w+){0,3} (?:material\w*|cemento|varillas?|laminas?|blocks?|tinacos?"
    r"|dinero|lana|lugar|lugares|fichas?|folios?|diferencia|constructora)\b"
    r"|\b(?:material\w*|cemento|varilla|laminas?|blocks?|bultos)(?: \w+){0,4} "
    r"(?:no (?:\w+ )?(?:llego|llegaron|entregaron|dieron|completaron)|incomplet\w*"
    r"|falt[oa]\w*)|\b(?:nunca|no) (?:\w+ ){0,2}(?:vimos|llego|llegaron) (?:\w+ )?"
    r"material\w*|\bfirm\w*(?: \w+){0,5} (?:terminad|conclui|entregad|acabad"
    r"|recibi)\w*|\bobras? (?:\w+ ){0,3}(?:abandonad|fantasma)\w*"
    r"|\b(?:entregaron|dieron|dio) solo \d+|\bsolo (?:me|nos) (?:dieron|dio"
    r"|entregaron) (?:la mitad|una parte|\d+)"
    r"|\b(?:quit(?:a|an|aran|aron)|sac(?:a|an|aran|aron)|borr(?:a|an|aron)"
    r"|dan de baja|dieron de baja)"
    r"(?: \w+){0,2} (?:del|de la) (?:programa|lista|padron|apoyo)\b"
    r"|\b(?:perfil|pagina|grupo|numero|link)(?: \w+){0,6} (?:pide|piden|pidio"
    r"|pidieron|junta) (?:\w+ ){0,3}(?:ine|curp|credencial\w*|datos|fotos?|selfie)\b"
    r"|\b(?:dice|dijo|dicen|dijeron|decia|diciendo) (?:que )?(?:es|era|son|eran"
    r"|ser) (?:\w+ ){0,2}de conavi|\bse (?:presento|identifico) como (?:\w+ ){0,4}"
    r"de conavi"
    r"|\bregal(?:a|an|ando) (?:\w+ )?(?:casas?|viviendas?|materiales|dinero)"
    r"|\btransfer(?:irle|irles|imos|i)\b|\b(?:pide|piden|pidio|pidieron|dar|den"
    r"|diera|confirme|confirma|manda) (?:\w+ ){0,3}(?:nip|clave|contraseña|codigo)\b"
    r"|\b(?:si no|tengo que|tenia que|hay que|tiene que|tienes que|que|pidieron"
    r"|piden|pide) deposit\w*|\b(?:link|liga|correo|direccion|mensaje|pagina)"
    r" (?:\w+ ){0,2}rar[oa]\b|\bsi (?:\w+ ){0,3}(?:me|nos|les|te) (?:quitan|sacan"
    r"|borran)\b"
    r"|\bcobr\w* (?:\w+ ){0,2}(?:el doble|de mas|extra|aparte|todo)\b"
    # Paid and not given: "cobro la asistencia tecnica y nunca vino".
    r"|\b(?:cobr|pag)\w*(?: \w+){0,8} (?:y )?(?:nunca|jamas|no) (?:\w+ ){0,2}"
    r"(?:vino|vinieron|hizo|hicieron|termino|terminaron|regreso|presento|aparecio"
    r"|paro|puso|pusieron|entregaron|instalaron)\b"
)
# Money verbs: someone asks, takes or is paid, with a sum or money near.
_ASKS = re.compile(
    r"\b(?:(?:me|nos|le|les|te|se) cobr\w*|cobr(?:a|an|aba|aban|ando|aron|aran|o"
    r"|en)|solicita|solicitan|solicitaron|darle|darles|dabamos|(?:toca|hay que"
    r"|tenia que|tengo que|tenemos que) dar"
    r"|pid(?:e|en|io|ieron|iendo|iera)|pedia|pedian|pedir|exig\w*|quiere|quieren"
    r"|queria|pagar|pago|paga|pagan|pagas|pague|pagamos|pagarle|pagarles"
    r"|le pagaron|deposite|depositamos|depositarle|deposita|le di|le dimos"
    r"|les dimos|dimos|di|le doy|les doy|le damos|llevar|traer|quit(?:o|aron|a|an)"
    r"|sac(?:a|an|o|aron)|recog\w*|vend\w*|asegurar|apartar|agilizar|liberar"
    r"|junt(?:a|an|ando|aron))\b"
)
# A sum has 3 to 5 digits (longer is a folio or a phone; 2024 is a year, 2000
# is a sum).
_MONEY = re.compile(r"\b(?:(?!20[1-3]\d\b)\d{3,5}|pesos|dinero|lana|feria|varos)\b")
# A money verb after these is no fraud: "no me cobraron nada", "cuando cobro
# el apoyo" (the programme paying). "si no le pagan" is a threat: it counts.
_NEGATION = re.compile(
    r"(?<!\bsi )(?<!\bque )\b(?:no|nunca|nadie|ni|sin|tampoco|cuando|donde|como"
    r"|puedo|voy a|se)"
    r"(?: \w+){0,2} ?$"
)
# A price on a procedure: "lugares en la lista a 3500", "x 1000 te suben en la
# lista", "sin 500 no hay registro", "si le doy 8000 mi folio sale".
_SUM = r"(?:\d{3,}|\d{1,3}(?: \d{3})+|\d+ 1000)"
_PROCEDURE = (
    r"(?:lista|lugar\w*|expediente\w*|fichas?|folios?|registro|tramite|padron|censo"
    r"|turno|formato|aprobad[oa]|meter|suben|asegur\w*|apart\w*|arregl\w*)"
)
_PRICED_PROCEDURE = re.compile(
    rf"\b{_PROCEDURE}(?: \w+){{0,6}} (?:por|a|en|con|sin) {_SUM}\b"
    rf"|\b(?:por|con|sin|doy|damos|llevar) {_SUM}(?: \w+){{0,6}} {_PROCEDURE}\b"
    rf"|\b{_SUM} (?:pesos )?(?:mas|extra|adicional\w*)\b"
)
# One scan for all three instead of three.
_ANY_FRAUD_CUE = re.compile(
    "|".join(f"(?:{p.pattern})" for p in (_FRAUD_WORDS, _FRAUD_PHRASES))
    + f"|(?:{_PRICED_PROCEDURE.pattern})"
)
_CHAIN_WORDS = re.compile(
    r"\b(?:compart(?:e|elo|ela|anlo|anla|an)|pasen(?:lo|la)?|pasalo|pasala"
    r"|pasen la voz|reenvi\w*|difund\w*|este mensaje|a tus contactos"
    r"|a sus contactos|comunicado|aviso)\b"
)


def fraud_cues(content: str) -> bool:
    """Whether a content text reads as a fraud report or a scam (cheap cues).

    Used when no classifier labels come with a text. A money verb counts
    with a sum or money word near it, and not after a negation ("no me
    cobraron nada") or a question word ("cuando cobro el apoyo").
    """
    if _ANY_FRAUD_CUE.search(content):
        return True
    for ask in _ASKS.finditer(content):
        if _NEGATION.search(content, max(0, ask.start() - 24), ask.start()):
            continue
        window = content[max(0, ask.start() - 30) : ask.end() + 50]
        if _MONEY.search(window):
            return True
    return False


def chain_cues(content: str) -> bool:
    """Whether a content text reads as a chain message ("pasenlo", "comparte")."""
    return _CHAIN_WORDS.search(content) is not None


@dataclass(frozen=True, slots=True)
class TextItem:
    """A text to deduplicate, with what decides who it may be merged with."""

    id: str
    text: str
    sender: str = ""  # the sender's pseudonym; empty when unknown
    forwarded: bool = False  # WhatsApp marked it forwarded, or it reads as a chain
    fraud: bool = False  # carries a fraud signal

    @property
    def mergeable(self) -> bool:
        """Whether it may join other senders' texts on similarity alone."""
        return self.forwarded or self.fraud

    @classmethod
    def from_mapping(cls, item: Mapping[str, Any]) -> TextItem:
        """Build from a dict; ``fraud`` may be a bool or a list of labels."""
        return cls(
            id=str(item["id"]),
            text=item.get("text") or "",
            sender=str(item.get("sender") or ""),
            forwarded=bool(item.get("forwarded")),
            fraud=bool(item.get("fraud")),
        )


class MinHasher:
    """MinHash signatures of character 5-shingles, many texts per numpy call.

    A shingle is five bytes of UTF-8, hashed once to 32 bits; each of the
    ``num_perm`` hash functions is ``a * h + b`` modulo 2**32 followed by a
    shift-xor, with ``a`` odd (a bijection). 32-bit arithmetic halves the
    memory traffic of 64-bit and keeps the estimate unbiased on our texts.
    """

    def __init__(self, num_perm: int = NUM_PERM, seed: int = _SEED) -> None:
        rng = np.random.default_rng(seed)
        self.num_perm = num_perm
        self.a = (rng.integers(0, 2**32, num_perm, dtype=np.uint64) | 1).astype(
            np.uint32
        )
        self.b = rng.integers(0, 2**32, num_perm, dtype=np.uint64).astype(np.uint32)

    def signatures(self, texts: Sequence[str], chunk: int = 128) -> np.ndarray:
        """One row of ``num_perm`` uint32 values per text (texts of 5+ bytes)."""
        out = np.empty((len(texts), self.num_perm), dtype=np.uint32)
        if not texts:
            return out
        hashes, counts = _shingle_hashes(texts)
        offsets = np.concatenate(([0], np.cumsum(counts)))
        # Small chunks keep the (shingles x permutations) block in cache.
        for start in range(0, len(texts), chunk):
            stop = min(start + chunk, len(texts))
            block = hashes[offsets[start] : offsets[stop], None] * self.a
            block += self.b
            block ^= block >> np.uint32(15)
            out[start:stop] = np.minimum.reduceat(
                block, offsets[start:stop] - offsets[start], axis=0
            )
        return out


def _shingle_hashes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """32-bit hashes of every 5-byte shingle, text after text, and their counts."""
    encoded = [text.encode() for text in texts]
    lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    if lengths.min() < 5:
        raise ValueError("every text needs at least 5 bytes to have a shingle")
    data = np.frombuffer(b"".join(encoded), dtype=np.uint8).astype(np.uint64)
    size = len(data) - 4
    value = data[:size].copy()
    for shift in range(1, 5):
        value |= data[shift : shift + size] << np.uint64(8 * shift)
    # Keep shingles that end inside their own text.
    ends = np.cumsum(lengths) - 4
    keep = np.arange(size) < np.repeat(ends, lengths)[:size]
    mixed = (value[keep] * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(32)
    return mixed.astype(np.uint32), lengths - 4


def band_keys(signatures: np.ndarray, bands: int) -> np.ndarray:
    """One uint64 key per band of each signature; bands never share keys."""
    rows = signatures.shape[1] // bands
    parts = signatures[:, : rows * bands].reshape(len(signatures), bands, rows)
    keys = np.zeros((len(signatures), bands), dtype=np.uint64)
    for row in range(rows):
        keys = keys * np.uint64(0x100000001B3) + parts[:, :, row].astype(np.uint64)
    keys ^= np.arange(1, bands + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    keys ^= keys >> np.uint64(29)
    return keys


class KeyRuns:
    """A compact multimap of uint64 key -> item positions, as sorted runs.

    New entries arrive as a sorted run; runs of similar size are merged (a
    log-structured merge), so there are about log2(n) runs and each lookup
    is a binary search per run. Twelve bytes per entry, no Python objects.
    """

    def __init__(self) -> None:
        self.runs: list[tuple[np.ndarray, np.ndarray]] = []

    def __len__(self) -> int:
        return sum(len(keys) for keys, _ in self.runs)

    def lookup(self, keys: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
        """``(query index, item)`` pairs: the latest ``limit`` items of each key.

        Runs are read newest first and each key's budget shrinks as they are,
        so a key yields at most ``limit`` items however many runs there are:
        the cost per query stays flat as the index grows.
        """
        queries, items = [], []
        budget = np.full(len(keys), limit, dtype=np.int64)
        for run_keys, run_items in reversed(self.runs):
            high = np.searchsorted(run_keys, keys, side="right")
            found = np.minimum(high - np.searchsorted(run_keys, keys), budget)
            budget -= found
            query = np.repeat(np.arange(len(keys)), found)
            back = np.arange(len(query)) - np.repeat(np.cumsum(found) - found, found)
            queries.append(query)
            items.append(run_items[np.repeat(high, found) - 1 - back])
        if not queries:
            return np.empty(0, np.int64), np.empty(0, np.int64)
        return np.concatenate(queries), np.concatenate(items).astype(np.int64)

    def add(self, keys: np.ndarray, items: np.ndarray) -> None:
        """Add entries whose items all come after every stored item."""
        if len(keys) == 0:
            return
        order = np.argsort(keys, kind="stable")
        self.runs.append((keys[order], items[order].astype(np.uint32)))
        while len(self.runs) > 1 and len(self.runs[-2][0]) <= 2 * len(self.runs[-1][0]):
            (old_keys, old_items), (new_keys, new_items) = self.runs[-2:]
            keys = np.concatenate((old_keys, new_keys))
            order = np.argsort(keys, kind="stable")  # older items stay first
            merged = np.concatenate((old_items, new_items))[order]
            self.runs[-2:] = [(keys[order], merged)]


def pairs_within(
    keys: np.ndarray, items: np.ndarray, limit: int
) -> tuple[np.ndarray, np.ndarray]:
    """``(later, earlier)`` items of one batch that share a key, ``limit`` back."""
    order = np.lexsort((items, keys))
    keys, items = keys[order], items[order]
    later, earlier = [], []
    for distance in range(1, min(limit, len(keys) - 1) + 1):
        same = keys[distance:] == keys[:-distance]
        if not same.any():
            break  # no run of equal keys is this long
        later.append(items[distance:][same])
        earlier.append(items[:-distance][same])
    if not later:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(later), np.concatenate(earlier)


_COLUMNS = ("signatures", "text_hashes", "shingles", "sender_hashes", "flags")
# Bits of NearDuplicateIndex.flags.
_LONG, _MERGEABLE, _FORWARDED = 1, 2, 4
_EXACT_SALT = np.uint64(0xA5A5A5A5A5A5A5A5)


class NearDuplicateIndex:
    """Every text seen so far, to find the earlier copies of new texts."""

    def __init__(
        self,
        num_perm: int = NUM_PERM,
        bands: int = BANDS,
        same_sender_threshold: float = SAME_SENDER_THRESHOLD,
        cross_sender_threshold: float = CROSS_SENDER_THRESHOLD,
        containment_threshold: float = CONTAINMENT_THRESHOLD,
        seed: int = _SEED,
    ) -> None:
        if num_perm % bands:
            raise ValueError(f"num_perm {num_perm} is not a multiple of bands {bands}")
        self.hasher = MinHasher(num_perm, seed)
        self.bands = bands
        self.seed = seed
        self.same_sender_threshold = same_sender_threshold
        self.cross_sender_threshold = cross_sender_threshold
        self.containment_threshold = containment_threshold
        self.ids: list[str] = []
        self.size = 0
        self.signatures = np.zeros((0, num_perm), dtype=np.uint32)
        self.text_hashes = np.zeros(0, dtype=np.uint64)
        self.shingles = np.zeros(0, dtype=np.uint32)  # shingle count of each text
        self.sender_hashes = np.zeros(0, dtype=np.uint64)  # 0: sender unknown
        self.flags = np.zeros(0, dtype=np.uint8)
        self.band_index = KeyRuns()  # mergeable texts: LSH bands, exact keys
        self.sender_index = KeyRuns()  # every text with content, by sender

    def __len__(self) -> int:
        return self.size

    def query_and_add(self, items: Iterable[TextItem | Mapping[str, Any]]) -> list:
        """For each new item, the ids of earlier items it copies (oldest first).

        Earlier means stored before, or earlier in ``items``. A text that
        joins a large cluster (a chain forwarded 500 times) is matched to
        some of its members, not all: enough to connect it.
        """
        matches = self.query_and_add_positions(items)
        return [[self.ids[position] for position in found] for found in matches]

    def query_and_add_positions(
        self,
        items: Iterable[TextItem | Mapping[str, Any]],
        contents: Sequence[str] | None = None,
    ) -> list[list[int]]:
        """Like :meth:`query_and_add`, with positions in the index instead of ids.

        The new items take positions ``len(self)`` onwards, in order.
        ``contents`` may pass the items' :func:`content_text` if already known.
        """
        batch = [
            item if isinstance(item, TextItem) else TextItem.from_mapping(item)
            for item in items
        ]
        if contents is None:
            contents = [content_text(item.text) for item in batch]
        first = self.size
        self._append(batch, contents)
        positions = np.arange(first, self.size, dtype=np.int64)

        later, earlier = self._candidates(positions)
        later, earlier = self._confirm(later, earlier)

        found: list[list[int]] = [[] for _ in batch]
        for new, old in zip(later.tolist(), earlier.tolist(), strict=True):
            found[new - first].append(old)
        return found

    def _append(self, batch: list[TextItem], contents: Sequence[str]) -> None:
        """Hash, sign and store a batch of items."""
        count = len(batch)
        hashes = np.fromiter(
            (stable_hash(c) if c else 0 for c in contents), np.uint64, count
        )
        long = np.fromiter((len(c) >= MIN_CHARS for c in contents), bool, count)
        shingles = np.fromiter(
            (max(len(c.encode()) - 4, 0) for c in contents), np.uint32, count
        )
        flags = long * _LONG
        flags |= np.fromiter((i.mergeable for i in batch), bool, count) * _MERGEABLE
        flags |= np.fromiter((i.forwarded for i in batch), bool, count) * _FORWARDED
        senders = np.fromiter(
            (stable_hash(i.sender) | 1 if i.sender else 0 for i in batch),
            np.uint64,
            count,
        )

        # Exact copies in the batch are signed once.
        signatures = np.zeros((count, self.hasher.num_perm), dtype=np.uint32)
        rows = np.flatnonzero(long)
        if len(rows):
            _, first, inverse = np.unique(
                hashes[rows], return_index=True, return_inverse=True
            )
            signed = self.hasher.signatures([contents[rows[i]] for i in first])
            signatures[rows] = signed[inverse.reshape(-1)]

        self._reserve(self.size + count)
        rows = slice(self.size, self.size + count)
        self.signatures[rows] = signatures
        self.text_hashes[rows] = hashes
        self.shingles[rows] = shingles
        self.sender_hashes[rows] = senders
        self.flags[rows] = flags
        self.ids.extend(item.id for item in batch)
        self.size += count

    def _reserve(self, needed: int) -> None:
        """Grow the arrays (doubling) so that ``needed`` items fit."""
        capacity = len(self.flags)
        if needed <= capacity:
            return
        capacity = max(needed, 2 * capacity, 1024)
        for name in _COLUMNS:
            old = getattr(self, name)
            grown = np.zeros((capacity, *old.shape[1:]), dtype=old.dtype)
            grown[: self.size] = old[: self.size]
            setattr(self, name, grown)

    def _keys(self, positions: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """The index keys of stored positions: ``(keys, positions)`` per index."""
        flags = self.flags[positions]
        mergeable = (flags & _MERGEABLE) > 0
        long = positions[mergeable & ((flags & _LONG) > 0)]
        keys = band_keys(self.signatures[long], self.bands)
        # A short forwarded text can only be an exact copy.
        short = positions[
            ((flags & _FORWARDED) > 0) & ((flags & _LONG) == 0)
            & (self.text_hashes[positions] != 0)
        ]  # fmt: skip
        band = (
            np.concatenate((keys.reshape(-1), self.text_hashes[short] ^ _EXACT_SALT)),
            np.concatenate((np.repeat(long, self.bands), short)),
        )
        known = positions[
            (self.sender_hashes[positions] != 0) & (self.text_hashes[positions] != 0)
        ]
        return {"band": band, "sender": (self.sender_hashes[known], known)}

    def _candidates(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Pairs of (new, earlier) positions worth comparing; stores the new keys."""
        keys = self._keys(positions)
        pairs = []
        for name, index, limit in (
            ("band", self.band_index, BUCKET_LIMIT),
            ("sender", self.sender_index, SENDER_LIMIT),
        ):
            new_keys, new_positions = keys[name]
            query, old = index.lookup(new_keys, limit)
            pairs.append((new_positions[query], old))
            pairs.append(pairs_within(new_keys, new_positions, limit))
            index.add(new_keys, new_positions)
        later = np.concatenate([p[0] for p in pairs]).astype(np.int64)
        earlier = np.concatenate([p[1] for p in pairs]).astype(np.int64)
        code = np.unique(later * (self.size + 1) + earlier)
        return code // (self.size + 1), code % (self.size + 1)

    def _confirm(
        self, later: np.ndarray, earlier: np.ndarray, chunk: int = 100_000
    ) -> tuple[np.ndarray, np.ndarray]:
        """Keep the candidate pairs that are copies under the merging rule."""
        keep = np.zeros(len(later), dtype=bool)
        for start in range(0, len(later), chunk):
            a, b = later[start : start + chunk], earlier[start : start + chunk]
            agree = np.count_nonzero(self.signatures[a] == self.signatures[b], axis=1)
            similarity = agree / self.hasher.num_perm
            same_sender = (self.sender_hashes[a] == self.sender_hashes[b]) & (
                self.sender_hashes[a] != 0
            )
            flags_a, flags_b = self.flags[a], self.flags[b]
            both_long = (flags_a & flags_b & _LONG) > 0
            exact = self.text_hashes[a] == self.text_hashes[b]
            threshold = np.where(
                same_sender, self.same_sender_threshold, self.cross_sender_threshold
            )
            similar = exact | (both_long & (similarity >= threshold))
            # One sender re-sending part of a text: the shorter is contained.
            sizes_a, sizes_b = self.shingles[a], self.shingles[b]
            smaller = np.maximum(np.minimum(sizes_a, sizes_b), 1)
            contained = similarity * (sizes_a + sizes_b) / ((1 + similarity) * smaller)
            similar |= (
                same_sender
                & both_long
                & (contained >= self.containment_threshold)
                & (smaller >= CONTAINED_MIN_SHINGLES)
            )
            mergeable = (flags_a & flags_b & _MERGEABLE) > 0
            keep[start : start + chunk] = similar & (same_sender | mergeable)
        return later[keep], earlier[keep]

    def similarity(self, first: int, second: int) -> float:
        """Estimated Jaccard similarity of two stored texts (0 if either is short)."""
        if not self.flags[first] & self.flags[second] & _LONG:
            return float(self.text_hashes[first] == self.text_hashes[second])
        agree = np.count_nonzero(self.signatures[first] == self.signatures[second])
        return agree / self.hasher.num_perm

    def save(self, path: Path) -> None:
        """Write the index to one ``.npz`` file, atomically."""
        encoded = [item_id.encode() for item_id in self.ids]
        lengths = np.fromiter(map(len, encoded), np.int64, len(encoded))
        settings = [
            FORMAT_VERSION, self.hasher.num_perm, self.bands, self.seed,
            self.same_sender_threshold, self.cross_sender_threshold,
            self.containment_threshold,
        ]  # fmt: skip
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        with partial.open("wb") as out:
            np.savez(
                out,
                settings=np.array(settings, dtype=np.float64),
                **{name: getattr(self, name)[: self.size] for name in _COLUMNS},
                id_bytes=np.frombuffer(b"".join(encoded), dtype=np.uint8),
                id_lengths=lengths,
            )
        partial.replace(path)

    @classmethod
    def load(cls, path: Path) -> NearDuplicateIndex:
        """Read an index written by :meth:`save`, ready to take new items."""
        with np.load(path) as data:
            version, num_perm, bands, seed, same, cross, contained = data[
                "settings"
            ].tolist()
            if int(version) != FORMAT_VERSION:
                raise ValueError(
                    f"{path}: index format {version:g}, expected {FORMAT_VERSION}"
                )
            index = cls(int(num_perm), int(bands), same, cross, contained, int(seed))
            for name in _COLUMNS:
                setattr(index, name, data[name])
            blob = data["id_bytes"].tobytes()
            ends = np.cumsum(data["id_lengths"]).tolist()
        index.ids = [blob[s:e].decode() for s, e in zip([0, *ends], ends, strict=False)]
        index.size = len(index.ids)
        keys = index._keys(np.arange(index.size, dtype=np.int64))
        index.band_index.add(*keys["band"])
        index.sender_index.add(*keys["sender"])
        return index
