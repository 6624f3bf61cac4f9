"""The HTTP receiver for Meta's WhatsApp webhooks and the Portal Ciudadano form.

It does the least it can before answering: check the size and the
signature, land the body verbatim, answer. Parsing happens later, in the
pipeline flow, so a slow or failing parser never makes Meta retry.

It also serves the citizens' folio lookup page, /consulta
(``vigia.lookup_page``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from sqlalchemy import Engine

from models.landing import LandingSource
from vigia.errors import RejectedInput
from vigia.landing import Arrival
from vigia.landing_writer import LandingWriter
from vigia.lookup_page import add_lookup_routes
from vigia.settings import Settings
from vigia.sources.portal import validate_form

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Hub-Signature-256"
API_KEY_HEADER = "X-API-Key"


class BodyTooLarge(Exception):
    """The request body is over the configured limit."""


def signature_matches(app_secret: bytes, body: bytes, header: str | None) -> bool:
    """Check ``sha256=<hex>``, the HMAC-SHA256 of the raw bytes, in constant time."""
    if not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256=").strip())


def create_app(settings: Settings, engine: Engine) -> FastAPI:
    """The receiver app; refuses to start without the WhatsApp secrets."""
    from tasks.routing import load_rules

    app_secret = settings.require("whatsapp_app_secret").encode()
    verify_token = settings.require("whatsapp_verify_token")
    portal_key = settings.portal_api_key
    limit = settings.max_body_bytes
    app = FastAPI(title="Vigía receiver", docs_url=None, redoc_url=None)

    store = LandingWriter(engine).store

    @app.get("/healthz")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/webhooks/whatsapp")
    async def verify(request: Request) -> Response:
        params = request.query_params
        token = params.get("hub.verify_token", "")
        if params.get("hub.mode") == "subscribe" and hmac.compare_digest(
            token.encode(), verify_token.encode()
        ):
            return PlainTextResponse(params.get("hub.challenge", ""))
        return PlainTextResponse("verification failed", status_code=403)

    @app.post("/webhooks/whatsapp")
    async def whatsapp(request: Request) -> Response:
        try:
            body = await _read_limited(request, limit)
        except BodyTooLarge:
            return _error(413, f"body over {limit} bytes")
        if not signature_matches(
            app_secret, body, request.headers.get(SIGNATURE_HEADER)
        ):
            logger.warning("refused a webhook POST with a missing or wrong signature")
            return _error(401, "missing or invalid X-Hub-Signature-256")
        await store(Arrival(LandingSource.WHATSAPP_WEBHOOK, body))
        return PlainTextResponse("OK")

    @app.post("/webhooks/portal")
    async def portal(request: Request) -> Response:
        if portal_key is None:
            return _error(503, "portal intake is off: VIGIA_PORTAL_API_KEY is not set")
        offered = request.headers.get(API_KEY_HEADER, "").encode()
        if not hmac.compare_digest(offered, portal_key.get_secret_value().encode()):
            return _error(401, f"missing or invalid {API_KEY_HEADER}")
        try:
            body = await _read_limited(request, limit)
            validate_form(json.loads(body))
        except BodyTooLarge:
            return _error(413, f"body over {limit} bytes")
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            return _error(400, f"invalid JSON: {error}")
        except RejectedInput as error:
            return _error(422, str(error))
        await store(Arrival(LandingSource.PORTAL_FORM, body, "portal"))
        return JSONResponse({"status": "received"}, status_code=202)

    add_lookup_routes(app, settings, engine, load_rules().units)
    return app


async def _read_limited(request: Request, limit: int) -> bytes:
    """The raw body, refused as soon as it grows past ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks = bytearray()
    async for chunk in request.stream():
        chunks.extend(chunk)
        if len(chunks) > limit:
            raise BodyTooLarge
    return bytes(chunks)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def app_from_environment() -> FastAPI:
    """The receiver for the settings in the environment: uvicorn's factory when
    it runs several worker processes, each of which builds its own app."""
    from vigia.db import get_engine
    from vigia.settings import get_settings

    settings = get_settings()
    return create_app(settings, get_engine(settings, durable=True))
