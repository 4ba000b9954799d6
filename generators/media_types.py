"""What a media type of the contract is, as the loader and the emitters read it."""

from __future__ import annotations

from typing import Literal


def base(media_type: str) -> str:
    """``"Application/JSON; charset=utf-8"`` → ``"application/json"``."""
    return media_type.split(";")[0].strip().lower()


def is_json(media_type: str) -> bool:
    """JSON, ``text/json`` (ASP.NET's alias of it), a ``+json`` type, or ``*/*`` (whose
    body the app reads as JSON)."""
    kind = base(media_type)
    return kind in ("application/json", "text/json", "*/*") or kind.endswith("+json")


def is_xml(media_type: str) -> bool:
    kind = base(media_type)
    return kind in ("application/xml", "text/xml") or kind.endswith("+xml")


Framing = Literal["lines", "records", "events", "parts"]
_LINES = ("application/jsonl", "application/x-ndjson")


def framing(media_type: str) -> Framing | None:
    """How a sequential media type (OpenAPI 3.2) frames its items, None for another:
    a JSON value per line (JSON Lines, NDJSON), per record (RFC 7464 JSON text sequences,
    ``+json-seq``: each after a record separator, 0x1E), a server-sent event per
    ``text/event-stream`` block, a part per ``multipart`` body part."""
    kind = base(media_type)
    if kind in _LINES:
        return "lines"
    if kind == "application/json-seq" or kind.endswith("+json-seq"):
        return "records"
    if kind == "text/event-stream":
        return "events"
    if kind.startswith("multipart/"):
        return "parts"
    return None
