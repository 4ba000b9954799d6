"""Parameters FastAPI cannot read itself (src/core/parameters.py), on an app of the test's
own: each route declares one parameter as the generated routers do,
``Annotated[T, Depends(ContractParameter({...}, "3.1"))]``, and answers the value it got.
Every location, ``style`` and ``explode``, ``content`` parameters, coercion, the
contract's schema (formats, enums, the dialect) and the handler's type are enforced; bad
input is answered as FastAPI's validation errors are."""

from datetime import date
from typing import Annotated, Any

import pytest
from fastapi import APIRouter, Depends, FastAPI
from fastapi.testclient import TestClient

from src.core.bodies import ContractRoute
from src.core.openapi import served_openapi
from src.core.parameters import ContractParameter, coerce, declared_parameters

Json = dict[str, Any]
INTEGER: Json = {"type": "integer"}
INTEGERS: Json = {"type": "array", "items": INTEGER}
RGB: Json = {
    "type": "object",
    "properties": {"R": INTEGER, "G": INTEGER, "B": INTEGER},
    "additionalProperties": False,
}


def served(
    declaration: Json, dialect: str = "3.1", claimed: tuple[str, ...] = ()
) -> TestClient:
    """An app whose one route, ``/p`` (``/p/{name}`` for a path parameter), answers
    ``{"value": ...}``: the parameter as ``declaration`` describes it."""
    parameter = ContractParameter(declaration, dialect, claimed=claimed)
    router = APIRouter(route_class=ContractRoute)
    path = f"/p/{{{declaration['name']}}}" if declaration["in"] == "path" else "/p"

    @router.get(path)
    def echo(value: Annotated[Any, Depends(parameter)]) -> Json:
        return {"value": value}

    app = FastAPI()
    app.include_router(router)
    return TestClient(app)


def query(schema: Json, **declared: Any) -> Json:
    return {"name": "color", "in": "query", "schema": schema, **declared}


def querystring(
    schema: Json, media_type: str = "application/x-www-form-urlencoded", **declared: Any
) -> Json:
    """OpenAPI 3.2's whole query string as one parameter (``encoding``: its fields')."""
    encoding = declared.pop("encoding", None)
    media: Json = {"schema": schema, **({"encoding": encoding} if encoding else {})}
    return {
        "name": "color",
        "in": "querystring",
        "content": {media_type: media},
        **declared,
    }


