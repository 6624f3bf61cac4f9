"""`vigia dedup`: JSON lines in, one ``{"id", "group", "duplicate_of"}`` per line out.

Grouping needs every item before it can answer for any of them (the
earliest copy may come last in the file), so the whole input is read
first; results are then written in input order. A bad line is reported by
its number on stderr and left out, like `vigia classify` does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any, TextIO

from classifiers.cli_io import parse_line
from tasks.incidents import dedup_items


def dedup_stream(lines: Iterable[str], out: TextIO, errors: TextIO) -> int:
    """Group the items of ``lines``; return how many lines could not be read."""
    items, failures = [], 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            items.append(parse_dedup_line(line))
        except ValueError as error:
            failures += 1
            errors.write(f"line {number}: {error}\n")

    for result in dedup_items(items):
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    out.flush()
    return failures


def parse_dedup_line(line: str) -> dict[str, Any]:
    """A `vigia classify` line, with ``sender`` and ``sent_at`` checked if present."""
    item = parse_line(line)
    sender = item.get("sender")
    if sender is not None and not isinstance(sender, str | int):
        raise ValueError("'sender' must be a string or a number")
    sent_at = item.get("sent_at")
    if sent_at is not None and not isinstance(sent_at, int | float):
        try:
            datetime.fromisoformat(str(sent_at).replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(
                f"'sent_at' {sent_at!r} is not ISO 8601 (2026-11-30T09:15:00-06:00)"
                " nor epoch seconds"
            ) from None
    return item
