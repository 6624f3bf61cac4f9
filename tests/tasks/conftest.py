"""Fixtures of the stages that send WhatsApp messages: a local Graph API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.graph_api import GraphApi, running_graph_api
from vigia.whatsapp_send import CloudApiSender


@pytest.fixture
def graph() -> Iterator[GraphApi]:
    """A Graph API stand-in on loopback that records what it is sent."""
    with running_graph_api() as api:
        yield api


@pytest.fixture
def sender(graph: GraphApi) -> Iterator[CloudApiSender]:
    """The real Cloud API sender, pointed at the local Graph API."""
    with CloudApiSender("test-token", graph.base_url, 2.0, 1, 0.01) as client:
        yield client
