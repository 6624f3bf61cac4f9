"""The folio lookup page over real HTTP, against `vigia webhook` on loopback."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, select

from models import Case
from tasks.assign import route_pending
from tasks.classify import classify_pending
from tasks.routing import load_rules
from tests.builders import text_body
from tests.conftest import DENUNCIA_ID, base_environment
from tests.reports.test_weekly import screenshot
from vigia.db import get_engine, utcnow
from vigia.folio_code import verification_code
from vigia.landing import Arrival, land
from vigia.local_server import free_port, wait_until_up
from vigia.settings import Settings

pytestmark = pytest.mark.slow

CODE_KEY = "test-lookup-code-key"
PHONE, NAME, CURP = "55 1234 5678", "Juan Pérez Gómez", "HEMR850612HCSRRN08"
ACCUSATION = (
    f"el gestor {NAME} me cobro 5 mil para meterme en la lista, su numero es "
    f"{PHONE} y me pidio mi curp {CURP}"
)
SECRETS = (PHONE, "5512345678", "1234 5678", "Juan", "Pérez", "Gómez", CURP,
           "gestor", "cobr", "5 mil", "lista", "cobro_indebido",
           "cobro indebido")  # fmt: skip


def build_cases(settings: Settings, trained_models) -> tuple[Engine, dict[str, str]]:
    """A Te Atiende question, a denuncia full of personal data, a spare case."""
    from tasks.ingest import ingest_pending

    engine = get_engine(settings)
    start = utcnow() - timedelta(hours=3)
    bodies = [
        text_body("wamid.q1", "5215511110001", start, "cuales son los requisitos"),
        text_body("wamid.d1", "5215511110002", start, ACCUSATION, DENUNCIA_ID),
        text_body("wamid.q2", "5215511110003", start + timedelta(minutes=1), "hola"),
    ]
    land(engine, [Arrival("whatsapp_webhook", _raw(body)) for body in bodies])
    ingest_pending(engine, settings)
    classify_pending(engine, trained_models)
    route_pending(engine, load_rules())
    with engine.connect() as connection:
        rows = connection.execute(select(Case.channel, Case.folio).order_by(Case.id))
        folios: dict[str, str] = {}
        for channel, folio in rows:
            folios[channel if channel not in folios else f"{channel}_spare"] = folio
    return engine, folios


def _raw(body: dict) -> bytes:
    import json

    return json.dumps(body).encode()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, trained_models) -> Iterator[dict]:
    """The receiver serving a database of three routed cases."""
    folder = tmp_path_factory.mktemp("lookup")
    env = base_environment(folder, f"sqlite:///{folder / 'vigia.db'}")
    env["VIGIA_LOOKUP_CODE_KEY"] = CODE_KEY
    settings = Settings(**{name[6:].lower(): value for name, value in env.items()})
    engine, folios = build_cases(settings, trained_models)
    engine.dispose()
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "vigia.cli", "webhook", "--port", str(port)],
        env=os.environ | env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base, process)
    yield {"base": base, "folios": folios}
    process.terminate()
    process.wait(timeout=10)


def code(folio: str) -> str:
    return verification_code(CODE_KEY.encode(), folio)


def ask(site: dict, folio: str, offered: str, address: str) -> httpx.Response:
    """A lookup from ``address`` (uvicorn trusts X-Forwarded-For from loopback)."""
    return httpx.post(
        f"{site['base']}/consulta",
        data={"folio": folio, "codigo": offered},
        headers={"X-Forwarded-For": address},
    )


def test_the_form_is_small_spanish_and_has_no_script(site: dict) -> None:
    page = httpx.get(f"{site['base']}/consulta")

    assert page.status_code == 200
    assert len(page.content) < 50_000
    assert '<html lang="es">' in page.text and "Consulte su folio" in page.text
    assert "<script" not in page.text.lower()
    assert "default-src 'none'" in page.headers["content-security-policy"]


def test_the_right_folio_and_code_show_stage_unit_and_dates(site: dict) -> None:
    folio = site["folios"]["te_atiende"]

    page = ask(site, folio.lower().replace("-", " "), code(folio), "10.0.0.1")

    assert page.status_code == 200 and len(page.content) < 50_000
    assert f"Folio {folio}" in page.text
    assert "Turnado a la unidad responsable" in page.text
    assert "Atención Ciudadana" in page.text
    assert page.text.count("<time>") == 2  # received, then assigned
    assert "Primera respuesta de la unidad: a más tardar el" in page.text
    assert page.headers["cache-control"] == "no-store"


def test_a_wrong_code_and_an_unknown_folio_give_the_same_bytes(site: dict) -> None:
    folio = site["folios"]["te_atiende"]
    wrong = f"{(int(code(folio)) + 1) % 10_000:04d}"

    wrong_code = ask(site, folio, wrong, "10.0.0.2")
    unknown = ask(site, "ATE-2026-999999", code("ATE-2026-999999"), "10.0.0.3")

    assert wrong_code.status_code == unknown.status_code == 200
    assert wrong_code.content == unknown.content
    assert "No encontramos un caso con ese folio y código" in unknown.text
    assert folio not in wrong_code.text


def test_repeated_failures_throttle_the_address_and_the_folio(site: dict) -> None:
    guessed, other = site["folios"]["te_atiende_spare"], site["folios"]["te_atiende"]

    failures = [ask(site, guessed, f"{n:04d}", "10.0.0.9") for n in range(5)]
    blocked = ask(site, other, code(other), "10.0.0.9")  # even with the right code
    elsewhere = ask(site, other, code(other), "10.0.0.10")
    folio_blocked = ask(site, guessed, code(guessed), "10.0.0.11")

    assert {page.status_code for page in failures} == {200}
    assert blocked.status_code == 429 and "Intente más tarde" in blocked.text
    assert elsewhere.status_code == 200 and f"Folio {other}" in elsewhere.text
    assert folio_blocked.status_code == 429  # guesses spread over addresses


def test_a_denuncia_shows_its_stage_and_withholds_unit_and_personal_data(
    site: dict,
) -> None:
    folio = site["folios"]["denuncia"]

    page = ask(site, folio, code(folio), "10.0.0.20")

    assert page.status_code == 200 and f"Folio {folio}" in page.text
    assert "Reservada; las denuncias son confidenciales" in page.text
    assert "Jurídicos" not in page.text and "Control" not in page.text
    for secret in SECRETS:
        assert secret.lower() not in page.text.lower(), secret


def test_the_answer_page_reads_on_a_phone(site: dict, tmp_path: Path) -> None:
    folio = site["folios"]["te_atiende"]
    page = tmp_path / "consulta.html"
    page.write_bytes(ask(site, folio, code(folio), "10.0.0.30").content)

    shot = screenshot(page, tmp_path / "consulta-412.png", width=412)

    png = shot.read_bytes()
    width = struct.unpack(">I", png[16:20])[0]
    assert png.startswith(b"\x89PNG") and width == 412
    assert len(png) > 10_000  # something was drawn
