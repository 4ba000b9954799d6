"""Parameters in every style OpenAPI defines, read, enforced and served as the contract says.

One operation per location, ``style``, ``explode`` and shape of value (a single integer, an
array of integers, an object of integers) of the OpenAPI 3.x serialization table, each
taking one parameter ``color``; plus the shapes real contracts use beyond it (a
``deepObject`` that is an object or an integer, an array of objects, a ``content``
parameter, an ``int32``, a name that is no identifier). The contract is generated (in
3.0 and in 3.1 spelling), each service answers the value it got, and the app is called
with FastAPI's TestClient in a subprocess (the project's own ``src`` package): each
well-formed request must reach the service with the value the contract means, each
malformed one must be refused as FastAPI's validation errors are (422 here, the contract
documents no 400). The served document must declare every parameter as the contract
does (the project's fidelity check finds no parameter difference), and the generated
code must pass ruff and ``mypy --strict``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generators.generate import generate
from tests.helpers import ROOT, lay_out_template

Json = dict[str, Any]

INTEGER: Json = {"type": "integer"}
STRING: Json = {"schema": {"type": "string"}}
SHAPES: dict[str, Json] = {
    "scalar": INTEGER,
    "array": {"type": "array", "items": INTEGER},
    "object": {
        "type": "object",
        "properties": {"R": INTEGER, "G": INTEGER, "B": INTEGER},
        "additionalProperties": False,
    },
}
# (location, style, explode, shape) → ((good request, value the service gets), bad request)
# A request is (path and query, headers).
Request = tuple[str, dict[str, str]]
CASES: dict[tuple[str, str, bool, str], tuple[tuple[Request, Any], Request]] = {}


def _case(
    location: str, style: str, explode: bool, shape: str, good: str, value: Any, bad: str
) -> None:
    """``good``/``bad``: the serialized parameter (a query string, a path segment, a
    header or cookie value)."""
    path = f"/{location}/{style}-{str(explode).lower()}-{shape}"

    def request(text: str) -> Request:
        if location == "query":
            return f"{path}?{text}", {}
        if location == "path":
            return f"{path}/{text}", {}
        if location == "header":
            return path, {"color": text}
        return path, {"cookie": text}

    CASES[(location, style, explode, shape)] = ((request(good), value), request(bad))


RGB = {"R": 1, "G": 2}
for explode in (True, False):
    _case("query", "form", explode, "scalar", "color=5", 5, "color=x")
    _case("path", "simple", explode, "scalar", "5", 5, "x")
    _case("path", "simple", explode, "array", "1,2", [1, 2], "1,x")
    _case("path", "label", explode, "scalar", ".5", 5, ".x")
    _case("path", "matrix", explode, "scalar", ";color=5", 5, ";color=x")
    _case("header", "simple", explode, "scalar", "5", 5, "x")
    _case("header", "simple", explode, "array", "1,2", [1, 2], "1,x")
    _case("cookie", "form", explode, "scalar", "color=5", 5, "color=x")
_case("query", "form", True, "array", "color=1&color=2", [1, 2], "color=1&color=x")
_case("query", "form", False, "array", "color=1,2", [1, 2], "color=1,x")
_case("query", "form", True, "object", "R=1&G=2", RGB, "R=1&G=x")
_case("query", "form", False, "object", "color=R,1,G,2", RGB, "color=R,1,G,x")
_case("query", "spaceDelimited", False, "array", "color=1%202", [1, 2], "color=1%20x")
_case("query", "spaceDelimited", False, "object", "color=R%201%20G%202", RGB, "color=R%20x")
_case("query", "spaceDelimited", True, "array", "color=1&color=2", [1, 2], "color=x")
_case("query", "pipeDelimited", False, "array", "color=1|2", [1, 2], "color=1|x")
_case("query", "pipeDelimited", False, "object", "color=R|1|G|2", RGB, "color=R|1|Q|2")
_case("query", "pipeDelimited", True, "array", "color=1&color=2", [1, 2], "color=1&color=y")
_case("query", "deepObject", True, "object", "color[R]=1&color[G]=2", RGB, "color[R]=x")
_case("path", "simple", False, "object", "R,1,G,2", RGB, "R,1,G,x")
_case("path", "simple", True, "object", "R=1,G=2", RGB, "R=1,G=x")
_case("path", "label", False, "array", ".1.2", [1, 2], ".1.x")
_case("path", "label", True, "array", ".1.2", [1, 2], "1.2")
_case("path", "label", False, "object", ".R.1.G.2", RGB, ".R.1.G.x")
_case("path", "label", True, "object", ".R=1.G=2", RGB, ".R=1.Q=2")
_case("path", "matrix", False, "array", ";color=1,2", [1, 2], ";color=1,x")
_case("path", "matrix", True, "array", ";color=1;color=2", [1, 2], ";color=1;color=x")
_case("path", "matrix", False, "object", ";color=R,1,G,2", RGB, ";color=R,1,G,x")
_case("path", "matrix", True, "object", ";R=1;G=2", RGB, ";R=1;G=x")
_case("header", "simple", False, "object", "R,1,G,2", RGB, "R,1,G,x")
_case("header", "simple", True, "object", "R=1,G=2", RGB, "R=x,G=2")
_case("cookie", "form", False, "array", "color=1,2", [1, 2], "color=1,x")
_case("cookie", "form", True, "array", "color=1; color=2", [1, 2], "color=1; color=x")
_case("cookie", "form", False, "object", "color=R,1,G,2", RGB, "color=R,1,G,x")
_case("cookie", "form", True, "object", "R=1; G=2", RGB, "R=1; G=x")

# Beyond the table: what real contracts (Stripe, Twilio, Sentry) write.
EXTRA: dict[str, tuple[Json, list[tuple[str, int, Any]]]] = {
    "created": (
        {
            "name": "created",
            "in": "query",
            "style": "deepObject",
            "explode": True,
            "schema": {
                "anyOf": [
                    {
                        "type": "object",
                        "properties": {"gt": INTEGER, "lte": INTEGER},
                        "title": "range_query_specs",
                    },
                    INTEGER,
                ]
            },
        },
        [
            ("created[gt]=3&created[lte]=9", 200, {"gt": 3, "lte": 9}),
            ("created=7", 200, 7),
            ("created[gt]=soon", 422, None),
            ("", 200, None),
        ],
    ),
    "expand": (
        {
            "name": "expand",
            "in": "query",
            "style": "deepObject",
            "explode": True,
            "schema": {"type": "array", "items": {"type": "string", "maxLength": 5}},
        },
        [
            ("expand[]=a&expand[]=b", 200, ["a", "b"]),
            ("expand[0]=a&expand[1]=b", 200, ["a", "b"]),
            ("expand=a", 200, ["a"]),
            ("expand[]=toolong", 422, None),
        ],
    ),
    "items": (
        {
            "name": "items",
            "in": "query",
            "style": "deepObject",
            "explode": True,
            "required": True,
            "schema": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"price": {"type": "string"}, "quantity": INTEGER},
                    "required": ["price"],
                },
            },
        },
        [
            (
                "items[0][price]=p1&items[0][quantity]=2&items[1][price]=p2",
                200,
                [{"price": "p1", "quantity": 2}, {"price": "p2"}],
            ),
            ("items[0][quantity]=2", 422, None),
            ("", 422, None),
        ],
    ),
    "where": (
        {
            "name": "where",
            "in": "query",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {"lat": {"type": "number"}},
                        "required": ["lat"],
                    }
                }
            },
        },
        [
            ('where={"lat":1.5}', 200, {"lat": 1.5}),
            ('where={"lat":"north"}', 422, None),
            ("where={oops", 422, None),
        ],
    ),
    "limit": (
        {"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int32"}},
        [("limit=7", 200, 7), (f"limit={2**40}", 422, None)],
    ),
    "project": (
        {
            "name": "project",
            "in": "query",
            "schema": {"type": "array", "items": {"anyOf": [INTEGER, {"type": "string"}]}},
        },
        [("project=1&project=web", 200, [1, "web"])],
    ),
    "date_created_before": (
        {"name": "DateCreated<", "in": "query", "schema": {"type": "string", "format": "date"}},
        [("DateCreated%3C=2024-01-02", 200, "2024-01-02"), ("DateCreated%3C=soon", 422, None)],
    ),
    "start_time_after": (
        {"name": "StartTime>", "in": "query", "schema": {"type": "string"}},
        [("StartTime%3E=noon", 200, "noon")],
    ),
    "ratio": (  # an enum of numbers: no Literal says it (no float Literals)
        {"name": "ratio", "in": "query", "schema": {"type": "number", "enum": [0.5, 1.5]}},
        [("ratio=1.5", 200, 1.5), ("ratio=2", 422, None)],
    ),
    "status": (  # Discord: an enum that admits no value (its allOf says what was meant)
        {"name": "status", "in": "query", "schema": {"type": "string", "enum": []}},
        [("status=STARTED", 422, None), ("", 200, None)],
    ),
    "keyword": (  # a keyword for a name, quotes, a backslash and unicode in the text
        {
            "name": "from",
            "in": "query",
            "description": 'A "quoted" \\ \'text\' — naïve """ end"',
            "schema": {"type": "string", "pattern": "^[a-z]+$"},
        },
        [("from=abc", 200, "abc"), ("from=ABC", 422, None)],
    ),
    "lookahead": (  # Sonarr: a look-ahead pydantic's (Rust) regex engine refuses
        {"name": "path", "in": "query", "schema": {"type": "string", "pattern": "^(?!api/).*"}},
        [("path=web/x", 200, "web/x"), ("path=api/x", 422, None)],
    ),
    "state": (  # PagerDuty: a schema referenced from another parameter's place
        {
            "name": "state",
            "in": "query",
            "schema": {"$ref": "#/components/parameters/Shared/schema"},
        },
        [("state=open", 200, "open"), ("state=lost", 422, None)],
    ),
    "since": (  # PagerDuty: a pattern beside a format whose type (datetime) has none
        {
            "name": "since",
            "in": "query",
            "schema": {"type": "string", "format": "date-time", "pattern": "Z$"},
        },
        [
            ("since=2024-01-02T03:04:05Z", 200, "2024-01-02T03:04:05Z"),
            ("since=2024-01-02T03:04:05%2B01:00", 422, None),
        ],
    ),
    "fields": (  # OpenAI's timestamp_granularities: a list default (ruff B006: FastAPI copies it)
        {
            "name": "fields",
            "in": "query",
            "explode": True,
            "schema": {"type": "array", "items": {"type": "string"}, "default": ["id"]},
        },
        [("", 200, ["id"]), ("fields=a&fields=b", 200, ["a", "b"]), ("", 200, ["id"])],
    ),
    "odd_name": (
        {"name": "q'uo\"te\\", "in": "query", "schema": {"type": "integer"}},
        [("q%27uo%22te%5C=3", 200, 3)],
    ),
}

ECHO: Json = {"type": "object", "additionalProperties": True}


def _operation(operation_id: str, tag: str, parameter: Json) -> Json:
    return {
        "operationId": operation_id,
        "tags": [tag],
        "parameters": [parameter],
        "responses": {
            "200": {"description": "OK", "content": {"application/json": {"schema": ECHO}}}
        },
    }


def contract(version: str) -> Json:
    paths: Json = {}
    for (location, style, explode, shape), _ in CASES.items():
        name = f"{location}-{style}-{str(explode).lower()}-{shape}"
        path = f"/{location}/{style}-{str(explode).lower()}-{shape}"
        parameter: Json = {
            "name": "color",
            "in": location,
            "style": style,
            "explode": explode,
            "schema": SHAPES[shape],
        }
        if location == "path":
            path += "/{color}"
            parameter["required"] = True
        paths[path] = {"get": _operation(re.sub(r"\W", "_", name), location, parameter)}
    for operation_id, (parameter, _) in EXTRA.items():
        if operation_id == "status" and version.startswith("3.0"):  # 3.0: enum is not empty
            parameter = {**parameter, "schema": {"type": "string", "enum": [None]}}
        paths[f"/extra/{operation_id}"] = {"get": _operation(operation_id, "extra", parameter)}
    # Sentry, Stripe: an operation on servers of its own (documented as written)
    paths["/extra/limit"]["get"]["servers"] = [
        {"url": "https://{region}.example.com", "variables": {"region": {"default": "us"}}}
    ]
    # Twilio: a form field that is a reference to an enum component (pydantic failed to
    # render FastAPI's model of the form's fields: the served document could not be built)
    form = {"type": "object", "properties": {"Status": {"$ref": "#/components/schemas/Status"}}}
    paths["/forms/status"] = {
        "post": {
            **_operation("updateStatus", "extra", {"name": "Sid", "in": "query", **STRING}),
            "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": form}}},
        }
    }
    return {
        "openapi": version,
        "info": {"title": "Parameters", "version": "1.0.0"},
        "components": {
            "schemas": {"Status": {"type": "string", "enum": ["open", "closed"]}},
            "parameters": {
                "Shared": {
                    "name": "shared",
                    "in": "query",
                    "schema": {"type": "string", "enum": ["open", "closed"]},
                }
            },
        },
        "servers": [
            {
                "url": "{scheme}://{host}/{base}",
                "variables": {
                    "scheme": {"default": "https"},
                    "host": {"default": "api.example.com"},
                    "base": {"default": "v1"},
                },
            }
        ],
        "paths": paths,
    }


def requests() -> dict[str, tuple[str, dict[str, str]]]:
    """Name → (URL, headers), every request the test sends."""
    sent: dict[str, tuple[str, dict[str, str]]] = {}
    for key, ((good, _), bad) in CASES.items():
        label = "-".join(str(part) for part in key)
        sent[f"good {label}"] = (f"/v1{good[0]}", good[1])
        sent[f"bad {label}"] = (f"/v1{bad[0]}", bad[1])
    for operation_id, (_, calls) in EXTRA.items():
        for index, (query, _, _) in enumerate(calls):
            sent[f"{operation_id} {index}"] = (f"/v1/extra/{operation_id}?{query}", {})
    return sent


DRIVER = """
import json, sys
from fastapi.testclient import TestClient
from src.main import create_app

from src.core.bodies import ContractRoute

app = create_app()
client = TestClient(app)
out = {"openapi": client.get("/openapi.json").json(), "responses": {}}
from src.api.v1.query import router
built = router.routes_under("")
route = next(r for r in built if r.path == "/query/pipeDelimited-false-object")
again = ContractRoute(  # as include_router copies a route (FastAPI before 0.16x)
    route.path, route.endpoint, methods=route.methods, openapi_extra=route.openapi_extra
)
out["copied"] = again.openapi_extra["parameters"]
for name, (url, headers) in json.load(sys.stdin).items():
    response = client.get(url, headers=headers)
    out["responses"][name] = [response.status_code, response.json()]
print(json.dumps(out))
"""


