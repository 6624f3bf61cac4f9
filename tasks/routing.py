"""Route each case to the CONAVI unit that answers for it, with its due times.

The rules live in ``config/routing.yaml``: an ordered list where the first
rule whose conditions hold names the unit, and per-unit service targets in
business hours. By default a fraud signal outranks the topic: a bribe
("moche") asked by a public servant or a benefit conditioned on votes goes to
the Órgano Interno de Control (OIC); money charged by a "gestor" or a false
offer goes to Asuntos Jurídicos; a diverted works goes to the OIC when staff
took part and to Jurídico when third parties did.

The file is checked when it is loaded, and a mistake names its line, because
the people who edit it are not the people who run the pipeline.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, NoReturn

import yaml

from classifiers.extract import fold
from classifiers.places import STATES
from vigia.business_time import BusinessCalendar, CalendarConfigError
from vigia.errors import VigiaError
from vigia.settings import CHANNELS

DEFAULT_RULES_PATH = Path(__file__).resolve().parents[1] / "config" / "routing.yaml"
SUPPORTED_VERSION = 1

# The classifier's labels, repeated here so routing loads without spaCy or
# scikit-learn; tests keep them equal to classifiers.evidence and .model.
FRAUD_LABELS = (
    "cobro_indebido", "soborno", "suplantacion", "condicionamiento", "desvio_obra"
)  # fmt: skip
TOPICS = ("registro", "estatus", "pago", "obra", "atencion", "otro")
PRIORITIES = ("urgent", "high", "normal", "low")
STEPS = ("first_answer", "triage", "resolution")

# Roles from classifiers.extract that are public servants. A "licenciado" is
# only one when the message ties them to CONAVI: citizens call many people
# "lic", including gestores.
STAFF_ROLES = frozenset(
    {
        "servidor de la nacion",
        "funcionario",
        "delegado",
        "supervisor",
        "autoridad municipal",
    }
)
_CONAVI_STAFF = re.compile(
    r"\b(?:lic|licen|licenciad[oa]s?|personal|trabajador(?:a|es)?|emplead[oa]s?)"
    r"\b\.?\s+(?:\w+\s+){0,3}?de\s+(?:la\s+)?conavi\b"
)

_TOP_KEYS = (
    "version", "revision", "units", "targets", "business_hours", "holidays", "rules"
)  # fmt: skip
_RULE_KEYS = ("name", "when", "unit", "targets", "priority")
_VOCABULARY: dict[str, tuple[str, ...]] = {
    "fraud_any": FRAUD_LABELS,
    "topic": TOPICS,
    "channel": CHANNELS,
    "state": tuple(STATES),
}
_WHEN_KEYS = (*_VOCABULARY, "staff_involved")


class RoutingRulesError(VigiaError):
    """The routing rules file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class Targets:
    """Service targets of a unit, in business hours."""

    first_answer: float
    triage: float
    resolution: float


@dataclass(frozen=True)
class Rule:
    """One routing rule; a condition left as None holds for every case."""

    name: str
    unit: str
    targets: Targets
    priority: str = "normal"
    fraud_any: frozenset[str] | None = None
    topic: frozenset[str] | None = None
    channel: frozenset[str] | None = None
    state: frozenset[str] | None = None
    staff_involved: bool | None = None
    line: int | None = None

    @property
    def is_catch_all(self) -> bool:
        """Whether the rule holds for every case."""
        conditions = (self.fraud_any, self.topic, self.channel, self.state)
        return all(c is None for c in conditions) and self.staff_involved is None

    def matches(
        self,
        topic: str,
        fraud: Iterable[str],
        channel: str,
        state: str | None,
        staff_involved: bool,
    ) -> bool:
        """Whether every condition of the rule holds for the case."""
        return (
            (self.fraud_any is None or not self.fraud_any.isdisjoint(fraud))
            and (self.topic is None or topic in self.topic)
            and (self.channel is None or channel in self.channel)
            and (self.state is None or state in self.state)
            and (self.staff_involved in (None, staff_involved))
        )


@dataclass(frozen=True)
class RoutingRules:
    """A loaded, checked rules file."""

    path: Path
    version: int
    revision: str
    units: dict[str, str]
    targets: dict[str, Targets]
    rules: tuple[Rule, ...]
    calendar: BusinessCalendar

    @property
    def tag(self) -> str:
        """Version and revision, as recorded on each assignment: "1@2026-12-03"."""
        return f"{self.version}@{self.revision}"


