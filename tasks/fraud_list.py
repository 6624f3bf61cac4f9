"""Read the incidents with a fraud signal out of the database, and publish the list.

An incident enters the list while one of its reports carries a fraud signal,
is not resolved or closed, and was last written within the list's window
(``VIGIA_FRAUD_LIST_DAYS``). Everything an investigator needs is gathered
here in a fixed number of queries, whatever the number of incidents: the
cases with their classification, grouping details and routing, their inbound
texts and attachments, the complainants' own phones (only to mask them in
excerpts and keep them out of the accused's details), and the other
incidents that name the same accused. Scoring and rendering are
:mod:`reports.fraud_list`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import NONE
from sqlalchemy import Engine, select
from sqlalchemy.engine import Connection

from classifiers.conversation import conversation_text
from classifiers.cues import has_threats, victims_in
from models import Assignment, Case, CaseGroup, CaseLabel, Contact, Incident, Message
from models.incidents import IncidentKey
from reports.excerpt import complainant_names, excerpt_of
from reports.fraud_list import (
    FraudIncident,
    FraudRow,
    artifact_rows,
    rank_incidents,
    write_csv,
    write_html,
)
from reports.spanish import local
from tasks.routing import RoutingRules, load_rules, staff_involved

CLOSED_STATUSES = ("resolved", "closed")
# Photos, receipts and screenshots arrive as these ("media" is a chat export's
# "<Multimedia omitido>"); voice notes are testimony, not evidence.
EVIDENCE_TYPES = ("image", "document", "video", "media")
# Case statuses as investigators read them; unknown ones are shown as stored.
STATUS_ES = {
    "received": "recibido",
    "acknowledged": "acusado de recibo",
    "assigned": "asignado",
    "in_progress": "en atención",
    "awaiting_information": "en espera de información",
    "referred": "canalizado",
    "resolved": "resuelto",
    "closed": "cerrado",
}
MAX_ACCUSED = 8  # details of the accused shown per incident
CHUNK = 900  # ids per IN (...) clause: SQLite allows 999 parameters


@dataclass
class _Case:
    """One case of a listed incident, as read from the database."""

    id: int
    folio: str
    sender: str
    opened_at: datetime
    last_message_at: datetime
    status: str
    fraud: list[str]
    fraud_scores: dict[str, float]
    entities: dict[str, Any]
    details: dict[str, Any]
    unit: str | None
    triage_due: datetime | None
    texts: list[str | None] = field(default_factory=list)
    attachments: int = 0


@dataclass(frozen=True)
class FraudListFiles:
    """What one publication wrote."""

    csv: Path
    html: Path
    rows: list[FraudRow]


def load_fraud_incidents(
    engine: Engine, now: datetime, rules: RoutingRules, days: int = 90
) -> list[FraudIncident]:
    """Every open incident with a fraud signal reported in the last ``days``.

    Incidents are read ``INCIDENTS_PER_READ`` at a time, so memory holds the
    finished incidents, never the cases and texts of all of them at once.
    """
    listed: list[FraudIncident] = []
    with engine.connect() as connection:
        incident_ids = _listed_incidents(connection, now - timedelta(days=days))
        for start in range(0, len(incident_ids), INCIDENTS_PER_READ):
            chunk = incident_ids[start : start + INCIDENTS_PER_READ]
            listed += _read_incidents(connection, chunk, rules)
    return listed


INCIDENTS_PER_READ = 2_000


def _read_incidents(
    connection: Connection, incident_ids: list[int], rules: RoutingRules
) -> list[FraudIncident]:
    codes, cases = _incident_cases(connection, incident_ids)
    every_case = [case for members in cases.values() for case in members]
    _attach_messages(connection, every_case)
    reporters = _reporters(connection, {case.sender for case in every_case})
    linked = _linked_incidents(connection, incident_ids)
    return [
        _incident(codes[iid], cases[iid], reporters, linked.get(iid, ()), rules)
        for iid in incident_ids
        if cases.get(iid)
    ]


def publish_fraud_list(
    engine: Engine,
    out_dir: Path,
    now: datetime,
    rules: RoutingRules | None = None,
    days: int = 90,
) -> FraudListFiles:
    """Rank the incidents and write the day's CSV and HTML into ``out_dir``.

    The files are named for the Mexico City date (``fraude-2026-12-07.csv``)
    and written atomically, so a second run the same day replaces them whole.
    """
    rules = rules or load_rules()
    rows = rank_incidents(load_fraud_incidents(engine, now, rules, days), now)
    stem = f"fraude-{local(now).date().isoformat()}"
    csv_path, html_path = out_dir / f"{stem}.csv", out_dir / f"{stem}.html"
    write_csv(rows, csv_path, now)
    write_html(rows, html_path, now)
    return FraudListFiles(csv_path, html_path, rows)


def _listed_incidents(connection: Connection, since: datetime) -> list[int]:
    groups, labels, cases = CaseGroup.__table__, CaseLabel.__table__, Case.__table__
    query = (
        select(groups.c.incident_id)
        .join(labels, labels.c.case_id == groups.c.case_id)
        .join(cases, cases.c.id == groups.c.case_id)
        .where(
            labels.c.has_fraud,
            cases.c.last_message_at >= since,
            cases.c.status.notin_(CLOSED_STATUSES),
        )
        .distinct()
    )
    return sorted(connection.scalars(query))


def _incident_cases(
    connection: Connection, incident_ids: Sequence[int]
) -> tuple[dict[int, str], dict[int, list[_Case]]]:
    """Each incident's code and cases (oldest first), with labels and routing."""
    cases, groups, labels = Case.__table__, CaseGroup.__table__, CaseLabel.__table__
    incidents, assignments = Incident.__table__, Assignment.__table__
    codes: dict[int, str] = {}
    members: dict[int, list[_Case]] = defaultdict(list)
    for chunk in _chunks(incident_ids):
        query = (
            select(
                groups.c.incident_id,
                incidents.c.code,
                cases.c.id,
                cases.c.folio,
                cases.c.sender,
                cases.c.opened_at,
                cases.c.last_message_at,
                cases.c.status,
                labels.c.fraud,
                labels.c.fraud_scores,
                labels.c.entities,
                groups.c.details,
                assignments.c.unit,
                assignments.c.triage_due,
            )
            .join(cases, cases.c.id == groups.c.case_id)
            .join(incidents, incidents.c.id == groups.c.incident_id)
            .outerjoin(labels, labels.c.case_id == cases.c.id)
            .outerjoin(assignments, assignments.c.case_id == cases.c.id)
            .where(groups.c.incident_id.in_(chunk))
            .order_by(groups.c.incident_id, cases.c.opened_at, cases.c.id)
        )
        for row in connection.execute(query):
            codes[row.incident_id] = row.code
            members[row.incident_id].append(_case_of(row))
    return codes, members