def _filled(project: Path) -> None:
    """Each service answers ``{"value": <its parameter>}``."""
    for service in (project / "src/services").glob("*.py"):
        text = service.read_text()
        text = re.sub(
            r'def (\w+)\(\s*\*,\s*(\w+): .*?raise ServiceNotImplementedError\("\w+"\)',
            lambda found: found[0].split("raise ")[0] + f'return {{"value": {found[2]}}}',
            text,
            flags=re.S,
        )
        service.write_text(text)


@pytest.fixture(scope="module", params=["3.0.3", "3.1.0"])
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Json:
    project = tmp_path_factory.mktemp(f"parameters-{request.param}")
    lay_out_template(project)
    openapi = contract(request.param)
    (project / "specs/openapi.yaml").write_text(yaml.safe_dump(openapi, sort_keys=False))
    generate(project / "specs/openapi.yaml", None, project)
    shutil.copytree(project / "src", project / "unfilled-src")
    _filled(project)
    result = subprocess.run(
        [sys.executable, "-c", DRIVER],
        input=json.dumps(requests()),
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return {"project": project, "contract": openapi, **json.loads(result.stdout)}


@pytest.mark.parametrize("key", list(CASES), ids=lambda key: "-".join(map(str, key)))
def test_each_style_reaches_the_service_with_its_value(served: Json, key: Any) -> None:
    (_, value), _ = CASES[key]
    label = "-".join(str(part) for part in key)
    status, body = served["responses"][f"good {label}"]
    assert (status, body) == (200, {"value": value})


@pytest.mark.parametrize("key", list(CASES), ids=lambda key: "-".join(map(str, key)))
def test_each_style_refuses_a_bad_value(served: Json, key: Any) -> None:
    label = "-".join(str(part) for part in key)
    status, body = served["responses"][f"bad {label}"]
    assert status == 422, body


@pytest.mark.parametrize("name", list(EXTRA))
def test_real_world_shapes_are_read_and_enforced(served: Json, name: str) -> None:
    _, calls = EXTRA[name]
    for index, (query, status, value) in enumerate(calls):
        got_status, body = served["responses"][f"{name} {index}"]
        assert got_status == status, (query, body)
        if status == 200:
            assert body == {"value": value}, query


def test_the_fidelity_check_finds_every_parameter_as_written(served: Json) -> None:
    project: Path = served["project"]
    shutil.copytree(ROOT / "template/tools", project / "tools", dirs_exist_ok=True)
    out = project / "fidelity.json"
    command = [sys.executable, "-m", "tools.contract_fidelity", "--json", str(out)]
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
    assert out.exists(), result.stdout + result.stderr
    report = json.loads(out.read_text())
    assert report["differences"] == [], result.stdout
    assert report["operations"] == len(CASES) + len(EXTRA) + 1


def test_the_served_declaration_is_the_contracts(served: Json) -> None:
    """Style and explode as written, where FastAPI would have left them out."""
    parameter = served["openapi"]["paths"]["/v1/query/pipeDelimited-false-object"]["get"][
        "parameters"
    ]
    assert [(p["name"], p["style"], p["explode"]) for p in parameter] == [
        ("color", "pipeDelimited", False)
    ]
    assert served["copied"] == parameter  # not declared twice in a copied route


def test_the_generated_code_is_clean(served: Json) -> None:
    project: Path = served["project"]
    checked = project / "checked"
    shutil.copytree(project / "unfilled-src", checked / "src")
    shutil.copytree(project / "specs", checked / "specs")
    shutil.copy(project / "pyproject.toml", checked / "pyproject.toml")
    for command in (
        [sys.executable, "-m", "ruff", "check", "src"],
        [sys.executable, "-m", "ruff", "format", "--check", "src"],
        [sys.executable, "-m", "mypy", "--strict", "src"],
    ):
        result = subprocess.run(command, cwd=checked, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
