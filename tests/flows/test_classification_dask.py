"""Classification on a local Dask cluster of two workers, in a process of its own.

The cases are in ``dask_cases.py``. They run in a child pytest because the
Dask scheduler and Prefect's client leave loop threads behind in the process
that used them; beside the rest of the suite those threads made a later
property test's memory grow without bound.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CASES = Path(__file__).with_name("dask_cases.py")


def test_two_dask_workers_classify_as_one_process_does() -> None:
    child = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(CASES)],
        cwd=CASES.parents[2],
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert child.returncode == 0, child.stdout[-4000:] + child.stderr[-2000:]
    assert " passed" in child.stdout and "skipped" not in child.stdout
