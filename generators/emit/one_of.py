"""``oneOf`` served and enforced as written: a value must be valid against exactly one member.

pydantic validates a union by picking the member that fits best and serves it as
``anyOf``; JSON Schema's ``oneOf`` also refuses a value that two members accept. So each
``oneOf`` whose members may overlap keeps its keyword and its rule in the generated models:

- a component that is such a ``oneOf`` (a ``RootModel``; also a schema a ``$ref`` points
  to inside another) annotates its root with
  ``specs.validation.OneOf()``: ``root: Annotated[A | B, OneOf()]``; an array component
  whose items are one annotates its items: ``root: list[Annotated[A | B, OneOf()]]``
  (a map component's values are ``MapKeywords``', :mod:`generators.emit.maps`);
- a model whose properties hold one (the property itself, its ``items`` or its
  ``additionalProperties``) derives from ``specs.validation.ExclusiveModel`` and lists
  where, as paths in its ``json_schema_extra`` (``"x-oneOf": [["properties", "pm"]]``).

Both serve ``oneOf`` there instead of pydantic's ``anyOf`` and refuse a value that more
than one member accepts, each member checked as JSON Schema checks it (the value's JSON,
in pydantic's strict mode: ``"1"`` is no integer). Not marked, because pydantic's own
union already means ``oneOf``: a ``oneOf`` with a ``discriminator`` (pydantic serves
``oneOf`` and picks exactly one member by the property; where its discriminated union
would not serve the union as written, see :func:`discriminated_unions`, the union is
marked ``Discriminated`` instead), one whose members only list
values (``const``/``enum``: an enum, see the fidelity check's normalisation 16) and one
with a single member besides ``null`` (an optional value). A ``oneOf`` nested in a member
of another union is made a component of its own first (:mod:`generators.emit.nested_unions`),
a root marked here.
"""

from __future__ import annotations

import ast
import copy
import re
import sys
from collections.abc import Mapping
from typing import Any

from generators.emit import syntax, walk
from generators.emit.pytypes import class_in

MARK = "x-oneOf"
DISCRIMINATED = "x-discriminated"  # a model's discriminated unions pydantic's would not serve
POSITION = "x-discriminator-as-written"  # such a union's own mark, until its model lists it
MODEL_BASE = "specs.validation.ExclusiveModel"
_COMPONENT = "#/components/schemas/"
_VALUE_KEYS = {"const", "enum", "type", "title", "description", "example", "examples"}
# One line, or wrapped in parentheses: ruff wraps at the line length of the ruff
# configuration where generation runs (a generated project's: 88).
_SPECS_IMPORT = re.compile(
    r"^from specs\.validation import (?:\(([^)]*)\)|([^\n(]+))\n", re.MULTILINE
)
TYPING_IMPORT = re.compile(r"^from typing import (?:\(([^)]*)\)|([^\n(]+))\n", re.MULTILINE)


def exclusive(schema: Any) -> bool:
    """Whether ``schema`` is a ``oneOf`` that pydantic's union alone would not enforce."""
    if not isinstance(schema, dict) or "discriminator" in schema or POSITION in schema:
        return False
    members = schema.get("oneOf")
    if not isinstance(members, list):
        return False
    rest = [m for m in members if not (isinstance(m, dict) and m.get("type") == "null")]
    if len(rest) < 2:
        return False
    return not values_only(rest)


def values_only(members: list[Any]) -> bool:
    """Whether each of a union's ``members`` only lists values (``const``/``enum``, a
    ``type``, notes of no consequence): the union is an enum of them (the fidelity
    check's normalisation 16), which datamodel-code-generator writes as one."""
    return all(
        isinstance(m, dict) and ("const" in m or "enum" in m) and set(m) <= _VALUE_KEYS
        for m in members
    )


def mark_properties(schema: dict[str, Any]) -> None:
    """List where an object schema's properties hold an exclusive ``oneOf`` or a
    discriminated union pydantic's would not serve as written (see the module docstring)
    and give its model the base that serves and enforces them."""
    paths = exclusive_paths(schema)
    if paths:
        schema[MARK] = paths
    found = [
        {"at": path, **_pointed(schema, path).pop(POSITION)} for path in discriminated_paths(schema)
    ]
    if found:
        schema[DISCRIMINATED] = found
    if paths or found:
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
            if any(exclusive(holder.get(keyword)) for holder in _nullable_holders(prop)):
                paths.append(["properties", name, keyword])
    return paths


