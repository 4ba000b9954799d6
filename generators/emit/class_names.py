"""Each component schema's class is the one ``classes`` gives it (each component's,
:func:`generators.emit.pytypes.class_names`), the name routers and services import it by.

datamodel-code-generator asks :func:`generator` for the class of each schema by a name
(a component's own, dots written ``_``; an inline schema's, made of where it stands) and
numbers a name already given. It names classes as it meets schemas: an inline schema met
before a component of the same name takes that name (stripe's string member of
``application_fee.charge`` took ``Charge``; openai's ``AuditLog`` holds inline projects
and certificates before the components ``Project`` and ``Certificate``), and the
component gets a numbered one; two components it asks for by one name (``my.Doc`` and
``my_Doc``) are told apart by their number only. Its code and model metadata are renamed
after the fact: each component takes its class, and a class holding that name takes the
name the component leaves. One rename of the module's identifiers covers every
reference, also where datamodel-code-generator made several identical inline schemas one
class (a second run with ``model_name_map`` named them apart again, and the name the map
released went to the next of them).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from typing import Any

from generators.emit import syntax
from generators.emit.pytypes import class_name_of


def generator(classes: Mapping[str, str]) -> Callable[[str], str]:
    """datamodel-code-generator's ``custom_class_name_generator``: the class ``classes``
    gives the component asked for (a dotted name asked for with ``_``), else the class
    the name reads as. Two components asked for by one name are left to
    :func:`given_back`."""
    asked: dict[str, str | None] = {}
    for name, cls in classes.items():
        key = name.replace(".", "_")
        asked[key] = None if key in asked else cls

    def class_name(name: str) -> str:
        return asked.get(name) or class_name_of(name)

    return class_name


def given_back(
    code: str, models: list[dict[str, Any]], classes: Mapping[str, str]
) -> tuple[str, list[dict[str, Any]]]:
    """``code`` and its model metadata, each component's class under the name ``classes``
    gives it where another class took that name, or the component another."""
    names = _renames(models, classes)
    if not names:
        return code, models
    renamed = [
        {**model, "class_name": names.get(model["class_name"], model["class_name"])}
        for model in models
    ]
    return _renamed(code, names), renamed


def _renames(models: list[dict[str, Any]], classes: Mapping[str, str]) -> dict[str, str]:
    """Old class name → new: each component to its class, and each other class holding
    one of those names to a name a component leaves (following the components that move
    to the name the last one left: a swap where one component moves)."""
    names: dict[str, str] = {}
    for model in filter(_is_component, models):
        component = model["source_path"][2]
        wanted, given = classes.get(component, class_name_of(component)), model["class_name"]
        if given != wanted and given not in names and wanted not in names.values():
            names[given] = wanted
    moved_to = {new: old for old, new in names.items()}
    existing = {model["class_name"] for model in models}
    for wanted in list(names.values()):
        if wanted not in existing or wanted in names:
            continue  # free, or its holder moves itself
        left = moved_to[wanted]
        while left in moved_to:  # that name is taken by a component moving to it
            left = moved_to[left]
        names[wanted] = left
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
    return syntax.spliced(data, [(begin, end, new.encode()) for begin, end, new in edits]).decode()


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
