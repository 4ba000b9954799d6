"""The fixed-window rate limiter behind operations that document 429."""

from src.core.rate_limit import FixedWindowLimiter


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
