"""Load benchmark of the webhook receiver: signed POSTs on loopback, then a count.

`vigia bench webhook --seconds 60` starts `vigia webhook` as its own process
on 127.0.0.1 with a fresh SQLite database, and drives it from this process
with aiohttp: ``--connections`` keep-alive connections post distinct,
correctly signed webhook bodies as fast as the receiver answers, until the
time is up or ``--max-requests`` were sent (the load is bounded both ways
and never leaves the machine). It then stops the receiver and counts the
landing rows: every request answered 200 must be stored, exactly once.
It prints requests per second, latency percentiles and that count.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from vigia.local_server import free_port, wait_until_up

SECRET = "bench-app-secret"
PHONE_NUMBER_ID = "100000000000001"


def run_webhook_benchmark(
    seconds: float, connections: int, max_requests: int
) -> dict[str, Any]:
    """Load the receiver for ``seconds``; return rates, latencies and the count."""
    with tempfile.TemporaryDirectory(prefix="vigia-bench-webhook-") as folder:
        port = free_port()
        env = os.environ | {
            "VIGIA_DATA_DIR": folder,
            "VIGIA_DATABASE_URL": f"sqlite:///{Path(folder) / 'vigia.db'}",
            "VIGIA_WHATSAPP_APP_SECRET": SECRET,
            "VIGIA_WHATSAPP_VERIFY_TOKEN": "bench-verify-token",
            "VIGIA_TE_ATIENDE_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
            "VIGIA_PSEUDONYM_KEY": "bench-pseudonym-key",
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "vigia.cli", "webhook", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_up(url, server, timeout=60)
            result = asyncio.run(_load(url, seconds, connections, max_requests))
        finally:
            server.terminate()
            server.wait(timeout=30)
        result["stored"] = _landed(env)
    result["all_accepted_stored"] = result["stored"] == result["accepted"]
    return result


def signed_body(number: int) -> tuple[bytes, str]:
    """A distinct text-message webhook body and its X-Hub-Signature-256."""
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "525500000001",
                         "phone_number_id": PHONE_NUMBER_ID},
            "contacts": [{"profile": {"name": "Carga"}, "wa_id": "5215500000000"}],
            "messages": [{"from": "5215500000000", "id": f"wamid.load{number}",
                          "timestamp": "1764000000", "type": "text",
                          "text": {"body": f"prueba de carga {number}"}}],
        }}]}],
    }  # fmt: skip
    raw = json.dumps(body).encode()
    digest = hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
    return raw, f"sha256={digest}"


async def _load(
    url: str, seconds: float, connections: int, max_requests: int
) -> dict[str, Any]:
    import aiohttp  # the client: fast enough to leave the receiver the machine

    latencies: list[float] = []
    statuses: dict[int, int] = {}
    counter = iter(range(max_requests))
    deadline = time.perf_counter() + seconds
    timeout = aiohttp.ClientTimeout(total=10)

    async def worker(session: aiohttp.ClientSession) -> None:
        for number in counter:
            if time.perf_counter() >= deadline:
                return
            body, signature = signed_body(number)
            headers = {
                "X-Hub-Signature-256": signature,
                "Content-Type": "application/json",
            }
            started = time.perf_counter()
            try:
                async with session.post(
                    "/webhooks/whatsapp", data=body, headers=headers
                ) as answer:
                    await answer.read()
                    code = answer.status
            except (aiohttp.ClientError, TimeoutError):
                code = 0  # refused, reset or timed out: counted, never stored
            latencies.append(time.perf_counter() - started)
            statuses[code] = statuses.get(code, 0) + 1

    began = time.perf_counter()
    connector = aiohttp.TCPConnector(limit=connections)
    async with aiohttp.ClientSession(
        url, connector=connector, timeout=timeout
    ) as session:
        await asyncio.gather(*(worker(session) for _ in range(connections)))
    elapsed = time.perf_counter() - began
    return _summary(latencies, statuses, elapsed, connections)


def _summary(
    latencies: list[float], statuses: dict[int, int], elapsed: float, connections: int
) -> dict[str, Any]:
    ordered = sorted(latencies)

    def percentile(share: float) -> float:
        if not ordered:
            return 0.0
        return round(
            1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1
        )

    return {
        "seconds": round(elapsed, 1),
        "connections": connections,
        "requests": len(ordered),
        "requests_per_second": round(len(ordered) / elapsed) if elapsed else 0,
        "p50_ms": percentile(0.50),
        "p95_ms": percentile(0.95),
        "p99_ms": percentile(0.99),
        "accepted": statuses.get(200, 0),
        "statuses": {str(code): count for code, count in sorted(statuses.items())},
    }


def _landed(env: dict[str, str]) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(env["VIGIA_DATABASE_URL"])
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM landing")).scalar_one()
    engine.dispose()
    return int(count)


def describe(result: dict[str, Any]) -> str:
    return (
        f"webhook receiver, {result['connections']} connections for "
        f"{result['seconds']} s: {result['requests']:,} requests, "
        f"{result['requests_per_second']:,} req/s, p50 {result['p50_ms']} ms, "
        f"p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms; "
        f"{result['accepted']:,} accepted, {result['stored']:,} stored "
        f"({'all stored' if result['all_accepted_stored'] else 'MISMATCH'}); "
        f"statuses {result['statuses']}"
    )