@dataclass(frozen=True)
class Assignment:
    """The unit answering for a case, the rule that chose it, and its due times."""

    unit: str
    unit_name: str
    rule: str
    rules_version: str
    priority: str
    first_answer_due: datetime
    triage_due: datetime | None  # only cases with a fraud signal are triaged
    resolution_due: datetime


@dataclass(frozen=True)
class CaseProgress:
    """A routed case and when each of its steps was done, if it was."""

    folio: str
    assignment: Assignment
    answered_at: datetime | None = None
    triaged_at: datetime | None = None
    resolved_at: datetime | None = None


@dataclass(frozen=True)
class Overdue:
    """A step of a case whose due time has passed with the step not done."""

    folio: str
    unit: str
    step: str  # one of STEPS
    due: datetime
    late: timedelta  # wall-clock time since the due time


def load_rules(path: Path = DEFAULT_RULES_PATH) -> RoutingRules:
    """Read and check a routing rules file; a mistake raises RoutingRulesError."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        message = f"{path}: cannot read the routing rules: {error}"
        raise RoutingRulesError(message) from error
    try:
        document = yaml.load(text, Loader=_LineLoader)  # a SafeLoader: no objects
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        problem = error.problem or error.context
        raise RoutingRulesError(
            f"{path}, line {line}: not valid YAML: {problem}"
        ) from None
    except yaml.YAMLError as error:
        raise RoutingRulesError(f"{path}, line 1: not valid YAML: {error}") from None
    return _Reader(path).rules_file(document)


def route(
    rules: RoutingRules,
    *,
    topic: str,
    fraud: Sequence[str],
    channel: str,
    state: str | None,
    staff_involved: bool,
    opened_at: datetime,
) -> Assignment:
    """Assign a case to a unit by the first matching rule, with its due times."""
    _check_case(topic, fraud, channel)
    rule = next(
        r
        for r in rules.rules
        if r.matches(topic, fraud, channel, state, staff_involved)
    )  # the last rule is a catch-all, so one always matches

    due = rules.calendar.add_business_hours
    return Assignment(
        unit=rule.unit,
        unit_name=rules.units[rule.unit],
        rule=rule.name,
        rules_version=rules.tag,
        priority=rule.priority,
        first_answer_due=due(opened_at, rule.targets.first_answer),
        triage_due=due(opened_at, rule.targets.triage) if fraud else None,
        resolution_due=due(opened_at, rule.targets.resolution),
    )


def overdue(cases: Iterable[CaseProgress], now: datetime) -> list[Overdue]:
    """Steps past their due time and not done, the longest overdue first.

    A resolved case owes nothing more, whatever steps it skipped.
    """
    found = []
    for case in cases:
        if case.resolved_at is not None:
            continue
        a = case.assignment
        pending = (
            ("first_answer", a.first_answer_due, case.answered_at),
            ("triage", a.triage_due, case.triaged_at),
            ("resolution", a.resolution_due, None),
        )
        for step, due, done_at in pending:
            if due is not None and done_at is None and due < now:
                found.append(Overdue(case.folio, a.unit, step, due, now - due))
    return sorted(found, key=lambda o: (o.due, o.folio, STEPS.index(o.step)))


def staff_involved(entities_roles: Sequence[str], text: str) -> bool:
    """Whether a public servant took part, from extracted roles and the text.

    ``entities_roles`` are the "roles" of ``classifiers.extract.entities_summary``.
    """
    if not STAFF_ROLES.isdisjoint(entities_roles):
        return True
    return _CONAVI_STAFF.search(fold(text)) is not None


def _check_case(topic: str, fraud: Sequence[str], channel: str) -> None:
    if topic not in TOPICS:
        raise ValueError(f"unknown topic {topic!r}; expected one of {TOPICS}")
    unknown = [label for label in fraud if label not in FRAUD_LABELS]
    if unknown:
        raise ValueError(f"unknown fraud signals {unknown}; expected {FRAUD_LABELS}")
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}; expected one of {CHANNELS}")


# A YAML loader that remembers lines: every mapping and list it builds knows
# the line where it starts and the line of each of its keys or items.


class _Mapping(dict):
    line: int = 1
    lines: dict[Any, int]


class _List(list):
    line: int = 1
    lines: list[int]


class _LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings and lists carry their line numbers."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Mapping:
    loader.flatten_mapping(node)
    mapping = _Mapping()
    mapping.line, mapping.lines = node.start_mark.line + 1, {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        problem = None
        if not isinstance(key, str | int):
            problem = f"a key must be a word or a number, not {key!r}"
        elif key in mapping:
            problem = f"the key {key!r} appears twice"
        if problem:
            mark = key_node.start_mark
            raise yaml.constructor.ConstructorError(None, None, problem, mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_date(loader: _LineLoader, node: yaml.ScalarNode) -> object:
    """A date or timestamp; an impossible one ("2026-13-12") names its line."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError as error:
        problem = f"{node.value!r} is not a real date ({error})"
        raise yaml.constructor.ConstructorError(
            None, None, problem, node.start_mark
        ) from None


