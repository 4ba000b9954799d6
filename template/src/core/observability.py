"""Structured logs, the request id and one access line per request.

:func:`configure_logging` (called by ``create_app``) sends every record (the app's, the
libraries', uvicorn's own) to standard error, one line each: JSON (``LOG_FORMAT=json``,
the default outside development and test) or text (``LOG_FORMAT=text``, the default in
development and test), at ``LOG_LEVEL``. uvicorn's access log is switched off: the app
writes its own line per request (:class:`RequestContext`), which names the route template
(``/api/v1/items/{item_id}``), never the raw path (a path may carry a token).

Every record of a request carries its id, ``request_id``: the ``X-Request-ID`` the client
sent when it is sane (1 to 128 letters, digits and ``._~:+/=-``), else a fresh uuid4. It
is answered in the ``X-Request-ID`` header of every response, errors included, and fills
the error bodies whose documented schema has a field for it (``requestId``, ``traceId``,
``correlationId``: ``src/core/errors.py``); no body gets a field its schema does not
have.

Whatever is logged is redacted first (:func:`redacted`): a value under a key that names a
secret (password, token, secret, authorization, api key, cookie, session, credential,
private key) becomes ``[REDACTED]``, in the fields of a record and, as ``key=value`` or
``"key": "value"``, in its message and traceback; so do bearer and basic credentials and
anything shaped like a JWT. Request bodies and headers are never logged. The access
line is the exception that needs none: it is built from safe parts only (a standard
method, else the method redacted; the route's template, never the path; the status; the
duration; the request id, sane as every record's) and marked so (:func:`log_access`), so
that the formatters, which redact every other record, leave it as it is.

An unhandled error is logged once, with its traceback and the request id
(:func:`log_unhandled`, called by the error handler that answers it with the contract's
500). It is still raised on, as Starlette does, so that a test client raises it; uvicorn's
own record of it ("Exception in ASGI application", the same traceback again) is dropped.
"""

import contextlib
import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import Any

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "X-Request-ID"
REDACTED = "[REDACTED]"

logger = logging.getLogger("src.errors")
access_logger = logging.getLogger("src.access")

_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
_SANE_ID = re.compile(r"[A-Za-z0-9._~:+/=-]{1,128}")
_RAW_REQUEST_ID_HEADER = REQUEST_ID_HEADER.lower().encode("latin-1")
STANDARD_METHODS = frozenset(
    ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT")
)
_SAFE = "_built_from_safe_parts"
"""The mark of a record whose message and fields hold no secret (:func:`log_access`)."""
_LOGGED = "_logged_by_the_app"
"""The mark :func:`log_unhandled` leaves on an exception it has logged."""


def current_request_id() -> str | None:
    """The id of the request being served (None outside a request)."""
    return _request_id.get()


class _StampedRecords:
    """A log record factory that stamps each record with the request id of its
    context (``record.request_id``), whichever handler formats it, and when."""

    def __init__(self, factory: Callable[..., logging.LogRecord]) -> None:
        self.factory = factory

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self.factory(*args, **kwargs)
        record.request_id = _request_id.get()
        return record


def stamp_records() -> None:
    """Make every log record carry the request id (once per process)."""
    if not isinstance(logging.getLogRecordFactory(), _StampedRecords):
        logging.setLogRecordFactory(_StampedRecords(logging.getLogRecordFactory()))


def request_id_of(headers: Headers) -> str:
    """The client's ``X-Request-ID`` when it is sane, else a fresh uuid4."""
    sent = headers.get(REQUEST_ID_HEADER, "")
    return sent if _SANE_ID.fullmatch(sent) else str(uuid.uuid4())


# --- redaction -----------------------------------------------------------------------------

_SECRET_WORDS = (
    "password|passwd|pwd|secret|token|authorization|api[_-]?key|apikey|cookie|session"
    "|credential|private[_-]?key"
)
_SECRET_KEY = re.compile(_SECRET_WORDS, re.IGNORECASE)
_KEY_VALUE = re.compile(
    rf"""(?P<key>["']?[\w.-]*(?:{_SECRET_WORDS})[\w.-]*["']?)(?P<sep>\s*[:=]\s*)"""
    r"""(?P<value>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s,;&)}\]]+)""",
    re.IGNORECASE,
)
_CREDENTIALS = re.compile(r"\b(bearer|basic)\s+[A-Za-z0-9._~+/-]+=*", re.IGNORECASE)
_JWT = re.compile(r"\beyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*")


