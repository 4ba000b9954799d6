"""``oneOf`` served and enforced as written: a value must be valid against exactly one member.

pydantic validates a union by picking the member that fits best and serves it as
``anyOf``; JSON Schema's ``oneOf`` also refuses a value that two members accept. So each
``oneOf`` whose members may overlap keeps its keyword and its rule in the generated models:

- a component that is such a ``oneOf`` (a ``RootModel``; also a schema a ``$ref`` points
  to inside another) annotates its root with
  ``specs.validation.OneOf()``: ``root: Annotated[A | B, OneOf()]``;
- a model whose properties hold one (the property itself, its ``items`` or its
  ``additionalProperties``) derives from ``specs.validation.ExclusiveModel`` and lists
  where, as paths in its ``json_schema_extra`` (``"x-oneOf": [["properties", "pm"]]``).

Both serve ``oneOf`` there instead of pydantic's ``anyOf`` and refuse a value that more
than one member accepts, each member checked as JSON Schema checks it (the value's JSON,
in pydantic's strict mode: ``"1"`` is no integer). Not marked, because pydantic's own
union already means ``oneOf``: a ``oneOf`` with a ``discriminator`` (pydantic serves
``oneOf`` and picks exactly one member by the property), one whose members only list
values (``const``/``enum``: an enum, see the fidelity check's normalisation 16) and one
with a single member besides ``null`` (an optional value). A ``oneOf`` nested in another
union is left as pydantic makes it (the union is flattened).
"""

from __future__ import annotations

import ast
import re
import sys
from typing import Any

MARK = "x-oneOf"
MODEL_BASE = "specs.validation.ExclusiveModel"
_VALUE_KEYS = {"const", "enum", "type", "title", "description", "example", "examples"}
_SPECS_IMPORT = re.compile(r"^from specs\.validation import ([^\n(]+)\n", re.MULTILINE)
_TYPING_IMPORT = re.compile(r"^from typing import ([^\n(]+)\n", re.MULTILINE)


def exclusive(schema: Any) -> bool:
    """Whether ``schema`` is a ``oneOf`` that pydantic's union alone would not enforce."""
    if not isinstance(schema, dict) or "discriminator" in schema:
        return False
    members = schema.get("oneOf")
    if not isinstance(members, list):
        return False
    rest = [m for m in members if not (isinstance(m, dict) and m.get("type") == "null")]
    if len(rest) < 2:
        return False
    values_only = all(
        isinstance(m, dict) and ("const" in m or "enum" in m) and set(m) <= _VALUE_KEYS
        for m in rest
    )
    return not values_only


def mark_properties(schema: dict[str, Any]) -> None:
    """List where an object schema's properties hold an exclusive ``oneOf`` (see the module
    docstring) and give its model the base that serves and enforces them."""
    paths = exclusive_paths(schema)
    if not paths:
        return
    schema[MARK] = paths
    _with_base(schema)


def exclusive_paths(schema: Any) -> list[list[str]]:
    """Where an object schema's properties hold an exclusive ``oneOf``: the property, its
    ``items`` or its ``additionalProperties``."""
    properties = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(properties, dict):
        return []
    paths: list[list[str]] = []
    for name, prop in properties.items():
        if not isinstance(prop, dict):
            continue
        if exclusive(prop):
            paths.append(["properties", name])
        for keyword in ("items", "additionalProperties"):
            if exclusive(prop.get(keyword)):
                paths.append(["properties", name, keyword])
    return paths


def _bases(base: Any) -> list[str]:
    return [] if base is None else [base] if isinstance(base, str) else list(base)


def _with_base(schema: dict[str, Any]) -> None:
    bases = _bases(schema.get("customBasePath"))
    if MODEL_BASE not in bases:
        schema["customBasePath"] = [*bases, MODEL_BASE] if bases else MODEL_BASE


def _without_base(base: Any) -> Any:
    rest = [b for b in _bases(base) if b != MODEL_BASE]
    return rest[0] if len(rest) == 1 else rest


