"""Request ids, the access line, unhandled errors logged once, and redacted logs
(src/core/observability.py)."""

import io
import json
import logging
import sys
import uuid
from collections.abc import Iterator

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from pydantic import BaseModel

from src.core.config import Settings
from src.core.errors import install_error_handlers
from src.core.middleware import install_middleware
from src.core.observability import (
    REDACTED,
    JsonFormatter,
    TextFormatter,
    configure_logging,
    log_access,
    redacted,
    redacted_text,
)


class Traced(BaseModel):
    code: str
    message: str
    requestId: str  # noqa: N815 (the contract's name)


class Closed(BaseModel):
    status: int
    detail: str


def make_app(*, debug: bool = False) -> FastAPI:
    app = FastAPI(debug=debug)
    router = APIRouter()

    @router.get("/items/{item_id}")
    def read_item(item_id: str) -> dict[str, str]:
        return {"id": item_id}

    @router.get("/traced/{item_id}", responses={500: {"model": Traced}})
    def traced(item_id: str) -> dict[str, str]:
        raise RuntimeError(f"broken with password={item_id}")

    @router.get("/closed", responses={500: {"model": Closed}})
    def closed() -> dict[str, str]:
        raise RuntimeError("broken")

    app.include_router(router, prefix="/api")
    install_middleware(app, Settings())
    install_error_handlers(app)
    return app


@pytest.fixture
def client() -> TestClient:
    # A server answers the 500 and does not raise it.
    return TestClient(make_app(), raise_server_exceptions=False)


@pytest.fixture
def root_logging() -> Iterator[None]:
    """Leave the root logger and uvicorn's as the test found them."""
    names = ("", "uvicorn", "uvicorn.error", "uvicorn.access")
    saved = [
        (logger, logger.handlers[:], logger.level, logger.propagate, logger.disabled)
        for logger in map(logging.getLogger, names)
    ]
    yield
    for logger, handlers, level, propagate, disabled in saved:
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate, logger.disabled = propagate, disabled


def test_a_sane_request_id_is_answered_back(client: TestClient) -> None:
    sent = "req-42.a:b_C~d+e/f="
    response = client.get("/api/items/1", headers={"X-Request-ID": sent})
    assert response.headers["X-Request-ID"] == sent


@pytest.mark.parametrize(
    "sent", [None, "", "x" * 129, "two words", "a\tb", "<script>", "a;b", "a,b"]
)
def test_a_missing_or_insane_request_id_is_replaced_by_a_uuid4(
    client: TestClient, sent: str | None
) -> None:
    headers = {} if sent is None else {"X-Request-ID": sent}
    answered = client.get("/api/items/1", headers=headers).headers["X-Request-ID"]
    assert answered != sent
    assert uuid.UUID(answered).version == 4


def test_errors_carry_the_request_id_too(client: TestClient) -> None:
    for url in ("/nowhere", "/api/closed"):
        response = client.get(url, headers={"X-Request-ID": "err-1"})
        assert response.status_code in (404, 500)
        assert response.headers["X-Request-ID"] == "err-1"


