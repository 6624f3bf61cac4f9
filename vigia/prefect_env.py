"""Prefect's environment for Vigía, set before Prefect is first imported."""

import os
from collections.abc import Iterator
from contextlib import contextmanager

from vigia.settings import Settings


def configure_prefect(settings: Settings) -> None:
    """Keep Prefect's home inside data_dir and quiet offline; never override."""
    home = (settings.data_dir / "prefect").resolve()
    home.mkdir(parents=True, exist_ok=True)
    defaults = {
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        # A temporary local server needs 10-22 s to start on two cores.
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
        "PREFECT_LOGGING_LOG_PRINTS": "false",
    }
    for name, value in defaults.items():
        os.environ.setdefault(name, value)


@contextmanager
def foreground_flow_runs() -> Iterator[None]:
    """Run flows started in this process without Prefect's heartbeats.

    A heartbeat lets an automation mark a deployed run that went silent as
    crashed. A run started in the foreground (``vigia run``, the benchmarks)
    has its operator and Vigía's own run record instead, and the flow engine
    ends each run by joining a heartbeat thread that sleeps in one-second
    steps: up to a second of every run, the largest fixed cost of a flow run
    here. Deployed runs (``vigia serve``, workers) keep their heartbeats.
    """
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield
