"""``format`` is contract: ``specs/formats.py``, the types that serve and enforce it.

A ``format`` whose Pydantic type (the one datamodel-code-generator picks) serves that very
format and validates what it means stays with that type: ``date``, ``date-time``, ``time``,
``duration``, ``email``, ``uri``, ``uuid`` (and ``uuid1``..``uuid5``), ``ipv4``, ``ipv6``,
``password``, ``path`` on a string. Not ``binary``: FastAPI serves Pydantic's ``bytes`` as
3.1's ``contentMediaType: application/octet-stream``, without the format; and a binary
string in JSON (a property, a JSON body) is the text sent, a ``str`` served with its format
(a file in a form or a non-JSON body is an ``UploadFile`` or the raw body, not typed here).
Every other format of an integer, number or string goes through a type of
``specs/formats.py``: its base type (``int``, ``float``, ``str``) annotated with
``Format``, which serves ``format`` as the contract writes it and enforces what it implies:

- ``int32``, ``int64``: the signed range of that many bits (2^40 is no int32);
- ``float``: a finite value within IEEE 754 single precision's range; ``double``: finite;
- ``hostname``: a host name as RFC 1123 writes one (labels of letters, digits and
  inner hyphens, at most 63 characters each, 253 in all);
- ``byte``: base64 text (RFC 4648, the standard alphabet, padded). The value stays the
  text the contract speaks of (a ``str``, checked, never decoded and re-encoded: Pydantic's
  ``Base64Str`` would hand the service the decoded text and serve ``base64``), served
  as ``byte``;
- any other format (``vcal``, ``time-delta``, ``int8``...) is an annotation, as JSON Schema
  says of formats it does not define: served as written, not enforced.

A ``boolean``, and an ``object`` that says nothing of its members (a plain map, Twilio's
``format: uri-map``), take such a type too (``Annotated[bool, Format(...)]``,
``Annotated[dict[str, Any], Format(...)]``): any format of theirs is an annotation.

Routers (:func:`generators.emit.pytypes.annotation`) and the schemas module
(datamodel-code-generator's ``customTypePath``) name the same types.

A format on a schema that becomes a class of its own (an enum, a model: Twilio's
``http-method`` enums, its ``phone-number-capabilities`` objects) is served by the class:
:data:`SERVES` decorates it (see :mod:`generators.emit.schemas`), so every use of the
class, a property, an array's items, a ``$ref``, serves it. It validates nothing there:
no type here enforces a format beside an enum's values or an object's properties.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from generators import ir
from generators.emit import narrowed_enums
from generators.emit.render import header
from generators.naming import pascal

SOURCE = "specs/openapi.yaml"
MODULE = "specs.formats"
_BASES = {
    "integer": "int",
    "number": "float",
    "string": "str",
    "boolean": "bool",
    "object": "dict[str, Any]",
}
_OF_MEMBERS = frozenset(
    {
        *("properties", "additionalProperties", "patternProperties", "propertyNames"),
        *("unevaluatedProperties", "required", "minProperties", "maxProperties"),
        *("dependentRequired", "dependentSchemas", "discriminator", "allOf", "anyOf"),
        *("oneOf", "not", "if", "then", "else", "enum", "const", "$ref"),
    }
)
"""Keywords of an object that say something of its members: with any of them it is no
plain map (``dict[str, Any]``), but ``additionalProperties: true`` (or ``{}``)."""
SERVES = "serves"
"""The decorator of ``specs/formats.py`` that serves a class's format."""
SERVED_BY_PYDANTIC = frozenset(
    {
        *("date", "date-time", "time", "duration", "email", "uri", "password"),
        *("uuid", "uuid1", "uuid3", "uuid4", "uuid5", "ipv4", "ipv6", "path"),
    }
)
"""String formats whose Pydantic type serves the format as written and validates it."""
_ENFORCED = {
    ("integer", "int32"): "**_INT32",
    ("integer", "int64"): "**_INT64",
    ("number", "float"): "**_FLOAT32, allow_inf_nan=False",
    ("number", "double"): "allow_inf_nan=False",
    ("string", "byte"): "pattern=_BASE64",
}


