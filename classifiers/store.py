"""Where the trained models live, and training them when they are missing."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from classifiers.card import render_model_card
from classifiers.classifier import TrainedModels
from classifiers.training import data_version, train
from vigia.settings import Settings

logger = logging.getLogger(__name__)

REPO_MODEL_CARD = Path(__file__).resolve().parent / "MODEL_CARD.md"


def model_path(settings: Settings) -> Path:
    """The file holding the current models."""
    return settings.data_dir / "models" / "classifier.joblib"


def train_and_save(settings: Settings, card: Path | None = None) -> TrainedModels:
    """Train from the repository's data, save the models, write the model card."""
    started = time.perf_counter()
    models, report = train()
    seconds = time.perf_counter() - started
    models.metadata["report"] = report
    models.save(model_path(settings))
    text = render_model_card(models, report, seconds)
    for destination in filter(
        None, (card, model_path(settings).with_name("MODEL_CARD.md"))
    ):
        destination.write_text(text, encoding="utf-8")
    logger.info("trained %s in %.0f s", models.version, seconds)
    return models


def load_or_train(settings: Settings) -> TrainedModels:
    """The saved models, retrained first if missing or older than the data."""
    path = model_path(settings)
    if path.exists():
        models = TrainedModels.load(path)
        if models.version == data_version():
            return models
        logger.info("models %s are out of date; retraining", models.version)
    else:
        logger.info("no models at %s yet; training them", path)
    return train_and_save(settings)
