"""The HTTP layers around the routes, from the settings (:func:`install_middleware`).

From the outside in:

- :class:`SecurityHeaders`: on every response, errors included, ``X-Content-Type-Options:
  nosniff``, ``X-Frame-Options: DENY``, ``Referrer-Policy: no-referrer``, a
  ``Content-Security-Policy`` for a JSON API (``default-src 'none'; frame-ancestors
  'none'``; the documentation pages, ``/docs`` and ``/redoc``, get one that lets them load
  Swagger UI and ReDoc from their CDN), and over HTTPS ``Strict-Transport-Security``
  (``HSTS_SECONDS``; 0: never). A header the route set itself is kept.
- :class:`src.core.observability.RequestContext`: the request id, the access line and
  unhandled errors.
- Starlette's error middleware (the contract's 500), then uvicorn's
  ``ProxyHeadersMiddleware`` when ``FORWARDED_ALLOW_IPS`` is set: the client address and
  scheme from ``X-Forwarded-For`` and ``X-Forwarded-Proto``, believed only from those
  addresses (the same variable, and meaning, as uvicorn's ``--forwarded-allow-ips``; set
  here it also holds under another server, or from ``.env``).
- Starlette's ``TrustedHostMiddleware`` when ``TRUSTED_HOSTS`` is set: any other ``Host``
  is refused with 400.
- CORS (``src/main.py``), then :class:`BodySizeLimit`: a body over ``MAX_BODY_BYTES`` is
  refused with 413, in the shape the operation documents for 413 (else its ``4XX``,
  ``default``, else ``{"detail": ...}``): before its first byte is read where
  ``Content-Length`` says so, else as soon as the chunks read (a chunked body) pass the
  limit, the rest unread. A route that reads no body answers as usual: its body is
  never read.

None of them changes the served OpenAPI document.
"""

from typing import Any

from fastapi import FastAPI
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from src.core.config import Settings
from src.core.errors import error_response
from src.core.observability import RequestContext

API_CSP = "default-src 'none'; frame-ancestors 'none'"
"""The Content-Security-Policy of the API's answers: JSON loads nothing, nor is framed."""

DOCS_CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net",
        "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net"
        " https://fonts.googleapis.com",
        "font-src 'self' data: https://fonts.gstatic.com",
        "img-src 'self' data: https:",
        "connect-src 'self' https:",
        "worker-src 'self' blob:",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)
"""The policy of the documentation pages: FastAPI's Swagger UI and ReDoc pages load their
scripts and styles from jsDelivr (fonts from Google Fonts) and run an inline script."""

SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
)


def _docs_paths(app: Any) -> frozenset[str]:
    urls = (
        getattr(app, "docs_url", None),
        getattr(app, "redoc_url", None),
        getattr(app, "swagger_ui_oauth2_redirect_url", None),
    )
    return frozenset(url for url in urls if url)


RawHeaders = tuple[tuple[bytes, bytes], ...]


def _raw(headers: tuple[tuple[str, str], ...]) -> RawHeaders:
    """Headers as ASGI sends them: lower-case names, latin-1 bytes."""
    return tuple((n.lower().encode("latin-1"), v.encode("latin-1")) for n, v in headers)


class SecurityHeaders:
    """Pure ASGI middleware: the security headers on every response (see the module).
    The four sets it may add (API or documentation page, over HTTPS or not) are built
    once; a response gets those of its set it does not have."""

    def __init__(self, app: ASGIApp, hsts_seconds: int = 0) -> None:
        self.app = app
        self.hsts_seconds = hsts_seconds
        hsts = (("Strict-Transport-Security", f"max-age={hsts_seconds}"),)
        self.added: dict[tuple[bool, bool], RawHeaders] = {
            (docs, https): _raw(
                SECURITY_HEADERS
                + (("Content-Security-Policy", DOCS_CSP if docs else API_CSP),)
                + (hsts if https and hsts_seconds else ())
            )
            for docs in (False, True)
            for https in (False, True)
        }
        self.docs: tuple[Any, frozenset[str]] = (None, frozenset())
        """The app the documentation paths were read from, and those paths."""

    def _docs_paths(self, app: Any) -> frozenset[str]:
        if self.docs[0] is not app:
            self.docs = (app, _docs_paths(app))
        return self.docs[1]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                docs = scope.get("path") in self._docs_paths(scope.get("app"))
                # After ProxyHeadersMiddleware (inside): the scheme the client used.
                https = scope.get("scheme") == "https"
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers += [h for h in self.added[docs, https] if h[0] not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLargeError(HTTPException):
    """A request body over the limit: 413, answered in the shape the route documents."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body is larger than {limit} bytes.")


class BodySizeLimit:
    """Pure ASGI middleware: 413 for a body over ``max_body_bytes`` bytes, when the
    route reads it: before the first byte where ``Content-Length`` says so, else as
    soon as the chunks read pass the limit. A route that reads no body never gets it."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_body_bytes
        length = Headers(scope=scope).get("content-length", "").strip()
        read = int(length) if length.isdigit() else 0  # what is told counts as read
        started = False

        async def limited_receive() -> Message:
            nonlocal read
            if read > limit:
                raise BodyTooLargeError(limit)  # the route's error handler answers
            message = await receive()
            if message["type"] == "http.request" and not length.isdigit():
                read += len(message.get("body", b""))
                if read > limit:
                    raise BodyTooLargeError(limit)
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except BodyTooLargeError as exc:
            if started:
                raise
            # Read where no error handler answers: the shape the route documents.
            request = Request(scope)
            await error_response(request, 413, str(exc.detail))(scope, receive, send)


def install_middleware(app: FastAPI, settings: Settings) -> None:
    """Put the layers of the module around the app's routes, as ``settings`` say."""
    # Innermost, inside CORS (whichever was added first): a 413 has CORS headers too.
    app.user_middleware.append(
        Middleware(BodySizeLimit, max_body_bytes=settings.max_body_bytes)
    )
    if settings.trusted_hosts:
        app.add_middleware(
            TrustedHostMiddleware,
            allowed_hosts=settings.trusted_hosts,
            www_redirect=False,
        )
    if settings.forwarded_allow_ips:
        app.add_middleware(
            ProxyHeadersMiddleware, trusted_hosts=settings.forwarded_allow_ips
        )
    build = app.build_middleware_stack
    hsts = settings.hsts_seconds

    def outermost() -> ASGIApp:
        # Around Starlette's error middleware, so that its 500 gets them too.
        return SecurityHeaders(RequestContext(build()), hsts_seconds=hsts)

    app.build_middleware_stack = outermost  # type: ignore[method-assign]
