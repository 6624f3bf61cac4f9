"""Benchmark of duplicate and incident grouping on generated demo traffic.

``python -m vigia.bench_dedup 100000`` generates that many inbound text
messages of demo traffic (not timed), groups them all in this process with
:func:`tasks.incidents.dedup_items` and prints one JSON line: messages,
seconds, messages per second and the process's peak resident memory. Run
each size in a fresh process so that the peak memory is that size's own.
"""

from __future__ import annotations

import gc
import json
import resource
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

BENCH_END = datetime(2026, 11, 30, tzinfo=UTC)
BENCH_SEED = 3


def demo_items(messages: int, seed: int = BENCH_SEED) -> Iterator[dict[str, Any]]:
    """The first ``messages`` inbound texts of demo traffic, as `vigia dedup` reads.

    Each item has ``id``, ``text``, ``channel``, ``sender``, ``sent_at``
    (ISO 8601) and ``forwarded`` (WhatsApp's forwarded mark). Re-deliveries
    of a webhook are left out: ingest drops them before grouping.
    """
    from vigia.demo import generate_traffic

    produced = 0
    # Media and statuses come on top of text messages: ask for twice as many.
    for generated in generate_traffic(messages * 2, seed, end=BENCH_END):
        for change in generated.body["entry"][0]["changes"]:
            inbound = change["value"].get("messages", [])
            for message, truth in zip(inbound, generated.truth, strict=True):
                text = (message.get("text") or {}).get("body")
                if not text or truth["redelivery"]:
                    continue
                context = message.get("context") or {}
                sent_at = datetime.fromtimestamp(int(message["timestamp"]), UTC)
                yield {
                    "id": message["id"],
                    "text": text,
                    "channel": truth["channel"],
                    "sender": truth["sender"],
                    "sent_at": sent_at.isoformat(),
                    "forwarded": bool(
                        context.get("forwarded") or context.get("frequently_forwarded")
                    ),
                }
                produced += 1
                if produced == messages:
                    return


def measure_dedup(messages: int) -> dict[str, Any]:
    """Group ``messages`` demo texts in this process; time it and its peak memory."""
    from tasks.incidents import dedup_items

    gc.disable()  # the generator's bodies hold no cycles; see vigia.demo.traffic
    items = list(demo_items(messages))
    gc.enable()
    gc.collect()

    started = time.perf_counter()
    results = dedup_items(items)
    seconds = time.perf_counter() - started

    groups = {result["group"] for result in results}
    return {
        "messages": len(results),
        "seconds": round(seconds, 2),
        "messages_per_second": round(len(results) / seconds),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "groups": len(groups),
        "duplicates": sum(result["duplicate_of"] is not None for result in results),
    }


def _peak_rss_mb() -> float:
    """Peak resident memory of this process (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(json.dumps(measure_dedup(size)))  # noqa: T201
