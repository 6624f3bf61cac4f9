"""The `vigia` command line."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from vigia.errors import ConfigurationError, VigiaError
from vigia.settings import get_settings

app = typer.Typer(
    help="Vigía: CONAVI's complaint-and-fraud pipeline.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
bench_app = typer.Typer(help="Benchmarks that print figures.", no_args_is_help=True)
app.add_typer(bench_app, name="bench")
report_app = typer.Typer(help="Reports for leadership.", no_args_is_help=True)
app.add_typer(report_app, name="report")
case_app = typer.Typer(
    help="Follow and update one case by its folio.", no_args_is_help=True
)
app.add_typer(case_app, name="case")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
BenchSizes = Annotated[
    list[int],
    typer.Option("--messages", help="Sizes to measure, each in a fresh process."),
]
BenchDatabase = Annotated[
    str | None,
    typer.Option(help="Measure on this database (default: a fresh SQLite file)."),
]


def main() -> None:
    """Entry point: run a command, turning Vigía's errors into clean exits."""
    try:
        code = app(standalone_mode=False)
    except VigiaError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
    except (typer.Exit, SystemExit) as done:
        sys.exit(getattr(done, "exit_code", getattr(done, "code", 0)))
    except Exception as error:  # click's usage errors and the like
        import click

        if isinstance(error, click.ClickException):
            error.show()
            sys.exit(error.exit_code)
        raise
    sys.exit(code if isinstance(code, int) else 0)


def _prepare_prefect() -> None:
    from vigia.prefect_env import configure_prefect

    configure_prefect(get_settings())


@app.command()
def webhook(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8080,
    workers: Annotated[
        int,
        typer.Option(
            min=1, max=64, help="Worker processes; more than one needs VIGIA_REDIS_URL."
        ),
    ] = 1,
) -> None:
    """Receive WhatsApp webhooks and portal forms over HTTP, landing them verbatim."""
    import uvicorn

    from vigia.receiver import app_from_environment

    settings = get_settings()
    if workers > 1 and not settings.redis_url:
        raise ConfigurationError(
            "--workers above 1 needs VIGIA_REDIS_URL: failed folio lookups must "
            "be counted across the workers, or each would allow its own quota."
        )
    if workers == 1:  # built here, so a missing secret stops the command at once
        receiver = app_from_environment()
        uvicorn.run(receiver, host=host, port=port, access_log=False, log_level="info")
        return
    app_from_environment()  # the same check before the workers start
    uvicorn.run(
        "vigia.receiver:app_from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        access_log=False,
        log_level="info",
    )


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files to land.")],
    channel: Annotated[
        str | None,
        typer.Option(help="Channel of chat exports: te_atiende or denuncia."),
    ] = None,
) -> None:
    """Land backfill files: webhook JSON/JSONL, chat exports (.txt), portal CSV."""
    from vigia.db import get_engine
    from vigia.landing import LandingSummary, land, read_backfill
    from vigia.wal import checkpoints_aside

    engine = get_engine()
    total = LandingSummary()
    with checkpoints_aside(engine):
        for path in paths:
            summary = land(engine, read_backfill(path, channel))
            total.add(summary)
            print(
                f"{path}: {summary.landed} landed, "
                f"{summary.already_landed} already there"
            )
    print(
        f"landed {total.landed} new bodies ({total.already_landed} seen before); "
        "`vigia run` processes them"
    )


