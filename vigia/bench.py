"""Benchmarks of whole stages on generated traffic; they print figures.

Each size runs in a fresh Python process, so its peak memory is its own.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH_END = datetime(2026, 11, 30, tzinfo=UTC)


def run_ingest_benchmarks(
    sizes: list[int], database_url: str | None, as_json: bool
) -> None:
    """Measure each size in its own process and print one line per size."""
    results = [_in_child("ingest", size, database_url) for size in sizes]
    for result in results:
        if as_json:
            print(json.dumps(result))  # noqa: T201 - a benchmark prints its figures
        else:
            print(  # noqa: T201
                f"ingest {result['messages']:>9,} messages: "
                f"{result['messages_per_second']:>8,.0f} msg/s "
                f"(land {result['land_seconds']:.1f} s, parse+store "
                f"{result['ingest_seconds']:.1f} s), "
                f"peak RSS {result['peak_rss_mb']:.0f} MB"
            )
    if len(results) > 1 and not as_json:
        base, top = results[0], results[-1]
        print(  # noqa: T201
            f"peak memory {top['messages']:,} vs {base['messages']:,}: "
            f"{top['peak_rss_mb'] / base['peak_rss_mb']:.2f}x"
        )


def _in_child(stage: str, size: int, database_url: str | None) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "vigia.bench",
        stage,
        str(size),
        database_url or "",
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def measure_ingest(size: int, database_url: str | None) -> dict[str, Any]:
    """Generate traffic to a file, then time landing it and ingesting it."""
    with tempfile.TemporaryDirectory(prefix="vigia-bench-") as folder:
        os.environ["VIGIA_DATA_DIR"] = folder
        if database_url:
            os.environ["VIGIA_DATABASE_URL"] = database_url
        os.environ.setdefault("VIGIA_TE_ATIENDE_PHONE_NUMBER_ID", "100000000000001")
        os.environ.setdefault("VIGIA_DENUNCIA_PHONE_NUMBER_ID", "100000000000002")
        from tasks.ingest import ingest_pending
        from vigia.db import get_engine
        from vigia.demo_files import write_demo_traffic
        from vigia.landing import land, read_backfill
        from vigia.settings import get_settings

        traffic = Path(folder) / "traffic.jsonl"
        write_demo_traffic(traffic, messages=size, seed=1, weeks=6, end=BENCH_END)
        settings = get_settings()
        engine = get_engine(settings)

        started = time.perf_counter()
        land(engine, read_backfill(traffic))
        landed = time.perf_counter()
        summary = ingest_pending(engine, settings)
        done = time.perf_counter()
        engine.dispose()
    return {
        "stage": "ingest",
        "messages": summary.total("new_messages"),
        "land_seconds": round(landed - started, 2),
        "ingest_seconds": round(done - landed, 2),
        "messages_per_second": round(summary.total("new_messages") / (done - started)),
        "peak_rss_mb": round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
        ),
    }


if __name__ == "__main__":
    stage, size, url = sys.argv[1], int(sys.argv[2]), sys.argv[3] or None
    print(json.dumps(measure_ingest(size, url)))  # noqa: T201