def _nullable_holders(prop: dict[str, Any]) -> list[dict[str, Any]]:
    """The schemas whose ``items``/``additionalProperties`` are the property's: its own,
    or those of ``X`` in ``anyOf: [X, {type: "null"}]`` (openai's ``state_variables``, a
    map or null; ``ExclusiveModel`` steps through the ``anyOf`` pydantic serves for it)."""
    members = prop.get("anyOf")
    if not isinstance(members, list) or len(members) != 2 or {"type": "null"} not in members:
        return [prop]
    return [prop, *(m for m in members if isinstance(m, dict) and m != {"type": "null"})]


def discriminated_paths(schema: Any) -> list[list[str]]:
    """Where an object schema's properties hold a discriminated union marked by
    :func:`discriminated_unions`: the property, its ``items`` or its
    ``additionalProperties``."""
    properties = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(properties, dict):
        return []
    paths: list[list[str]] = []
    for name, prop in properties.items():
        if not isinstance(prop, dict):
            continue
        if POSITION in prop:
            paths.append(["properties", name])
        for keyword in ("items", "additionalProperties"):
            inner = prop.get(keyword)
            if isinstance(inner, dict) and POSITION in inner:
                paths.append(["properties", name, keyword])
    return paths


def _pointed(schema: dict[str, Any], path: list[str]) -> dict[str, Any]:
    node = schema
    for step in path:
        node = node[step]
    return node


def discriminated_unions(
    document: dict[str, Any], classes: Mapping[str, str]
) -> dict[str, dict[str, Any]]:
    """Mark every ``oneOf``/``anyOf`` with a ``discriminator`` that pydantic's
    discriminated union would not serve and enforce as written, where a model can carry
    it (a component itself, a property, its ``items`` or its ``additionalProperties``):
    its ``discriminator`` moves to ``x-discriminator-as-written``, so that
    datamodel-code-generator writes a plain union and leaves the members as written.
    Returns the marks of the components that are such a union, by component name.
    ``classes``: each component's class (:func:`generators.emit.pytypes.class_names`),
    the names the marks give the members.

    pydantic's is exact when it is a ``oneOf`` (pydantic serves every union it
    discriminates as one) and every member is a ``$ref`` whose schema requires the
    property as a single value (the value the mapping gives it, if it names it): then
    the ``Literal`` datamodel-code-generator gives the member is what the schema says,
    and the mapping pydantic serves is the effective one. Otherwise (a member leaves the
    property optional or lists several values, an inline member, a ``defaultMapping``)
    it would make the property a required ``Literal`` in the member's class, served so
    wherever the class is, and serve a mapping to names the contract does not have."""
    roots: dict[str, dict[str, Any]] = {}
    schemas = (document.get("components") or {}).get("schemas")
    if isinstance(schemas, dict):
        for name, schema in schemas.items():
            spec = _loose(document, classes, schema)
            if spec is not None:
                roots[name] = spec
    walk.bottom_up(document, lambda node: _mark_positions(document, classes, node))
    return roots


_UNION_KEYS = {"oneOf", "anyOf", "discriminator", "nullable", "required"} | {
    "title",
    "description",
    "deprecated",
    "readOnly",
    "writeOnly",
    "example",
    "examples",
}


def _mark_positions(
    document: dict[str, Any], classes: Mapping[str, str], node: dict[str, Any]
) -> None:
    properties = node.get("properties")
    if not isinstance(properties, dict):
        return
    for prop in properties.values():
        if not isinstance(prop, dict):
            continue
        for position in (prop, prop.get("items"), prop.get("additionalProperties")):
            if isinstance(position, dict) and POSITION not in position:
                _loose(document, classes, position)


def body_mark(
    document: dict[str, Any], classes: Mapping[str, str], schema: Any
) -> dict[str, Any] | None:
    """The ``Discriminated`` mark of an inline request body that is a discriminated
    union (DigitalOcean's droplet actions: ``oneOf`` of components, a ``mapping``), whether
    or not pydantic's own would serve it: a body has no model to carry pydantic's
    discriminated union. None when ``schema`` is no such union."""
    return _loose(document, classes, copy.deepcopy(schema), always=True)


