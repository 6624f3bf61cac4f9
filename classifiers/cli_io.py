"""`vigia classify`: JSON lines in, one result per line out, errors to stderr."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, TextIO

from classifiers.classifier import TrainedModels, classify

CHANNELS = ("te_atiende", "denuncia", "portal")
BATCH = 1_000


def classify_stream(
    models: TrainedModels, lines: Iterable[str], out: TextIO, errors: TextIO
) -> int:
    """Classify each line; a bad line is reported by number and skipped.

    Returns how many lines could not be classified.
    """
    failures = 0
    numbered = enumerate(lines, 1)
    while batch := list(islice(numbered, BATCH)):
        items = []
        for number, line in batch:
            if not line.strip():
                continue
            try:
                items.append(parse_line(line))
            except ValueError as error:
                failures += 1
                errors.write(f"line {number}: {error}\n")
        for item, result in zip(items, _classify(models, items), strict=True):
            out.write(
                json.dumps({"id": item["id"]} | result, ensure_ascii=False) + "\n"
            )
        out.flush()
    return failures


def _classify(models: TrainedModels, items: list[dict[str, Any]]) -> Iterator[dict]:
    for result in classify(models, [item["text"] for item in items]):
        yield result.as_dict()


def parse_line(line: str) -> dict[str, Any]:
    """Validate one line: an object with ``id``, ``text`` and maybe ``channel``."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(
            f"not valid JSON ({error.msg} at column {error.colno})"
        ) from None
    if not isinstance(item, dict):
        raise ValueError("expected a JSON object with 'id' and 'text'")
    if "id" not in item or not isinstance(item["id"], str | int):
        raise ValueError("missing 'id' (a string or a number)")
    if not isinstance(item.get("text"), str):
        raise ValueError("missing 'text' (a string)")
    channel = item.get("channel")
    if channel is not None and channel not in CHANNELS:
        raise ValueError(
            f"unknown channel {channel!r}; use one of {', '.join(CHANNELS)}"
        )
    return item