def _case_of(row: Any) -> _Case:
    return _Case(
        id=row.id,
        folio=row.folio,
        sender=row.sender,
        opened_at=_aware(row.opened_at),
        last_message_at=_aware(row.last_message_at),
        status=row.status,
        fraud=list(row.fraud or []),
        fraud_scores=dict(row.fraud_scores or {}),
        entities=dict(row.entities or {}),
        details=dict(row.details or {}),
        unit=row.unit,
        triage_due=_aware(row.triage_due) if row.triage_due else None,
    )


def _attach_messages(connection: Connection, cases: list[_Case]) -> None:
    """Give each case its inbound texts, in order, and its count of attachments."""
    by_id = {case.id: case for case in cases}
    messages = Message.__table__
    for chunk in _chunks(sorted(by_id)):
        query = (
            select(messages.c.case_id, messages.c.type, messages.c.text)
            .where(messages.c.case_id.in_(chunk), messages.c.direction == "in")
            .order_by(messages.c.case_id, messages.c.sent_at, messages.c.id)
        )
        for case_id, kind, text in connection.execute(query):
            case = by_id[case_id]
            case.texts.append(text)
            case.attachments += kind in EVIDENCE_TYPES


def _reporters(
    connection: Connection, senders: set[str]
) -> dict[str, tuple[str | None, str | None]]:
    """The complainants' own phone and profile name by pseudonym.

    Read only to keep them out of the list: the phone is never listed as the
    accused's, and both are masked in excerpts.
    """
    contacts = Contact.__table__
    found: dict[str, tuple[str | None, str | None]] = {}
    for chunk in _chunks(sorted(senders)):
        query = select(
            contacts.c.pseudonym, contacts.c.phone, contacts.c.display_name
        ).where(contacts.c.pseudonym.in_(chunk))
        found.update(
            {
                pseudonym: (phone, name)
                for pseudonym, phone, name in connection.execute(query)
            }
        )
    return found


