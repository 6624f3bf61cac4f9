"""Classify cases and their messages; store the results with the model version.

A case is classified on its whole conversation (greetings, thanks and media
without text left out), and again whenever it grows or the model changes.
Each inbound message is also classified on its own; messages that carry
nothing (greetings, media without caption) are ``otro`` without asking the
model. Identical texts, such as a chain message forwarded by hundreds of
people, are analysed once per batch.
"""

from __future__ import annotations

import gc
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import NONE
from sqlalchemy import Engine, Select, and_, delete, func, or_, select
from sqlalchemy.engine import Connection

from classifiers.classifier import Classification, TrainedModels, classify
from classifiers.conversation import conversation_text, is_filler
from classifiers.pool import ClassifierPool
from models import Case, CaseLabel, Message, MessageLabel
from vigia.db import insert_fast, utcnow
from vigia.settings import Settings


@dataclass
class ClassifySummary:
    """Counts of one classification run."""

    cases: int = 0
    messages: int = 0
    topics: Counter[str] = field(default_factory=Counter)
    fraud: Counter[str] = field(default_factory=Counter)
    needs_review: int = 0
    batches: int = 0

    def merge(self, other: ClassifySummary) -> None:
        """Accumulate another run's counts into this one."""
        self.cases += other.cases
        self.messages += other.messages
        self.topics.update(other.topics)
        self.fraud.update(other.fraud)
        self.needs_review += other.needs_review
        self.batches += other.batches

    def as_rows(self) -> list[dict[str, Any]]:
        """One row per topic and per fraud signal, for a table artifact."""
        rows = [
            {"label": f"topic:{t}", "cases": n} for t, n in sorted(self.topics.items())
        ]
        rows += [
            {"label": f"fraud:{f}", "cases": n} for f, n in sorted(self.fraud.items())
        ]
        rows.append({"label": "needs_review", "cases": self.needs_review})
        return rows


@dataclass(frozen=True)
class CaseRange:
    """Case ids from ``first`` to ``last``, both included: one task's share."""

    first: int
    last: int


def classify_pending(
    engine: Engine,
    models: TrainedModels,
    batch_size: int = 2_000,
    max_batches: int | None = None,
    cases: CaseRange | None = None,
    pool: ClassifierPool | None = None,
) -> ClassifySummary:
    """Classify every case that is new, grew, or was classified by another model.

    Batches follow the case ids, each starting after the last one, so a run
    never reads again the cases it has already passed. ``cases`` limits the
    run to one range of ids. With a ``pool``, its worker processes classify
    each batch's texts side by side, and the next batch is claimed and sent
    to them before this one is stored: the workers never wait while this
    process reads and writes. Each batch is claimed, stored and committed in
    a transaction of its own, so at most two are open at once.
    """
    summary = ClassifySummary()
    after = cases.first - 1 if cases else 0
    last = cases.last if cases else None
    in_flight: deque[_ClaimedBatch] = deque()
    try:
        while max_batches is None or summary.batches < max_batches:
            batch = _ClaimedBatch.claim(engine, models, batch_size, after, last, pool)
            if batch is None:
                break
            in_flight.append(batch)
            after = batch.claimed[-1]
            summary.batches += 1
            if pool is None or len(in_flight) == 2:
                in_flight.popleft().store(models, summary)
        while in_flight:
            in_flight.popleft().store(models, summary)
    finally:
        for batch in in_flight:  # an error left them unstored: roll them back
            batch.close()
    return summary


