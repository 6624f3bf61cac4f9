"""The topic and fraud-signal models, and how their scores meet the evidence.

Both models share one set of features of a text: word and character
n-grams of its normal form, where amounts, phones and accounts are already
placeholders. The topic model is one calibrated linear
classifier over the six topics; the fraud model is one calibrated binary
classifier per signal, each with a threshold chosen on cross-validated
training predictions so that few real reports are missed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.svm import LinearSVC

from classifiers.evidence import FRAUD_LABELS

TOPICS = ("registro", "estatus", "pago", "obra", "atencion", "otro")


@dataclass(slots=True)
class Analysis:
    """What the Spanish pipeline found in one text."""

    normalized: str
    evidence: list[tuple[str, str]] = field(default_factory=list)
    entities: list[Any] = field(default_factory=list)


class NormalizedText(BaseEstimator, TransformerMixin):
    """Select the normal form of each analysed text."""

    def fit(self, analyses: Sequence[Analysis], y: Any = None) -> NormalizedText:
        return self

    def transform(self, analyses: Sequence[Analysis]) -> list[str]:
        return [analysis.normalized for analysis in analyses]


class WordCharGrams:
    """Character n-grams inside each word, the word padded with a space each side.

    The features of scikit-learn's ``char_wb`` analyzer, lowercased as it does,
    with the n-grams of the first words seen kept for the process: the common
    words of this traffic come early and repeat in almost every message. A
    word's n-grams take about 2 KB, so the cache is kept small (about 40 MB);
    rare words (names, numbers) are cut anew each time.
    """

    CACHED_WORDS = 20_000

    def __init__(self, shortest: int = 2, longest: int = 5) -> None:
        self.shortest = shortest
        self.longest = longest
        self._cache: dict[str, tuple[str, ...]] = {}

    def __call__(self, text: str) -> list[str]:
        grams: list[str] = []
        for word in text.lower().split():
            found = self._cache.get(word)
            if found is None:
                found = self._grams(word)
                if len(self._cache) < self.CACHED_WORDS:
                    self._cache[word] = found
            grams.extend(found)
        return grams

    def _grams(self, word: str) -> tuple[str, ...]:
        padded = f" {word} "
        grams: list[str] = []
        for size in range(self.shortest, self.longest + 1):
            if len(padded) <= size:  # the whole padded word, once, ends the word
                grams.append(padded)
                break
            grams += [padded[i : i + size] for i in range(len(padded) - size + 1)]
        return tuple(grams)

    def __getstate__(self) -> dict[str, int]:
        return {"shortest": self.shortest, "longest": self.longest}

    def __setstate__(self, state: dict[str, int]) -> None:
        self.__init__(**state)


def make_featurizer() -> FeatureUnion:
    """Word 1-2 grams and character 2-5 grams within words, of the normal form.

    Evidence phrases are deliberately not features: measured on
    cross-validated training data they lowered precision at equal recall
    (they fire on questions and hearsay as well). They act in the decision
    instead, see :mod:`classifiers.classifier`.
    """
    words = TfidfVectorizer(
        ngram_range=(1, 2), min_df=2, sublinear_tf=True, token_pattern=r"\S+"
    )
    chars = TfidfVectorizer(analyzer=WordCharGrams(2, 5), min_df=2, sublinear_tf=True)
    return FeatureUnion(
        [
            ("words", Pipeline([("text", NormalizedText()), ("tfidf", words)])),
            ("chars", Pipeline([("text", NormalizedText()), ("tfidf", chars)])),
        ]
    )


def make_topic_classifier() -> CalibratedClassifierCV:
    """Six topics, one calibrated linear model."""
    svm = LinearSVC(C=1.0, class_weight="balanced")
    return CalibratedClassifierCV(svm, method="sigmoid", cv=5)


def make_fraud_classifier() -> OneVsRestClassifier:
    """One calibrated binary model per fraud signal."""
    svm = LinearSVC(C=1.0, class_weight="balanced")
    return OneVsRestClassifier(CalibratedClassifierCV(svm, method="sigmoid", cv=5))


def fraud_binarizer() -> MultiLabelBinarizer:
    """Fraud label lists <-> indicator matrix, in the contract's order."""
    return MultiLabelBinarizer(classes=list(FRAUD_LABELS))
