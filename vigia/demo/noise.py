"""How citizens type: a writing style per sender and the noise it adds.

Phone Spanish drops accents and inverted marks, shortens words (q, xq, pa,
tmb, xfa), stretches letters ("holaaa"), slips typos and emojis, and some
writers type everything in capitals or, the older ones, in careful formal
prose. A :class:`Style` is drawn once per sender so the same person writes
the same way in every message.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from vigia.demo.banks.chatter import EMOJIS
from vigia.demo.draw import below, between, pick

_ACCENTS = str.maketrans("áéíóúüÁÉÍÓÚÜ", "aeiouuAEIOUU")
_ENYE = str.maketrans("ñÑ", "nN")

# Word -> the shortenings people use for it; a writer keeps one per word.
# fmt: off
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "que": ("q", "k", "ke"), "porque": ("xq", "pq", "porq"), "por": ("x",),
    "también": ("tmb", "tb"), "tambien": ("tmb", "tb"), "para": ("pa", "pra"),
    "información": ("info",), "informacion": ("info",), "porfavor": ("porfa", "xfa"),
    "gracias": ("grax", "graciass", "grs"), "mensaje": ("msj",), "saludos": ("salu2",),
    "estoy": ("toy",), "de": ("d",), "bueno": ("bno",), "nada": ("nd",),
    "quiero": ("kiero",), "pues": ("pus", "ps"), "verdad": ("vdd",),
    "señorita": ("srita",), "licenciado": ("lic",), "licenciada": ("lic",),
    "numero": ("num", "no."), "número": ("num",), "aqui": ("aki",), "aquí": ("aki",),
    "después": ("dsps",), "despues": ("dsps",), "muy": ("mui",), "hola": ("ola",),
    "esta": ("sta",), "está": ("sta",), "mamá": ("ma",), "mama": ("ma",),
    "ustedes": ("uds",), "cuando": ("cuand",), "todos": ("tods",),
}
# fmt: on
_HABIT_SLOTS = {
    word: (4 * i, options) for i, (word, options) in enumerate(ABBREVIATIONS.items())
}
_PLEASE = ("xfa", "porfa", "plis", "porfavor", "x favor")

# Keys next to each other on a Spanish phone keyboard, for fat-finger typos.
_NEIGHBOURS = {
    "a": "sq", "e": "wr", "i": "uo", "o": "ip", "u": "yi", "s": "ad", "n": "bm",
    "r": "et", "t": "ry", "l": "kñ", "m": "n", "d": "sf", "c": "xv", "p": "o",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Style:
    """How one sender writes, drawn once and kept for all their messages."""

    register: str  # "informal", "formal", "caps" (all capitals) or "terse"
    lower: bool = True
    accents: bool = True  # drop accents
    enye: bool = False  # write ñ as n
    inverted: bool = True  # drop ¿ and ¡
    habits: int = 0  # four random bits per abbreviable word, see _abbreviate
    keen: int = 0  # how many of four habit values mean "shortens this word"
    abbreviate: float = 0.0  # chance to shorten a word the writer shortens
    stretch: float = 0.0  # chance per message of "holaaa"
    typos: float = 0.0  # chance per message of a typo
    emoji: float = 0.0  # chance per message of trailing emojis
    split: float = 0.0  # chance to split a long message into several

    @property
    def formal(self) -> bool:
        """Whether the writer uses careful, accented prose."""
        return self.register == "formal"


def make_style(rng: random.Random) -> Style:
    """Draw a writing style: mostly informal, some formal, some all caps."""
    roll = rng.random()
    if roll < 0.14:
        return Style("formal", lower=False, accents=False, inverted=False,
                     typos=0.04, emoji=0.08, split=0.05)  # fmt: skip
    register = "caps" if roll < 0.20 else "terse" if roll < 0.32 else "informal"
    return Style(
        register,
        lower=rng.random() < 0.8,
        accents=rng.random() < 0.9,
        enye=rng.random() < 0.15,
        inverted=rng.random() < 0.92,
        habits=rng.getrandbits(4 * len(ABBREVIATIONS)),
        keen=1 + below(rng, 3),
        abbreviate=rng.uniform(0.3, 0.95),
        stretch=rng.uniform(0.0, 0.35),
        typos=rng.uniform(0.05, 0.45),
        emoji=rng.uniform(0.0, 0.6),
        split=rng.uniform(0.2, 0.8),
    )


def render(text: str, style: Style, rng: random.Random, mood: str = "neutral") -> str:
    """Type ``text`` the way a writer with ``style`` would."""
    out = _formalize(text) if style.formal else _informalize(text, style, rng)
    if rng.random() < style.typos:
        out = typo(out, rng)
    if rng.random() < style.emoji:
        out = add_emoji(out, rng, mood)
    if style.register == "caps":
        out = out.upper()
    return out


def _formalize(text: str) -> str:
    """Capitalise and close a sentence as a careful writer would."""
    out = text[:1].upper() + text[1:]
    if out[-1:] not in ".?!)":
        out += "."
    return out


def _informalize(text: str, style: Style, rng: random.Random) -> str:
    """Apply the casual habits of a phone writer."""
    out = text.lower() if style.lower else text
    if style.accents:
        out = out.translate(_ACCENTS)
    if style.enye:
        out = out.translate(_ENYE)
    if style.inverted:
        out = out.replace("¿", "").replace("¡", "")
    if "por favor" in out:
        out = out.replace("por favor", pick(rng, _PLEASE))
    if style.keen:
        out = _abbreviate(out, style, rng)
    if rng.random() < style.stretch:
        out = stretch(out, rng)
    if style.register == "terse":
        out = out.replace(",", "")
    return _punctuate(out, rng)


def _abbreviate(text: str, style: Style, rng: random.Random) -> str:
    """Shorten the words this writer shortens, not every time.

    A writer's habits are four random bits per word of ``ABBREVIATIONS``:
    the low two say whether they shorten that word at all (below ``keen``),
    the high two which shortening they use, so a writer who types "k" for
    "que" always types "k".
    """
    words = text.split(" ")
    habits, keen, rate = style.habits, style.keen, style.abbreviate
    for i, word in enumerate(words):
        slot = _HABIT_SLOTS.get(word)
        if slot is None:
            continue
        bits = habits >> slot[0]
        if bits & 3 < keen and rng.random() < rate:
            options = slot[1]
            words[i] = options[(bits >> 2 & 3) % len(options)]
    return " ".join(words)


def _punctuate(text: str, rng: random.Random) -> str:
    """Drop final periods and double question marks, as chats do."""
    if text.endswith("."):
        text = text[:-1]
    if text.endswith("?") and rng.random() < 0.3:
        text += "?" * between(rng, 1, 3)
    elif text.endswith("!") and rng.random() < 0.3:
        text += "!" * between(rng, 1, 3)
    return text


def stretch(text: str, rng: random.Random) -> str:
    """Repeat the last letter of one word: "porfaaa", "holaaa", "ayudaaa"."""
    words = text.split(" ")
    i = below(rng, len(words))
    word = words[i]
    if len(word) >= 3 and word[-1].isalpha():
        words[i] = word + word[-1] * between(rng, 2, 5)
    return " ".join(words)


def typo(text: str, rng: random.Random) -> str:
    """Make one slip of the thumb: swap, drop, double or hit a neighbour key."""
    if len(text) < 6:
        return text
    i = between(rng, 1, len(text) - 2)
    char = text[i]
    if not char.isalpha():
        return text
    kind = below(rng, 4)
    if kind == 0:
        return text[:i] + text[i + 1] + char + text[i + 2 :]
    if kind == 1:
        return text[:i] + text[i + 1 :]
    if kind == 2:
        return text[:i] + char + text[i:]
    near = _NEIGHBOURS.get(char)
    if near is None:
        return text
    return text[:i] + pick(rng, near) + text[i + 1 :]


def add_emoji(text: str, rng: random.Random, mood: str) -> str:
    """Put one or two emojis of the message's mood after (or before) the text."""
    options = EMOJIS.get(mood) or EMOJIS["neutral"]
    emoji = pick(rng, options)
    if rng.random() < 0.25:
        emoji += pick(rng, options)
    if rng.random() < 0.1:
        return f"{emoji} {text}"
    return f"{text}{' ' if rng.random() < 0.7 else ''}{emoji}"


