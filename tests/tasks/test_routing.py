"""Routing rules: which unit answers a case, by when, and which cases are late."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from classifiers.extract import entities_summary, extract_entities
from tasks.routing import (
    DEFAULT_RULES_PATH,
    FRAUD_LABELS,
    TOPICS,
    Assignment,
    CaseProgress,
    RoutingRules,
    RoutingRulesError,
    load_rules,
    overdue,
    route,
    staff_involved,
)
from vigia.errors import VigiaError

CDMX = ZoneInfo("America/Mexico_City")
FRIDAY_BEFORE_REVOLUTION_DAY = datetime(2026, 11, 13, 17, tzinfo=CDMX)

# A small rules file for the conditions the shipped one does not use.
SMALL = """\
version: 1
revision: "test"
units:
  oic: "Órgano Interno de Control"
  ac: "Atención Ciudadana"
targets:
  oic: {first_answer: 9, triage: 27, resolution: 180}
  ac: {first_answer: 9, triage: 27, resolution: 45}
business_hours:
  timezone: America/Mexico_City
  days: [monday, tuesday, wednesday, thursday, friday]
  start: "09:00"
  end: "18:00"
holidays:
  rules:
    - {name: "Año Nuevo", month: 1, day: 1}
  extra: [2026-12-12]
rules:
  - name: bribe
    when: {fraud_any: [soborno]}
    unit: oic
  - name: portal_oaxaca
    when: {channel: [portal], state: [Oaxaca]}
    unit: oic
    targets: {resolution: 90}
    priority: urgent
  - name: catch_all
    when: {}
    unit: ac