def served_discriminator(
    document: dict[str, Any], classes: Mapping[str, str], written: dict[str, Any]
) -> dict[str, Any]:
    """A ``discriminator`` as the served document names things: a ``mapping`` value (and
    OpenAPI 3.2's ``defaultMapping``) that names a component schema
    (``#/components/schemas/droplet_action``, ``droplet_action``) names its class's
    component (``classes``: each component's), as the ``$ref``s of the union's members do."""
    schemas = (document.get("components") or {}).get("schemas") or {}
    if not isinstance(schemas, dict):
        return written
    served = dict(written)
    mapping = written.get("mapping")
    if isinstance(mapping, dict):
        served["mapping"] = {
            value: _served_target(schemas, classes, target) for value, target in mapping.items()
        }
    if "defaultMapping" in written:
        served["defaultMapping"] = _served_target(schemas, classes, written["defaultMapping"])
    return served


def _served_target(schemas: dict[str, Any], classes: Mapping[str, str], target: Any) -> Any:
    """A discriminator's target (a schema name, or a reference to a component schema) as
    its class's component is named."""
    referenced = isinstance(target, str) and target.startswith(_COMPONENT)
    name = target[len(_COMPONENT) :] if referenced else target
    if isinstance(name, str) and name in schemas:
        return (_COMPONENT if referenced else "") + class_in(classes, name)
    return target


def default_class(
    written: dict[str, Any], members: list[Any], classes: Mapping[str, str]
) -> str | None:
    """The class a ``defaultMapping`` (OpenAPI 3.2) selects among the union's members (a
    value whose discriminating property is absent or selects no member is read as it):
    the member it names, by reference or by schema name; None without one (or when it
    names no member: a value is still valid against one of the members)."""
    default = written.get("defaultMapping")
    if not isinstance(default, str):
        return None
    for member in members:
        ref = member.get("$ref") if isinstance(member, dict) else None
        if isinstance(ref, str) and ref.startswith(_COMPONENT):
            short = ref.rsplit("/", 1)[-1]
            if default in (ref, short):
                return class_in(classes, short)
    return None


def _loose(
    document: dict[str, Any],
    classes: Mapping[str, str],
    schema: Any,
    *,
    always: bool = False,
) -> dict[str, Any] | None:
    """The mark of ``schema`` if it is a discriminated union pydantic's would not serve
    as written (its ``discriminator`` moved into the mark), else None; with ``always``,
    of any discriminated union."""
    if not isinstance(schema, dict) or POSITION in schema:
        return schema.get(POSITION) if isinstance(schema, dict) else None
    discriminator = schema.get("discriminator")
    keywords = [k for k in ("oneOf", "anyOf") if isinstance(schema.get(k), list)]
    if not isinstance(discriminator, dict) or len(keywords) != 1:
        return None
    if not isinstance(discriminator.get("propertyName"), str):
        return None
    beside = {k for k in schema if not str(k).startswith("x-")} - _UNION_KEYS
    if beside - {"type"} or schema.get("type", "object") != "object":
        return None  # a union beside other keywords: left as pydantic makes it
    keyword = keywords[0]
    members = schema[keyword]
    name = discriminator["propertyName"]
    mapping = discriminator.get("mapping")
    mapping = mapping if isinstance(mapping, dict) else {}
    selects: dict[str, Any] = {}  # a value listed by several members selects each
    # pydantic's discriminated union serves no ``type`` beside it
    exact = "defaultMapping" not in discriminator and keyword == "oneOf" and "type" not in beside
    inline = False
    written_inline = []
    annotated = []  # members that are a reference with annotations beside it
    for index, member in enumerate(members):
        ref = member.get("$ref") if isinstance(member, dict) else None
        notes = _member_notes(member)
        if not isinstance(ref, str) or not ref.startswith(_COMPONENT) or notes is None:
            inline, exact = True, False
            written_inline.append(index)
            continue
        if notes:  # served beside the reference: pydantic's union serves the class alone
            annotated.append({"at": index, "notes": notes})
            exact = False
        short = ref.rsplit("/", 1)[-1]
        required, values = _property(document, _resolved(document, ref), name)
        named = [str(k) for k, v in mapping.items() if v in (ref, short)]
        chosen = named or [str(v) for v in values or ()] or [short]
        for tag in chosen:
            selects[tag] = _also(selects.get(tag), class_in(classes, short))
        if not required or values is None or len(values) != 1 or named not in ([], values):
            exact = False
    shared = any(isinstance(selected, list) for selected in selects.values())
    if shared:  # a value several members list: pydantic's has one member a value
        exact = False
    if exact and not always:
        return None
    # "written", not "discriminator": the rest of the preparation reads that as a schema's
    written = served_discriminator(document, classes, schema.pop("discriminator"))
    spec: dict[str, Any] = {"keyword": keyword, "written": written}
    spec["selects"] = selects
    if isinstance(schema.get("required"), list):  # lichess's timeline: required beside
        spec["required"] = schema.pop("required")
    if "type" in schema:  # openai's Item: an object, each of whose members is one
        spec["type"] = schema.pop("type")
    spec["closed"] = not inline and "defaultMapping" not in discriminator
    default = default_class(discriminator, members, classes)
    if default is not None:  # what a value that names no member must be valid against
        spec["default"] = default
    # a value may select several members (inline ones select none): exactly one must accept it
    spec["exclusive"] = keyword == "oneOf" and (inline or shared)
    if written_inline:  # served inline, as written (pydantic refers to their classes)
        spec["inline"] = {"at": written_inline, "of": len(members)}
    if annotated:  # served with their annotations (openai's deprecated shell call items)
        spec["annotated"] = {"members": annotated, "of": len(members)}
    schema[POSITION] = spec
    return spec


