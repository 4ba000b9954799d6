"""Each component schema's class keeps ``class_name(component)``, the name routers and
services import it by.

datamodel-code-generator names classes as it meets schemas: an inline schema met before
a component of the same name takes that name (stripe's string member of
``application_fee.charge`` took ``Charge``; openai's ``AuditLog`` holds inline projects
and certificates before the components ``Project`` and ``Certificate``), and the
component gets a suffixed one. Its code and model metadata are renamed after the fact:
the component takes its name back, the inline schema takes the component's. One rename
of the module's identifiers covers every reference, also where datamodel-code-generator
made several identical inline schemas one class (a second run with ``model_name_map``
named them apart again, and the name the map released went to the next of them).
"""

from __future__ import annotations

import ast
from typing import Any

from generators.emit import syntax
from generators.emit.pytypes import class_name


def given_back(code: str, models: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """``code`` and its model metadata, each component's class under ``class_name`` of
    the component where an inline schema's class took that name."""
    names = _swaps(models)
    if not names:
        return code, models
    renamed = [
        {**model, "class_name": names.get(model["class_name"], model["class_name"])}
        for model in models
    ]
    return _renamed(code, names), renamed


def _swaps(models: list[dict[str, Any]]) -> dict[str, str]:
    """Old class name → new: a component and the inline schema holding its name swap."""
    holders = {model["class_name"]: model for model in models}
    names: dict[str, str] = {}
    for model in filter(_is_component, models):
        wanted, given = class_name(model["source_path"][2]), model["class_name"]
        holder = holders.get(wanted)
        if given == wanted or holder is None or _is_component(holder):
            continue
        if wanted in names or given in names:
            continue  # another swap already moved one of them
        names[given], names[wanted] = wanted, given
    return names


def _is_component(model: dict[str, Any]) -> bool:
    path = model.get("source_path") or []
    return len(path) == 3 and path[:2] == ["components", "schemas"]


def _renamed(code: str, names: dict[str, str]) -> str:
    """``code`` with the classes ``names`` renames renamed where defined and referred to
    (names, and the quoted forward references of class bases)."""
    tree = syntax.parsed(code)
    data = code.encode()  # ast's column offsets count UTF-8 bytes
    starts = [0]
    for line in data.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    edits: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name in names:
            line = data[starts[node.lineno - 1] : starts[node.lineno]]
            column = line.index(b"class ") + len(b"class ")
            begin = starts[node.lineno - 1] + column
            edits.append((begin, begin + len(node.name.encode()), names[node.name]))
        if isinstance(node, ast.ClassDef):
            edits.extend(_quoted_in_bases(node, names, starts))
        if isinstance(node, ast.Name) and node.id in names:
            begin = starts[node.lineno - 1] + node.col_offset
            edits.append((begin, begin + len(node.id.encode()), names[node.id]))
    for begin, end, new in sorted(edits, reverse=True):
        data = data[:begin] + new.encode() + data[end:]
    return data.decode()


def _quoted_in_bases(
    node: ast.ClassDef, names: dict[str, str], starts: list[int]
) -> list[tuple[int, int, str]]:
    """``RootModel[list["Node"]]``: a recursive class's forward reference, a string."""
    found = []
    for base in node.bases:
        literals = {
            id(inner)
            for sub in ast.walk(base)
            if isinstance(sub, ast.Subscript)
            and isinstance(sub.value, ast.Name)
            and sub.value.id == "Literal"
            for inner in ast.walk(sub.slice)
        }
        for sub in ast.walk(base):
            if (
                isinstance(sub, ast.Constant)
                and isinstance(sub.value, str)
                and sub.value in names
                and id(sub) not in literals
            ):
                begin = starts[sub.lineno - 1] + sub.col_offset + 1  # after the quote
                found.append((begin, begin + len(sub.value.encode()), names[sub.value]))
    return found
