"""The pipeline flow under a real Prefect server, and `vigia` as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from models import PipelineRun
from tests.builders import encoded
from tests.conftest import REPO
from tests.tasks.test_ingest import conversation
from vigia.landing import Arrival, land
from vigia.settings import Settings

pytestmark = pytest.mark.slow


def test_pipeline_flow_ingests_classifies_and_publishes_counts(
    prefect_api: str, engine: Engine, settings: Settings, installed_models
) -> None:
    from prefect.client.orchestration import get_client

    from flows.pipeline import pipeline

    land(
        engine, [Arrival("whatsapp_webhook", encoded(body)) for body in conversation()]
    )

    counts = pipeline()

    rows = {row["channel"]: row for row in counts["ingest"]}
    classified = {row["label"]: row["cases"] for row in counts["classify"]}
    assert rows["te_atiende"]["new_messages"] == 3
    assert rows["denuncia"]["new_cases"] == 1
    assert sum(n for label, n in classified.items() if label.startswith("topic:")) == 3
    with engine.connect() as connection:
        [run] = connection.execute(select(PipelineRun)).all()
    assert run.state == "completed" and run.counts == counts
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts()
    keys = {artifact.key for artifact in artifacts}
    assert {"ingest-counts", "classification-counts", "grouping-counts"} <= keys
    assert {"acknowledgment-counts", "routing-counts"} <= keys
    assert [row["note"] for row in counts["acknowledge"]] == ["off"]  # the default


def test_command_line_backfill_run_and_status(
    prefect_api: str, environment: dict[str, str], tmp_path: Path, installed_models
) -> None:
    env = os.environ | environment | {"PREFECT_API_URL": prefect_api}
    backfill = tmp_path / "bodies.jsonl"
    backfill.write_text("\n".join(json.dumps(body) for body in conversation()))
    export = REPO / "demo" / "exports" / "te_atiende_android_12h.txt"

    def vigia(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "vigia.cli", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    vigia("ingest", str(backfill))
    vigia("ingest", "--channel", "te_atiende", str(export))
    vigia("run")
    status = json.loads(vigia("status", "--json"))
    fraud_list = json.loads(vigia("fraud-list", "--json"))

    assert status["landing"] == {
        "pending": 0,
        "processed": 5,
        "rejected": 0,
        "ignored": 0,
    }
    assert status["messages"]["denuncia"] == 1
    assert status["messages"]["te_atiende"] > 3
    assert status["last_run"] is not None
    assert fraud_list["incidents"] == 1  # the one denuncia of the conversation
    assert Path(fraud_list["html"]).is_file() and Path(fraud_list["csv"]).is_file()


def test_command_line_reports_bad_input_clearly(environment: dict[str, str]) -> None:
    env = os.environ | environment

    result = subprocess.run(
        [sys.executable, "-m", "vigia.cli", "ingest", "no-such-file.jsonl"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 2
    assert "no-such-file.jsonl: no such file" in result.stderr
