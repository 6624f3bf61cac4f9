"""The Spanish text pipeline: spaCy's blank Spanish plus Vigía's components.

No pretrained Spanish pipeline can be installed offline with spaCy 3.8, and
the lookup lemmatizer is wrong for this register ("para" -> "parir"), so the
pipeline is the tokenizer and three components of ours, in order:

1. ``vigia_entities``: money amounts, phone numbers, accounts, CURPs, states
   and roles, found by pattern on the raw text (before tokenising would
   split "$3,500"); each amount, phone and account becomes one token whose
   normal form is a placeholder (``_monto_``), so models learn "asked for
   money", not "asked for 3,500";
2. ``vigia_normalizer``: every other token's normal form (accents, repeated
   letters, abbreviations, emojis, number words);
3. ``vigia_evidence``: phrases that support each fraud signal.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from classifiers.actors import money_actors
from classifiers.evidence import EvidenceMatcher, norms_of
from classifiers.extract import Entity, extract_entities
from classifiers.normalize import EMOJI_WORDS, NUMBER_WORDS, normalize_word

_PERCENT = re.compile(r"\d+(?:[.,]\d+)?%")
PLACEHOLDERS = {
    "amount": "_monto_",
    "phone": "_telefono_",
    "clabe": "_cuenta_",
    "card": "_cuenta_",
    "account": "_cuenta_",
    "curp": "_curp_",
    "state": "_estado_",
}
"""Normal form of the tokens an entity becomes; roles keep their words."""

for _name in ("entities", "evidence", "actors", "norms", "words", "raw"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)
if not Doc.has_extension("normalized"):
    Doc.set_extension("normalized", getter=lambda doc: _normalized(doc))


def _normalized(doc: Doc) -> str:
    """The normal form of the text, followed by the actor markers."""
    words = " ".join(norms_of(doc))
    return " ".join([words, *(doc._.actors or ())])


@Language.component("vigia_entities")
def entities_component(doc: Doc) -> Doc:
    """Find entities on the raw text and merge each into one placeholder token."""
    found: list[Entity] = extract_entities(_raw_text(doc))
    doc._.entities = found
    spans = []
    for entity in found:
        placeholder = PLACEHOLDERS.get(entity.label)
        span = doc.char_span(entity.start, entity.end, alignment_mode="expand")
        if placeholder and span is not None:
            spans.append((span, placeholder))
    with doc.retokenize() as retokenizer:
        taken: set[int] = set()
        for span, placeholder in spans:
            if taken.isdisjoint(range(span.start, span.end)):
                taken.update(range(span.start, span.end))
                retokenizer.merge(span, attrs={"NORM": placeholder})
    return doc


@Language.component("vigia_normalizer")
def normalizer_component(doc: Doc) -> Doc:
    """Give each ordinary token the normal form the models and patterns read.

    The normal forms are also kept as a list on the document: the components
    after this one read them many times, and each walk over a document's
    tokens builds a Python object per token.
    """
    norms, words = [], []
    for token in doc:
        norm = token.norm_
        if not (norm.startswith("_") and norm.endswith("_")):
            norm = normal_form(token.lower_)
            token.norm_ = norm
        norms.append(norm)
        words.append(token.text)
    doc._.norms = norms
    doc._.words = words
    return doc


@lru_cache(maxsize=200_000)
def normal_form(lower: str) -> str:
    """The normal form of one lowercased token."""
    if lower in EMOJI_WORDS:
        return EMOJI_WORDS[lower].strip()
    if _PERCENT.fullmatch(lower):
        return "%"  # "10%", "5%": a share of the subsidy, whatever the number
    word = normalize_word(lower)
    if word in NUMBER_WORDS and word != "un":
        return str(NUMBER_WORDS[word])
    return word


@Language.factory("vigia_evidence")
def make_evidence(nlp: Language, name: str) -> EvidenceFinder:
    """Build the evidence component with the patterns of every fraud signal."""
    return EvidenceFinder(nlp)


class EvidenceFinder:
    """Marks the phrases that support each fraud signal in ``doc.spans``.

    It also marks who asks for money: a sentence that asks for or mentions a
    payment gets a marker naming the kind of person in it (a public servant,
    a builder, a third party, an impostor), because that is what separates
    a bribe from an undue charge from a diversion of works money.
    """

    def __init__(self, nlp: Language) -> None:
        self.matcher = EvidenceMatcher(nlp.vocab)

    def __call__(self, doc: Doc) -> Doc:
        spans = self.matcher(doc)
        doc.spans["evidence"] = spans
        doc._.evidence = spans
        doc._.actors = money_actors(doc)
        return doc


class TextKeepingTokenizer:
    """spaCy's tokenizer, keeping the text it was given on the document.

    ``Doc.text`` rebuilds the text from the tokens on every read, which costs
    as much as tokenising; the entity component needs it once per text.
    """

    def __init__(self, tokenizer: Callable[[str], Doc]) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        doc._.raw = text
        return doc


def _raw_text(doc: Doc) -> str:
    raw = doc._.raw
    return raw if raw is not None else doc.text


@lru_cache(maxsize=1)
def spanish_pipeline() -> Language:
    """The pipeline, built once per process (building compiles every pattern)."""
    nlp = spacy.blank("es")
    nlp.tokenizer = TextKeepingTokenizer(nlp.tokenizer)
    nlp.add_pipe("vigia_entities")
    nlp.add_pipe("vigia_normalizer")
    nlp.add_pipe("vigia_evidence")
    return nlp
