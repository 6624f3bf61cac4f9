"""Counting failed folio lookups, so codes cannot be guessed.

Each failure (an unknown folio or a wrong code, which look the same to the
asker) adds one to every key of the attempt: the WhatsApp sender or the
client address, and the folio asked about. Once any key reaches
``lookup_max_failures`` within ``lookup_window_minutes``, every lookup with
that key is told to try later, even with the right code, until the window
that key started runs out. A success counts nothing.

Counting per folio stops a guesser who spreads attempts over many
addresses; the price is that such a guesser can make a citizen wait a window
before looking their own folio up.

With ``VIGIA_REDIS_URL`` the counts live in Redis, shared by the receiver's
workers and the pipeline; without it each process counts its own, in
memory. Redis unreachable means "try later" for everyone (fail closed): a
lookup is a convenience, guessing protection is not.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Protocol

from vigia.settings import Settings

logger = logging.getLogger(__name__)

MAX_MEMORY_KEYS = 100_000
"""Keys the in-memory store holds before it drops the expired ones."""


class AttemptStore(Protocol):
    """Failure counts per key that expire a window after their first failure."""

    def highest(self, keys: Sequence[str]) -> int:
        """The largest live count among ``keys`` (0 for unknown keys)."""
        ...

    def add_failure(self, keys: Sequence[str], window_seconds: float) -> None:
        """Add one failure to each key, starting its window if it had none."""
        ...


class MemoryStore:
    """Counts in this process only: for one receiver process, tests and the CLI."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._counts: dict[str, tuple[float, int]] = {}  # key -> (expires, count)
        self._lock = threading.Lock()
        self._clock = clock

    def highest(self, keys: Sequence[str]) -> int:
        """The largest live count among ``keys``."""
        now = self._clock()
        with self._lock:
            live = [self._counts.get(key, (0.0, 0)) for key in keys]
        return max((count for expires, count in live if expires > now), default=0)

    def add_failure(self, keys: Sequence[str], window_seconds: float) -> None:
        """Count one failure per key."""
        now = self._clock()
        with self._lock:
            if len(self._counts) >= MAX_MEMORY_KEYS:
                self._counts = {k: v for k, v in self._counts.items() if v[0] > now}
            for key in keys:
                expires, count = self._counts.get(key, (0.0, 0))
                if expires <= now:
                    expires, count = now + window_seconds, 0
                self._counts[key] = (expires, count + 1)


class RedisStore:
    """Counts in Redis, shared by every process: INCR, with the window as TTL."""

    def __init__(self, url: str, timeout_seconds: float) -> None:
        import redis

        self._redis = redis.Redis.from_url(
            url, socket_timeout=timeout_seconds, socket_connect_timeout=timeout_seconds
        )
        self._errors = (redis.RedisError, OSError)

    def highest(self, keys: Sequence[str]) -> int:
        """The largest live count among ``keys``; Redis down reads as blocked."""
        try:
            values = self._redis.mget([_redis_key(key) for key in keys])
        except self._errors as error:
            logger.error("Redis unreachable, lookups refused for now: %s", error)
            return 1 << 30
        return max((int(value) for value in values if value is not None), default=0)

    def add_failure(self, keys: Sequence[str], window_seconds: float) -> None:
        """Count one failure per key; a key's first failure sets its expiry."""
        pipe = self._redis.pipeline(transaction=False)
        for key in keys:
            pipe.incr(_redis_key(key))
            pipe.expire(_redis_key(key), max(1, round(window_seconds)), nx=True)
        try:
            pipe.execute()
        except self._errors as error:
            logger.error("Redis unreachable, a failed lookup went uncounted: %s", error)


def _redis_key(key: str) -> str:
    return f"vigia:lookup-failures:{key}"


class LookupThrottle:
    """Decides whether a lookup may be answered, and counts the failures."""

    def __init__(self, store: AttemptStore, max_failures: int, window_minutes: float):
        self._store = store
        self._max = max_failures
        self._window = window_minutes * 60

    @classmethod
    def from_settings(cls, settings: Settings) -> LookupThrottle:
        """Redis when ``VIGIA_REDIS_URL`` is set, this process's memory otherwise."""
        store: AttemptStore
        if settings.redis_url:
            store = RedisStore(settings.redis_url, settings.redis_timeout_seconds)
        else:
            store = MemoryStore()
        return cls(store, settings.lookup_max_failures, settings.lookup_window_minutes)

    def blocked(self, keys: Sequence[str]) -> bool:
        """Whether any key used up its failures in the current window."""
        return self._store.highest(keys) >= self._max

    def failed(self, keys: Sequence[str]) -> None:
        """Count a failed lookup against every key."""
        self._store.add_failure(keys, self._window)