def _member_notes(member: Any) -> dict[str, Any] | None:
    """The annotations (:data:`_NOTES`, which validate nothing) beside a member's
    ``$ref`` (``{}``: none), or None when other keywords stand beside it (an inline
    member, served as written)."""
    if not isinstance(member, dict) or not isinstance(member.get("$ref"), str):
        return None
    beside = {k: v for k, v in member.items() if k != "$ref" and not str(k).startswith("x-")}
    return beside if set(beside) <= _NOTES else None


def _also(selected: Any, name: str) -> Any:
    """What a value selects once ``name`` lists it too: a class, or the classes."""
    if selected is None or selected == name:
        return name
    listed = selected if isinstance(selected, list) else [selected]
    return listed if name in listed else [*listed, name]


_NOTES = {"title", "description", "deprecated", "readOnly", "writeOnly"} | {
    "example",
    "examples",
    "$comment",
    "externalDocs",
}


def nullable_flattened(document: dict[str, Any]) -> None:
    """A ``oneOf`` inside a nullable wrapper written so that it is served and enforced as
    a ``oneOf`` (datamodel-code-generator flattens a union nested in another, and makes
    a class of each member of an ``allOf`` it distributes over a ``oneOf``):

    - ``anyOf: [{oneOf: [A, B]}, {type: "null"}]`` (openai's assistant message
      ``content``, its shell tool's discriminated ``environment``) is ``oneOf: [A, B,
      {type: "null"}]`` when ``A`` and ``B`` both refuse null: a value is null and valid
      against no other member, or valid against exactly one of them and not null, either
      way; the ``oneOf``'s annotations, ``default`` and ``discriminator`` stand beside it;
    - an ``allOf`` member that only says ``nullable: true`` (openai's ``allOf: [$ref
      AssistantsApiToolChoiceOption, {nullable: true}]``) is left out, its annotations
      moved beside the ``allOf``: ``nullable`` without a ``type`` beside it admits no
      null (OpenAPI 3.0.3; 3.1 has no such keyword) and the member validates nothing, so
      the conjunction is the other members' (the fidelity check reads it so too)."""
    walk.bottom_up(document, lambda node: _flattened(document, node))


def _flattened(document: dict[str, Any], node: dict[str, Any]) -> None:
    _nullable_member_left_out(node)
    members = node.get("anyOf")
    if not isinstance(members, list) or len(members) != 2 or "oneOf" in node:
        return
    null = [m for m in members if isinstance(m, dict) and m == {"type": "null"}]
    inner = [m for m in members if m not in null]
    if len(null) != 1 or len(inner) != 1 or not _exclusive_or_discriminated(inner[0]):
        return
    union = inner[0]
    if set(union) - _BESIDE_UNION:
        return  # keywords beside the oneOf that may refuse null: left as written
    if not all(_refuses_null(document, m) for m in union["oneOf"]):
        return
    del node["anyOf"]
    for key in union:  # in the contract's order: a set's would vary with the hash seed
        if key != "oneOf":
            node.setdefault(key, union[key])
    node["oneOf"] = [*union["oneOf"], {"type": "null"}]


