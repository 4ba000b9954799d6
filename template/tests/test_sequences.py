"""Sequential media types (src/core/sequences.py): bodies read into their items (JSON
Lines, JSON text sequences, server-sent events, multipart parts) and streamed responses
written in the media type the request prefers, on an app of the test's own."""

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.testclient import TestClient
from pydantic import BaseModel, ValidationError
from starlette.responses import PlainTextResponse, Response

from src.core.sequences import RS, Part, framing, items, streamed

BOUNDARY = "sep42"
MIXED = f"multipart/mixed; boundary={BOUNDARY}"


def refusal(raw: bytes, content_type: str) -> dict[str, Any]:
    """The one error ``items`` refuses ``raw`` with."""
    with pytest.raises(RequestValidationError) as caught:
        items(raw, content_type)
    (error,) = caught.value.errors()
    assert isinstance(error, dict)
    return error


def multipart(*parts: tuple[str | None, bytes], closed: bool = True) -> bytes:
    """A multipart body of ``parts`` (each its Content-Type, if any, and its bytes)."""
    body = b""
    for content_type, data in parts:
        body += f"--{BOUNDARY}\r\n".encode()
        if content_type is not None:
            body += f"Content-Type: {content_type}\r\n".encode()
        body += b"\r\n" + data + b"\r\n"
    return body + (f"--{BOUNDARY}--\r\n".encode() if closed else b"")


@pytest.mark.parametrize(
    ("media_type", "framed"),
    [
        ("application/jsonl", "lines"),
        ("application/x-ndjson; charset=utf-8", "lines"),
        ("Application/JSON-Seq", "records"),
        ("application/geo+json-seq", "records"),
        ("text/event-stream", "events"),
        ("multipart/mixed; boundary=x", "parts"),
        ("multipart/form-data", "parts"),
        ("application/json", None),
        ("text/plain", None),
    ],
)
def test_framing_names_how_each_media_type_frames_its_items(
    media_type: str, framed: str | None
) -> None:
    assert framing(media_type) == framed


def test_json_lines_are_one_value_per_line() -> None:
    raw = b'{"name": "a"}\r\n\n[1, 2]\n"three"\n'  # a blank line is no item
    assert items(raw, "application/jsonl") == [{"name": "a"}, [1, 2], "three"]
    assert items(b'\xef\xbb\xbf{"n": 1}', "application/x-ndjson") == [{"n": 1}]


def test_a_line_that_is_no_json_is_refused_at_its_item() -> None:
    error = refusal(b'{"n": 1}\n\n{"n": \n', "application/jsonl")
    assert error["type"] == "json_invalid"
    assert error["loc"] == ("body", 1)  # the second item, on the third line
    assert "line 3" in error["msg"]


def test_json_text_sequences_are_one_value_per_record() -> None:
    raw = RS + b'{"name": "a"}\n' + RS + b"2\n" + RS + b'"x"'
    assert items(raw, "application/json-seq") == [{"name": "a"}, 2, "x"]


def test_a_record_that_is_no_json_is_refused_at_its_item() -> None:
    error = refusal(RS + b"1\n" + RS + b"{oops\n", "application/json-seq")
    assert error["type"] == "json_invalid"
    assert error["loc"] == ("body", 1)
    assert "record 2" in error["msg"]


def test_a_body_that_is_no_utf8_is_refused_as_a_whole() -> None:
    error = refusal(b'"caf\xe9"\n', "application/jsonl")
    assert error["type"] == "string_unicode"
    assert error["loc"] == ("body",)


@pytest.mark.parametrize(
    "content_type",
    ["application/jsonl", "application/json-seq", "text/event-stream", MIXED],
)
def test_an_empty_body_has_no_items(content_type: str) -> None:
    assert items(b"", content_type) == []


def test_events_are_read_as_the_html_standard_parses_a_stream() -> None:
    stream = (
        "event: ping\ndata: first\ndata:second\nid: 7\nretry: 1500\n\n"
        ": a comment, then a block without data: no event\nevent: lonely\n\n"
        "data\r\nid: a\0b\r\nretry: soon\r\ncolour: red\r\n\r\n"
        "data:  two spaces keep one\r"
        "data: the last event needs no blank line after it"
    )
    assert items(stream.encode(), "text/event-stream") == [
        {"data": "first\nsecond", "event": "ping", "id": "7", "retry": 1500},
        {"data": ""},  # a field without a colon has an empty value
        {"data": " two spaces keep one\nthe last event needs no blank line after it"},
    ]


