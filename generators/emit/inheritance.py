"""OpenAPI's inheritance idiom enforced: a base whose ``discriminator`` names its subtypes.

OpenAPI 3.0.3 (3.1 and 3.2 keep it)::

    Pet:
      type: object
      required: [petType, name]
      properties: {petType: {type: string}, name: {type: string}}
      discriminator: {propertyName: petType, mapping: {cat: Cat}}
    Cat:
      allOf: [{$ref: Pet}, {properties: {huntingSkill: ...}, required: [huntingSkill]}]

"a payload like {petType: Cat, name: misty} will indicate that the Cat schema be used".
datamodel-code-generator makes ``class Cat(Pet)``, and the discriminator is served as
written in ``Pet``'s ``json_schema_extra`` (``schemas._discriminator_served_as_written``);
but a value validated as ``Pet`` stayed a ``Pet``: a cat's ``huntingSkill`` was dropped,
and a cat without one, or a dog of ``packSize: -1``, was accepted.

So a component with a lone ``discriminator`` that other generated classes derive from
(directly or through another: the ``allOf`` of ``$ref`` datamodel-code-generator makes a
base class of) derives from ``specs.validation.PolymorphicModel`` and lists its subtypes
by class in ``_subtypes``: each value of the discriminating property selects the class
of the component the ``mapping`` names, else the class of the component of that very
name (OpenAPI's implicit mapping), as ``Discriminated`` selects a union's member; an
OpenAPI 3.2 ``defaultMapping`` names the class a value selecting none is read as. Only
classes that derive from it are listed (a mapping may name a schema that does not
extend the base: a value it selects is read as the base). The classes are the model
metadata's (``class_name`` of each component), so the names are the ones routers import.

``PolymorphicModel`` validates a value as the subtype selected wherever the base is
validated (a body, a property, an array's items, a response: its errors are the
value's) and hands over the subtype's instance; it serialises an instance by its own
class where the base is declared (pydantic's ``polymorphic_serialization``: by default it
serialises by the declared class, and dropped a subtype's fields from a response). The
served schemas do not change.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from typing import Any

from generators.emit import syntax

BASE = "PolymorphicModel"
SUBTYPES = "Subtypes"
_SCHEMA_BASE = "SchemaModel"
_WRITTEN = "x-discriminator"  # where schemas._discriminator_served_as_written moved it
_COMPONENT = "#/components/schemas/"
_VALIDATION_IMPORT = re.compile(
    r"^from specs\.validation import (\([^)]*\)|[^\n(]*)\n", re.MULTILINE
)


def dispatched(code: str, document: Any, models: list[dict[str, Any]]) -> str:
    """``code`` where each class made of a component whose ``discriminator`` selects
    classes that derive from it derives from ``PolymorphicModel`` and lists them in
    ``_subtypes`` (``document``: the schemas as datamodel-code-generator read them;
    ``models``: its model metadata)."""
    tree = syntax.parsed(code)
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    bases = {
        name: [base.id for base in node.bases if isinstance(base, ast.Name)]
        for name, node in classes.items()
    }
    components = dict(_components(models))
    methods: dict[str, str] = {}
    for component, name in components.items():
        schema = _component(document, component)
        discriminator = schema.get(_WRITTEN) if isinstance(schema, Mapping) else None
        if name in methods or not isinstance(discriminator, Mapping) or name not in classes:
            continue
        if not isinstance(discriminator.get("propertyName"), str):
            continue
        subtypes = {other for other in classes if name in _ancestors(bases, other)}
        method = _method(discriminator, components, name, subtypes)
        if method is not None:
            methods[name] = method
    if not methods:
        return code
    lines = code.split("\n")  # as ast counts lines
    polymorphic = set(methods)
    for node in sorted(classes.values(), key=lambda n: n.lineno, reverse=True):
        if node.name not in methods:
            continue
        end = node.end_lineno or node.lineno
        lines[end:end] = ["", *methods[node.name].split("\n")]
        if not polymorphic & _ancestors(bases, node.name):
            _based(lines, node)
    return _imports(code="\n".join(lines))


def _components(models: list[dict[str, Any]]) -> Iterator[tuple[str, str]]:
    """Each component's name and the class made of it (the model metadata's)."""
    for model in models:
        path = model.get("source_path") or []
        if len(path) == 3 and path[:2] == ["components", "schemas"]:
            yield str(path[2]), str(model["class_name"])


def _component(document: Any, name: str) -> Any:
    components = document.get("components") if isinstance(document, Mapping) else None
    schemas = components.get("schemas") if isinstance(components, Mapping) else None
    return schemas.get(name) if isinstance(schemas, Mapping) else None


def _ancestors(bases: Mapping[str, list[str]], name: str) -> set[str]:
    """The generated classes ``name`` derives from, directly or through another."""
    found: set[str] = set()
    pending = list(bases.get(name, ()))
    while pending:
        base = pending.pop()
        if base not in found:
            found.add(base)
            pending.extend(bases.get(base, ()))
    return found


def _method(
    discriminator: Mapping[str, Any],
    components: Mapping[str, str],
    base: str,
    subtypes: set[str],
) -> str | None:
    """The ``_subtypes`` classmethod of ``base`` (None when its discriminator selects
    none of the classes deriving from it)."""
    selects: dict[str, str] = {}
    mapping = discriminator.get("mapping")
    for tag, target in (mapping if isinstance(mapping, Mapping) else {}).items():
        chosen = components.get(_target(target))
        if chosen in subtypes and isinstance(tag, str):
            selects[tag] = chosen
    named = set(selects.values())
    for component, chosen in components.items():  # OpenAPI's implicit mapping
        if chosen in subtypes and chosen not in named:
            selects.setdefault(component, chosen)
    default = components.get(_target(discriminator.get("defaultMapping")))
    if not selects and default not in subtypes:
        return None
    entries = ", ".join(f"{tag!r}: {chosen}" for tag, chosen in selects.items())
    arguments = [repr(discriminator["propertyName"]), f"{{{entries}}}"]
    if default in subtypes:
        arguments.append(f"default={default}")
    return "\n".join(
        [
            "    @classmethod",
            f"    def _subtypes(cls) -> {SUBTYPES}:",
            '        """The subtypes its discriminator selects (OpenAPI\'s inheritance)."""',
            f"        return {SUBTYPES}({', '.join(arguments)})",
        ]
    )


