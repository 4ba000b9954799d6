"""OpenAPI 3.2 features the generated app does not serve yet, refused with their place.

A 3.2 document is read like a 3.1 one (its schemas are JSON Schema 2020-12), but a few of
its additions have no served form here yet. Left alone each would give a wrong app: an
``additionalOperations`` method not in upper case (``copy``) would be routed as ``COPY``
(Starlette matches upper-case methods only), an ``itemSchema`` where the app reads no items
(a parameter's content, ``application/json``: the sequential media types are read item by
item, ``src/core/sequences.py``) or a part by position whose Encoding Object gives
``headers`` would be served unchecked. Each is an error at its pointer, so ``specfoundry
check`` says what to change rather than generating such an app.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from generators import media_types
from generators.loading.document import Document
from generators.loading.refs import deref
from generators.problems import Problem, pointer

_PATH_ITEMS = (("paths",), ("webhooks",), ("components", "pathItems"))
_POSITIONAL = ("prefixEncoding", "itemEncoding")
_NESTED = ("headers", "encoding", "prefixEncoding", "itemEncoding")
"""What an Encoding Object of a part by position may say that the app does not read yet."""


def unsupported_problems(document: Document, version: str = "") -> list[Problem]:
    """An error at each use of an OpenAPI 3.2 feature the app cannot serve yet."""
    return [document.problem(pointer(*at), message) for at, message in _found(document)]


def _found(document: Document) -> Iterable[tuple[tuple[Any, ...], str]]:
    stack: list[tuple[Any, tuple[Any, ...]]] = [(document.data, ())]
    while stack:
        node, at = stack.pop()
        if isinstance(node, Mapping):
            yield from _in_node(node, at)
            if _is_media_type(at):
                yield from _sequential(document, node, at)
            stack += [(value, (*at, key)) for key, value in reversed(list(node.items()))]
        elif isinstance(node, list):
            stack += [(value, (*at, index)) for index, value in reversed(list(enumerate(node)))]


def _in_node(node: Mapping[str, Any], at: tuple[Any, ...]) -> Iterable[tuple[tuple[Any, ...], str]]:
    if _is_path_item(at):
        for method in node.get("additionalOperations") or {}:
            if isinstance(method, str) and method != method.upper():
                yield (
                    (*at, "additionalOperations", method),
                    (
                        f"additionalOperations method {method!r}: a request sends the method as"
                        " the key writes it (methods are case-sensitive), and the app routes"
                        f" upper-case methods only; write it {method.upper()!r}"
                    ),
                )


def _is_path_item(at: tuple[Any, ...]) -> bool:
    """Whether ``at`` is where OpenAPI puts a Path Item (a callback's too)."""
    if len(at) >= 1 and at[:-1] in _PATH_ITEMS:
        return True
    return len(at) >= 3 and at[-3] == "callbacks" and (len(at) < 4 or at[-4] != "properties")


def _is_media_type(at: tuple[Any, ...]) -> bool:
    """Whether ``at`` is a media type of a ``content`` map (its Media Type Object, or a
    reference to one in ``components/mediaTypes``)."""
    return len(at) >= 2 and at[-2] == "content" and "/" in str(at[-1])


def _sequential(
    document: Document, written: Mapping[str, Any], at: tuple[Any, ...]
) -> Iterable[tuple[tuple[Any, ...], str]]:
    """What the app cannot serve of a media type's ``itemSchema``, ``prefixEncoding``
    and ``itemEncoding`` (OpenAPI 3.2), at the Media Type Object that says it (through
    a ``$ref`` to ``components/mediaTypes``): a request body or a response reads and
    writes them for the sequential media types (``media_types.framing``), not a
    parameter or a header; and a part by position is checked for its ``contentType``,
    not its headers nor nested encodings."""
    kind = str(at[-1])
    framing = media_types.framing(kind)
    described = len(at) >= 4 and at[-4] in ("parameters", "headers")
    media, at = _followed(document, written, at)
    if "itemSchema" in media and (framing is None or described):
        where = "a parameter or a header" if described else f"{kind}, no sequential media type"
        yield (
            (*at, "itemSchema"),
            (
                f"itemSchema (OpenAPI 3.2: each item of a sequential media type) in {where} is"
                " not supported: the app reads items of application/jsonl, application/x-ndjson,"
                " application/json-seq, text/event-stream and multipart bodies; describe this"
                " content with schema"
            ),
        )
    positional = [key for key in _POSITIONAL if key in media]
    if framing != "parts" or not positional:
        return  # OpenAPI ignores them elsewhere
    if described:
        yield (
            (*at, positional[0]),
            f"{positional[0]} (OpenAPI 3.2) of a parameter or a header is not supported",
        )
        return
    if "itemSchema" not in media and not _is_array(document, media.get("schema"), at):
        yield (
            (*at, positional[0]),
            (
                f"{positional[0]} (OpenAPI 3.2: parts by position) needs an itemSchema or an"
                " array schema beside it: each part is an item of that array"
            ),
        )
    prefix = media.get("prefixEncoding")
    entries: list[tuple[tuple[Any, ...], Any]] = []
    if isinstance(prefix, list):
        entries += [(("prefixEncoding", index), entry) for index, entry in enumerate(prefix)]
    if "itemEncoding" in media:
        entries.append((("itemEncoding",), media["itemEncoding"]))
    for place, entry in entries:
        for key in _NESTED:
            if isinstance(entry, Mapping) and key in entry:
                yield (
                    (*at, *place, key),
                    (
                        f"{key} in an Encoding Object of a part by position is not supported"
                        " yet: the app checks each part's contentType only; leave it out"
                    ),
                )


def _followed(
    document: Document, media: Mapping[str, Any], at: tuple[Any, ...]
) -> tuple[Mapping[str, Any], tuple[Any, ...]]:
    """The Media Type Object ``media`` is or refers to, and where it is."""
    try:
        target, where = deref(document, media, pointer(*at))
    except (KeyError, ValueError):  # reported by check_refs
        return media, at
    if not isinstance(target, Mapping):
        return media, at
    parts = where.split("/")[1:] if where else []
    return target, tuple(part.replace("~1", "/").replace("~0", "~") for part in parts)


def _is_array(document: Document, schema: Any, at: tuple[Any, ...]) -> bool:
    """Whether ``schema`` (through its ``$ref``s) is an array schema."""
    try:
        target, _ = deref(document, schema, pointer(*at, "schema"))
    except (KeyError, ValueError):
        return False
    if not isinstance(target, Mapping):
        return False
    kind = target.get("type")
    return (
        kind == "array"
        or (isinstance(kind, list) and "array" in kind)
        or (kind is None and ("items" in target or "prefixItems" in target))
    )
