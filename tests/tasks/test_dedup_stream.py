"""`vigia dedup` end to end: a real process reading JSONL from a file and stdin."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CHAIN = (
    "AVISO: la CONAVI regala casas, manda tu CURP y foto de tu INE al 722 418 9930 "
    "antes del viernes, pasalo a tus contactos"
)
REPORT = (
    "el gestor Rogelio Mendoza nos pidio 2 mil a cada familia para meternos a la "
    "lista aqui en Ocosingo"
)


def run_dedup(argument: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vigia.cli", "dedup", argument],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_dedup_command_groups_copies_and_keeps_input_order(tmp_path: Path) -> None:
    items = [
        {"id": "late", "text": "Pasenlo 👇 " + CHAIN, "sender": "b",
         "sent_at": "2026-11-30T10:00:00-06:00"},
        {"id": "first", "text": CHAIN, "sender": "a", "sent_at": 1764500000},
        {"id": "q", "text": "cuales son los requisitos para registrarme?"},
        {"id": 7, "text": REPORT, "sender": "c"},
        {"id": "again", "text": "como ya les dije, " + REPORT + " y nadie hace nada",
         "sender": "c"},
    ]  # fmt: skip
    path = tmp_path / "items.jsonl"
    path.write_text("".join(json.dumps(item) + "\n" for item in items))

    result = run_dedup(str(path))

    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 0, result.stderr
    assert [item["id"] for item in outputs] == ["late", "first", "q", 7, "again"]
    late, first, question, report, again = outputs
    assert late["group"] == first["group"] and late["duplicate_of"] == "first"
    assert first["duplicate_of"] is None
    assert question["duplicate_of"] is None and question["group"] != first["group"]
    assert again["group"] == report["group"] and again["duplicate_of"] == 7


def test_dedup_command_reports_bad_lines_and_groups_the_rest() -> None:
    lines = [
        json.dumps({"id": "a", "text": REPORT}),
        "{not json",
        json.dumps({"id": "b", "text": REPORT, "sent_at": "ayer en la tarde"}),
        json.dumps({"id": "c", "text": REPORT, "sender": ["x"]}),
    ]

    result = run_dedup("-", "\n".join(lines) + "\n")

    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["a"]
    assert "line 2: not valid JSON" in result.stderr
    assert "line 3: 'sent_at' 'ayer en la tarde' is not ISO 8601" in result.stderr
    assert "line 4: 'sender' must be a string or a number" in result.stderr
    assert result.returncode == 1


def test_dedup_command_names_a_missing_file(tmp_path: Path) -> None:
    result = run_dedup(str(tmp_path / "nope.jsonl"))

    assert result.returncode == 2
    assert "nope.jsonl: no such file" in result.stderr
