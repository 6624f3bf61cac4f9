"""`vigia bench lookup`: latency of the folio lookup page under concurrent use.

It fills a fresh SQLite file with routed cases and their trails, starts the
receiver (`vigia webhook`) in a child process on 127.0.0.1, and posts N
lookups at once with an async HTTP client, each with a right folio and
code. It prints the 50th, 95th and 99th percentile of the answer times and
the weight of the pages. Bounded: at most 1,000 lookups, a deadline on the
whole run, loopback only, and the child is always stopped.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from vigia.errors import VigiaError
from vigia.local_server import free_port, wait_until_up

MAX_LOOKUPS = 1_000
DEADLINE_SECONDS = 120.0
CASES = 500
CODE_KEY = "bench-lookup-code-key"


class BenchmarkFailed(VigiaError):
    """The benchmark could not run to the end; the message says where it stopped."""


def run_lookup_benchmark(lookups: int) -> dict[str, Any]:
    """Measure ``lookups`` concurrent lookups against a receiver on loopback."""
    if not 1 <= lookups <= MAX_LOOKUPS:
        raise BenchmarkFailed(f"--lookups must be between 1 and {MAX_LOOKUPS}")
    with tempfile.TemporaryDirectory(prefix="vigia-bench-lookup-") as folder:
        environment = _environment(Path(folder))
        folios = _fill_database(Path(folder), environment["VIGIA_DATABASE_URL"])
        port = free_port()
        child = subprocess.Popen(
            [sys.executable, "-m", "vigia.cli", "webhook", "--port", str(port)],
            env=os.environ | environment,
            stdout=subprocess.DEVNULL,
            stderr=(Path(folder) / "receiver.log").open("wb"),
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(base, child)
            return asyncio.run(
                asyncio.wait_for(_measure(base, folios, lookups), DEADLINE_SECONDS)
            )
        finally:
            child.terminate()
            child.wait(timeout=10)


def describe(result: dict[str, Any]) -> str:
    """One line for people."""
    return (
        f"{result['lookups']} concurrent lookups: p50 {result['p50_ms']} ms, "
        f"p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms "
        f"(target p95 <= 50 ms; /healthz under the same burst: p95 "
        f"{result['floor_p95_ms']} ms); answer page {result['answer_bytes']} bytes, "
        f"form {result['form_bytes']} bytes; {result['failures']} failed"
    )


def _environment(folder: Path) -> dict[str, str]:
    return {
        "VIGIA_DATA_DIR": str(folder),
        "VIGIA_DATABASE_URL": f"sqlite:///{folder / 'vigia.db'}",
        "VIGIA_PSEUDONYM_KEY": "bench-pseudonym-key",
        "VIGIA_LOOKUP_CODE_KEY": CODE_KEY,
        "VIGIA_WHATSAPP_APP_SECRET": "bench-app-secret",
        "VIGIA_WHATSAPP_VERIFY_TOKEN": "bench-verify-token",
    }


def _fill_database(folder: Path, database_url: str) -> list[tuple[str, str]]:
    """Routed cases with a three-step trail; their folios and codes."""
    from models import Assignment, Case
    from tasks.lifecycle import Status, advance_cases
    from vigia.db import get_engine, insert_fast, utcnow
    from vigia.folio_code import verification_code
    from vigia.settings import Settings

    engine = get_engine(Settings(data_dir=folder, database_url=database_url))
    opened = utcnow() - timedelta(days=2)
    folios = [f"ATE-2026-{n:06d}" for n in range(1, CASES + 1)]
    cases = [
        (folio, "te_atiende", f"bench{n:06d}", opened, opened, 1, "received", opened)
        for n, folio in enumerate(folios)
    ]
    with engine.begin() as connection:
        columns = ("folio", "channel", "sender", "opened_at", "last_message_at",
                   "message_count", "status", "updated_at")  # fmt: skip
        insert_fast(connection, Case.__table__, columns, cases)
        ids = list(range(1, CASES + 1))
        advance_cases(connection, ids, Status.ACKNOWLEDGED, opened, "bench")
        advance_cases(connection, ids, Status.ASSIGNED, opened, "bench")
        due = opened + timedelta(days=3)
        unit = "atencion_ciudadana"
        rows = [(i, unit, "b", "1@b", "normal", due, None, due, opened) for i in ids]
        columns = ("case_id", "unit", "rule", "rules_version", "priority",
                   "first_answer_due", "triage_due", "resolution_due",
                   "assigned_at")  # fmt: skip
        insert_fast(connection, Assignment.__table__, columns, rows)
    engine.dispose()
    key = CODE_KEY.encode()
    return [(folio, verification_code(key, folio)) for folio in folios]


async def _measure(
    base: str, folios: list[tuple[str, str]], lookups: int
) -> dict[str, Any]:
    """Each of ``lookups`` phones loads the form, then all post at once.

    Every phone has its own session and keep-alive connection, as real ones
    would. The client is aiohttp, light enough that the figures are the
    receiver's; the same burst on /healthz, which does nothing, gives the
    floor that the HTTP stack and the client cost on the machine.
    """
    import aiohttp

    timeout = aiohttp.ClientTimeout(total=10)
    phones = [
        aiohttp.ClientSession(
            base, connector=aiohttp.TCPConnector(limit=1), timeout=timeout
        )
        for _ in range(lookups)
    ]
    try:
        forms = await asyncio.gather(*(_fetch(phone, "/consulta") for phone in phones))
        floor = await _burst(phones, lambda phone, _: _fetch(phone, "/healthz"))

        async def ask(phone: aiohttp.ClientSession, index: int) -> _Answer:
            folio, code = folios[index % len(folios)]
            form = {"folio": folio, "codigo": code}
            return await _fetch(phone, "/consulta", form)

        await _burst(phones, ask)  # a warm receiver: connections and caches made
        timed = await _burst(phones, ask)
    finally:
        await asyncio.gather(*(phone.close() for phone in phones))
    times = sorted(elapsed for elapsed, _ in timed)
    answers = [answer for _, answer in timed]
    return {
        "lookups": lookups,
        "p50_ms": round(_percentile(times, 50), 1),
        "p95_ms": round(_percentile(times, 95), 1),
        "p99_ms": round(_percentile(times, 99), 1),
        "floor_p95_ms": round(_percentile(sorted(t for t, _ in floor), 95), 1),
        "answer_bytes": max(len(answer.body) for answer in answers),
        "form_bytes": len(forms[0].body),
        "failures": sum(
            answer.status != 200 or b"Pasos de su caso" not in answer.body
            for answer in answers
        ),
    }


@dataclass(frozen=True)
class _Answer:
    status: int
    body: bytes


async def _fetch(phone: Any, path: str, form: dict[str, str] | None = None) -> _Answer:
    """GET ``path``, or POST ``form`` to it; the status and the whole body."""
    call = phone.get(path) if form is None else phone.post(path, data=form)
    async with call as response:
        return _Answer(response.status, await response.read())


async def _burst(
    phones: list[Any],
    request: Callable[[Any, int], Awaitable[_Answer]],
) -> list[tuple[float, _Answer]]:
    """Send one request from every phone at once; each one's time in ms."""

    async def timed(index: int) -> tuple[float, _Answer]:
        started = time.perf_counter()
        answer = await request(phones[index], index)
        return (time.perf_counter() - started) * 1000, answer

    return list(await asyncio.gather(*(timed(i) for i in range(len(phones)))))


def _percentile(ordered: list[float], rank: float) -> float:
    """Nearest-rank percentile of an ordered list."""
    index = max(0, min(len(ordered) - 1, round(rank / 100 * len(ordered)) - 1))
    return ordered[index]
