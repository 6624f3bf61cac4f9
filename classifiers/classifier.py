"""Classify texts: topic, fraud signals with their evidence, and review flags.

A fraud signal is reported when its calibrated score passes the signal's
threshold, or when an evidence phrase supports it and the score reaches half
the threshold. The result is marked ``needs_review`` when the model and the
evidence disagree, or when the topic or a signal is uncertain: a person
should look before anyone acts on it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion

from classifiers.evidence import FRAUD_LABELS
from classifiers.extract import entities_summary
from classifiers.model import Analysis
from classifiers.nlp import spanish_pipeline
from vigia.errors import VigiaError

logger = logging.getLogger(__name__)

TOPIC_REVIEW_BELOW = 0.5
"""A topic scored under this is a guess: mark the result for review."""
EVIDENCE_SHARE = 0.5
"""With evidence, a signal counts from this share of its threshold."""
UNCERTAIN_BAND = (0.5, 1.5)
"""Scores within these multiples of a threshold are near the decision."""
MAX_EXCERPT = 120


class ModelMissing(VigiaError):
    """No trained model where one is expected."""


@dataclass(slots=True)
class Classification:
    """The classification of one text, as `vigia classify` prints it."""

    topic: str
    topic_score: float
    fraud: list[str]
    fraud_scores: dict[str, float]
    evidence: list[dict[str, str]]
    entities: dict[str, list[Any]]
    needs_review: bool

    def as_dict(self) -> dict[str, Any]:
        """The JSON object of the command-line contract (without the id)."""
        return {
            "topic": self.topic,
            "topic_score": round(self.topic_score, 4),
            "fraud": self.fraud,
            "fraud_scores": {k: round(v, 4) for k, v in self.fraud_scores.items()},
            "evidence": self.evidence,
            "entities": self.entities,
            "needs_review": self.needs_review,
        }


@dataclass
class TrainedModels:
    """Everything a classification needs, saved and loaded as one file."""

    version: str
    featurizer: FeatureUnion
    topic: CalibratedClassifierCV
    fraud: OneVsRestClassifier
    thresholds: dict[str, float]
    metadata: dict[str, Any] = field(default_factory=dict)

    def save(self, path: Path) -> None:
        """Write the models to ``path`` atomically."""
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        joblib.dump(self, partial, compress=3)
        partial.replace(path)

    @staticmethod
    def load(path: Path) -> TrainedModels:
        """Read models written by :meth:`save`."""
        if not path.exists():
            raise ModelMissing(f"no trained model at {path}; run `vigia train` first")
        models = joblib.load(path)
        if not isinstance(models, TrainedModels):
            raise ModelMissing(f"{path} does not hold Vigía models; run `vigia train`")
        return models


def analyse(texts: Iterable[str], batch_size: int = 512) -> Iterator[Analysis]:
    """Run the Spanish pipeline over texts, in order."""
    nlp = spanish_pipeline()
    for doc in nlp.pipe(texts, batch_size=batch_size):
        yield Analysis(
            normalized=doc._.normalized,
            evidence=[
                (span.label_, span.text[:MAX_EXCERPT]) for span in doc._.evidence
            ],
            entities=doc._.entities,
        )


def classify(
    models: TrainedModels, texts: Iterable[str], batch_size: int = 2_000
) -> Iterator[Classification]:
    """Classify texts in order, a batch at a time."""
    iterator = iter(texts)
    while batch := list(islice(iterator, batch_size)):
        yield from classify_analyses(models, list(analyse(batch)))


def classify_analyses(
    models: TrainedModels, analyses: Sequence[Analysis]
) -> list[Classification]:
    """Classify texts the Spanish pipeline has already analysed."""
    if not analyses:
        return []
    features = models.featurizer.transform(analyses)
    topic_scores = models.topic.predict_proba(features)
    fraud_scores = models.fraud.predict_proba(features)
    topics = models.topic.classes_
    return [
        _decide(models, analysis, topics, topic_row, fraud_row)
        for analysis, topic_row, fraud_row in zip(
            analyses, topic_scores, fraud_scores, strict=True
        )
    ]


def _decide(
    models: TrainedModels,
    analysis: Analysis,
    topics: np.ndarray,
    topic_row: np.ndarray,
    fraud_row: np.ndarray,
) -> Classification:
    best = int(np.argmax(topic_row))
    scores = dict(zip(FRAUD_LABELS, (float(s) for s in fraud_row), strict=True))
    supported = {label for label, _ in analysis.evidence}
    fraud, review = [], float(topic_row[best]) < TOPIC_REVIEW_BELOW
    for label in FRAUD_LABELS:
        threshold = models.thresholds[label]
        by_model = scores[label] >= threshold
        by_evidence = label in supported and scores[label] >= threshold * EVIDENCE_SHARE
        if by_model or by_evidence:
            fraud.append(label)
        low, high = (threshold * share for share in UNCERTAIN_BAND)
        disagree = by_model != (label in supported)
        if disagree and low <= scores[label] < high:
            review = True
    return Classification(
        topic=str(topics[best]),
        topic_score=float(topic_row[best]),
        fraud=fraud,
        fraud_scores=scores,
        evidence=[
            {"label": label, "text": text}
            for label, text in analysis.evidence
            if label in fraud
        ],
        entities=entities_summary(analysis.entities),
        needs_review=review,
    )
