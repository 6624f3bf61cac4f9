"""Portal Ciudadano forms: shape, period, reproducibility and the CSV export."""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime, timedelta

import pytest

from vigia.demo import (
    PORTAL_COLUMNS,
    generate_portal_cases,
    generate_portal_forms,
    write_portal_csv,
)
from vigia.demo.banks.places import STATE_NAMES

END = datetime(2026, 3, 2, tzinfo=UTC)
FOLIO = re.compile(r"^ATE-20\d\d-\d{6}$")
EMAIL = re.compile(r"^[\w.]+@[\w.]+\.\w+$")


@pytest.fixture(scope="module")
def forms() -> list[dict]:
    return list(generate_portal_forms(600, 11, end=END))


def test_forms_have_the_documented_fields_and_values(forms) -> None:
    for form in forms:
        assert set(form) == set(PORTAL_COLUMNS)
        assert form["text"].strip()
        assert form["state"] is None or form["state"] in STATE_NAMES
        assert form["folio"] is None or FOLIO.match(form["folio"])
        contact = form["contact"]
        assert (
            contact is None
            or EMAIL.match(contact)
            or sum(map(str.isdigit, contact)) >= 10
        )

    assert len({form["id"] for form in forms}) == len(forms)
    assert any(form["name"] is None for form in forms)
    assert any(form["folio"] for form in forms)


def test_forms_are_submitted_in_order_inside_the_period(forms) -> None:
    times = [datetime.fromisoformat(form["submitted_at"]) for form in forms]

    assert all(time.utcoffset() == timedelta(hours=-6) for time in times)
    assert times == sorted(times)
    assert END - timedelta(weeks=6) <= times[0] and times[-1] < END


def test_same_seed_same_forms() -> None:
    first = list(generate_portal_forms(50, 4, end=END, weeks=2))

    assert first == list(generate_portal_forms(50, 4, end=END, weeks=2))
    assert first != list(generate_portal_forms(50, 5, end=END, weeks=2))


def test_cases_pair_each_form_with_its_labels() -> None:
    cases = list(generate_portal_cases(300, 2, end=END))

    assert all(form["id"] == truth["id"] for form, truth in cases)
    assert any(truth["fraud"] for _, truth in cases)
    assert any(not truth["fraud"] for _, truth in cases)


def test_csv_round_trips_through_dict_reader(forms, tmp_path) -> None:
    path = tmp_path / "portal.csv"

    rows = write_portal_csv(forms, path)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        read = list(reader)

    assert rows == len(forms) == len(read)
    assert tuple(reader.fieldnames or ()) == PORTAL_COLUMNS
    for form, row in zip(forms, read, strict=True):
        assert row == {key: form[key] or "" for key in PORTAL_COLUMNS}


def test_bad_count_fails_early() -> None:
    with pytest.raises(ValueError):
        generate_portal_forms(-1, 1, end=END)
