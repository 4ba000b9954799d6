"""JSON Schema → Python type annotations for the API layer (parameters, bodies, responses)."""

from __future__ import annotations

import keyword
from collections.abc import Iterable, Mapping
from typing import Any

from generators import ir
from generators.emit import formats
from generators.emit.imports import Imports
from generators.keywords import enum_values
from generators.naming import pascal

SCHEMAS_MODULE = "specs.schemas"
_FORMATS = {  # string formats whose type serves the format as written and enforces it
    "uuid": ("uuid", "UUID"),
    "date": ("datetime", "date"),
    "date-time": ("datetime", "datetime"),
    "time": ("datetime", "time"),
    "duration": ("datetime", "timedelta"),
    "email": ("pydantic", "EmailStr"),
    "uri": ("pydantic", "AnyUrl"),
    "ipv4": ("ipaddress", "IPv4Address"),
    "ipv6": ("ipaddress", "IPv6Address"),
    **{f"uuid{n}": ("pydantic", f"UUID{n}") for n in (1, 3, 4, 5)},
}
_SCALARS = {"integer": "int", "number": "float", "boolean": "bool", "string": "str"}
_IMPORTED_NAMES = frozenset(
    {
        *("APIRouter", "Body", "Cookie", "Depends", "File", "Form", "Header", "HTTPException"),
        *("Path", "Query", "Response", "Security", "UploadFile"),  # fastapi
        *("Annotated", "Any", "Literal", "TypeAlias", "UUID", "EmailStr", "AnyUrl"),
        *("IPv4Address", "IPv6Address", "UUID1", "UUID3", "UUID4", "UUID5"),
        *("AlsoAccepts", "ContractRoute", "Principal", "ServiceNotImplementedError"),
        *("ByMediaType", "MediaBody", "FormData", "Iterable", "AsyncIterable"),
        "SessionDep",
    }
)
"""Names routers and services import from elsewhere (``Session`` is the services' own
business: they write ``orm.Session`` then)."""


# Names the generated schemas module may import (datamodel-code-generator's imports for
# Pydantic v2 models, and specs.validation's base): a schema named like one of them gets
# the suffix ``Model`` here, as datamodel-code-generator would add it only when the module
# happens to import the name.
_IMPORTABLE = frozenset(
    {
        *("AliasChoices", "AnyUrl", "AwareDatetime", "BaseModel", "ConfigDict", "EmailStr"),
        *("EncodedBytes", "Field", "FutureDate", "FutureDatetime", "NaiveDatetime"),
        *("NegativeFloat", "NegativeInt", "NonNegativeFloat", "NonNegativeInt"),
        *("NonPositiveFloat", "NonPositiveInt", "PastDate", "PastDatetime", "PositiveFloat"),
        *("PositiveInt", "RootModel", "SecretStr", "SerializeAsAny", "StrictBool"),
        *("StrictBytes", "StrictFloat", "StrictInt", "StrictStr", "StringConstraints"),
        *("TypeAdapter", "ValidationInfo", "ValidatorFunctionWrapHandler", "MISSING"),
        *("MultipleOf", "Annotated", "Any", "ClassVar", "Dict", "FrozenSet", "List"),
        *("Literal", "Mapping", "Optional", "Sequence", "Set", "SupportsIndex", "Tuple"),
        *("TypeAlias", "Union", "Iterator", "Decimal", "Enum", "IntEnum", "StrEnum", "Path"),
        *("UUID", "ULID", "ContractModel", "SchemaModel"),
    }
)


def class_name_of(name: str) -> str:
    """The class name ``name`` reads as on its own: ``pet_toy`` → ``PetToy``, ``graph.user``
    → ``GraphUser``, ``Field`` → ``FieldModel`` (a name the schemas module may import, or a
    keyword, takes the suffix ``Model``). A component's class unless another component
    reads as the same (:func:`class_names`)."""
    name = pascal(name)
    return f"{name}Model" if name in _IMPORTABLE or keyword.iskeyword(name) else name


