"""No complainant's phone, CURP or name, and no secret, anywhere published.

A complaint channel that leaks who complained fails the people it exists
for. Two neighbours report a gestor; one writes her own name, CURP and cell
phone in the message. The whole pipeline, the fraud list and the weekly
report run under a real Prefect server; then every log line (ours and
Prefect's), every artifact and every file is searched for her.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.builders import encoded, text_body
from tests.conftest import APP_SECRET, DENUNCIA_ID, PORTAL_KEY, VERIFY_TOKEN
from vigia.landing import Arrival, land
from vigia.settings import Settings

pytestmark = pytest.mark.slow

SENT = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)  # a Tuesday of 2026-W48
HER_PHONE = "5215512349876"
HER_TEXT = (
    "Buenas tardes, me llamo Guadalupe Ramírez Soto, mi CURP es RASG800101MTLMTD09 "
    "y mi cel 55 1234 9876. El gestor Ramiro Sosa del 961 234 5678 me cobró 3 mil "
    "por meterme a la lista del programa de vivienda"
)
NEIGHBOUR_TEXT = "el gestor Ramiro Sosa 9612345678 tambien nos cobro 3 mil a mi esposo"
SECRETS = ("5512349876", "RASG800101MTLMTD09", "guadalupe", "ramirez soto")
# The test environment's secrets (tests/conftest.py): never logged either.
KEYS = (APP_SECRET, VERIFY_TOKEN, PORTAL_KEY, "test-pseudonym-key")


def bodies() -> list[Arrival]:
    hers = text_body("wamid.pii1", HER_PHONE, SENT, HER_TEXT, DENUNCIA_ID)
    value = hers["entry"][0]["changes"][0]["value"]
    value["contacts"][0]["profile"]["name"] = "Guadalupe Ramírez Soto"
    neighbour = text_body(
        "wamid.pii2", "5215587654321", SENT, NEIGHBOUR_TEXT, DENUNCIA_ID
    )
    return [Arrival("whatsapp_webhook", encoded(b)) for b in (hers, neighbour)]


def leaks(text: str) -> list[str]:
    """The secrets found in ``text``, accents and separators aside."""
    from classifiers.extract import fold

    folded = fold(text).lower()
    digits = re.sub(r"\D", "", text)
    found = [s for s in SECRETS if s.lower() in folded or (s.isdigit() and s in digits)]
    return found + [key for key in KEYS if key in text]


def test_nothing_published_names_the_complainant(
    prefect_api: str,
    engine: Engine,
    settings: Settings,
    installed_models,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from prefect.client.orchestration import get_client

    from flows.fraud_list import fraud_list
    from flows.pipeline import pipeline
    from flows.weekly_report import weekly_report

    land(engine, bodies())
    with caplog.at_level(logging.DEBUG):
        pipeline()
        listed = fraud_list()
        report = weekly_report(week="2026-W48")

    with get_client(sync_client=True) as client:
        artifacts = [str(a.data) for a in client.read_artifacts()]
        prefect_logs = [log.message for log in client.read_logs()]
    files = [
        listed["csv"],
        listed["html"],
        report["html"],
        report["json"],
        report["csv"],
    ]
    published = {
        "our logs": caplog.text,
        "prefect logs": "\n".join(prefect_logs),
        "artifacts": "\n".join(artifacts),
    } | {path: Path(path).read_text(encoding="utf-8") for path in files}

    assert {
        where: found for where, text in published.items() if (found := leaks(text))
    } == {}
    assert listed["incidents"] == 1
    fraud_list_text = published[listed["html"]]
    assert "96 1234 5678" in fraud_list_text and "Ramiro Sosa" in fraud_list_text
