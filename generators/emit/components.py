"""Schemas the rewriting passes make components of their own, under one naming rule."""

from __future__ import annotations

from typing import Any

from generators.emit.pytypes import class_name


def hoisted(schemas: dict[str, Any], schema: Any, wanted: str) -> dict[str, str]:
    """Make ``schema`` the component ``wanted`` (``wanted_2``, ``wanted_3``... where a
    component, or the class of one, already has that name): the reference to it."""
    classes = {class_name(name) for name in schemas}
    found, number = wanted, 2
    while found in schemas or class_name(found) in classes:
        found, number = f"{wanted}_{number}", number + 1
    schemas[found] = schema
    return {"$ref": f"#/components/schemas/{found}"}
