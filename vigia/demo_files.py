"""Write demo traffic to files, as a backfill or a benchmark would read them."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from vigia.demo import (
    DemoNumbers,
    generate_portal_forms,
    generate_traffic,
    write_portal_csv,
)
from vigia.settings import get_settings


def demo_numbers() -> DemoNumbers:
    """The demo's business numbers, or the first configured ones of each line."""
    settings = get_settings()
    defaults = DemoNumbers()
    te_atiende = (settings.te_atiende_phone_number_id or "").split(",")[0].strip()
    denuncia = (settings.denuncia_phone_number_id or "").split(",")[0].strip()
    return DemoNumbers(
        te_atiende_phone_number_id=te_atiende or defaults.te_atiende_phone_number_id,
        denuncia_phone_number_id=denuncia or defaults.denuncia_phone_number_id,
    )


def write_demo_traffic(
    path: Path,
    *,
    messages: int,
    seed: int,
    weeks: int,
    end: datetime,
    truth_path: Path | None = None,
) -> int:
    """Write webhook bodies as JSONL (and their labels); returns bodies written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    truth = truth_path.open("w", encoding="utf-8") if truth_path else None
    try:
        with path.open("w", encoding="utf-8") as out:
            for item in generate_traffic(
                messages, seed, end=end, weeks=weeks, numbers=demo_numbers()
            ):
                out.write(json.dumps(item.body, ensure_ascii=False) + "\n")
                written += 1
                if truth is not None:
                    for label in item.truth:
                        truth.write(json.dumps(label, ensure_ascii=False) + "\n")
    finally:
        if truth is not None:
            truth.close()
    return written


def write_demo_portal(
    path: Path, count: int, seed: int, weeks: int, end: datetime
) -> int:
    """Write a portal CSV export of ``count`` demo submissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_portal_csv(
        generate_portal_forms(count, seed, end=end, weeks=weeks), path
    )
