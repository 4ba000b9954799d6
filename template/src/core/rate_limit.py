"""Rate limiting of the operations whose contract documents 429 (Too Many Requests).

Their routes depend on :func:`rate_limit`: each client (its address) may call each such
operation RATE_LIMIT_PER_MINUTE times in a minute; the next calls get 429 in the
contract's error shape, with ``Retry-After``. With REDIS_URL set the counts live in
Redis (:class:`RedisLimiter`), one count for every worker and instance; without it each
process counts its own calls in memory (:class:`FixedWindowLimiter`), so N workers allow
N times the limit.
"""

import logging
import time
from threading import Lock
from typing import Protocol

from fastapi import Request
from redis import Redis, RedisError
from redis.backoff import NoBackoff
from redis.retry import Retry

from src.core.errors import ApiError

logger = logging.getLogger(__name__)


class Limiter(Protocol):
    def hit(self, key: str) -> int | None:
        """Count a hit: None when allowed, else the seconds until the window ends."""


class FixedWindowLimiter:
    """At most ``limit`` hits per key in each window of ``window`` seconds."""

    def __init__(self, limit: int, window: int = 60) -> None:
        self.limit, self.window = limit, window
        self._counts: dict[tuple[str, int], int] = {}
        self._lock = Lock()

    def hit(self, key: str, now: float | None = None) -> int | None:
        """Count a hit: None when allowed, else the seconds until the window ends."""
        now = time.time() if now is None else now
        slot = int(now // self.window)
        with self._lock:
            if len(self._counts) > 10_000:  # forget the windows that are over
                self._counts = {k: v for k, v in self._counts.items() if k[1] == slot}
            count = self._counts.get((key, slot), 0) + 1
            self._counts[(key, slot)] = count
        if count <= self.limit:
            return None
        return int(self.window - now % self.window) + 1


class RedisLimiter:
    """At most ``limit`` hits per key in a window of ``window`` seconds from its first
    hit, counted in Redis (7 or later) under ``prefix + key``.

    When Redis fails (down, unreachable, timing out), the calls are counted in memory
    for the next ``pause`` seconds, then Redis is tried again: the limits keep holding
    per process, and the API keeps answering, rather than every limited operation
    failing with Redis or every client going unlimited.
    """

    def __init__(
        self,
        client: Redis,
        limit: int,
        window: int = 60,
        prefix: str = "rate-limit:",
        pause: float = 5.0,
    ) -> None:
        self.client, self.limit, self.window = client, limit, window
        self.prefix, self.pause = prefix, pause
        self.fallback = FixedWindowLimiter(limit, window)
        self._redis_failed_until = 0.0

    def hit(self, key: str) -> int | None:
        """Count a hit: None when allowed, else the seconds until the window ends."""
        if time.monotonic() < self._redis_failed_until:
            return self.fallback.hit(key)
        name = self.prefix + key
        try:
            # One MULTI/EXEC: the count and its expiry are set together; NX keeps the
            # expiry the first hit set, so the window runs from that hit.
            with self.client.pipeline(transaction=True) as pipe:
                pipe.incr(name)
                pipe.expire(name, self.window, nx=True)
                pipe.ttl(name)
                count, _, ttl = pipe.execute()
        except RedisError as error:
            logger.warning(
                "Redis failed (%s): rate limits counted per process for %s s",
                error,
                self.pause,
            )
            self._redis_failed_until = time.monotonic() + self.pause
            return self.fallback.hit(key)
        return None if count <= self.limit else max(int(ttl), 1)


def make_limiter(limit: int, redis_url: str = "") -> Limiter:
    """The limiter the settings ask for: in Redis at ``redis_url``, else in memory."""
    if not redis_url:
        return FixedWindowLimiter(limit)
    # A request waits at most two one-second tries on Redis before falling back.
    client = Redis.from_url(
        redis_url,
        socket_connect_timeout=1,
        socket_timeout=1,
        retry=Retry(NoBackoff(), retries=1),
    )
    return RedisLimiter(client, limit)


def rate_limit(request: Request) -> None:
    """Refuse the call with 429 when its client has used up this operation's window."""
    limiter: Limiter = request.app.state.rate_limiter
    route = request.scope.get("route")
    operation = f"{request.method} {getattr(route, 'path', request.url.path)}"
    client = request.client.host if request.client else "unknown"
    retry_after = limiter.hit(f"{client} {operation}")
    if retry_after is not None:
        raise ApiError(
            429,
            "Too many requests; try again later.",
            headers={"Retry-After": str(retry_after)},
        )
