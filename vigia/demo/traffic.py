"""Generate WhatsApp webhook traffic for the two CONAVI lines, from a seed.

The generator walks the period one local day at a time. Each day it first
plays what was scheduled for it (neighbours reporting the same gestor, a
chain message still being forwarded, people coming back to a conversation),
then fills the day's quota with fresh conversations. Bodies are kept until
the day ends, sorted by delivery time and yielded, so memory follows one
day's traffic, not the whole run. Agency answers produce status bodies
(sent, delivered, read or failed) and about 2% of message bodies are
delivered twice, as Meta retries when a webhook answers late.

Throughput is about 25,000 messages a second at 100k messages. At a million
a day holds some 25,000 live bodies, which Python's cycle collector keeps
rescanning; a benchmark that wants the full speed can wrap the run in
``gc.disable()`` (the bodies hold no reference cycles).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from vigia.demo import compose
from vigia.demo.banks.chains import CHAINS
from vigia.demo.banks.places import State
from vigia.demo.clock import Day, period, plan_days
from vigia.demo.compose import Episode, Step, Thread
from vigia.demo.draw import below, between, cumulative, pick, weighted
from vigia.demo.outbox import DemoNumbers, GeneratedBody, Outbox
from vigia.demo.people import (
    Fraudster,
    Sender,
    make_fraudster,
    make_sender,
    pick_state,
)
from vigia.demo.slots import Slots

__all__ = ["DemoNumbers", "GeneratedBody", "generate_traffic"]


# What fresh conversations are about, per line.
_ATIENDE_TOPICS = cumulative(
    {"registro": 32, "estatus": 27, "pago": 20, "obra": 7, "atencion": 5, "otro": 9}
)
_ATIENDE_FRAUD = cumulative(
    {"suplantacion": 45, "cobro_indebido": 30, "soborno": 8, "condicionamiento": 9,
     "desvio_obra": 8}
)  # fmt: skip
_DENUNCIA_FRAUD = cumulative(
    {"cobro_indebido": 32, "soborno": 14, "suplantacion": 20, "condicionamiento": 12,
     "desvio_obra": 22}
)  # fmt: skip
_INCIDENT_FRAUD = cumulative(
    {"cobro_indebido": 40, "soborno": 18, "desvio_obra": 22, "suplantacion": 12,
     "condicionamiento": 8}
)  # fmt: skip


@dataclass(slots=True)
class _Incident:
    """One gestor, coyote or servidor that several neighbours report."""

    id: str
    label: str
    topic: str
    fraudster: Fraudster


@dataclass(slots=True)
class _Chain:
    """A chain message making the rounds, forwarded by dozens of people."""

    id: str
    labels: tuple[str, ...]
    topic: str
    text: str
    launched: int


def generate_traffic(
    messages: int,
    seed: int,
    *,
    end: datetime,
    weeks: int = 6,
    numbers: DemoNumbers = DemoNumbers(),  # noqa: B008 - frozen, safe to share
) -> Iterator[GeneratedBody]:
    """Yield webhook bodies with ``messages`` distinct inbound messages.

    Bodies come in delivery order within ``[end - weeks, end)``; the same
    seed, end and numbers give identical output. Re-deliveries and status
    bodies come on top of ``messages``.
    """
    if messages < 0:
        raise ValueError(f"messages must be zero or more, got {messages}")
    if weeks < 1:
        raise ValueError(f"weeks must be at least 1, got {weeks}")
    return _Traffic(messages, seed, end, weeks, numbers).run()


class _Traffic:
    """The state of one generation run."""

    def __init__(
        self, messages: int, seed: int, end: datetime, weeks: int, numbers: DemoNumbers
    ) -> None:
        self.rng = random.Random(seed)
        self.year = end.year
        self.start, self.stop = period(end, weeks)
        self.days = plan_days(messages, self.start, self.stop, self.rng)
        self.outbox = Outbox(self.rng, numbers, self.stop)
        self.number_key = self.rng.getrandbits(48)
        self.counters = {
            "sender": 0,
            "conversation": 0,
            "incident": 0,
            "chain": 0,
        }
        self.today = 0
        self.schedule: dict[int, list[tuple[str, object]]] = {}
        self.launches = self._plan_launches(messages)

    def run(self) -> Iterator[GeneratedBody]:
        """Generate day by day, yielding each day's bodies in delivery order."""
        for index, day in enumerate(self.days):
            self._generate_day(index, day)
            yield from self.outbox.flush(day.end)

    def _generate_day(self, index: int, day: Day) -> None:
        """Play the day's scheduled tasks, then fill its quota with fresh ones."""
        self.today = index
        for kind in self.launches.pop(index, ()):
            self._launch(kind)
        left = day.quota
        for kind, item in self.schedule.pop(index, ()):
            if left <= 0:
                break
            left -= self._play(kind, item, day, left)
        while left > 0:
            left -= self._emit(self._fresh(), day.sample(self.rng), day, left)

    # Planning what happens over the period.

    def _plan_launches(self, messages: int) -> dict[int, list[str]]:
        """Pick the days on which incidents and chain messages start."""
        chains = round(messages / 3500) or (1 if messages >= 1000 else 0)
        incidents = round(messages / 700) or (1 if messages >= 300 else 0)
        span = max(1, len(self.days) - 2)
        launches: dict[int, list[str]] = {}
        for kind in ["chain"] * chains + ["incident"] * incidents:
            launches.setdefault(below(self.rng, span), []).append(kind)
        return launches

    def _launch(self, kind: str) -> None:
        """Start an incident or a chain and schedule who will write about it."""
        rng = self.rng
        cap = max(3, sum(day.quota for day in self.days) // 150)
        if kind == "incident":
            item: object = self._new_incident()
            count, mean_days, longest = min(between(rng, 3, 10), cap), 4.0, 21
        else:
            item = self._new_chain()
            count, mean_days, longest = min(between(rng, 20, 70), cap), 2.5, 12
        for i in range(count):
            offset = 0 if i == 0 else min(int(rng.expovariate(1 / mean_days)), longest)
            self._schedule(self.today + offset, (kind, item))

    def _new_incident(self) -> _Incident:
        """A fraudster in one municipality, reported under one fraud label."""
        rng = self.rng
        self.counters["incident"] += 1
        label = weighted(rng, _INCIDENT_FRAUD)
        state = pick_state(rng)
        who = make_fraudster(rng, state, pick(rng, state.municipalities))
        topic = pick(rng, compose.FRAUD_POOLS[label])[0]
        return _Incident(f"inc-{self.counters['incident']:05d}", label, topic, who)

    def _new_chain(self) -> _Chain:
        """A chain text with its scammer's phone, amount and page filled in."""
        rng = self.rng
        self.counters["chain"] += 1
        labels, topic, text = pick(rng, CHAINS)
        state = pick_state(rng)
        who = make_fraudster(rng, state, pick(rng, state.municipalities))
        filled = text.format_map(Slots(rng, None, who))
        return _Chain(
            f"chain-{self.counters['chain']:04d}", labels, topic, filled, self.today
        )

    def _schedule(self, day: int, task: tuple[str, object]) -> None:
        """Queue a task for a later day of the period (dropped past the end)."""
        if day < len(self.days):
            self.schedule.setdefault(day, []).append(task)

    # Conversations.

    def _fresh(self) -> Episode:
        """A new conversation on one of the two lines."""
        rng = self.rng
        sender = self._sender()
        if rng.random() < 0.78:
            if rng.random() < 0.05:
                return self._fraud(sender, "te_atiende", weighted(rng, _ATIENDE_FRAUD))
            topic = weighted(rng, _ATIENDE_TOPICS)
            if topic == "otro":
                return compose.other(rng, sender, "te_atiende")
            return compose.question(rng, sender, "te_atiende", topic)
        roll = rng.random()
        if roll < 0.68:
            return self._fraud(sender, "denuncia", weighted(rng, _DENUNCIA_FRAUD))
        if roll < 0.94:
            # Service complaints, and questions sent to the wrong line.
            topic = "obra" if roll < 0.80 else "atencion" if roll < 0.88 else None
            topic = topic or pick(rng, ("registro", "estatus", "pago"))
            return compose.question(rng, sender, "denuncia", topic)
        return compose.other(rng, sender, "denuncia")

    def _fraud(self, sender: Sender, channel: str, label: str) -> Episode:
        """A one-off fraud report or question about a local fraudster."""
        who = make_fraudster(self.rng, sender.state, sender.municipality)
        elaborate = channel == "denuncia"
        return compose.denuncia(
            self.rng, sender, channel, label, who, elaborate=elaborate
        )

    def _play(self, kind: str, item: object, day: Day, left: int) -> int:
        """Run a scheduled task; return the inbound messages it produced."""
        rng = self.rng
        if kind == "comeback":
            assert isinstance(item, Thread)
            display = self.outbox.line(item.channel)[0]
            t0 = day.sample(rng)
            answered = 0 < item.delivered < t0
            episode = Episode(
                item.channel, item.sender, item.topic, item.fraud,
                compose.comeback(rng, item, display, answered), story=item.story,
                incident=item.incident, chain=item.chain,
            )  # fmt: skip
            return self._emit(episode, t0, day, left, item)
        if kind == "incident":
            assert isinstance(item, _Incident)
            return self._emit(self._report(item), day.sample(rng), day, left)
        assert isinstance(item, _Chain)
        sender = self._sender()
        channel = "denuncia" if rng.random() < 0.55 else "te_atiende"
        popular = self.today - item.launched >= 2 or rng.random() < 0.3
        steps = compose.forward(rng, sender, channel, item.text, popular)
        episode = Episode(
            channel, sender, item.topic, item.labels, steps, chain=item.id
        )
        return self._emit(episode, day.sample(rng), day, left)

    def _report(self, incident: _Incident) -> Episode:
        """One neighbour's report of an incident, in their own words."""
        rng = self.rng
        who = incident.fraudster
        sender = self._sender(who.state)
        if rng.random() < 0.7:
            sender.municipality = who.municipality
        channel = "denuncia" if rng.random() < 0.85 else "te_atiende"
        episode = compose.denuncia(
            rng, sender, channel, incident.label, who,
            topic=incident.topic, identify=rng.random() < 0.8,
        )  # fmt: skip
        episode.incident = incident.id
        return episode

    def _sender(self, state: State | None = None) -> Sender:
        """A new, distinct sender."""
        self.counters["sender"] += 1
        serial = self.counters["sender"]
        return make_sender(self.rng, serial, self.number_key, self.year, state)

    # Turning an episode into bodies.

    def _emit(
        self,
        episode: Episode,
        t0: int,
        day: Day,
        left: int,
        thread: Thread | None = None,
    ) -> int:
        """Push an episode's bodies; return the inbound messages pushed."""
        rng = self.rng
        steps = compose.trim(episode.steps, left)
        times = self._times(steps, t0, day)
        if thread is None:
            self.counters["conversation"] += 1
            thread = Thread(
                episode.sender, episode.channel, episode.topic, episode.fraud,
                f"conv-{self.counters['conversation']:07d}", episode.story,
                episode.incident, episode.chain,
            )  # fmt: skip
        self.outbox.push_messages(episode, thread.conversation, steps, times)
        count = len(steps)

        read = self.outbox.answer(thread, times[-1])
        if read is not None and count < left and rng.random() < 0.5:
            display = self.outbox.line(episode.channel)[0]
            step = compose.after_reply(
                rng, episode.sender, thread.outbound or "", display
            )
            ts = read + between(rng, 5, 900)
            if ts < self.stop:
                self.outbox.push_messages(episode, thread.conversation, [step], [ts])
                count += 1
        chance = 0.14 if episode.fraud or episode.channel == "denuncia" else 0.06
        if rng.random() < chance:
            self._schedule(self.today + between(rng, 1, 6), ("comeback", thread))
        return count

    def _times(self, steps: list[Step], t0: int, day: Day) -> list[int]:
        """Timestamps of a burst; pulled back if it would run past the end."""
        times, t = [], t0
        for i, step in enumerate(steps):
            if i:
                t += max(1, step.gap)
            times.append(t)
        if times[-1] >= self.stop:
            shift = min(times[-1] - self.stop + 1, times[0] - day.start)
            times = [min(t - shift, self.stop - 1) for t in times]
        return times