def lift_from_all_of(schema: dict[str, Any]) -> None:
    """An ``allOf`` member's marks (its properties' ``oneOf`` paths) move to the schema
    that holds the ``allOf``: datamodel-code-generator merges the members into that
    schema's class and would drop the member's ``json_schema_extra`` and base (pagerduty's
    ``last_run_by``, a ``oneOf`` in the second member of ``allOf: [$ref, {...}]``)."""
    members = schema.get("allOf")
    if not isinstance(members, list):
        return
    paths = list(schema.get(MARK) or [])
    for member in members:
        if isinstance(member, dict) and MARK in member:
            paths += [path for path in member.pop(MARK) if path not in paths]
            member["customBasePath"] = _without_base(member.get("customBasePath"))
            if not member["customBasePath"]:
                del member["customBasePath"]
    if paths:
        schema[MARK] = paths
        _with_base(schema)


def annotate_roots(code: str, classes: set[str]) -> str:
    """``root: A | B`` of each ``RootModel`` class in ``classes`` becomes
    ``root: Annotated[A | B, OneOf()]`` (the writer formats the result)."""
    if not classes:
        return code
    found = []
    for node in ast.parse(code).body:
        if not isinstance(node, ast.ClassDef) or node.name not in classes:
            continue
        if not any("RootModel" in ast.unparse(base) for base in node.bases):
            continue
        for item in node.body:
            if (
                isinstance(item, ast.AnnAssign)
                and isinstance(item.target, ast.Name)
                and item.target.id == "root"
            ):
                found.append(item.annotation)
    if not found:
        return code
    data = code.encode()  # ast's column offsets count UTF-8 bytes
    starts = [0]
    for line in data.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    for annotation in sorted(found, key=lambda a: (a.lineno, a.col_offset), reverse=True):
        begin = starts[annotation.lineno - 1] + annotation.col_offset
        end_line = annotation.end_lineno or annotation.lineno
        end = starts[end_line - 1] + (annotation.end_col_offset or 0)
        data = data[:begin] + b"Annotated[" + data[begin:end] + b", OneOf()]" + data[end:]
    return _imported(_imported_typing(data.decode()))


def _imported(code: str) -> str:
    """``OneOf`` added to the ``from specs.validation import`` line."""
    found = _SPECS_IMPORT.search(code)
    if found is None:
        raise RuntimeError("the generated schemas do not import specs.validation")
    names = {name.strip() for name in found.group(1).split(",")} | {"OneOf"}
    line = f"from specs.validation import {', '.join(sorted(names))}\n"
    return code.replace(found.group(0), line, 1)


def _imported_typing(code: str) -> str:
    """``Annotated`` imported from ``typing`` (isort's place and order)."""
    found = _TYPING_IMPORT.search(code)
    if found is not None:
        names = {name.strip() for name in found.group(1).split(",")} | {"Annotated"}
        line = f"from typing import {', '.join(sorted(names))}\n"
        return code.replace(found.group(0), line, 1)
    lines = code.splitlines(keepends=True)
    future = next(i for i, line in enumerate(lines) if line.startswith("from __future__"))
    block = future + 2  # the standard library's block follows a blank line
    index = block
    while index < len(lines) and _standard_import(lines[index]):
        if lines[index].split()[1] > "typing":
            break
        index += 1
    if not _standard_import(lines[block]):  # no such block: one of its own, first
        return "".join([*lines[:block], "from typing import Annotated\n\n", *lines[block:]])
    return "".join([*lines[:index], "from typing import Annotated\n", *lines[index:]])


def _standard_import(line: str) -> bool:
    """Whether ``line`` imports from the standard library (``from enum import Enum``)."""
    words = line.split()
    return (
        len(words) > 1
        and words[0] in ("import", "from")
        and words[1].split(".")[0] in sys.stdlib_module_names
    )


