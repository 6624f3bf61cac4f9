"""Classify cases and their messages; store the results with the model version.

A case is classified on its whole conversation (greetings, thanks and media
without text left out), and again whenever it grows or the model changes.
Each inbound message is also classified on its own; messages that carry
nothing (greetings, media without caption) are ``otro`` without asking the
model. Identical texts, such as a chain message forwarded by hundreds of
people, are analysed once per batch.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import NONE
from sqlalchemy import Engine, and_, delete, or_, select
from sqlalchemy.engine import Connection

from classifiers.classifier import Classification, TrainedModels, classify
from classifiers.conversation import conversation_text, is_filler
from models import Case, CaseLabel, Message, MessageLabel
from vigia.db import insert_ignoring_conflicts, utcnow


@dataclass
class ClassifySummary:
    """Counts of one classification run."""

    cases: int = 0
    messages: int = 0
    topics: Counter[str] = field(default_factory=Counter)
    fraud: Counter[str] = field(default_factory=Counter)
    needs_review: int = 0
    batches: int = 0

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


def classify_pending(
    engine: Engine,
    models: TrainedModels,
    batch_size: int = 2_000,
    max_batches: int | None = None,
) -> ClassifySummary:
    """Classify every case that is new, grew, or was classified by another model."""
    summary = ClassifySummary()
    while max_batches is None or summary.batches < max_batches:
        with engine.begin() as connection:
            case_ids = _cases_to_classify(connection, models.version, batch_size)
            if not case_ids:
                break
            _classify_cases(connection, models, case_ids, summary)
        summary.batches += 1
    return summary


def _cases_to_classify(connection: Connection, version: str, limit: int) -> list[int]:
    cases, labels = Case.__table__, CaseLabel.__table__
    query = (
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
        .limit(limit)
        .with_for_update(of=cases, skip_locked=True)
    )
    return list(connection.scalars(query))


def _classify_cases(
    connection: Connection,
    models: TrainedModels,
    case_ids: list[int],
    summary: ClassifySummary,
) -> None:
    messages = _inbound_messages(connection, case_ids)
    by_case: dict[int, list[Any]] = defaultdict(list)
    for message in messages:
        by_case[message.case_id].append(message)

    case_texts = {
        cid: conversation_text([m.text for m in by_case[cid]]) for cid in case_ids
    }
    unlabeled = [m for m in messages if m.label_version != models.version]
    message_texts = {m.id: m.text for m in unlabeled if not is_filler(m.text)}
    results = _classify_unique(models, [*case_texts.values(), *message_texts.values()])

    _store_case_labels(
        connection, models.version, case_texts, by_case, results, summary
    )
    _store_message_labels(connection, models.version, unlabeled, message_texts, results)
    summary.messages += len(unlabeled)


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


def _classify_unique(
    models: TrainedModels, texts: list[str]
) -> dict[str, Classification]:
    unique = list(dict.fromkeys(texts))
    return dict(zip(unique, classify(models, unique), strict=True))


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
            {
                "case_id": case_id,
                "model_version": version,
                "topic": result.topic,
                "topic_score": result.topic_score,
                "fraud": result.fraud,
                "fraud_scores": result.fraud_scores,
                "evidence": result.evidence,
                "entities": result.entities,
                "has_fraud": bool(result.fraud),
                "needs_review": result.needs_review,
                "messages_seen": len(by_case[case_id]),
                "classified_at": now,
            }
        )
        summary.cases += 1
        summary.topics[result.topic] += 1
        summary.fraud.update(result.fraud)
        summary.needs_review += result.needs_review
    table = CaseLabel.__table__
    connection.execute(delete(table).where(table.c.case_id.in_(list(case_texts))))
    insert_ignoring_conflicts(connection, table, rows)


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
        rows.append(
            {
                "message_id": message.id,
                "model_version": version,
                "topic": result.topic if result else "otro",
                "topic_score": result.topic_score if result else 1.0,
                "fraud": result.fraud if result else [],
                "needs_review": result.needs_review if result else False,
            }
        )
    table = MessageLabel.__table__
    ids = [message.id for message in unlabeled]
    for start in range(0, len(ids), 900):
        connection.execute(
            delete(table).where(table.c.message_id.in_(ids[start : start + 900]))
        )
    insert_ignoring_conflicts(connection, table, rows)


def forget_labels(engine: Engine) -> None:
    """Drop every stored label, so that the next run classifies everything again."""
    with engine.begin() as connection:
        connection.execute(delete(MessageLabel.__table__))
        connection.execute(delete(CaseLabel.__table__))


@task(name="classify-cases", cache_policy=NONE)
def classify_cases(max_batches: int | None = None) -> list[dict[str, Any]]:
    """Classify new and changed cases; returns counts per label, never the texts."""
    from classifiers.store import load_or_train
    from vigia.db import get_engine
    from vigia.settings import get_settings

    settings = get_settings()
    models = load_or_train(settings)
    summary = classify_pending(get_engine(settings), models, max_batches=max_batches)
    get_run_logger().info(
        "classified %d cases and %d messages with %s; %d need review",
        summary.cases,
        summary.messages,
        models.version,
        summary.needs_review,
    )
    return summary.as_rows()
