"""Compose conversations: what one sender writes in one burst, step by step.

An :class:`Episode` is a burst of one to eight messages from one sender
within minutes ("hola" / "quiero denunciar" / the story / a photo /
"gracias"), with the labels the whole conversation carries. Its steps say
what each message is (text, image, voice note...), which part of the
conversation it is, and how many seconds after the previous one it came.
Timestamps, ids and webhook shapes are added later by :mod:`vigia.demo.traffic`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from vigia.demo.banks import Phrase, chatter
from vigia.demo.banks.fraud_money import COBRO_INDEBIDO, SOBORNO
from vigia.demo.banks.fraud_other import CONDICIONAMIENTO, DESVIO_OBRA, SUPLANTACION
from vigia.demo.banks.questions import ESTATUS, PAGO, REGISTRO
from vigia.demo.banks.service import ATENCION, OBRA, OTRO
from vigia.demo.draw import between, pick
from vigia.demo.noise import light_edit, render, reword, split_text
from vigia.demo.people import Fraudster, Sender, format_folio
from vigia.demo.slots import Slots

TOPIC_BANKS: dict[str, tuple[Phrase, ...]] = {
    "registro": REGISTRO,
    "estatus": ESTATUS,
    "pago": PAGO,
    "obra": OBRA,
    "atencion": ATENCION,
    "otro": OTRO,
}
FRAUD_BANKS: dict[str, dict[str, tuple[Phrase, ...]]] = {
    "cobro_indebido": COBRO_INDEBIDO,
    "soborno": SOBORNO,
    "suplantacion": SUPLANTACION,
    "condicionamiento": CONDICIONAMIENTO,
    "desvio_obra": DESVIO_OBRA,
}
# Every fraud phrase with its topic, so a label can be drawn in one step.
FRAUD_POOLS: dict[str, tuple[tuple[str, Phrase], ...]] = {
    label: tuple((topic, p) for topic, bank in banks.items() for p in bank)
    for label, banks in FRAUD_BANKS.items()
}
# Second signals that often come with the first in one complaint.
_COMPANIONS = {
    "cobro_indebido": ("condicionamiento", "suplantacion"),
    "soborno": ("condicionamiento", "desvio_obra"),
    "suplantacion": ("cobro_indebido",),
    "condicionamiento": ("cobro_indebido", "soborno"),
    "desvio_obra": ("soborno", "cobro_indebido"),
}
_MOODS = {
    "registro": ("neutral", "pleading"),
    "estatus": ("pleading", "neutral", "sad"),
    "pago": ("pleading", "sad", "neutral"),
    "obra": ("sad", "angry"),
    "atencion": ("angry", "sad"),
    "otro": ("neutral", "happy"),
    "fraud": ("angry", "alarm", "sad", "pleading"),
}
_GREETING_WORDS = ("hola", "buenas", "buenos", "buen d", "oiga", "ola")
_ASKING = ("registro", "estatus", "pago")  # topics where people add their details
_FORMAL: dict[int, tuple] = {}
_IDENTIFIES = ("{nombre}", "{tel}", "{cuenta}")


@dataclass(slots=True)
class Step:
    """One message of an episode, before it gets an id and a timestamp."""

    kind: str  # text, image, document, audio, video, sticker, reaction, location
    part: str  # greeting, content, comment, media, closing or reaction
    gap: int  # seconds after the previous message
    text: str | None = None  # text body, caption or reaction emoji
    context: dict | None = None
    target: str | None = None  # the message a reaction points at
    filename: str | None = None
    place: tuple[float, float, str | None] | None = None


@dataclass(slots=True)
class Episode:
    """A burst of messages from one sender with the conversation's labels."""

    channel: str
    sender: Sender
    topic: str
    fraud: tuple[str, ...]
    steps: list[Step]
    story: str | None = None  # the complaint as first written, for re-sends
    incident: str | None = None
    chain: str | None = None


@dataclass(slots=True)
class Thread:
    """What is remembered of a conversation so its sender can come back."""

    sender: Sender
    channel: str
    topic: str
    fraud: tuple[str, ...]
    conversation: str
    story: str | None
    incident: str | None
    chain: str | None
    outbound: str | None = None  # the agency's answer, if one was sent
    delivered: int = 0  # when that answer reached the sender's phone