"""


@pytest.fixture(scope="module")
def rules() -> RoutingRules:
    return load_rules()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "routing.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def case(rules: RoutingRules, **facts) -> Assignment:
    """Route a case with sensible defaults for the facts a test leaves out."""
    defaults = {
        "topic": "otro",
        "fraud": [],
        "channel": "denuncia",
        "state": None,
        "staff_involved": False,
        "opened_at": FRIDAY_BEFORE_REVOLUTION_DAY,
    }
    return route(rules, **{**defaults, **facts})


# --- the shipped rules ------------------------------------------------------


def test_the_shipped_rules_load_with_the_units_people_know(
    rules: RoutingRules,
) -> None:
    assert rules.path == DEFAULT_RULES_PATH
    assert rules.tag.startswith("1@")
    assert rules.units == {
        "atencion_ciudadana": "Atención Ciudadana",
        "subsidios": "Subsidios y Dispersión",
        "obra": "Obra y Asistencia Técnica",
        "oic": "Órgano Interno de Control, quejas y denuncias",
        "juridico": "Asuntos Jurídicos",
    }
    assert rules.rules[-1].is_catch_all


def test_routing_vocabulary_matches_the_classifier() -> None:
    from classifiers.evidence import FRAUD_LABELS as CLASSIFIER_FRAUD_LABELS
    from classifiers.model import TOPICS as CLASSIFIER_TOPICS

    assert FRAUD_LABELS == CLASSIFIER_FRAUD_LABELS
    assert TOPICS == CLASSIFIER_TOPICS


@pytest.mark.parametrize(
    ("topic", "fraud", "staff", "unit", "rule"),
    [
        ("registro", [], False, "atencion_ciudadana", "topic_atencion_ciudadana"),
        ("estatus", [], False, "atencion_ciudadana", "topic_atencion_ciudadana"),
        ("atencion", [], False, "atencion_ciudadana", "topic_atencion_ciudadana"),
        ("otro", [], False, "atencion_ciudadana", "topic_atencion_ciudadana"),
        ("pago", [], False, "subsidios", "topic_pago"),
        ("obra", [], False, "obra", "topic_obra"),
        ("obra", [], True, "obra", "topic_obra"),  # staff alone is not fraud
        ("otro", ["soborno"], True, "oic", "fraud_soborno"),
        ("registro", ["condicionamiento"], False, "oic", "fraud_condicionamiento"),
        ("obra", ["desvio_obra"], True, "oic", "fraud_desvio_obra_by_staff"),
        (
            "obra", ["desvio_obra"], False, "juridico",
            "fraud_desvio_obra_by_third_parties",
        ),
        ("registro", ["cobro_indebido"], False, "juridico", "fraud_cobro_indebido"),
        ("estatus", ["suplantacion"], False, "juridico", "fraud_suplantacion"),
        # a fraud signal outranks the topic
        ("pago", ["cobro_indebido"], False, "juridico", "fraud_cobro_indebido"),
        ("obra", ["suplantacion"], False, "juridico", "fraud_suplantacion"),
        # a public servant's fraud outranks a third party's
        ("registro", ["cobro_indebido", "soborno"], True, "oic", "fraud_soborno"),
        ("obra", ["suplantacion", "condicionamiento"], False, "oic",
         "fraud_condicionamiento"),
    ],
)  # fmt: skip
def test_each_topic_and_fraud_signal_reaches_its_unit(
    rules: RoutingRules,
    topic: str,
    fraud: list[str],
    staff: bool,
    unit: str,
    rule: str,
) -> None:
    assignment = case(rules, topic=topic, fraud=fraud, staff_involved=staff)

    assert (assignment.unit, assignment.rule) == (unit, rule)
    assert assignment.unit_name == rules.units[unit]
    assert assignment.rules_version == rules.tag


@pytest.mark.parametrize("channel", ["te_atiende", "denuncia", "portal"])
def test_the_channel_does_not_change_the_default_unit(
    rules: RoutingRules, channel: str
) -> None:
    assert case(rules, topic="pago", channel=channel).unit == "subsidios"


def test_due_times_skip_the_weekend_and_revolution_day(rules: RoutingRules) -> None:
    assignment = case(rules, topic="obra", fraud=["desvio_obra"], staff_involved=True)

    assert assignment.priority == "high"
    assert assignment.first_answer_due == datetime(2026, 11, 17, 17, tzinfo=CDMX)
    assert assignment.triage_due == datetime(2026, 11, 19, 17, tzinfo=CDMX)
    assert assignment.resolution_due == datetime(2026, 12, 14, 17, tzinfo=CDMX)
    assert assignment.first_answer_due.tzinfo is UTC


def test_only_a_case_with_a_fraud_signal_gets_a_triage_due_time(
    rules: RoutingRules,
) -> None:
    assignment = case(rules, topic="registro")

    assert assignment.triage_due is None
    assert assignment.priority == "normal"
    assert assignment.resolution_due == datetime(2026, 11, 23, 17, tzinfo=CDMX)


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ({"topic": "vivienda"}, "unknown topic"),
        ({"fraud": ["moche"]}, "unknown fraud signals"),
        ({"channel": "facebook"}, "unknown channel"),
        ({"opened_at": datetime(2026, 11, 13, 17)}, "no time zone"),
    ],
)
def test_a_case_with_facts_outside_the_vocabulary_is_refused(
    rules: RoutingRules, facts: dict, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        case(rules, **facts)


# --- conditions the shipped file does not use ----------------------------------


@pytest.mark.parametrize(
    ("facts", "rule", "unit"),
    [
        ({"fraud": ["soborno"]}, "bribe", "oic"),
        ({"channel": "portal", "state": "Oaxaca"}, "portal_oaxaca", "oic"),
        ({"channel": "portal", "state": "Chiapas"}, "catch_all", "ac"),
        ({"channel": "portal", "state": None}, "catch_all", "ac"),
        ({"channel": "denuncia", "state": "Oaxaca"}, "catch_all", "ac"),
        ({"topic": "pago", "fraud": ["cobro_indebido"]}, "catch_all", "ac"),
    ],
)
def test_every_condition_of_a_rule_must_hold_else_the_catch_all_takes_it(
    tmp_path: Path, facts: dict, rule: str, unit: str
) -> None:
    rules = load_rules(write(tmp_path, SMALL))

    assignment = case(rules, **facts)

    assert (assignment.rule, assignment.unit) == (rule, unit)


def test_a_rule_can_shorten_its_units_targets_and_set_a_priority(
    tmp_path: Path,
) -> None:
    rules = load_rules(write(tmp_path, SMALL))

    assignment = case(rules, channel="portal", state="Oaxaca")

    assert assignment.priority == "urgent"
    assert assignment.first_answer_due == datetime(2026, 11, 16, 17, tzinfo=CDMX)
    assert assignment.resolution_due == datetime(2026, 11, 27, 17, tzinfo=CDMX)


# --- malformed rules files ----------------------------------------------------

MALFORMED = [
    # (what is wrong, text replaced, replacement, the line holds this, message)
    ("unknown unit in a rule", "unit: ac\n", "unit: acc\n", "acc", "unknown unit"),
    ("unknown unit in targets", "  ac: {first", "  acx: {first", "acx",
     "unknown unit 'acx'"),
    ("unknown fraud label", "[soborno]", "[soborno, moche]", "moche",
     "unknown fraud_any value 'moche'; expected one of cobro_indebido, soborno"),
    ("unknown topic", "{fraud_any: [soborno]}", "{topic: [vivienda]}", "vivienda",
     "unknown topic value"),
    ("unknown channel", "[portal]", "[facebook]", "facebook", "unknown channel"),
    ("unknown state", "[Oaxaca]", "[Oaxaka]", "Oaxaka",
     "unknown state value 'Oaxaka'; did you mean 'Oaxaca'?"),
    ("missing catch-all", "  - name: catch_all\n    when: {}\n    unit: ac\n", "",
     "rules:\n  - name: bribe", "no catch-all rule"),
    ("rule after the catch-all", "    unit: ac\n",
     "    unit: ac\n  - name: late\n    unit: oic\n", "name: late", "never reached"),
    ("negative target", "resolution: 45", "resolution: -45", "-45",
     "resolution must be business hours >= 0"),
    ("negative override", "{resolution: 90}", "{resolution: -1}", "resolution: -1",
     "resolution must be business hours >= 0"),
    ("target that is not a number", "triage: 27, resolution: 45",
     "triage: tres dias, resolution: 45", "tres dias", "triage must be"),
    ("unit without targets", "  ac: {first_answer: 9, triage: 27, resolution: 45}\n",
     "", "targets:", "targets lack the unit 'ac'"),
    ("unknown top-level key", "\nrules:", "\ncolour: red\nrules:", "colour",
     "unknown key 'colour'"),
    ("unknown key in a rule", "    priority: urgent",
     "    priority: urgent\n    escalate_to: oic", "escalate_to",
     "unknown key 'escalate_to'"),
    ("unknown condition", "{channel: [portal]", "{canal: [portal]", "canal",
     "unknown key 'canal'"),
    ("condition that is not a list", "[Oaxaca]", "Oaxaca", "channel:",
     "state must be a non-empty list"),
    ("staff_involved not a boolean", "{fraud_any: [soborno]}",
     "{fraud_any: [soborno], staff_involved: tal vez}", "tal vez",
     "staff_involved must be true or false"),
    ("unknown priority", "priority: urgent", "priority: asap", "asap",
     "unknown priority 'asap'"),
    ("duplicate rule name", "name: portal_oaxaca", "name: bribe",
     "- name: bribe\n    when: {channel", "a second rule named 'bribe'"),
    ("bad YAML", 'revision: "test"', "revision: test: again", "test: again",
     "not valid YAML"),
    ("duplicate key", "\nrules:", "\nversion: 2\nrules:", "version: 2",
     "the key 'version' appears twice"),
    ("impossible date", "[2026-12-12]", "[2026-13-12]", "2026-13-12",
     "not a real date"),
    ("unsupported version", "version: 1", "version: 2", "version: 2",
     "not supported"),
    ("unquoted closing time", 'end: "18:00"', "end: 18:00", "end: 18:00",
     "end must be a quoted time"),
    ("unknown weekday", "friday]", "viernes]", "viernes", "unknown weekday"),
    ("impossible holiday", "month: 1, day: 1", "month: 13, day: 1", "month: 13",
     "is no day of a year"),
    ("unknown time zone", "America/Mexico_City", "America/Ciudad_de_Mexico",
     "Ciudad_de_Mexico", "unknown time zone"),
    ("bad extra holiday", "[2026-12-12]", '["12 de diciembre"]', "12 de diciembre",
     "YYYY-MM-DD"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "marker", "message"),
    [pytest.param(*row[1:], id=row[0]) for row in MALFORMED],
)
def test_a_malformed_rules_file_names_the_file_and_the_line(
    tmp_path: Path, old: str, new: str, marker: str, message: str
) -> None:
    assert old in SMALL
    text = SMALL.replace(old, new, 1)
    line = text[: text.index(marker)].count("\n") + 1

    with pytest.raises(RoutingRulesError) as caught:
        load_rules(write(tmp_path, text))

    assert isinstance(caught.value, VigiaError)
    assert str(caught.value).startswith(f"{tmp_path / 'routing.yaml'}, line {line}: ")
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "the rules file must be a mapping"), ("- a list\n", "the rules file must")],
)
def test_a_rules_file_that_is_not_a_mapping_fails_on_line_1(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(RoutingRulesError, match=f"line 1: {message}"):
        load_rules(write(tmp_path, text))


def test_a_missing_rules_file_names_its_path(tmp_path: Path) -> None:
    with pytest.raises(RoutingRulesError, match="cannot read the routing rules"):
        load_rules(tmp_path / "nowhere.yaml")


# --- overdue cases -------------------------------------------------------------


def progress(
    rules: RoutingRules,
    folio: str,
    fraud: list[str],
    opened_at: datetime = FRIDAY_BEFORE_REVOLUTION_DAY,
    **done: datetime,
) -> CaseProgress:
    assignment = case(rules, topic="registro", fraud=fraud, opened_at=opened_at)
    return CaseProgress(folio, assignment, **done)


@pytest.mark.parametrize(
    ("now", "done", "late_steps"),
    [
        # due: first answer Tue 17 Nov 17:00, triage Thu 19 Nov 17:00
        ("2026-11-17 16:59", {}, []),
        ("2026-11-17 17:01", {}, ["first_answer"]),
        ("2026-11-20 09:00", {}, ["first_answer", "triage"]),
        ("2026-11-20 09:00", {"answered_at": "2026-11-14 10:00"}, ["triage"]),
        ("2026-11-20 09:00", {"answered_at": "2026-11-18 10:00",
                              "triaged_at": "2026-11-19 10:00"}, []),
        ("2027-03-01 09:00", {}, ["first_answer", "triage", "resolution"]),
        ("2027-03-01 09:00", {"resolved_at": "2026-11-18 10:00"}, []),
    ],
)  # fmt: skip
def test_overdue_lists_the_steps_past_due_and_not_done(
    rules: RoutingRules, now: str, done: dict, late_steps: list[str]
) -> None:
    at = {k: datetime.fromisoformat(v).replace(tzinfo=CDMX) for k, v in done.items()}
    moment = datetime.fromisoformat(now).replace(tzinfo=CDMX)

    late = overdue([progress(rules, "DEN-1", ["cobro_indebido"], **at)], moment)

    assert [o.step for o in late] == late_steps
    assert all(o.late > timedelta(0) and o.unit == "juridico" for o in late)


def test_overdue_puts_the_longest_overdue_first_and_skips_untriaged_questions(
    rules: RoutingRules,
) -> None:
    thursday = datetime(2026, 11, 12, 10, tzinfo=CDMX)
    question = progress(rules, "ATE-2", [], opened_at=thursday)  # nothing to triage
    denuncia = progress(rules, "DEN-1", ["suplantacion"])
    now = datetime(2026, 11, 20, 9, tzinfo=CDMX)

    late = overdue([denuncia, question], now)

    assert [(o.folio, o.step) for o in late] == [
        ("ATE-2", "first_answer"),
        ("DEN-1", "first_answer"),
        ("DEN-1", "triage"),
    ]
    assert late[0].late == now - late[0].due


# --- public servants ------------------------------------------------------------


@pytest.mark.parametrize(
    ("roles", "text", "expected"),
    [
        (["servidor de la nacion"], "", True),
        (["funcionario"], "", True),
        (["delegado"], "", True),
        (["supervisor"], "", True),
        (["autoridad municipal"], "", True),
        (["gestor", "lider"], "el gestor y la lider nos cobraron", False),
        (["constructora"], "la constructora se llevo el material", False),
        (["licenciado"], "el licenciado nos cobro 3 mil", False),
        (["licenciado"], "la licenciada de conavi nos pidio 2 mil", True),
        ([], "el Lic. Ramírez de la CONAVI pidió su parte", True),
        ([], "una trabajadora de Conavi nos dijo", True),
        ([], "fui a las oficinas de conavi y nadie me atendio", False),
    ],
)
def test_staff_involved_means_a_public_servant_is_named(
    roles: list[str], text: str, expected: bool
) -> None:
    assert staff_involved(roles, text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("el servidor de la nacion nos pidio 2 mil para el material", True),
        ("el presidente municipal se quedo con los bultos de cemento", True),
        ("el gestor nos cobro 3 mil pa la lista", False),
    ],
)
def test_staff_involved_reads_the_roles_that_extraction_finds(
    text: str, expected: bool
) -> None:
    roles = entities_summary(extract_entities(text))["roles"]

    assert staff_involved([str(r) for r in roles], text) is expected
