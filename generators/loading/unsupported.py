"""OpenAPI 3.2 features the generated app does not serve yet, refused with their place.

A 3.2 document is read like a 3.1 one (its schemas are JSON Schema 2020-12), but a few of
its additions have no served form here yet. Left alone each would give a wrong app: a
``query`` or ``additionalOperations`` operation is not routed (dropped without a word), an
``in: querystring`` parameter has no FastAPI reading, ``itemSchema`` (the schema of each item
of a stream: ``text/event-stream``, ``application/jsonl``) would be served away, and a
discriminator's ``defaultMapping`` would refuse the payloads it maps. Each is an error at
its pointer, so ``specfoundry check`` says what to change rather than generating such an
app.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from generators.loading.document import Document
from generators.problems import Problem, pointer

_PATH_ITEMS = (("paths",), ("webhooks",), ("components", "pathItems"))
_SEQUENTIAL = ("itemSchema", "itemEncoding", "prefixEncoding")


def unsupported_problems(document: Document, version: str = "") -> list[Problem]:
    """An error at each use of an OpenAPI 3.2 feature the app cannot serve yet."""
    return [document.problem(pointer(*at), message) for at, message in _found(document.data)]


def _found(data: Any) -> Iterable[tuple[tuple[Any, ...], str]]:
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, ())]
    while stack:
        node, at = stack.pop()
        if isinstance(node, Mapping):
            yield from _in_node(node, at)
            stack += [(value, (*at, key)) for key, value in reversed(list(node.items()))]
        elif isinstance(node, list):
            stack += [(value, (*at, index)) for index, value in reversed(list(enumerate(node)))]


def _in_node(node: Mapping[str, Any], at: tuple[Any, ...]) -> Iterable[tuple[tuple[Any, ...], str]]:
    if _is_path_item(at):
        if isinstance(node.get("query"), Mapping):
            yield (
                (*at, "query"),
                (
                    "the QUERY method (OpenAPI 3.2) is not supported yet: the operation would not"
                    " be served; declare it as POST, or leave it out"
                ),
            )
        for method in node.get("additionalOperations") or {}:
            yield (
                (*at, "additionalOperations", method),
                (
                    f"additionalOperations (OpenAPI 3.2: the {method} method) is not supported yet:"
                    " the operation would not be served; leave it out of the contract"
                ),
            )
    if node.get("in") == "querystring" and isinstance(node.get("name"), str):
        yield (
            (*at, "in"),
            (
                "a parameter in: querystring (OpenAPI 3.2: the whole query string as one value) is"
                " not supported yet: declare its fields as in: query parameters"
            ),
        )
    if (
        len(at) >= 2
        and at[-2] == "content"
        and "/" in str(at[-1])
        or at[:2]
        == (
            "components",
            "mediaTypes",
        )
    ):
        for keyword in _SEQUENTIAL:
            if keyword in node:
                yield (
                    (*at, keyword),
                    (
                        f"{keyword} (OpenAPI 3.2: each item of a sequential media type such as"
                        " text/event-stream or application/jsonl) is not supported yet: the app"
                        " would neither serve nor check it; describe the body with schema"
                    ),
                )
    discriminator = node.get("discriminator")
    if isinstance(discriminator, Mapping) and "defaultMapping" in discriminator:
        name = discriminator.get("propertyName")
        yield (
            (*at, "discriminator", "defaultMapping"),
            (
                "discriminator defaultMapping (OpenAPI 3.2) is not supported yet: the app would"
                f" refuse a payload whose {name!r} names no mapped schema rather than read it as"
                f" {discriminator['defaultMapping']!r}; list its values in mapping instead"
            ),
        )


def _is_path_item(at: tuple[Any, ...]) -> bool:
    """Whether ``at`` is where OpenAPI puts a Path Item (a callback's too)."""
    if len(at) >= 1 and at[:-1] in _PATH_ITEMS:
        return True
    return len(at) >= 3 and at[-3] == "callbacks" and (len(at) < 4 or at[-4] != "properties")