def split_text(text: str, rng: random.Random, max_parts: int = 4) -> list[str]:
    """Split a long message where a writer would hit send: at commas and stops."""
    cuts = [
        i + 1
        for i, char in enumerate(text)
        if char in ",.?!" and i + 2 < len(text) and text[i + 1] == " "
    ]
    rng.shuffle(cuts)
    chosen = sorted(cuts[: max_parts - 1])
    parts, start = [], 0
    for cut in chosen:
        if cut - start >= 12 and len(text) - cut >= 12:
            parts.append(text[start:cut].strip().rstrip(","))
            start = cut
    parts.append(text[start:].strip())
    return parts


def reword(text: str, rng: random.Random) -> str:
    """Retell a complaint with small changes, as people do when re-sending it."""
    kind = below(rng, 5)
    if kind == 0:
        stop = text.rfind(". ")
        return text[:stop] if stop > len(text) // 3 else text
    if kind == 1:
        return f"como ya les habia dicho, {text[:1].lower()}{text[1:]}"
    if kind == 2:
        return f"{text.rstrip('.')} y nadie hace nada"
    if kind == 3:
        return f"{text.rstrip('.')}, ya paso una semana"
    return text


def light_edit(text: str, rng: random.Random) -> str:
    """Make the tiny edits a forwarded or re-sent text picks up on the way."""
    kind = below(rng, 6)
    if kind == 0:
        return text.replace("!!", "!", 1) if "!!" in text else text + " !!"
    if kind == 1:
        return f"{text} {EMOJIS['pleading'][below(rng, 6)]}"
    if kind == 2:
        stop = text.rfind(". ")
        return text[: stop + 1] if stop > len(text) // 2 else text
    if kind == 3:
        return text.replace("CONAVI", "Conavi").replace("Conavi ", "CONAVI ", 1)
    if kind == 4:
        return f"{('Pasenlo', 'Info', 'Ojo', 'Importante')[below(rng, 4)]} 👇 {text}"
    return text[:1].lower() + text[1:]
