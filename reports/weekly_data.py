"""The weekly accountability figures, aggregated in the database.

A week is an ISO week, Monday 00:00 to the next Monday 00:00 in Mexico City.
Every figure is a GROUP BY in SQL that returns a handful of rows, whatever
the traffic; medians and 90th percentiles are read off per-minute histograms
the database builds (:mod:`reports.weekly_service`). Statuses are read *as of the
end of the week* from the audit trail, so that rendering a past week again
gives the same figures even after its cases moved on.

Definitions, as leadership reads them:

- a case is *received* in the week it was opened;
- its *first answer* is the first reply a person sent the citizen: an
  outbound message in the case, or a message the API delivered to that
  citizen on that line, that is not the automatic acknowledgment;
- it is *resolved* at its first move to ``resolved`` or ``closed``;
- it is *open* at a moment when it was opened before then and its latest
  move before then is not resolved, closed or referred;
- a fraud report is *triaged* once a unit acted on it (in progress, waiting
  for information, referred, resolved or closed).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.engine import Connection

from models import Case, CaseGroup, CaseLabel, Incident, LandingRecord
from reports import weekly_service
from reports.auto_answers import automatic_answer_figures
from reports.week import Week, hours_between, opened_in

__all__ = ["Week", "collect_week", "hours_between"]

QUERY_WORKERS = 2  # aggregates run at once; the report's server has two cores


def collect_week(source: Engine | Connection, week: Week) -> dict[str, Any]:
    """Every figure of the report for ``week``, suppression not yet applied.

    Given an engine, the independent aggregates run two at a time, each on
    a connection of its own, so both cores of a small server work on a big
    week; given a connection, they run one after another on it.
    """
    queries = _week_queries(week)
    if isinstance(source, Connection):
        results = {name: query(source) for name, query in queries.items()}
    else:
        results = _run_side_by_side(source, queries)
    now, before = results["volume"], results["volume_before"]
    backlog, overdue = results["open_work"]
    return {
        "week": week.label,
        "start": week.start,
        "end": week.end,
        "volume": {
            name: _compare(now[name], before[name])
            for name in ("channel", "topic", "state", "messages")
        },
        "first_answer": results["first_answer"],
        "resolution": results["resolution"],
        "backlog": backlog,
        "overdue": overdue,
        "fraud_funnel": results["fraud_funnel"],
        "top_incidents": results["top_incidents"],
        "quality": _quality(now, results["rejected"]),
        "automatic": results["automatic"],
    }


def _week_queries(week: Week) -> dict[str, Callable[[Connection], Any]]:
    """The report's aggregates, slowest first; none depends on another."""
    previous = week.previous()
    return {
        "first_answer": lambda c: weekly_service.first_answers(c, week),
        "open_work": lambda c: weekly_service.open_work(c, week),
        "volume": lambda c: _case_volume(c, week),
        "resolution": lambda c: weekly_service.resolutions(c, week),
        "automatic": lambda c: automatic_answer_figures(c, week),
        "volume_before": lambda c: _case_volume(c, previous),
        "fraud_funnel": lambda c: weekly_service.fraud_funnel(c, week),
        "top_incidents": lambda c: _top_incidents(c, week),
        "rejected": lambda c: _rejected(c, week),
    }


def _run_side_by_side(
    engine: Engine, queries: dict[str, Callable[[Connection], Any]]
) -> dict[str, Any]:
    """Run ``queries`` on QUERY_WORKERS connections at once.

    The database does the work outside the GIL, so threads suffice. Each
    worker reads its own snapshot: figures of a past week do not move while
    new traffic arrives, since every one of them is bounded by the week's
    end.
    """

    def run(query: Callable[[Connection], Any]) -> Any:
        with engine.connect() as connection:
            return query(connection)

    with ThreadPoolExecutor(QUERY_WORKERS, thread_name_prefix="weekly") as pool:
        futures = {name: pool.submit(run, query) for name, query in queries.items()}
        return {name: future.result() for name, future in futures.items()}


def _compare(now: dict[str, int], before: dict[str, int]) -> list[dict[str, Any]]:
    """This week's counts beside last week's, one row per key, largest first."""
    keys = sorted(set(now) | set(before), key=lambda k: (-now.get(k, 0), k))
    return [
        {"key": key, "count": now.get(key, 0), "previous": before.get(key, 0)}
        for key in keys
    ]