def _construct_list(loader: _LineLoader, node: yaml.SequenceNode) -> _List:
    items = _List(loader.construct_object(item, deep=True) for item in node.value)
    items.line = node.start_mark.line + 1
    items.lines = [item.start_mark.line + 1 for item in node.value]
    return items


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)
_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_list
)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_date)


def _hint(value: object, known: Sequence[str]) -> str:
    """What a misspelt value may have meant, or the values allowed."""
    close = difflib.get_close_matches(str(value), known, n=1, cutoff=0.7)
    if close:
        return f"did you mean {close[0]!r}?"
    if len(known) > 10:  # the 32 states
        return f"expected one of {len(known)} names such as {known[0]!r}"
    return f"expected one of {', '.join(known)}"


def _line(entry: object, key: object = None) -> int:
    """The line of ``entry[key]``, or of ``entry`` itself; 1 for a bare value."""
    lines = getattr(entry, "lines", None)
    if isinstance(lines, dict) and key in lines:
        return lines[key]
    if isinstance(lines, list) and isinstance(key, int) and 0 <= key < len(lines):
        return lines[key]
    return getattr(entry, "line", 1)


@dataclass
class _Reader:
    """Checks a parsed rules file and builds RoutingRules from it."""

    path: Path
    units: dict[str, str] = field(default_factory=dict)
    targets: dict[str, Targets] = field(default_factory=dict)

    def fail(self, entry: object, key: object, message: str) -> NoReturn:
        """Raise RoutingRulesError pointing at the line of ``entry[key]``."""
        line = _line(entry, key)
        raise RoutingRulesError(f"{self.path}, line {line}: {message}")

    def rules_file(self, document: object) -> RoutingRules:
        """The whole file: version, units, targets, calendar and rules."""
        top = self.mapping((document, None), _TOP_KEYS, _TOP_KEYS, "the rules file")
        if top["version"] != SUPPORTED_VERSION:
            self.fail(
                top,
                "version",
                f"version {top['version']!r} is not supported; "
                f"this Vigía reads version {SUPPORTED_VERSION}",
            )
        revision = str(top["revision"] or "").strip()
        if not revision:
            self.fail(top, "revision", "revision must not be empty")

        self.read_units(top)
        self.read_targets(top)
        calendar = self.read_calendar(top)
        rules = self.read_rules(top)
        return RoutingRules(
            path=self.path,
            version=SUPPORTED_VERSION,
            revision=revision,
            units=self.units,
            targets=self.targets,
            rules=rules,
            calendar=calendar,
        )

    def mapping(
        self,
        where: tuple[Any, Any],
        required: Sequence[str],
        allowed: Sequence[str] | None,
        what: str,
    ) -> dict[Any, Any]:
        """``where[0][where[1]]`` (or ``where[0]``), checked to hold known keys.

        ``allowed`` None accepts any key.
        """
        parent, key = where
        entry = parent if key is None else parent[key]
        if not isinstance(entry, dict):
            self.fail(parent, key, f"{what} must be a mapping of keys to values")
        for name in entry:
            if allowed is not None and name not in allowed:
                hint = _hint(name, allowed)
                self.fail(entry, name, f"unknown key {name!r} in {what}; {hint}")
        for name in required:
            if name not in entry:
                self.fail(entry, None, f"{what} lacks the key {name!r}")
        return entry

    def read_units(self, top: dict[str, Any]) -> None:
        """Unit ids and their display names."""
        units = top["units"]
        if not isinstance(units, dict) or not units:
            self.fail(top, "units", "units must map each unit id to its name")
        for unit, name in units.items():
            if not isinstance(name, str) or not name.strip():
                self.fail(units, unit, f"unit {unit!r} needs a display name")
            self.units[str(unit)] = name

    def read_targets(self, top: dict[str, Any]) -> None:
        """Service targets of every unit."""
        targets = self.mapping((top, "targets"), (), None, "targets")
        for unit in targets:
            if unit not in self.units:
                hint = _hint(unit, [*self.units])
                self.fail(targets, unit, f"unknown unit {unit!r}; {hint}")
            entry = self.mapping((targets, unit), STEPS, STEPS, f"targets of {unit}")
            self.targets[unit] = Targets(*(self.hours(entry, s) for s in STEPS))
        for unit in self.units:
            if unit not in self.targets:
                self.fail(top, "targets", f"targets lack the unit {unit!r}")

    def hours(self, entry: dict[str, Any], key: str) -> float:
        """A target: a finite, non-negative number of business hours."""
        value = entry[key]
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or value < 0
        ):
            self.fail(entry, key, f"{key} must be business hours >= 0, not {value!r}")
        return float(value)

    def read_calendar(self, top: dict[str, Any]) -> BusinessCalendar:
        """Business hours and holidays, checked by the calendar itself."""
        for section in ("business_hours", "holidays"):
            if not isinstance(top[section], dict):
                self.fail(
                    top, section, f"{section} must be a mapping of keys to values"
                )
        try:
            return BusinessCalendar.from_config(top["business_hours"], top["holidays"])
        except CalendarConfigError as error:
            mistake = error
        self.fail(mistake.entry, mistake.key, str(mistake))

    def read_rules(self, top: dict[str, Any]) -> tuple[Rule, ...]:
        """The ordered rules; the last one, and only it, matches every case."""
        rules = top["rules"]
        if not isinstance(rules, list) or not rules:
            self.fail(top, "rules", "rules must be a non-empty list")
        built: list[Rule] = []
        for index in range(len(rules)):
            if built and built[-1].is_catch_all:
                self.fail(
                    rules,
                    index,
                    f"this rule is never reached: rule {built[-1].name!r} "
                    f"(line {built[-1].line}) above it matches every case",
                )
            rule = self.read_rule(rules, index)
            if any(r.name == rule.name for r in built):
                self.fail(rules, index, f"a second rule named {rule.name!r}")
            built.append(rule)
        if not built[-1].is_catch_all:
            self.fail(
                top,
                "rules",
                "no catch-all rule: the last rule must have no conditions "
                "(`when: {}`) so that every case reaches a unit",
            )
        return tuple(built)

    def read_rule(self, rules: list[Any], index: int) -> Rule:
        """One rule: name, conditions, unit, optional targets and priority."""
        entry = self.mapping((rules, index), ("name", "unit"), _RULE_KEYS, "a rule")
        name = entry["name"]
        if not isinstance(name, str) or not name.strip():
            self.fail(entry, "name", "a rule needs a name")
        unit = entry["unit"]
        if unit not in self.units:
            hint = _hint(unit, [*self.units])
            self.fail(entry, "unit", f"unknown unit {unit!r}; {hint}")
        priority = entry.get("priority", "normal")
        if priority not in PRIORITIES:
            hint = _hint(priority, PRIORITIES)
            self.fail(entry, "priority", f"unknown priority {priority!r}; {hint}")

        targets = self.targets[unit]
        if "targets" in entry:
            what = f"the targets of rule {name!r}"
            changes = self.mapping((entry, "targets"), (), STEPS, what)
            targets = replace(targets, **{s: self.hours(changes, s) for s in changes})

        when: dict[str, Any] = {}  # no conditions: a catch-all
        if entry.get("when") is not None:
            what = f"the conditions of rule {name!r}"
            when = self.mapping((entry, "when"), (), _WHEN_KEYS, what)
        conditions = {key: self.values(when, key) for key in _VOCABULARY if key in when}
        staff = when.get("staff_involved")
        if "staff_involved" in when and not isinstance(staff, bool):
            self.fail(when, "staff_involved", "staff_involved must be true or false")
        return Rule(
            name=name,
            unit=unit,
            targets=targets,
            priority=priority,
            staff_involved=staff,
            line=_line(entry),
            **conditions,
        )

    def values(self, when: dict[str, Any], key: str) -> frozenset[str]:
        """A condition's list, each value checked against its vocabulary."""
        values, known = when[key], _VOCABULARY[key]
        if not isinstance(values, list) or not values:
            self.fail(when, key, f"{key} must be a non-empty list, e.g. [{known[0]}]")
        for index, value in enumerate(values):
            if value not in known:
                self.fail(
                    values,
                    index,
                    f"unknown {key} value {value!r}; {_hint(value, known)}",
                )
        return frozenset(values)
