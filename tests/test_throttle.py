"""Failed lookups counted in memory and in Redis (127.0.0.1:6379)."""

from __future__ import annotations

import uuid

import pytest

from vigia.throttle import LookupThrottle, MemoryStore, RedisStore

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture(params=["memory", "redis"])
def throttle(request: pytest.FixtureRequest) -> LookupThrottle:
    if request.param == "memory":
        return LookupThrottle(MemoryStore(), 5, 15)
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis is unreachable at {REDIS_URL}: {error}")
    return LookupThrottle(RedisStore(REDIS_URL, 1.0), 5, 15)


def test_five_failures_block_every_key_they_touched(throttle: LookupThrottle) -> None:
    run = uuid.uuid4().hex  # Redis keys of this run only
    asker, folio, other = f"ip:{run}", f"folio:{run}", f"ip:{run}-other"

    for _ in range(4):
        throttle.failed([asker, folio])
    before = throttle.blocked([asker])
    throttle.failed([asker, folio])

    assert not before
    assert throttle.blocked([asker]) and throttle.blocked([other, folio])
    assert not throttle.blocked([other])


def test_the_block_ends_with_the_window() -> None:
    now = [0.0]
    throttle = LookupThrottle(MemoryStore(clock=lambda: now[0]), 5, 15)
    for _ in range(5):
        throttle.failed(["ip:a"])

    blocked = throttle.blocked(["ip:a"])
    now[0] = 15 * 60 + 1

    assert blocked and not throttle.blocked(["ip:a"])


def test_redis_out_of_reach_refuses_lookups() -> None:
    throttle = LookupThrottle(RedisStore("redis://127.0.0.1:1/0", 0.2), 5, 15)

    assert throttle.blocked(["ip:a"])
