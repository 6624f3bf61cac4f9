"""Secrets read from Prefect Secret blocks, against the session's Prefect server.

Each check runs in a child process, as `vigia` would: the Prefect client that
loads blocks leaves threads and loops behind in the process that used it, and
the rest of the suite should not share them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from vigia.secret_blocks import block_name

pytestmark = pytest.mark.slow

APP_SECRET = "app-secret-from-a-prefect-block"
ACCESS_TOKEN = "token-from-a-prefect-block"

CHILD = """
import io, json, logging
from prefect.blocks.system import Secret
from vigia.secret_blocks import with_secret_blocks
from vigia.settings import Settings

Secret(value=%(app)r).save("vigia-whatsapp-app-secret", overwrite=True)
Secret(value=%(token)r).save("vigia-whatsapp-access-token", overwrite=True)
log = io.StringIO()
logging.basicConfig(stream=log, level=logging.DEBUG, force=True)
settings = with_secret_blocks(
    Settings(secret_blocks=True, whatsapp_access_token="from-environment")
)
print(json.dumps({
    "app_secret": settings.require("whatsapp_app_secret"),
    "access_token": settings.ack_access_token(),
    "portal_api_key": settings.portal_api_key,
    "shown": repr(settings) + str(settings),
    "log": log.getvalue(),
}))
"""


def run_child(code: str, api_url: str) -> subprocess.CompletedProcess[str]:
    environment = os.environ | {"PREFECT_API_URL": api_url}
    environment.pop("VIGIA_WHATSAPP_APP_SECRET", None)
    return subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("whatsapp_app_secret", "vigia-whatsapp-app-secret"),
        ("portal_api_key", "vigia-portal-api-key"),
    ],
)
def test_a_block_is_named_after_its_setting(setting: str, expected: str) -> None:
    assert block_name(setting) == expected


def test_unset_secrets_come_from_blocks_and_their_values_are_not_logged(
    prefect_api: str,
) -> None:
    child = run_child(CHILD % {"app": APP_SECRET, "token": ACCESS_TOKEN}, prefect_api)

    assert child.returncode == 0, child.stderr
    seen = json.loads(child.stdout.strip().splitlines()[-1])
    assert seen["app_secret"] == APP_SECRET
    assert seen["access_token"] == "from-environment"  # the environment wins
    assert seen["portal_api_key"] is None  # no block: still unset
    assert "vigia-whatsapp-app-secret" in seen["log"]
    for secret in (APP_SECRET, ACCESS_TOKEN):
        assert secret not in seen["log"] and secret not in child.stderr
        assert secret not in seen["shown"]


def test_an_unreachable_server_is_a_clear_error() -> None:
    code = (
        "from vigia.secret_blocks import with_secret_blocks\n"
        "from vigia.settings import Settings\n"
        "with_secret_blocks(Settings(secret_blocks=True))\n"
    )

    child = run_child(code, "http://127.0.0.1:9/api")

    assert child.returncode != 0
    assert "VIGIA_SECRET_BLOCKS is true" in child.stderr
    assert "ConfigurationError" in child.stderr
