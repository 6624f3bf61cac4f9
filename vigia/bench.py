"""Benchmarks of whole stages on generated traffic; they print figures.

The traffic is generated first, in the parent process; each size is then
measured in a fresh Python process, so its peak memory is the stage's own.
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
BENCH_NUMBERS = {
    "VIGIA_TE_ATIENDE_PHONE_NUMBER_ID": "100000000000001",
    "VIGIA_DENUNCIA_PHONE_NUMBER_ID": "100000000000002",
}


def run_ingest_benchmarks(
    sizes: list[int], database_url: str | None, as_json: bool
) -> None:
    """Measure each size in its own process and print one line per size."""
    results = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="vigia-bench-") as folder:
            traffic = Path(folder) / "traffic.jsonl"
            _generate(traffic, size)
            results.append(_in_child("ingest", traffic, database_url))
    for result in results:
        print(json.dumps(result) if as_json else _describe(result))  # noqa: T201
    if len(results) > 1 and not as_json:
        base, top = results[0], results[-1]
        print(  # noqa: T201
            f"from {base['messages']:,} to {top['messages']:,} messages: time "
            f"{top['seconds'] / base['seconds']:.2f}x, peak memory "
            f"{top['peak_rss_mb'] / base['peak_rss_mb']:.2f}x"
        )


def _describe(result: dict[str, Any]) -> str:
    return (
        f"ingest {result['messages']:>9,} messages: "
        f"{result['messages_per_second']:>8,.0f} msg/s "
        f"(land {result['land_seconds']:.1f} s, parse+store "
        f"{result['ingest_seconds']:.1f} s), peak RSS {result['peak_rss_mb']:.0f} MB"
    )


def _generate(traffic: Path, size: int) -> None:
    os.environ.update({k: os.environ.get(k, v) for k, v in BENCH_NUMBERS.items()})
    from vigia.demo_files import write_demo_traffic

    write_demo_traffic(traffic, messages=size, seed=1, weeks=6, end=BENCH_END)


def _in_child(stage: str, traffic: Path, database_url: str | None) -> dict[str, Any]:
    command = [
        sys.executable, "-m", "vigia.bench", stage, str(traffic), database_url or ""
    ]  # fmt: skip
    output = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def measure_ingest(traffic: Path, database_url: str | None) -> dict[str, Any]:
    """Time landing a traffic file and ingesting it into a fresh database."""
    with tempfile.TemporaryDirectory(prefix="vigia-bench-db-") as folder:
        os.environ["VIGIA_DATA_DIR"] = folder
        if database_url:
            os.environ["VIGIA_DATABASE_URL"] = database_url
        for name, value in BENCH_NUMBERS.items():
            os.environ.setdefault(name, value)
        from tasks.ingest import ingest_pending
        from vigia.db import get_engine
        from vigia.landing import land, read_backfill
        from vigia.settings import get_settings

        settings = get_settings()
        engine = get_engine(settings)
        started = time.perf_counter()
        land(engine, read_backfill(traffic))
        landed = time.perf_counter()
        summary = ingest_pending(engine, settings)
        done = time.perf_counter()
        engine.dispose()
    messages = summary.total("new_messages")
    return {
        "stage": "ingest",
        "messages": messages,
        "seconds": round(done - started, 2),
        "land_seconds": round(landed - started, 2),
        "ingest_seconds": round(done - landed, 2),
        "messages_per_second": round(messages / (done - started)),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
    }


def run_classify_benchmarks(sizes: list[int], as_json: bool) -> None:
    """Classify N texts of demo traffic per size, each in a fresh process."""
    from classifiers.store import load_or_train, model_path
    from vigia.settings import get_settings

    settings = get_settings()
    load_or_train(settings)
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="vigia-bench-") as folder:
            texts = Path(folder) / "texts.jsonl"
            _write_texts(texts, size)
            result = _in_child("classify", texts, str(model_path(settings)))
        print(json.dumps(result) if as_json else _describe_classify(result))  # noqa: T201


def _describe_classify(result: dict[str, Any]) -> str:
    return (
        f"classify {result['messages']:>9,} texts: "
        f"{result['messages_per_second']:>8,.0f} texts/s "
        f"({result['seconds']:.1f} s), peak RSS {result['peak_rss_mb']:.0f} MB"
    )


def _write_texts(path: Path, size: int) -> None:
    """The first ``size`` message texts of demo traffic, as `vigia classify` reads."""
    from vigia.demo import generate_traffic

    written = 0
    with path.open("w", encoding="utf-8") as out:
        for item in generate_traffic(size * 2, seed=3, end=BENCH_END):
            for change in item.body["entry"][0]["changes"]:
                for message in change["value"].get("messages", []):
                    text = (message.get("text") or {}).get("body")
                    if text and written < size:
                        out.write(
                            json.dumps({"id": message["id"], "text": text}) + "\n"
                        )
                        written += 1
            if written >= size:
                return


def measure_classify(texts_path: Path, models_path: str) -> dict[str, Any]:
    """Time the Spanish pipeline and both models over a file of texts."""
    from classifiers.classifier import TrainedModels, classify

    models = TrainedModels.load(Path(models_path))
    texts = [
        json.loads(line)["text"]
        for line in texts_path.read_text(encoding="utf-8").splitlines()
    ]
    started = time.perf_counter()
    results = sum(1 for _ in classify(models, texts))
    seconds = time.perf_counter() - started
    return {
        "stage": "classify",
        "messages": results,
        "seconds": round(seconds, 2),
        "messages_per_second": round(results / seconds),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
    }


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    stage, path, argument = sys.argv[1], Path(sys.argv[2]), sys.argv[3] or None
    if stage == "classify":
        print(json.dumps(measure_classify(path, sys.argv[3])))  # noqa: T201
    else:
        print(json.dumps(measure_ingest(path, argument)))  # noqa: T201