# what may stand beside the oneOf moved out of the wrapper: none of it refuses null
_BESIDE_UNION = _NOTES | {"oneOf", "discriminator", "default"}


def _exclusive_or_discriminated(schema: Any) -> bool:
    return (
        exclusive(schema)
        or isinstance(schema, dict)
        and (
            isinstance(schema.get("oneOf"), list) and isinstance(schema.get("discriminator"), dict)
        )
    )


def _nullable_member_left_out(node: dict[str, Any]) -> None:
    members = node.get("allOf")
    if not isinstance(members, list) or len(members) < 2:
        return
    idle = [
        m
        for m in members
        if isinstance(m, dict) and "nullable" in m and set(m) <= _NOTES | {"nullable"}
    ]
    if not idle or len(idle) == len(members):
        return
    for member in idle:
        for key in member:
            if key in _NOTES:
                node.setdefault(key, member[key])
    node["allOf"] = [m for m in members if not any(m is member for member in idle)]


def _refuses_null(document: dict[str, Any], schema: Any, depth: int = 0) -> bool:
    """Whether ``schema`` surely refuses null (by its ``type`` or ``enum``, through
    ``$ref`` and ``allOf``/``anyOf``/``oneOf``); False when it may admit it."""
    if not isinstance(schema, dict) or depth > 20 or schema.get("nullable") is True:
        return False
    if isinstance(schema.get("$ref"), str):
        return _refuses_null(document, _resolved(document, schema["$ref"]), depth + 1)
    kind = schema.get("type")
    if isinstance(kind, str) and kind != "null" or isinstance(kind, list) and "null" not in kind:
        return True
    if "const" in schema:
        return schema["const"] is not None
    if isinstance(schema.get("enum"), list):
        return None not in schema["enum"]
    if any(_refuses_null(document, m, depth + 1) for m in schema.get("allOf") or ()):
        return True
    branches = [m for k in ("anyOf", "oneOf") for m in schema.get(k) or ()]
    return bool(branches) and all(_refuses_null(document, m, depth + 1) for m in branches)


