"""The generated app's runtime layers under uvicorn (issue 17, runtime): request ids,
JSON access lines, an unhandled error logged once (not again by uvicorn) and answered in
the contract's 500 shape, 413 in the contract's shape for a body over MAX_BODY_BYTES
(told by Content-Length or chunked), security headers; and the served document still the
contract's (the layers add no response, no parameter).

A contract of its own is generated (the bundled example documents neither 413 nor 500),
two of its service stubs made to raise, and the project's app served by uvicorn on a
loopback port, as the production command serves it.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from http import HTTPStatus
from pathlib import Path
from typing import Any

import pytest

from generators.generate import generate
from tests.helpers import lay_out_template, run_fidelity, stop_servers

CONTRACT = """\
openapi: 3.1.0
info: {title: Runtime layers, version: 1.0.0}
paths:
  /notes:
    post:
      operationId: createNote
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewNote'}
      responses:
        '201':
          description: Created.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/NewNote'}
        '413':
          description: Too large.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Envelope'}
  /notes/{noteId}:
    get:
      operationId: getNote
      parameters:
        - {name: noteId, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: The note.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/NewNote'}
        default:
          description: Any error.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Envelope'}
  /boom:
    get:
      operationId: boom
      responses:
        '200': {description: Never.}
        '500':
          description: Server error.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Closed'}
components:
  schemas:
    NewNote:
      type: object
      required: [text]
      properties:
        text: {type: string}
    Envelope:
      type: object
      required: [error]
      properties:
        error:
          type: object
          required: [code, message]
          properties:
            code: {type: string}
            message: {type: string}
            requestId: {type: string}
    Closed:
      type: object
      additionalProperties: false
      required: [status, detail]
      properties:
        status: {type: integer}
        detail: {type: string}
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("runtime") / "project"
    lay_out_template(root)
    (root / "specs/openapi.yaml").write_text(CONTRACT, encoding="utf-8")
    generate(root / "specs/openapi.yaml", None, root)
    for module in (root / "src/services").glob("*.py"):
        text = module.read_text(encoding="utf-8")
        for operation in ("getNote", "boom"):
            stub = f'raise ServiceNotImplementedError("{operation}")'
            text = text.replace(stub, 'raise RuntimeError(f"broken: password=hunter2")')
        module.write_text(text, encoding="utf-8")
    return root


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


Answer = tuple[int, dict[str, str], Any]


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    *,
    chunked: bool = False,
) -> Answer:
    """Status, headers (lower-case names) and JSON body (else text) of one request."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        sent = dict(headers or {})
        if chunked:
            sent["Transfer-Encoding"] = "chunked"
            chunks = iter([body[i : i + 16] for i in range(0, len(body or b""), 16)])
            connection.request(method, path, chunks, sent, encode_chunked=True)
        else:
            connection.request(method, path, body, sent)
        response = connection.getresponse()
        raw = response.read().decode()
        answered = {name.lower(): value for name, value in response.getheaders()}
    finally:
        connection.close()
    try:
        return response.status, answered, json.loads(raw)
    except ValueError:
        return response.status, answered, raw


@contextlib.contextmanager
def served(project: Path, log: Path) -> Iterator[int]:
    """The project's app under uvicorn on a loopback port, its output in ``log``."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("API_PREFIX", "PYTHONPATH")}
    env.update(
        ENVIRONMENT="test",
        LOG_FORMAT="json",
        MAX_BODY_BYTES="64",
        DATABASE_URL=f"sqlite:///{project / 'app.db'}",
    )
    command = [sys.executable, "-m", "uvicorn", "src.main:app", "--port", str(port)]
    with log.open("w") as output:
        server = subprocess.Popen(
            command, cwd=project, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        for _ in range(150):  # up to 30 s to listen
            assert server.poll() is None, log.read_text()
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            time.sleep(0.2)
        yield port
    finally:
        stop_servers(server)


@pytest.fixture(scope="module")
def run(project: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Each request's answer, then every line uvicorn's process wrote."""
    log = tmp_path_factory.mktemp("runtime-log") / "uvicorn.log"
    big = json.dumps({"text": "x" * 100}).encode()
    json_type = {"Content-Type": "application/json"}
    with served(project, log) as port:
        answers = {
            "unhandled": request(port, "GET", "/notes/n-1", headers={"X-Request-ID": "r-1"}),
            "closed": request(port, "GET", "/boom", headers={"X-Request-ID": "r-2"}),
            "told": request(port, "POST", "/notes", big, {**json_type, "X-Request-ID": "r-3"}),
            "chunked": request(
                port, "POST", "/notes", big, {**json_type, "X-Request-ID": "r-4"}, chunked=True
            ),
            "bad id": request(port, "GET", "/openapi.json", headers={"X-Request-ID": "no good"}),
            "docs": request(port, "GET", "/docs", headers={"X-Request-ID": "r-6"}),
        }
    lines = log.read_text().splitlines()
    return {"answers": answers, "lines": lines, "text": log.read_text()}


def test_every_line_is_json_and_no_secret_is_logged(run: dict[str, Any]) -> None:
    records = [json.loads(line) for line in run["lines"]]
    assert records and all({"time", "level", "logger", "message"} <= set(r) for r in records)
    assert "hunter2" not in run["text"]


def test_an_unhandled_error_is_logged_once_with_its_traceback(run: dict[str, Any]) -> None:
    """Two 500s, two tracebacks: uvicorn never sees the error (on main it logged each
    again, "Exception in ASGI application")."""
    records = [json.loads(line) for line in run["lines"]]
    errors = [r for r in records if "exception" in r]
    assert sorted(r["request_id"] for r in errors) == ["r-1", "r-2"]
    assert run["text"].count("Traceback (most recent call last)") == 2
    assert "Exception in ASGI application" not in run["text"]
    assert all("RuntimeError: broken: password=[REDACTED]" in r["exception"] for r in errors)


def test_the_500_carries_the_request_id_where_its_schema_has_room(
    run: dict[str, Any],
) -> None:
    status, headers, body = run["answers"]["unhandled"]
    assert status == 500 and headers["x-request-id"] == "r-1"
    assert body == {
        "error": {
            "code": "INTERNAL_SERVER_ERROR",
            "message": "Internal server error.",
            "requestId": "r-1",
        }
    }
    status, headers, body = run["answers"]["closed"]  # additionalProperties: false
    assert (status, headers["x-request-id"]) == (500, "r-2")
    assert body == {"status": 500, "detail": "Internal server error."}


@pytest.mark.parametrize("name", ["told", "chunked"])
def test_a_body_over_max_body_bytes_is_the_documented_413(run: dict[str, Any], name: str) -> None:
    status, headers, body = run["answers"][name]
    assert status == 413
    assert body == {
        "error": {
            "code": HTTPStatus(413).name,
            "message": "The request body is larger than 64 bytes.",
            "requestId": headers["x-request-id"],
        }
    }


def test_one_access_line_per_request_with_its_route_template(run: dict[str, Any]) -> None:
    records = [json.loads(line) for line in run["lines"]]
    access = [r for r in records if r["logger"] == "src.access"]
    by_id = {r["request_id"]: r for r in access}
    assert len(by_id) == len(access) == len(run["answers"])
    assert {k: by_id[k]["route"] for k in ("r-1", "r-3", "r-6")} == {
        "r-1": "/notes/{noteId}",
        "r-3": "/notes",
        "r-6": "/docs",
    }
    assert [by_id[k]["status"] for k in ("r-1", "r-2", "r-3", "r-4", "r-6")] == [
        500,
        500,
        413,
        413,
        200,
    ]
    assert all(r["method"] and r["duration_ms"] >= 0 for r in access)
    assert not any("n-1" in json.dumps(r) for r in access)  # the raw path is not logged
    assert not any(r["logger"] == "uvicorn.access" for r in records)


def test_an_insane_request_id_is_replaced(run: dict[str, Any]) -> None:
    _, headers, _ = run["answers"]["bad id"]
    assert headers["x-request-id"] not in ("no good", "")
    assert len(headers["x-request-id"]) == 36  # a uuid4


def test_every_answer_has_the_security_headers(run: dict[str, Any]) -> None:
    for name, (_, headers, _) in run["answers"].items():
        assert headers["x-content-type-options"] == "nosniff", name
        assert headers["x-frame-options"] == "DENY", name
        assert headers["referrer-policy"] == "no-referrer", name
        assert "frame-ancestors 'none'" in headers["content-security-policy"], name
    assert "cdn.jsdelivr.net" in run["answers"]["docs"][1]["content-security-policy"]


def test_the_served_document_is_still_the_contracts(project: Path) -> None:
    result, report = run_fidelity(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert report is not None