def _linked_incidents(
    connection: Connection, incident_ids: Sequence[int]
) -> dict[int, tuple[str, ...]]:
    """Other incidents naming the same accused (phone, account, page, full name).

    The accused of these incidents are read first, then every incident naming
    one of them: each key's reports are read once, never paired with each
    other (a phone in a chain forwarded by thousands is in thousands of cases).
    """
    keys, groups = IncidentKey.__table__, CaseGroup.__table__
    accused: dict[str, set[int]] = defaultdict(set)
    for chunk in _chunks(incident_ids):
        query = (
            select(keys.c.key, groups.c.incident_id)
            .join(groups, groups.c.case_id == keys.c.case_id)
            .where(keys.c.actor, groups.c.incident_id.in_(chunk))
            .distinct()
        )
        for key, incident_id in connection.execute(query):
            accused[key].add(incident_id)
    naming = _incidents_naming(connection, sorted(accused))
    found: dict[int, set[str]] = defaultdict(set)
    for key, mine in accused.items():
        for incident_id in mine:
            found[incident_id].update(
                code for other, code in naming.get(key, ()) if other != incident_id
            )
    return {incident_id: tuple(sorted(codes)) for incident_id, codes in found.items()}


def _incidents_naming(
    connection: Connection, actor_keys: Sequence[str]
) -> dict[str, set[tuple[int, str]]]:
    """The incidents (id and code) whose cases name each accused."""
    keys, groups, incidents = (
        IncidentKey.__table__, CaseGroup.__table__, Incident.__table__
    )  # fmt: skip
    naming: dict[str, set[tuple[int, str]]] = defaultdict(set)
    for chunk in _chunks(actor_keys):
        query = (
            select(keys.c.key, incidents.c.id, incidents.c.code)
            .join(groups, groups.c.case_id == keys.c.case_id)
            .join(incidents, incidents.c.id == groups.c.incident_id)
            .where(keys.c.actor, keys.c.key.in_(chunk))
            .distinct()
        )
        for key, incident_id, code in connection.execute(query):
            naming[key].add((incident_id, code))
    return naming


def _incident(
    code: str,
    cases: list[_Case],
    reporters: dict[str, tuple[str | None, str | None]],
    linked: tuple[str, ...],
    rules: RoutingRules,
) -> FraudIncident:
    """One incident as the list shows it, from its cases (oldest first)."""
    fraud_cases = [case for case in cases if case.fraud]
    lead = max(fraud_cases, key=_confidence)
    routed = min(fraud_cases, key=_urgency)
    known = [reporters.get(case.sender, (None, None)) for case in cases]
    phones = {phone for phone, _ in known if phone}
    names = {name for _, name in known if name}
    texts = [conversation_text(case.texts) for case in cases]
    whole = "\n".join(texts)
    roles = [str(role) for case in cases for role in case.entities.get("roles", [])]
    labels = dict.fromkeys(label for case in fraud_cases for label in case.fraud)
    return FraudIncident(
        incident=code,
        folios=tuple(case.folio for case in cases),
        labels=tuple(labels),
        confidence=min(1.0, max(0.0, _confidence(lead))),
        amount=_largest_amount(cases),
        public_servant="soborno" in labels or staff_involved(roles, whole),
        threats=has_threats(whole),
        victims=victims_in(whole),
        reporters=len({case.sender for case in cases}),
        accused=_accused(cases, phones, complainant_names(whole, names)),
        attachments=sum(case.attachments for case in cases),
        first_seen=cases[0].opened_at,
        last_seen=max(case.last_message_at for case in cases),
        unit=routed.unit or "",
        unit_name=rules.units.get(routed.unit or "", "sin asignar"),
        triage_due=routed.triage_due,
        state=_state(cases),
        excerpt=excerpt_of(texts[cases.index(lead)], phones, own_names=names),
        linked=linked,
        status=STATUS_ES.get(routed.status, routed.status),
    )


