"""Prefect's environment for Vigía, set before Prefect is first imported."""

import os

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
