"""Write the model card: what the models learned from and how well they do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from classifiers.classifier import TrainedModels
from classifiers.model import TOPICS
from classifiers.training import PRECISION_FLOOR, TARGET_RECALL

TEMPLATES = Path(__file__).resolve().parent / "templates"


def render_model_card(
    models: TrainedModels, report: dict[str, Any], seconds: float
) -> str:
    """The Markdown model card of freshly trained models."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # Markdown, not HTML
    )
    template = environment.get_template("model_card.md.j2")
    return template.render(
        version=models.version,
        trained_at=models.metadata["trained_at"],
        seconds=seconds,
        thresholds=models.thresholds,
        topic_names=TOPICS,
        target_recall=TARGET_RECALL,
        precision_floor=PRECISION_FLOOR,
        **report,
    )
