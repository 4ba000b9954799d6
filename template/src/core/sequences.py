"""Sequential media types (OpenAPI 3.2): bodies and responses that are a sequence of items.

A Media Type Object's ``itemSchema`` describes each item of such a body rather than the
whole: each line of JSON Lines (``application/jsonl``) or NDJSON
(``application/x-ndjson``), each record of a JSON text sequence (RFC 7464,
``application/json-seq`` and the ``+json-seq`` types: each JSON text after a record
separator, 0x1E), each event of a server-sent event stream (``text/event-stream``), each
part of a ``multipart`` body. ``prefixEncoding`` and ``itemEncoding`` give the parts of a
``multipart`` body their Encoding Object by position, as ``prefixItems`` and ``items``
give them their schema.

:func:`items` reads a request body into its items, as OpenAPI models them: a JSON value
per line or record; an event as the object of the fields the HTML standard's parsing of
an event stream gives it (``data``, the data lines joined; ``event``; ``id``; ``retry``,
a number; comments and other fields left out, and a block without data is no event);
a part of a multipart body as a :class:`Part`, its content type and its bytes (read by
python-multipart's parser, the one Starlette reads forms with: multipart/mixed has no
field names, so Starlette's form reader refuses its parts). A body that cannot be read
so is invalid input, the item it fails at named by its index (``("body", 2)``).

:func:`streamed` answers a route whose success is such a stream: the service returns the
items (any iterable, or an async one: a generator streams them as it yields them), each
is validated against the item's type, as FastAPI validates a returned model (one it
refuses ends the stream with an error: its status is sent already), and written
in the media type the request's ``Accept`` prefers among those the contract documents:
one JSON text per line, one after each record separator, or one event per item (its
``event``, ``id``, ``retry`` and ``data`` fields, ``data`` over as many ``data:`` lines
as it has lines). A service that builds its own ``Response`` has it answered as it is.
"""

import json
import re
from collections.abc import AsyncIterable, AsyncIterator, Iterable
from dataclasses import dataclass
from typing import Any

from fastapi.exceptions import RequestValidationError
from pydantic import TypeAdapter
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.concurrency import iterate_in_threadpool
from starlette.datastructures import Headers
from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from src.core.representations import preferred

RS = b"\x1e"
"""The record separator of a JSON text sequence (RFC 7464)."""
_LINES = ("application/jsonl", "application/x-ndjson")
_NEWLINE = re.compile(r"\r\n|\r|\n")
"""An event stream's line ends; a JSON Lines body's are ``\n`` (``\r\n`` too)."""
_EVENT_FIELDS = ("event", "id", "retry")
"""The fields of a server-sent event besides ``data``, in the order they are written."""


def framing(media_type: str) -> str | None:
    """How a sequential media type frames its items: ``lines``, ``records``,
    ``events`` or ``parts``; None for a media type that is no sequential one."""
    kind = media_type.split(";")[0].strip().lower()
    if kind in _LINES:
        return "lines"
    if kind == "application/json-seq" or kind.endswith("+json-seq"):
        return "records"
    if kind == "text/event-stream":
        return "events"
    if kind.startswith("multipart/"):
        return "parts"
    return None


@dataclass(frozen=True)
class Part:
    """One part of a multipart body: its ``Content-Type`` ("" where it has none), the
    charset that names, and its bytes."""

    content_type: str
    charset: str | None
    data: bytes


def items(raw: bytes, content_type: str) -> list[Any]:
    """The items of a body of a sequential media type (``content_type``, the request's)."""
    found = framing(content_type)
    if found == "parts":
        return _parts(raw, content_type)
    text = _text(raw)
    if found == "events":
        return _events(text)
    if found == "records":
        return _json_texts(text.split(RS.decode()), "record")
    return _json_texts(text.split("\n"), "line")


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")  # each of them is UTF-8 (a BOM allowed before)
    except UnicodeDecodeError as error:
        raise invalid("string_unicode", f"the body is not UTF-8: {error}") from error


def _json_texts(pieces: list[str], name: str) -> list[Any]:
    """Each piece's JSON value; blank pieces (a last newline, the empty text before a
    sequence's first separator) are no item. One that is no JSON is named by its
    line, or record, number (and its item's index)."""
    values: list[Any] = []
    for number, piece in enumerate(pieces, start=1):
        if not piece.strip():
            continue
        try:
            values.append(json.loads(piece))
        except ValueError as error:
            place = number if name == "line" else len(values) + 1
            message = f"JSON decode error in {name} {place}: {error}"
            raise invalid("json_invalid", message, len(values)) from error
    return values