def is_secret_key(key: str) -> bool:
    """Whether a field called ``key`` holds a secret (``password``, ``X-API-Key``...)."""
    return bool(_SECRET_KEY.search(key))


def redacted_text(text: str) -> str:
    """``text`` without the secrets it shows: ``token=...``, ``"password": "..."``,
    bearer and basic credentials, JWTs."""
    text = _CREDENTIALS.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    text = _JWT.sub(REDACTED, text)

    def hide(match: re.Match[str]) -> str:
        value = match["value"]
        quote = value[0] if value[:1] in ("'", '"') else ""
        return f"{match['key']}{match['sep']}{quote}{REDACTED}{quote}"

    return _KEY_VALUE.sub(hide, text)


def redacted(value: Any, depth: int = 0) -> Any:
    """``value`` with every secret hidden: under a secret's key, or in a text."""
    if depth > 16:
        return REDACTED
    if isinstance(value, str):
        return redacted_text(value)
    if isinstance(value, Mapping):
        return {
            key: REDACTED if is_secret_key(str(key)) else redacted(item, depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple | set | frozenset):
        return [redacted(item, depth + 1) for item in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return redacted_text(str(value))


# --- formatting ----------------------------------------------------------------------------

_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "taskName",
    "color_message",
    "request_id",
    _SAFE,
}
"""The attributes every record has; the others are the fields given as ``extra``."""


def _is_safe(record: logging.LogRecord) -> bool:
    """Whether the record is marked as built from safe parts, with no traceback."""
    return (
        getattr(record, _SAFE, False) is True
        and not record.exc_info
        and not record.stack_info
    )


def _fields(record: logging.LogRecord, safe: bool = False) -> dict[str, Any]:
    """The record's own fields (``extra=``), redacted unless ``safe``."""
    extra = {k: v for k, v in record.__dict__.items() if k not in _STANDARD}
    if safe:
        return extra
    fields: dict[str, Any] = redacted(extra)
    return fields


_JSON = json.JSONEncoder(default=str)
"""``json.dumps(..., default=str)``, its encoder made once."""


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request_id, the record's
    own fields, and the traceback as ``exception``; every value redacted, but those of
    a record built from safe parts (the access line), which need not be."""

    def __init__(self) -> None:
        super().__init__()
        self._second: tuple[int, str] = (-1, "")
        """The last second a record was made in, and its time as written."""

    def _time(self, record: logging.LogRecord) -> str:
        second = int(record.created)
        known, written = self._second  # read once: another thread may set it
        if second != known:
            written = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
            self._second = (second, written)
        return f"{written}.{int(record.msecs):03d}Z"

    def format(self, record: logging.LogRecord) -> str:
        safe = _is_safe(record)
        message = record.getMessage()
        payload: dict[str, Any] = {
            "time": self._time(record),
            "level": record.levelname,
            "logger": record.name,
            "message": message if safe else redacted_text(message),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            payload["request_id"] = request_id
        payload.update(_fields(record, safe))
        if record.exc_info:
            payload["exception"] = redacted_text(self.formatException(record.exc_info))
        if record.stack_info:
            payload["stack"] = redacted_text(self.formatStack(record.stack_info))
        return _JSON.encode(payload)


class TextFormatter(logging.Formatter):
    """``time level logger [request id] message``, then the traceback; redacted,
    but a record built from safe parts (the access line), which need not be."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(request)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", None)
        shown = logging.makeLogRecord(record.__dict__)  # the other handlers' is left be
        shown.request = f" [{request_id}]" if request_id else ""
        line = super().format(shown)
        return line if _is_safe(record) else redacted_text(line)


_HANDLER = "src.core.observability"
"""The name of the handler :func:`configure_logging` puts on the root logger."""


def configure_logging(
    level: str, log_format: str = "auto", environment: str = "development"
) -> None:
    """Every record to standard error, at ``level``, as JSON or text (``log_format``;
    ``auto``: text in development and test, else JSON); uvicorn's records through the
    same handler, its access log off. Calling it again replaces the handler it put (one
    per process, not one per app)."""
    if log_format == "auto":
        development = environment.lower() in ("development", "test")
        log_format = "text" if development else "json"
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    errors = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _LoggedByTheApp) for f in errors.filters):
        errors.addFilter(_LoggedByTheApp())
    access = logging.getLogger("uvicorn.access")  # the app writes its own (src.access)
    access.handlers.clear()
    access.propagate = False
    access.disabled = True


