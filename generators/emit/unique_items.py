"""``uniqueItems`` served and enforced on an array that is no plain property.

A property that is an array keeps ``uniqueItems`` in its field's ``json_schema_extra``
(``specs.validation.ContractModel`` enforces it there). Anywhere else datamodel-code-generator
makes the array a class of its own, a ``RootModel`` (or a ``TypeAliasType``): a component
array, a member of an ``anyOf``/``oneOf`` (prefect's nullable ``pause_keys``, Discord's
``include_roles``), the ``items`` of an array, and a map's values (written as ``allOf`` of
the array, which it models the same way; otherwise it drops the keyword there). Its
metadata says which schema each class is made of, so each one made of a ``uniqueItems``
array is annotated with ``specs.validation.UniqueItems()``: ``root: Annotated[list[str],
UniqueItems()]``. The marker serves ``uniqueItems: true`` in the class's schema and refuses
a list two of whose items are equal as JSON values (``1`` and ``1.0`` are equal, ``1`` and
``true`` are not), wherever the class is used.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import Any

from generators.emit import one_of, syntax

NAME = "UniqueItems"


def map_values_modelled(schema: dict[str, Any], *, component: bool) -> None:
    """A map whose values are a ``uniqueItems`` array: the values written ``allOf: [the
    array]`` (the same schema), which datamodel-code-generator makes a class of (it drops
    ``uniqueItems`` of a map's values written inline). Not a component's map: that class
    would take the component's name (the component's values are marked in its root:
    :func:`unique_values`)."""
    values = schema.get("additionalProperties")
    if component and "properties" not in schema:
        return
    if isinstance(values, dict) and values.get("uniqueItems") is True and "$ref" not in values:
        schema["additionalProperties"] = {"allOf": [values]}


def is_unique(schema: Any) -> bool:
    """Whether ``schema`` is (or is ``allOf`` of just) an array of ``uniqueItems``."""
    if not isinstance(schema, Mapping):
        return False
    if schema.get("uniqueItems") is True:
        return True
    members = schema.get("allOf")
    return isinstance(members, list) and len(members) == 1 and is_unique(members[0])


def unique_values(schema: Any) -> bool:
    """Whether ``schema`` is a map (without properties) of ``uniqueItems`` arrays."""
    return (
        isinstance(schema, Mapping)
        and "properties" not in schema
        and isinstance(schema.get("additionalProperties"), Mapping)
        and schema["additionalProperties"].get("uniqueItems") is True
    )


def annotate(code: str, classes: set[str], maps: frozenset[str] | set[str] = frozenset()) -> str:
    """``root: X`` of each ``RootModel`` in ``classes`` (and ``TypeAliasType("N", X)`` of
    each alias) becomes ``Annotated[X, UniqueItems()]``; an ``Annotated[X, ...]`` gets the
    marker as its last metadata. In the root of each map in ``maps``, ``dict[str, X]``
    becomes ``dict[str, Annotated[X, UniqueItems()]]`` (the writer formats the result)."""
    if not classes and not maps:
        return code
    found: list[ast.expr] = []
    for node in syntax.named_statements(code, classes | maps):
        if isinstance(node, ast.ClassDef) and node.name in classes | maps:
            if not any("RootModel" in ast.unparse(base) for base in node.bases):
                continue
            roots = [
                item.annotation
                for item in node.body
                if isinstance(item, ast.AnnAssign)
                and isinstance(item.target, ast.Name)
                and item.target.id == "root"
            ]
            if node.name in classes:
                found += roots
            else:
                found += [value for root in roots for value in _map_values(root)]
        elif (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id in classes
            and isinstance(node.value, ast.Call)
            and ast.unparse(node.value.func) == "TypeAliasType"
            and len(node.value.args) == 2
        ):
            found.append(node.value.args[1])
    if not found:
        return code
    data = code.encode()  # ast's column offsets count UTF-8 bytes
    starts = [0]
    for line in data.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    wrapped = False
    edits = []
    for annotation in found:
        begin = starts[annotation.lineno - 1] + annotation.col_offset
        end = starts[(annotation.end_lineno or annotation.lineno) - 1]
        end += annotation.end_col_offset or 0
        if isinstance(annotation, ast.Subscript) and ast.unparse(annotation.value) == "Annotated":
            inner = data[begin : end - 1].rstrip().rstrip(b",")
            edits.append((begin, end, inner + b", UniqueItems()]"))
        else:
            wrapped = True
            edits.append((begin, end, b"Annotated[" + data[begin:end] + b", UniqueItems()]"))
    code = syntax.spliced(data, edits).decode()
    return _typing_imported(code) if wrapped else code


def _map_values(annotation: ast.expr) -> list[ast.expr]:
    """The ``X`` of each ``dict[str, X]`` in ``annotation`` (not within ``X``)."""
    if (
        isinstance(annotation, ast.Subscript)
        and ast.unparse(annotation.value) == "dict"
        and isinstance(annotation.slice, ast.Tuple)
        and len(annotation.slice.elts) == 2
    ):
        return [annotation.slice.elts[1]]
    if isinstance(annotation, ast.BinOp):  # a union: X | None
        return _map_values(annotation.left) + _map_values(annotation.right)
    if isinstance(annotation, ast.Subscript) and ast.unparse(annotation.value) == "Annotated":
        inner = annotation.slice.elts[0] if isinstance(annotation.slice, ast.Tuple) else None
        return _map_values(inner) if inner is not None else []
    return []


def _typing_imported(code: str) -> str:
    """``Annotated`` imported from ``typing`` (isort's place and order)."""
    found = one_of.TYPING_IMPORT.search(code)
    if found is not None:
        names = one_of.imported_names(found) | {"Annotated"}
        return code.replace(found.group(0), f"from typing import {', '.join(sorted(names))}\n", 1)
    lines = code.splitlines(keepends=True)
    future = next(i for i, line in enumerate(lines) if line.startswith("from __future__"))
    block = future + 2  # the standard library's block follows a blank line
    index = block
    while index < len(lines) and lines[index].startswith(("import ", "from ")):
        if lines[index].split()[1] > "typing":
            break
        index += 1
    if index == block and not lines[block].startswith(("import ", "from ")):
        return "".join([*lines[:block], "from typing import Annotated\n\n", *lines[block:]])
    return "".join([*lines[:index], "from typing import Annotated\n", *lines[index:]])


RUNTIME = '''

class UniqueItems:
    """``Annotated[list[X], UniqueItems()]``: JSON Schema's ``uniqueItems: true``, served
    in the array's schema and enforced: a list two of whose items are equal as JSON
    values is refused. The items compared are those sent, once valid: their models
    would drop the properties they do not name (two objects that differ there only
    are distinct items)."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_wrap_validator_function(
            _sent_items_unique, handler(source)
        )

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        served = handler(schema)
        target = handler.resolve_ref_schema(served)
        arrays = [m for m in target.get("anyOf", ()) if m.get("type") == "array"]
        for node in arrays or [target]:  # a nullable array: its array member
            node["uniqueItems"] = True
        return served


def _sent_items_unique(value: Any, validate: ValidatorFunctionWrapHandler) -> Any:
    """``value`` validated, if no two of the items sent are equal as JSON values."""
    found = validate(value)
    _items_unique(value if isinstance(value, list | tuple) else found)
    return found


def _items_unique(value: Any) -> Any:
    """``value`` if no two of its items are equal as JSON values (else ValueError)."""
    if not isinstance(value, list | tuple):
        return value
    seen: set[str] = set()
    for item in to_jsonable_python(value, by_alias=True):
        key = json.dumps(_json_value(item), sort_keys=True)
        if key in seen:
            raise ValueError(f"items must be unique: {key} appears twice")
        seen.add(key)
    return value


def _json_value(value: Any) -> Any:
    """``value`` with each integral float an int: JSON equality, where ``1.0`` is ``1``."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_json_value(item) for item in value]
    if isinstance(value, dict):
        return {key: _json_value(item) for key, item in value.items()}
    return value
'''