def scalar_type(schema: Mapping[str, Any]) -> str | None:
    """``integer``, ``number``, ``string``, ``boolean``, or ``object`` for a plain map: the
    one non-null type of ``schema`` that a ``specs.formats`` type can stand for, if any."""
    kind = schema.get("type")
    kinds = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else []
    kinds = [k for k in kinds if k != "null"]
    if len(kinds) != 1 or kinds[0] not in _BASES:
        return None
    if kinds[0] == "object" and any(
        key in _OF_MEMBERS and not (key == "additionalProperties" and value in (True, {}))
        for key, value in schema.items()
    ):
        return None
    return kinds[0]


def alias(schema: Mapping[str, Any], *, component: bool = False) -> str | None:
    """The ``specs.formats`` type of a scalar (or plain map) schema's format; None where
    the base type alone (no format) or a Pydantic type serving the format says it all. An
    enum keeps its own class: its values say more than any format (also an enum written
    as a ``oneOf`` of ``const`` members, Discord's form). So does a component
    object: datamodel-code-generator makes a class of it whatever its ``customTypePath``
    (``component``: the schema is one of ``components/schemas``)."""
    kind, name = scalar_type(schema), schema.get("format")
    if kind is None or not isinstance(name, str) or not name:
        return None
    if "enum" in schema or narrowed_enums.listed_values(schema) is not None:
        return None
    if kind == "string" and name in _URLS and "pattern" in schema:
        return f"{pascal(name)}Text"
    if kind == "string" and name in _URLS and _url_lengths(schema):
        return f"{pascal(name)}{pascal(kind)}"
    if (kind == "string" and name in SERVED_BY_PYDANTIC) or (kind == "object" and component):
        return None
    return f"{pascal(name)}{pascal(kind)}"


_URLS = {"uri": "AnyUrl"}
TEXT_TYPES = {f"{pascal(name)}Text": name for name in _URLS}
"""The types of URLs kept as text (see :data:`_URLS`), with their format: a ``pattern``
is enforced beside their check but not served by pydantic, nor is the format in a
response's schema, so the field serves both."""
"""URL formats whose Pydantic type datamodel-code-generator writes without the schema's
``maxLength``/``minLength`` (svix's ``url``: ``maxLength: 65536``). Named through a type
of ``specs.formats`` (``UriString``, the Pydantic type itself), the field takes them.
With a ``pattern`` (DigitalOcean's ``custom_error_page_url``: ``^https://``), which no
URL type takes, the value stays the text sent, checked as a URL (``UriText``): the
pattern applies to that text, as JSON Schema applies it."""


def _url_lengths(schema: Mapping[str, Any]) -> list[tuple[str, int]]:
    """The length bounds of a URL schema that its Pydantic type does not already say (a
    URL is never empty: ``minLength: 1`` adds nothing)."""
    bounds = [(key, schema[key]) for key in ("minLength", "maxLength") if key in schema]
    return [
        (key, value)
        for key, value in bounds
        if isinstance(value, int)
        and not isinstance(value, bool)
        and not (key == "minLength" and value <= 1)
    ]


CLASS_ANNOTATIONS = ("deprecated", "readOnly", "writeOnly")


def served_by_class(schema: Mapping[str, Any]) -> dict[str, Any]:
    """The keywords a class made of ``schema`` serves (:data:`SERVES`) that its types do
    not: a format no type of ``specs.formats`` (nor of Pydantic) stands for, the schema's
    own; an enum's ``default`` (lichess's ``UciVariant``: pydantic serves an enum class's
    values, not the default its schema gives); ``deprecated``, ``readOnly``, ``writeOnly``
    (pagerduty's deprecated ``AlertGroupingParameters``, its read-only
    ``WebhooksV1Message``: pydantic serves them on a field, never on a model, an enum or a
    root); an enum's ``type`` list (``[integer, "null"]`` beside ``[1, 2, null]``: pydantic
    serves the values alone, no type, when they are not all of one type)."""
    served: dict[str, Any] = {}
    if "enum" in schema and "default" in schema:
        served["default"] = schema["default"]
    if "enum" in schema and isinstance(schema.get("type"), list):
        served["type"] = schema["type"]
    for keyword in CLASS_ANNOTATIONS:
        if schema.get(keyword) is True:
            served[keyword] = True
    name = schema.get("format")
    if not isinstance(name, str) or not name or "customTypePath" in schema:
        return served
    if scalar_type(schema) == "string" and name in SERVED_BY_PYDANTIC and "enum" not in schema:
        return served  # a RootModel of AnyUrl, date...: the root's type serves it
    return {"format": name, **served}