# --- the request ---------------------------------------------------------------------------


def route_template(scope: Scope) -> str | None:
    """The path template of the route that served the request, its router's prefix
    included (None: no route did)."""
    route = scope.get("route")
    if route is None:
        app = scope.get("app")
        for candidate in getattr(getattr(app, "router", None), "routes", ()):
            if candidate.matches(scope)[0] is Match.FULL:
                route = candidate
                break
    # FastAPI >= 0.16x serves an included router's route through a context that holds
    # its whole path template, the prefixes it was included under included.
    context = scope.get("fastapi", {}).get("effective_route_context")
    if route is not None and getattr(context, "original_route", None) is route:
        whole = getattr(context, "path_format", None)
        if isinstance(whole, str) and whole:
            return whole
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    if not isinstance(template, str):
        return None
    # Newer FastAPI keeps an included router's routes as written, without the prefix
    # it was included under: the prefix is the part of the path the route leaves (the
    # request's own text, so redacted: a prefix may have parameters too).
    regex, path = getattr(route, "path_regex", None), str(scope.get("path", ""))
    if isinstance(regex, re.Pattern) and not regex.match(path):
        for cut in range(1, len(path)):
            if path[cut] == "/" and regex.match(path[cut:]):
                return redacted_text(path[:cut]) + template
    return template


def log_unhandled(request: Request, exc: BaseException) -> None:
    """Log an error no handler expected, with its traceback, once (the exception is
    marked: :class:`_LoggedByTheApp` keeps uvicorn from logging it again)."""
    if getattr(exc, _LOGGED, False):
        return
    with contextlib.suppress(AttributeError, TypeError):
        setattr(exc, _LOGGED, True)
    logger.error(
        "unhandled error in %s %s",
        request.method,
        route_template(request.scope) or "(no route)",
        exc_info=(type(exc), exc, exc.__traceback__),
    )


class _LoggedByTheApp(logging.Filter):
    """Drops a server's record of an exception the app has logged already (uvicorn's
    "Exception in ASGI application", with the same traceback)."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not getattr(error, _LOGGED, False)


class RequestContext:
    """Pure ASGI middleware, outermost: the request id (in the log records and the
    ``X-Request-ID`` response header), the access line, and unhandled errors: logged
    once, answered 500 where nothing was answered yet, then raised on to the server
    (which logs nothing more, :class:`_LoggedByTheApp`) or the test client."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        stamp_records()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(Headers(scope=scope))
        token = _request_id.set(request_id)
        started = time.perf_counter()
        status: int | None = None

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = list(message.get("headers", ()))
                if all(name.lower() != _RAW_REQUEST_ID_HEADER for name, _ in headers):
                    headers.append((_RAW_REQUEST_ID_HEADER, request_id.encode()))
                    message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            # The error handler (src/core/errors.py) has logged it and answered the
            # contract's 500, unless it failed itself or the app runs in debug mode.
            log_unhandled(Request(scope), exc)
            if status is None:
                await _plain_500(send_with_id)
                status = 500
            raise
        finally:
            if access_logger.isEnabledFor(logging.INFO):
                duration = round((time.perf_counter() - started) * 1000, 2)
                log_access(scope, 500 if status is None else status, duration)
            _request_id.reset(token)


def log_access(scope: Scope, status: int, duration_ms: float) -> None:
    """The access line of a request: method, route template, status and duration, as
    its message and as fields. Built from safe parts only (a standard method, else the
    method redacted; the route's template, never the path, which may carry a token), it
    is marked so: the formatters leave it as it is instead of redacting it again."""
    method = str(scope.get("method", ""))
    if method not in STANDARD_METHODS:
        method = redacted_text(method)
    route = route_template(scope)
    # Made and handled here, as ``access_logger.info`` would, less the look up the
    # stack for the caller's file and line (this function's, known): one record per
    # request.
    record = access_logger.makeRecord(
        access_logger.name,
        logging.INFO,
        __file__,
        0,
        f"{method} {route or '(no route)'} {status} {duration_ms:.2f} ms",
        (),
        None,
        func="log_access",
        extra={
            "method": method,
            "route": route,
            "status": status,
            "duration_ms": duration_ms,
            _SAFE: True,
        },
    )
    access_logger.handle(record)


async def _plain_500(send: Send) -> None:
    body = b'{"detail":"Internal server error."}'
    await send(
        {
            "type": "http.response.start",
            "status": 500,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