FILTERS: Json = {
    "type": "object",
    "properties": {
        "n": INTEGER,
        "tags": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": INTEGER,
}


def path(schema: Json, **declared: Any) -> Json:
    return {
        "name": "color",
        "in": "path",
        "required": True,
        "schema": schema,
        **declared,
    }


# (declaration, request path after /p, headers) → the value the route gets
READ: list[tuple[Json, str, dict[str, str], Any]] = [
    # query, form
    (query(INTEGER), "?color=5", {}, 5),
    (query(INTEGER), "?color=1&color=2", {}, 2),  # a repeated value: the last
    (query(INTEGERS), "?color=1&color=2", {}, [1, 2]),
    (query(INTEGERS, explode=False), "?color=1,2", {}, [1, 2]),
    (query(RGB), "?R=1&G=2&other=x", {}, {"R": 1, "G": 2}),
    (query(RGB, explode=False), "?color=R,1,G,2", {}, {"R": 1, "G": 2}),
    (query(RGB, explode=False), "?color=", {}, {}),
    # query, delimited
    (
        query(INTEGERS, style="spaceDelimited", explode=False),
        "?color=1%202",
        {},
        [1, 2],
    ),
    (query(INTEGERS, style="pipeDelimited", explode=False), "?color=1|2", {}, [1, 2]),
    # query, deepObject
    (
        query(RGB, style="deepObject", explode=True),
        "?color[R]=1&color[G]=2",
        {},
        {"R": 1, "G": 2},
    ),
    (
        query(
            {
                "type": "object",
                "properties": {"a": {"type": "object", "properties": {"b": INTEGER}}},
            },
            style="deepObject",
        ),
        "?color[a][b]=1&color[a]x=2&colorx[a]=3",
        {},
        {"a": {"b": 1}},
    ),
    (query(INTEGERS, style="deepObject"), "?color[]=1&color[]=2", {}, [1, 2]),
    (query(INTEGERS, style="deepObject"), "?color[1]=2&color[0]=1", {}, [1, 2]),
    (query(INTEGERS, style="deepObject"), "?color=1", {}, [1]),
    (
        query({"type": "array", "items": RGB}, style="deepObject"),
        "?color[0][R]=1&color[1][G]=2",
        {},
        [{"R": 1}, {"G": 2}],
    ),
    (
        query(
            {"anyOf": [{"type": "object", "properties": {"gt": INTEGER}}, INTEGER]},
            style="deepObject",
        ),
        "?color[gt]=1",
        {},
        {"gt": 1},
    ),
    (
        query(
            {"anyOf": [{"type": "object", "properties": {"gt": INTEGER}}, INTEGER]},
            style="deepObject",
        ),
        "?color=5",
        {},
        5,
    ),
    # query, scalars as the schema wants them
    (query({"type": "number"}), "?color=1.5", {}, 1.5),
    (query({"type": "number"}), "?color=2.0", {}, 2),
    (query({"type": "number", "format": "double"}), "?color=1e3", {}, 1000.0),
    (query({"type": "boolean"}), "?color=yes", {}, True),
    (query({"type": "boolean"}), "?color=off", {}, False),
    (query({"type": ["boolean", "string"]}), "?color=yes", {}, "yes"),
    (query({"type": ["boolean", "string"]}), "?color=false", {}, False),
    (query({"type": ["integer", "null"]}), "?color=", {}, None),
    (query({"enum": [1, 2, None]}), "?color=null", {}, None),
    (query({"enum": [1, 2.5, True, "a", None]}), "?color=2.5", {}, 2.5),
    (query({"allOf": [INTEGER, {"minimum": 1}]}), "?color=3", {}, 3),
    (query({"items": INTEGER}), "?color=1&color=2", {}, [1, 2]),
    (query({"additionalProperties": INTEGER}), "?a=1&b=2&sort=4", {}, {"a": 1, "b": 2}),
    (
        query(
            {"type": "array", "prefixItems": [INTEGER, {"type": "string"}]},
            explode=False,
        ),
        "?color=1,a,2",
        {},
        [1, "a", "2"],
    ),
    (
        query({"type": "array", "prefixItems": [INTEGER, True]}, explode=False),
        "?color=1,a",
        {},
        [1, "a"],
    ),
    (
        query({"type": "array", "items": {"anyOf": [INTEGER, {"type": "string"}]}}),
        "?color=1&color=a",
        {},
        [1, "a"],
    ),
    (
        query({"anyOf": [INTEGERS, {"type": "string"}]}, explode=False),
        "?color=1,2",
        {},
        [1, 2],
    ),
    # query, content
    (
        {
            "name": "color",
            "in": "query",
            "content": {"application/json": {"schema": RGB}},
        },
        '?color={"R": 1}',
        {},
        {"R": 1},
    ),
    (
        {
            "name": "color",
            "in": "query",
            "content": {"text/plain": {"schema": {"type": "string"}}},
        },
        "?color=1,2",
        {},
        "1,2",
    ),
    # querystring (OpenAPI 3.2): the whole query string
    (
        querystring(FILTERS),
        "?n=5&tags=a&tags=b+c&x=2",
        {},
        {"n": 5, "tags": ["a", "b c"], "x": 2},
    ),
    (querystring(FILTERS), "?tags=a", {}, {"tags": ["a"]}),
    (
        querystring(
            {"type": "object", "properties": {"rgb": RGB}},
            encoding={"rgb": {"style": "deepObject", "explode": True}},
        ),
        "?rgb[R]=1&rgb[G]=2",
        {},
        {"rgb": {"R": 1, "G": 2}},
    ),
    (querystring(RGB, "application/json"), "?%7B%22R%22%3A%201%7D", {}, {"R": 1}),
    (querystring({"type": "string"}, "text/plain"), "?a%20b=c", {}, "a b=c"),
    # path
    (path(INTEGER), "/5", {}, 5),
    (path(INTEGERS), "/1,2", {}, [1, 2]),
    (path(INTEGERS, explode=True), "/1,2", {}, [1, 2]),
    (path(RGB), "/R,1,G,2", {}, {"R": 1, "G": 2}),
    (path(RGB, explode=True), "/R=1,G=2", {}, {"R": 1, "G": 2}),
    (path(INTEGER, style="label"), "/.5", {}, 5),
    (path(INTEGERS, style="label"), "/.1,2", {}, [1, 2]),
    (path(INTEGERS, style="label"), "/.1.2", {}, [1, 2]),
    (path(INTEGERS, style="label", explode=True), "/.1.2", {}, [1, 2]),
    (path(RGB, style="label", explode=True), "/.R=1.G=2", {}, {"R": 1, "G": 2}),
    (path(INTEGER, style="matrix"), "/;color=5", {}, 5),
    (path(INTEGERS, style="matrix"), "/;color=1,2", {}, [1, 2]),
    (path(INTEGERS, style="matrix", explode=True), "/;color=1;color=2", {}, [1, 2]),
    (path(RGB, style="matrix", explode=True), "/;R=1;G=2", {}, {"R": 1, "G": 2}),
    # header
    ({"name": "X-Color", "in": "header", "schema": INTEGER}, "", {"X-Color": "5"}, 5),
    (
        {"name": "X-Color", "in": "header", "schema": INTEGERS},
        "",
        {"X-Color": "1,2"},
        [1, 2],
    ),
    (
        {"name": "X-Color", "in": "header", "explode": True, "schema": RGB},
        "",
        {"X-Color": "R=1,G=2"},
        {"R": 1, "G": 2},
    ),
    # cookie
    (
        {"name": "color", "in": "cookie", "schema": INTEGER},
        "",
        {"Cookie": "a=b; color=5"},
        5,
    ),
    (
        {"name": "color", "in": "cookie", "schema": INTEGER},
        "",
        {"Cookie": ';color="5"'},
        5,
    ),
    (
        {"name": "color", "in": "cookie", "explode": False, "schema": INTEGERS},
        "",
        {"Cookie": "color=1,2"},
        [1, 2],
    ),
]


@pytest.mark.parametrize(
    ("declaration", "url", "headers", "value"),
    READ,
    ids=[f"{d['in']}-{d.get('style', '')}-{url}" for d, url, _, _ in READ],
)
def test_each_serialization_reaches_the_route_with_its_value(
    declaration: Json, url: str, headers: dict[str, str], value: Any
) -> None:
    answer = served(declaration, claimed=("sort",)).get(f"/p{url}", headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"value": value}


# (declaration, request path after /p, headers) → where the error is
REFUSED: list[tuple[Json, str, dict[str, str], list[Any]]] = [
    (query(INTEGER, required=True), "", {}, ["query", "color"]),
    (query(INTEGER), "?color=x", {}, ["query", "color"]),
    (
        query({"type": "integer", "format": "int32"}),
        "?color=2147483648",
        {},
        ["query", "color"],
    ),
    (
        query({"type": "integer", "format": "int64"}),
        f"?color={2**63}",
        {},
        ["query", "color"],
    ),
    (query({"type": "string", "enum": ["a", "b"]}), "?color=c", {}, ["query", "color"]),
    (query(INTEGERS, explode=False), "?color=1,x", {}, ["query", "color", 1]),
    (query(RGB, explode=False), "?color=R,1,G", {}, ["query", "color"]),
    (query(RGB, style="deepObject"), "?color[R]=x", {}, ["query", "color", "R"]),
    (
        {
            "name": "color",
            "in": "query",
            "content": {"application/json": {"schema": RGB}},
        },
        "?color={",
        {},
        ["query", "color"],
    ),
    (
        {
            "name": "color",
            "in": "query",
            "content": {"application/json": {"schema": RGB}},
        },
        '?color={"R": "x"}',
        {},
        ["query", "color", "R"],
    ),
    (querystring(RGB, required=True), "", {}, ["querystring", "color"]),
    (querystring(RGB), "?R=x", {}, ["querystring", "color", "R"]),
    (querystring(RGB), "?R=1&other=2", {}, ["querystring", "color"]),
    (querystring(FILTERS), "?x=y", {}, ["querystring", "color", "x"]),
    (querystring(RGB, "application/json"), "?%7B", {}, ["querystring", "color"]),
    (path(INTEGERS, style="label"), "/1,2", {}, ["path", "color"]),
    (path(INTEGERS, style="matrix"), "/1,2", {}, ["path", "color"]),
    (path(INTEGER, style="matrix"), "/;other=5", {}, ["path", "color"]),
    (path(RGB, explode=True), "/R,1", {}, ["path", "color"]),
    (
        {"name": "X-Color", "in": "header", "required": True, "schema": INTEGER},
        "",
        {},
        ["header", "X-Color"],
    ),
    (
        {"name": "color", "in": "cookie", "schema": INTEGER},
        "",
        {"Cookie": "color=x"},
        ["cookie", "color"],
    ),
]


@pytest.mark.parametrize(
    ("declaration", "url", "headers", "loc"),
    REFUSED,
    ids=[f"{d['in']}-{d.get('style', '')}-{url}" for d, url, _, _ in REFUSED],
)
def test_a_bad_value_is_a_validation_error_at_the_parameter(
    declaration: Json, url: str, headers: dict[str, str], loc: list[Any]
) -> None:
    answer = served(declaration).get(f"/p{url}", headers=headers)
    assert answer.status_code == 422, answer.text
    assert [error["loc"] for error in answer.json()["detail"]] == [loc]


def test_a_missing_required_parameter_is_named() -> None:
    answer = served(query(INTEGER, required=True)).get("/p")
    assert answer.json()["detail"] == [
        {
            "type": "missing",
            "loc": ["query", "color"],
            "msg": "Field required",
            "input": None,
        }
    ]


def test_an_absent_optional_parameter_is_its_default_else_none() -> None:
    assert served(query({"type": "integer", "default": 7})).get("/p").json() == {
        "value": 7
    }
    assert served(query(INTEGER)).get("/p").json() == {"value": None}
    assert served(query(RGB)).get("/p?other=1").json() == {"value": None}
    assert served(query(RGB, style="deepObject")).get("/p").json() == {"value": None}


def test_the_contracts_dialect_validates() -> None:
    exclusive = {"type": "integer", "maximum": 5, "exclusiveMaximum": True}
    assert served(query(exclusive), "3.0.3").get("/p?color=5").status_code == 422
    assert served(query(exclusive), "3.0.3").get("/p?color=4").json() == {"value": 4}
    below = {"type": "integer", "exclusiveMaximum": 5}
    assert served(query(below), "3.1.0").get("/p?color=5").status_code == 422


DAY = {
    "name": "day",
    "in": "query",
    "required": True,
    "schema": {"type": "string", "format": "date"},
}
COUNT = {"name": "count", "in": "query", "schema": {"type": "string"}}
router = APIRouter(route_class=ContractRoute)


@router.get("/typed")
def typed(
    day: Annotated[date, Depends(ContractParameter(DAY, "3.1"))],
    count: Annotated[int | None, Depends(ContractParameter(COUNT, "3.1"))],
) -> Json:
    return {"day": day.isoformat(), "count": count}


app = FastAPI()
app.include_router(router)
client = TestClient(app)


def test_the_value_becomes_the_type_the_handler_annotates() -> None:
    answer = client.get("/typed?day=2024-02-03&count=4")
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"day": "2024-02-03", "count": 4}
    answer = client.get("/typed?day=2024-02-03&count=four")  # a string, not an int
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"][:2] == ["query", "count"]


def test_the_parameters_are_served_as_the_contract_writes_them() -> None:
    parameters = app.openapi()["paths"]["/typed"]["get"]["parameters"]
    assert parameters == [DAY, COUNT]
    assert declared_parameters(typed) == [DAY, COUNT]


def test_a_querystring_parameter_is_served_among_the_operations_parameters() -> None:
    """FastAPI's OpenAPI model takes no ``in: querystring``: the served document has it
    as the contract writes it all the same."""
    declaration = querystring(FILTERS)
    app = served(declaration).app
    assert isinstance(app, FastAPI)
    parameters = served_openapi(app)["paths"]["/p"]["get"]["parameters"]
    assert parameters == [declaration]


def test_coerce_leaves_what_no_schema_describes() -> None:
    def valid(value: Any, schema: Any) -> bool:
        return True

    assert coerce("5", True, valid) == "5"
    assert coerce(["1"], {"type": "object"}, valid) == ["1"]
    assert coerce(5, INTEGER, valid) == 5
    assert coerce({"a": "1"}, {"type": "array", "items": INTEGER}, valid) == {"a": "1"}