def _case_volume(connection: Connection, week: Week) -> dict[str, dict[str, int]]:
    """Cases opened in the week, and their messages, counted every way at once.

    Per channel: cases and messages; for the classified cases also per topic,
    state, need of review and model version. One GROUP BY over those keys
    gives at most a few hundred rows, added up here each way. The messages
    are those of the week's cases, wherever a long conversation ends; the
    state is the first one the classification found, "sin estado" if none.
    """
    cases, labels = Case.__table__, CaseLabel.__table__
    state = labels.c.entities[("states", 0)].as_string()
    keys = (cases.c.channel, labels.c.topic, state, labels.c.needs_review,
            labels.c.model_version)  # fmt: skip
    query = (
        select(*keys, func.count(), func.sum(cases.c.message_count))
        .outerjoin(labels, labels.c.case_id == cases.c.id)
        .where(opened_in(week))
        .group_by(*keys)
    )
    totals: dict[str, dict[str, int]] = {
        name: {}
        for name in ("channel", "messages", "topic", "state", "review", "version")
    }
    rows = connection.execute(query)
    for channel, topic, place, review, version, count, messages in rows:
        _add(totals["channel"], channel, count)
        _add(totals["messages"], channel, int(messages or 0))
        if topic is not None:  # classified
            _add(totals["topic"], topic, count)
            _add(totals["state"], place or "sin estado", count)
            _add(totals["review"], "yes" if review else "no", count)
            _add(totals["version"], version, count)
    return totals


def _add(counts: dict[str, int], key: str, count: int) -> None:
    counts[key] = counts.get(key, 0) + count


def _top_incidents(connection: Connection, week: Week, limit: int = 10):  # type: ignore[no-untyped-def]
    """The week's incidents with a fraud signal reported by the most people."""
    cases, labels = Case.__table__, CaseLabel.__table__
    groups, incidents = CaseGroup.__table__, Incident.__table__
    query = (
        select(
            incidents.c.code,
            func.count(func.distinct(cases.c.sender)).label("reporters"),
            func.count().label("cases"),
        )
        .select_from(groups)
        .join(cases, cases.c.id == groups.c.case_id)
        .join(labels, labels.c.case_id == cases.c.id)
        .join(incidents, incidents.c.id == groups.c.incident_id)
        .where(opened_in(week), labels.c.has_fraud)
        .group_by(incidents.c.code)
        .order_by(func.count(func.distinct(cases.c.sender)).desc(), incidents.c.code)
        .limit(limit)
    )
    top = [dict(row._mapping) for row in connection.execute(query)]
    signals = _incident_signals(connection, [row["code"] for row in top], week)
    for row in top:
        row["labels"] = sorted(signals.get(row["code"], ()))
    return top


def _incident_signals(
    connection: Connection, codes: list[str], week: Week
) -> dict[str, set[str]]:
    cases, labels = Case.__table__, CaseLabel.__table__
    groups, incidents = CaseGroup.__table__, Incident.__table__
    query = (
        select(incidents.c.code, labels.c.fraud)
        .select_from(groups)
        .join(incidents, incidents.c.id == groups.c.incident_id)
        .join(cases, cases.c.id == groups.c.case_id)
        .join(labels, labels.c.case_id == cases.c.id)
        .where(incidents.c.code.in_(codes), opened_in(week), labels.c.has_fraud)
    )
    found: dict[str, set[str]] = {}
    for code, fraud in connection.execute(query):
        found.setdefault(code, set()).update(fraud or [])
    return found


def _rejected(connection: Connection, week: Week) -> int:
    """Deliveries received in the week that could not be used."""
    landing = LandingRecord.__table__
    return connection.scalar(
        select(func.count()).where(
            landing.c.status == "rejected",
            landing.c.received_at >= week.start,
            landing.c.received_at < week.end,
        )
    )


def _quality(volume: dict[str, dict[str, int]], rejected: int) -> dict[str, Any]:
    """Rejected deliveries, the share needing review, the classifier versions."""
    review = volume["review"]
    return {
        "rejected": rejected,
        "classified": sum(review.values()),
        "needs_review": review.get("yes", 0),
        "versions": [
            {"version": version, "cases": count}
            for version, count in sorted(volume["version"].items())
        ],
    }
