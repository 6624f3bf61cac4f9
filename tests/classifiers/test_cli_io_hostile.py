"""`vigia classify` on hostile lines: bad ones reported by number, the rest classified.

600 generated streams of up to eight lines each: objects with wrong or
missing fields, nested junk, invalid JSON and blank lines mixed with good
lines.
"""

from __future__ import annotations

import io
import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from classifiers.cli_io import classify_stream
from tests.hostile import PROPERTY, junk

ids = st.one_of(st.integers(), st.text(max_size=10))
texts = st.one_of(
    st.sampled_from(["me cobraron 5 mil por la casa", "", "\x00\x07\u202e", "🏠" * 50]),
    st.text(max_size=200),
)
good = st.builds(
    lambda i, t, c: {"id": i, "text": t} | ({"channel": c} if c else {}),
    ids,
    texts,
    st.sampled_from([None, "te_atiende", "denuncia", "portal"]),
)
bad = st.one_of(
    st.fixed_dictionaries({"id": junk, "text": junk}),
    st.fixed_dictionaries({"text": texts}),
    st.fixed_dictionaries({"id": ids, "text": texts, "channel": junk}),
    junk,
)
lines = st.one_of(
    good.map(json.dumps),
    good.map(json.dumps),
    bad.map(json.dumps),
    st.sampled_from(["", "   ", "{", "nul\x00l", '{"id": 1, "text": "x"', "[]"]),
    st.text(max_size=30),
)
REPORTED = re.compile(r"^line (\d+): \S")


def expected_good(line: str) -> bool:
    """What the README promises is a classifiable line."""
    try:
        item = json.loads(line)
    except ValueError:
        return False
    return (
        isinstance(item, dict)
        and isinstance(item.get("id"), str | int)
        and isinstance(item.get("text"), str)
        and item.get("channel") in (None, "te_atiende", "denuncia", "portal")
    )


@settings(PROPERTY, max_examples=600)
@given(stream=st.lists(lines, max_size=8))
def test_bad_lines_are_reported_by_number_and_the_others_classified(
    trained_models, stream: list[str]
) -> None:
    out, errors = io.StringIO(), io.StringIO()
    # Lines as a file yields them: a newline inside a line splits it in two.
    text_lines = "\n".join(stream).splitlines(keepends=True) if stream else []

    failures = classify_stream(trained_models, text_lines, out, errors)

    good_numbers = [
        n
        for n, line in enumerate(text_lines, 1)
        if line.strip() and expected_good(line)
    ]
    bad_numbers = [
        n
        for n, line in enumerate(text_lines, 1)
        if line.strip() and n not in good_numbers
    ]
    reported = [int(REPORTED.match(line)[1]) for line in errors.getvalue().splitlines()]
    results = [json.loads(line) for line in out.getvalue().splitlines()]
    assert failures == len(bad_numbers)
    assert reported == bad_numbers
    assert [r["id"] for r in results] == [
        json.loads(text_lines[n - 1])["id"] for n in good_numbers
    ]
    assert all("topic" in result for result in results)


# Lines that once stopped the whole stream; each is now reported by number.
def test_deeply_nested_line_is_reported(trained_models) -> None:
    assert_reported_and_others_classified(trained_models, "[" * 100_000)


def test_text_over_a_million_characters_is_reported(trained_models) -> None:
    line = json.dumps({"id": 2, "text": "a " * 600_000})
    assert_reported_and_others_classified(trained_models, line)


def test_text_with_half_a_utf16_pair_is_reported(trained_models) -> None:
    assert_reported_and_others_classified(
        trained_models, '{"id": 2, "text": "\\ud800"}'
    )


def assert_reported_and_others_classified(trained_models, line: str) -> None:
    ok = json.dumps({"id": 1, "text": "hola"})
    out, errors = io.StringIO(), io.StringIO()

    failures = classify_stream(trained_models, [ok, line, ok], out, errors)

    assert failures == 1 and errors.getvalue().startswith("line 2: ")
    assert len(out.getvalue().splitlines()) == 2