def used(document: Any) -> dict[str, str]:
    """``{alias: its definition}`` of every schema of ``document`` that needs one."""
    components = (document.get("components") or {}).get("schemas") or {}
    tops = {id(schema) for schema in components.values()}  # datamodel-code-generator's classes
    found: dict[str, str] = {}
    for node in _nodes(document):
        name = alias(node, component=id(node) in tops)
        if name is not None and name not in found:
            found[name] = _definition(node)
    return dict(sorted(found.items()))


def _definition(schema: Mapping[str, Any]) -> str:
    """``Annotated[base, marker]``: the type of a schema's format."""
    kind, name = str(scalar_type(schema)), str(schema["format"])
    if name in _URLS and "pattern" in schema:
        return f"Annotated[str, AfterValidator(_url_text), Format({name!r})]"
    if name in _URLS and _url_lengths(schema):
        return _URLS[name]  # the field (or the parameter) bounds its length
    if (kind, name) == ("string", "hostname"):
        return f"Annotated[str, AfterValidator(_hostname), Format({name!r})]"
    enforced = _ENFORCED.get((kind, name))
    marker = f"Format({name!r}, {enforced})" if enforced else f"Format({name!r})"
    return f"Annotated[{_BASES[kind]}, {marker}]"


def _nodes(node: Any) -> Iterator[Mapping[str, Any]]:
    if isinstance(node, Mapping):
        yield node
        for key, value in node.items():
            if key not in ("example", "examples", "default", "enum", "const"):
                yield from _nodes(value)
    elif isinstance(node, list):
        for item in node:
            yield from _nodes(item)


def emit_formats(api: ir.Api, *, classes: bool = False) -> dict[str, str]:
    """``specs/formats.py`` when the contract has a format that needs it: a type for a
    scalar's, :data:`SERVES` for a class's (``classes``: the schemas module uses it)."""
    aliases = used(api.document)
    if not aliases and not classes:
        return {}
    lines = [f"{name}: TypeAlias = {definition}" for name, definition in aliases.items()]
    typing = {"Any", *(("TypeAlias",) if lines else ()), *(("TypeVar",) if classes else ())}
    if any("Annotated[" in line for line in lines):
        typing.add("Annotated")
    imports = "\nimport math\n" + ("from collections.abc import Callable\n" if classes else "")
    imports += f"from typing import {', '.join(sorted(typing))}\n"
    module = _MODULE
    urls = sorted({url for url in _URLS.values() for line in lines if line.endswith(f"= {url}")})
    if any("_url_text" in line for line in lines):
        urls = sorted({*urls, "AfterValidator", "AnyUrl", "TypeAdapter"})
        module += _URL_TEXT
    if any("_hostname" in line for line in lines):
        urls = sorted({*urls, "AfterValidator"})
        imports = "\nimport math\nimport re\n" + imports.removeprefix("\nimport math\n")
        module += _HOSTNAME
    if urls:
        names = ", ".join(sorted({*urls, *_PYDANTIC_NAMES}))
        module = module.replace(
            f"from pydantic import {', '.join(_PYDANTIC_NAMES)}", f"from pydantic import {names}", 1
        )
    code = header(SOURCE) + _COMMENT + imports + module + (_CLASSES if classes else "")
    return {"specs/formats.py": code + ("\n\n" + "\n".join(lines) if lines else "") + "\n"}


