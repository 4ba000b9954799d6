"""Operational endpoints: liveness and readiness probes, outside the contract.

- ``GET /health/live`` answers 200 ``{"status": "ok"}`` without touching anything: the
  process is up and its event loop answers. ``GET /health`` answers the same (the path
  probes written before these two use).
- ``GET /health/ready`` checks what the app needs to serve requests: the database
  (``SELECT 1`` through a session of the app, as a route gets it from
  :func:`src.core.database.get_session`), and Redis when ``REDIS_URL`` is set (a
  ``PING``). Each check has ``READINESS_TIMEOUT`` seconds. 200 ``{"status": "ok",
  "checks": {"database": "ok"}}`` when all pass, else 503 with ``"status": "unavailable"``
  and each check's outcome (``ok``, ``error`` or ``timeout``): which dependency failed,
  never its URL nor its error (that goes to the log). The image's ``HEALTHCHECK`` (and so
  compose's) probes it.

A check that does not come back in time is left to finish on its thread (a blocking
driver call cannot be interrupted); until it does, further probes of that dependency
answer ``timeout`` at once instead of stacking up threads behind it.

The routes are kept out of the OpenAPI document (``include_in_schema=False``), and
``tools/contract_fidelity.py`` leaves :data:`OPERATIONAL_PATHS` out of its comparison
unless the contract has them. The contract wins: an operational route is added only
where no contract route takes its path (with any method, or through a template such
as ``/{slug}`` under an empty API prefix); there the contract's route answers.
"""

import logging
import threading
from collections.abc import Callable, Generator
from functools import partial

import anyio
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from redis import Redis
from sqlalchemy import literal, select
from sqlalchemy.orm import Session
from starlette.routing import Match

from src.core.config import Settings
from src.core.database import get_session

LIVENESS_PATHS = ("/health", "/health/live")
READINESS_PATH = "/health/ready"
OPERATIONAL_PATHS = (*LIVENESS_PATHS, READINESS_PATH)
"""Every path of an operational route, not the contract's (``tools/contract_fidelity.py``)."""

READINESS_TIMEOUT = 2.0
"""Seconds each readiness check may take (the image's probe gives up after 4)."""

logger = logging.getLogger(__name__)

# One lock per dependency, held while its check runs (see the module's docstring).
_running = {"database": threading.Lock(), "redis": threading.Lock()}


class _StillRunningError(Exception):
    """The previous check of this dependency has not come back yet."""


def _guarded(name: str, check: Callable[[], None]) -> None:
    if not _running[name].acquire(blocking=False):
        raise _StillRunningError
    try:
        check()
    finally:
        _running[name].release()


def ping_database(sessions: Callable[[], Generator[Session]]) -> None:
    """``SELECT 1`` in a session from ``sessions`` (the app's session dependency), built
    with SQLAlchemy's ``select``: the project's compliance rule counts raw SQL."""
    provided = sessions()
    try:
        next(provided).execute(select(literal(1)))
    finally:
        provided.close()  # closes the session without committing


def ping_redis(url: str) -> None:
    """``PING`` on a connection of its own to ``url``, both within the timeout."""
    client = Redis.from_url(
        url,
        socket_connect_timeout=READINESS_TIMEOUT,
        socket_timeout=READINESS_TIMEOUT,
    )
    try:
        client.ping()
    finally:
        client.close()


async def _outcome(name: str, check: Callable[[], None]) -> str:
    try:
        with anyio.fail_after(READINESS_TIMEOUT):
            await anyio.to_thread.run_sync(
                _guarded, name, check, abandon_on_cancel=True
            )
    except (TimeoutError, _StillRunningError):
        logger.warning("readiness: the %s check did not answer in time", name)
        return "timeout"
    except Exception as error:
        logger.warning("readiness: the %s check failed: %r", name, error)
        return "error"
    return "ok"


def _checks(request: Request, settings: Settings) -> dict[str, Callable[[], None]]:
    """The dependencies of the app, by name: what readiness checks."""
    # The session a route would get: a test's dependency override included.
    sessions = request.app.dependency_overrides.get(get_session, get_session)
    checks: dict[str, Callable[[], None]] = {
        "database": partial(ping_database, sessions)
    }
    if settings.redis_url:
        checks["redis"] = partial(ping_redis, settings.redis_url)
    return checks


def install_operational_routes(app: FastAPI, settings: Settings) -> None:
    """Add the probes, after the contract's routes, at the paths no route takes."""

    async def live() -> dict[str, str]:
        return {"status": "ok"}

    async def ready(request: Request) -> JSONResponse:
        checks = _checks(request, settings)
        outcomes: dict[str, str] = {}

        async def run(name: str, check: Callable[[], None]) -> None:
            outcomes[name] = await _outcome(name, check)

        async with anyio.create_task_group() as group:
            for name, check in checks.items():
                group.start_soon(run, name, check)
        passed = all(outcome == "ok" for outcome in outcomes.values())
        body = {"status": "ok" if passed else "unavailable", "checks": outcomes}
        return JSONResponse(body, status_code=200 if passed else 503)

    endpoints = {path: live for path in LIVENESS_PATHS} | {READINESS_PATH: ready}
    free = {path: endpoint for path, endpoint in endpoints.items() if _free(app, path)}
    for path, endpoint in free.items():
        app.add_api_route(path, endpoint, methods=["GET"], include_in_schema=False)
    for path in endpoints.keys() - free.keys():
        logger.info("%s is the contract's: no operational route there", path)


def _free(app: FastAPI, path: str) -> bool:
    """Whether no route of ``app`` answers ``path``, whatever the method: routing asks
    each route as it would for a request."""
    for route in app.router.routes:
        scope = {"type": "http", "path": path, "method": "GET", "root_path": ""}
        match, _ = route.matches({**scope, "headers": [], "query_string": b""})
        if match != Match.NONE:
            return False
    return True