def _resolved(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _property(
    document: dict[str, Any], schema: Any, name: str, depth: int = 0
) -> tuple[bool, list[Any] | None]:
    """Whether ``schema`` requires its property ``name``, and the values it lists for it
    (``const``/``enum``; None when it lists none), through ``$ref`` and ``allOf``; of a
    union (openai's ``Item`` as a member of ``InputItem``), what each of its members
    requires and lists."""
    if not isinstance(schema, dict) or depth > 20:
        return False, None
    if isinstance(schema.get("$ref"), str):
        return _property(document, _resolved(document, schema["$ref"]), name, depth + 1)
    union = next((schema[k] for k in ("oneOf", "anyOf") if isinstance(schema.get(k), list)), None)
    if union and not schema.get("properties") and not schema.get("allOf"):
        found = [_property(document, member, name, depth + 1) for member in union]
        listed = [value for _, values in found for value in values or ()]
        every = all(values is not None for _, values in found)
        return all(required for required, _ in found), listed if every else None
    required = name in (schema.get("required") or ())
    values: list[Any] | None = None
    prop = (schema.get("properties") or {}).get(name)
    if isinstance(prop, dict) and isinstance(prop.get("$ref"), str):
        prop = _resolved(document, prop["$ref"])
    if isinstance(prop, dict):
        if "const" in prop:
            values = [prop["const"]]
        elif isinstance(prop.get("enum"), list):
            values = list(prop["enum"])
    for member in schema.get("allOf") or ():
        also_required, also = _property(document, member, name, depth + 1)
        required = required or also_required
        values = also if also is not None else values
    return required, values


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
    found = list(schema.get(DISCRIMINATED) or [])
    for member in members:
        if isinstance(member, dict) and {MARK, DISCRIMINATED} & set(member):
            paths += [path for path in member.pop(MARK, ()) if path not in paths]
            found += [mark for mark in member.pop(DISCRIMINATED, ()) if mark not in found]
            member["customBasePath"] = _without_base(member.get("customBasePath"))
            if not member["customBasePath"]:
                del member["customBasePath"]
    if paths:
        schema[MARK] = paths
    if found:
        schema[DISCRIMINATED] = found
    if paths or found:
        _with_base(schema)


def annotate_roots(code: str, classes: set[str] | dict[str, str], *, items: bool = False) -> str:
    """``root: A | B`` of each ``RootModel`` class in ``classes`` becomes
    ``root: Annotated[A | B, OneOf()]``, or ``Annotated[A | B, <its annotation>]`` where
    ``classes`` maps a class to one (the writer formats the result). With ``items``, the
    items of the root's ``list`` are annotated instead: ``root: list[A | B]`` becomes
    ``root: list[Annotated[A | B, OneOf()]]`` (a root of no ``list`` is left as it is)."""
    if not classes:
        return code
    marks = classes if isinstance(classes, dict) else dict.fromkeys(classes, "OneOf()")
    found = []
    for node in syntax.named_statements(code, marks):
        if not isinstance(node, ast.ClassDef) or node.name not in marks:
            continue
        if not any("RootModel" in ast.unparse(base) for base in node.bases):
            continue
        for item in node.body:
            if (
                isinstance(item, ast.AnnAssign)
                and isinstance(item.target, ast.Name)
                and item.target.id == "root"
            ):
                annotated = _items_of(item.annotation) if items else item.annotation
                if annotated is not None:
                    found.append((annotated, marks[node.name]))
    if not found:
        return code
    data = code.encode()  # ast's column offsets count UTF-8 bytes
    starts = [0]
    for line in data.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    names = set()
    edits = []
    for annotation, mark in found:
        begin = starts[annotation.lineno - 1] + annotation.col_offset
        end_line = annotation.end_lineno or annotation.lineno
        end = starts[end_line - 1] + (annotation.end_col_offset or 0)
        inner = data[begin:end]
        edits.append((begin, end, b"Annotated[" + inner + b", " + mark.encode() + b"]"))
        names.add(mark.split("(", 1)[0])
    return _imported(_imported_typing(syntax.spliced(data, edits).decode()), names)


def _items_of(annotation: ast.expr) -> ast.expr | None:
    """The items' type of the outermost ``list[...]`` in a root's annotation (also inside
    ``Annotated[list[X], Field(...)]`` and ``list[X] | None``), if any."""
    for node in ast.walk(annotation):
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id == "list"
        ):
            return node.slice
    return None


def exclusive_items(schema: Any) -> bool:
    """Whether ``schema`` is an array (a component's root) whose ``items`` are an
    exclusive ``oneOf``; also the array member of a nullable ``anyOf``."""
    if not isinstance(schema, dict):
        return False
    holders = _nullable_holders(schema) if "items" not in schema else [schema]
    return any(exclusive(holder.get("items")) for holder in holders)


def _imported(code: str, added: set[str]) -> str:
    """``added`` (``OneOf``...) added to the ``from specs.validation import`` line."""
    found = _SPECS_IMPORT.search(code)
    if found is None:
        raise RuntimeError("the generated schemas do not import specs.validation")
    names = imported_names(found) | added
    line = f"from specs.validation import {', '.join(sorted(names))}\n"
    return code.replace(found.group(0), line, 1)


def imported_names(found: re.Match[str]) -> set[str]:
    """The names a ``from ... import`` statement matched by ``_SPECS_IMPORT`` or
    ``TYPING_IMPORT`` imports, on one line or wrapped."""
    listed = found.group(1) if found.group(1) is not None else found.group(2)
    return {name.strip() for name in listed.split(",") if name.strip()}


def _imported_typing(code: str) -> str:
    """``Annotated`` imported from ``typing`` (isort's place and order)."""
    found = TYPING_IMPORT.search(code)
    if found is not None:
        names = imported_names(found) | {"Annotated"}
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
        target = handler.resolve_ref_schema(served)
        _served_as_one_of(target)
        _null_said_by_members(target, handler)
        return served