_COMMENT = """
# The contract's formats: served as written, enforced where they mean a range, an
# encoding or a syntax (int32, int64, float, double, byte, hostname); any other is an
# annotation, as JSON Schema says of the formats it does not define.
"""
_MODULE = '''
from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

_SERVED_AS = {"gt": "exclusiveMinimum", "lt": "exclusiveMaximum", "pattern": "pattern"}


class Format:
    """``format: name`` in the served schema, and what it implies enforced.

    ``held`` are keywords of the value's own core schema (``gt``/``lt``: the range of a
    storage format; ``pattern``: base64 text; ``allow_inf_nan``), so the contract's own
    ``minimum``, ``maxLength``... apply beside them and are served as they are, while
    these are not served (the format says them). A contract keyword of the same name
    (an ``exclusiveMinimum``, a ``pattern``) replaces the format's and is served.
    """

    def __init__(self, name: str, **held: Any) -> None:
        self.name = name
        self.held = held

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        schema: Any = {**handler(source), **self.held}
        return schema  # type: ignore[no-any-return]

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        value = handler(schema)
        for key, held in self.held.items():
            served = _SERVED_AS.get(key)
            if served is not None and value.get(served) == held:
                del value[served]
        value["format"] = self.name
        return value


def _bits(bits: int) -> dict[str, int]:
    return {"gt": -(2 ** (bits - 1)) - 1, "lt": 2 ** (bits - 1)}


_INT32 = _bits(32)
_INT64 = _bits(64)
_FLOAT32_MAX = 3.4028234663852886e38
_FLOAT32 = {
    "gt": math.nextafter(-_FLOAT32_MAX, -math.inf),
    "lt": math.nextafter(_FLOAT32_MAX, math.inf),
}
_BASE64 = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"  # RFC 4648
'''

_PYDANTIC_NAMES = ("GetCoreSchemaHandler", "GetJsonSchemaHandler")
"""What ``_MODULE`` imports from pydantic (a URL type joins them, sorted)."""

_URL_TEXT = '''
_URL = TypeAdapter(AnyUrl)


def _url_text(value: str) -> str:
    """A URL kept as the text sent (a ``pattern`` applies to it): refused if no URL."""
    _URL.validate_python(value)
    return value
'''

_HOSTNAME = '''
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


def _hostname(value: str) -> str:
    """A host name as RFC 1123 writes one (JSON Schema's ``hostname``): labels of letters,
    digits and inner hyphens, 63 characters at most each, 253 in all, joined by dots."""
    labels = value.split(".")
    if len(value) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise ValueError(f"{value!r} is no host name (RFC 1123)")
    return value
'''

_CLASSES = '''
_Class = TypeVar("_Class", bound=type)


def serves(**keywords: Any) -> Callable[[_Class], _Class]:
    """A class (an enum, a model) served with these keywords, as its schema writes them:
    a ``format`` (an annotation beside the enum's values or the model's properties), an
    enum's ``default``, ``deprecated``, ``readOnly``, ``writeOnly``. They are served
    wherever the class is (a property, an array's items, a reference), and validate
    nothing the class does not. What the class served before (a base's own schema hook:
    ``ExclusiveModel``'s) still applies.
    """

    def serve(cls: _Class) -> _Class:
        inherited: Any = getattr(cls, "__get_pydantic_json_schema__", None)

        def json_schema(
            owner: type, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
        ) -> JsonSchemaValue:
            if inherited is None:
                value = handler(schema)
            else:  # the classmethod's function, for the class (or subclass) served
                value = inherited.__func__(owner, schema, handler)
            handler.resolve_ref_schema(value).update(keywords)
            return value

        cls.__get_pydantic_json_schema__ = classmethod(json_schema)  # type: ignore[attr-defined]
        rebuild = getattr(cls, "model_rebuild", None)
        if rebuild is not None:  # a model's schema, built with its class, holds the old hook
            rebuild(force=True, raise_errors=False)
        return cls

    return serve
'''
