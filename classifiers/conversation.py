"""A case's conversation as one text, without the messages that carry nothing.

People open with "hola" / "buenas tardes", close with "gracias", and send
photos with no caption. Those messages say nothing about the topic and would
pull every conversation towards ``otro``; they are left out whenever the
conversation has anything else to say.
"""

from __future__ import annotations

from collections.abc import Sequence

from classifiers.normalize import normalize

# fmt: off
FILLER_WORDS = frozenset((
    "hola", "buenas", "buenos", "buen", "dia", "dias", "tardes", "noches", "tarde",
    "noche", "saludos", "que", "tal", "gracias", "muchas", "mil", "ok", "okay", "si",
    "no", "bueno", "va", "sale", "perfecto", "excelente", "entendido", "porfavor",
    "ayuda", "ayudeme", "ayudenme", "disculpe", "disculpa", "oiga", "oigan", "senor",
    "senora", "senorita", "señor", "señora", "señorita", "licenciado", "licenciada",
    "ingeniero", "ingeniera", "joven", "amigo", "amiga", "jaja", "?", "!", ".", ",",
    ":", ")", "(", "...", "de", "la", "el", "a", "su", "sus", "le", "les", "me",
    "por", "favor", "pues", "muy", "amable", "bendiciones", "dios", "bendiga", "1000",
))
# fmt: on
"""Words of greetings, thanks and courtesy; a message of only these is filler."""


def is_filler(text: str | None) -> bool:
    """True for empty, media-only, greeting-only or thanks-only messages."""
    if not text or not text.strip():
        return True
    words = normalize(text).split()
    return all(word in FILLER_WORDS for word in words)


def conversation_text(texts: Sequence[str | None]) -> str:
    """The substance of a conversation, one message per line, in order."""
    kept = [text.strip() for text in texts if text and not is_filler(text)]
    if kept:
        return "\n".join(kept)
    return "\n".join(text.strip() for text in texts if text and text.strip())