def _confidence(case: _Case) -> float:
    return max((case.fraud_scores.get(label, 0.0) for label in case.fraud), default=0)


def _urgency(case: _Case) -> tuple[bool, datetime]:
    """Routed cases first, the one whose triage is due soonest first among them."""
    due = case.triage_due or datetime.max.replace(tzinfo=UTC)
    return case.unit is None, due


def _largest_amount(cases: Iterable[_Case]) -> int | None:
    amounts = [
        int(amount)
        for case in cases
        for amount in case.details.get("amounts") or case.entities.get("amounts", [])
        if isinstance(amount, int | float)
    ]
    return max(amounts, default=None)


def _accused(
    cases: Iterable[_Case],
    own_phones: set[str],
    own_names: set[str] | frozenset[str] = frozenset(),
) -> tuple[str, ...]:
    """The accused's phones, accounts, pages, names and firms, first seen first.

    The complainants' own phones and names (``own_names``, folded) are left
    out: a writer who signs "atte. Rosa Vargas" is not accusing herself.
    """
    own = {phone[-10:] for phone in own_phones}
    found: list[str] = []
    for case in cases:
        details = case.details
        found += [_phone(p) for p in details.get("phones", []) if p[-10:] not in own]
        found += [f"cuenta {account}" for account in details.get("accounts", [])]
        found += list(details.get("websites", []))
        found += [
            _title(" ".join(name))
            for name in details.get("names", [])
            if not _is_own(" ".join(name), own_names)
        ]
        found += [_title(org) for org in details.get("organisations", [])]
    return tuple(dict.fromkeys(found))[:MAX_ACCUSED]


def _is_own(name: str, own_names: set[str] | frozenset[str]) -> bool:
    words = set(name.split())
    return any(words <= set(own.split()) for own in own_names)


def _phone(digits: str) -> str:
    """Ten national digits as people write them: "55 1234 5678"."""
    national = digits[-10:]
    return f"{national[:2]} {national[2:6]} {national[6:]}"


def _title(words: str) -> str:
    small = {"de", "del", "la", "las", "los", "y"}
    return " ".join(w if w in small else w.capitalize() for w in words.split())


def _state(cases: Iterable[_Case]) -> str | None:
    states = Counter(
        str(state)
        for case in cases
        for state in case.details.get("states") or case.entities.get("states", [])
    )
    return states.most_common(1)[0][0] if states else None


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _chunks(values: Sequence[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(values), CHUNK):
        yield list(values[start : start + CHUNK])


@task(name="publish-fraud-list", cache_policy=NONE)
def publish_fraud_list_task(now: datetime | None = None) -> dict[str, Any]:
    """Write today's fraud list; returns where it is and its top rows."""
    from vigia.db import get_engine, utcnow
    from vigia.settings import get_settings

    settings = get_settings()
    moment = now or utcnow()
    files = publish_fraud_list(
        get_engine(settings),
        settings.data_dir / "fraud-list",
        moment,
        days=settings.fraud_list_days,
    )
    get_run_logger().info(
        "fraud list: %d incidents, written to %s", len(files.rows), files.html
    )
    return {
        "csv": str(files.csv),
        "html": str(files.html),
        "incidents": len(files.rows),
        "top": artifact_rows(files.rows),
    }
