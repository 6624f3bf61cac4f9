"""The daily fraud-list flow under a real Prefect server."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.tasks.test_classify import deliver
from tests.tasks.test_fraud_list import GESTOR, NEIGHBOUR, pipeline_stages
from tests.tasks.test_group import report
from vigia.settings import Settings

pytestmark = pytest.mark.slow


def test_fraud_list_flow_writes_the_files_and_publishes_the_top_rows(
    prefect_api: str, engine: Engine, settings: Settings, trained_models
) -> None:
    from prefect.client.orchestration import get_client

    from flows.fraud_list import fraud_list

    deliver(engine, settings, [report(1, 1, GESTOR), report(2, 2, NEIGHBOUR, days=1)])
    pipeline_stages(engine, settings, trained_models)

    state = fraud_list(return_state=True)
    published = state.result()

    assert published["incidents"] == 1
    assert Path(published["html"]).parent == settings.data_dir / "fraud-list"
    assert Path(published["csv"]).read_text(encoding="utf-8").count("INC-") == 1
    with get_client(sync_client=True) as client:
        artifacts = {
            artifact.key: artifact
            for artifact in client.read_artifacts()
            if artifact.flow_run_id == state.state_details.flow_run_id
        }
    table = artifacts["fraud-list"].data
    assert "INC-" in str(table) and "9610000001" not in str(table)
    assert published["html"] in str(artifacts["fraud-list-files"].data)
