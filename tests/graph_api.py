"""A local stand-in of the WhatsApp Cloud API's send endpoint, over real HTTP.

It listens on 127.0.0.1, records every request, and answers as the Graph API
does; it can be told to answer the next requests with a server error, a
Graph refusal, or after a delay longer than the client waits.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

API_VERSION = "v21.0"
REFUSAL = {
    "error": {
        "message": "(#131030) Recipient phone number not in allowed list",
        "type": "OAuthException",
        "code": 131030,
        "error_data": {"messaging_product": "whatsapp", "details": "not allowed"},
        "fbtrace_id": "AbCdEf123",
    }
}
EXPIRED_TOKEN = {
    "error": {
        "message": "Error validating access token: Session has expired.",
        "type": "OAuthException",
        "code": 190,
        "fbtrace_id": "AbCdEf124",
    }
}


@dataclass
class Recorded:
    """One request as the stand-in received it."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class GraphApi:
    """What the stand-in saw, and how it answers the next requests."""

    base_url: str = ""
    requests: list[Recorded] = field(default_factory=list)
    script: list[tuple[int, Any, float]] = field(default_factory=list)
    sent: int = 0

    def answer_next(self, status: int, body: Any = None, delay: float = 0.0) -> None:
        """Answer one coming request this way; later ones succeed again."""
        self.script.append((status, body, delay))

    def answer(self) -> tuple[int, Any, float]:
        """The answer to the request being handled."""
        if self.script:
            return self.script.pop(0)
        self.sent += 1
        return 200, _accepted(self.requests[-1].body, self.sent), 0.0


def _accepted(request: dict[str, Any], n: int) -> dict[str, Any]:
    to = str(request.get("to", ""))
    return {
        "messaging_product": "whatsapp",
        "contacts": [{"input": to, "wa_id": to}],
        "messages": [{"id": f"wamid.ACK{n:04d}"}],
    }


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    graph: GraphApi

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up on a slow answer is expected: stay quiet."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length) or b"{}")
        graph = self.server.graph
        graph.requests.append(Recorded(self.path, dict(self.headers), body))
        status, answer, delay = graph.answer()
        time.sleep(delay)
        payload = json.dumps(answer if answer is not None else {}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        """No access log on stderr."""


@contextmanager
def running_graph_api() -> Iterator[GraphApi]:
    """The stand-in, serving on a free loopback port until the block ends."""
    server = _Server(("127.0.0.1", 0), _Handler)
    graph = GraphApi(f"http://127.0.0.1:{server.server_address[1]}/{API_VERSION}")
    server.graph = graph
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield graph
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