@app.command()
def run(
    max_batches: Annotated[
        int | None, typer.Option(help="Stop after this many ingest batches.")
    ] = None,
) -> None:
    """Run the pipeline flow once, now, over everything pending."""
    _prepare_prefect()
    from flows.pipeline import pipeline
    from vigia.prefect_env import foreground_flow_runs

    with foreground_flow_runs():
        counts = pipeline(max_batches=max_batches)
    for row in counts["ingest"]:
        print(
            f"{row['channel']:>10}: {row['received']} received, "
            f"{row['new_messages']} new messages, {row['duplicates']} duplicates, "
            f"{row['rejected']} rejected, {row['new_cases']} new cases"
        )
    classified = ", ".join(f"{r['label']} {r['cases']}" for r in counts["classify"])
    print(f"classified: {classified or 'nothing new'}")
    grouped = ", ".join(f"{r['count']} {r['value']}" for r in counts["group"])
    print(f"grouped: {grouped}")
    acks = counts["acknowledge"]
    if acks and acks[0].get("note") == "off":
        print("acknowledged: off (VIGIA_ACK_ENABLED is not set)")
    else:
        sent = ", ".join(f"{r['channel']} {r['acknowledged']}" for r in acks)
        print(f"acknowledged: {sent or 'nothing new'}")
    lookups = counts["lookup"]
    if lookups and lookups[0].get("note") == "off":
        print("lookups: off (VIGIA_LOOKUP_REPLIES_ENABLED is not set)")
    else:
        answered = ", ".join(f"{r['channel']} {r['answered']}" for r in lookups)
        print(f"lookups answered: {answered or 'none asked'}")
    routed = ", ".join(f"{r['unit']} {r['cases']}" for r in counts["route"])
    print(f"routed: {routed or 'nothing new'}")


@app.command()
def serve(
    limit: Annotated[int, typer.Option(help="Flow runs at once, at most.")] = 1,
) -> None:
    """Run every scheduled deployment in this one process (no worker needed)."""
    import os

    if not os.environ.get("PREFECT_API_URL"):
        print(
            "warning: PREFECT_API_URL is not set. A temporary Prefect server "
            "serves the deployments but schedules no runs; start `prefect server "
            "start` and export PREFECT_API_URL for the schedules to fire.",
            file=sys.stderr,
        )
    _prepare_prefect()
    from flows.schedules import serve_all

    serve_all(limit=limit)


@app.command()
def status(
    as_json: JsonFlag = False,
) -> None:
    """Landing rows by status, messages and cases per channel, last run."""
    from vigia.db import get_engine
    from vigia.status import collect_status

    report = collect_status(get_engine())
    if as_json:
        print(json.dumps(report, indent=2))
        return
    print("landing:  " + _pairs(report["landing"]))
    print("messages: " + _pairs(report["messages"]))
    print("cases:    " + _pairs(report["cases"]))
    print(f"last run: {report['last_run'] or 'never'}")
    print("classified: " + _pairs(report["classified"]))


def _pairs(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in counts.items())


