"""What a media type of the contract is, as the loader and the emitters read it."""

from __future__ import annotations


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
