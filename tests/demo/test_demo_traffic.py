"""The demo traffic generator: reproducible, well-formed, realistic webhooks."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest

from tests.demo.webhook_contract import changes, check_body
from vigia.demo import DemoNumbers, GeneratedBody, generate_traffic

END = datetime(2026, 3, 2, tzinfo=UTC)
TOPICS = {"registro", "estatus", "pago", "obra", "atencion", "otro"}
FRAUD = {"cobro_indebido", "soborno", "suplantacion", "condicionamiento", "desvio_obra"}
TRUTH_KEYS = {
    "wamid", "channel", "sender", "conversation", "topic", "fraud", "incident",
    "chain", "redelivery", "part",
}  # fmt: skip


def dumped(messages: int, seed: int, **kwargs) -> list[str]:
    """Bodies serialised as the demo files write them."""
    return [
        json.dumps(item.body, ensure_ascii=False)
        for item in generate_traffic(messages, seed, end=END, **kwargs)
    ]


def inbound(items: list[GeneratedBody]) -> list[tuple[dict, dict]]:
    """``(message, truth)`` pairs of first deliveries."""
    pairs = []
    for item in items:
        for value in changes(item.body):
            for message, truth in zip(
                value.get("messages", []), item.truth, strict=True
            ):
                if not truth["redelivery"]:
                    pairs.append((message, truth))
    return pairs


@pytest.fixture(scope="module")
def traffic() -> list[GeneratedBody]:
    """Twenty thousand messages, the size at which every label must appear."""
    return list(generate_traffic(20_000, 2026, end=END))


def test_same_seed_gives_identical_bytes_and_another_seed_differs() -> None:
    first = dumped(3_000, 7)

    again = dumped(3_000, 7)
    other = dumped(3_000, 8)

    assert first == again
    assert first != other


def test_every_body_matches_the_webhook_contract(traffic) -> None:
    for item in traffic:
        check_body(item.body)
        assert all(set(truth) == TRUTH_KEYS for truth in item.truth)


@pytest.mark.parametrize("messages", [0, 1, 7, 250, 3_001])
def test_exactly_the_requested_number_of_distinct_inbound_messages(messages) -> None:
    items = list(generate_traffic(messages, 3, end=END, weeks=2))

    wamids = [message["id"] for message, _ in inbound(items)]

    assert len(wamids) == messages
    assert len(set(wamids)) == messages


def test_all_topics_fraud_labels_and_channels_appear(traffic) -> None:
    truths = [truth for _, truth in inbound(traffic)]

    assert {t["topic"] for t in truths} == TOPICS
    assert {label for t in truths for label in t["fraud"]} == FRAUD
    assert {t["channel"] for t in truths} == {"te_atiende", "denuncia"}
    assert any(t["incident"] for t in truths) and any(t["chain"] for t in truths)


def test_redeliveries_are_identical_copies_delivered_later(traffic) -> None:
    first_seen: dict[str, GeneratedBody] = {}
    copies = 0

    for item in traffic:
        if not item.truth:
            continue
        key = item.truth[0]["wamid"]
        if item.truth[0]["redelivery"]:
            original = first_seen[key]
            assert item.body == original.body and item.body is not original.body
            assert item.delivered_at > original.delivered_at
            copies += 1
        else:
            first_seen[key] = item

    assert 0.01 < copies / len(traffic) < 0.03


def test_statuses_follow_answers_on_ids_never_used_inbound(traffic) -> None:
    inbound_ids = {message["id"] for message, _ in inbound(traffic)}
    seen: dict[str, list[str]] = defaultdict(list)

    for item in traffic:
        for value in changes(item.body):
            for status in value.get("statuses", []):
                seen[status["id"]].append(status["status"])

    assert seen and not inbound_ids & set(seen)
    for states in seen.values():
        assert states in (
            ["failed"],
            ["sent", "delivered"],
            ["sent", "delivered", "read"],
        )


def test_replies_and_reactions_point_at_earlier_agency_messages(traffic) -> None:
    answered: set[str] = set()
    pointers = 0

    for item in traffic:
        for value in changes(item.body):
            answered.update(s["id"] for s in value.get("statuses", []))
            display = value["metadata"]["display_phone_number"]
            for message in value.get("messages", []):
                context = message.get("context", {})
                if "id" in context:
                    assert context["from"] == display and context["id"] in answered
                    pointers += 1
                if message["type"] == "reaction":
                    assert message["reaction"]["message_id"] in answered
                    pointers += 1

    assert pointers > 20


def test_user_id_only_senders_have_no_from_and_ids_stay_consistent(traffic) -> None:
    identity: dict[str, tuple] = {}
    kinds = Counter()

    for item in traffic:
        for value in changes(item.body):
            if "contacts" not in value:
                continue
            (contact,) = value["contacts"]
            key = contact.get("wa_id") or contact["user_id"]
            seen = (
                contact.get("wa_id"),
                contact.get("user_id"),
                contact["profile"]["name"],
            )
            assert identity.setdefault(key, seen) == seen
            for message, truth in zip(value["messages"], item.truth, strict=True):
                assert truth["sender"] == key
                if "wa_id" not in contact:
                    assert "from" not in message
    for wa_id, user_id, _ in identity.values():
        kinds[(wa_id is not None, user_id is not None)] += 1

    total = sum(kinds.values())
    assert 0.24 < kinds[(True, True)] / total < 0.36
    assert 0.015 < kinds[(False, True)] / total < 0.05


def test_timestamps_fall_inside_the_period_in_delivery_order(traffic) -> None:
    start = int((END - timedelta(weeks=6)).timestamp())
    stop = int(END.timestamp())
    last = 0

    for item in traffic:
        assert item.delivered_at >= last
        last = item.delivered_at
        for value in changes(item.body):
            for entry in value.get("messages", []) + value.get("statuses", []):
                assert start <= int(entry["timestamp"]) < stop
            if not (item.truth and item.truth[0]["redelivery"]):
                stamps = [int(e["timestamp"]) for e in value.get("messages", [])]
                assert max(stamps, default=item.delivered_at) == item.delivered_at


def test_traffic_has_a_daily_and_weekly_rhythm(traffic) -> None:
    hours, weekdays = Counter(), Counter()

    for message, _ in inbound(traffic):
        local = datetime.fromtimestamp(int(message["timestamp"]), UTC) - timedelta(
            hours=6
        )
        hours[local.hour] += 1
        weekdays[local.weekday()] += 1

    assert hours[11] > 5 * hours[3]
    assert weekdays[0] > 1.8 * weekdays[6]


def test_incidents_and_chains_come_from_many_distinct_people(traffic) -> None:
    reporters, forwarders = defaultdict(set), defaultdict(set)
    forwarded = Counter()

    for message, truth in inbound(traffic):
        if truth["incident"]:
            reporters[truth["incident"]].add(truth["sender"])
        if truth["chain"]:
            forwarders[truth["chain"]].add(truth["sender"])
            forwarded.update(message.get("context", {}).keys())

    assert max(len(people) for people in reporters.values()) >= 5
    assert max(len(people) for people in forwarders.values()) >= 20
    assert forwarded["forwarded"] and forwarded["frequently_forwarded"]


def test_bodies_mostly_carry_one_message_and_some_two_or_three(traffic) -> None:
    sizes = Counter(
        len(value["messages"])
        for item in traffic
        for value in changes(item.body)
        if "messages" in value
    )

    share = (sizes[2] + sizes[3]) / sum(sizes.values())
    assert 0.03 < share < 0.08 and sizes[3]


def test_custom_numbers_route_each_line() -> None:
    numbers = DemoNumbers(
        te_atiende_phone_number_id="111", denuncia_phone_number_id="222"
    )

    items = list(generate_traffic(500, 5, end=END, weeks=1, numbers=numbers))

    for item in items:
        for value in changes(item.body):
            expected = {"te_atiende": "111", "denuncia": "222"}
            for truth in item.truth:
                assert (
                    value["metadata"]["phone_number_id"] == expected[truth["channel"]]
                )


@pytest.mark.parametrize(("messages", "weeks"), [(-1, 6), (10, 0)])
def test_bad_arguments_fail_early(messages, weeks) -> None:
    with pytest.raises(ValueError):
        generate_traffic(messages, 1, end=END, weeks=weeks)