@app.command()
def generate(
    out: Annotated[Path, typer.Option(help="JSONL file of webhook bodies to write.")],
    messages: Annotated[
        int, typer.Option(min=1, help="Distinct inbound messages.")
    ] = 5000,
    seed: Annotated[int, typer.Option(help="Same seed, same traffic.")] = 7,
    weeks: Annotated[int, typer.Option(min=1, help="Weeks of traffic.")] = 6,
    end: Annotated[
        str | None,
        typer.Option(help="End of the period, ISO date (default: today, UTC)."),
    ] = None,
    portal_csv: Annotated[
        Path | None, typer.Option(help="Also write portal form submissions here.")
    ] = None,
    truth: Annotated[
        Path | None, typer.Option(help="Also write the labels behind each message.")
    ] = None,
) -> None:
    """Write realistic demo traffic for both WhatsApp lines, and the portal."""
    from vigia.demo_files import write_demo_traffic

    end_at = _end_of_period(end)
    written = write_demo_traffic(
        out, messages=messages, seed=seed, weeks=weeks, end=end_at, truth_path=truth
    )
    print(f"{out}: {written} webhook bodies for {messages} messages")
    if portal_csv is not None:
        from vigia.demo_files import write_demo_portal

        rows = write_demo_portal(
            portal_csv, max(messages // 50, 1), seed, weeks, end_at
        )
        print(f"{portal_csv}: {rows} portal forms")


@app.command("demo-progress")
def demo_progress(
    out: Annotated[Path, typer.Option(help="CSV of status updates to write.")],
    seed: Annotated[int, typer.Option(help="Same seed, same updates.")] = 7,
) -> None:
    """Demo only: write the updates units would report for the routed cases."""
    from vigia.db import get_engine, utcnow
    from vigia.demo.progress import write_demo_progress

    rows = write_demo_progress(get_engine(), out, utcnow(), seed)
    print(f"{out}: {rows} status updates; `vigia case import {out}` applies them")


def _end_of_period(end: str | None) -> datetime:
    if end is None:
        today = datetime.now(UTC).date()
        return datetime(today.year, today.month, today.day, tzinfo=UTC)
    moment = datetime.fromisoformat(end)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@app.command()
def train(
    card: Annotated[
        Path, typer.Option(help="Where to write the model card (Markdown).")
    ] = Path("classifiers/MODEL_CARD.md"),
) -> None:
    """Train the topic and fraud models from the repository's labelled data."""
    from classifiers.store import model_path, train_and_save

    settings = get_settings()
    models = train_and_save(settings, card)
    summary = models.metadata["heldout"]
    print(f"{models.version} saved to {model_path(settings)}; model card {card}")
    print(
        f"held-out: topic macro-F1 {summary['topic_macro_f1']:.3f}, fraud recall "
        f">= {summary['fraud_min_recall']:.3f}, precision >= "
        f"{summary['fraud_min_precision']:.3f}"
    )


@app.command()
def overdue(
    as_json: JsonFlag = False,
) -> None:
    """Cases past their first-answer target, most late first, for escalation."""
    from tasks.assign import list_overdue
    from vigia.db import get_engine, utcnow

    late = list_overdue(get_engine(), utcnow())
    if as_json:
        print(json.dumps(late, indent=2))
        return
    for item in late:
        print(
            f"{item['folio']}  {item['unit']:<20} {item['priority']:<7} "
            f"{item['step']} due {item['due']} ({item['hours_late']} h late)"
        )
    print(f"{len(late)} cases overdue")


@app.command("fraud-list")
def fraud_list(
    out: Annotated[
        Path | None,
        typer.Option(
            help="Folder for the CSV and HTML (default $VIGIA_DATA_DIR/fraud-list)."
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Write the investigators' prioritised fraud list now: a CSV and an HTML page."""
    from tasks.fraud_list import publish_fraud_list
    from vigia.db import get_engine, utcnow

    settings = get_settings()
    files = publish_fraud_list(
        get_engine(settings),
        out or settings.data_dir / "fraud-list",
        utcnow(),
        days=settings.fraud_list_days,
    )
    summary = {
        "incidents": len(files.rows),
        "csv": str(files.csv),
        "html": str(files.html),
    }
    if as_json:
        print(json.dumps(summary, indent=2))
        return
    for row in files.rows[:10]:
        print(
            f"{row.rank:>3}. {row.incident.incident}  {row.score.total:5.1f}  "
            f"{', '.join(row.incident.labels)}  {row.incident.unit_name}"
        )
    print(f"{summary['incidents']} incidents; {summary['html']} and {summary['csv']}")


@report_app.command("weekly")
def report_weekly(
    week: Annotated[
        str | None, typer.Option(help="ISO week, e.g. 2026-W48 (default: last week).")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Folder for the files (default $VIGIA_DATA_DIR/reports)."),
    ] = None,
) -> None:
    """Render a week's accountability report (HTML) and its open data (CSV, JSON)."""
    from reports.weekly import render_week
    from reports.weekly_data import Week
    from vigia.db import get_engine, utcnow

    settings = get_settings()
    chosen = Week.parse(week) if week else Week.containing(utcnow()).previous()
    files = render_week(
        get_engine(settings),
        chosen,
        out or settings.data_dir / "reports",
        settings.report_min_cell,
    )
    print(f"week {files.week}: {files.html}")
    print(f"open data: {files.csv} and {files.json}")


@case_app.command("update")
def case_update(
    folio: Annotated[
        str, typer.Argument(help="The case's folio, e.g. DEN-2026-000123.")
    ],
    status: Annotated[
        str,
        typer.Option(
            help="received, acknowledged, assigned, in_progress, "
            "awaiting_information, referred, resolved or closed."
        ),
    ],
    note: Annotated[
        str | None, typer.Option(help="What was done, for the trail.")
    ] = None,
    by: Annotated[
        str, typer.Option(help="Who in the unit made the change.")
    ] = "unidad",
) -> None:
    """Move a case to a new status; the change is kept in its audit trail."""
    from tasks.lifecycle import update_case
    from vigia.db import get_engine

    update_case(get_engine(), folio, status, note=note, actor=by)
    print(f"{folio.upper()}: {status}")


@case_app.command("show")
def case_show(
    folio: Annotated[str, typer.Argument(help="The case's folio.")],
    as_json: JsonFlag = False,
) -> None:
    """The audit trail of a case: every change, oldest first."""
    from tasks.lifecycle import case_history
    from vigia.db import get_engine

    events = case_history(get_engine(), folio)
    if as_json:
        print(json.dumps(events, indent=2, default=str))
        return
    for event in events:
        print(
            f"{event['at']:%Y-%m-%d %H:%M} UTC  {event['from_status'] or '-':>20} -> "
            f"{event['to_status']:<20} {event['actor']} ({event['source']})"
            + (f": {event['note']}" if event["note"] else "")
        )
    print(f"{len(events)} changes")


@case_app.command("import")
def case_import(
    path: Annotated[Path, typer.Argument(help="CSV with folio,status[,note,at,by].")],
) -> None:
    """Apply a spreadsheet of status updates from a unit; bad rows are listed."""
    from tasks.case_updates import import_updates
    from vigia.db import get_engine

    summary = import_updates(get_engine(), path)
    for error in summary.errors:
        print(f"{path}: {error}", file=sys.stderr)
    print(
        f"{path}: {summary.applied} applied, {summary.unchanged} already there, "
        f"{len(summary.errors)} rejected"
    )
    if summary.errors:
        raise typer.Exit(code=1)


@app.command()
def reclassify() -> None:
    """Forget every stored classification and classify all cases again, now."""
    from classifiers.store import load_or_train
    from tasks.classify import classify_pending, forget_labels
    from vigia.db import get_engine

    settings = get_settings()
    models = load_or_train(settings)
    engine = get_engine(settings)
    forget_labels(engine)
    summary = classify_pending(engine, models)
    print(
        f"{summary.cases} cases and {summary.messages} messages classified with "
        f"{models.version}; {summary.needs_review} need review"
    )


@app.command()
def classify(
    path: Annotated[
        str, typer.Argument(help="JSONL file of {id, text}, or - for stdin.")
    ],
) -> None:
    """Classify texts: one JSON result per input line, in order, on stdout."""
    from classifiers.cli_io import classify_stream
    from classifiers.store import load_or_train

    models = load_or_train(get_settings())
    source = sys.stdin if path == "-" else _open_text(Path(path))
    failures = classify_stream(models, source, sys.stdout, sys.stderr)
    if failures:
        raise typer.Exit(code=1)


@app.command()
def dedup(
    path: Annotated[
        str,
        typer.Argument(help="JSONL of {id, text[, channel, sender, sent_at]}, or -."),
    ],
) -> None:
    """Group copies and reports of one incident: {id, group, duplicate_of} per line."""
    from tasks.dedup_stream import dedup_stream

    source = sys.stdin if path == "-" else _open_text(Path(path))
    failures = dedup_stream(source, sys.stdout, sys.stderr)
    if failures:
        raise typer.Exit(code=1)


def _open_text(path: Path):  # type: ignore[no-untyped-def]
    from vigia.errors import InputFileError

    if not path.is_file():
        raise InputFileError(f"{path}: no such file")
    return path.open(encoding="utf-8")


@bench_app.command("ingest")
def bench_ingest(
    messages: BenchSizes,
    database_url: BenchDatabase = None,
    as_json: JsonFlag = False,
) -> None:
    """Land, parse and store N generated messages; print rate and peak memory."""
    from vigia.bench import run_ingest_benchmarks

    run_ingest_benchmarks(messages, database_url, as_json)


@bench_app.command("classify")
def bench_classify(
    messages: BenchSizes,
    as_json: JsonFlag = False,
) -> None:
    """Normalise, extract, find evidence and classify N texts; print the rate."""
    from vigia.bench import run_classify_benchmarks

    run_classify_benchmarks(messages, as_json)


@bench_app.command("dedup")
def bench_dedup(
    messages: BenchSizes,
    as_json: JsonFlag = False,
) -> None:
    """Group N texts of demo traffic into copies and incidents; print time, memory."""
    from vigia.bench_dedup import run_dedup_benchmarks

    run_dedup_benchmarks(messages, as_json)


@bench_app.command("lookup")
def bench_lookup(
    lookups: Annotated[
        int, typer.Option(min=1, max=1000, help="Lookups posted at once.")
    ] = 100,
    as_json: JsonFlag = False,
) -> None:
    """Post N concurrent folio lookups to a receiver on loopback; print p50/p95/p99."""
    from vigia.bench_lookup import describe, run_lookup_benchmark

    result = run_lookup_benchmark(lookups)
    print(json.dumps(result) if as_json else describe(result))


@bench_app.command("report")
def bench_report(
    messages: BenchSizes,
    database_url: BenchDatabase = None,
    as_json: JsonFlag = False,
) -> None:
    """Render the weekly report of a week holding N messages; print time, memory."""
    from vigia.bench_report import describe, run_in_child

    for size in messages:
        result = run_in_child(size, database_url)
        print(json.dumps(result) if as_json else describe(result))


@bench_app.command("pipeline")
def bench_pipeline(
    messages: BenchSizes,
    dask_workers: Annotated[
        int,
        typer.Option(
            min=0, max=64, help="Classify on a local Dask cluster of N processes."
        ),
    ] = 0,
    classify_workers: Annotated[
        int,
        typer.Option(
            min=1, max=64, help="Classify on N worker processes of the pipeline's own."
        ),
    ] = 1,
    as_json: JsonFlag = False,
) -> None:
    """Run every flow over N generated messages; print stages, rate, floor, memory."""
    from vigia.bench_pipeline import run_pipeline_benchmarks

    run_pipeline_benchmarks(messages, dask_workers, as_json, classify_workers)


@bench_app.command("webhook")
def bench_webhook(
    seconds: Annotated[
        float, typer.Option(min=1, max=600, help="Length of the load.")
    ] = 60,
    connections: Annotated[
        int,
        typer.Option(min=1, max=512, help="Keep-alive connections posting at once."),
    ] = 32,
    max_requests: Annotated[
        int, typer.Option(min=1, help="Stop after this many requests in any case.")
    ] = 500_000,
    as_json: JsonFlag = False,
) -> None:
    """Signed POSTs to a receiver on loopback; print req/s, latency, stored count."""
    from vigia.bench_webhook import describe, run_webhook_benchmark

    result = run_webhook_benchmark(seconds, connections, max_requests)
    print(json.dumps(result) if as_json else describe(result))


# Retention and backups.


@app.command()
def purge(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count what would go; change nothing.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Empty landed bodies past retention; rows, sha256 and status stay."""
    from tasks.retention import purge_landing
    from vigia.db import get_engine, utcnow

    settings = get_settings()
    summary = purge_landing(get_engine(settings), settings, utcnow(), dry_run=dry_run)
    if as_json:
        print(json.dumps(summary.as_dict(), indent=2))
        return
    verb = "would empty" if dry_run else "emptied"
    print(
        f"{verb} {summary.rows} landing bodies ({summary.bytes_freed} bytes): "
        f"processed or ignored before {summary.cutoff:%Y-%m-%d}, rejected before "
        f"{summary.rejected_cutoff:%Y-%m-%d}"
    )


@app.command("backup")
def backup_database(
    path: Annotated[Path, typer.Argument(help="File to write the backup to.")],
) -> None:
    """Back up the database to one file (SQLite online backup, or pg_dump -Fc)."""
    from vigia.backup import backup

    written = backup(get_settings(), path)
    print(f"backed up {get_settings().resolved_database_url} to {written}")


@app.command("restore")
def restore_database(
    path: Annotated[Path, typer.Argument(help="Backup file made by `vigia backup`.")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace a database that holds data.")
    ] = False,
) -> None:
    """Restore a backup into the configured database; refuses one holding data."""
    from vigia.backup import restore
    from vigia.db import get_engine

    settings = get_settings()
    restore(settings, path, force=force)
    get_engine(settings)  # a backup of an older schema is migrated now
    print(f"restored {path} into {settings.resolved_database_url}")


if __name__ == "__main__":
    main()
