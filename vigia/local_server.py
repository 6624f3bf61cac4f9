"""Starting Vigía's own HTTP servers on loopback, for benchmarks and tests."""

from __future__ import annotations

import socket
import subprocess
import time

import httpx

from vigia.errors import VigiaError


class ServerDidNotStart(VigiaError):
    """A server started on loopback exited or never answered its health check."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(
    base: str,
    process: subprocess.Popen[bytes],
    timeout: float = 30,
    health: str = "/healthz",
) -> None:
    """Return once ``base`` + ``health`` answers 200; fail if the process ends first.

    Vigía's servers answer on ``/healthz``; Prefect's API on ``/health``.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerDidNotStart(
                f"the server exited at start (exit {process.returncode}): "
                f"{_output(process)[-2000:]}"
            )
        try:
            if httpx.get(f"{base}{health}", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise ServerDidNotStart(f"{base} did not answer within {timeout:.0f} s")


def _output(process: subprocess.Popen[bytes]) -> str:
    """What the process printed, where it was captured."""
    stream = process.stderr or process.stdout
    if stream is None:
        return "its output was not captured; run the same command by hand to see why"
    return stream.read().decode(errors="replace")
