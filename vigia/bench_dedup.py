"""Benchmark of duplicate and incident grouping on generated demo traffic.

`vigia bench dedup --messages N` runs ``python -m vigia.bench_dedup N`` in a
fresh process per size, so that each peak memory is that size's own. The
child generates N inbound text messages of demo traffic (not timed), groups
them all with :func:`tasks.incidents.dedup_items` (the code behind `vigia
dedup`) and prints one JSON line: messages, seconds, messages per second,
peak resident memory, groups and duplicates.
"""

from __future__ import annotations

import gc
import json
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

BENCH_END = datetime(2026, 11, 30, tzinfo=UTC)
BENCH_SEED = 3


def run_dedup_benchmarks(sizes: list[int], as_json: bool) -> None:
    """Measure each size in its own process; print a line per size and the growth."""
    results = []
    for size in sizes:
        child = subprocess.run(
            [sys.executable, "-m", "vigia.bench_dedup", str(size)],
            check=True,
            capture_output=True,
            text=True,
        )
        results.append(json.loads(child.stdout.splitlines()[-1]))
        print(json.dumps(results[-1]) if as_json else _describe(results[-1]))  # noqa: T201
    if len(results) > 1 and not as_json:
        base, top = results[0], results[-1]
        print(  # noqa: T201
            f"from {base['messages']:,} to {top['messages']:,} messages: "
            f"{top['messages'] / base['messages']:.0f}x the texts, time "
            f"{top['seconds'] / base['seconds']:.2f}x, peak memory "
            f"{top['peak_rss_mb'] / base['peak_rss_mb']:.2f}x"
        )


def _describe(result: dict[str, Any]) -> str:
    return (
        f"dedup {result['messages']:>9,} texts: {result['seconds']:>7.1f} s "
        f"({result['messages_per_second']:,} texts/s), peak RSS "
        f"{result['peak_rss_mb']:,.0f} MB, {result['groups']:,} groups, "
        f"{result['duplicates']:,} duplicates"
    )


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
