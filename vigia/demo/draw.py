"""Fast uniform draws from the run's own ``random.Random``.

``randrange`` and ``randint`` cost several Python calls each; at a million
messages the generator makes tens of millions of small draws, so these
helpers build them on ``random()`` (one C call) instead. The bias of
``int(random() * n)`` is far below anything a demo can show.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from itertools import accumulate
from typing import TypeVar

T = TypeVar("T")


def pick(rng: random.Random, options: Sequence[T]) -> T:
    """One option, uniformly."""
    return options[int(rng.random() * len(options))]


def below(rng: random.Random, n: int) -> int:
    """An integer in ``range(n)``."""
    return int(rng.random() * n)


def between(rng: random.Random, low: int, high: int) -> int:
    """An integer from ``low`` to ``high``, both included."""
    return low + int(rng.random() * (high - low + 1))


def cumulative(weights: dict[str, float]) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """A table for :func:`weighted`: the options and their running weights."""
    return tuple(weights), tuple(accumulate(weights.values()))


def weighted(
    rng: random.Random, table: tuple[tuple[str, ...], tuple[float, ...]]
) -> str:
    """One option of a :func:`cumulative` table, in proportion to its weight."""
    options, running = table
    return options[bisect(running, rng.random() * running[-1])]