def _events(text: str) -> list[dict[str, Any]]:
    """The events of an event stream, as the HTML standard parses it: ``field: value``
    lines (one space after the colon dropped), ``:`` comments, a blank line ending an
    event; ``data`` lines joined by newlines, an ``id`` holding NUL and a ``retry`` that
    is not all digits ignored, as is any other field. A block without data dispatches
    no event; the last one is read also without a blank line after it (the body is
    complete)."""
    events: list[dict[str, Any]] = []
    event: dict[str, Any] = {}
    data: list[str] = []
    for line in [*_NEWLINE.split(text), ""]:
        if not line:
            if data:
                events.append({"data": "\n".join(data), **event})
            event, data = {}, []
            continue
        if line.startswith(":"):
            continue
        name, colon, value = line.partition(":")
        value = value.removeprefix(" ") if colon else ""
        if name == "data":
            data.append(value)
        elif name == "event":
            event["event"] = value
        elif name == "id" and "\0" not in value:
            event["id"] = value
        elif name == "retry" and value.isascii() and value.isdigit():
            event["retry"] = int(value)
    return events


def _parts(raw: bytes, content_type: str) -> list[Part]:
    """The parts of a multipart body, by python-multipart's parser."""
    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if not boundary:
        raise invalid("multipart", "a multipart body needs a boundary parameter")
    parts: list[Part] = []
    headers: list[tuple[bytes, bytes]] = []
    name, value, data = bytearray(), bytearray(), bytearray()
    ended = []

    def on_part_begin() -> None:
        headers.clear()
        data.clear()

    def on_header_field(chunk: bytes, start: int, end: int) -> None:
        name.extend(chunk[start:end])

    def on_header_value(chunk: bytes, start: int, end: int) -> None:
        value.extend(chunk[start:end])

    def on_header_end() -> None:
        headers.append((bytes(name).lower(), bytes(value)))
        name.clear()
        value.clear()

    def on_part_data(chunk: bytes, start: int, end: int) -> None:
        data.extend(chunk[start:end])

    def on_part_end() -> None:
        declared = dict(headers).get(b"content-type", b"").decode("latin-1")
        kind, parameters = parse_options_header(declared)
        charset = parameters.get(b"charset")
        parts.append(
            Part(
                kind.decode("latin-1").lower(),
                charset.decode("latin-1") if charset else None,
                bytes(data),
            )
        )

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
            "on_end": lambda: ended.append(True),
        },
    )
    try:
        parser.write(raw)
        parser.finalize()
    except MultipartParseError as error:
        raise invalid(
            "multipart", f"not a multipart body: {error}", len(parts)
        ) from error
    if raw.strip() and not ended:
        message = "the multipart body ends before its closing boundary"
        raise invalid("multipart", message, len(parts))
    return parts


def invalid(kind: str, message: str, *index: int) -> RequestValidationError:
    """The error of a body that cannot be read, at the item it fails at (if any)."""
    error = {"type": kind, "loc": ("body", *index), "msg": message, "input": None}
    return RequestValidationError([error])


def streamed(
    result: Iterable[Any] | AsyncIterable[Any] | Response,
    item: Any,
    *media_types: str,
    status_code: int = 200,
) -> Response:
    """The response of a route whose success is a stream of ``item``s, in the documented
    ``media_types`` (the service's own ``Response`` where it builds one)."""
    if isinstance(result, Response):
        return result
    return ItemStream(result, item, media_types, status_code)


class ItemStream(StreamingResponse):
    """Items, each validated as an ``item`` and written in the media type the request
    prefers among ``offered``: it is chosen when the response is sent, as the request's
    headers are at hand then."""

    def __init__(
        self,
        content: Iterable[Any] | AsyncIterable[Any],
        item: Any,
        offered: tuple[str, ...],
        status_code: int = 200,
    ) -> None:
        self.items = content
        self.adapter: TypeAdapter[Any] = TypeAdapter(item)
        self.offered = offered
        super().__init__(iter(()), status_code, media_type=offered[0])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        chosen = preferred(Headers(scope=scope).get("accept"), self.offered)
        self.headers["content-type"] = chosen
        if framing(chosen) == "events":
            self.headers["cache-control"] = "no-cache"
            self.headers["x-accel-buffering"] = "no"  # proxies pass each event on
        self.body_iterator = self._written(chosen)
        await super().__call__(scope, receive, send)

    async def _written(self, media_type: str) -> AsyncIterator[bytes]:
        kind = framing(media_type)
        source = self.items
        values = (
            source
            if isinstance(source, AsyncIterable)
            else iterate_in_threadpool(iter(source))
        )
        async for value in values:
            yield self._encoded(value, kind)

    def _encoded(self, value: Any, kind: str | None) -> bytes:
        valid = self.adapter.validate_python(value, from_attributes=True)
        if kind == "events":
            return _event(self.adapter.dump_python(valid, mode="json", by_alias=True))
        text = self.adapter.dump_json(valid, by_alias=True)
        return RS + text + b"\n" if kind == "records" else text + b"\n"


def _event(value: Any) -> bytes:
    """One server-sent event of an item (its fields; any other value is its data)."""
    fields = value if isinstance(value, dict) else {"data": value}
    lines = [
        f"{name}: {fields[name]}"
        for name in _EVENT_FIELDS
        if fields.get(name) is not None
    ]
    data = fields.get("data")
    if data is not None:
        text = data if isinstance(data, str) else json.dumps(data)
        lines += [f"data: {line}" for line in _NEWLINE.split(text)]
    return ("\n".join(lines) + "\n\n").encode()