def class_names(names: Iterable[str]) -> dict[str, str]:
    """Each component schema (``names`` in the contract's order) → its class, one class
    each: ``class_name_of(name)``, unless other components read as that same class
    (``my.Doc``, ``My-Doc``, ``MyDoc``, ``myDoc`` are all ``MyDoc``). Of those, the one
    written as its class keeps it (``MyDoc``), else the first in the contract's order;
    the others, in that order, take it numbered (``MyDoc2``, ``MyDoc3``...), skipping a
    number another component's class has. Deterministic, so the schemas module
    (datamodel-code-generator's classes, :mod:`generators.emit.class_names`), routers,
    services and fillers all name a component's class alike."""
    ordered = list(dict.fromkeys(names))
    readings: dict[str, list[str]] = {}
    for name in ordered:
        readings.setdefault(class_name_of(name), []).append(name)
    taken = set(readings)
    found: dict[str, str] = {}
    for reading, alike in readings.items():
        keeper = next((name for name in alike if name == reading), alike[0])
        found[keeper] = reading
        number = 2
        for name in alike:
            if name == keeper:
                continue
            while f"{reading}{number}" in taken:
                number += 1
            found[name] = f"{reading}{number}"
            taken.add(found[name])
    return {name: found[name] for name in ordered}


def component_classes(api: ir.Api) -> Mapping[str, str]:
    """``class_names`` of ``api``'s component schemas, worked out once per contract."""
    return api.once("class_names", lambda: class_names(api.schemas))


def class_name(api: ir.Api, schema_name: str) -> str:
    """The Pydantic class of ``api``'s component schema ``schema_name``
    (:func:`class_names`); a name no component has reads as it would alone."""
    return class_in(component_classes(api), schema_name)


def class_in(classes: Mapping[str, str], schema_name: str) -> str:
    """The class ``classes`` (each component's) gives ``schema_name``; a name no component
    has reads as it would alone."""
    return classes.get(schema_name) or class_name_of(schema_name)


def model_reference(api: ir.Api, schema_name: str) -> str:
    """The name routers and services use for a component schema's class: the class name, or
    ``<Name>Schema`` (imported ``as``) where it would hide an import (``Query``)."""
    return reference_to(class_name(api, schema_name))


def reference_to(cls: str) -> str:
    """The name a module importing the schema class ``cls`` uses for it."""
    return f"{cls}Schema" if cls in _IMPORTED_NAMES else cls


def ref_name(schema: Mapping[str, Any]) -> str | None:
    """The component a ``$ref`` names (``#/components/schemas/Task``); None for one into a
    component (``#/components/schemas/Task/properties/owner``: no component of that name)."""
    ref = schema.get("$ref")
    prefix = "#/components/schemas/"
    if isinstance(ref, str) and ref.startswith(prefix) and "/" not in ref[len(prefix) :]:
        return ref[len(prefix) :]
    return None


def is_nullable(schema: Mapping[str, Any]) -> bool:
    kind = schema.get("type")
    return bool(schema.get("nullable")) or (isinstance(kind, list) and "null" in kind)


def referenced_nullable(schema: Mapping[str, Any], api: ir.Api) -> bool:
    """Whether ``schema`` is a ``$ref`` to a component that admits null (DigitalOcean's
    ``database_maintenance_window``: an object, ``nullable: true``). Its class does not
    (where a property holds it, the property admits null): used as a whole body, the
    reference is served and typed as null or the class."""
    name = ref_name(schema)
    target = api.schemas.get(name, {}) if name is not None else {}
    values = target.get("enum")
    refused = isinstance(values, list) and None not in values  # the enum decides
    return isinstance(target, Mapping) and is_nullable(target) and not refused


