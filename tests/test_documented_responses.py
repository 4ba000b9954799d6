"""Responses as the contract documents them: errors in their media types and shapes,
successes FastAPI would not derive.

A small contract documents its errors in ``application/problem+json``,
``application/problem+xml``, ``text/plain``, ``application/xml`` and JSON, by status, by
range (``4XX``) and as ``default``, FastAPI's own ``HTTPValidationError`` as a 422, a 404
in JSON and XML both, a success whose schema is a ``oneOf`` of two components (and one
whose items are, and a map of lists of inline objects), one in ``application/hal+json``,
an operation that only redirects (``307`` with a ``Location``), one that only fails (no
success: FastAPI must not add its 200) and one that documents only ``default`` (answered
with 200, served as ``default``), a success in ``application/json; charset=utf-8`` (served
under that key, with that ``Content-Type``), and one whose path parameter names its
representation (``/formatted/{format}``: ``json`` or ``xml``), request bodies read by a
pointer into a response's schema and into its ``oneOf`` members (PagerDuty's; served
resolved, the first validated by its model). It is generated into a
scaffold project whose services raise the errors; the app, served in a subprocess, must
answer each with the documented status, ``Content-Type`` and a body valid against the
documented schema (XML: the element the schema's ``xml`` names), serve every response as
written (statuses, media types, schemas, headers, links: the project's contract fidelity
check finds no difference), and its code must pass ruff and ``mypy --strict``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import jsonschema
import pytest
import yaml

from generators.generate import generate
from tests.helpers import ROOT, lay_out_template

Json = dict[str, Any]


def ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}


def answer(description: str, media_type: str, schema: Json) -> Json:
    return {"description": description, "content": {media_type: {"schema": schema}}}


def pointer(response: str) -> Json:
    return {"$ref": f"#/components/responses/{response}/content/application~1json/schema"}


THING_ID = {"name": "thingId", "in": "path", "required": True, "schema": {"type": "integer"}}
LIMIT = {"name": "limit", "in": "query", "schema": {"type": "integer"}}

CONTRACT: Json = {
    "openapi": "3.0.3",
    "info": {"title": "Errors", "version": "1.0.0"},
    "paths": {
        "/things/{thingId}": {
            "get": {
                "operationId": "getThing",
                "tags": ["things"],
                "parameters": [THING_ID, LIMIT],
                "responses": {
                    "200": {
                        **answer("OK", "application/json", ref("Thing")),
                        "links": {
                            "self": {
                                "operationId": "getThing",
                                "parameters": {"thingId": "$response.body#/id"},
                            }
                        },
                    },
                    "400": answer("Bad", "application/problem+json", ref("Problem")),
                    "401": answer("Anonymous", "application/problem+json", ref("Problem")),
                    "403": answer("Refused", "application/problem+xml", ref("Problem")),
                    "404": answer("Missing", "text/plain", {"type": "string"}),
                    "409": answer("Conflict", "application/xml", ref("ErrorXml")),
                    "429": answer(  # a pointer into another response (PagerDuty)
                        "Slow down",
                        "application/json",
                        {"$ref": "#/components/responses/Busy/content/application~1json/schema"},
                    ),
                    "500": answer("Broken", "application/problem+json", ref("Problem")),
                },
            }
        },
        "/validated": {
            "post": {
                "operationId": "createThing",
                "tags": ["things"],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": ref("Thing")}},
                },
                "responses": {
                    "201": answer("Created", "application/json", ref("Thing")),
                    "422": answer(
                        "Validation Error", "application/json", ref("HTTPValidationError")
                    ),
                },
            }
        },
        "/ranged": {
            "get": {
                "operationId": "listRanged",
                "tags": ["things"],
                "parameters": [LIMIT],
                "responses": {
                    "200": answer(
                        "OK", "application/json", {"type": "array", "items": ref("Thing")}
                    ),
                    "4XX": answer("Client error", "application/problem+json", ref("Problem")),
                    "default": answer("Anything else", "application/json", ref("Envelope")),
                },
            }
        },
        "/negotiated/{thingId}": {
            "get": {
                "operationId": "getNegotiated",
                "tags": ["things"],
                "parameters": [THING_ID],
                "responses": {
                    "200": answer("OK", "application/json", ref("Thing")),
                    "404": {
                        "description": "Missing",
                        "content": {
                            "application/json": {"schema": ref("Envelope")},
                            "application/xml": {"schema": ref("ErrorXml")},
                        },
                    },
                },
            }
        },
        "/hal": {
            "get": {
                "operationId": "getHal",
                "tags": ["things"],
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {
                            "application/hal+json": {"schema": ref("Thing")},
                            "application/xml": {"schema": ref("Thing")},
                        },
                    }
                },
            }
        },
        "/anything": {
            "get": {
                "operationId": "anything",
                "tags": ["things"],
                "responses": {
                    "default": answer("Whatever it is", "application/json", ref("Thing"))
                },
            }
        },
        "/charset": {
            "get": {
                "operationId": "withCharset",
                "tags": ["things"],
                "responses": {
                    "200": answer("OK", "application/json; charset=utf-8", ref("Thing")),
                },
            }
        },
        "/moved": {
            "get": {
                "operationId": "moved",
                "tags": ["things"],
                "responses": {
                    "307": {
                        "description": "Elsewhere",
                        "headers": {"Location": {"schema": {"type": "string"}}},
                    }
                },
            }
        },
        "/failing": {
            "get": {
                "operationId": "failing",
                "tags": ["things"],
                "responses": {
                    "400": answer("Bad", "application/problem+json", ref("Problem")),
                    "404": answer("Missing", "application/json", ref("Envelope")),
                },
            }
        },
        "/formatted/{format}": {
            "get": {
                "operationId": "getFormatted",
                "tags": ["things"],
                "parameters": [
                    {
                        "name": "format",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "enum": ["json", "xml"]},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "In the format the path names",
                        "content": {
                            "application/json": {"schema": ref("Thing")},
                            "text/xml": {"schema": ref("Thing")},
                        },
                    }
                },
            }
        },
        "/choice": {
            "post": {
                "operationId": "choose",
                "tags": ["things"],
                "responses": {
                    "200": answer(
                        "One of them",
                        "application/json",
                        {"oneOf": [ref("Thing"), ref("Envelope")]},
                    ),
                },
            },
            "get": {  # Discord's invites: an array whose items are a oneOf of components
                "operationId": "listChoices",
                "tags": ["things"],
                "responses": {
                    "200": answer(
                        "Some of each",
                        "application/json",
                        {"type": "array", "items": {"oneOf": [ref("Thing"), ref("Envelope")]}},
                    ),
                },
            },
        },
        "/feed": {  # lichess: a stream whose lines name an enum component
            "get": {
                "operationId": "feed",
                "tags": ["things"],
                "responses": {
                    "200": answer(
                        "One thing per line",
                        "application/x-ndjson",
                        {"type": "object", "properties": {"rank": ref("Rank")}},
                    ),
                },
            }
        },
        "/statuses": {
            "get": {  # Sentry's release-threshold statuses: a map of lists of inline objects
                "operationId": "listStatuses",
                "tags": ["things"],
                "responses": {
                    "200": answer(
                        "By project",
                        "application/json",
                        {
                            "type": "object",
                            "additionalProperties": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "required": ["key"],
                                    "properties": {"key": {"type": "string"}},
                                },
                            },
                        },
                    ),
                },
            },
        },
        "/toggle": {  # PagerDuty: a body read by a pointer into a response's schema
            "put": {
                "operationId": "toggle",
                "tags": ["things"],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": pointer("Active")}},
                },
                "responses": {"200": {"$ref": "#/components/responses/Active"}},
            },
        },
        "/cached": {  # ... and by pointers into the members of one
            "put": {
                "operationId": "cache",
                "tags": ["things"],
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "oneOf": [
                                    {"$ref": pointer("Cached")["$ref"] + "/oneOf/0"},
                                    {"$ref": pointer("Cached")["$ref"] + "/oneOf/1"},
                                ]
                            }
                        }
                    },
                },
                "responses": {"200": {"$ref": "#/components/responses/Cached"}},
            },
        },
    },
    "components": {
        "responses": {
            "Busy": answer("Busy", "application/json", ref("Envelope")),
            "Active": answer(
                "Active",
                "application/json",
                {"type": "object", "properties": {"active": {"type": "boolean"}}},
            ),
            "Cached": answer(
                "Cached",
                "application/json",
                {
                    "oneOf": [
                        {
                            "type": "object",
                            "required": ["n"],
                            "properties": {"n": {"type": "integer"}},
                        },
                        {
                            "type": "object",
                            "required": ["s"],
                            "properties": {"s": {"type": "string"}},
                        },
                    ]
                },
            ),
        },
        "schemas": {
            "Rank": {"type": "string", "enum": ["GM", "IM"]},
            "Thing": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "integer"}},
            },
            "Problem": {
                "type": "object",
                "required": ["type", "title", "status"],
                "properties": {
                    "type": {"type": "string"},
                    "title": {"type": "string"},
                    "status": {"type": "integer"},
                    "detail": {"type": "string"},
                    "instance": {"type": "string"},
                },
            },
            "Envelope": {
                "type": "object",
                "required": ["error"],
                "properties": {
                    "error": {
                        "type": "object",
                        "required": ["code", "message"],
                        "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                    }
                },
            },
            "ErrorXml": {
                "type": "object",
                "xml": {"name": "error"},
                "required": ["code", "message"],
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
            },
            "ValidationError": {
                "type": "object",
                "title": "ValidationError",
                "required": ["loc", "msg", "type"],
                "properties": {
                    "loc": {
                        "type": "array",
                        "title": "Location",
                        "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                    },
                    "msg": {"type": "string", "title": "Message"},
                    "type": {"type": "string", "title": "Error Type"},
                },
            },
            "HTTPValidationError": {
                "type": "object",
                "title": "HTTPValidationError",
                "properties": {
                    "detail": {
                        "type": "array",
                        "title": "Detail",
                        "items": ref("ValidationError"),
                    }
                },
            },
        },
    },
}

FILLED = {
    "getThing": """if thing_id in (401, 403, 404, 409, 429):
        raise ApiError(thing_id, f"Refused with {thing_id}")
    if thing_id == 500:
        raise RuntimeError("secret internals")
    return Thing(id=thing_id)""",
    "createThing": "return body",
    "feed": 'return Response(b\'{"rank": "GM"}\\n\', media_type="application/x-ndjson")',
    "listRanged": """if limit == 500:
        raise RuntimeError("secret internals")
    if limit == 409:
        raise ApiError(409, "Taken")
    return [Thing(id=1)]""",
    "getNegotiated": 'raise ApiError(404, "No such thing")',
    "choose": 'return Envelope.model_validate({"error": {"code": "X", "message": "y"}})',
    "listChoices": "return [Thing(id=4)]",
    "listStatuses": 'return {"p": [{"key": "k"}]}',
    "getHal": "return Thing(id=7)",
    "getFormatted": "return Thing(id=3)",
    "moved": 'headers["Location"] = "/elsewhere"',
    "anything": "return Thing(id=5)",
    "withCharset": "return Thing(id=6)",
    "failing": 'raise ApiError(404, "Never there")',
    "toggle": "return body",
    "cache": "return CachedResponse.model_validate(body)",
}

# name: (method, url, request headers, status, media type, documented schema or XML root)
REQUESTS: dict[str, tuple[str, str, Json, int, str, Any]] = {
    "bad input, problem+json": (
        "GET",
        "/things/1?limit=x",
        {},
        400,
        "application/problem+json",
        ref("Problem"),
    ),
    "401, problem+json": (
        "GET",
        "/things/401",
        {},
        401,
        "application/problem+json",
        ref("Problem"),
    ),
    "403, problem+xml": ("GET", "/things/403", {}, 403, "application/problem+xml", "problem"),
    "404, text/plain": ("GET", "/things/404", {}, 404, "text/plain", {"type": "string"}),
    "409, xml": ("GET", "/things/409", {}, 409, "application/xml", "error"),
    "429, json": ("GET", "/things/429", {}, 429, "application/json", ref("Envelope")),
    "500, problem+json": (
        "GET",
        "/things/500",
        {},
        500,
        "application/problem+json",
        ref("Problem"),
    ),
    "fastapi's 422": (
        "POST",
        "/validated",
        {},
        422,
        "application/json",
        ref("HTTPValidationError"),
    ),
    "4XX range": ("GET", "/ranged?limit=x", {}, 400, "application/problem+json", ref("Problem")),
    "4XX range, raised": (
        "GET",
        "/ranged?limit=409",
        {},
        409,
        "application/problem+json",
        ref("Problem"),
    ),
    "default": ("GET", "/ranged?limit=500", {}, 500, "application/json", ref("Envelope")),
    "404 json by default": ("GET", "/negotiated/1", {}, 404, "application/json", ref("Envelope")),
    "404 xml when preferred": (
        "GET",
        "/negotiated/1",
        {"accept": "application/xml"},
        404,
        "application/xml",
        "error",
    ),
    "another JSON media type": ("GET", "/hal", {}, 200, "application/hal+json", ref("Thing")),
    "xml beside another JSON media type": (
        "GET",
        "/hal",
        {"accept": "application/xml"},
        200,
        "application/xml",
        "Thing",
    ),
    "only a redirect": ("GET", "/moved", {}, 307, "", None),
    "only a default": ("GET", "/anything", {}, 200, "application/json", ref("Thing")),
    "a media type with a charset": ("GET", "/charset", {}, 200, "application/json", ref("Thing")),
    "only errors": ("GET", "/failing", {}, 404, "application/json", ref("Envelope")),
    "a path parameter names the representation": (
        "GET",
        "/formatted/xml",
        {},
        200,
        "text/xml",
        "Thing",
    ),
    "the other representation": (
        "GET",
        "/formatted/json",
        {"accept": "text/xml"},
        200,
        "application/json",
        ref("Thing"),
    ),
    "oneOf success": ("POST", "/choice", {}, 200, "application/json", ref("Envelope")),
    "map of lists of objects": (
        "GET",
        "/statuses",
        {},
        200,
        "application/json",
        CONTRACT["paths"]["/statuses"]["get"]["responses"]["200"]["content"]["application/json"][
            "schema"
        ],
    ),
    "array of oneOf success": (
        "GET",
        "/choice",
        {},
        200,
        "application/json",
        {"type": "array", "items": {"oneOf": [ref("Thing"), ref("Envelope")]}},
    ),
    "a body read by a pointer into a response, refused": (
        "PUT",
        "/toggle",
        {},
        422,
        "application/json",
        {"type": "object", "required": ["detail"]},  # no 422 documented: the app's own
    ),
}

DRIVER = """
import json, sys
from fastapi.testclient import TestClient
from src.main import create_app

