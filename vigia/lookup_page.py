"""The citizens' folio lookup page, served by the receiver: GET and POST /consulta.

One HTML page in Spanish, inline CSS and no script, small enough for a slow
phone. The form posts the folio and code; the answer is the page again with
the case's stage, unit and dates above the form (``vigia.case_status``).

A wrong folio and a wrong code give the same bytes with the same status,
and the page never repeats what was typed, so answers cannot be compared to
learn which folios exist. Failures are counted per client address and per
folio (``vigia.throttle``); a throttled asker gets HTTP 429 and a neutral
"intente más tarde". Behind a reverse proxy, the client address is the one
the proxy reports (uvicorn trusts X-Forwarded-For from the addresses in
``--forwarded-allow-ips``, loopback by default).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from vigia.case_status import (
    NOT_FOUND,
    THROTTLED,
    Lookup,
    date_in_words,
    look_up,
    unit_text,
)
from vigia.folio_code import LookupRequest, canonical_folio
from vigia.settings import Settings
from vigia.throttle import LookupThrottle

TEMPLATES = Path(__file__).resolve().parents[1] / "reports" / "templates" / "lookup"
MAX_FORM_BYTES = 2_048
HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


class LookupPage:
    """The page's renderings; the form and the neutral answers are made once."""

    def __init__(self) -> None:
        environment = Environment(
            loader=FileSystemLoader(TEMPLATES),
            undefined=StrictUndefined,
            autoescape=True,
        )
        self._template = environment.get_template("consulta.html.j2")
        self.form = self._render(status=None, notice=None)
        self.not_found = self._render(status=None, notice=NOT_FOUND)
        self.throttled = self._render(status=None, notice=THROTTLED)

    def _render(self, **values: Any) -> str:
        return self._template.render(when=date_in_words, unit=unit_text, **values)

    def answer(self, lookup: Lookup) -> HTMLResponse:
        """The page for a lookup's outcome, with its HTTP status."""
        if lookup.outcome == "throttled":
            return _html(self.throttled, 429)
        if lookup.status is None:
            return _html(self.not_found)
        return _html(self._render(status=lookup.status, notice=None))


def add_lookup_routes(
    app: FastAPI,
    settings: Settings,
    engine: Engine,
    units: dict[str, str],
    throttle: LookupThrottle | None = None,
) -> None:
    """Serve the lookup on ``app``; ``units`` maps unit ids to their names."""
    page = LookupPage()
    throttle = throttle or LookupThrottle.from_settings(settings)
    code_key, digits = settings.lookup_code_key_bytes(), settings.lookup_code_digits
    # A lookup reads two rows by index. From a local SQLite file in WAL mode
    # that takes about 0.1 ms and never waits for a writer, so with failures
    # counted in memory it runs on the event loop: a hop to a thread costs
    # more than the read, and a burst of a hundred citizens would then queue
    # for the GIL. A database or a Redis across the network is reached from a
    # worker thread, so that a slow link never stalls the webhook beside it.
    local_only = engine.dialect.name == "sqlite" and not settings.redis_url
    # On the loop, one kept connection saves a pool checkout per lookup.
    reader = engine.connect() if local_only else engine

    @app.get("/consulta")
    async def lookup_form() -> HTMLResponse:
        return _html(page.form)

    @app.post("/consulta")
    async def lookup_answer(request: Request) -> HTMLResponse:
        asked = _lookup_request(await _form_bytes(request))
        address = request.client.host if request.client else "unknown"
        arguments = (reader, throttle, [f"ip:{address}"], asked, units, code_key)
        if local_only:
            lookup = look_up(*arguments, digits)
        else:
            lookup = await run_in_threadpool(look_up, *arguments, digits)
        return page.answer(lookup)


async def _form_bytes(request: Request) -> bytes:
    """The urlencoded form, cut at a size no real folio and code reach."""
    chunks = bytearray()
    async for chunk in request.stream():
        chunks.extend(chunk)
        if len(chunks) > MAX_FORM_BYTES:
            break
    return bytes(chunks[:MAX_FORM_BYTES])


def _lookup_request(body: bytes) -> LookupRequest:
    """The folio and code as typed; anything missing becomes an empty value."""
    try:
        fields = parse_qs(body.decode("utf-8", "replace"), max_num_fields=8)
    except ValueError:  # more fields than the form has
        fields = {}
    folio = (fields.get("folio") or [""])[0]
    code = (fields.get("codigo") or fields.get("código") or [""])[0]
    return LookupRequest(canonical_folio(folio), code.strip()[:8])


def _html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=HEADERS)