@dataclass
class _ClaimedBatch:
    """A batch of cases claimed in its own transaction, its texts being classified."""

    connection: Connection
    claimed: list[int]
    case_ids: list[int]
    texts: _BatchTexts
    results: Callable[[], list[Classification]] | None

    @classmethod
    def claim(
        cls,
        engine: Engine,
        models: TrainedModels,
        limit: int,
        after: int,
        last: int | None,
        pool: ClassifierPool | None,
    ) -> _ClaimedBatch | None:
        """Claim the next pending cases, read them and send them to the pool."""
        connection = engine.connect()
        try:
            connection.begin()
            claimed = _claim(connection, models.version, limit, after, last)
            if not claimed:
                connection.close()
                return None
            case_ids = _still_pending(connection, models.version, claimed)
            messages = _inbound_messages(connection, case_ids) if case_ids else []
            texts = _BatchTexts.of(case_ids, messages, models.version)
            results = pool.classify_later(texts.unique) if pool else None
        except BaseException:
            connection.close()
            raise
        return cls(connection, claimed, case_ids, texts, results)

    def store(self, models: TrainedModels, summary: ClassifySummary) -> None:
        """Wait for the classifications, store them and commit the batch."""
        try:
            if self.case_ids:
                texts = self.texts.unique
                classified = self.results() if self.results else classify(models, texts)
                _store_results(
                    self.connection,
                    models.version,
                    self.texts,
                    dict(zip(texts, classified, strict=True)),
                    summary,
                )
            self.connection.commit()
        finally:
            self.connection.close()

    def close(self) -> None:
        """Give the batch up: its transaction is rolled back, nothing is stored."""
        self.connection.close()


def case_ranges(
    engine: Engine, version: str, size: int, limit: int | None = None
) -> list[CaseRange]:
    """The pending cases cut into ranges of ``size`` cases, at most ``limit`` cases.

    Only the ends of each range are kept, so planning costs no memory per case.
    """
    ranges: list[CaseRange] = []
    first = previous = None
    count = 0
    with engine.connect() as connection:
        for case_id in connection.scalars(_pending(version).limit(limit)):
            if first is None:
                first = case_id
            count += 1
            previous = case_id
            if count == size:
                ranges.append(CaseRange(first, case_id))
                first, count = None, 0
    if first is not None and previous is not None:
        ranges.append(CaseRange(first, previous))
    return ranges


def count_pending(engine: Engine, version: str) -> int:
    """How many cases wait for a classification by this model version."""
    query = select(func.count()).select_from(_pending(version).subquery())
    with engine.connect() as connection:
        return int(connection.scalar(query) or 0)


def _claim(
    connection: Connection, version: str, limit: int, after: int, last: int | None
) -> list[int]:
    """Lock the next pending cases after ``after``; a concurrent run skips them."""
    cases = Case.__table__
    query = _pending(version).where(cases.c.id > after)
    if last is not None:
        query = query.where(cases.c.id <= last)
    query = query.limit(limit).with_for_update(of=cases, skip_locked=True)
    return list(connection.scalars(query))


def _still_pending(
    connection: Connection, version: str, case_ids: list[int]
) -> list[int]:
    """The claimed cases that are still pending, read again once locked.

    A run that classified one of them and committed just before the lock was
    taken left it unchanged, so the lock alone does not say it is done.
    """
    query = _pending(version).where(Case.__table__.c.id.in_(case_ids))
    return list(connection.scalars(query))


def _pending(version: str) -> Select[tuple[int]]:
    """Ids of the cases with no label, a label of fewer messages or another model."""
    cases, labels = Case.__table__, CaseLabel.__table__
    return (
        select(cases.c.id)
        .outerjoin(labels, labels.c.case_id == cases.c.id)
        .where(
            or_(
                labels.c.case_id.is_(None),
                labels.c.messages_seen != cases.c.message_count,
                labels.c.model_version != version,
            )
        )
        .order_by(cases.c.id)
    )


def _store_results(
    connection: Connection,
    version: str,
    batch: _BatchTexts,
    results: dict[str, Classification],
    summary: ClassifySummary,
) -> None:
    """Store a batch's case and message labels from its texts' classifications."""
    _store_case_labels(
        connection, version, batch.case_texts, batch.by_case, results, summary
    )
    _store_message_labels(
        connection, version, batch.unlabeled, batch.message_texts, results
    )
    summary.messages += len(batch.unlabeled)