class Discriminated:
    """``Annotated[A | B, Discriminated({...})]``: a ``oneOf``/``anyOf`` with a
    ``discriminator`` that pydantic's discriminated union would not serve as written (a
    member leaves the property optional, an inline member...). Served with its keyword
    and its ``discriminator`` as the contract writes them; a value must name a member
    by the property, and be valid against the member its value selects (the mapping's,
    else the values the member lists, else its schema name), and is read as that member:
    what the contract's discriminator says. With a ``defaultMapping`` (OpenAPI 3.2), a
    value without the property, or whose value selects no member, must be valid against
    the member it names, and is read as it."""

    def __init__(self, mark: Mapping[str, Any]) -> None:
        self.mark = mark

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        members, mark = _members(source), self.mark

        def selected(value: Any, validate: ValidatorFunctionWrapHandler) -> Any:
            member = _check_discriminated(members, mark, value)
            found = validate(value)
            if isinstance(member, type) and not isinstance(found, member):
                # the union took another member that accepts it too: the selected one
                return _adapter(member).validate_python(value)
            return found

        return core_schema.no_info_wrap_validator_function(selected, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        served = handler(schema)
        _served_as_written(handler.resolve_ref_schema(served), self.mark, handler)
        return served


class ExclusiveModel(SchemaModel):
    """A model whose properties hold a ``oneOf`` (the property, its ``items`` or its
    ``additionalProperties``), listed as paths in ``json_schema_extra["x-oneOf"]``:
    served as ``oneOf`` there, and a value more than one member accepts is refused.
    Discriminated unions there (``json_schema_extra["x-discriminated"]``: each at a path,
    with its keyword, its ``discriminator`` and the members its values select) are
    served and enforced as ``Discriminated`` says."""

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
                _null_said_by_members(node, handler)
        for mark in target.pop("x-discriminated", ()):
            node = target
            for step in mark["at"]:
                node = _step(node, step)
            if isinstance(node, dict):
                _served_as_written(node, mark, handler)
        return served

    @model_validator(mode="before")
    @classmethod
    def _exactly_one_member(cls, data: Any) -> Any:
        extra = cls.model_config.get("json_schema_extra")
        if not isinstance(extra, Mapping) or not isinstance(data, Mapping):
            return data
        listed: Any = extra.get("x-oneOf") or []
        for path in [[str(step) for step in p] for p in listed if isinstance(p, list)]:
            for members, item in _unions_at(cls, data, path):
                _check_one_of(members, item, f"{'.'.join(path[1:])}: ")
        marks: Any = extra.get("x-discriminated") or []
        for mark in marks:
            path = [str(step) for step in mark["at"]]
            for members, item in _unions_at(cls, data, path):
                _check_discriminated(members, mark, item, f"{'.'.join(path[1:])}: ")
        return data


def _unions_at(
    model: type[BaseModel], data: Mapping[str, Any], path: list[str]
) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """The union's members at ``path`` (``properties``, a field's alias, then ``items``
    or ``additionalProperties``), with each value of ``data`` found there."""
    found = _field(model, path[1])
    if found is None:
        return
    name, annotation = found
    value = data.get(path[1], data.get(name, MISSING))
    for step in path[2:]:
        annotation = _inside(annotation, step)
    members = _members(annotation)
    for item in _values_at(value, path[2:]):
        yield members, item


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


def _null_said_by_members(schema: dict[str, Any], handler: GetJsonSchemaHandler) -> None:
    """A ``oneOf`` two of whose members admit null (pagerduty's custom field value:
    ``oneOf: [{type: string, nullable: true}, {type: array, nullable: true}]``) is served
    as written, without the null member pydantic adds for them: null is refused either
    way (it is valid against both), and so it still is."""
    members = schema.get("oneOf")
    if not isinstance(members, list) or {"type": "null"} not in members:
        return
    others = [m for m in members if m != {"type": "null"}]
    admitting = [m for m in others if _admits_null(_resolved_member(m, handler))]
    if len(admitting) >= 2:
        schema["oneOf"] = others


def _resolved_member(member: Any, handler: GetJsonSchemaHandler) -> Any:
    """A served member, its ``$ref`` followed (None where it is not defined yet)."""
    if not isinstance(member, dict):
        return member
    try:
        return handler.resolve_ref_schema(member)
    except LookupError:
        return None


def _admits_null(schema: Any) -> bool:
    """Whether a served schema says null is valid: a ``"null"`` type, or a union with a
    member of that type (pydantic's ``X | None``)."""
    if not isinstance(schema, Mapping):
        return False
    kind = schema.get("type")
    if kind == "null" or (isinstance(kind, list) and "null" in kind):
        return True
    return any(m == {"type": "null"} for m in schema.get("anyOf", ()))


def _served_as_written(
    schema: dict[str, Any], mark: Mapping[str, Any], handler: GetJsonSchemaHandler
) -> None:
    """A discriminated union served with its keyword and ``discriminator`` as written, its
    members written inline served inline (pydantic refers to the classes made of them)."""
    if mark.get("keyword") == "oneOf":
        _served_as_one_of(schema)
    schema["discriminator"] = dict(mark["written"])
    if "required" in mark:
        schema["required"] = list(mark["required"])
    if "type" in mark:
        schema["type"] = mark["type"]
    inline, annotated = mark.get("inline"), mark.get("annotated")
    members = schema.get(mark.get("keyword", "anyOf"))
    if not isinstance(members, list):
        return
    if isinstance(inline, Mapping) and len(members) == inline.get("of"):
        for index in inline.get("at", ()):  # else not the members as written (a null added)
            member = members[index]
            if isinstance(member, dict) and set(member) == {"$ref"}:
                members[index] = dict(handler.resolve_ref_schema(member))
    if isinstance(annotated, Mapping) and len(members) == annotated.get("of"):
        for found in annotated.get("members", ()):
            member = members[found["at"]]
            if isinstance(member, dict) and set(member) == {"$ref"}:
                members[found["at"]] = {**member, **found["notes"]}


def _check_discriminated(
    members: tuple[Any, ...], mark: Mapping[str, Any], value: Any, where: str = ""
) -> Any:
    """Refuse an object that does not name a member by the discriminating property (no
    ``defaultMapping``), names one by a value that selects none (every member a
    component's, no ``defaultMapping``), or is not valid against the member it selects
    (the ``defaultMapping``'s where the property is absent or selects none); a ``oneOf``
    with inline members also refuses a value more than one member accepts. The member
    that accepts it when the discriminator selects one class, else None."""
    if mark.get("exclusive"):
        _check_one_of(members, value, where)
    if not isinstance(value, Mapping):
        if mark.get("type") == "object":  # written beside the union
            raise ValueError(f"{where}not an object")
        return None  # not an object: the union's own validation says why
    for required in mark.get("required", ()):  # written beside the union
        if required not in value:
            raise ValueError(f"{where}{required!r} is required")
    discriminator = mark["written"]
    name = discriminator["propertyName"]
    if name not in value and "defaultMapping" not in discriminator:
        raise ValueError(f"{where}the discriminating property {name!r} is required")
    chosen, by = _chosen(mark, value, where)
    if chosen is None:
        return None
    names = chosen if isinstance(chosen, list) else [chosen]
    found = [m for m in members if getattr(m, "__name__", None) in names]
    text = to_json(value, by_alias=True)
    accepting = [member for member in found if _accepts(member, text)]
    if found and not accepting:
        said = " or ".join(names)
        raise ValueError(f"{where}not valid against {said}, which {by} selects")
    return accepting[0] if len(accepting) == 1 else None


def _chosen(mark: Mapping[str, Any], value: Mapping[str, Any], where: str = "") -> tuple[Any, str]:
    """What the discriminator of ``mark`` selects for the object ``value``, and by what:
    the ``selects`` entry of its property's value, else (the property absent, or its
    value selecting nothing) the ``default`` (a ``defaultMapping``'s), if any. A
    ``closed`` mark refuses a value that selects nothing."""
    name = mark["written"]["propertyName"]
    if name not in value:
        return mark.get("default"), f"a value without {name} (defaultMapping)"
    tag, selects = value[name], mark.get("selects") or {}
    chosen = selects.get(tag) if isinstance(tag, str) else None
    if chosen is None and mark.get("closed"):
        listed = ", ".join(repr(key) for key in selects)
        raise ValueError(f"{where}{name} {tag!r} selects no member (one of {listed} does)")
    if chosen is None and mark.get("default") is not None:
        return mark["default"], f"{name} {tag!r} (defaultMapping)"
    return chosen, f"{name} {tag!r}"
'''
