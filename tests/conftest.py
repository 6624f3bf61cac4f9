"""Shared fixtures: real databases (SQLite file and PostgreSQL) and settings."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from vigia.settings import Settings, get_settings

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("VIGIA_SHARED_DIR", REPO.parent / "shared"))
FIXTURES = SHARED / "fixtures" / "whatsapp-cloud-api"
PG_ADMIN_URL = os.environ.get(
    "VIGIA_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
TE_ATIENDE_ID = "100000000000001"
DENUNCIA_ID = "100000000000002"
# The shared fixtures were recorded on other numbers; tests route them too.
FIXTURE_TE_ATIENDE_IDS = "1122334455667,<BUSINESS_PHONE_NUMBER_ID>"
FIXTURE_DENUNCIA_IDS = "106540352242922"
APP_SECRET = "test-app-secret"
VERIFY_TOKEN = "test-verify-token"
PORTAL_KEY = "test-portal-key"

TABLES = (
    "case_events, incident_keys, case_groups, incidents, "
    "assignments, case_labels, message_labels, messages, message_statuses, cases, "
    "contacts, "
    "folio_counters, "
    "pipeline_runs, landing_purges, landing"
)


def base_environment(data_dir: Path, database_url: str) -> dict[str, str]:
    """The VIGIA_* variables every test (and its subprocesses) runs with."""
    return {
        "VIGIA_DATA_DIR": str(data_dir),
        "VIGIA_DATABASE_URL": database_url,
        "VIGIA_PSEUDONYM_KEY": "test-pseudonym-key",
        "VIGIA_TE_ATIENDE_PHONE_NUMBER_ID": f"{TE_ATIENDE_ID},{FIXTURE_TE_ATIENDE_IDS}",
        "VIGIA_DENUNCIA_PHONE_NUMBER_ID": f"{DENUNCIA_ID},{FIXTURE_DENUNCIA_IDS}",
        "VIGIA_WHATSAPP_APP_SECRET": APP_SECRET,
        "VIGIA_WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
        "VIGIA_PORTAL_API_KEY": PORTAL_KEY,
    }


@contextmanager
def fresh_postgres_database(prefix: str) -> Iterator[str]:
    """Create a PostgreSQL database named ``prefix`` and a random suffix; drop it after.

    Skips the test, with the reason, when the server cannot be reached.
    """
    from sqlalchemy import create_engine

    admin = create_engine(
        PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3}
    )
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # any failure to reach the server means: skip
        pytest.skip(
            f"PostgreSQL is unreachable at {PG_ADMIN_URL} ({type(error).__name__}: "
            f"{error}); start it with .ci/run or set VIGIA_TEST_PG_ADMIN_URL"
        )
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for the session, dropped at the end."""
    from vigia.db import _engine_for

    with fresh_postgres_database("vigia_test") as url:
        yield url
        _engine_for.cache_clear()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each storage test runs on a SQLite file and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'vigia.db'}"
    url = request.getfixturevalue("postgres_url")
    from vigia.db import _engine_for

    with _engine_for(url).begin() as connection:
        connection.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite file for tests that exercise one database only."""
    return f"sqlite:///{tmp_path / 'vigia.db'}"


@pytest.fixture
def environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, database_url: str
) -> dict[str, str]:
    """Point settings at this test's database; returns the variables set."""
    return _apply(monkeypatch, base_environment(tmp_path, database_url))


@pytest.fixture
def sqlite_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sqlite_url: str
) -> dict[str, str]:
    """Like ``environment``, on SQLite only."""
    return _apply(monkeypatch, base_environment(tmp_path, sqlite_url))


def _apply(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str]
) -> dict[str, str]:
    for name in [name for name in os.environ if name.startswith("VIGIA_")]:
        if name not in ("VIGIA_SHARED_DIR", "VIGIA_TEST_PG_ADMIN_URL"):
            monkeypatch.delenv(name)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    return variables


@pytest.fixture
def settings(environment: dict[str, str]) -> Iterator[Settings]:
    """Settings read from the test environment."""
    yield get_settings()
    get_settings.cache_clear()


@pytest.fixture
def engine(settings: Settings) -> Engine:
    """The migrated database of this test."""
    from vigia.db import get_engine

    return get_engine(settings)


def fixture_bodies(name: str) -> dict[str, dict]:
    """The cases of one shared webhook fixture file, read in place."""
    import json

    path = FIXTURES / name
    if not path.exists():
        pytest.skip(f"shared WhatsApp fixtures not found at {FIXTURES}")
    return json.loads(path.read_text())


@pytest.fixture(scope="session")
def trained_models(tmp_path_factory: pytest.TempPathFactory):
    """The models trained once for the session from the repository's data."""
    from classifiers.store import model_path, train_and_save

    folder = tmp_path_factory.mktemp("models")
    trained = train_and_save(Settings(data_dir=folder))
    trained.path = model_path(Settings(data_dir=folder))  # type: ignore[attr-defined]
    return trained


@pytest.fixture
def installed_models(trained_models, settings: Settings):
    """The session's models placed where this test's settings look for them."""
    import shutil

    from classifiers.store import model_path

    target = model_path(settings)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(trained_models.path, target)
    return trained_models


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the property tests of ``*_hostile.py`` files ``hostile``.

    ``make test`` runs them in a pytest process of their own, before the rest:
    after the Prefect and Dask clients of the flow tests have run in the same
    process, the webhook property test's memory grew without bound (tens of
    GB). TODO: find which leftover loop thread or hook does it, then run the
    suite in one process again.
    """
    for item in items:
        if item.path.name.endswith("_hostile.py"):
            item.add_marker(pytest.mark.hostile)
