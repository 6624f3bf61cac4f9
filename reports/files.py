"""Writing report files so that a reader never sees half of one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def write_atomically(
    path: Path, content: str | Iterable[str], mode: int = 0o600
) -> None:
    """Write ``content`` to a temporary file beside ``path``, then rename it.

    ``content`` is a string or the parts of one, written as they come, so a
    large page never needs to be whole in memory.

    A process killed mid-write leaves the old file whole and a temporary
    file, which the next write of the same path removes. ``mode`` defaults
    to owner-only: the fraud list names the accused. Files
    meant for publication (open data) pass 0o644.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f".{path.name}.*"):  # left by a killed writer
        stale.unlink(missing_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            for part in [content] if isinstance(content, str) else content:
                file.write(part)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
