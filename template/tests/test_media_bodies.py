"""Bodies whose media types each carry their own schema (src/core/media_bodies.py), on an
app of the test's own: JSON into a model, a form into a model or as a form checked
against its schema, text, raw bytes, and sequential bodies item by item (JSON Lines, a
JSON text sequence, multipart parts by position), each refused where invalid."""

from collections.abc import Iterator
from typing import Annotated, Any

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel
from starlette.datastructures import FormData, UploadFile

from src.core.media_bodies import ByMediaType, MediaBody
from src.core.sequences import RS


class Definition(BaseModel):
    name: str
    size: int = 0


class Meta(BaseModel):
    title: str


UPLOAD = {
    "type": "object",
    "required": ["file"],
    "properties": {
        "file": {"type": "string", "format": "binary"},
        "tags": {"type": "array", "items": {"type": "integer"}},
    },
}
ENRICHMENT = ByMediaType(
    MediaBody("application/json", Definition, {"type": "object"}),
    MediaBody("application/x-www-form-urlencoded", Definition),
    MediaBody(
        "multipart/form-data", FormData, UPLOAD, {"file": {"contentType": "text/csv"}}
    ),
    MediaBody("text/csv", str, {"type": "string", "maxLength": 10}),
    MediaBody("image/*", bytes, {"type": "string", "format": "binary"}),
    required=True,
)
SEQUENCES = ByMediaType(
    MediaBody("application/jsonl", list[Definition], item_schema={}, items=Definition),
    MediaBody(
        "application/json-seq",
        list[int],
        {"type": "array", "maxItems": 3},
        item_schema={"type": "integer", "minimum": 0},
        items=int,
    ),
    MediaBody(
        "multipart/mixed",
        list[Any],
        prefix_encoding=[{"contentType": "application/json"}, {}],
        item_encoding={"contentType": "image/*"},
        positions=(Meta, dict[str, int]),
        items=bytes,
    ),
    required=True,
)
OPTIONAL = ByMediaType(MediaBody("application/json", Definition))


def described(value: Any) -> Any:
    """What the service got, as JSON: each value's type and content."""
    if isinstance(value, list):
        return [described(item) for item in value]
    if isinstance(value, BaseModel):
        return {type(value).__name__: value.model_dump()}
    if isinstance(value, FormData):
        return {
            "FormData": [
                [key, item.filename if isinstance(item, UploadFile) else item]
                for key, item in value.multi_items()
            ]
        }
    if isinstance(value, bytes):
        return {"bytes": value.hex()}
    return {type(value).__name__: value}


app = FastAPI()


@app.post("/enrichments")
def enrich(body: Annotated[Any, Depends(ENRICHMENT)]) -> Any:
    return described(body)


@app.post("/sequences")
def sequence(body: Annotated[Any, Depends(SEQUENCES)]) -> Any:
    return described(body)


@app.post("/optional")
def optional(body: Annotated[Any, Depends(OPTIONAL)]) -> Any:
    return described(body)


@pytest.fixture
def api() -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def post(api: TestClient, path: str, content: bytes, content_type: str) -> Any:
    """The JSON answer to ``content`` posted as ``content_type``."""
    response = api.post(path, content=content, headers={"Content-Type": content_type})
    return response.status_code, response.json()


def refused(api: TestClient, path: str, content: bytes, content_type: str) -> Any:
    """The (type, location) of each error a 422 answers ``content`` with."""
    status, answer = post(api, path, content, content_type)
    assert status == 422, answer
    return [(error["type"], error["loc"]) for error in answer["detail"]]


def test_each_media_type_is_read_as_its_own_type(api: TestClient) -> None:
    assert post(api, "/enrichments", b'{"name": "a"}', "application/json") == (
        200,
        {"Definition": {"name": "a", "size": 0}},
    )
    assert post(
        api, "/enrichments", b"name=b&size=3", "application/x-www-form-urlencoded"
    ) == (200, {"Definition": {"name": "b", "size": 3}})
    assert post(api, "/enrichments", b"caf\xe9", "text/csv; charset=latin-1") == (
        200,
        {"str": "café"},
    )
    assert post(api, "/enrichments", b"\x89PNG", "image/png") == (
        200,
        {"bytes": "89504e47"},
    )


def test_a_form_of_no_model_is_handed_over_once_valid(api: TestClient) -> None:
    response = api.post(
        "/enrichments",
        files={"file": ("rules.csv", b"a,b\n", "text/csv")},
        data={"tags": ["1", "2"]},
    )
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "FormData": [["tags", "1"], ["tags", "2"], ["file", "rules.csv"]]
    }


def test_a_form_against_its_schema_is_refused_where_it_is_not(
    api: TestClient,
) -> None:
    response = api.post(
        "/enrichments",
        files={"file": ("rules.csv", b"a,b\n", "text/csv")},
        data={"tags": ["1", "x"]},
    )
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "tags", 1]]
    response = api.post("/enrichments", files={"other": ("a.txt", b"x", "text/csv")})
    assert response.status_code == 422
    assert [e["type"] for e in response.json()["detail"]] == ["required"]


def test_a_file_of_a_type_its_encoding_does_not_list_is_refused(
    api: TestClient,
) -> None:
    response = api.post(
        "/enrichments", files={"file": ("page.html", b"<p>", "text/html")}
    )
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "file"]]


@pytest.mark.parametrize(
    ("content", "content_type", "errors"),
    [
        (b'{"size": 1}', "application/json", [("missing", ["body", "name"])]),
        (b'{"name": ', "application/json", [("json_invalid", ["body", 0])]),
        (
            b"name=a&size=big",
            "application/x-www-form-urlencoded",
            [("int_parsing", ["body", "size"])],
        ),
        (b"far too long text", "text/csv", [("maxLength", ["body"])]),
        (b"abc", "text/csv; charset=nope", [("string_unicode", ["body"])]),
    ],
)
def test_an_invalid_body_is_refused_at_what_is_wrong(
    api: TestClient, content: bytes, content_type: str, errors: list[Any]
) -> None:
    assert refused(api, "/enrichments", content, content_type) == errors


def test_a_media_type_the_contract_does_not_list_is_unsupported(
    api: TestClient,
) -> None:
    status, _ = post(api, "/enrichments", b"<a/>", "application/xml")
    assert status == 415


def test_a_missing_body_is_refused_only_where_it_is_required(
    api: TestClient,
) -> None:
    assert refused(api, "/enrichments", b"", "application/json") == [
        ("missing", ["body"])
    ]
    assert post(api, "/optional", b"", "application/json") == (200, {"NoneType": None})


def test_json_lines_are_read_item_by_item(api: TestClient) -> None:
    lines = b'{"name": "a"}\n{"name": "b", "size": 2}\n'
    assert post(api, "/sequences", lines, "application/jsonl") == (
        200,
        [
            {"Definition": {"name": "a", "size": 0}},
            {"Definition": {"name": "b", "size": 2}},
        ],
    )
    assert refused(api, "/sequences", b'{"name": "a"}\n{}\n', "application/jsonl") == [
        ("missing", ["body", 1, "name"])
    ]
    assert refused(api, "/sequences", b"\n", "application/jsonl") == [
        ("missing", ["body"])  # a body of no item is a missing one
    ]


def test_a_sequence_is_checked_item_by_item_and_as_a_whole(api: TestClient) -> None:
    def records(*values: bytes) -> bytes:
        return b"".join(RS + value + b"\n" for value in values)

    assert post(api, "/sequences", records(b"1", b"2"), "application/json-seq") == (
        200,
        [{"int": 1}, {"int": 2}],
    )
    assert refused(api, "/sequences", records(b"1", b"-2"), "application/json-seq") == [
        ("minimum", ["body", 1])
    ]
    assert refused(
        api, "/sequences", records(b"1", b"2", b"3", b"4"), "application/json-seq"
    ) == [("maxItems", ["body"])]


BOUNDARY = "sep42"


def multipart(*parts: tuple[str | None, bytes]) -> bytes:
    """A multipart body of ``parts`` (each its Content-Type, if any, and its bytes)."""
    body = b""
    for content_type, data in parts:
        body += f"--{BOUNDARY}\r\n".encode()
        if content_type is not None:
            body += f"Content-Type: {content_type}\r\n".encode()
        body += b"\r\n" + data + b"\r\n"
    return body + f"--{BOUNDARY}--\r\n".encode()


MIXED = f"multipart/mixed; boundary={BOUNDARY}"


def test_multipart_parts_are_read_by_position(api: TestClient) -> None:
    raw = multipart(
        ("application/json", b'{"title": "cover"}'),
        (None, b'{"pages": 3}'),  # no type: an object is JSON, OpenAPI's default
        ("image/png", b"\x89PNG"),
        ("image/gif", b"GIF8"),
    )
    assert post(api, "/sequences", raw, MIXED) == (
        200,
        [
            {"Meta": {"title": "cover"}},
            {"dict": {"pages": 3}},
            {"bytes": "89504e47"},
            {"bytes": "47494638"},
        ],
    )


@pytest.mark.parametrize(
    ("parts", "errors"),
    [
        (
            [
                ("application/json", b'{"title": "a"}'),
                (None, b"{}"),
                ("text/html", b""),
            ],
            [("content_type", ["body", 2])],  # not among the image types listed
        ),
        ([("application/json", b"{oops")], [("json_invalid", ["body", 0])]),
        ([("application/json", b"{}")], [("missing", ["body", 0, "title"])]),
        (
            [
                ("application/json", b'{"title": "a"}'),
                ("text/plain; charset=nope", b"{}"),
            ],
            [("string_unicode", ["body", 1])],
        ),
    ],
)
def test_a_part_is_refused_at_its_position(
    api: TestClient, parts: list[tuple[str | None, bytes]], errors: list[Any]
) -> None:
    assert refused(api, "/sequences", multipart(*parts), MIXED) == errors


def test_the_request_body_served_is_each_media_type_as_written() -> None:
    served = SEQUENCES.served()
    assert served["required"] is True
    assert list(served["content"]) == [
        "application/jsonl",
        "application/json-seq",
        "multipart/mixed",
    ]
    assert served["content"]["application/json-seq"] == {
        "schema": {"type": "array", "maxItems": 3},
        "itemSchema": {"type": "integer", "minimum": 0},
    }
    assert served["content"]["multipart/mixed"] == {
        "prefixEncoding": [{"contentType": "application/json"}, {}],
        "itemEncoding": {"contentType": "image/*"},
    }


def test_a_30_contract_validates_in_its_own_dialect() -> None:
    schema = {"type": "integer", "minimum": 0, "exclusiveMinimum": True}
    validator = ByMediaType(dialect="3.0.3").validator(schema, {})
    assert not validator.is_valid(0)  # JSON Schema draft 4's boolean exclusiveMinimum
    assert validator.is_valid(1)
