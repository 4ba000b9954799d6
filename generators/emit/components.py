"""Schemas the rewriting passes make components of their own, under one naming rule."""

from __future__ import annotations

from typing import Any

from generators.emit.pytypes import class_name_of


def hoisted(
    schemas: dict[str, Any], classes: dict[str, str], schema: Any, wanted: str
) -> dict[str, str]:
    """Make ``schema`` the component ``wanted`` (``wanted_2``, ``wanted_3``... where a
    component, or the class of one, already has that name), its class added to
    ``classes`` (each component's, :func:`generators.emit.pytypes.class_names`): the
    reference to it."""
    taken = set(classes.values())
    found, number = wanted, 2
    while found in schemas or class_name_of(found) in taken:
        found, number = f"{wanted}_{number}", number + 1
    schemas[found] = schema
    classes[found] = class_name_of(found)
    return {"$ref": f"#/components/schemas/{found}"}