client = TestClient(create_app(), raise_server_exceptions=False)
out = {}
for name, (method, url, headers, *_) in json.load(sys.stdin).items():
    bodies = {"/validated": {"id": "not a number"}, "/toggle": {"active": "not a flag"}}
    body = bodies.get(url)
    response = client.request(method, url, headers=headers, json=body, follow_redirects=False)
    out[name] = [
        response.status_code,
        response.headers.get("content-type", ""),
        response.text,
        response.headers.get("location"),
    ]
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Json:
    project = tmp_path_factory.mktemp("errors")
    lay_out_template(project)
    (project / "specs/openapi.yaml").write_text(yaml.safe_dump(CONTRACT, sort_keys=False))
    generate(project / "specs/openapi.yaml", None, project)
    service = project / "src/services/things.py"
    text = service.read_text()
    for operation, code in FILLED.items():
        text = text.replace(f'raise ServiceNotImplementedError("{operation}")', code)
    service.write_text(text.replace("import ServiceNotImplementedError", "import ApiError"))
    result = subprocess.run(
        [sys.executable, "-c", DRIVER],
        input=json.dumps(REQUESTS),
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return {"project": project, "answers": json.loads(result.stdout)}


@pytest.mark.parametrize("name", list(REQUESTS))
def test_each_error_is_answered_as_documented(served: Json, name: str) -> None:
    status, content_type, text, location = served["answers"][name]
    _, _, _, expected_status, media_type, documented = REQUESTS[name]
    assert status == expected_status, text
    assert content_type.split(";")[0] == media_type
    if documented is None:  # no body documented: none sent
        assert (text, location) == ("", "/elsewhere")
        return
    if media_type.endswith("xml"):
        root = ElementTree.fromstring(text)
        assert root.tag.rsplit("}", 1)[-1] == documented
        expected = {"error": {"code", "message"}, "Thing": {"id"}}
        assert {child.tag for child in root} >= expected.get(
            documented, {"type", "title", "status"}
        )
        return
    body = text if media_type == "text/plain" else json.loads(text)
    schema = {**documented, "components": CONTRACT["components"]}
    jsonschema.validate(body, schema)
    if name == "fastapi's 422":  # FastAPI's own shape, exactly
        assert body["detail"][0]["loc"] == ["body", "id"]
        assert body["detail"][0]["type"] == "int_parsing"
    if "secret" in text:
        pytest.fail("an unexpected error told its internals")


def test_every_response_is_served_as_written(served: Json) -> None:
    """The project's own fidelity check: statuses, ranges, media types and schemas."""
    project: Path = served["project"]
    shutil.copytree(ROOT / "template/tools", project / "tools", dirs_exist_ok=True)
    out = project / "fidelity.json"
    command = [sys.executable, "-m", "tools.contract_fidelity", "--json", str(out)]
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
    assert out.exists(), result.stdout + result.stderr
    assert json.loads(out.read_text())["differences"] == [], result.stdout


def test_the_generated_code_passes_ruff_and_mypy_strict(served: Json, tmp_path: Path) -> None:
    project: Path = served["project"]
    ruff = [sys.executable, "-m", "ruff"]
    mypy = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "mypy")]
    for command in (
        [*ruff, "check", "."],
        [*ruff, "format", "--check", "."],
        [*mypy, "src", "specs"],
    ):
        result = subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
