"""Counts of a stage that writes to citizens, per WhatsApp line.

Acknowledgments and folio lookups both send messages: each run counts what
happened per line, may be off (not configured) or stop early (WhatsApp
refused the token), and publishes the counts as one table row per line.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass
class LineCounts:
    """Counts of one run, per line; subclasses name what they count."""

    COUNTS: ClassVar[tuple[str, ...]] = ()

    enabled: bool = True
    per_channel: dict[str, Counter[str]] = field(default_factory=dict)
    stopped: str | None = None  # why sending ended early, when it did

    def count(self, channel: str, what: str) -> None:
        """Add one to a count of one line."""
        self.per_channel.setdefault(channel, Counter())[what] += 1

    def total(self, what: str) -> int:
        """One count summed over the lines."""
        return sum(counts[what] for counts in self.per_channel.values())

    def as_rows(self) -> list[dict[str, Any]]:
        """One row per line, every count present, for a table artifact."""
        if not self.enabled:
            return [
                {"channel": "all"} | dict.fromkeys(self.COUNTS, 0) | {"note": "off"}
            ]
        return [
            {"channel": channel}
            | {what: counts[what] for what in self.COUNTS}
            | {"note": f"stopped: {self.stopped}" if self.stopped else ""}
            for channel, counts in sorted(self.per_channel.items())
        ]
