"""Small builders of webhook bodies for tests that need exact times and senders."""

from __future__ import annotations

import json
from datetime import datetime

from tests.conftest import TE_ATIENDE_ID


def text_body(
    wamid: str,
    sender: str,
    sent_at: datetime,
    text: str,
    phone_number_id: str = TE_ATIENDE_ID,
) -> dict:
    """A webhook body carrying one text message, shaped as Meta posts it."""
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "200000000000001",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "525500000001",
                                "phone_number_id": phone_number_id,
                            },
                            "contacts": [
                                {"profile": {"name": "Ana López"}, "wa_id": sender}
                            ],
                            "messages": [
                                {
                                    "from": sender,
                                    "id": wamid,
                                    "timestamp": str(int(sent_at.timestamp())),
                                    "type": "text",
                                    "text": {"body": text},
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }


def encoded(body: dict) -> bytes:
    """The body as bytes, the way it lands."""
    return json.dumps(body, ensure_ascii=False).encode()


def status_body(
    wamid: str,
    recipient: str,
    at: datetime,
    status: str = "delivered",
    phone_number_id: str = TE_ATIENDE_ID,
) -> dict:
    """A webhook body carrying one delivery status of a message the agency sent."""
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "200000000000001",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "525500000001",
                                "phone_number_id": phone_number_id,
                            },
                            "statuses": [
                                {
                                    "id": wamid,
                                    "status": status,
                                    "timestamp": str(int(at.timestamp())),
                                    "recipient_id": recipient,
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }
