"""A request body whose media types each carry their own schema (PagerDuty's enrichment
schema: a JSON definition, a multipart CSV upload or the ``text/csv`` text; OpenAI's
videos: a multipart form with a file or an unrelated JSON body; its realtime calls: a
form or an ``application/sdp`` offer): served with each media type's schema as written,
read by the request's ``Content-Type`` into that media type's own type (a model, the
form with its files, the text) and refused, with the contract's 4xx, where it is not
valid against that media type's schema; a media type the contract does not list is 415.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml

from generators.generate import generate
from tests.helpers import assert_code_is_clean, lay_out_template, run_fidelity, send_requests

Json = dict[str, Any]

ERROR = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
FILE = {"type": "string", "format": "binary"}
UPLOAD = {"type": "object", "required": ["file"], "properties": {"file": FILE}}
DEFINITION = {
    "type": "object",
    "required": ["name"],
    "properties": {"name": {"type": "string", "maxLength": 5}},
}
CSV = {"type": "string", "maxLength": 20}
TRANSCRIPTION = {
    "type": "object",
    "required": ["file"],
    "properties": {
        "file": FILE,
        "chunking": {
            "anyOf": [{"type": "string", "enum": ["auto"]}, {"$ref": "#/components/schemas/Vad"}]
        },
    },
}
ENCODING = {
    "sdp": {"contentType": "application/sdp"},
    "session": {"contentType": "application/json"},
}

SHEET = {"file": {"contentType": "text/csv, text/tab-separated-values"}}


def _operation(operation_id: str, content: Json) -> Json:
    ok = {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}
    return {
        "operationId": operation_id,
        "requestBody": {"required": True, "content": content},
        "responses": {"200": ok, "400": {"description": "Bad", "content": ERROR}},
    }


def _ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}


CONTRACT: Json = {
    "openapi": "3.1.0",
    "info": {"title": "Own schemas", "version": "1"},
    "paths": {
        "/schemas": {
            "post": _operation(
                "createSchema",
                {
                    "application/json": {"schema": DEFINITION},
                    "multipart/form-data": {"schema": UPLOAD},
                    "text/csv": {"schema": CSV},
                },
            )
        },
        "/records": {
            "post": _operation(
                "uploadRecords",
                {"multipart/form-data": {"schema": UPLOAD}, "text/csv": {"schema": CSV}},
            )
        },
        "/sheets": {  # the file's type checked: its encoding's contentType
            "post": _operation(
                "uploadSheet",
                {
                    "multipart/form-data": {"schema": UPLOAD, "encoding": SHEET},
                    "text/csv": {"schema": CSV},
                },
            )
        },
        "/videos": {
            "post": _operation(
                "createVideo",
                {
                    "multipart/form-data": {"schema": _ref("VideoForm")},
                    "application/json": {"schema": _ref("VideoJson")},
                },
            )
        },
        "/calls": {
            "post": _operation(
                "createCall",
                {
                    "multipart/form-data": {"schema": _ref("CallForm"), "encoding": ENCODING},
                    "application/sdp": {"schema": {"type": "string"}},
                },
            )
        },
        "/transcriptions": {
            "post": _operation(
                "createTranscription",
                {"multipart/form-data": {"schema": TRANSCRIPTION}},
            )
        },
        "/skills": {
            "post": _operation(
                "createSkill",
                {
                    "application/json": {"schema": _ref("Skill")},
                    "multipart/form-data": {"schema": _ref("Skill")},
                },
            )
        },
    },
    "components": {
        "schemas": {
            "Error": {"type": "object", "properties": {"message": {"type": "string"}}},
            "Reference": {
                "type": "object",
                "required": ["url"],
                "properties": {"url": {"type": "string"}},
            },
            "VideoJson": {
                "type": "object",
                "required": ["prompt"],
                "properties": {"prompt": {"type": "string"}, "reference": _ref("Reference")},
            },
            "VideoForm": {
                "type": "object",
                "required": ["prompt"],
                "properties": {
                    "prompt": {"type": "string"},
                    "reference": {"oneOf": [FILE, _ref("Reference")]},
                    "seconds": {"type": "integer", "maximum": 8},
                },
            },
            "Vad": {"type": "object", "properties": {"threshold": {"type": "number"}}},
            "CallForm": {
                "type": "object",
                "required": ["sdp"],
                "additionalProperties": False,
                "properties": {"sdp": {"type": "string"}, "session": _ref("Reference")},
            },
            "Skill": {
                "type": "object",
                "required": ["files"],
                "properties": {
                    "files": {"oneOf": [{"type": "array", "items": FILE}, FILE]},
                },
            },
        }
    },
}

SERVICE = """
    if isinstance(body, FormData):
        return {
            "form": {
                key: value.file.read().decode()
                if isinstance(value, UploadFile)
                else value
                for key, value in body.multi_items()
            }
        }
    if isinstance(body, str):
        return {"text": body}
    return {type(body).__name__: body.model_dump(mode="json")}
"""

REQUESTS: dict[str, tuple[str, Json, int, Json | None]] = {
    "definition": (
        "/schemas",
        {"json": {"name": "x"}},
        200,
        {"CreateSchemaRequest": {"name": "x"}},
    ),
    "definition too long": ("/schemas", {"json": {"name": "toolong"}}, 400, None),
    "upload": ("/schemas", {"files": [("file", "a.csv", "a,b")]}, 200, {"form": {"file": "a,b"}}),
    "upload without file": ("/schemas", {"files": [("other", "o.csv", "x")]}, 400, None),
    "form not listed": ("/schemas", {"data": {"file": "x"}}, 415, None),
    "csv": (
        "/schemas",
        {"content": "a,b", "headers": {"content-type": "text/csv"}},
        200,
        {"text": "a,b"},
    ),
    "csv too long": (
        "/schemas",
        {"content": "a" * 21, "headers": {"content-type": "text/csv"}},
        400,
        None,
    ),
    "xml": (
        "/schemas",
        {"content": "<a/>", "headers": {"content-type": "application/xml"}},
        415,
        None,
    ),
    "nothing": ("/schemas", {}, 400, None),
    "records csv": (
        "/records",
        {"content": "a", "headers": {"content-type": "text/csv; charset=utf-8"}},
        200,
        {"text": "a"},
    ),
    "records upload": (
        "/records",
        {"files": [("file", "r.csv", "x")]},
        200,
        {"form": {"file": "x"}},
    ),
    "sheet upload": (
        "/sheets",
        {"files": [("file", "s.tsv", "x", "text/tab-separated-values")]},
        200,
        {"form": {"file": "x"}},
    ),
    "sheet of another type": (
        "/sheets",
        {"files": [("file", "s.png", "x", "image/png")]},
        400,
        None,
    ),
    "video json": (
        "/videos",
        {"json": {"prompt": "p", "reference": {"url": "u"}}},
        200,
        {"VideoJson": {"prompt": "p", "reference": {"url": "u"}}},
    ),
    "video form with file": (
        "/videos",
        {"data": {"prompt": "p"}, "files": [("reference", "i.png", "img")]},
        200,
        {"form": {"prompt": "p", "reference": "img"}},
    ),
    "video form with reference": (
        "/videos",
        {"data": {"prompt": "p", "reference": '{"url": "u"}'}, "files": [("x", "x", "")]},
        200,
        None,
    ),
    "video form of seconds": (
        "/videos",
        {"data": {"prompt": "p", "seconds": "8"}, "files": [("x", "x", "")]},
        200,
        {"form": {"prompt": "p", "seconds": "8", "x": ""}},
    ),
    "video form too long": (
        "/videos",
        {"data": {"prompt": "p", "seconds": "9"}, "files": [("x", "x", "")]},
        400,
        None,
    ),
    "call form": (
        "/calls",
        {"data": {"sdp": "v=0", "session": '{"url": "u"}'}, "files": [("x", "x", "")]},
        200,
        {"CallForm": {"sdp": "v=0", "session": {"url": "u"}}},
    ),
    "call form of another field": (
        "/calls",
        {"data": {"sdp": "v=0", "other": "o"}, "files": [("x", "x", "")]},
        400,
        None,
    ),
    "call offer": (
        "/calls",
        {"content": "v=0", "headers": {"content-type": "application/sdp"}},
        200,
        {"text": "v=0"},
    ),
    "video form without prompt": ("/videos", {"files": [("reference", "i.png", "i")]}, 400, None),
    "video json file": ("/videos", {"json": {"prompt": "p", "reference": "i"}}, 400, None),
    "skill files": (
        "/skills",
        {"files": [("files", "a.md", "A"), ("files", "b.md", "B")]},
        200,
        {"form": {"files": "B"}},
    ),
    "skill one file": ("/skills", {"files": [("files", "a.md", "A")]}, 200, None),
    "skill json": ("/skills", {"json": {"files": "text"}}, 200, {"Skill": {"files": "text"}}),
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Json:
    """The project of the contract, generated, its services filled, and served."""
    project = tmp_path_factory.mktemp("own-schemas")
    lay_out_template(project)
    (project / "specs/openapi.yaml").write_text(yaml.safe_dump(CONTRACT, sort_keys=False))
    generate(project / "specs/openapi.yaml", None, project)
    service = project / "src/services/default.py"
    text = service.read_text()
    filled = ("createSchema", "uploadRecords", "uploadSheet", "createVideo", "createCall")
    for operation in (*filled, "createSkill"):
        text = text.replace(f'    raise ServiceNotImplementedError("{operation}")\n', SERVICE)
    text = text.replace('raise ServiceNotImplementedError("createTranscription")', "return {}")
    text = text.replace("from fastapi import UploadFile\n", "")  # Starlette's is the form's
    text = text.replace("import FormData\n", "import FormData, UploadFile\n")
    text = text.replace("from src.core.errors import ServiceNotImplementedError\n", "")
    service.write_text(text)
    sent = send_requests(project, {n: ("POST", u, s) for n, (u, s, *_) in REQUESTS.items()})
    return {"project": project, **sent}


def test_each_media_type_is_served_with_its_own_schema(served: Json) -> None:
    paths = served["openapi"]["paths"]
    schemas = paths["/schemas"]["post"]["requestBody"]
    assert schemas["required"] is True
    content = schemas["content"]
    assert list(content) == ["application/json", "multipart/form-data", "text/csv"]
    assert content["multipart/form-data"]["schema"] == UPLOAD
    sheets = paths["/sheets"]["post"]["requestBody"]["content"]
    assert sheets["multipart/form-data"] == {"schema": UPLOAD, "encoding": SHEET}
    assert content["text/csv"]["schema"] == CSV
    videos = paths["/videos"]["post"]["requestBody"]["content"]
    assert videos["multipart/form-data"]["schema"] == _ref("VideoForm")
    assert videos["application/json"]["schema"] == _ref("VideoJson")
    assert {"VideoForm", "VideoJson"} <= set(served["openapi"]["components"]["schemas"])
    # a form part's schema names Vad: served, by a reference that resolves or in place
    served_text = json.dumps(served["openapi"])
    named = set(re.findall(r'"#/components/schemas/([^"]+)"', served_text))
    assert named <= set(served["openapi"]["components"]["schemas"])
    assert '"threshold"' in served_text
    calls = paths["/calls"]["post"]["requestBody"]["content"]
    assert calls["multipart/form-data"] == {"schema": _ref("CallForm"), "encoding": ENCODING}


@pytest.mark.parametrize("name", list(REQUESTS))
def test_each_media_type_is_read_into_its_own_type(served: Json, name: str) -> None:
    """JSON into its model, a form with files as the form (its files passed on), text
    as text; each refused where its own schema refuses it."""
    status, body = served["responses"][name]
    _, _, expected_status, expected_body = REQUESTS[name]
    assert status == expected_status, body
    if expected_body is not None:
        assert body == expected_body


def test_the_service_takes_the_union_of_the_media_types(served: Json) -> None:
    service = (served["project"] / "src/services/default.py").read_text()
    assert "body: CreateSchemaRequest | FormData | str," in service
    assert "body: FormData | str," in service
    assert "body: VideoForm | VideoJson," not in service  # its file is no model's field
    assert "body: Skill | FormData," in service


def test_the_fidelity_check_finds_every_media_type_served(served: Json) -> None:
    result, report = run_fidelity(served["project"])
    assert report is not None, result.stdout + result.stderr
    assert report["differences"] == [], result.stdout


def test_the_generated_code_is_clean(served: Json) -> None:
    assert_code_is_clean(served["project"])
