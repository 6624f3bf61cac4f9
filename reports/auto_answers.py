"""Weekly figures of the automatic first answers on Conavi Te Atiende.

Two questions, each one SQL aggregate over the week's cases:

- what share of the week's Te Atiende cases got an automatic answer (an
  acknowledgment carrying a curated answer from ``config/answers.yaml``);
- of those, how often the citizen wrote again, on any line, within 24 hours
  of the answer: a rough sign that the answer did not settle the question.
  A folio lookup ("folio … código …") is not counted as writing again: it
  asks something else.

A case belongs to the week it was opened in (Monday to Sunday, Mexico City),
as in the weekly report.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.engine import Connection

from models import Case, Message
from models.messages import AUTOMATIC_ANSWER, FOLIO_LOOKUP
from reports.week import Week, hours_between  # not weekly_data: it imports us

WROTE_AGAIN_HOURS = 24


def automatic_answer_figures(connection: Connection, week: Week) -> dict[str, Any]:
    """Cases, automatic answers and follow-ups of the week's Te Atiende cases.

    Shares are fractions between 0 and 1, None when there is nothing to
    divide by; suppression of small counts is left to the report.
    """
    cases, messages = Case.__table__, Message.__table__
    answers = (
        select(messages.c.case_id, func.min(messages.c.sent_at).label("answered_at"))
        .where(
            messages.c.channel == "te_atiende",  # the (channel, direction) index
            messages.c.direction == "out",  # finds the few outbound messages
            messages.c.type == AUTOMATIC_ANSWER,
        )
        .group_by(messages.c.case_id)
        .subquery("answers")
    )
    later = messages.alias("later")
    dialect = connection.dialect.name
    # Matched on the sender alone: the pseudonym is the same on every line, so
    # a citizen who turns to the Denuncia line after the answer counts too,
    # and the lookup goes through the sender index, not the channel's rows.
    wrote_again = exists().where(
        later.c.sender == cases.c.sender,
        later.c.direction == "in",
        later.c.type != FOLIO_LOOKUP,
        later.c.sent_at > answers.c.answered_at,
        hours_between(later.c.sent_at, answers.c.answered_at, dialect)
        <= WROTE_AGAIN_HOURS,
    )
    query = (
        select(
            func.count().label("cases"),
            func.count(answers.c.case_id).label("answered"),
            func.coalesce(
                func.sum(
                    case(
                        (and_(answers.c.case_id.is_not(None), wrote_again), 1), else_=0
                    )
                ),
                0,
            ).label("wrote_again"),
        )
        .select_from(cases)
        .outerjoin(answers, answers.c.case_id == cases.c.id)
        .where(
            cases.c.channel == "te_atiende",
            cases.c.opened_at >= week.start,
            cases.c.opened_at < week.end,
        )
    )
    row = connection.execute(query).one()
    return {
        "week": week.label,
        "te_atiende_cases": row.cases,
        "answered_automatically": row.answered,
        "answered_share": _share(row.answered, row.cases),
        "wrote_again_24h": row.wrote_again,
        "wrote_again_share": _share(row.wrote_again, row.answered),
    }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
