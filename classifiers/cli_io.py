"""`vigia classify`: JSON lines in, one result per line out, errors to stderr."""

from __future__ import annotations

import json
import re
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
            out.write(_json_line({"id": item["id"]} | result))
        out.flush()
    return failures


# Characters that some readers take as line ends (Python's splitlines, many
# editors): escaped so that one result is always one line.
_LINE_BREAKS = {"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_LINE_BREAK = re.compile("[\u0085\u2028\u2029]")


def _json_line(value: dict[str, Any]) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return _LINE_BREAK.sub(lambda match: _LINE_BREAKS[match.group()], text) + "\n"


def _classify(models: TrainedModels, items: list[dict[str, Any]]) -> Iterator[dict]:
    for result in classify(models, [item["text"] for item in items]):
        yield result.as_dict()


# A WhatsApp message holds at most 4,096 characters and a portal form a few
# thousand; far longer is not a citizen's text (and spaCy refuses a million).
MAX_TEXT_CHARS = 100_000


def parse_line(line: str) -> dict[str, Any]:
    """Validate one line: an object with ``id``, ``text`` and maybe ``channel``."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(
            f"not valid JSON ({error.msg} at column {error.colno})"
        ) from None
    except RecursionError:
        raise ValueError("JSON nested too deeply to be a text to classify") from None
    if not isinstance(item, dict):
        raise ValueError("expected a JSON object with 'id' and 'text'")
    if "id" not in item or not isinstance(item["id"], str | int):
        raise ValueError("missing 'id' (a string or a number)")
    if not isinstance(item.get("text"), str):
        raise ValueError("missing 'text' (a string)")
    if len(item["text"]) > MAX_TEXT_CHARS:
        raise ValueError(
            f"'text' has {len(item['text']):,} characters; at most {MAX_TEXT_CHARS:,}"
        )
    for field in ("id", "text"):
        try:
            str(item[field]).encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(
                f"'{field}' holds half of a UTF-16 surrogate pair, not text"
            ) from None
    channel = item.get("channel")
    if channel is not None and channel not in CHANNELS:
        raise ValueError(
            f"unknown channel {channel!r}; use one of {', '.join(CHANNELS)}"
        )
    return item
