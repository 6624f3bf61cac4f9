"""Turn composed episodes into webhook bodies and hold them until delivery.

The outbox numbers each message, wraps it the way Meta posts it, adds the
truth about it, answers some conversations on the agency's behalf (with the
sent / delivered / read or failed statuses Meta reports), re-delivers about
2% of bodies a little later as Meta does when a webhook answers late, and
keeps everything until the generator flushes a finished day in delivery
order.
"""

from __future__ import annotations

import copy
import random
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass

from vigia.demo.clock import DAY, HOUR, office_reply_time
from vigia.demo.compose import Episode, Step, Thread
from vigia.demo.draw import between, pick
from vigia.demo.webhook import Ids, contact, envelope, message, status


@dataclass(frozen=True)
class DemoNumbers:
    """The receiving business numbers of the two lines."""

    te_atiende_phone_number_id: str = "100000000000001"
    te_atiende_display: str = "525500000001"
    denuncia_phone_number_id: str = "100000000000002"
    denuncia_display: str = "525500000002"
    # The WhatsApp Business Account both lines belong to (``entry[].id``).
    business_account_id: str = "200000000000001"


@dataclass(frozen=True)
class GeneratedBody:
    """One webhook body and the truth about each inbound message in it.

    ``truth`` has one dict per inbound message (none for status bodies) with
    ``wamid``, ``channel``, ``sender`` (``wa_id``, else ``user_id``),
    ``conversation``, ``topic``, ``fraud``, ``incident``, ``chain``,
    ``redelivery`` and ``part`` (greeting, content, comment, media, closing
    or reaction: whether that message itself carries the conversation's
    subject). Topic and fraud labels are the conversation's. ``delivered_at``
    is when Meta posts the body, in epoch seconds.
    """

    body: dict
    truth: list[dict]
    delivered_at: int = 0


class Outbox:
    """Bodies of one run, held until the day they belong to is flushed."""

    def __init__(self, rng: random.Random, numbers: DemoNumbers, stop: int) -> None:
        self.rng = rng
        self.numbers = numbers
        self.stop = stop
        self.ids = Ids(rng)
        self.pending: list[tuple[int, int, GeneratedBody]] = []
        self.seq = 0

    def push_messages(
        self, episode: Episode, conversation: str, steps: list[Step], times: list[int]
    ) -> None:
        """Build message bodies (some carrying two or three messages)."""
        rng, sender = self.rng, episode.sender
        display, phone_id = self.line(episode.channel)
        address = sender.wa_id or sender.user_id or ""
        i = 0
        while i < len(steps):
            size = 1
            if len(steps) - i > 1 and rng.random() < 0.09:
                size = min(len(steps) - i, pick(rng, (2, 2, 3)))
            for j in range(i + 1, i + size):
                # Meta batches messages that arrive within seconds of each other.
                times[j] = min(times[j], times[j - 1] + between(rng, 0, 4))
            batch, truth = [], []
            for step, ts in zip(steps[i : i + size], times[i : i + size], strict=True):
                wamid = self.ids.wamid(address)
                batch.append(message(step, wamid, ts, sender, self.ids))
                truth.append(self._truth(episode, conversation, wamid, step.part))
            value = {"contacts": [contact(sender)], "messages": batch}
            body = envelope(self.numbers.business_account_id, display, phone_id, value)
            delivered = times[i + size - 1]
            self._push(GeneratedBody(body, truth, delivered))
            if rng.random() < 0.02:
                self._redeliver(body, truth, delivered)
            i += size

    def _truth(
        self, episode: Episode, conversation: str, wamid: str, part: str
    ) -> dict:
        """The ground truth of one inbound message."""
        return {
            "wamid": wamid,
            "channel": episode.channel,
            "sender": episode.sender.key,
            "conversation": conversation,
            "topic": episode.topic,
            "fraud": list(episode.fraud),
            "incident": episode.incident,
            "chain": episode.chain,
            "redelivery": False,
            "part": part,
        }

    def _redeliver(self, body: dict, truth: list[dict], delivered: int) -> None:
        """Post the same body again a little later, as Meta's retries do."""
        rng = self.rng
        delay = 15 + int(rng.expovariate(1 / 90))
        if rng.random() < 0.1:
            delay += between(rng, 300, HOUR)
        again = [{**item, "redelivery": True} for item in truth]
        self._push(GeneratedBody(copy.deepcopy(body), again, delivered + delay))

    def answer(self, thread: Thread, last: int) -> int | None:
        """Maybe answer the conversation; push statuses; return the read time."""
        rng = self.rng
        if rng.random() >= (0.06 if thread.channel == "te_atiende" else 0.045):
            return None
        sender = thread.sender
        recipient = sender.wa_id or sender.user_id or ""
        sent = office_reply_time(last, rng)
        outbound = self.ids.wamid(recipient, inbound=False)
        conversation = self.ids.conversation()
        line = self.line(thread.channel)
        if rng.random() < 0.02:
            code = 131047 if sent - last > DAY else pick(rng, (131026, 131000))
            failed = status(outbound, "failed", sent + between(rng, 1, 5), recipient,
                            conversation, error=code)  # fmt: skip
            self._push_status(line, failed)
            return None
        self._push_status(line, status(outbound, "sent", sent, recipient, conversation,
                                       expires=sent + DAY))  # fmt: skip
        late = rng.random() < 0.1
        delivered = sent + (
            between(rng, 600, 8 * HOUR) if late else between(rng, 1, 20)
        )
        self._push_status(line, status(outbound, "delivered", delivered, recipient,
                                       conversation))  # fmt: skip
        if delivered >= self.stop:
            return None
        thread.outbound, thread.delivered = outbound, delivered
        if rng.random() < 0.2:
            return None
        read = delivered + between(rng, 20, 4 * HOUR)
        self._push_status(line, status(outbound, "read", read, recipient, conversation))
        return read

    def _push_status(self, line: tuple[str, str], entry: dict) -> None:
        """Push a status body unless it falls after the period."""
        ts = int(entry["timestamp"])
        if ts < self.stop:
            value = {"statuses": [entry]}
            body = envelope(self.numbers.business_account_id, *line, value)
            self._push(GeneratedBody(body, [], ts))

    def _push(self, item: GeneratedBody) -> None:
        """Hold a body until its day is flushed."""
        self.seq += 1
        self.pending.append((item.delivered_at, self.seq, item))

    def flush(self, limit: int) -> Iterator[GeneratedBody]:
        """Yield held bodies delivered before ``limit``, in delivery order."""
        self.pending.sort(key=lambda held: (held[0], held[1]))
        cut = bisect_left(self.pending, limit, key=lambda held: held[0])
        ready, self.pending = self.pending[:cut], self.pending[cut:]
        for _, _, item in ready:
            yield item

    def line(self, channel: str) -> tuple[str, str]:
        """``(display number, phone number id)`` of a line."""
        numbers = self.numbers
        if channel == "denuncia":
            return numbers.denuncia_display, numbers.denuncia_phone_number_id
        return numbers.te_atiende_display, numbers.te_atiende_phone_number_id