@dataclass
class _BatchTexts:
    """What one batch of cases asks the models, each distinct text once.

    A case is read as its whole conversation; each message not yet labelled
    by this model version is also read on its own, unless it is filler.
    """

    by_case: dict[int, list[Any]]
    case_texts: dict[int, str]
    unlabeled: list[Any]
    message_texts: dict[int, str]

    @classmethod
    def of(
        cls, case_ids: list[int], messages: list[Any], version: str | None
    ) -> _BatchTexts:
        by_case: dict[int, list[Any]] = defaultdict(list)
        for message in messages:
            by_case[message.case_id].append(message)
        unlabeled = [m for m in messages if m.label_version != version]
        return cls(
            by_case=by_case,
            case_texts={
                cid: conversation_text([m.text for m in by_case[cid]])
                for cid in case_ids
            },
            unlabeled=unlabeled,
            message_texts={m.id: m.text for m in unlabeled if not is_filler(m.text)},
        )

    @property
    def unique(self) -> list[str]:
        texts = [*self.case_texts.values(), *self.message_texts.values()]
        return list(dict.fromkeys(texts))


def texts_of_cases(connection: Connection, case_ids: list[int]) -> list[str]:
    """The distinct texts a batch of these cases sends to unlabelled models.

    Benchmarks feed them to the models alone, to measure what classifying
    costs without the database and the orchestration around it.
    """
    messages = _inbound_messages(connection, case_ids)
    return _BatchTexts.of(case_ids, messages, None).unique


def _inbound_messages(connection: Connection, case_ids: list[int]) -> list[Any]:
    messages, labels = Message.__table__, MessageLabel.__table__
    query = (
        select(
            messages.c.id,
            messages.c.case_id,
            messages.c.text,
            labels.c.model_version.label("label_version"),
        )
        .outerjoin(labels, labels.c.message_id == messages.c.id)
        .where(and_(messages.c.case_id.in_(case_ids), messages.c.direction == "in"))
        .order_by(messages.c.case_id, messages.c.sent_at, messages.c.id)
    )
    return list(connection.execute(query))


def _store_case_labels(
    connection: Connection,
    version: str,
    case_texts: dict[int, str],
    by_case: dict[int, list[Any]],
    results: dict[str, Classification],
    summary: ClassifySummary,
) -> None:
    now = utcnow()
    rows = []
    for case_id, text in case_texts.items():
        result = results[text]
        rows.append(
            (
                case_id, version, result.topic, result.topic_score, result.fraud,
                result.fraud_scores, result.evidence, result.entities,
                bool(result.fraud), result.needs_review, len(by_case[case_id]), now,
            )
        )  # fmt: skip
        summary.cases += 1
        summary.topics[result.topic] += 1
        summary.fraud.update(result.fraud)
        summary.needs_review += result.needs_review
    table = CaseLabel.__table__
    connection.execute(delete(table).where(table.c.case_id.in_(list(case_texts))))
    insert_fast(connection, table, CASE_LABEL_COLUMNS, rows)


CASE_LABEL_COLUMNS = (
    "case_id", "model_version", "topic", "topic_score", "fraud", "fraud_scores",
    "evidence", "entities", "has_fraud", "needs_review", "messages_seen",
    "classified_at",
)  # fmt: skip
MESSAGE_LABEL_COLUMNS = (
    "message_id", "model_version", "topic", "topic_score", "fraud", "needs_review"
)  # fmt: skip


def _store_message_labels(
    connection: Connection,
    version: str,
    unlabeled: list[Any],
    message_texts: dict[int, str],
    results: dict[str, Classification],
) -> None:
    rows = []
    for message in unlabeled:
        text = message_texts.get(message.id)
        result = results[text] if text is not None else None
        if result is None:  # filler: nothing the models could read
            rows.append((message.id, version, "otro", 1.0, [], False))
        else:
            rows.append(
                (
                    message.id, version, result.topic, result.topic_score,
                    result.fraud, result.needs_review,
                )
            )  # fmt: skip
    table = MessageLabel.__table__
    ids = [message.id for message in unlabeled]
    for start in range(0, len(ids), 900):
        connection.execute(
            delete(table).where(table.c.message_id.in_(ids[start : start + 900]))
        )
    insert_fast(connection, table, MESSAGE_LABEL_COLUMNS, rows)


