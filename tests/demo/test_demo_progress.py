"""The demo's progress sheet imports cleanly, as a unit's would."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, select

from models import Case
from tasks.assign import route_pending
from tasks.case_updates import import_updates
from tasks.classify import classify_pending
from tasks.routing import load_rules
from tests.builders import text_body
from tests.tasks.test_classify import START, deliver
from vigia.demo.progress import write_demo_progress
from vigia.settings import Settings


def test_every_update_of_the_demo_sheet_is_accepted_and_none_is_in_the_future(
    engine: Engine, settings: Settings, trained_models, tmp_path: Path
) -> None:
    question = "requisitos para el apoyo?"
    deliver(engine, settings, [
        text_body(f"wamid.p{n}", f"52155200000{n:02d}", START, question)
        for n in range(40)
    ])  # fmt: skip
    classify_pending(engine, trained_models)
    route_pending(engine, load_rules())
    sheet = tmp_path / "avances.csv"
    now = START + timedelta(days=3)

    rows = write_demo_progress(engine, sheet, now, seed=3)
    summary = import_updates(engine, sheet)

    assert rows > 20 and summary.errors == [] and summary.applied == rows
    assert all(line.split(",")[3] < now.isoformat() for line in
               sheet.read_text().splitlines()[1:])  # fmt: skip
    with engine.connect() as connection:
        statuses = set(connection.scalars(select(Case.status)))
    assert statuses <= {"assigned", "in_progress", "resolved", "closed"}
    assert "resolved" in statuses
