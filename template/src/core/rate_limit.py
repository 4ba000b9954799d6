"""Rate limiting of the operations whose contract documents 429 (Too Many Requests).

Their routes depend on :func:`rate_limit`: each client (its address) may call each such
operation RATE_LIMIT_PER_MINUTE times in a minute (a fixed window); the next calls get
429 in the contract's error shape, with ``Retry-After``. The counts live in the app
(``app.state.rate_limiter``), so with several worker processes each counts its own
calls: put a shared store behind :class:`FixedWindowLimiter`'s interface for that.
"""

import time
from threading import Lock

from fastapi import Request

from src.core.errors import ApiError


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


def rate_limit(request: Request) -> None:
    """Refuse the call with 429 when its client has used up this operation's window."""
    limiter: FixedWindowLimiter = request.app.state.rate_limiter
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