def question(rng: random.Random, sender: Sender, channel: str, topic: str) -> Episode:
    """A question or complaint about one topic, with greetings and extras."""
    bank = TOPIC_BANKS[topic]
    first = _pick_phrase(rng, bank, sender)
    parts = [first.text(sender.female)]
    if topic in _ASKING and rng.random() < 0.22:
        extra = pick(rng, chatter.CONTEXT).text(sender.female)
        parts.insert(0 if rng.random() < 0.4 else 1, extra)
    if channel == "denuncia" and rng.random() < 0.5:
        second = _pick_phrase(rng, bank, sender)
        if second is not first:
            parts.append(second.text(sender.female))
    raw = _join(rng, parts).format_map(Slots(rng, sender))

    steps = _preamble(rng, sender, 0.0 if _greets(raw) else 0.45)
    steps += _text(
        rng, sender, raw, pick(rng, _MOODS[topic]), long=channel == "denuncia"
    )
    photos = "works" if topic == "obra" else "papers"
    _extras(rng, sender, steps, photos, photo=0.3 if topic == "obra" else 0.08)
    return Episode(channel, sender, topic, (), _cap(steps), story=raw)


def other(rng: random.Random, sender: Sender, channel: str) -> Episode:
    """An out-of-scope message: another agency, a greeting, media with no text."""
    roll = rng.random()
    if roll < 0.4:
        return question(rng, sender, channel, "otro")
    if roll < 0.6:
        steps = _preamble(rng, sender, 1.0)
    elif roll < 0.7:
        steps = [_plain(rng, sender, pick(rng, chatter.THANKS), "closing", "happy")]
    elif roll < 0.82:
        steps = [_image(rng, sender, "papers", caption=0.0)]
    elif roll < 0.94:
        steps = [_media(rng, "audio")]
    else:
        steps = [_media(rng, "sticker")]
    return Episode(channel, sender, "otro", (), steps)


def denuncia(
    rng: random.Random,
    sender: Sender,
    channel: str,
    label: str,
    fraudster: Fraudster,
    *,
    topic: str | None = None,
    identify: bool = False,
    elaborate: bool = True,
) -> Episode:
    """A fraud report (or, short, a worried question) about ``fraudster``."""
    topic, phrase = _fraud_phrase(rng, label, topic)
    fraud = {label, *phrase.extra}
    parts = [phrase.text(fraudster.female)]
    if elaborate and rng.random() < 0.08:
        companion = pick(rng, _COMPANIONS[label])
        parts.append(pick(rng, FRAUD_POOLS[companion])[1].text(fraudster.female))
        fraud.add(companion)
    named = any(slot in parts[0] for slot in _IDENTIFIES)
    if (identify and not named) or (elaborate and rng.random() < 0.3):
        parts.append(pick(rng, chatter.IDENTIFYING).text(fraudster.female))
    if elaborate and rng.random() < 0.45:
        parts.append(pick(rng, chatter.IMPACT).text(fraudster.female))
    raw = _join(rng, parts).format_map(Slots(rng, sender, fraudster))

    steps = _preamble(rng, sender, 0.0 if _greets(raw) else 0.5 if elaborate else 0.35)
    if elaborate and channel == "denuncia" and rng.random() < 0.55:
        opener = _pick_line(rng, chatter.DENUNCIA_OPENERS, sender)
        steps.append(_plain(rng, sender, opener, "greeting"))
    steps += _text(rng, sender, raw, pick(rng, _MOODS["fraud"]), long=elaborate)
    photos = "works" if topic == "obra" and rng.random() < 0.5 else "evidence"
    if label == "suplantacion" or not elaborate:
        photos = "screens"
    _extras(
        rng, sender, steps, photos, photo=0.4 if elaborate else 0.1, evidence=elaborate
    )
    return Episode(channel, sender, topic, tuple(sorted(fraud)), _cap(steps), story=raw)


def forward(
    rng: random.Random, sender: Sender, channel: str, text: str, popular: bool
) -> list[Step]:
    """A chain message forwarded as received, with a comment around it."""
    steps: list[Step] = []
    if rng.random() < 0.35:
        steps.append(_plain(rng, sender, pick(rng, chatter.CHAIN_COMMENTS), "comment"))
    if rng.random() < 0.6:
        text = light_edit(text, rng)
    flag = "frequently_forwarded" if popular else "forwarded"
    kind = "image" if rng.random() < 0.15 else "text"
    steps.append(Step(kind, "content", between(rng, 2, 30), text, context={flag: True}))
    if rng.random() < 0.2:
        steps.append(_plain(rng, sender, pick(rng, chatter.CHAIN_COMMENTS), "comment"))
    return steps


