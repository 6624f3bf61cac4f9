"""Reading backfill files: what lands, and clear errors for what cannot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vigia.errors import InputFileError
from vigia.landing import read_backfill


def test_jsonl_lines_land_verbatim_even_when_broken(tmp_path: Path) -> None:
    path = tmp_path / "bodies.jsonl"
    path.write_bytes(b'{"object": "x"}\r\n\n{broken\n')

    bodies = [arrival.body for arrival in read_backfill(path)]

    assert bodies == [b'{"object": "x"}', b"{broken"]


def test_json_file_holds_one_body_or_a_list(tmp_path: Path) -> None:
    single, many = tmp_path / "one.json", tmp_path / "many.json"
    single.write_text('{"object": "whatsapp_business_account"}')
    many.write_text(json.dumps([{"a": "ñ"}, {"b": 2}]))

    assert len(list(read_backfill(single))) == 1
    assert [json.loads(a.body) for a in read_backfill(many)] == [{"a": "ñ"}, {"b": 2}]


def test_portal_csv_rows_become_forms(tmp_path: Path) -> None:
    path = tmp_path / "portal.csv"
    path.write_text('\ufeffid,text,state\np1,"hola, buenas",Puebla\np2,adios,\n')

    forms = [json.loads(arrival.body) for arrival in read_backfill(path)]

    assert forms == [
        {"id": "p1", "state": "Puebla", "text": "hola, buenas"},
        {"id": "p2", "text": "adios"},
    ]


@pytest.mark.parametrize(
    ("name", "content", "channel", "message"),
    [
        ("missing.jsonl", None, None, "no such file"),
        ("data.xml", "<a/>", None, "unknown kind of file"),
        ("broken.json", "{", None, "not valid JSON"),
        ("chat.txt", "3/12/24, 10:15 p. m. - Ana: hola", None, "needs --channel"),
        ("chat.txt", "3/12/24, 10:15 p. m. - Ana: hola", "portal", "needs --channel"),
        ("portal.csv", "name,contact\nAna,55\n", None, "'text' column"),
    ],
)
def test_unreadable_files_fail_with_a_clear_message(
    tmp_path: Path, name: str, content: str | None, channel: str | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content)

    with pytest.raises(InputFileError, match=message):
        list(read_backfill(path, channel))