def _target(target: Any) -> str:
    """The component a discriminator's ``mapping`` value (or ``defaultMapping``) names:
    by reference (``#/components/schemas/Cat``) or by name (``Cat``)."""
    if not isinstance(target, str):
        return ""
    return target.removeprefix(_COMPONENT) if target.startswith(_COMPONENT) else target


def _based(lines: list[str], node: ast.ClassDef) -> None:
    """``node``'s ``SchemaModel`` base made ``PolymorphicModel`` (which derives from it);
    beside other bases, ``PolymorphicModel`` is added after them."""
    for base in node.bases:
        if isinstance(base, ast.Name) and base.id == _SCHEMA_BASE:
            text, end = lines[base.lineno - 1], base.end_col_offset or 0
            lines[base.lineno - 1] = text[: base.col_offset] + BASE + text[end:]
            return
    last = node.bases[-1]
    row = (last.end_lineno or last.lineno) - 1
    column = last.end_col_offset or 0
    lines[row] = f"{lines[row][:column]}, {BASE}{lines[row][column:]}"


def _imports(code: str) -> str:
    """``code`` importing ``PolymorphicModel`` and ``Subtypes`` from ``specs.validation``,
    and ``SchemaModel`` only where a class still derives from it."""
    tree = syntax.parsed(code)
    used = any(isinstance(node, ast.Name) and node.id == _SCHEMA_BASE for node in ast.walk(tree))
    found = _VALIDATION_IMPORT.search(code)
    names = set()
    if found is not None:
        names = {n.strip() for n in found.group(1).strip("()").split(",") if n.strip()}
    names = (names | {BASE, SUBTYPES}) - (set() if used else {_SCHEMA_BASE})
    # isort's order (ruff's default): CONSTANTS, then Classes, then functions.
    ordered = sorted(names, key=lambda n: (not n.isupper(), not n[:1].isupper(), n))
    line = f"from specs.validation import {', '.join(ordered)}\n"
    if found is not None:
        return code.replace(found.group(0), line, 1)
    future = "from __future__ import annotations\n"
    return code.replace(future, future + line, 1) if future in code else line + code


