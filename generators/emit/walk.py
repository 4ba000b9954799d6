"""The walk every rewriting pass makes over a document: each object in it, nested in
objects and lists, except what stands under a key that holds values, not schemas
(``example``, ``default``, ``enum``...)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

VALUE_KEYS = frozenset({"example", "examples", "default", "enum", "const"})
"""Keys under which a schema holds data, never a schema to rewrite."""

Visit = Callable[[dict[str, Any]], None]


def bottom_up(node: Any, visit: Visit, skip: Collection[str] = VALUE_KEYS) -> None:
    """``visit`` each object under ``node`` (``node`` too), its children before it."""
    if isinstance(node, list):
        for item in node:
            bottom_up(item, visit, skip)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key not in skip:
            bottom_up(value, visit, skip)
    visit(node)


def top_down(node: Any, visit: Visit, skip: Collection[str] = VALUE_KEYS) -> None:
    """``visit`` each object under ``node`` (``node`` too) before its children, which
    are those it holds once visited."""
    if isinstance(node, list):
        for item in node:
            top_down(item, visit, skip)
        return
    if not isinstance(node, dict):
        return
    visit(node)
    for key, value in node.items():
        if key not in skip:
            top_down(value, visit, skip)


def replace(node: dict[str, Any], rewritten: dict[str, Any] | None) -> None:
    """Put ``rewritten`` in ``node``'s place (its parent keeps the same object); None
    leaves it."""
    if rewritten is not None:
        node.clear()
        node.update(rewritten)


PointedVisit = Callable[[dict[str, Any], str], None]


def bottom_up_at(node: Any, visit: PointedVisit, at: str = "#") -> None:
    """``visit`` each object under ``node`` (``node`` too, at the JSON pointer ``at``)
    with its pointer, its children before it (skipping :data:`VALUE_KEYS`)."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            bottom_up_at(item, visit, f"{at}/{index}")
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key not in VALUE_KEYS:
            bottom_up_at(value, visit, f"{at}/{escaped(str(key))}")
    visit(node, at)


def pointed(document: Any) -> frozenset[str]:
    """The JSON pointers some ``$ref`` of ``document`` names, and every one it passes
    through (``#/components/schemas/Tag/allOf/0`` passes through ``.../Tag/allOf``): a
    pass rewriting a part of a schema leaves a part another schema names alone."""
    found: set[str] = set()

    def visit(node: dict[str, Any]) -> None:
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            parts = ref.split("/")
            found.update("/".join(parts[:end]) for end in range(2, len(parts) + 1))

    top_down(document, visit, skip=("example", "examples"))
    return frozenset(found)


def declaring(node: dict[str, Any], at: str) -> list[tuple[dict[str, Any], str]]:
    """``node`` (at pointer ``at``) and its ``allOf`` members, those that declare
    ``properties``, each with its pointer: where a property an ``allOf`` joins is said."""
    members = node.get("allOf")
    holders = [(node, at)] + [
        (member, f"{at}/allOf/{index}")
        for index, member in enumerate(members if isinstance(members, list) else ())
        if isinstance(member, dict)
    ]
    return [
        (schema, where) for schema, where in holders if isinstance(schema.get("properties"), dict)
    ]


def escaped(part: str) -> str:
    """``part`` as a JSON pointer segment."""
    return part.replace("~", "~0").replace("/", "~1")


def at(document: Any, path: Any) -> Any:
    """The node at ``path`` (a list of keys, indices of lists too) in ``document``, if any."""
    if not isinstance(path, list):
        return None
    node = document
    for key in path:
        if isinstance(node, list) and str(key).isdigit() and int(key) < len(node):
            node = node[int(key)]
        elif isinstance(node, Mapping) and key in node:
            node = node[key]
        else:
            return None
    return node


def resolved(document: Any, ref: str) -> Any:
    """The node a local ``$ref`` points to, through lists too (pagerduty's
    ``#/components/schemas/Tag/allOf/0``); None if there is none."""
    if not ref.startswith("#/"):
        return None
    return at(document, [part.replace("~1", "/").replace("~0", "~") for part in ref[2:].split("/")])
