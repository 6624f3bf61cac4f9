"""Secrets read from Prefect Secret blocks, against the session's Prefect server."""

from __future__ import annotations

import logging

import pytest

from vigia.errors import ConfigurationError
from vigia.secret_blocks import block_name, with_secret_blocks
from vigia.settings import Settings

pytestmark = pytest.mark.slow

APP_SECRET = "app-secret-from-a-prefect-block"
ACCESS_TOKEN = "token-from-a-prefect-block"


@pytest.fixture(scope="module")
def blocks(prefect_api: str) -> None:
    """Two Secret blocks on the server, as a data team would create them."""
    from prefect.blocks.system import Secret

    Secret(value=APP_SECRET).save(block_name("whatsapp_app_secret"), overwrite=True)
    Secret(value=ACCESS_TOKEN).save(block_name("whatsapp_access_token"), overwrite=True)


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
    blocks: None, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(secret_blocks=True, whatsapp_access_token="from-environment")

    with caplog.at_level(logging.DEBUG):
        filled = with_secret_blocks(settings)

    assert filled.require("whatsapp_app_secret") == APP_SECRET
    assert filled.ack_access_token() == "from-environment"  # the environment wins
    assert filled.portal_api_key is None  # no block: still unset
    assert "vigia-whatsapp-app-secret" in caplog.text
    assert APP_SECRET not in caplog.text and ACCESS_TOKEN not in caplog.text
    assert APP_SECRET not in repr(filled) and APP_SECRET not in str(filled)


def test_an_unreachable_server_is_a_clear_error(blocks: None) -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with (
        temporary_settings({PREFECT_API_URL: "http://127.0.0.1:9/api"}),
        pytest.raises(ConfigurationError, match="VIGIA_SECRET_BLOCKS"),
    ):
        with_secret_blocks(Settings(secret_blocks=True))
