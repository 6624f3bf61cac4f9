"""Sending text messages through the WhatsApp Cloud API.

The pipeline writes to citizens through :class:`TextSender`, a one-method
interface, so tests can point it at a local stand-in of the Graph API.
:class:`CloudApiSender` is the real one: it posts to
``{api_base}/{phone_number_id}/messages`` with the system user's token,
retries what may pass on a second try (network errors, timeouts, HTTP 429
and 5xx) a bounded number of times, and turns every failure into a
:class:`WhatsAppSendError` that says what to do.

Neither the token nor a full phone number is ever logged or put in an error
message: numbers appear as their last four digits.
"""

from __future__ import annotations

import logging
import time
from types import TracebackType
from typing import Any, Protocol

import httpx

from vigia.errors import VigiaError
from vigia.settings import Settings

logger = logging.getLogger(__name__)

MAX_RETRY_AFTER = 30.0
"""Longest wait honoured from a Retry-After header, in seconds."""


class TextSender(Protocol):
    """Anything that sends one WhatsApp text and returns its message id."""

    def send_text(self, phone_number_id: str, to: str, body: str) -> str:
        """Send ``body`` from the business number to ``to``; the ``wamid``."""
        ...


class WhatsAppSendError(VigiaError):
    """A message could not be sent; it was not delivered."""


class WhatsAppMessageRefused(WhatsAppSendError):
    """The API refused this message (HTTP 4xx): sending it again will not help."""


class WhatsAppCredentialsRefused(WhatsAppSendError):
    """The API refused the token or the sending number: no message can go out."""


class WhatsAppUnavailable(WhatsAppSendError):
    """The API did not answer usefully after every attempt; try again later."""


def for_sending(phone: str) -> str:
    """A number as the Cloud API accepts it: Mexico's "521" mobile prefix as "52".

    Webhooks write Mexican mobiles as 521 + 10 digits, a form left from
    before 2019; the API expects 52 + 10 digits to write back.
    """
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) == 13 and digits.startswith("521"):
        return "52" + digits[3:]
    return digits


def masked(phone: str) -> str:
    """A number safe for logs: its last four digits only."""
    return f"…{phone[-4:]}"


class CloudApiSender:
    """Sends texts through the Graph API; one HTTP client for all its sends."""

    def __init__(
        self,
        access_token: str,
        api_base: str,
        timeout_seconds: float = 10.0,
        retries: int = 2,
        backoff_seconds: float = 1.0,
    ) -> None:
        self._api_base = api_base.rstrip("/")
        self._retries = retries
        self._backoff = backoff_seconds
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout_seconds),
            headers={"Authorization": f"Bearer {access_token}"},
        )

    @classmethod
    def from_settings(
        cls, settings: Settings, switch: str = "VIGIA_ACK_ENABLED"
    ) -> CloudApiSender:
        """The sender of the stage ``switch`` turns on; no token: ConfigurationError."""
        return cls(
            settings.ack_access_token(switch),
            settings.whatsapp_api_base,
            settings.whatsapp_timeout_seconds,
            settings.whatsapp_send_retries,
        )

    def __enter__(self) -> CloudApiSender:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the HTTP connections."""
        self._client.close()

    def send_text(self, phone_number_id: str, to: str, body: str) -> str:
        """Send one text; the message id WhatsApp gave it (``wamid...``)."""
        recipient = for_sending(to)
        payload = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": recipient,
            "type": "text",
            "text": {"body": body, "preview_url": False},
        }
        url = f"{self._api_base}/{phone_number_id}/messages"
        response = self._post(url, payload, recipient)
        wamid = _message_id(response)
        logger.info("sent message %s to %s", wamid, masked(recipient))
        return wamid

    def _post(self, url: str, payload: dict[str, Any], recipient: str) -> Any:
        """POST with bounded retries; the parsed JSON of a 2xx answer."""
        attempts, problem = self._retries + 1, ""
        for attempt in range(1, attempts + 1):
            wait = self._backoff * 2 ** (attempt - 1)
            try:
                response = self._client.post(url, json=payload)
            except httpx.TimeoutException:
                problem = "timed out"
            except httpx.TransportError as error:
                problem = f"could not connect ({type(error).__name__})"
            else:
                if response.is_success:
                    return _json(response)
                if response.status_code != 429 and response.status_code < 500:
                    raise _refusal(response, recipient)
                problem = f"answered HTTP {response.status_code}"
                wait = max(wait, _retry_after(response))
            logger.warning(
                "WhatsApp send to %s %s (attempt %d of %d)",
                masked(recipient),
                problem,
                attempt,
                attempts,
            )
            if attempt < attempts:
                time.sleep(wait)
        raise WhatsAppUnavailable(
            f"the WhatsApp Cloud API {problem} on all {attempts} attempts; the "
            f"message was not sent and is tried again on the next run. Check that "
            f"this machine reaches {self._api_base}."
        )


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        raise WhatsAppSendError(
            f"the WhatsApp Cloud API answered HTTP {response.status_code} with a "
            "body that is not JSON; check VIGIA_WHATSAPP_API_BASE."
        ) from None


def _message_id(answer: Any) -> str:
    """The ``wamid`` of a send answer: ``{"messages": [{"id": "wamid..."}]}``."""
    try:
        wamid = answer["messages"][0]["id"]
    except (KeyError, IndexError, TypeError):
        wamid = None
    if not isinstance(wamid, str) or not wamid:
        raise WhatsAppSendError(
            "the WhatsApp Cloud API accepted the message but returned no message "
            "id; check VIGIA_WHATSAPP_API_BASE points at the Graph API."
        )
    return wamid


def _refusal(response: httpx.Response, recipient: str) -> WhatsAppSendError:
    """The error for a 4xx answer, with Graph's own code and what to do."""
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):
        error = {}
    code = error.get("code", "none")
    detail = error.get("message") or response.reason_phrase
    graph = f"HTTP {response.status_code}, Graph error {code}: {detail}"
    if response.status_code in (401, 403) or code in (190, 10, 200):
        return WhatsAppCredentialsRefused(
            f"WhatsApp refused the credentials ({graph}); renew "
            "VIGIA_WHATSAPP_ACCESS_TOKEN or grant it whatsapp_business_messaging "
            "on this number."
        )
    if response.status_code == 404:
        return WhatsAppCredentialsRefused(
            f"WhatsApp has no such sending address ({graph}); check "
            "VIGIA_WHATSAPP_API_BASE and the line's VIGIA_*_PHONE_NUMBER_ID."
        )
    return WhatsAppMessageRefused(
        f"WhatsApp refused the message to {masked(recipient)} ({graph}); look "
        "the code up in Meta's Cloud API error codes."
    )


def _retry_after(response: httpx.Response) -> float:
    """Seconds a 429 or 503 asks to wait, bounded; 0 when it does not say."""
    try:
        return min(float(response.headers.get("Retry-After", 0)), MAX_RETRY_AFTER)
    except ValueError:
        return 0.0
