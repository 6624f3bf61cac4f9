"""Benchmark of the weekly report on a week holding N messages.

`vigia bench report --messages N` fills a fresh database with one ISO week
of N inbound messages (and the week before it, a tenth of the size, for the
week-over-week figures): cases of about 2.5 messages, their classification,
routing, incidents for the fraud reports, delivery statuses of replies,
automatic answers to three Te Atiende cases in ten, and units' status
changes. The rows are written straight into the tables, since
what is measured is the report, not ingest or the classifiers. Filling is
not timed; rendering the week (every aggregate in SQL, then the HTML, CSV
and JSON) is, and the command prints the seconds and the peak memory.
"""

from __future__ import annotations

import json
import random
import resource
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from reports.weekly_data import Week

WEEK = Week(2026, 48)
CHANNELS = (
    ("te_atiende", "ATE", 0.62),
    ("denuncia", "DEN", 0.33),
    ("portal", "POR", 0.05),
)
TOPICS = ("registro", "estatus", "pago", "obra", "atencion", "otro")
UNITS = ("atencion_ciudadana", "subsidios", "obra", "oic", "juridico")
STATES = (None, None, None, "Oaxaca", "Chiapas", "Jalisco", "Puebla", "Veracruz")
CHUNK = 50_000


def run_report_benchmark(messages: int, database_url: str | None) -> dict[str, Any]:
    """Fill a database, render the week, and return the figures."""
    from reports.weekly import render_week
    from vigia.db import get_engine
    from vigia.settings import Settings

    with tempfile.TemporaryDirectory(prefix="vigia-bench-report-") as folder:
        settings = Settings(data_dir=Path(folder), database_url=database_url or None)
        engine = get_engine(settings)
        started = time.perf_counter()
        fill_week(engine, messages)
        fill_seconds = time.perf_counter() - started

        started = time.perf_counter()
        files = render_week(engine, WEEK, Path(folder) / "reports")
        seconds = time.perf_counter() - started
        engine.dispose()
        return {
            "messages": messages,
            "database": engine.dialect.name,
            "fill_seconds": round(fill_seconds, 1),
            "render_seconds": round(seconds, 2),
            "html_kb": round(files.html.stat().st_size / 1024, 1),
            "peak_rss_mb": round(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
            ),
        }


def fill_week(engine: Engine, messages: int, seed: int = 5) -> None:
    """Write the week's rows in bulk, chunk by chunk, bounded in memory."""
    from vigia.db import insert_fast

    draw = random.Random(seed)
    tables = _tables()
    previous = messages // 10
    landing = (1, "bench", "0" * 64, b"{}", _moment(WEEK, 0), "processed", None)
    with engine.begin() as connection:
        insert_fast(connection, tables["landing"], LANDING_COLUMNS, [landing])
    case_id, message_id = 0, 0
    for week, count in ((WEEK.previous(), previous), (WEEK, messages)):
        for rows in _chunks(_rows(draw, week, count, case_id, message_id)):
            with engine.begin() as connection:
                for name, batch in rows.items():
                    insert_fast(connection, tables[name], COLUMNS[name], batch)
                case_id = max(case_id, *(row[0] for row in rows["cases"]))
                message_id = max(message_id, *(row[0] for row in rows["messages"]))


LANDING_COLUMNS = ("id", "source", "sha256", "body", "received_at", "status", "reason")
COLUMNS = {
    "cases": ("id", "folio", "channel", "sender", "opened_at", "last_message_at",
              "message_count", "status", "updated_at"),
    "messages": ("id", "wamid", "channel", "direction", "sender", "case_id", "sent_at",
                 "type", "text", "forwarded", "landing_id"),
    "case_labels": ("case_id", "model_version", "topic", "topic_score", "fraud",
                    "fraud_scores", "evidence", "entities", "has_fraud", "needs_review",
                    "messages_seen", "classified_at"),
    "assignments": ("case_id", "unit", "rule", "rules_version", "priority",
                    "first_answer_due", "triage_due", "resolution_due", "assigned_at"),
    "message_statuses": ("wamid", "channel", "status", "at", "recipient", "landing_id"),
    "case_events": ("case_id", "at", "actor", "source", "from_status", "to_status",
                    "note", "recorded_at"),
}  # fmt: skip


def _tables() -> dict[str, Any]:
    from models import metadata

    names = ("landing", *COLUMNS)
    return {name: metadata.tables[name] for name in names}


def _rows(
    draw: random.Random, week: Week, messages: int, first_case: int, first_message: int
) -> Iterator[dict[str, list[tuple[Any, ...]]]]:
    """One dict of rows per case, each case 1 to 4 messages."""
    written, case_id, message_id = 0, first_case, first_message
    while written < messages:
        case_id += 1
        size = min(draw.choice((1, 2, 2, 3, 4)), messages - written)
        rows = _case_rows(draw, week, case_id, message_id, size)
        message_id += len(rows["messages"])  # the inbound ones and any answer
        written += size
        yield rows


