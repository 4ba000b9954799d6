"""A union member that repeats an earlier one, served as written.

DigitalOcean's add-on feature ``value`` is ``oneOf: [{title: string_value, type: string},
{type: boolean}, {title: allowance_value, type: string}]``: the first and the third accept
the same values. datamodel-code-generator types both ``str``, and Python's union keeps one
``str``: the app served two members and took every string, where the contract lists three
and (a ``oneOf``: exactly one member) refuses every string. Each member that accepts what an
earlier member of its ``oneOf``/``anyOf`` accepts (the two differ at most in annotations)
becomes a component of its own, named after its ``title`` (or its union and position), so
the union keeps it as a class: served as written, and, in a ``oneOf``, enforced by
:mod:`generators.emit.one_of` (a value valid against both is refused). The loader warns
about such a ``oneOf`` (``generators.loading.smells``). A repeated ``$ref`` is left as
written: it names one class either way, and a repeated model or enum is one class
each already."""

from __future__ import annotations

import json
from typing import Any

from generators.emit import walk
from generators.emit.components import hoisted
from generators.emit.pytypes import class_name_of
from generators.keywords import constraints


def named(document: dict[str, Any], classes: dict[str, str]) -> None:
    """Make a component of each union member of ``document`` that repeats an earlier one,
    its class added to ``classes`` (each component's)."""
    schemas = (document.get("components") or {}).get("schemas")
    if not isinstance(schemas, dict):
        return
    repeated: list[tuple[list[Any], int, str]] = []

    def visit(node: dict[str, Any]) -> None:
        for keyword in ("oneOf", "anyOf"):
            members = node.get(keyword)
            if not isinstance(members, list):
                continue
            seen: set[str] = set()
            for index, member in enumerate(members):
                if not isinstance(member, dict) or _own_class(member):
                    continue
                accepts = json.dumps(constraints(member), sort_keys=True, default=str)
                if accepts in seen:
                    repeated.append((members, index, f"{keyword[:-2].title()}Member{index + 1}"))
                seen.add(accepts)

    walk.top_down(document, visit)
    for members, index, fallback in repeated:
        title = members[index].get("title")
        wanted = class_name_of(title) if isinstance(title, str) and title.strip() else fallback
        members[index] = hoisted(schemas, classes, members[index], wanted)


def _own_class(member: dict[str, Any]) -> bool:
    """Whether ``member`` is a class of its own already: a ``$ref``, a model, an enum."""
    return bool({"$ref", "properties", "enum"} & set(member))
