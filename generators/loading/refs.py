"""Local ``$ref`` handling: check every reference, follow chains without looping."""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any

from generators.loading.document import Document
from generators.problems import Problem, pointer


def iter_refs(node: Any, at: str = "") -> Iterator[tuple[str, str]]:
    """Yield ``(pointer of the $ref, target)`` for every ``$ref``, skipping ``x-*`` extensions."""
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield at + "/$ref", ref
        for key, value in node.items():
            if not str(key).startswith("x-"):
                yield from iter_refs(value, at + pointer(key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from iter_refs(item, f"{at}/{index}")


def check_refs(document: Document, node: Any = None, at: str = "") -> list[Problem]:
    """Every ``$ref`` must be local (``#/...``) and point at something that exists."""
    problems = []
    for where, target in iter_refs(document.data if node is None else node, at):
        if not target.startswith("#"):
            problems.append(
                document.problem(where, f"external $ref {target!r} is not supported; inline it")
            )
            continue
        try:
            deref(document, document.resolve(target[1:]), target[1:])
        except KeyError:
            problems.append(document.problem(where, f"$ref {target!r} points to nothing"))
        except ValueError as cycle:
            problems.append(document.problem(where, str(cycle)))
    return problems


def deref(document: Document, node: Any, at: str) -> tuple[Any, str]:
    """Follow a chain of ``$ref`` objects to the real node; returns it and its pointer.

    A reference that leads nowhere raises ``KeyError``; a cycle raises ``ValueError``.
    """
    seen = {at}
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        at = node["$ref"][1:]
        if at in seen:
            raise ValueError(f"$ref cycle through {at}")
        seen.add(at)
        node = document.resolve(at)
    return node, at


_NOT_CONTENT = frozenset({"schema", "itemSchema", "example", "examples", "default", "enum"})
"""Keys whose values hold schemas or data, where no ``content`` map of OpenAPI's is."""


def media_types_inlined(document: Document) -> None:
    """Write in place each Media Type Object that a ``content`` map gives as a reference
    (OpenAPI 3.2's ``components/mediaTypes``): every reader of a body, a response, a
    parameter or a header then finds its ``schema`` (and ``encoding``, ...) where OpenAPI
    3.0 and 3.1 put it. Left a reference, a body was read as one without a schema: the
    app took any body. ``summary``/``description`` beside the ``$ref`` win, as OpenAPI's
    Reference Object says."""
    stack: list[tuple[Any, str]] = [(document.data, "")]
    while stack:
        node, at = stack.pop()
        if isinstance(node, list):
            stack += [(item, f"{at}/{index}") for index, item in enumerate(node)]
            continue
        if not isinstance(node, dict):
            continue
        content = node.get("content")
        if isinstance(content, dict):
            for media_type, media in content.items():
                if isinstance(media, Mapping) and isinstance(media.get("$ref"), str):
                    where = at + pointer("content", media_type)
                    target, _ = deref(document, media, where)
                    beside = {k: v for k, v in media.items() if k not in ("$ref", "summary")}
                    content[media_type] = {**copy.deepcopy(dict(target)), **beside}
        for key, value in node.items():
            skipped = str(key).startswith("x-") or key in _NOT_CONTENT
            if not skipped and not (at == "/components" and key == "schemas"):
                stack.append((value, at + pointer(key)))
