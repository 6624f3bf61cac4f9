"""Secrets kept in Prefect Secret blocks instead of the environment.

A team that runs Vigía under a Prefect server may keep its secrets there
(`prefect block create secret`, or ``Secret(value=...).save(name)``) rather
than in each worker's environment. With ``VIGIA_SECRET_BLOCKS=true``, every
secret setting left unset in the environment is read from the Secret block
named ``vigia-`` plus the setting's name with dashes, for example
``vigia-whatsapp-app-secret`` for ``VIGIA_WHATSAPP_APP_SECRET``. The
environment wins where both are set. A block that does not exist leaves the
secret unset, as if it were not configured at all.

Values are never logged: only the names of the blocks that were read.
"""

from __future__ import annotations

import logging

from pydantic import SecretStr

from vigia.errors import ConfigurationError
from vigia.settings import Settings

logger = logging.getLogger(__name__)


def block_name(setting: str) -> str:
    """The Secret block that holds ``setting``: whatsapp_app_secret → vigia-…"""
    return "vigia-" + setting.replace("_", "-")


def secret_settings(settings: Settings) -> list[str]:
    """Names of the settings that hold secrets and are not set yet."""
    return [
        name
        for name, field in Settings.model_fields.items()
        if "SecretStr" in str(field.annotation) and getattr(settings, name) is None
    ]


def with_secret_blocks(settings: Settings) -> Settings:
    """``settings`` with its unset secrets filled from Prefect Secret blocks."""
    found: dict[str, SecretStr] = {}
    for name in secret_settings(settings):
        value = _read_block(block_name(name))
        if value is not None:
            found[name] = SecretStr(value)
    if found:
        names = ", ".join(block_name(name) for name in sorted(found))
        logger.info("secrets read from Prefect Secret blocks: %s", names)
    return settings.model_copy(update=found)


def _read_block(name: str) -> str | None:
    """The block's value, None if no such block; any other failure stops us."""
    from prefect.blocks.system import Secret

    try:
        block = Secret.load(name)
    except ValueError as error:
        if "Unable to find block document" in str(error):
            return None
        raise ConfigurationError(
            f"Prefect Secret block {name} is unusable: {error}"
        ) from None
    except Exception as error:  # the API is down, refuses us, or times out
        raise ConfigurationError(
            f"VIGIA_SECRET_BLOCKS is true but Prefect Secret block {name} could not "
            f"be read ({type(error).__name__}); check PREFECT_API_URL and that the "
            "server is up, or set VIGIA_SECRET_BLOCKS=false and export the secret."
        ) from None
    return str(block.get())
