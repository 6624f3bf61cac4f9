"""One typed settings object, read from ``VIGIA_*`` environment variables."""

from __future__ import annotations

import secrets
from functools import cached_property, lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from vigia.errors import ConfigurationError

CHANNELS = ("te_atiende", "denuncia", "portal")
"""The citizen channels: the two WhatsApp lines and the Portal Ciudadano."""


class Settings(BaseSettings):
    """Everything Vigía can be told from outside; secrets never have defaults."""

    model_config = SettingsConfigDict(env_prefix="VIGIA_", extra="ignore")

    data_dir: Path = Field(
        Path("var"), description="Folder for the SQLite file, key file and outputs."
    )
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL; default is the SQLite file data_dir/vigia.db.",
    )
    pseudonym_key: SecretStr | None = Field(
        None,
        description="HMAC key that turns phone numbers into pseudonyms. When unset, "
        "a random key is created once in data_dir/pseudonym.key.",
    )
    te_atiende_phone_number_id: str | None = Field(
        None,
        description="WhatsApp phone_number_id of the Conavi Te Atiende line "
        "(several, comma-separated, while a line moves to a new number).",
    )
    denuncia_phone_number_id: str | None = Field(
        None,
        description="WhatsApp phone_number_id of the Conavi Denuncia line "
        "(several, comma-separated, while a line moves to a new number).",
    )
    secret_blocks: bool = Field(
        False,
        description="Read each secret that the environment leaves unset from the "
        "Prefect Secret block vigia-<setting-name> (vigia-whatsapp-app-secret for "
        "VIGIA_WHATSAPP_APP_SECRET); needs a reachable Prefect API.",
    )
    whatsapp_app_secret: SecretStr | None = Field(
        None, description="Meta app secret that signs webhook bodies (HMAC-SHA256)."
    )
    whatsapp_verify_token: SecretStr | None = Field(
        None, description="Token Meta echoes in the webhook verification handshake."
    )
    portal_api_key: SecretStr | None = Field(
        None, description="API key the Portal Ciudadano sends in X-API-Key."
    )
    max_body_bytes: int = Field(
        1_048_576, ge=1_024, description="Largest webhook body accepted (HTTP 413)."
    )
    case_quiet_gap_hours: float = Field(
        24.0,
        gt=0,
        description="Silence after which a sender's next message opens a new case.",
    )
    ingest_batch_size: int = Field(
        20_000,
        ge=1,
        le=50_000,
        description=(
            "Landing rows parsed per transaction. Each commit writes every index "
            "page its rows touched; WhatsApp ids and senders' pseudonyms are "
            "random keys, so in a large database a small batch writes about a "
            "page per row (a million messages: 5,000 rows a batch took a tenth "
            "longer than 20,000)."
        ),
    )
    report_min_cell: int = Field(
        5,
        ge=1,
        description="Counts under this are shown as '<N' in reports and open data.",
    )
    fraud_list_days: int = Field(
        90,
        ge=1,
        description="Days since its last report that an open incident stays listed.",
    )
    export_timezone: str = Field(
        "America/Mexico_City",
        description="Timezone of the phone that wrote a chat export.",
    )
    landing_retention_days: int = Field(
        180,
        ge=1,
        description="Days a landed body is kept verbatim once its parsed form is "
        "stored (processed or ignored); then `vigia purge` empties it, keeping "
        "the row, its sha256 and status so re-deliveries stay duplicates.",
    )
    rejected_retention_days: int = Field(
        730,
        ge=1,
        description="Days a rejected body is kept for review. It is the only copy "
        "of what arrived, so it outlives processed bodies, but it holds personal "
        "data too and is emptied after this.",
    )
    backup_timeout_seconds: float = Field(
        3_600, gt=0, description="Time allowed for pg_dump or pg_restore to finish."
    )
    ack_enabled: bool = Field(
        False,
        description="Send each new case an automatic acknowledgment with its folio "
        "by WhatsApp; off unless configured, since it writes to citizens.",
    )
    ack_max_age_hours: float = Field(
        48.0,
        gt=0,
        description="Age of a case after which its acknowledgment is given up: "
        "a late one would arrive after the answer it announces.",
    )
    ack_batch_size: int = Field(
        50, ge=1, le=1_000, description="Cases acknowledged per transaction."
    )
    whatsapp_access_token: SecretStr | None = Field(
        None,
        description="Token of the WhatsApp Cloud API system user that sends "
        "messages (needs whatsapp_business_messaging).",
    )
    whatsapp_api_base: str = Field(
        "https://graph.facebook.com/v21.0",
        description="Graph API base URL, with its version, that messages go to.",
    )
    whatsapp_timeout_seconds: float = Field(
        10.0, gt=0, le=120, description="Time allowed for one send request."
    )
    whatsapp_send_retries: int = Field(
        2,
        ge=0,
        le=10,
        description="Further attempts after a send fails on the network, a "
        "timeout, HTTP 429 or 5xx; other refusals are not retried.",
    )
    lookup_code_key: SecretStr | None = Field(
        None,
        description="HMAC key that derives each folio's verification code. When "
        "unset, a random key is created once in data_dir/lookup.key. Changing it "
        "changes every code already sent to citizens.",
    )
    lookup_code_digits: int = Field(
        4, ge=4, le=8, description="Digits of a folio's verification code."
    )
    lookup_max_failures: int = Field(
        5,
        ge=1,
        le=100,
        description="Failed folio lookups allowed per sender, client address and "
        "folio within the window; then every lookup is told to try later.",
    )
    lookup_window_minutes: float = Field(
        15.0,
        gt=0,
        le=1_440,
        description="Window over which failed lookups are counted, and how long "
        "a throttled sender waits.",
    )
    lookup_replies_enabled: bool = Field(
        False,
        description="Answer WhatsApp messages that only ask the status of a folio "
        "('folio ATE-2026-000123 código 4821'); such messages then open no case. "
        "Off unless configured, since it writes to citizens.",
    )
    lookup_reply_max_age_hours: float = Field(
        24.0,
        gt=0,
        le=24,
        description="Age after which a lookup message is no longer answered; "
        "WhatsApp takes free-form replies only within 24 hours.",
    )
    redis_url: str | None = Field(
        None,
        description="Redis URL (redis://host:6379/0) where failed lookups are "
        "counted, shared by every process; unset, each process counts its own.",
    )
    redis_timeout_seconds: float = Field(
        0.5, gt=0, le=10, description="Time allowed for one Redis command."
    )
    auto_answer_min_topic_score: float = Field(
        0.8,
        ge=0,
        le=1,
        description="Topic score a Te Atiende case needs for its acknowledgment to "
        "carry an automatic answer from config/answers.yaml.",
    )

    dask_address: str | None = Field(
        None,
        description="Scheduler of a running Dask cluster (tcp://host:8786) that "
        "classifies the pipeline's cases, a range of case ids per task; its "
        "workers need the same VIGIA_* settings and database.",
    )
    dask_workers: int = Field(
        0,
        ge=0,
        le=64,
        description="Without dask_address: classify on a local Dask cluster of this "
        "many single-threaded worker processes, started for each run; 0 classifies "
        "inside the pipeline's own process.",
    )
    classify_workers: int = Field(
        1,
        ge=1,
        le=64,
        description="Worker processes of this machine that classify each batch "
        "side by side, each with its own copy of the models (about 250 MB); 1 "
        "classifies in the pipeline's own process. Set it to the machine's cores.",
    )
    classify_range_cases: int = Field(
        20_000,
        ge=100,
        le=1_000_000,
        description="Most pending cases per classification task on a Dask "
        "cluster; a run is cut into at least 8 tasks when it has enough cases.",
    )

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to the SQLite file in data_dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'vigia.db').resolve()}"

    def channel_for_phone_number_id(self, phone_number_id: str) -> str | None:
        """The channel a receiving WhatsApp number belongs to, if configured."""
        return self._channel_numbers.get(phone_number_id)

    @cached_property
    def _channel_numbers(self) -> dict[str, str]:
        numbers: dict[str, str] = {}
        for channel in ("te_atiende", "denuncia"):
            configured = getattr(self, f"{channel}_phone_number_id") or ""
            for number in filter(None, map(str.strip, configured.split(","))):
                numbers[number] = channel
        return numbers

    def reply_phone_number_id(self, channel: str) -> str:
        """The WhatsApp number that writes to citizens of ``channel``.

        A line moving to a new number lists it first. Portal citizens are
        written to from the Te Atiende line, the agency's general one.
        """
        line = "te_atiende" if channel == "portal" else channel
        name = f"{line}_phone_number_id"
        configured = getattr(self, name) or ""
        numbers = [number.strip() for number in configured.split(",")]
        if not numbers[0]:
            raise ConfigurationError(
                f"VIGIA_{name.upper()} is not set; it names the number that "
                f"writes to {channel} citizens."
            )
        return numbers[0]

    def ack_access_token(self, switch: str = "VIGIA_ACK_ENABLED") -> str:
        """The token messages are sent with; required once ``switch`` is on."""
        if self.whatsapp_access_token is None:
            raise ConfigurationError(
                f"{switch} is true but VIGIA_WHATSAPP_ACCESS_TOKEN is not "
                f"set; export the Cloud API token or set {switch}=false."
            )
        return self.whatsapp_access_token.get_secret_value()

    def lookup_code_key_bytes(self) -> bytes:
        """The verification-code key; created once in data_dir when not configured."""
        if self.lookup_code_key is not None:
            return self.lookup_code_key.get_secret_value().encode()
        return _key_file(self.data_dir / "lookup.key")

    def pseudonym_key_bytes(self) -> bytes:
        """The pseudonym key; created once in data_dir when not configured."""
        if self.pseudonym_key is not None:
            return self.pseudonym_key.get_secret_value().encode()
        return _key_file(self.data_dir / "pseudonym.key")

    def require(self, name: str) -> str:
        """A secret or identifier that must be set for the operation at hand."""
        value = getattr(self, name)
        if value is None:
            raise ConfigurationError(
                f"VIGIA_{name.upper()} is not set; export it before this command."
            )
        return value.get_secret_value() if isinstance(value, SecretStr) else value


def _key_file(path: Path) -> bytes:
    """Read the key file, creating it with owner-only permissions if missing."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("x") as handle:
                path.chmod(0o600)
                handle.write(secrets.token_hex(32))
        except FileExistsError:
            pass  # another process created it first; read theirs
    return path.read_text().strip().encode()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment.

    With ``VIGIA_SECRET_BLOCKS=true``, secrets missing from the environment
    are then read from Prefect Secret blocks (``vigia.secret_blocks``).
    """
    settings = Settings()
    if settings.secret_blocks:
        from vigia.secret_blocks import with_secret_blocks

        settings = with_secret_blocks(settings)
    return settings
