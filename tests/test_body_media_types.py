"""A request body documented in several media types (Discord: JSON, form fields and
multipart of one schema; a multipart body that is the JSON body's schema with files beside
it), served with each media type's schema as written and accepted in each: the route
reads the body as the request's ``Content-Type`` says and validates it against that
media type's schema, and answers 415 to one the contract does not list. The service
takes one typed ``body`` whichever media type came.
"""

from __future__ import annotations

import sys
from typing import Any

import pytest
import yaml

from generators.generate import generate
from tests.helpers import (
    assert_code_is_clean,
    lay_out_template,
    run_fidelity,
    run_in_project,
    send_requests,
)

Json = dict[str, Any]

NOTE = {"$ref": "#/components/schemas/Note"}
FILES = {
    "type": "object",
    "properties": {"files[0]": {"type": "string", "contentEncoding": "binary"}},
}
NOTE_WITH_FILES = {"allOf": [NOTE, FILES]}
EITHER = {"anyOf": [NOTE, {"$ref": "#/components/schemas/Draft"}], "x-union": "oneOf"}
LABELS = {"type": "object", "additionalProperties": {"type": "string"}}
KINDS = ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")
CHARSET_JSON = "application/json;charset=UTF-8"


def _body(schema: Json, multipart: Json | None = None) -> Json:
    content = {kind: {"schema": schema} for kind in KINDS}
    content["multipart/form-data"] = {"schema": multipart or schema}
    return {"required": True, "content": content}


def _operation(operation_id: str, body: Json) -> Json:
    ok = {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}
    return {"operationId": operation_id, "requestBody": body, "responses": {"200": ok}}


CONTRACT: Json = {
    "openapi": "3.1.0",
    "info": {"title": "Media types", "version": "1"},
    "paths": {
        "/notes": {"post": _operation("createNote", _body(NOTE, NOTE_WITH_FILES))},
        "/entries": {"post": _operation("createEntry", _body(EITHER))},
        "/labels": {"put": _operation("putLabels", _body(LABELS))},
        "/memos": {  # a media type with a parameter, as Java frameworks write them
            "post": _operation(
                "createMemo",
                {"required": True, "content": {CHARSET_JSON: {"schema": NOTE}}},
            )
        },
    },
    "components": {
        "schemas": {
            "Note": {
                "type": "object",
                "required": ["text"],
                "properties": {
                    "text": {"type": "string", "maxLength": 5},
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
            },
            "Draft": {
                "type": "object",
                "required": ["title"],
                "properties": {"title": {"type": "string"}},
            },
        }
    },
}

SERVICES = {
    "createNote": 'return {"kind": type(body).__name__, **body.model_dump(mode="json")}',
    "createEntry": 'return {"kind": type(body).__name__, **body.model_dump(mode="json")}',
    "putLabels": "return dict(body)",
    "createMemo": 'return body.model_dump(mode="json")',
}

NOTE_SENT = {"text": "hi", "tags": ["a", "b"]}
NOTE_GOT = {"kind": "Note", "text": "hi", "tags": ["a", "b"]}
A_FILE = [("files[0]", "a.txt", "hello")]

REQUESTS: dict[str, tuple[str, str, Json, int, Json | None]] = {
    "note json": ("POST", "/notes", {"json": NOTE_SENT}, 200, NOTE_GOT),
    "note form": ("POST", "/notes", {"data": NOTE_SENT}, 200, NOTE_GOT),
    "note multipart": ("POST", "/notes", {"data": NOTE_SENT, "files": A_FILE}, 200, NOTE_GOT),
    "note json too long": ("POST", "/notes", {"json": {"text": "toolong"}}, 422, None),
    "note form too long": ("POST", "/notes", {"data": {"text": "toolong"}}, 422, None),
    "note multipart without text": (
        "POST",
        "/notes",
        {"data": {"tags": "a"}, "files": A_FILE},
        422,
        None,
    ),
    "note as text": (
        "POST",
        "/notes",
        {"content": "text=hi", "headers": {"content-type": "text/plain"}},
        415,
        None,
    ),
    "draft json": (
        "POST",
        "/entries",
        {"json": {"title": "t"}},
        200,
        {"kind": "Draft", "title": "t"},
    ),
    "draft form": (
        "POST",
        "/entries",
        {"data": {"title": "t"}},
        200,
        {"kind": "Draft", "title": "t"},
    ),
    "note multipart entry": (
        "POST",
        "/entries",
        {"data": {"text": "hi"}, "files": [("x", "x.bin", "")]},
        200,
        {"kind": "Note", "text": "hi"},
    ),
    "neither form": ("POST", "/entries", {"data": {"other": "t"}}, 422, None),
    "entry as xml": (
        "POST",
        "/entries",
        {"content": "<a/>", "headers": {"content-type": "application/xml"}},
        415,
        None,
    ),
    "labels json": ("PUT", "/labels", {"json": {"a": "x"}}, 200, {"a": "x"}),
    "labels form": ("PUT", "/labels", {"data": {"a": "x", "b": "y"}}, 200, {"a": "x", "b": "y"}),
    "labels multipart": ("PUT", "/labels", {"files": [("a", None, "x")]}, 200, {"a": "x"}),
    "labels json not strings": ("PUT", "/labels", {"json": {"a": 1}}, 422, None),
    "memo with a charset": (
        "POST",
        "/memos",
        {"content": '{"text": "hi"}', "headers": {"content-type": CHARSET_JSON}},
        200,
        {"text": "hi"},
    ),
    "memo too long": (
        "POST",
        "/memos",
        {"content": '{"text": "toolong"}', "headers": {"content-type": CHARSET_JSON}},
        422,
        None,
    ),
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Json:
    """The project of the contract, generated, its services filled, and served."""
    project = tmp_path_factory.mktemp("media-types")
    lay_out_template(project)
    (project / "specs/openapi.yaml").write_text(yaml.safe_dump(CONTRACT, sort_keys=False))
    generate(project / "specs/openapi.yaml", None, project)
    service = project / "src/services/default.py"
    text = service.read_text()
    for operation, code in SERVICES.items():
        text = text.replace(f'raise ServiceNotImplementedError("{operation}")', code)
    text = text.replace("from src.core.errors import ServiceNotImplementedError\n", "")
    service.write_text(text)
    sent = send_requests(project, {n: (m, u, s) for n, (m, u, s, *_) in REQUESTS.items()})
    return {"project": project, **sent}


def test_every_media_type_is_served_with_its_schema_as_written(served: Json) -> None:
    paths = served["openapi"]["paths"]
    notes = paths["/notes"]["post"]["requestBody"]["content"]
    assert list(notes) == list(KINDS)
    assert notes["application/json"]["schema"] == NOTE
    assert notes["application/x-www-form-urlencoded"]["schema"] == NOTE
    assert notes["multipart/form-data"]["schema"] == NOTE_WITH_FILES
    for path, method in (("/entries", "post"), ("/labels", "put")):
        content = paths[path][method]["requestBody"]["content"]
        assert list(content) == list(KINDS)
        schemas = [entry["schema"] for entry in content.values()]
        assert schemas[1] == schemas[2] == schemas[0]
    entries = paths["/entries"]["post"]["requestBody"]["content"]
    assert entries["multipart/form-data"]["schema"]["anyOf"] == EITHER["anyOf"]
    assert list(paths["/memos"]["post"]["requestBody"]["content"]) == [CHARSET_JSON]


@pytest.mark.parametrize("name", list(REQUESTS))
def test_each_media_type_is_read_and_validated(served: Json, name: str) -> None:
    """The same body as JSON, form fields or multipart parts reaches the service as the
    same value, validated alike; a media type the contract does not list is refused."""
    status, body = served["responses"][name]
    _, _, _, expected_status, expected_body = REQUESTS[name]
    assert status == expected_status, body
    if expected_body is not None:
        assert body == expected_body


def test_the_service_takes_one_typed_body(served: Json) -> None:
    service = (served["project"] / "src/services/default.py").read_text()
    assert "body: Note," in service and "body: Note | Draft," in service
    assert "body: dict[str, str]," in service


def test_the_fidelity_check_finds_every_media_type_served(served: Json) -> None:
    result, report = run_fidelity(served["project"])
    assert report is not None, result.stdout + result.stderr
    assert report["differences"] == [], result.stdout


def test_the_generated_code_is_clean(served: Json) -> None:
    assert_code_is_clean(served["project"])
    result = run_in_project([sys.executable, "-c", "import src.main"], served["project"])
    assert result.returncode == 0, result.stderr