def forget_labels(engine: Engine) -> None:
    """Drop every stored label, so that the next run classifies everything again."""
    with engine.begin() as connection:
        connection.execute(delete(MessageLabel.__table__))
        connection.execute(delete(CaseLabel.__table__))


@task(name="classify-cases", cache_policy=NONE)
def classify_cases(max_batches: int | None = None) -> list[dict[str, Any]]:
    """Classify new and changed cases; returns counts per label, never the texts."""
    from vigia.db import get_engine
    from vigia.settings import get_settings

    settings = get_settings()
    models = process_models(settings)
    summary = classify_pending(
        get_engine(settings),
        models,
        max_batches=max_batches,
        pool=process_pool(settings),
    )
    _log(summary, models.version)
    return summary.as_rows()


@task(name="classify-case-range", cache_policy=NONE)
def classify_case_range(first: int, last: int) -> ClassifySummary:
    """Classify the pending cases of one id range; returns counts, never texts.

    Runs wherever the flow's task runner sends it (a Dask worker), so it is
    given two ids and reads the cases itself.
    """
    from vigia.db import get_engine
    from vigia.settings import get_settings

    settings = get_settings()
    models = process_models(settings)
    summary = classify_pending(
        get_engine(settings), models, cases=CaseRange(first, last)
    )
    _log(summary, models.version)
    return summary


def process_models(settings: Settings) -> TrainedModels:
    """The models, loaded once per process and again only when their file changes.

    The first load retrains models older than the training data; a process
    then keeps its models until `vigia train` writes a new file.
    """
    from classifiers.store import load_or_train, model_path

    path = model_path(settings)
    loaded = _LOADED.get(_stamp(path))
    if loaded is None:
        gc.unfreeze()  # models being replaced can be collected again
        loaded = load_or_train(settings)
        _LOADED.clear()
        _LOADED[_stamp(path)] = loaded
        _settle_long_lived()
    return loaded


def process_pool(settings: Settings) -> ClassifierPool | None:
    """The worker processes that classify for this process, if more than one.

    Started on first use and kept, like the models, until the model file
    changes; their start (about 3 s) is paid once per process.
    """
    if settings.classify_workers < 2:
        return None
    from classifiers.store import model_path

    process_models(settings)  # trained and saved first, if need be
    path = model_path(settings)
    key = (*_stamp(path), settings.classify_workers)
    pool = _POOLS.get(key)
    if pool is None:
        for old in _POOLS.values():
            old.close()
        _POOLS.clear()
        pool = _POOLS[key] = ClassifierPool(path, settings.classify_workers)
    return pool


_POOLS: dict[tuple[str, int, int], ClassifierPool] = {}


YOUNG_COLLECTION = 20_000


def _settle_long_lived() -> None:
    """Leave what the process keeps for good out of the garbage collector's walks.

    The imported libraries and the models are about 275,000 objects that
    live as long as the process. Every batch of every stage keeps enough
    objects alive for a while to set off full collections, and a full
    collection walks all of them again: at 100k messages that was a tenth of
    the time of ingesting and of grouping. Frozen after one last collection,
    they are skipped. Frozen objects are still freed by reference counting;
    only cycles among them would stay, so the freeze is lifted before new
    models replace these.

    Young collections then run every ``YOUNG_COLLECTION`` new objects instead
    of 700. A batch's rows and cases live for the whole batch: collected
    that often, they were promoted to the oldest generation and set off a
    full collection about once a batch, each longer the more the run had
    kept (grouping a million messages spent 14.5 s of 107 s collecting, 0.5 s
    at 100k). The cycles a batch leaves wait a little longer to be freed.
    """
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION, middle, oldest)


def _stamp(path: Path) -> tuple[str, int]:
    return str(path), path.stat().st_mtime_ns if path.exists() else 0


_LOADED: dict[tuple[str, int], TrainedModels] = {}


def _log(summary: ClassifySummary, version: str) -> None:
    get_run_logger().info(
        "classified %d cases and %d messages with %s; %d need review",
        summary.cases,
        summary.messages,
        version,
        summary.needs_review,
    )