RUNTIME = '''

class Subtypes(NamedTuple):
    """What a ``PolymorphicModel``'s discriminator selects: its property (as the
    contract names it), the class each value of it selects (the contract's ``mapping``,
    else each subtype's schema name) and the class a value that selects none is read
    as (OpenAPI 3.2's ``defaultMapping``; else the model itself)."""

    property_name: str
    selects: Mapping[str, type[BaseModel]]
    default: type[BaseModel] | None = None


_CONSTRUCTING: ContextVar[bool] = ContextVar("_CONSTRUCTING", default=False)
Polymorphic = TypeVar("Polymorphic", bound="PolymorphicModel")


class PolymorphicModel(SchemaModel):
    """A component other components extend (``allOf: [{$ref: it}, {...}]``) and whose
    ``discriminator`` names them: OpenAPI's inheritance idiom. Wherever it is validated
    (a body, a property, an array's items, a response), an object whose discriminating
    property selects a subtype (``_subtypes``) is validated as that subtype and read as
    it (an instance of this class still); one that selects none is validated as this
    class (or as the ``defaultMapping``'s subtype). Serialised by the fields of its own
    class wherever this one is declared (``polymorphic_serialization``): a subtype's
    fields are not dropped. ``Model(...)`` in code builds that very class."""

    model_config = ConfigDict(polymorphic_serialization=True)

    def __init__(self, /, **data: Any) -> None:
        token = _CONSTRUCTING.set(True)
        try:
            super().__init__(**data)
        finally:
            _CONSTRUCTING.reset(token)

    # pydantic's mark of its own __init__: validation (a field holding the model, a
    # body) builds an instance as it would without this one, not by calling it
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @classmethod
    def _subtypes(cls) -> Subtypes:
        return Subtypes("", {})

    @model_validator(mode="wrap")
    @classmethod
    def _as_subtype(
        cls, data: Any, handler: ModelWrapValidatorHandler[Self], info: ValidationInfo
    ) -> Self:
        if _CONSTRUCTING.get():  # Model(...): that class; its fields' values are read
            token = _CONSTRUCTING.set(False)
            try:
                return handler(data)
            finally:
                _CONSTRUCTING.reset(token)
        subtype = _subtype(cls, data)
        if subtype is None:
            return handler(data)
        if info.mode == "json":
            return subtype.model_validate_json(to_json(data), context=info.context)
        return subtype.model_validate(data, context=info.context)


def _subtype(model: type[Polymorphic], data: Any) -> type[Polymorphic] | None:
    """The subtype of ``model`` its discriminator selects for ``data`` (an object, or
    what ``from_attributes`` reads), None for ``model`` itself: an instance is taken as
    it is."""
    if isinstance(data, BaseModel):
        return None
    subtypes = model._subtypes()
    name = subtypes.property_name
    found = _field(model, name)
    field = found[0] if found is not None else name
    if isinstance(data, Mapping):
        tag = data.get(name, data.get(field, MISSING))
    else:
        tag = getattr(data, field, MISSING)
    mark = {
        "written": {"propertyName": name},
        "selects": subtypes.selects,
        "default": subtypes.default,
    }
    chosen, _ = _chosen(mark, {} if tag is MISSING else {name: tag})
    if isinstance(chosen, type) and chosen is not model and issubclass(chosen, model):
        return chosen
    return None
'''
