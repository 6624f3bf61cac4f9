"""Grouping in the pipeline: incidents across runs, merges and the stored index."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, func, select

from models import CaseGroup, Incident, IncidentKey, Message
from tasks.classify import classify_pending
from tasks.dedup_store import index_path
from tasks.group import group_pending
from tests.builders import text_body
from tests.conftest import DENUNCIA_ID
from tests.tasks.test_classify import START, deliver
from vigia.settings import Settings

CHAIN = (
    "AVISO IMPORTANTE: CONAVI esta regalando casas, solo manda tu nombre, CURP y "
    "foto de tu INE al WhatsApp 722 418 9930 y deposita 350 pesos del tramite. "
    "Pasalo a tus contactos"
)


def report(n: int, sender: int, text: str, days: float = 0) -> dict:
    """A denuncia from one of several people, ``days`` after the start."""
    moment = START + timedelta(days=days)
    return text_body(
        f"wamid.g{n}", f"52196100000{sender:02d}", moment, text, DENUNCIA_ID
    )


def run_stage(engine: Engine, settings: Settings, trained_models) -> None:
    classify_pending(engine, trained_models)
    group_pending(engine, settings.data_dir)


def incidents_by_text(engine: Engine) -> dict[str, tuple[str, str | None]]:
    """Each case by its first message id -> (its incident, the message id of the
    case it duplicates)."""
    with engine.connect() as connection:
        first = dict(
            connection.execute(
                select(Message.case_id, func.min(Message.wamid)).group_by(
                    Message.case_id
                )
            ).all()
        )
        rows = connection.execute(
            select(CaseGroup.case_id, Incident.code, CaseGroup.duplicate_of).join(
                Incident, Incident.id == CaseGroup.incident_id
            )
        ).all()
    return {first[row.case_id]: (row.code, first.get(row.duplicate_of)) for row in rows}


def test_reports_of_one_phone_in_different_runs_are_one_incident(
    engine: Engine, settings: Settings, trained_models
) -> None:
    deliver(engine, settings, [
        report(1, 1, "un señor que dice ser de conavi nos cobro 2 mil x meternos a "
                     "la lista, su cel es 961 234 5678"),
        report(2, 2, "cuales son los requisitos para el apoyo de vivienda?"),
    ])  # fmt: skip
    run_stage(engine, settings, trained_models)
    deliver(engine, settings, [
        report(3, 3, "Denuncio al gestor del numero 9612345678, pide 2000 pesos "
                     "para apartar lugar en el programa", days=3),
    ])  # fmt: skip

    run_stage(engine, settings, trained_models)

    groups = incidents_by_text(engine)
    first, question, third = groups["wamid.g1"], groups["wamid.g2"], groups["wamid.g3"]
    assert third[0] == first[0] != question[0]
    assert third[1] == "wamid.g1" and first[1] is None
    assert first[0].startswith("INC-")
    assert index_path(settings.data_dir).exists()
    with engine.connect() as connection:
        keys = set(connection.scalars(select(IncidentKey.key)))
    assert "tel:9612345678" in keys


def test_a_report_naming_two_accused_merges_their_incidents(
    engine: Engine, settings: Settings, trained_models
) -> None:
    deliver(engine, settings, [
        report(1, 1, "el coyote del cel 5587654321 nos cobro 3 mil por la ficha"),
        report(2, 2, "me pidieron depositar 1500 a la cuenta 4152 3138 0012 9988 "
                     "para liberar mi subsidio, es fraude", days=1),
    ])  # fmt: skip
    run_stage(engine, settings, trained_models)
    before = incidents_by_text(engine)

    deliver(engine, settings, [
        report(3, 3, "el coyote 5587654321 es el mismo q da la cuenta 4152313800129988"
                     " pa que le depositen, nos cobro a varios", days=2),
    ])  # fmt: skip
    run_stage(engine, settings, trained_models)

    after = incidents_by_text(engine)
    assert len({code for code, _ in before.values()}) == 2
    assert len({code for code, _ in after.values()}) == 1
    with engine.connect() as connection:
        incidents = connection.execute(select(Incident).order_by(Incident.id)).all()
    survivor, merged = incidents
    assert survivor.merged_into is None and merged.merged_into == survivor.id
    # The merged incident's earliest case now points at the survivor's.
    assert after["wamid.g2"][1] == after["wamid.g3"][1] == "wamid.g1"
    assert after["wamid.g1"][1] is None


def test_cases_kept_between_batches_follow_a_merge_made_in_the_same_run(
    engine: Engine, settings: Settings, trained_models
) -> None:
    """Batches of one case: the earlier reports are read once and then kept for
    the run. The third report links the first two by their phones; the fourth
    names only the second's account, so it meets the second report alone, as
    kept from before the merge, and must join the survivor all the same."""
    deliver(engine, settings, [
        report(1, 1, "el coyote del cel 5587654321 nos cobro 3 mil por la ficha"),
        report(2, 2, "me pidieron depositar 1500 a la cuenta 4152 3138 0012 9988 "
                     "para liberar mi subsidio, es fraude, me marco del 5544332211",
               days=1),
        report(3, 3, "el coyote 5587654321 cobra 3 mil x la ficha y su socio del "
                     "5544332211 pide depositos pa liberar el subsidio, es fraude",
               days=2),
        report(4, 4, "a mi tambien me pidieron 1500 de deposito a la cuenta "
                     "4152 3138 0012 9988 para liberar el subsidio, fraude", days=3),
    ])  # fmt: skip
    classify_pending(engine, trained_models)

    summary = group_pending(engine, settings.data_dir, batch_size=1)

    assert summary.batches == 4
    assert len({code for code, _ in incidents_by_text(engine).values()}) == 1
    with engine.connect() as connection:
        live = connection.execute(
            select(Incident.id).where(Incident.merged_into.is_(None))
        ).all()
    assert len(live) == 1


def test_a_late_report_older_than_the_incident_becomes_its_earliest(
    engine: Engine, settings: Settings, trained_models
) -> None:
    text = "el gestor del cel 5587654321 nos cobro {} mil por meternos a la lista"
    deliver(engine, settings, [
        report(2, 2, text.format(2), days=2),
        report(3, 3, text.format(3), days=3),
    ])  # fmt: skip
    run_stage(engine, settings, trained_models)
    assert incidents_by_text(engine)["wamid.g3"][1] == "wamid.g2"

    deliver(engine, settings, [report(1, 1, text.format(4), days=1)])  # sent earlier
    run_stage(engine, settings, trained_models)

    groups = incidents_by_text(engine)
    assert len({code for code, _ in groups.values()}) == 1
    assert groups["wamid.g1"][1] is None
    assert groups["wamid.g2"][1] == groups["wamid.g3"][1] == "wamid.g1"


def test_a_lost_index_is_rebuilt_and_chains_still_join(
    engine: Engine, settings: Settings, trained_models
) -> None:
    deliver(engine, settings, [report(1, 1, CHAIN)])
    run_stage(engine, settings, trained_models)
    index_path(settings.data_dir).unlink()

    deliver(engine, settings, [report(2, 2, "Pasenlo 👇👇 " + CHAIN, days=1)])
    run_stage(engine, settings, trained_models)

    groups = incidents_by_text(engine)
    assert len({code for code, _ in groups.values()}) == 1
    assert index_path(settings.data_dir).exists()


def test_a_case_that_grows_keeps_its_incident_and_is_not_grouped_twice(
    engine: Engine, settings: Settings, trained_models
) -> None:
    deliver(engine, settings, [report(1, 1, "el gestor nos cobra 3 mil x la lista")])
    run_stage(engine, settings, trained_models)
    before = incidents_by_text(engine)

    deliver(
        engine,
        settings,
        [report(2, 1, "se llama Ramiro Sosa y anda en la colonia centro", days=0.01)],
    )
    run_stage(engine, settings, trained_models)

    assert incidents_by_text(engine) == before
    assert group_pending(engine, settings.data_dir).cases == 0
