"""Errors leave in the shape and media type the route documents, with the status the
route documents."""

import copy
from typing import Any, Literal
from xml.etree import ElementTree

import pytest
from fastapi import APIRouter, FastAPI, HTTPException
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy.exc import DataError

from src.core.bodies import ContractRoute
from src.core.errors import ApiError, ServiceNotImplementedError, install_error_handlers
from src.core.openapi import served_openapi


class Detail(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    code: str
    message: str
    details: list[Detail] | None = None


class Envelope(BaseModel):
    success: Literal[False]
    error: Problem


class Flat(BaseModel):
    status: int
    detail: str


DOCUMENTED = {
    400: {"model": Envelope, "description": "Bad input"},
    404: {"model": Envelope, "description": "Not found"},
    409: {"model": Envelope, "description": "Conflict"},
    500: {"model": Flat, "description": "Server error"},
    501: {"model": Flat, "description": "Not implemented"},
}


def make_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    app.openapi = lambda: served_openapi(app)  # type: ignore[method-assign]

    @app.get("/items/{item_id}", responses=DOCUMENTED)  # type: ignore[arg-type]
    def read_item(item_id: int, limit: int = 10) -> dict[str, int]:
        if item_id == 409:
            raise ApiError(409, "Already there", code="DUPLICATE")
        if item_id == 500:
            raise RuntimeError("secret internals")
        if item_id == 501:
            raise ServiceNotImplementedError("readItem")
        if item_id == 0:  # as psycopg refuses a NUL character in PostgreSQL's text
            raise DataError("INSERT INTO items", {}, Exception(NUL_REFUSED))
        return {"id": item_id, "limit": limit}

    @app.get("/plain/{item_id}")
    def plain(item_id: int) -> dict[str, int]:
        if item_id == 0:
            raise DataError("SELECT", {}, Exception("bigint out of range"))
        if item_id >= 2**63 or item_id == 2:  # as sqlite3 refuses a key past 64 bits
            raise OverflowError("Python int too large to convert to SQLite INTEGER")
        raise HTTPException(403, "No.")

    @app.get("/declares-422", responses={422: {"description": "Unprocessable"}})
    def declares(limit: int) -> dict[str, int]:
        return {"limit": limit}

    return app


@pytest.fixture
def client() -> TestClient:
    return TestClient(make_app(), raise_server_exceptions=False)


def test_bad_input_gets_the_documented_status_and_shape(client: TestClient) -> None:
    response = client.get("/items/1", params={"limit": "many"})
    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False
    assert body["error"]["code"] == "VALIDATION_ERROR"
    assert body["error"]["details"] == [
        {"field": "query.limit", "message": body["error"]["details"][0]["message"]}
    ]


def test_a_malformed_path_id_is_a_documented_404(client: TestClient) -> None:
    response = client.get("/items/abc")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "NOT_FOUND"


def test_errors_raised_on_purpose_keep_their_code(client: TestClient) -> None:
    response = client.get("/items/409")
    assert response.status_code == 409
    assert response.json()["error"] == {"code": "DUPLICATE", "message": "Already there"}


def test_unexpected_errors_say_nothing_of_the_internals(client: TestClient) -> None:
    response = client.get("/items/500")
    assert response.status_code == 500
    assert response.json() == {"status": 500, "detail": "Internal server error."}
    assert "secret" not in response.text


NUL_REFUSED = "PostgreSQL text fields cannot contain NUL (0x00) bytes"


def test_a_value_the_database_refuses_is_bad_input(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    """A value the database cannot take is the request's fault: the status the route
    documents for bad input (else 422), in its shape; the database's words are logged,
    not answered."""
    response = client.get("/items/0")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR", error
    assert "NUL" not in response.text and "INSERT" not in response.text
    assert NUL_REFUSED in caplog.text
    undocumented = client.get("/plain/0")
    assert undocumented.status_code == 422
    assert "bigint" not in undocumented.text


def test_a_key_past_64_bits_names_nothing(client: TestClient) -> None:
    """SQLite's driver refuses an integer past 64 bits (OverflowError, not DataError):
    bad input, not a 500; in the path, a key no row can hold, 404."""
    past = client.get(f"/plain/{2**70}")
    assert past.status_code == 404, past.text
    assert "SQLite" not in past.text
    assert client.get("/plain/2").status_code == 422  # refused, yet the key fits


def test_an_unfilled_service_is_a_501(client: TestClient) -> None:
    response = client.get("/items/501")
    assert response.status_code == 501
    assert "readItem" in response.json()["detail"]


def test_undocumented_errors_fall_back_to_detail(client: TestClient) -> None:
    assert client.get("/plain/1").json() == {"detail": "No."}
    assert client.get("/plain/x").status_code == 422
    assert client.get("/nowhere").json() == {"detail": "Not Found"}


def test_only_declared_422_responses_are_advertised(client: TestClient) -> None:
    document = client.app.openapi()  # type: ignore[attr-defined]
    paths = document["paths"]
    assert "422" not in paths["/items/{item_id}"]["get"]["responses"]
    assert "422" not in paths["/plain/{item_id}"]["get"]["responses"]
    assert "422" in paths["/declares-422"]["get"]["responses"]
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_a_405_names_every_method_served_at_the_path() -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/things")
    def read() -> dict[str, str]:
        return {}

    @app.post("/things")
    def create() -> dict[str, str]:
        return {}

    answer = TestClient(app).put("/things")
    assert answer.status_code == 405
    assert answer.headers["allow"] == "GET, POST"


class ValidationErrorModel(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class HTTPValidationError(BaseModel):
    detail: list[ValidationErrorModel] | None = None


class ErrorXml(BaseModel):
    code: str
    message: str


class ProblemModel(BaseModel):
    type: str
    title: str
    status: int
    detail: str | None = None


def written_out_app() -> FastAPI:
    """Routes whose errors are written out (``src/core/responses.py``), in other media
    types than JSON, as the generated routers write them."""
    app = FastAPI()
    install_error_handlers(app)
    app.openapi = lambda: served_openapi(app)  # type: ignore[method-assign]
    router = APIRouter(route_class=ContractRoute)

    def media(kind: str, schema: dict[str, Any]) -> dict[str, Any]:
        return {"description": kind, "content": {kind: {"schema": schema}}}

    @router.get(
        "/problems/{item_id}",
        responses={
            400: media("application/problem+json", {"$ref": ProblemModel}),
            403: media("application/problem+xml", {"$ref": ProblemModel}),
            404: media("text/plain", {"type": "string"}),
            409: media("application/xml", {"$ref": ErrorXml}),
        },
    )
    def problems(item_id: int, limit: int = 0) -> dict[str, int]:
        raise ApiError(item_id, f"Refused with {item_id}")

    @router.post(
        "/fastapi-shaped",
        responses={422: media("application/json", {"$ref": HTTPValidationError})},
    )
    def fastapi_shaped(limit: int) -> dict[str, int]:
        return {"limit": limit}

    app.include_router(router)
    app.state.router = router
    return app


def test_errors_leave_in_the_documented_media_type_and_shape() -> None:
    client = TestClient(written_out_app())
    bad = client.get("/problems/1", params={"limit": "many"})
    assert bad.status_code == 400
    assert bad.headers["content-type"] == "application/problem+json"
    assert bad.json() == {
        "type": "about:blank",
        "title": "Bad Request",
        "status": 400,
        "detail": "The request is not valid.",
    }
    plain = client.get("/problems/404")
    assert plain.status_code == 404
    assert plain.headers["content-type"].startswith("text/plain")
    assert plain.text == "Refused with 404"


def test_xml_errors_are_the_xml_of_the_documented_schema() -> None:
    client = TestClient(written_out_app())
    conflict = client.get("/problems/409")
    assert conflict.headers["content-type"] == "application/xml"
    root = ElementTree.fromstring(conflict.content)
    assert root.tag == "ErrorXml"
    assert {child.tag: child.text for child in root} == {
        "code": "CONFLICT",
        "message": "Refused with 409",
    }
    refused = client.get("/problems/403")
    assert refused.headers["content-type"] == "application/problem+xml"
    problem = ElementTree.fromstring(refused.content)
    assert problem.tag == "{urn:ietf:rfc:7807}problem"  # RFC 9457, appendix B
    assert {child.tag: child.text for child in problem}["status"] == "403"


def test_a_declared_fastapi_validation_error_is_served_and_answered() -> None:
    client = TestClient(written_out_app())
    answer = client.post("/fastapi-shaped", params={"limit": "many"})
    assert answer.status_code == 422
    (error,) = answer.json()["detail"]
    assert error["loc"] == ["query", "limit"]
    assert error["type"] == "int_parsing"
    document = client.app.openapi()  # type: ignore[attr-defined]
    operation = document["paths"]["/fastapi-shaped"]["post"]
    assert operation["responses"]["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/HTTPValidationError"
    }
    served = document["components"]["schemas"]
    detail = served["HTTPValidationError"]["properties"]["detail"]
    # the route's own model, not FastAPI's of the same name
    assert detail["anyOf"][0]["items"] == {
        "$ref": "#/components/schemas/ValidationErrorModel"
    }
    problems = document["paths"]["/problems/{item_id}"]["get"]["responses"]
    assert list(problems["403"]["content"]) == ["application/problem+xml"]
    assert "ErrorXml" in served and "ProblemModel" in served


def test_inline_schemas_are_filled_by_their_field_names() -> None:
    """Schemas written out without a model: ``allOf``, an enum, a string status, a
    required flag, details as strings, and an object in a text media type."""
    app = FastAPI()
    install_error_handlers(app)
    router = APIRouter(route_class=ContractRoute)
    inline = {
        "allOf": [
            {
                "type": "object",
                "required": ["ok", "kind"],
                "properties": {
                    "ok": {"type": "boolean"},
                    "kind": {"type": "string", "enum": ["oops", "NOT_FOUND"]},
                },
            },
            {
                "type": "object",
                "properties": {
                    "status": {"type": "string"},
                    "type": {"type": "string", "format": "uri"},
                    "errors": {"type": "array", "items": {"type": "string"}},
                },
            },
        ]
    }
    text = {"type": "object", "properties": {"message": {"type": "string"}}}

    @router.get(
        "/inline/{item_id}",
        responses={
            404: {"content": {"application/json": {"schema": inline}}},
            "5XX": {"content": {"text/html": {"schema": text}}},
        },
    )
    def inline_errors(item_id: int) -> dict[str, int]:
        details = [{"field": "item_id", "message": "unknown"}]
        raise ApiError(item_id, "No such item", details=details)

    app.include_router(router)
    client = TestClient(app)
    missing = client.get("/inline/404")
    assert missing.json() == {
        "ok": False,
        "kind": "NOT_FOUND",
        "status": "404",
        "type": "about:blank",
        "errors": ["item_id: unknown"],
    }
    # a status of no phrase and no name: still in the range's shape
    unknown = client.get("/inline/599")
    assert unknown.status_code == 599
    assert unknown.headers["content-type"].startswith("text/html")
    assert unknown.text == "No such item"


def test_a_route_built_again_from_its_responses_keeps_their_models() -> None:
    """``include_router`` before FastAPI 0.16x builds each route again from the
    route's (rewritten) ``responses``: the models must survive that, and copies."""
    routes = written_out_app().state.router.routes
    route = next(r for r in routes if r.path == "/problems/{item_id}")
    assert isinstance(route, ContractRoute)
    again = ContractRoute(
        route.path,
        route.endpoint,
        methods=route.methods,
        responses=copy.deepcopy(route.responses),
    )
    assert again.documented_models == route.documented_models
    assert set(again.named_models) == {ProblemModel, ErrorXml}
    schema = again.responses[409]["content"]["application/xml"]["schema"]
    assert schema == {"$ref": "#/components/schemas/ErrorXml"}
