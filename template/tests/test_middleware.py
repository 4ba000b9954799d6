"""The HTTP layers of src/core/middleware.py: security headers, the body size limit,
trusted hosts and proxy headers."""

import asyncio
import re
from collections.abc import Iterator
from http import HTTPStatus
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from pydantic import BaseModel

from src.core.config import Settings
from src.core.errors import install_error_handlers
from src.core.middleware import API_CSP, DOCS_CSP, install_middleware


class Problem(BaseModel):
    code: str
    message: str


def make_app(**settings: Any) -> FastAPI:
    app = FastAPI()

    @app.post("/documented", responses={413: {"model": Problem}})
    async def documented(request: Request) -> dict[str, int]:
        return {"read": len(await request.body())}

    @app.post("/plain")
    async def plain(request: Request) -> dict[str, int]:
        return {"read": len(await request.body())}

    @app.get("/client")
    def client(request: Request) -> dict[str, str]:
        host = request.client.host if request.client else ""
        return {"host": host, "scheme": request.url.scheme}

    @app.get("/framed")
    def framed() -> JSONResponse:
        return JSONResponse({}, headers={"X-Frame-Options": "SAMEORIGIN"})

    @app.get("/broken")
    def broken() -> dict[str, str]:
        raise RuntimeError("broken")

    install_middleware(app, Settings(**settings))
    install_error_handlers(app)
    return app


@pytest.fixture
def client() -> TestClient:
    return TestClient(make_app(max_body_bytes=64), raise_server_exceptions=False)


def assert_secured(headers: Any, csp: str = API_CSP) -> None:
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Content-Security-Policy"] == csp


def test_every_response_has_the_security_headers(client: TestClient) -> None:
    assert_secured(client.get("/client").headers)
    assert_secured(client.get("/nowhere").headers)  # 404
    assert_secured(client.post("/plain", content=b"x" * 65).headers)  # 413
    assert_secured(client.get("/broken").headers)  # 500
    assert "Strict-Transport-Security" not in client.get("/client").headers


def test_a_header_the_route_sets_is_kept(client: TestClient) -> None:
    assert client.get("/framed").headers["X-Frame-Options"] == "SAMEORIGIN"


def origins(html: str, pattern: str) -> set[str]:
    return {
        re.match(r"https?://[^/]+", url).group(0)  # type: ignore[union-attr]
        for url in re.findall(pattern, html)
        if url.startswith("http")
    }


def test_the_documentation_pages_may_load_what_they_load(client: TestClient) -> None:
    """/docs and /redoc get a policy that allows the scripts, styles and images their
    HTML loads (the API's strict one would leave them blank)."""
    policy = {
        directive.split()[0]: directive.split()[1:]
        for directive in DOCS_CSP.split("; ")
    }
    for path in ("/docs", "/redoc"):
        response = client.get(path)
        assert_secured(response.headers, DOCS_CSP)
        html = response.text
        scripts = origins(html, r'<script[^>]*src="([^"]+)"')
        styles = origins(html, r'<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"')
        styles |= origins(html, r'<link[^>]*href="([^"]+)"[^>]*rel="stylesheet"')
        icons = origins(html, r'<link[^>]*rel="shortcut icon"[^>]*href="([^"]+)"')
        assert scripts and (styles or path == "/docs")
        assert scripts <= set(policy["script-src"]), (path, scripts)
        assert styles <= set(policy["style-src"]), (path, styles)
        assert all("https:" in policy["img-src"] for _ in icons)
        if "<script>" in html:  # Swagger UI's inline start-up script
            assert "'unsafe-inline'" in policy["script-src"]
    assert client.get("/docs/oauth2-redirect").headers["Content-Security-Policy"] == (
        DOCS_CSP
    )


def test_hsts_only_over_https_and_when_set() -> None:
    https = TestClient(make_app(hsts_seconds=600), base_url="https://testserver")
    assert https.get("/client").headers["Strict-Transport-Security"] == "max-age=600"
    assert https.get("/nowhere").headers["Strict-Transport-Security"] == "max-age=600"
    http = TestClient(make_app(hsts_seconds=600))
    assert "Strict-Transport-Security" not in http.get("/client").headers
    off = TestClient(make_app(hsts_seconds=0), base_url="https://testserver")
    assert "Strict-Transport-Security" not in off.get("/client").headers


def test_a_body_over_the_limit_is_a_413_in_the_documented_shape(
    client: TestClient,
) -> None:
    response = client.post("/documented", content=b"x" * 65)
    assert response.status_code == 413
    assert response.json() == {
        "code": HTTPStatus(413).name,  # REQUEST_ENTITY_TOO_LARGE, CONTENT_TOO_LARGE
        "message": "The request body is larger than 64 bytes.",
    }
    assert response.headers["X-Request-ID"]


def test_a_body_over_the_limit_is_a_plain_413_where_none_is_documented(
    client: TestClient,
) -> None:
    response = client.post("/plain", content=b"x" * 65)
    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is larger than 64 bytes."}


def test_a_body_at_the_limit_is_read(client: TestClient) -> None:
    assert client.post("/plain", content=b"x" * 64).json() == {"read": 64}


def test_a_chunked_body_over_the_limit_is_a_413(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield from (b"x" * 40, b"y" * 40)

    response = client.post("/documented", content=chunks())
    assert response.status_code == 413
    assert response.json()["message"] == "The request body is larger than 64 bytes."


def run_streamed(app: FastAPI, path: str, headers: list[tuple[bytes, bytes]]) -> Any:
    """Send a body of 100 chunks of 10 bytes straight to the ASGI app: how many chunks
    it pulled, and the status it answered."""
    pulled = 0
    answered: list[int] = []

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": b"z" * 10, "more_body": pulled < 100}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answered.append(message["status"])

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    return pulled, answered


def test_a_streamed_body_is_refused_before_it_is_all_read() -> None:
    app = make_app(max_body_bytes=64)
    pulled, answered = run_streamed(app, "/plain", [])
    assert answered == [413]
    assert pulled == 7  # 70 bytes: over 64, the 93 other chunks never pulled


def test_a_told_length_over_the_limit_is_refused_before_any_byte_is_read() -> None:
    app = make_app(max_body_bytes=64)
    pulled, answered = run_streamed(app, "/plain", [(b"content-length", b"1000")])
    assert (pulled, answered) == (0, [413])


def test_only_the_trusted_hosts_are_served() -> None:
    app = make_app(trusted_hosts=["api.example.com", "127.0.0.1"])
    client = TestClient(app, base_url="http://api.example.com")
    assert client.get("/client").status_code == 200
    refused = client.get("/client", headers={"Host": "evil.example.net"})
    assert refused.status_code == 400
    assert_secured(refused.headers)
    assert refused.headers["X-Request-ID"]
    anyone = TestClient(make_app())  # TRUSTED_HOSTS unset: any host
    assert anyone.get("/client", headers={"Host": "x.example"}).status_code == 200


def test_forwarded_headers_are_believed_only_from_the_allowed_proxies() -> None:
    forwarded = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}
    # TestClient's client address is "testclient".
    behind = TestClient(make_app(forwarded_allow_ips="testclient"))
    response = behind.get("/client", headers=forwarded)
    assert response.json() == {"host": "203.0.113.7", "scheme": "https"}
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    direct = TestClient(make_app(forwarded_allow_ips="10.0.0.1"))
    assert direct.get("/client", headers=forwarded).json() == {
        "host": "testclient",
        "scheme": "http",
    }
    unset = TestClient(make_app())
    assert unset.get("/client", headers=forwarded).json()["host"] == "testclient"
