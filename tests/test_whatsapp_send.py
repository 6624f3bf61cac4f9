"""Sending texts through the Cloud API, against a local Graph API over HTTP."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator

import pytest

from tests.graph_api import EXPIRED_TOKEN, REFUSAL, GraphApi, running_graph_api
from vigia.errors import ConfigurationError, VigiaError
from vigia.settings import Settings
from vigia.whatsapp_send import (
    CloudApiSender,
    WhatsAppCredentialsRefused,
    WhatsAppMessageRefused,
    WhatsAppUnavailable,
    for_sending,
)

TOKEN = "EAAG-test-access-token-0123456789"
LINE = "100000000000002"
CITIZEN = "5219614444444"  # as webhooks write a Mexican mobile


@pytest.fixture
def graph() -> Iterator[GraphApi]:
    with running_graph_api() as api:
        yield api


def sender_for(base_url: str, timeout: float = 2.0, retries: int = 2) -> CloudApiSender:
    return CloudApiSender(TOKEN, base_url, timeout, retries, backoff_seconds=0.01)


def test_a_text_is_posted_as_the_graph_api_expects(graph: GraphApi) -> None:
    with sender_for(graph.base_url) as sender:
        wamid = sender.send_text(LINE, CITIZEN, "Tu folio es DEN-2026-000001.")

    [request] = graph.requests
    assert wamid == "wamid.ACK0001"
    assert request.path == f"/v21.0/{LINE}/messages"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Content-Type"] == "application/json"
    assert request.body == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "529614444444",
        "type": "text",
        "text": {"body": "Tu folio es DEN-2026-000001.", "preview_url": False},
    }


@pytest.mark.parametrize(
    ("phone", "expected"),
    [
        ("5219614444444", "529614444444"),  # a webhook's 521 + 10 digits
        ("529614444444", "529614444444"),  # already as the API wants it
        ("+52 1 961 444 4444", "529614444444"),
        ("14155550123", "14155550123"),  # not Mexican: left alone
    ],
)
def test_mexican_mobiles_lose_the_old_1_before_sending(
    phone: str, expected: str
) -> None:
    assert for_sending(phone) == expected


def test_server_errors_are_retried_until_the_message_goes(graph: GraphApi) -> None:
    graph.answer_next(500, {"error": {"message": "try later", "code": 2}})
    graph.answer_next(503)

    with sender_for(graph.base_url, retries=2) as sender:
        wamid = sender.send_text(LINE, CITIZEN, "hola")

    assert wamid == "wamid.ACK0001"
    assert len(graph.requests) == 3


def test_retries_are_bounded(graph: GraphApi) -> None:
    for _ in range(5):
        graph.answer_next(500)

    with (
        sender_for(graph.base_url, retries=2) as sender,
        pytest.raises(
            WhatsAppUnavailable, match=r"HTTP 500 on all 3 attempts.*next run"
        ),
    ):
        sender.send_text(LINE, CITIZEN, "hola")

    assert len(graph.requests) == 3


def test_a_rate_limit_is_waited_out(graph: GraphApi) -> None:
    graph.answer_next(429, {"error": {"message": "too many", "code": 130429}})

    with sender_for(graph.base_url) as sender:
        assert sender.send_text(LINE, CITIZEN, "hola") == "wamid.ACK0001"

    assert len(graph.requests) == 2


def test_a_refusal_is_not_retried_and_says_why(graph: GraphApi) -> None:
    graph.answer_next(400, REFUSAL)

    with (
        sender_for(graph.base_url) as sender,
        pytest.raises(WhatsAppMessageRefused) as raised,
    ):
        sender.send_text(LINE, CITIZEN, "hola")

    assert len(graph.requests) == 1
    assert "HTTP 400, Graph error 131030" in str(raised.value)
    assert "not in allowed list" in str(raised.value)
    assert isinstance(raised.value, VigiaError)


def test_a_refused_token_says_which_setting_to_renew(graph: GraphApi) -> None:
    graph.answer_next(401, EXPIRED_TOKEN)

    with (
        sender_for(graph.base_url) as sender,
        pytest.raises(WhatsAppCredentialsRefused, match="VIGIA_WHATSAPP_ACCESS_TOKEN"),
    ):
        sender.send_text(LINE, CITIZEN, "hola")

    assert len(graph.requests) == 1


def test_a_slow_api_times_out_and_is_tried_again(graph: GraphApi) -> None:
    graph.answer_next(200, None, delay=1.0)

    with sender_for(graph.base_url, timeout=0.2, retries=1) as sender:
        wamid = sender.send_text(LINE, CITIZEN, "hola")

    assert wamid == "wamid.ACK0001"
    assert len(graph.requests) == 2


def test_an_api_that_never_answers_in_time_fails_cleanly(graph: GraphApi) -> None:
    graph.answer_next(200, None, delay=1.0)
    graph.answer_next(200, None, delay=1.0)

    with (
        sender_for(graph.base_url, timeout=0.2, retries=1) as sender,
        pytest.raises(WhatsAppUnavailable, match="timed out on all 2 attempts"),
    ):
        sender.send_text(LINE, CITIZEN, "hola")


def test_an_unreachable_api_fails_cleanly() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with (
        sender_for(f"http://127.0.0.1:{port}/v21.0", retries=1) as sender,
        pytest.raises(WhatsAppUnavailable, match="could not connect"),
    ):
        sender.send_text(LINE, CITIZEN, "hola")


def test_neither_the_token_nor_the_number_reaches_the_logs(
    graph: GraphApi, caplog: pytest.LogCaptureFixture
) -> None:
    graph.answer_next(500)
    graph.answer_next(400, REFUSAL)
    caplog.set_level(logging.DEBUG)  # httpx and httpcore included

    with sender_for(graph.base_url) as sender:
        with pytest.raises(WhatsAppMessageRefused) as raised:
            sender.send_text(LINE, CITIZEN, "hola")
        sender.send_text(LINE, CITIZEN, "hola")

    assert "…4444" in caplog.text  # the number appears as its last digits only
    for secret in (TOKEN, CITIZEN, "529614444444", "9614444444"):
        assert secret not in caplog.text
        assert secret not in str(raised.value)


def test_sending_without_a_token_names_the_variable() -> None:
    settings = Settings(ack_enabled=True, whatsapp_access_token=None)

    with pytest.raises(ConfigurationError, match="VIGIA_WHATSAPP_ACCESS_TOKEN"):
        CloudApiSender.from_settings(settings)
