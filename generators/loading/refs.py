"""Local ``$ref`` handling: check every reference, follow chains without looping."""

from __future__ import annotations

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
