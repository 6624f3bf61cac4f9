"""The near-duplicate index of grouped cases, kept on disk between runs.

Each pipeline run compares only its new cases with the stored signatures,
never all cases with each other. The file is a cache of what the database
holds: when it is missing, unreadable, or knows fewer cases than the
database has grouped (another machine ran the stage, or a crash came
between the commit and the save), it is rebuilt from the stored texts.
Extra entries (a batch whose transaction rolled back) do no harm: a case
never matches itself, and matches are confirmed against the database.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from models import CaseGroup
from tasks.dedup import NearDuplicateIndex, TextItem

logger = logging.getLogger(__name__)


def index_path(data_dir: Path) -> Path:
    """Where the index of a data directory lives."""
    return data_dir / "dedup" / "cases.npz"


def open_index(connection: Connection, path: Path, texts: Any) -> NearDuplicateIndex:
    """The stored index, rebuilt first when it is behind the database.

    ``texts`` is called with a connection and yields the :class:`TextItem`
    of every grouped case, oldest first, to rebuild from.
    """
    grouped = connection.execute(select(func.count()).select_from(CaseGroup)).scalar()
    index = _load(path)
    if index is not None and len(set(index.ids)) >= (grouped or 0):
        return index

    logger.info("rebuilding the near-duplicate index of %d grouped cases", grouped)
    index = NearDuplicateIndex()
    _add_in_batches(index, texts(connection))
    return index


def _load(path: Path) -> NearDuplicateIndex | None:
    if not path.exists():
        return None
    try:
        return NearDuplicateIndex.load(path)
    except (OSError, ValueError, KeyError) as error:
        logger.warning(
            "near-duplicate index %s unreadable (%s); rebuilding", path, error
        )
        return None


def _add_in_batches(
    index: NearDuplicateIndex, items: Iterable[TextItem], size: int = 20_000
) -> None:
    batch: list[TextItem] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            index.query_and_add_positions(batch)
            batch = []
    if batch:
        index.query_and_add_positions(batch)