def comeback(
    rng: random.Random, thread: Thread, display: str, answered: bool
) -> list[Step]:
    """A sender back days later: replying, re-sending, or asking for news.

    ``answered`` says whether the agency's answer has reached them by now.
    """
    sender = thread.sender
    if answered and thread.outbound and rng.random() < 0.5:
        return [_reply(rng, sender, thread.outbound, display)]
    if thread.story and thread.fraud and rng.random() < 0.6:
        steps = [_plain(rng, sender, pick(rng, chatter.RESEND_INTROS), "comment")]
        steps += _text(rng, sender, reword(thread.story, rng), "angry")
        if rng.random() < 0.3:
            steps.append(_image(rng, sender, "evidence", caption=0.3))
        return steps
    steps = _preamble(rng, sender, 0.3)
    steps.append(_plain(rng, sender, pick(rng, chatter.FOLLOW_UPS), "comment", "sad"))
    if thread.channel == "te_atiende" and rng.random() < 0.3:
        folio = format_folio(rng, sender.folio)
        steps.append(_plain(rng, sender, f"mi folio es {folio}", "comment"))
    return steps


def after_reply(
    rng: random.Random, sender: Sender, outbound: str, display: str
) -> Step:
    """What a sender does after reading the agency's answer."""
    roll = rng.random()
    if roll < 0.3:
        emoji = pick(rng, chatter.REACTIONS)
        return Step("reaction", "reaction", 0, emoji, target=outbound)
    if roll < 0.65:
        return _plain(rng, sender, pick(rng, chatter.THANKS), "closing", "happy")
    return _reply(rng, sender, outbound, display)


def trim(steps: list[Step], limit: int) -> list[Step]:
    """Keep at most ``limit`` steps, content first, in their original order."""
    if len(steps) <= limit:
        return steps
    order = sorted(range(len(steps)), key=lambda i: (steps[i].part != "content", i))
    return [steps[i] for i in sorted(order[:limit])]


def _cap(steps: list[Step]) -> list[Step]:
    """A burst is at most eight messages."""
    return trim(steps, 8)


def _reply(rng: random.Random, sender: Sender, outbound: str, display: str) -> Step:
    """A text quoting the agency's message (WhatsApp's reply context)."""
    step = _plain(rng, sender, pick(rng, chatter.REPLIES_TO_AGENCY), "comment")
    step.context = {"from": display, "id": outbound}
    return step


def _preamble(rng: random.Random, sender: Sender, chance: float) -> list[Step]:
    """Zero, one or two greetings ("hola" / "buenas tardes")."""
    if rng.random() >= chance:
        return []
    first = _pick_line(rng, chatter.GREETINGS, sender)
    steps = [_plain(rng, sender, first, "greeting")]
    second = _pick_line(rng, chatter.GREETINGS, sender)
    if rng.random() < 0.15 and second != first:
        steps.append(_plain(rng, sender, second, "greeting"))
    return steps


def _extras(
    rng: random.Random,
    sender: Sender,
    steps: list[Step],
    photos: str,
    photo: float,
    evidence: bool = False,
) -> None:
    """Append photos, documents, voice notes, a location and a closing."""
    if rng.random() < photo:
        for _ in range(pick(rng, (1, 1, 1, 2, 3)) if evidence else 1):
            steps.append(_image(rng, sender, photos, caption=0.45))
    if rng.random() < (0.08 if evidence else 0.03):
        steps.append(_document(rng, sender))
    if rng.random() < (0.12 if evidence else 0.05):
        steps.append(_media(rng, "audio"))
    if evidence and rng.random() < 0.03:
        steps.append(_media(rng, "video"))
    if evidence and rng.random() < 0.05:
        steps.append(_location(rng, sender))
    if rng.random() < (0.45 if evidence else 0.22):
        closings = chatter.CLOSINGS
        if evidence and rng.random() < 0.6:
            closings = chatter.COMPLAINT_CLOSINGS
        closing = _pick_line(rng, closings, sender)
        steps.append(_plain(rng, sender, closing, "closing"))
    if rng.random() < 0.02:
        steps.append(_media(rng, "sticker"))