RUNTIME = '''

class OneOf:
    """``Annotated[A | B, OneOf()]``: JSON Schema's ``oneOf``. A value that more than one
    member of the union accepts is refused (pydantic alone would pick one of them), and
    the union is served as ``oneOf``, not ``anyOf``."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        members = _members(source)

        def exactly_one(value: Any, validate: ValidatorFunctionWrapHandler) -> Any:
            _check_one_of(members, value)
            return validate(value)

        return core_schema.no_info_wrap_validator_function(exactly_one, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        served = handler(schema)
        _served_as_one_of(handler.resolve_ref_schema(served))
        return served


class ExclusiveModel(SchemaModel):
    """A model whose properties hold a ``oneOf`` (the property, its ``items`` or its
    ``additionalProperties``), listed as paths in ``json_schema_extra["x-oneOf"]``:
    served as ``oneOf`` there, and a value more than one member accepts is refused."""

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        served = super().__get_pydantic_json_schema__(schema, handler)
        target = handler.resolve_ref_schema(served)
        for path in target.pop("x-oneOf", ()):
            node: Any = target
            for step in path:
                node = _step(node, step)
            if isinstance(node, dict):
                _served_as_one_of(node)
        return served

    @model_validator(mode="before")
    @classmethod
    def _exactly_one_member(cls, data: Any) -> Any:
        extra = cls.model_config.get("json_schema_extra")
        listed = extra.get("x-oneOf") if isinstance(extra, Mapping) else None
        if not isinstance(listed, list) or not isinstance(data, Mapping):
            return data
        paths = [[str(step) for step in p] for p in listed if isinstance(p, list)]
        for path in paths:
            found = _field(cls, path[1])
            if found is None:
                continue
            name, annotation = found
            value = data.get(path[1], data.get(name, MISSING))
            for step in path[2:]:
                annotation = _inside(annotation, step)
            members = _members(annotation)
            for item in _values_at(value, path[2:]):
                _check_one_of(members, item, f"{'.'.join(path[1:])}: ")
        return data


def _step(node: Any, key: str) -> Any:
    """``node[key]`` in a served schema, also through the ``anyOf: [X, {"type": "null"}]``
    pydantic serves for a nullable ``X`` (a list or a map that may be null)."""
    if not isinstance(node, Mapping):
        return None
    if key in node:
        return node[key]
    for member in node.get("anyOf", ()):
        if isinstance(member, Mapping) and key in member:
            return member[key]
    return None


def _field(model: type[BaseModel], alias: str) -> tuple[str, Any] | None:
    for name, info in model.model_fields.items():
        if alias in (name, info.alias):
            return name, info.annotation
    return None


def _members(annotation: Any) -> tuple[Any, ...]:
    """The members of a union (``MISSING``, which is no value, left out)."""
    if get_origin(annotation) is Annotated:
        return _members(get_args(annotation)[0])
    if get_origin(annotation) in (Union, UnionType):
        return tuple(m for m in get_args(annotation) if m is not MISSING)
    return (annotation,)


def _inside(annotation: Any, step: str) -> Any:
    """The type of the items (``list[X]``) or map values (``dict[str, X]``)."""
    for member in _members(annotation):
        if step == "items" and get_origin(member) in (list, set, frozenset, tuple):
            return get_args(member)[0]
        if step == "additionalProperties" and get_origin(member) is dict:
            return get_args(member)[1]
    return Any


def _values_at(value: Any, steps: list[str]) -> list[Any]:
    if value is MISSING:
        return []
    if not steps:
        return [value]
    if steps[0] == "items" and isinstance(value, list | tuple):
        return [found for item in value for found in _values_at(item, steps[1:])]
    if steps[0] == "additionalProperties" and isinstance(value, Mapping):
        return [found for item in value.values() for found in _values_at(item, steps[1:])]
    return []


@cache
def _adapter(member: Any) -> TypeAdapter[Any]:
    return TypeAdapter(member)


def _accepts(member: Any, text: bytes) -> bool:
    try:
        _adapter(member).validate_json(text, strict=True)
    except ValidationError:
        return False
    return True


def _check_one_of(members: tuple[Any, ...], value: Any, where: str = "") -> None:
    """Refuse ``value`` when more than one member accepts its JSON (none: the union's
    own validation says why)."""
    if value is MISSING or len(members) < 2:
        return
    text = to_json(value, by_alias=True)
    valid = [member for member in members if _accepts(member, text)]
    if len(valid) > 1:
        names = ", ".join(getattr(m, "__name__", repr(m)) for m in valid)
        raise ValueError(
            f"{where}valid against {len(valid)} members of its oneOf ({names}), "
            "not exactly one"
        )


def _served_as_one_of(schema: dict[str, Any]) -> None:
    if "anyOf" in schema and "oneOf" not in schema:
        schema["oneOf"] = schema.pop("anyOf")
'''
