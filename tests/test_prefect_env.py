"""Prefect's settings for flows that Vigía runs in the foreground."""

from __future__ import annotations

from prefect.settings import get_current_settings

from vigia.prefect_env import foreground_flow_runs


def test_foreground_runs_send_no_heartbeats_and_deployed_runs_keep_them() -> None:
    deployed = get_current_settings().flows.heartbeat_frequency

    with foreground_flow_runs():
        foreground = get_current_settings().flows.heartbeat_frequency

    assert foreground is None
    assert deployed is not None
    assert get_current_settings().flows.heartbeat_frequency == deployed