def base_type(schema: Mapping[str, Any]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        return next((k for k in kind if k != "null"), None)
    return kind if isinstance(kind, str) else None


def annotation(schema: Mapping[str, Any], api: ir.Api, imports: Imports) -> str:
    """The annotation of a value of ``schema``, adding what it needs to ``imports``."""
    text = _annotation(schema, api, imports)
    return f"{text} | None" if is_nullable(schema) and not text.endswith("| None") else text


def value_annotation(schema: Mapping[str, Any], api: ir.Api, imports: Imports) -> str:
    """The annotation of a whole body or response of ``schema``: :func:`annotation`'s,
    or the class of the array component it refers to where that type would not say all
    of it (:func:`whole_class`)."""
    cls = whole_class(schema, api)
    if cls is None:
        return annotation(schema, api, imports)
    reference = reference_to(cls)
    imports.add(SCHEMAS_MODULE, cls if reference == cls else f"{cls} as {reference}")
    return reference


def _annotation(schema: Mapping[str, Any], api: ir.Api, imports: Imports) -> str:
    name = ref_name(schema)
    if name is not None:
        target = api.schemas.get(name, {})
        if _is_model(target):
            cls = class_name(api, name)
            reference = reference_to(cls)
            imports.add(SCHEMAS_MODULE, cls if reference == cls else f"{cls} as {reference}")
            return reference
        return _annotation(target, api, imports)  # a plain alias: use the type it stands for
    admitted = enum_values(schema)
    values = [v for v in admitted or () if v is not None]
    if values and admitted is not None and base_type(schema) in {"string", None}:
        imports.add("typing", "Literal")  # an enum of no value (``enum: []``): its type's
        return "Literal[" + ", ".join(repr(str(v)) for v in values) + "]"
    integers = all(isinstance(v, int) for v in values)  # bool is an int; no float Literals
    if values and integers and base_type(schema) in {"integer", "boolean"}:
        imports.add("typing", "Literal")
        return "Literal[" + ", ".join(repr(v) for v in values) + "]"
    kind = base_type(schema)
    if kind == "array":
        return f"list[{annotation(schema.get('items') or {}, api, imports)}]"
    format_type = formats.alias(schema)
    if format_type is not None:  # int32, byte, vcal...: served as written, enforced
        imports.add(formats.MODULE, format_type)
        return format_type
    if kind == "string" and schema.get("format") in _FORMATS:
        module, type_name = _FORMATS[schema["format"]]
        imports.add(module, type_name)
        return type_name
    if kind == "string" and schema.get("format") == "binary":
        return "bytes"
    if kind in _SCALARS:
        return _SCALARS[kind]
    map_values = schema.get("additionalProperties")
    if kind == "object" and isinstance(map_values, Mapping) and not schema.get("properties"):
        return f"dict[str, {annotation(map_values, api, imports)}]"  # a map: its values' type
    imports.add("typing", "Any")
    return "dict[str, Any]" if kind == "object" else "Any"


_NOTES = frozenset({"title", "description", "example", "examples", "$comment", "externalDocs"})
# an array's own keywords a route serves beside its ``list[X]`` (:func:`constraints`,
# :func:`unique_items`)
_ARRAY_KEYWORDS = frozenset({"type", "items", "nullable", "minItems", "maxItems", "uniqueItems"})


def whole_class(schema: Mapping[str, Any], api: ir.Api) -> str | None:
    """The class of the array component ``schema`` refers to where a body or a response
    of it is typed with that class, not with the ``list[X]`` it stands for: where
    ``list[X]`` would not say all of it (its items a union or an object written in
    place, a constrained string...: ``Things``, ``items: {oneOf: [Cat, Dog]}``, would be
    ``list[Any]``, served and enforced as anything). The class of the schemas module
    says it all (its root ``list[Cat | Dog]``, its items' own classes). None for
    anything else, which :func:`annotation` types (a parameter's value is never a
    class: FastAPI reads none from a query)."""
    name = ref_name(schema)
    target = api.schemas.get(name) if name is not None else None
    if not isinstance(target, Mapping) or _is_model(target) or base_type(target) != "array":
        return None
    said = {key for key in target if not str(key).startswith("x-")} - _NOTES
    items = target.get("items", {})
    if said <= _ARRAY_KEYWORDS and isinstance(items, Mapping) and _carried(items, api):
        return None
    return class_name(api, name) if name is not None else None


def _carried(schema: Mapping[str, Any], api: ir.Api, depth: int = 0) -> bool:
    """Whether the type :func:`annotation` gives ``schema``, an array's items (or a
    map's values), says all that ``schema`` does: a ``$ref`` to a model component (its
    class), or to a plain alias of such a schema; a scalar whose keywords its type
    serves (its ``format``, its ``enum`` as a ``Literal``), an array or a map of such
    values, or anything (``{}``)."""
    said = {key for key in schema if not str(key).startswith("x-")} - _NOTES
    name = ref_name(schema)
    if name is not None:
        target = api.schemas.get(name, {})
        if said != {"$ref"} or not isinstance(target, Mapping) or depth > 20:
            return False
        if _is_model(target):
            return not referenced_nullable(schema, api)  # its class serves no null
        return _carried(target, api, depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list) and len([k for k in kind if k != "null"]) != 1:
        return False
    kind = base_type(schema)
    if kind == "array":
        items = schema.get("items", {})
        return said <= {"type", "items", "nullable"} and (
            isinstance(items, Mapping) and _carried(items, api, depth + 1)
        )
    if kind == "object":
        values = schema.get("additionalProperties", True)
        if said - {"type", "additionalProperties", "nullable"}:
            return False
        return values is True or isinstance(values, Mapping) and _carried(values, api, depth + 1)
    if kind in _SCALARS:
        served = {"type", "nullable"}
        if "format" in schema and serves_format(schema):
            served.add("format")
        values = enum_values(schema)
        literal = annotation(schema, api, Imports()).startswith("Literal[")
        admitted = None not in (values or ()) or is_nullable(schema)
        if values and values == schema["enum"] and literal and admitted:
            served.add("enum")
        return said <= served
    return not said


def parsed_from_text(schema: Mapping[str, Any]) -> bool:
    """Whether :func:`annotation` gives ``schema`` a type that a string is not
    (``datetime``, ``UUID``, ``AnyUrl``...), which pydantic parses the text into."""
    name = schema.get("format")
    return (
        serves_format(schema)
        and formats.alias(schema) is None
        and name in _FORMATS
        and _FORMATS[name][1] != "EmailStr"
    )


def serves_format(schema: Mapping[str, Any]) -> bool:
    """Whether the type :func:`annotation` gives ``schema`` serves its ``format`` as
    written and enforces it (``specs.formats``' types, ``UUID``, ``EmailStr``...): not
    beside an enum (a ``Literal``), nor for a format no type here says (``password``)."""
    name = schema.get("format")
    if name is None or formats.alias(schema) is not None:
        return True
    return base_type(schema) == "string" and name in _FORMATS and "enum" not in schema


def _is_model(schema: Mapping[str, Any]) -> bool:
    """Component schemas that datamodel-code-generator turns into a class of their own."""
    return (
        "enum" in schema
        or base_type(schema) == "object"
        or "properties" in schema
        or any(key in schema for key in ("allOf", "oneOf", "anyOf"))
    )


def typed(schema: Mapping[str, Any], api: ir.Api) -> Mapping[str, Any]:
    """The schema whose keywords the type :func:`annotation` gives ``schema`` must say:
    a plain alias's (what it stands for), else ``schema`` (a model's class says its
    own)."""
    name = ref_name(schema)
    if name is not None and not _is_model(api.schemas.get(name, {})):
        return api.schemas[name]
    return schema


def unique_items(schema: Mapping[str, Any], api: ir.Api) -> bool:
    """Whether the ``list[X]`` :func:`annotation` gives ``schema`` (inline, or a plain
    alias's) is of ``uniqueItems``: then marked ``specs.validation.UniqueItems()``, which
    serves and enforces it (a class of the schemas module carries its own mark)."""
    schema = typed(schema, api)
    return base_type(schema) == "array" and schema.get("uniqueItems") is True


def constraints(schema: Mapping[str, Any], api: ir.Api) -> dict[str, Any]:
    """The keyword constraints of a parameter's ``Query``/``Path``/... or a value's
    ``Field`` (pydantic's ``min_length``/``max_length`` bound a list's items too)."""
    schema = typed(schema, api)
    keys = {
        "minimum": "ge",
        "maximum": "le",
        "exclusiveMinimum": "gt",
        "exclusiveMaximum": "lt",
        "minLength": "min_length",
        "maxLength": "max_length",
        "pattern": "pattern",
        "multipleOf": "multiple_of",
        "minItems": "min_length",
        "maxItems": "max_length",
    }
    found = {keyword: schema[key] for key, keyword in keys.items() if key in schema}
    for key in ("gt", "lt"):  # OpenAPI 3.0 spells exclusive bounds as booleans
        if isinstance(found.get(key), bool):
            bound = found.pop(key)
            source = "ge" if key == "gt" else "le"
            if bound and source in found:
                found[key] = found.pop(source)
    return found