def _text(
    rng: random.Random, sender: Sender, raw: str, mood: str, long: bool = False
) -> list[Step]:
    """Type a content text, split into several messages if the writer does.

    ``long`` texts (complaints to Denuncia) are split less: people who sit
    down to denounce tend to write one long message.
    """
    typed = render(raw, sender.style, rng, mood)
    pieces = [typed]
    chance = sender.style.split * (0.45 if long else 1.0)
    if len(typed) > 70 and rng.random() < chance:
        pieces = split_text(typed, rng, 3 if long or len(typed) < 160 else 4)
    return [Step("text", "content", _typing(rng, piece), piece) for piece in pieces]


def _plain(
    rng: random.Random, sender: Sender, raw: str, part: str, mood: str = "neutral"
) -> Step:
    """Type one short message of a given part."""
    typed = render(raw, sender.style, rng, mood)
    return Step("text", part, _typing(rng, typed), typed)


def _image(rng: random.Random, sender: Sender, shows: str, caption: float) -> Step:
    """A photo of papers, works or evidence, with a caption now and then."""
    text = None
    if rng.random() < caption:
        text = render(pick(rng, chatter.CAPTIONS[shows]), sender.style, rng)
    return Step("image", "media", between(rng, 6, 90), text)


def _document(rng: random.Random, sender: Sender) -> Step:
    """A PDF (receipt, INE, an act) with an occasional caption."""
    text = None
    if rng.random() < 0.3:
        text = render(pick(rng, chatter.CAPTIONS["papers"]), sender.style, rng)
    return Step(
        "document",
        "media",
        between(rng, 10, 120),
        text,
        filename=pick(rng, chatter.FILENAMES),
    )


def _media(rng: random.Random, kind: str) -> Step:
    """A voice note, video or sticker: no text at all."""
    gap = between(rng, 20, 150) if kind in ("audio", "video") else between(rng, 2, 20)
    return Step(kind, "media", gap)


def _location(rng: random.Random, sender: Sender) -> Step:
    """A shared location near the sender's state centre."""
    lat, lon = sender.state.centre
    name = (
        f"Presidencia Municipal de {sender.municipality}"
        if rng.random() < 0.3
        else None
    )
    place = (
        round(lat + rng.uniform(-0.4, 0.4), 6),
        round(lon + rng.uniform(-0.4, 0.4), 6),
    )
    return Step("location", "media", between(rng, 10, 60), place=(*place, name))


def _typing(rng: random.Random, text: str) -> int:
    """Seconds to type ``text`` on a phone, with a pause before sending."""
    return int(len(text) / (2.5 + 4.5 * rng.random())) + between(rng, 2, 25)


def _greets(text: str) -> bool:
    """Whether a text opens with its own greeting ("hola, ...", "Buenas tardes...")."""
    return text[:7].lower().startswith(_GREETING_WORDS)


def _join(rng: random.Random, parts: list[str]) -> str:
    """Join the sentences of a story the way people run them together."""
    out = parts[0]
    for part in parts[1:]:
        glue = pick(rng, (". ", ", ", " y ", ". ", " "))
        if out[-1:] in ".?!":
            glue = " "
        out += glue + part
    return out


def _pick_line(rng: random.Random, options: tuple[str, ...], sender: Sender) -> str:
    """Pick a small-talk line, preferring capitalised ones for formal writers."""
    if sender.style.formal and rng.random() < 0.7:
        formal = _FORMAL.get(id(options))
        if formal is None:
            formal = tuple(o for o in options if o[:1].isupper()) or options
            _FORMAL[id(options)] = formal
        return pick(rng, formal)
    return pick(rng, options)


def _pick_phrase(
    rng: random.Random, bank: tuple[Phrase, ...], sender: Sender
) -> Phrase:
    """Pick a phrase, preferring the formal ones for formal writers."""
    if sender.style.formal and rng.random() < 0.6:
        formal = _FORMAL.get(id(bank))
        if formal is None:
            formal = _FORMAL[id(bank)] = tuple(p for p in bank if p.formal) or bank
        return pick(rng, formal)
    return pick(rng, bank)


def _fraud_phrase(
    rng: random.Random, label: str, topic: str | None
) -> tuple[str, Phrase]:
    """Pick a phrase of a fraud label, within one topic if given."""
    if topic is not None and topic in FRAUD_BANKS[label]:
        return topic, pick(rng, FRAUD_BANKS[label][topic])
    return pick(rng, FRAUD_POOLS[label])
