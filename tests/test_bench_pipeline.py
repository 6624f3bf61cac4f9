"""The pipeline benchmark's arithmetic: stage clocks, rates, floor and growth."""

from __future__ import annotations

import pytest
from prefect import task

from vigia.bench_pipeline import STAGES, StageClock, describe_growth, figures


@task
def double(n: int) -> int:
    return 2 * n


def test_a_stage_clock_times_a_task_body_and_puts_the_body_back() -> None:
    clock = StageClock()
    body = double.fn

    with clock.timing([("double", double)]):
        assert double.fn(21) == 42
        assert double.fn is not body

    assert double.fn is body
    assert clock.seconds["double"] >= 0


def test_orchestration_is_the_flows_time_outside_the_stages() -> None:
    clock = StageClock({"land": 1.0, "ingest": 2.0, "classify": 3.0})

    result = figures(
        clock,
        messages=700,
        flow_seconds=6.0,
        startup_seconds=10.0,
        peak_rss_mb=500.0,
        floor_seconds=2.0,
    )

    assert result["seconds"] == 7.0  # landing and the flows, not the startup
    assert result["messages_per_second"] == 100.0
    assert result["floor_messages_per_second"] == 350.0
    assert result["ratio_to_floor"] == pytest.approx(100 / 350, abs=1e-3)
    assert result["orchestration_share"] == pytest.approx(1 / 6, abs=1e-4)
    assert list(result["stages"]) == list(STAGES)
    assert result["stages"]["route"] == 0.0


@pytest.mark.parametrize(
    ("before", "after", "shown"),
    [(2.0, 21.0, "10.50x"), (0.0, 0.5, "n/a")],
)
def test_growth_is_shown_per_stage_unless_the_stage_took_no_time(
    before: float, after: float, shown: str
) -> None:
    base = {"messages": 100, "seconds": 10.0, "peak_rss_mb": 400.0}
    top = {"messages": 1000, "seconds": 100.0, "peak_rss_mb": 500.0}

    text = describe_growth(
        base | {"stages": {"route": before}}, top | {"stages": {"route": after}}
    )

    assert "time 10.00x, peak memory 1.25x" in text
    assert text.splitlines()[1].endswith(shown)
