"""Choosing thresholds on cross-validated scores."""

from __future__ import annotations

import numpy as np
import pytest

from classifiers.classifier import EVIDENCE_SHARE
from classifiers.training import (
    PRECISION_FLOOR,
    TARGET_RECALL,
    _highest_on_target,
    _lowered_while_precise,
)


def scores_and_truth(positives: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """Positives scored 0.01 to 1.00, negatives all at 0.02."""
    scores = np.concatenate([np.linspace(0.01, 1.0, positives), np.full(50, 0.02)])
    truth = np.concatenate([np.ones(positives, bool), np.zeros(50, bool)])
    return scores, truth


def test_threshold_is_the_highest_that_keeps_the_target_recall() -> None:
    scores, truth = scores_and_truth()
    supported = np.zeros_like(truth)

    threshold = _highest_on_target(scores, supported, truth)

    recall = (scores[truth] >= threshold).mean()
    assert recall >= TARGET_RECALL
    assert (scores[truth] >= threshold + 0.01).mean() < TARGET_RECALL


@pytest.mark.parametrize("supported_share", [0.0, 1.0])
def test_evidence_lets_a_signal_count_from_a_share_of_its_threshold(
    supported_share: float,
) -> None:
    scores, truth = scores_and_truth()
    supported = np.full_like(truth, bool(supported_share))

    threshold = _highest_on_target(scores, supported, truth)

    counted_from = threshold * (EVIDENCE_SHARE if supported_share else 1.0)
    assert (scores[truth] >= counted_from).mean() >= TARGET_RECALL


def precision_at(scores: np.ndarray, truth: np.ndarray, threshold: float) -> float:
    predicted = scores >= threshold
    return (predicted & truth).sum() / max(predicted.sum(), 1)


def test_precision_to_spare_lowers_the_threshold_down_to_the_floor() -> None:
    positives = np.linspace(0.01, 1.0, 100)
    negatives = np.linspace(0.02, 0.06, 20)  # false alarms crowd the low scores
    scores = np.concatenate([positives, negatives])
    truth = np.concatenate([np.ones(100, bool), np.zeros(20, bool)])
    supported = np.zeros_like(truth)
    highest = _highest_on_target(scores, supported, truth)

    threshold = _lowered_while_precise(scores, supported, truth, highest)

    assert threshold < highest
    assert precision_at(scores, truth, threshold) >= PRECISION_FLOOR
    assert precision_at(scores, truth, round(threshold - 0.01, 2)) < PRECISION_FLOOR


def test_a_threshold_under_the_floor_does_not_move() -> None:
    scores, truth = scores_and_truth()
    scores[~truth] = 0.95  # every false alarm outscores most positives
    supported = np.zeros_like(truth)
    highest = _highest_on_target(scores, supported, truth)

    assert _lowered_while_precise(scores, supported, truth, highest) == highest
