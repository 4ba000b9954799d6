"""Violations that still have one obvious reading: repaired in the data, reported as warnings.

Real contracts are often slightly invalid. The validators (the official OpenAPI JSON Schema,
the JSON Schema meta-schema, the value checks of a ``default``) report each violation as a
``jsonschema`` error that says which keyword failed (``error.validator``) and where
(``error.absolute_path``). Each kind of violation below has one reading that every tool
would agree on; the data is changed to that reading and a warning names the place. Anything
else stays an error.

- ``uniqueItems`` on a ``required`` list: the same name twice requires it once (deduplicated).
- ``type: boolean`` given the string ``'true'``/``'false'``: that boolean.
- ``minItems`` on an empty ``required`` list (OpenAPI 3.0): no property is required (dropped).
- a boolean ``exclusiveMinimum``/``exclusiveMaximum`` (the OpenAPI 3.0 form) in a 3.1 schema:
  ``true`` takes the bound from ``minimum``/``maximum`` (the 3.1 numeric form), ``false`` says
  nothing (dropped).
- ``$recursiveAnchor``/``$recursiveRef`` (JSON Schema 2019-09) in a 3.1 schema: 2020-12 does
  not know them, so they have no effect (dropped).
- a ``$ref`` where a text belongs (``description``, ``summary``, ``title``; OpenAPI refers
  only to objects): the string it points to, else no text (dropped).
- an object, list, number or boolean where a text belongs (an example pasted as a
  ``description``): its JSON text.
- a number as ``info.version`` (``version: 1.0`` unquoted, which YAML reads as a number):
  its spelling as a text.
- a parameter with neither ``schema`` nor ``content``: any value (``schema: {}``).
- a list of types in an OpenAPI 3.0 schema (``type: [string, 'null']``, 3.1's form): one
  type and ``nullable: true`` where null is listed (two types besides null stay an error).
- ``type: file`` (Swagger 2's, left in a converted contract): ``type: string, format:
  binary``, the bytes of a file, as OpenAPI 3 writes it.
- ``required: true``/``false`` on a property (JSON Schema draft 3): the property is listed
  in its object's ``required`` (true) or nothing is (false).
- a path parameter without ``required: true`` (missing or false): required, as every
  request that reaches the route fills its placeholder.
- a field that ``info``, its ``contact`` or ``license``, a tag or an ``externalDocs`` does not
  define (``contact.mail``): these only document, so it has no effect (dropped).
- a field that belongs to another kind of security scheme (``in`` on an ``http`` scheme): the
  scheme's ``type`` says which fields apply (dropped).
- a ``default`` its schema rejects: ``'true'``/``'false'`` or a numeric string where a boolean
  or a number is wanted becomes that value; any other is dropped (a default no valid value can
  take is no default).
- an ``example`` its schema rejects: warned about and left as written (an annotation).

Under ``oneOf``/``anyOf`` (OpenAPI's "a Schema or a Reference"), the branch whose every
violation can be repaired is the one repaired; when none or several can, it stays an error.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from jsonschema.exceptions import ValidationError
from openapi_schema_validator import (
    OAS30Validator,
    OAS31Validator,
    oas30_format_checker,
    oas31_format_checker,
)
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4, DRAFT202012

from generators.loading.document import Document
from generators.loading.schema_walk import JsonPath, subschemas
from generators.problems import Problem, pointer

_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")


@dataclass(frozen=True)
class Repair:
    """One change to the data (``apply``), what it reads the violation as, and where."""

    at: JsonPath
    message: str
    apply: Callable[[], None]


def repair(
    document: Document, errors: Iterable[ValidationError], base: JsonPath = ()
) -> tuple[list[Problem], list[ValidationError]]:
    """Apply the repair of every error that has one: the warnings, and the errors left.

    ``base`` is where the validated instance sits in the document (errors of a schema
    validated on its own carry paths relative to it)."""
    warnings: list[Problem] = []
    left: list[ValidationError] = []
    done: set[JsonPath] = set()
    for error in errors:
        found = repairs_for(document, error, base)
        if found is None:
            left.append(error)
            continue
        for fix in found:
            if fix.at in done:
                continue
            done.add(fix.at)
            fix.apply()
            warnings.append(document.problem(pointer(*fix.at), fix.message, warning=True))
    return warnings, left


def repairs_for(document: Document, error: ValidationError, base: JsonPath) -> list[Repair] | None:
    """The repairs that make ``error`` go away, or ``None`` when it has no obvious reading."""
    if error.validator in ("oneOf", "anyOf") and error.context:
        branches: dict[int, list[ValidationError]] = {}
        for child in error.context:
            branches.setdefault(int(child.relative_schema_path[0]), []).append(child)
        readings = []
        for children in branches.values():
            fixes: list[Repair] = []
            for child in children:
                found = repairs_for(document, child, base)
                if found is None:
                    break
                fixes += found
            else:
                readings.append(fixes)
        return readings[0] if len(readings) == 1 else None
    return _leaf_repair(document, error, base + tuple(error.absolute_path))


def _leaf_repair(document: Document, error: ValidationError, at: JsonPath) -> list[Repair] | None:
    if not at:
        return None
    key, parent = at[-1], _node(document.data, at[:-1])
    if parent is None:
        return None
    instance: Any = error.instance
    kind = error.validator
    if kind == "uniqueItems" and key == "required" and isinstance(instance, list):
        twice = sorted({str(name) for name in instance if instance.count(name) > 1})
        unique = list(dict.fromkeys(instance))
        return [
            Repair(
                at,
                f"duplicate entries in required: {', '.join(map(repr, twice))} (read once)",
                lambda: parent.__setitem__(key, unique),
            )
        ]
    if kind == "minItems" and key == "required" and instance == []:
        message = "an empty required list requires nothing (dropped)"
        return [Repair(at, message, lambda: parent.pop(key))]
    if kind == "type" and _wants(error, "boolean") and _boolean(instance) is not None:
        value = _boolean(instance)
        message = f"{instance!r} where a boolean belongs: read as {json.dumps(value)}"
        return [Repair(at, message, lambda: parent.__setitem__(key, value))]
    if kind == "type" and _wants(error, "string") and key in _TEXTS and _is_ref(instance):
        return [_text_from_ref(document, at, parent, key, instance["$ref"])]
    if kind == "type" and _wants(error, "string") and key in _TEXTS:
        return [_text_from_value(at, parent, key, instance)]
    if kind == "type" and _wants(error, "string") and at == ("info", "version"):
        return _version_from_number(at, parent, instance)
    if kind == "type" and key in ("exclusiveMinimum", "exclusiveMaximum"):
        return _exclusive_bound(at, parent, key, instance)
    if kind == "type" and key in ("$recursiveAnchor", "$recursiveRef"):
        message = f"{key} is JSON Schema 2019-09, unknown to 2020-12 (OpenAPI 3.1): no effect"
        return [Repair(at, message + " (dropped)", lambda: parent.pop(key))]
    if kind == "additionalProperties" and _is_security_scheme(at):
        return _foreign_scheme_fields(at, error)
    if kind in ("type", "enum") and key == "type" and isinstance(instance, list):
        return _type_list_in_30(at, parent, instance)
    if kind == "enum" and key == "type" and instance == "file" and isinstance(parent, dict):
        message = "type: file is Swagger 2's: read as type: string, format: binary (a file's bytes)"
        return [Repair(at, message, lambda: _file_as_binary(parent))]
    if kind == "type" and key == "required" and isinstance(instance, bool):
        return _property_required(document, at, parent, instance)
    if kind == "required" and error.validator_value == ["required"] and _in_path(instance):
        message = "a path parameter without required: true: a path always carries it (read so)"
        return [Repair(at, message, lambda: instance.__setitem__("required", True))]
    if kind in ("enum", "const") and key == "required" and instance is False and _in_path(parent):
        message = "a path parameter with required: false: a path always carries it (read as true)"
        return [Repair(at, message, lambda: parent.__setitem__("required", True))]
    if kind == "required" and error.validator_value == ["schema"] and _is_bare_parameter(instance):
        message = "a parameter with neither schema nor content admits any value: read as schema: {}"
        return [Repair(at, message, lambda: instance.__setitem__("schema", {}))]
    if kind in ("additionalProperties", "unevaluatedProperties") and _is_documentation(at):
        return _unknown_documentation_fields(at, error)
    return None


_TEXTS = ("description", "summary", "title")


def _is_ref(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"$ref"} and isinstance(value["$ref"], str)


def _text_from_ref(document: Document, at: JsonPath, parent: Any, key: str, ref: str) -> Repair:
    """A ``$ref`` where a text belongs (OpenAPI refers only to objects): the text it points
    to, or, pointing at anything else, no text (documentation validates nothing)."""
    try:
        text = document.resolve(ref[1:]) if ref.startswith("#") else None
    except KeyError:
        text = None
    if isinstance(text, str):
        message = f"$ref {ref!r} where a text belongs: read as the text it points to"
        return Repair(at, message, lambda: parent.__setitem__(key, text))
    message = f"$ref {ref!r} where a text belongs does not point to a text (dropped)"
    return Repair(at, message, lambda: parent.pop(key))


def _text_from_value(at: JsonPath, parent: Any, key: str, value: Any) -> Repair:
    """An object, list, number or boolean where a text belongs (an example pasted as a
    response's description, say): documentation validates nothing, so its JSON is the text."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    kind = {dict: "an object", list: "a list", bool: "a boolean"}.get(type(value), "a number")
    message = f"{key} is {kind}, not a text: read as its JSON text"
    return Repair(at, message, lambda: parent.__setitem__(key, text))


def _version_from_number(at: JsonPath, parent: Any, value: Any) -> list[Repair] | None:
    """``version: 1.0`` unquoted (YAML reads a number): the API's version is a text, and
    the number's own spelling is the one reading (``0.1`` → ``'0.1'``)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    text = str(value)
    message = f"info.version is the number {text}, not a text: read as {text!r}"
    return [Repair(at, message, lambda: parent.__setitem__("version", text))]


_TYPES = ("array", "boolean", "integer", "number", "object", "string")


def _type_list_in_30(at: JsonPath, parent: Any, types: list[Any]) -> list[Repair] | None:
    """``type: [string, 'null']`` in an OpenAPI 3.0 schema (3.1's form, or JSON Schema's):
    3.0 writes one type and ``nullable: true``, which is what it says. Two types besides
    null have no one 3.0 form (an ``anyOf`` or a looser schema), and stay an error."""
    named = [kind for kind in dict.fromkeys(types) if kind != "null"]
    if len(named) != 1 or named[0] not in _TYPES or not isinstance(parent, dict):
        return None
    nullable = "null" in types

    def apply() -> None:
        parent["type"] = named[0]
        if nullable:
            parent["nullable"] = True

    said = f"type: {named[0]}" + (", nullable: true" if nullable else "")
    message = f"type: {json.dumps(types)} is OpenAPI 3.1's form: read as 3.0's {said}"
    return [Repair(at, message, apply)]


def _file_as_binary(schema: dict[str, Any]) -> None:
    schema["type"] = "string"
    schema.setdefault("format", "binary")


def _property_required(
    document: Document, at: JsonPath, parent: Any, value: bool
) -> list[Repair] | None:
    """``required: true`` on a property (JSON Schema draft 3's form, written by hand out of
    Swagger 2 or Mongoose habit): the property is required in its object, which is what
    draft 3 meant; ``false`` is draft 3's default (dropped)."""
    if len(at) < 3 or at[-3] != "properties" or not isinstance(parent, dict):
        return None
    owner, name = _node(document.data, at[:-3]), at[-2]
    listed = owner.get("required", []) if isinstance(owner, dict) else None
    if not isinstance(listed, list):
        return None

    def apply() -> None:
        parent.pop("required")
        if value and name not in listed:
            owner["required"] = [*listed, name]

    reading = f"{name!r} is listed in its object's required" if value else "no effect (dropped)"
    message = f"required: {json.dumps(value)} on a property is JSON Schema draft 3: {reading}"
    return [Repair(at, message, apply)]


def _in_path(value: Any) -> bool:
    """A parameter in the path: OpenAPI requires ``required: true`` of it, and a request
    that reaches its route always fills its placeholder, so the one reading is true."""
    return isinstance(value, dict) and value.get("in") == "path" and "name" in value


def _is_bare_parameter(value: Any) -> bool:
    """A parameter (``name``, ``in``) that says nothing of its values: no ``schema`` nor
    ``content`` (Hono's generated path parameters). JSON Schema's reading of no schema is
    ``{}``, every value; the parameter stays required or not as written."""
    return (
        isinstance(value, dict)
        and "name" in value
        and "in" in value
        and "schema" not in value
        and "content" not in value
        and "$ref" not in value
    )


def _is_documentation(at: JsonPath) -> bool:
    """The objects that only document (``info``, its ``contact`` and ``license``, a tag, an
    ``externalDocs``): a field they do not define changes no request nor response."""
    return (
        at in (("info",), ("info", "contact"), ("info", "license"))
        or (len(at) == 2 and at[0] == "tags" and isinstance(at[1], int))
        or (bool(at) and at[-1] == "externalDocs")
    )


def _unknown_documentation_fields(at: JsonPath, error: ValidationError) -> list[Repair] | None:
    found = error.instance
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    known = schema.get("properties", {})
    if not isinstance(found, dict) or not known:
        return None
    unknown = [key for key in found if key not in known and not str(key).startswith("x-")]
    return [
        Repair(
            (*at, key),
            f"{key!r} is not a field of this object (documentation only: ignored)",
            lambda key=key: found.pop(key),  # type: ignore[misc]
        )
        for key in unknown
    ] or None


def _node(data: Any, at: JsonPath) -> Any:
    node = data
    for part in at:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _wants(error: ValidationError, kind: str) -> bool:
    wanted = error.validator_value
    return wanted == kind or (isinstance(wanted, list) and kind in wanted)


def _boolean(value: Any) -> bool | None:
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def _exclusive_bound(at: JsonPath, parent: Any, key: str, value: Any) -> list[Repair] | None:
    if not isinstance(value, bool) or not isinstance(parent, dict):
        return None
    bound = "minimum" if key == "exclusiveMinimum" else "maximum"
    if value is False:
        message = f"{key}: false is the OpenAPI 3.0 form; in 3.1 it says nothing (dropped)"
        return [Repair(at, message, lambda: parent.pop(key))]
    if not isinstance(parent.get(bound), int | float) or isinstance(parent.get(bound), bool):
        return None
    limit = parent[bound]

    def apply() -> None:
        parent[key] = parent.pop(bound)

    message = f"{key}: true is the OpenAPI 3.0 form: read as {key}: {limit} (3.1)"
    return [Repair(at, message, apply)]


def _is_security_scheme(at: JsonPath) -> bool:
    return len(at) == 3 and at[0] == "components" and at[1] == "securitySchemes"


def _foreign_scheme_fields(at: JsonPath, error: ValidationError) -> list[Repair] | None:
    scheme = error.instance
    allowed = error.schema.get("properties", {}) if isinstance(error.schema, Mapping) else {}
    if not isinstance(scheme, dict) or not allowed:
        return None
    foreign = [key for key in scheme if key not in allowed and not str(key).startswith("x-")]
    kind = scheme.get("type")
    return [
        Repair(
            (*at, key),
            f"{key!r} does not apply to a security scheme of type {kind!r} (ignored)",
            lambda key=key: scheme.pop(key),  # type: ignore[misc]
        )
        for key in foreign
    ] or None


# --- defaults -------------------------------------------------------------------------------


def repair_defaults(
    document: Document, schemas: Iterable[tuple[JsonPath, Any]], legacy: bool
) -> list[Problem]:
    """Check every ``default`` against its schema; repair (or drop) those it rejects."""
    contents = Resource.from_contents(
        document.data, default_specification=DRAFT4 if legacy else DRAFT202012
    )
    registry: Registry[Any] = Registry().with_resource(_CONTRACT, contents)
    cls = OAS30Validator if legacy else OAS31Validator
    checker = oas30_format_checker if legacy else oas31_format_checker
    warnings = []
    for top, schema in schemas:
        for at, node in subschemas(schema, top):
            if legacy and "$ref" in node or not {"default", "example"} & set(node):
                continue
            # Through the document, so that its own "#/..." references resolve in it.
            schema = {"$ref": _CONTRACT + "#" + quote(pointer(*at), safe="/~")}
            validator = cls(schema, registry=registry, format_checker=checker)
            if "example" in node and (rejected := list(validator.iter_errors(node["example"]))):
                message = (
                    f"example {_short(node['example'])} is not valid for its schema "
                    f"({_first_reason(rejected)}): left as written (an example validates nothing)"
                )
                warnings.append(document.problem(pointer(*at, "example"), message, warning=True))
            if "default" not in node:
                continue
            value = node["default"]
            if value is None and node.get("nullable") is True:
                continue
            rejected = list(validator.iter_errors(value))
            if not rejected:
                continue
            coerced = _coerced(value, rejected)
            where = pointer(*at, "default")
            if coerced is not _NO_READING and not list(validator.iter_errors(coerced)):
                node["default"] = coerced
                message = f"default {value!r} is a string: read as {json.dumps(coerced)}"
            else:
                del node["default"]
                reason = _first_reason(rejected)
                message = f"default {_short(value)} is not valid for its schema ({reason}): dropped"
            warnings.append(document.problem(where, message, warning=True))
    return warnings


_NO_READING = object()
_CONTRACT = "urn:specfoundry:contract"


def _coerced(value: Any, rejected: Sequence[ValidationError]) -> Any:
    """A string default that says a boolean or a number its schema wants, as that value."""
    if not isinstance(value, str) or any(e.validator != "type" for e in rejected):
        return _NO_READING
    if any(_wants(error, "boolean") for error in rejected) and _boolean(value) is not None:
        return _boolean(value)
    if _NUMBER.fullmatch(value.strip()):
        number = float(value)
        if any(_wants(error, "integer") for error in rejected) and number.is_integer():
            return int(number)
        if any(_wants(error, "number") for error in rejected):
            return number
    return _NO_READING


def _first_reason(rejected: Sequence[ValidationError]) -> str:
    message = rejected[0].message
    return message if len(message) < 120 else f"{rejected[0].validator} fails"


def _short(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 60 else text[:57] + "..."
