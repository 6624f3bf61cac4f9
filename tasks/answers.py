"""The curated answer base, ``config/answers.yaml``: automatic first answers.

Each answer is a short Spanish text tied to topics of the classifier and to
keywords. A Te Atiende case that the classifier places in one of an
answer's topics with enough confidence, that carries no fraud signal, and
whose text holds one of the answer's keywords gets that answer inside its
acknowledgment (``tasks.acknowledge``). A case with a fraud signal gets
the fraud warning instead: an answer must never reassure a victim.

The file is checked on load and a mistake names its line, as for the
routing rules: the people who write the answers are not the people who run
the pipeline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NoReturn

import yaml

from classifiers.extract import fold
from tasks.routing import TOPICS, _hint, _line, _LineLoader
from vigia.errors import VigiaError

DEFAULT_ANSWERS_PATH = Path(__file__).resolve().parents[1] / "config" / "answers.yaml"
SUPPORTED_VERSION = 1
MAX_TEXT = 700  # the acknowledgment around it stays far below WhatsApp's 4,096
_TOP_KEYS = ("version", "revision", "answers")
_ANSWER_KEYS = ("id", "topics", "keywords", "text")
_ID = re.compile(r"^[a-z][a-z0-9_]{1,40}$")


class AnswersFileError(VigiaError):
    """The answers file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class Answer:
    """One curated answer and when it applies."""

    id: str
    topics: frozenset[str]
    keywords: tuple[str, ...]  # folded: lowercase, no accents
    text: str
    pattern: re.Pattern[str]

    def hits(self, folded_text: str) -> int:
        """How many of the keywords occur in an already folded text."""
        return len(set(self.pattern.findall(folded_text)))


@dataclass(frozen=True)
class AnswerBase:
    """A loaded, checked answers file."""

    path: Path
    revision: str
    answers: tuple[Answer, ...]

    def best(self, topic: str, text: str) -> Answer | None:
        """The answer of ``topic`` with most keyword hits in ``text``, if any hits."""
        folded = fold(text)
        scored = [
            (answer.hits(folded), -index, answer)
            for index, answer in enumerate(self.answers)
            if topic in answer.topics
        ]
        hits, _, answer = max(scored, default=(0, 0, None), key=lambda s: s[:2])
        return answer if hits else None


@lru_cache(maxsize=4)
def load_answers(path: Path = DEFAULT_ANSWERS_PATH) -> AnswerBase:
    """Read and check an answers file; a mistake raises AnswersFileError."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise AnswersFileError(f"{path}: cannot read the answers: {error}") from None
    try:
        document = yaml.load(text, Loader=_LineLoader)  # a SafeLoader: no objects
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        problem = error.problem or error.context
        message = f"{path}, line {line}: not valid YAML: {problem}"
        raise AnswersFileError(message) from None
    except yaml.YAMLError as error:
        raise AnswersFileError(f"{path}, line 1: not valid YAML: {error}") from None
    return _Reader(path).answer_base(document)


@dataclass
class _Reader:
    """Checks a parsed answers file and builds the AnswerBase."""

    path: Path

    def fail(self, entry: object, key: object, message: str) -> NoReturn:
        """Raise AnswersFileError pointing at the line of ``entry[key]``."""
        raise AnswersFileError(f"{self.path}, line {_line(entry, key)}: {message}")

    def keys(self, entry: Any, allowed: Sequence[str], what: str) -> None:
        """``entry`` is a mapping holding exactly the keys ``allowed``."""
        if not isinstance(entry, dict):
            self.fail(entry, None, f"{what} must be a mapping of keys to values")
        for name in entry:
            if name not in allowed:
                hint = _hint(name, allowed)
                self.fail(entry, name, f"unknown key {name!r} in {what}; {hint}")
        for name in allowed:
            if name not in entry:
                self.fail(entry, None, f"{what} lacks the key {name!r}")

    def answer_base(self, document: Any) -> AnswerBase:
        """The whole file: version, revision and a non-empty list of answers."""
        self.keys(document, _TOP_KEYS, "the answers file")
        if document["version"] != SUPPORTED_VERSION:
            version = document["version"]
            self.fail(document, "version", f"version {version!r} is not supported")
        revision = str(document["revision"] or "").strip()
        if not revision:
            self.fail(document, "revision", "revision must not be empty")
        entries = document["answers"]
        if not isinstance(entries, list) or not entries:
            self.fail(document, "answers", "answers must be a non-empty list")
        answers = [self.answer(entries, index) for index in range(len(entries))]
        seen: set[str] = set()
        for index, answer in enumerate(answers):
            if answer.id in seen:
                self.fail(entries, index, f"a second answer with id {answer.id!r}")
            seen.add(answer.id)
        return AnswerBase(self.path, revision, tuple(answers))

    def answer(self, entries: list[Any], index: int) -> Answer:
        """One answer: its id, topics, keywords and text, each checked."""
        entry = entries[index]
        if not isinstance(entry, dict):
            self.fail(entries, index, "an answer must be a mapping of keys to values")
        self.keys(entry, _ANSWER_KEYS, "an answer")
        if not isinstance(entry["id"], str) or not _ID.match(entry["id"]):
            self.fail(entry, "id", "id must be a short lowercase name like pagos")
        topics = self.words(entry, "topics")
        for position, topic in enumerate(topics):
            if topic not in TOPICS:
                hint = _hint(topic, TOPICS)
                self.fail(entry["topics"], position, f"unknown topic {topic!r}; {hint}")
        keywords = tuple(fold(word.strip()) for word in self.words(entry, "keywords"))
        text = entry["text"]
        if not isinstance(text, str) or not text.strip():
            self.fail(entry, "text", "text must be the answer, in Spanish")
        if len(text) > MAX_TEXT:
            size = f"text has {len(text)} characters; at most {MAX_TEXT}"
            self.fail(entry, "text", size)
        alternatives = "|".join(re.escape(word) for word in keywords)
        return Answer(
            id=entry["id"],
            topics=frozenset(topics),
            keywords=keywords,
            text=" ".join(text.split()),
            pattern=re.compile(rf"\b(?:{alternatives})"),
        )

    def words(self, entry: dict[str, Any], key: str) -> list[str]:
        """A non-empty list of non-empty strings."""
        values = entry[key]
        if not isinstance(values, list) or not values:
            self.fail(entry, key, f"{key} must be a non-empty list")
        for position, value in enumerate(values):
            if not isinstance(value, str) or not value.strip():
                self.fail(values, position, f"each of {key} must be a word or phrase")
        return values
