"""The rate limiters behind operations that document 429: in memory, and in Redis.

The Redis cases run against the server at REDIS_URL (default: 127.0.0.1:6379), each
under keys of its own; they are skipped, with the reason, where no server answers.
"""

import logging
import os
import socket
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from redis import Redis, RedisError

from src.core.config import Settings
from src.core.rate_limit import FixedWindowLimiter, RedisLimiter, make_limiter
from src.main import create_app

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def test_a_window_allows_its_limit_then_says_when_to_retry() -> None:
    limiter = FixedWindowLimiter(limit=2, window=60)
    assert limiter.hit("client GET /x", now=120.0) is None
    assert limiter.hit("client GET /x", now=130.0) is None
    assert limiter.hit("client GET /x", now=150.0) == 31  # the window ends at 180
    assert limiter.hit("other GET /x", now=150.0) is None  # per client
    assert limiter.hit("client GET /y", now=150.0) is None  # per operation
    assert limiter.hit("client GET /x", now=180.0) is None  # a new window


def test_old_windows_are_forgotten() -> None:
    limiter = FixedWindowLimiter(limit=1, window=60)
    for number in range(10_001):
        limiter.hit(f"client-{number}", now=0.0)
    limiter.hit("late", now=61.0)
    assert len(limiter._counts) <= 2


def test_the_app_counts_in_redis_only_when_redis_url_is_set() -> None:
    in_memory = create_app(Settings(rate_limit_per_minute=3, redis_url=""))
    assert isinstance(in_memory.state.rate_limiter, FixedWindowLimiter)
    shared = create_app(Settings(rate_limit_per_minute=3, redis_url=REDIS_URL))
    assert isinstance(shared.state.rate_limiter, RedisLimiter)
    assert shared.state.rate_limiter.limit == 3


@pytest.fixture
def in_redis() -> Iterator[Callable[..., RedisLimiter]]:
    """RedisLimiters counting under keys of this test's own, deleted afterwards."""
    client = Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except RedisError as error:
        client.close()
        pytest.skip(f"no Redis answers at {REDIS_URL} ({error}): set REDIS_URL")
    prefix = f"test-rate-limit:{uuid.uuid4().hex}:"

    def make(limit: int, window: int = 60) -> RedisLimiter:
        return RedisLimiter(client, limit, window, prefix=prefix)

    yield make
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    client.close()


def test_redis_allows_the_limit_then_says_when_to_retry(
    in_redis: Callable[..., RedisLimiter],
) -> None:
    limiter = in_redis(limit=2, window=60)
    assert limiter.hit("client GET /x") is None
    assert limiter.hit("client GET /x") is None
    retry_after = limiter.hit("client GET /x")
    ttl = limiter.client.ttl(limiter.prefix + "client GET /x")
    assert retry_after is not None and 0 < ttl <= retry_after <= 60  # the key's TTL
    assert limiter.hit("other GET /x") is None  # per client
    assert limiter.hit("client GET /y") is None  # per operation
    # Another process (another limiter on the same Redis) sees the same count.
    assert in_redis(limit=2, window=60).hit("client GET /x") is not None
    limiter.client.delete(limiter.prefix + "client GET /x")  # as its expiry does
    assert limiter.hit("client GET /x") is None  # a new window


def test_concurrent_hits_in_redis_allow_exactly_the_limit(
    in_redis: Callable[..., RedisLimiter],
) -> None:
    limiters = [in_redis(limit=25) for _ in range(4)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda n: limiters[n % 4].hit("client"), range(60)))
    assert answers.count(None) == 25


def test_an_unreachable_redis_leaves_the_limits_to_each_process(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        url = f"redis://127.0.0.1:{probe.getsockname()[1]}/0"
    limiter = make_limiter(2, url)
    assert isinstance(limiter, RedisLimiter)
    limiter.pause = 3600.0  # Redis is not tried again during the test
    with caplog.at_level(logging.WARNING, logger="src.core.rate_limit"):
        answers = [limiter.hit("client GET /x") for _ in range(3)]
    assert answers[:2] == [None, None] and answers[2] is not None  # counted in memory
    (record,) = caplog.records  # one warning, not one a request
    assert "rate limits counted per process" in record.getMessage()

    retrying = make_limiter(1, url)
    assert isinstance(retrying, RedisLimiter)
    retrying.pause = 0.0  # Redis is tried again on each call, and fails again
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="src.core.rate_limit"):
        assert retrying.hit("client GET /x") is None
        assert retrying.hit("client GET /x") is not None
    assert len(caplog.records) == 2
