"""Ingest on real databases: idempotence, rejections, cases and folios."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, create_engine, select, text

from models import Case, LandingRecord, Message, MessageStatus
from tasks.ingest import ingest_pending
from tests.builders import encoded, text_body
from tests.conftest import (
    DENUNCIA_ID,
    FIXTURES,
    REPO,
    base_environment,
    fixture_bodies,
)
from vigia.landing import Arrival, land, read_backfill
from vigia.settings import Settings
from vigia.status import collect_status

START = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def land_bodies(engine: Engine, bodies: list[dict]) -> None:
    land(engine, [Arrival("whatsapp_webhook", encoded(body)) for body in bodies])


def conversation() -> list[dict]:
    """Two senders on both lines, one of them coming back after two days."""
    return [
        text_body("wamid.a1", "5215511111111", START, "hola"),
        text_body(
            "wamid.a2", "5215511111111", START + timedelta(minutes=2), "info x fa"
        ),
        text_body("wamid.a3", "5215511111111", START + timedelta(days=2), "y mi pago?"),
        text_body(
            "wamid.b1",
            "5219612222222",
            START + timedelta(hours=1),
            "el gestor nos cobro 3500",
            DENUNCIA_ID,
        ),
    ]


def test_redelivering_every_body_three_times_changes_no_count(
    engine: Engine, settings: Settings
) -> None:
    bodies = conversation() + list(fixture_bodies("message_status.json").values())
    land_bodies(engine, bodies)
    ingest_pending(engine, settings)
    before = collect_status(engine)

    for _ in range(3):
        land_bodies(engine, bodies)
        ingest_pending(engine, settings)

    assert collect_status(engine) == before
    assert before["messages"] == {"te_atiende": 3, "denuncia": 1, "portal": 0}
    assert before["cases"] == {"te_atiende": 2, "denuncia": 1, "portal": 0}


def test_same_message_in_a_different_body_is_a_duplicate(
    engine: Engine, settings: Settings
) -> None:
    first = text_body("wamid.same", "5215511111111", START, "hola")
    resent = json.loads(json.dumps(first))
    resent["entry"][0]["id"] = "another-delivery"
    land_bodies(engine, [first])
    ingest_pending(engine, settings)

    land_bodies(engine, [resent])
    summary = ingest_pending(engine, settings)

    assert summary.total("duplicates") == 1
    assert summary.total("new_messages") == 0


def test_reimporting_the_same_files_changes_no_count(
    engine: Engine, settings: Settings, tmp_path: Path
) -> None:
    files = write_backfill_files(tmp_path)

    def import_all() -> None:
        for path, channel in files:
            land(engine, read_backfill(path, channel))
        ingest_pending(engine, settings)

    import_all()
    before = collect_status(engine)
    import_all()
    import_all()

    assert collect_status(engine) == before
    assert before["landing"]["rejected"] == 0
    assert all(before["messages"][channel] > 0 for channel in before["messages"])


def write_backfill_files(folder: Path) -> list[tuple[Path, str | None]]:
    jsonl = folder / "bodies.jsonl"
    jsonl.write_text("\n".join(json.dumps(body) for body in conversation()) + "\n")
    portal = folder / "portal.csv"
    portal.write_text(
        "id,submitted_at,name,contact,state,folio,text\n"
        "p1,2026-11-20T10:00:00-06:00,Rosa,5512345678,Puebla,,"
        '"me piden 2 mil pa entrar al programa, es legal?"\n'
        "p2,2026-11-21T11:30:00-06:00,,,,,quiero saber los requisitos\n"
    )
    export = REPO / "demo" / "exports" / "denuncia_android_24h.txt"
    return [(jsonl, None), (portal, None), (export, "denuncia")]


def test_unusable_rows_end_rejected_with_a_reason_and_stay(
    engine: Engine, settings: Settings
) -> None:
    unknown_number = text_body("wamid.x", "5215511111111", START, "hola", "42")
    land(
        engine,
        [
            Arrival("whatsapp_webhook", b"{oops"),
            Arrival(
                "whatsapp_webhook", encoded({"object": "whatsapp_business_account"})
            ),
            Arrival("whatsapp_webhook", encoded(unknown_number)),
            Arrival("portal_form", b'{"name": "sin texto"}', "portal"),
        ],
    )

    summary = ingest_pending(engine, settings)

    with engine.connect() as connection:
        rows = connection.execute(
            select(LandingRecord.status, LandingRecord.reason, LandingRecord.body)
        ).all()
    assert summary.total("rejected") == 4
    assert [row.status for row in rows] == ["rejected"] * 4
    reasons = " | ".join(row.reason for row in rows)
    for expected in ("invalid JSON", "entry", "unknown phone_number_id '42'", "text"):
        assert expected in reasons
    assert rows[0].body == b"{oops"


def test_cases_split_after_the_quiet_gap_with_channel_folios(
    engine: Engine, settings: Settings
) -> None:
    land_bodies(engine, conversation())

    ingest_pending(engine, settings)

    with engine.connect() as connection:
        cases = connection.execute(
            select(Case.folio, Case.channel, Case.message_count).order_by(Case.id)
        ).all()
    assert [(case.channel, case.message_count) for case in cases] == [
        ("te_atiende", 2),
        ("denuncia", 1),
        ("te_atiende", 1),
    ]
    assert all(re.fullmatch(r"(ATE|DEN)-2026-\d{6}", case.folio) for case in cases)
    assert cases[0].folio == "ATE-2026-000001" and cases[2].folio == "ATE-2026-000002"
    assert cases[1].folio == "DEN-2026-000001"


def test_a_late_message_joins_its_case_across_batches(
    engine: Engine, settings: Settings
) -> None:
    land_bodies(engine, [text_body("wamid.l2", "5215533333333", START, "segunda")])
    ingest_pending(engine, settings)

    early = START - timedelta(hours=3)
    land_bodies(engine, [text_body("wamid.l1", "5215533333333", early, "primera")])
    ingest_pending(engine, settings)

    with engine.connect() as connection:
        [case] = connection.execute(select(Case)).all()
        case_ids = set(connection.scalars(select(Message.case_id)))
    assert case.message_count == 2
    assert case.opened_at == early
    assert case_ids == {case.id}


def test_statuses_are_stored_once_and_phones_only_in_contacts(
    engine: Engine, settings: Settings
) -> None:
    statuses = list(fixture_bodies("message_status.json").values())
    land_bodies(engine, statuses + conversation())
    ingest_pending(engine, settings)
    land_bodies(engine, statuses)
    ingest_pending(engine, settings)

    with engine.connect() as connection:
        stored = connection.scalar(select(text("count(*)")).select_from(MessageStatus))
        senders = set(connection.scalars(select(Message.sender)))
        phones = set(connection.scalars(text("select phone from contacts")))
    assert stored >= 5
    assert all(re.fullmatch(r"[0-9a-f]{32}", sender) for sender in senders)
    assert "525511111111" in phones


def test_every_shared_fixture_lands_as_processed_or_ignored(
    engine: Engine, settings: Settings
) -> None:
    bodies = [
        body
        for path in sorted(FIXTURES.glob("*.json"))
        for body in fixture_bodies(path.name).values()
    ]
    land_bodies(engine, bodies)

    ingest_pending(engine, settings)

    landing = collect_status(engine)["landing"]
    assert landing["pending"] == landing["rejected"] == 0
    assert landing["processed"] + landing["ignored"] == len(bodies)


def test_a_portal_form_without_a_time_takes_its_arrival_time(
    engine: Engine, settings: Settings
) -> None:
    land(engine, [Arrival("portal_form", b'{"text": "quiero denunciar"}', "portal")])

    ingest_pending(engine, settings)

    with engine.connect() as connection:
        received = connection.scalar(select(LandingRecord.received_at))
        sent = connection.scalar(select(Message.sent_at))
    assert sent == received
    assert sent.tzinfo is not None


LAND_AND_INGEST = """
import sys
from pathlib import Path
from tasks.ingest import ingest_pending
from vigia.db import get_engine
from vigia.landing import land, read_backfill
from vigia.settings import get_settings
engine = get_engine()
land(engine, read_backfill(Path(sys.argv[1])))
ingest_pending(engine, get_settings())
"""


def test_cases_opened_in_the_same_second_get_the_same_folios_in_every_run(
    tmp_path: Path,
) -> None:
    moment = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
    traffic = tmp_path / "traffic.jsonl"
    bodies = [
        text_body(f"wamid.s{n}", f"52196155500{n:02d}", moment, "requisitos?")
        for n in range(12)
    ]
    traffic.write_text("".join(json.dumps(body) + "\n" for body in bodies))

    def folios_with(seed: str) -> list[tuple[str, str]]:
        folder = tmp_path / seed
        url = f"sqlite:///{folder / 'vigia.db'}"
        env = os.environ | base_environment(folder, url) | {"PYTHONHASHSEED": seed}
        command = [sys.executable, "-c", LAND_AND_INGEST, str(traffic)]
        subprocess.run(command, env=env, check=True, capture_output=True, cwd=REPO)
        engine = create_engine(url)
        with engine.connect() as connection:
            rows = connection.execute(select(Case.folio, Case.sender)).all()
        engine.dispose()
        return sorted(tuple(row) for row in rows)

    first, second = folios_with("1"), folios_with("2")

    assert len(first) == 12
    assert first == second
