"""The receiver as a real HTTP server on loopback, started with `vigia webhook`."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, select

from models import LandingRecord
from tests.builders import encoded, text_body
from tests.conftest import APP_SECRET, PORTAL_KEY, VERIFY_TOKEN, base_environment
from vigia.local_server import free_port, wait_until_up

pytestmark = pytest.mark.slow


def sign(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """`vigia webhook` in a child process; yields its base URL and database URL."""
    folder = tmp_path_factory.mktemp("receiver")
    database_url = f"sqlite:///{folder / 'vigia.db'}"
    env = os.environ | base_environment(folder, database_url)
    env["VIGIA_MAX_BODY_BYTES"] = "4096"
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "vigia.cli", "webhook", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base, process)
    yield base, database_url
    process.terminate()
    process.wait(timeout=10)


def landed(database_url: str) -> list[bytes]:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        bodies = list(connection.scalars(select(LandingRecord.body)))
    engine.dispose()
    return bodies


@pytest.mark.parametrize(
    ("mode", "token", "status", "answer"),
    [
        ("subscribe", VERIFY_TOKEN, 200, "1158201444"),
        ("subscribe", "wrong-token", 403, "verification failed"),
        ("unsubscribe", VERIFY_TOKEN, 403, "verification failed"),
    ],
)
def test_verification_handshake(server, mode, token, status, answer) -> None:
    base, _ = server
    params = {
        "hub.mode": mode,
        "hub.verify_token": token,
        "hub.challenge": "1158201444",
    }

    response = httpx.get(f"{base}/webhooks/whatsapp", params=params)

    assert (response.status_code, response.text) == (status, answer)


def test_signed_post_is_stored_verbatim(server) -> None:
    base, database_url = server
    # Meta escapes non-ASCII; the signature is over these exact bytes.
    body = json.dumps(
        text_body("wamid.r1", "5215511111111", _now(), "¿cuándo pagan? 🙏")
    )
    raw = body.encode()

    response = httpx.post(
        f"{base}/webhooks/whatsapp",
        content=raw,
        headers={"X-Hub-Signature-256": sign(raw), "Content-Type": "application/json"},
    )

    assert response.status_code == 200
    assert raw in landed(database_url)


@pytest.mark.parametrize(
    "signature",
    [None, "sha256=" + "0" * 64, "sha1=abc", sign(b"other body"), sign(b"x", "bad")],
)
def test_forged_or_missing_signature_is_401_and_nothing_stored(
    server, signature
) -> None:
    base, database_url = server
    raw = encoded(text_body("wamid.forged", "5215511111111", _now(), "hola"))
    headers = {"X-Hub-Signature-256": signature} if signature else {}

    response = httpx.post(f"{base}/webhooks/whatsapp", content=raw, headers=headers)

    assert response.status_code == 401
    assert raw not in landed(database_url)


def test_oversized_body_is_413_and_nothing_stored(server) -> None:
    base, database_url = server
    raw = encoded(text_body("wamid.big", "5215511111111", _now(), "a" * 5000))

    response = httpx.post(
        f"{base}/webhooks/whatsapp",
        content=raw,
        headers={"X-Hub-Signature-256": sign(raw)},
    )

    assert response.status_code == 413
    assert raw not in landed(database_url)


def test_every_valid_post_is_stored_once(server) -> None:
    base, database_url = server
    bodies = [
        encoded(text_body(f"wamid.many{n}", "5215511111111", _now(), f"mensaje {n}"))
        for n in range(50)
    ]

    with httpx.Client() as client:
        codes = [
            client.post(
                f"{base}/webhooks/whatsapp",
                content=raw,
                headers={"X-Hub-Signature-256": sign(raw)},
            ).status_code
            for raw in bodies + bodies
        ]

    stored = landed(database_url)
    assert set(codes) == {200}
    assert all(stored.count(raw) == 1 for raw in bodies)


@pytest.mark.parametrize(
    ("key", "payload", "status"),
    [
        (
            PORTAL_KEY,
            {"text": "me cobraron 2 mil por el registro", "state": "Puebla"},
            202,
        ),
        ("wrong", {"text": "hola"}, 401),
        (PORTAL_KEY, {"name": "sin texto"}, 422),
        (PORTAL_KEY, {"text": "hola", "color": "rojo"}, 422),
    ],
)
def test_portal_form_needs_the_key_and_a_text(server, key, payload, status) -> None:
    base, database_url = server
    raw = json.dumps(payload).encode()

    response = httpx.post(
        f"{base}/webhooks/portal", content=raw, headers={"X-API-Key": key}
    )

    assert response.status_code == status
    assert (raw in landed(database_url)) == (status == 202)
    if status >= 400:
        assert response.json()["error"]


def test_receiver_refuses_to_start_without_its_secret(tmp_path: Path) -> None:
    env = os.environ | base_environment(tmp_path, f"sqlite:///{tmp_path / 'v.db'}")
    env.pop("VIGIA_WHATSAPP_APP_SECRET")

    result = subprocess.run(
        [sys.executable, "-m", "vigia.cli", "webhook", "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 2
    assert "VIGIA_WHATSAPP_APP_SECRET is not set" in result.stderr


def test_several_workers_need_redis_for_the_lookup_counts(tmp_path: Path) -> None:
    env = os.environ | base_environment(tmp_path, f"sqlite:///{tmp_path / 'v.db'}")
    env.pop("VIGIA_REDIS_URL", None)
    command = [sys.executable, "-m", "vigia.cli", "webhook", "--workers", "2"]

    result = subprocess.run(
        [*command, "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 2
    assert "--workers above 1 needs VIGIA_REDIS_URL" in result.stderr


def test_two_worker_processes_store_every_post_once(tmp_path: Path) -> None:
    redis_url = "redis://127.0.0.1:6379/15"
    _skip_without_redis(redis_url)
    database_url = f"sqlite:///{tmp_path / 'vigia.db'}"
    env = os.environ | base_environment(tmp_path, database_url)
    env["VIGIA_REDIS_URL"] = redis_url
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "vigia.cli", "webhook", "--workers", "2",
         "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        bodies = [
            json.dumps(text_body(f"wamid.w{n}", "5215511112222", _now(), f"m{n}"))
            for n in range(40)
        ]
        with httpx.Client(base_url=base) as client:
            statuses = [
                client.post(
                    "/webhooks/whatsapp",
                    content=body.encode(),
                    headers={"X-Hub-Signature-256": sign(body.encode())},
                ).status_code
                for body in bodies
            ]
    finally:
        process.terminate()
        process.wait(timeout=20)

    assert statuses == [200] * len(bodies)
    assert sorted(landed(database_url)) == sorted(body.encode() for body in bodies)


def _skip_without_redis(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except (redis.RedisError, OSError) as error:
        pytest.skip(f"Redis at {url} is unreachable ({error}); .ci/run starts it")


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC)