def test_multipart_parts_are_read_by_position_with_their_content_type() -> None:
    raw = multipart(
        ("application/json", b'{"title": "x"}'),
        ("Text/Plain; charset=ISO-8859-1", "café".encode("latin-1")),
        (None, b"\x89PNG\r\n--not-the-boundary"),
    )
    assert items(raw, MIXED) == [
        Part("application/json", None, b'{"title": "x"}'),
        Part("text/plain", "ISO-8859-1", "café".encode("latin-1")),
        Part("", None, b"\x89PNG\r\n--not-the-boundary"),
    ]


def test_a_multipart_body_needs_a_boundary() -> None:
    error = refusal(multipart((None, b"x")), "multipart/mixed")
    assert error["type"] == "multipart"
    assert error["loc"] == ("body",)


def test_a_multipart_body_without_its_closing_boundary_is_refused() -> None:
    raw = multipart((None, b"one"), (None, b"two"), closed=False)
    error = refusal(raw, MIXED)
    assert error["type"] == "multipart"
    assert error["loc"] == ("body", 1)  # the second part has no end
    assert "closing boundary" in error["msg"]


def test_a_body_that_is_no_multipart_is_refused() -> None:
    error = refusal(b"--other\r\nContent-Type: text/plain\r\n\r\nx", MIXED)
    assert error["type"] == "multipart"
    assert error["loc"] == ("body", 0)


class Event(BaseModel):
    """An item of the streams below: a server-sent event's fields."""

    data: Any = None
    event: str | None = None
    id: str | None = None
    retry: int | None = None


@dataclass
class Row:
    """An object the service returns in place of a model (read by its attributes)."""

    data: Any
    event: str | None = None


STREAMED = ("application/jsonl", "application/json-seq", "text/event-stream")
EVENTS = [
    Row({"n": 1}, event="count"),
    Event(data="two\nlines", id="2", retry=10),
    {"data": "plain"},
]

app = FastAPI()


@app.get("/events")
def events() -> Response:
    def produced() -> Iterator[Any]:
        yield from EVENTS

    return streamed(produced(), Event, *STREAMED)


@app.get("/numbers")
def numbers() -> Response:
    async def produced() -> AsyncIterator[int]:
        for number in (1, 2, 3):
            yield number

    return streamed(produced(), int, "text/event-stream", "application/jsonl")


@app.get("/invalid")
def invalid() -> Response:
    return streamed([1, "not a number"], int, "application/jsonl")


@app.get("/own")
def own() -> Response:
    return streamed(PlainTextResponse("as built", 203), int, "application/jsonl")


@pytest.fixture
def streams() -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def test_a_stream_is_json_lines_by_default(streams: TestClient) -> None:
    response = streams.get("/events")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/jsonl"
    assert response.text == (
        '{"data":{"n":1},"event":"count","id":null,"retry":null}\n'
        '{"data":"two\\nlines","event":null,"id":"2","retry":10}\n'
        '{"data":"plain","event":null,"id":null,"retry":null}\n'
    )


def test_a_stream_is_a_json_text_sequence_for_who_prefers_it(
    streams: TestClient,
) -> None:
    accept = "application/json-seq, application/jsonl;q=0.5"
    response = streams.get("/events", headers={"Accept": accept})
    assert response.headers["content-type"] == "application/json-seq"
    records = response.content.split(RS)
    assert records[0] == b""  # each record starts with the separator
    assert len(records) == 4
    assert records[2] == b'{"data":"two\\nlines","event":null,"id":"2","retry":10}\n'


def test_a_stream_is_server_sent_events_for_who_prefers_it(
    streams: TestClient,
) -> None:
    response = streams.get("/events", headers={"Accept": "text/event-stream"})
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-cache"
    assert response.text == (
        'event: count\ndata: {"n": 1}\n\n'
        "id: 2\nretry: 10\ndata: two\ndata: lines\n\n"
        "data: plain\n\n"
    )


def test_a_stream_of_plain_items_from_an_async_generator(streams: TestClient) -> None:
    response = streams.get("/numbers")
    assert response.text == "data: 1\n\ndata: 2\n\ndata: 3\n\n"
    response = streams.get("/numbers", headers={"Accept": "application/jsonl"})
    assert response.text == "1\n2\n3\n"


def test_an_item_of_the_wrong_type_ends_the_stream_with_an_error(
    streams: TestClient,
) -> None:
    with pytest.raises(ValidationError):
        streams.get("/invalid")


def test_a_response_the_service_builds_is_answered_as_it_is(
    streams: TestClient,
) -> None:
    response = streams.get("/own", headers={"Accept": "application/jsonl"})
    assert response.status_code == 203
    assert response.text == "as built"