def test_one_access_line_per_request_names_the_route_template(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        client.get("/api/items/secret-looking-id", headers={"X-Request-ID": "acc-1"})
    lines = [r for r in caplog.records if r.name == "src.access"]
    assert len(lines) == 1
    line = lines[0]
    assert line.__dict__["method"] == "GET"
    assert line.__dict__["route"] == "/api/items/{item_id}"
    assert line.__dict__["status"] == 200
    assert line.__dict__["duration_ms"] >= 0
    assert "secret-looking-id" not in line.getMessage()
    assert JsonFormatter().format(line).count('"request_id": "acc-1"') == 1


JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"


def test_the_access_line_is_built_from_safe_parts_and_logged_as_it_is(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    """A method no standard names (the client's own text) is redacted; the path never
    shows, its template does; the line is marked so that no formatter redacts it again,
    in text or JSON."""
    with caplog.at_level(logging.INFO):
        client.get(f"/api/items/token={JWT}")
        log_access({"type": "http", "method": JWT, "path": f"/{JWT}"}, 405, 1.5)
    standard, odd = [r for r in caplog.records if r.name == "src.access"]
    assert standard.getMessage().startswith("GET /api/items/{item_id} 200 ")
    assert odd.getMessage() == f"{REDACTED} (no route) 405 1.50 ms"
    assert odd.__dict__["method"] == REDACTED and odd.__dict__["route"] is None
    for record in (standard, odd):
        line = json.loads(JsonFormatter().format(record))
        assert line["message"] == record.getMessage()
        assert line["method"] == record.__dict__["method"]
        assert JWT not in json.dumps(line) and "_built_from" not in json.dumps(line)
        assert TextFormatter().format(record).endswith(record.getMessage())


def test_a_record_marked_safe_still_has_its_traceback_redacted() -> None:
    try:
        raise ValueError(f"bad token={JWT}")
    except ValueError:
        record = logging.getLogger("t").makeRecord(
            "t",
            logging.ERROR,
            __file__,
            1,
            "failed with password=%s",
            ("hunter2",),
            exc_info=sys.exc_info(),
            extra={"_built_from_safe_parts": True, "api_key": "k1"},
        )
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == f"failed with password={REDACTED}"
    assert line["api_key"] == REDACTED and JWT not in line["exception"]
    assert "hunter2" not in TextFormatter().format(record)


def test_an_unhandled_error_is_logged_once_and_answered_in_the_documented_shape(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        response = client.get("/api/traced/hunter2", headers={"X-Request-ID": "boom-1"})
    assert response.status_code == 500
    # The schema has a field for the request id: it is filled.
    assert response.json() == {
        "code": "INTERNAL_SERVER_ERROR",
        "message": "Internal server error.",
        "requestId": "boom-1",
    }
    assert "hunter2" not in response.text
    errors = [r for r in caplog.records if r.exc_info]
    assert len(errors) == 1 and errors[0].levelno == logging.ERROR
    logged = JsonFormatter().format(errors[0])
    assert json.loads(logged)["request_id"] == "boom-1"
    assert "RuntimeError" in logged and "hunter2" not in logged
    assert [r.__dict__["status"] for r in caplog.records if r.name == "src.access"] == [
        500
    ]


def test_no_field_is_invented_where_the_500_schema_has_none(client: TestClient) -> None:
    response = client.get("/api/closed", headers={"X-Request-ID": "boom-2"})
    assert response.json() == {"status": 500, "detail": "Internal server error."}
    assert response.headers["X-Request-ID"] == "boom-2"


def test_in_debug_mode_the_traceback_is_still_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = TestClient(make_app(debug=True), raise_server_exceptions=False)
    with caplog.at_level(logging.INFO):
        response = client.get("/api/closed")
    assert response.status_code == 500
    assert len([r for r in caplog.records if r.exc_info]) == 1


def test_a_failing_error_handler_still_gets_a_500_with_the_request_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = make_app()

    @app.exception_handler(Exception)
    async def failing(request: object, exc: Exception) -> JSONResponse:
        raise LookupError("the handler broke")

    client = TestClient(app, raise_server_exceptions=False)
    with caplog.at_level(logging.INFO):
        response = client.get("/api/closed", headers={"X-Request-ID": "f-1"})
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error."}
    assert response.headers["X-Request-ID"] == "f-1"
    assert [str(r.exc_info[1]) for r in caplog.records if r.exc_info] == [
        "the handler broke"
    ]


def test_a_test_client_still_gets_the_error_raised() -> None:
    with pytest.raises(RuntimeError, match="broken"):
        TestClient(make_app()).get("/api/closed")


@pytest.mark.usefixtures("root_logging")
def test_uvicorn_does_not_log_again_what_the_app_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """uvicorn logs every exception the app raises, "Exception in ASGI application"
    with its traceback, on uvicorn.error: not those the app has logged."""
    configure_logging("INFO", "json")
    uvicorn_logger = logging.getLogger("uvicorn.error")
    with caplog.at_level(logging.INFO):
        try:
            TestClient(make_app()).get("/api/closed")
        except RuntimeError as logged:
            uvicorn_logger.error("Exception in ASGI application\n", exc_info=logged)
        try:
            raise RuntimeError("not the app's")
        except RuntimeError as other:
            uvicorn_logger.error("Exception in ASGI application\n", exc_info=other)
    errors = [r for r in caplog.records if r.exc_info]
    assert [(r.name, str(r.exc_info[1])) for r in errors if r.exc_info] == [
        ("src.errors", "broken"),
        ("uvicorn.error", "not the app's"),
    ]


def test_secrets_are_redacted_from_keys_and_text() -> None:
    assert redacted(
        {
            "password": "p",
            "X-API-Key": "k",
            "nested": {"refreshToken": "t", "name": "n"},
            "items": [{"client_secret": "s"}],
            "count": 3,
        }
    ) == {
        "password": REDACTED,
        "X-API-Key": REDACTED,
        "nested": {"refreshToken": REDACTED, "name": "n"},
        "items": [{"client_secret": REDACTED}],
        "count": 3,
    }
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
    text = redacted_text(
        f"login password=hunter2 token: {jwt} {{'api_key': 'k1'}} "
        'cookie="session=abc" Authorization: Bearer abc.def user=alice'
    )
    for secret in ("hunter2", jwt, "k1", "session=abc", "abc.def"):
        assert secret not in text
    assert "user=alice" in text


def test_json_lines_carry_fields_redacted_and_the_traceback() -> None:
    try:
        raise ValueError("bad secret=s3cr3t")
    except ValueError:
        record = logging.getLogger("t").makeRecord(
            "t",
            logging.ERROR,
            __file__,
            1,
            "failed for %s with token=%s",
            ("alice", "tok-1"),
            exc_info=sys.exc_info(),
            extra={"user": {"password": "p", "id": 7}},
        )
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "ERROR" and line["logger"] == "t"
    assert line["message"] == f"failed for alice with token={REDACTED}"
    assert line["user"] == {"password": REDACTED, "id": 7}
    assert "ValueError" in line["exception"] and "s3cr3t" not in line["exception"]


def test_each_json_line_has_its_own_records_time() -> None:
    formatter = JsonFormatter()  # writes each second once, for the records made in it
    written = []
    seconds = (1_700_000_000.25, 1_700_000_000.75, 1_700_000_001.5, 1_699_999_999.0)
    for created in seconds:
        record = logging.makeLogRecord({"msg": "m"})
        record.created, record.msecs = created, (created % 1) * 1000
        written.append(json.loads(formatter.format(record))["time"])
    assert written == [
        "2023-11-14T22:13:20.250Z",
        "2023-11-14T22:13:20.750Z",
        "2023-11-14T22:13:21.500Z",
        "2023-11-14T22:13:19.000Z",
    ]


def test_text_lines_are_redacted_too() -> None:
    record = logging.makeLogRecord(
        {"name": "t", "levelno": logging.INFO, "levelname": "INFO"}
        | {"msg": "password=%s", "args": ("hunter2",)}
    )
    line = TextFormatter().format(record)
    assert line.endswith(f"INFO t password={REDACTED}")


@pytest.mark.usefixtures("root_logging")
def test_logging_is_configured_once_per_process_and_uvicorns_access_log_is_off() -> (
    None
):
    configure_logging("WARNING", "json")
    configure_logging("DEBUG", "json")
    root = logging.getLogger()
    ours = [h for h in root.handlers if isinstance(h.formatter, JsonFormatter)]
    assert len(ours) == 1 and root.level == logging.DEBUG
    assert logging.getLogger("uvicorn.access").disabled
    assert logging.getLogger("uvicorn.error").propagate
    assert not logging.getLogger("uvicorn").handlers
    configure_logging("INFO", "auto", "development")
    assert any(isinstance(h.formatter, TextFormatter) for h in root.handlers)
    configure_logging("INFO", "auto", "production")
    assert any(isinstance(h.formatter, JsonFormatter) for h in root.handlers)


@pytest.mark.usefixtures("root_logging")
def test_the_records_of_a_request_are_json_lines_with_its_id() -> None:
    configure_logging("INFO", "json")
    stream = io.StringIO()
    handlers = logging.getLogger().handlers
    handler = next(h for h in handlers if isinstance(h.formatter, JsonFormatter))
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(stream)
    TestClient(make_app()).get("/api/items/7", headers={"X-Request-ID": "j-1"})
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    access = [line for line in lines if line["logger"] == "src.access"]
    assert len(access) == 1
    assert access[0]["request_id"] == "j-1"
    assert access[0]["route"] == "/api/items/{item_id}"
