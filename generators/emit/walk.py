"""The walk every rewriting pass makes over a document: each object in it, nested in
objects and lists, except what stands under a key that holds values, not schemas
(``example``, ``default``, ``enum``...)."""

from __future__ import annotations

from collections.abc import Callable, Collection
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
