"""The calendar of the demo traffic: days, daily quotas and rhythm.

Citizens write in Mexico's central time (UTC-6 all year since 2022): little
at night, a morning peak, steady afternoons; fewer on Saturdays and fewer
still on Sundays; some days busier than others (a payment announced, a
rumour going round). The period is split at local midnights and each day
gets its share of the requested messages, exactly, by largest remainder.
"""

from __future__ import annotations

import math
import random
from bisect import bisect
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate

from vigia.demo.draw import below, between

MX_OFFSET = -6 * 3600  # Mexico City, no daylight saving time since 2022
DAY = 86_400
HOUR = 3_600

# Relative traffic per local hour, 0h to 23h.
# fmt: off
_HOURLY = (
    0.18, 0.08, 0.05, 0.04, 0.05, 0.12, 0.35, 0.70, 1.00, 1.25, 1.35, 1.35,
    1.30, 1.25, 1.20, 1.20, 1.20, 1.25, 1.30, 1.30, 1.20, 1.00, 0.70, 0.38,
)
# fmt: on
_WEEKDAY = (1.15, 1.10, 1.05, 1.00, 0.95, 0.62, 0.42)  # Monday to Sunday


@dataclass(frozen=True, slots=True)
class Day:
    """One local day of the period (the first and last may be partial)."""

    start: int
    end: int
    quota: int
    starts: tuple[int, ...]
    lengths: tuple[int, ...]
    cum: tuple[float, ...]

    def sample(self, rng: random.Random) -> int:
        """Draw a moment of the day following its hourly rhythm."""
        i = bisect(self.cum, rng.random() * self.cum[-1])
        return self.starts[i] + below(rng, self.lengths[i])


def period(end: datetime, weeks: int) -> tuple[int, int]:
    """Epoch seconds ``[start, stop)`` of the generated period (naive means UTC)."""
    if end.tzinfo is None:
        end = end.replace(tzinfo=UTC)
    start = end - timedelta(weeks=weeks)
    return math.ceil(start.timestamp()), math.ceil(end.timestamp())


def plan_days(messages: int, start: int, stop: int, rng: random.Random) -> list[Day]:
    """Split the period into local days and give each its quota of messages."""
    bounds, weights, segments = [], [], []
    day_start = start
    while day_start < stop:
        day_end = min(next_midnight(day_start), stop)
        segs = _segments(day_start, day_end)
        jitter = rng.uniform(0.8, 1.2) * (
            rng.uniform(1.3, 1.8) if rng.random() < 0.08 else 1
        )
        bounds.append((day_start, day_end))
        weights.append(sum(weight for _, _, weight in segs) * jitter)
        segments.append(segs)
        day_start = day_end
    quotas = _apportion(messages, weights)
    return [
        Day(
            start=begin,
            end=finish,
            quota=quota,
            starts=tuple(s for s, _, _ in segs),
            lengths=tuple(n for _, n, _ in segs),
            cum=tuple(accumulate(w for _, _, w in segs)),
        )
        for (begin, finish), quota, segs in zip(bounds, quotas, segments, strict=True)
    ]


def next_midnight(ts: int) -> int:
    """The first local midnight strictly after ``ts``."""
    return ((ts + MX_OFFSET) // DAY + 1) * DAY - MX_OFFSET


def office_reply_time(ts: int, rng: random.Random) -> int:
    """When an agent answers a message received at ``ts`` (office hours)."""
    local = ts + MX_OFFSET
    weekday = (local // DAY + 3) % 7  # 1970-01-01 was a Thursday
    hour = local % DAY // HOUR
    if weekday < 5 and 8 <= hour < 18:
        return ts + between(rng, 300, 3 * HOUR)
    days_ahead = 1 if hour >= 8 or weekday >= 5 else 0
    morning = (local // DAY + days_ahead) * DAY + 9 * HOUR
    while (morning // DAY + 3) % 7 >= 5:
        morning += DAY
    return morning - MX_OFFSET + between(rng, 0, 3 * HOUR)


def _segments(start: int, end: int) -> list[tuple[int, int, float]]:
    """Hour-aligned pieces of ``[start, end)`` with their traffic weight."""
    out = []
    t = start
    while t < end:
        piece_end = min((t // HOUR + 1) * HOUR, end)
        local = t + MX_OFFSET
        weight = _HOURLY[local % DAY // HOUR] * _WEEKDAY[(local // DAY + 3) % 7]
        out.append((t, piece_end - t, weight * (piece_end - t) / HOUR))
        t = piece_end
    return out


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights``, summing exactly."""
    whole = sum(weights) or 1.0
    shares = [total * w / whole for w in weights]
    quotas = [int(s) for s in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: (quotas[i] - shares[i], i))
    for i in by_remainder[: total - sum(quotas)]:
        quotas[i] += 1
    return quotas