def _case_rows(
    draw: random.Random, week: Week, case_id: int, message_id: int, size: int
) -> dict[str, list[tuple[Any, ...]]]:
    channel, prefix = _channel(draw)
    sender = f"bench{case_id % 400_000:06d}"
    opened = _moment(week, draw.random())
    fraud = channel == "denuncia" and draw.random() < 0.4
    state = draw.choice(STATES)
    unit = draw.choice(UNITS[3:] if fraud else UNITS[:3])
    due = opened + timedelta(hours=draw.choice((24, 48, 72)))
    messages = [
        (message_id + n + 1, f"wamid.bench{message_id + n + 1}", channel, "in", sender,
         case_id, opened + timedelta(minutes=n), "text", "texto de prueba", False, 1)
        for n in range(size)
    ]  # fmt: skip
    label = (case_id, "bench", draw.choice(TOPICS), 0.9,
             ["cobro_indebido"] if fraud else [],
             {"cobro_indebido": 0.9 if fraud else 0.0}, [],
             {"states": [state] if state else []}, fraud, draw.random() < 0.1,
             size, opened)  # fmt: skip
    rows: dict[str, list[tuple[Any, ...]]] = {
        "cases": [(case_id, f"{prefix}-2026-{case_id:07d}", channel, sender, opened,
                   opened + timedelta(minutes=size), size, "assigned", opened)],
        "messages": messages,
        "case_labels": [label],
        "assignments": [(case_id, unit, "bench", "1@bench", "normal", due,
                         due if fraud else None, due + timedelta(days=10), opened)],
        "message_statuses": [],
        "case_events": [(case_id, opened, "vigia", "routing", "received", "assigned",
                         None, opened)],
    }  # fmt: skip
    _answers(draw, rows, opened, channel, sender, case_id)
    if channel == "te_atiende" and draw.random() < 0.3:
        rows["messages"].append(_automatic_answer(message_id + size + 1, rows))
    return rows


def _automatic_answer(
    message_id: int, rows: dict[str, list[tuple[Any, ...]]]
) -> tuple[Any, ...]:
    """The acknowledgment with a curated answer that a sure question gets."""
    _, _, channel, _, sender, case_id, sent_at, *_ = rows["messages"][-1]
    return (message_id, f"wamid.auto{case_id}", channel, "out", sender, case_id,
            sent_at + timedelta(minutes=5), "automatic_answer", "respuesta", False,
            1)  # fmt: skip


def _answers(
    draw: random.Random,
    rows: dict[str, list[tuple[Any, ...]]],
    opened: datetime,
    channel: str,
    sender: str,
    case_id: int,
) -> None:
    """A reply for most cases, and a unit's progress for some."""
    if draw.random() < 0.8:
        replied = opened + timedelta(hours=draw.uniform(0.2, 40))
        rows["message_statuses"].append(
            (f"wamid.out{case_id}", channel, "delivered", replied, sender, 1)
        )
    moment = opened
    for status in ("in_progress", "resolved", "closed"):
        if draw.random() > 0.6:
            break
        moment += timedelta(hours=draw.uniform(2, 60))
        previous = rows["case_events"][-1][5]
        rows["case_events"].append(
            (case_id, moment, "unidad", "bench", previous, status, None, moment)
        )
        rows["cases"][0] = (*rows["cases"][0][:7], status, *rows["cases"][0][8:])


def _channel(draw: random.Random) -> tuple[str, str]:
    roll, total = draw.random(), 0.0
    for channel, prefix, share in CHANNELS:
        total += share
        if roll < total:
            return channel, prefix
    return CHANNELS[0][0], CHANNELS[0][1]


def _moment(week: Week, share: float) -> datetime:
    return week.start + timedelta(seconds=share * 7 * 86_400 - 1)


def _chunks(
    rows: Iterator[dict[str, list[tuple[Any, ...]]]],
) -> Iterator[dict[str, list[tuple[Any, ...]]]]:
    """Cases gathered into batches of about CHUNK messages."""
    batch: dict[str, list[tuple[Any, ...]]] = {name: [] for name in COLUMNS}
    count = 0
    for case in rows:
        for name, values in case.items():
            batch[name] += values
        count += len(case["messages"])
        if count >= CHUNK:
            yield batch
            batch, count = {name: [] for name in COLUMNS}, 0
    if batch["cases"]:
        yield batch


def describe(result: dict[str, Any]) -> str:
    return (
        f"weekly report, {result['messages']:,} messages in the week "
        f"({result['database']}): rendered in {result['render_seconds']:.2f} s, "
        f"{result['html_kb']} KB of HTML, peak RSS {result['peak_rss_mb']:,.0f} MB "
        f"(filling the database took {result['fill_seconds']:.0f} s)"
    )


def run_in_child(messages: int, database_url: str | None) -> dict[str, Any]:
    """Measure in a fresh process, so the peak memory is the report's own."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "vigia.bench_report", str(messages)]
    command += [database_url] if database_url else []
    output = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    import sys

    size = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    url = sys.argv[2] if len(sys.argv) > 2 else None
    print(json.dumps(run_report_benchmark(size, url)))  # noqa: T201
