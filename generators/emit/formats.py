"""``format`` is contract: ``specs/formats.py``, the types that serve and enforce it.

A ``format`` whose Pydantic type (the one datamodel-code-generator picks) serves that very
format and validates what it means stays with that type: ``date``, ``date-time``, ``time``,
``duration``, ``email``, ``uri``, ``uuid`` (and ``uuid1``..``uuid5``), ``ipv4``, ``ipv6``,
``binary``, ``password``, ``path`` on a string. Every other format of an integer, number or
string goes through a type of ``specs/formats.py``: its base type (``int``, ``float``,
``str``) annotated with ``Format``, which serves ``format`` as the contract writes it and
enforces what it implies:

- ``int32``, ``int64``: the signed range of that many bits (2^40 is no int32);
- ``float``: a finite value within IEEE 754 single precision's range; ``double``: finite;
- ``byte``: base64 text (RFC 4648, the standard alphabet, padded). The value stays the
  text the contract speaks of (a ``str``, checked, never decoded and re-encoded: Pydantic's
  ``Base64Str`` would hand the service the decoded text and serve ``base64``), served
  as ``byte``;
- any other format (``vcal``, ``time-delta``, ``int8``...) is an annotation, as JSON Schema
  says of formats it does not define: served as written, not enforced.

Routers (:func:`generators.emit.pytypes.annotation`) and the schemas module
(datamodel-code-generator's ``customTypePath``) name the same types.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from generators import ir
from generators.emit.render import header
from generators.naming import pascal

SOURCE = "specs/openapi.yaml"
MODULE = "specs.formats"
_BASES = {"integer": "int", "number": "float", "string": "str"}
SERVED_BY_PYDANTIC = frozenset(
    {
        *("date", "date-time", "time", "duration", "email", "uri", "binary", "password"),
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
    """``integer``, ``number`` or ``string``: the one non-null type of ``schema``, if any."""
    kind = schema.get("type")
    kinds = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else []
    kinds = [k for k in kinds if k != "null"]
    return kinds[0] if len(kinds) == 1 and kinds[0] in _BASES else None


def alias(schema: Mapping[str, Any]) -> str | None:
    """The ``specs.formats`` type of a scalar schema's format; None where the base type
    alone (no format) or a Pydantic type serving the format says it all. An enum keeps its
    own class: its values say more than any format."""
    kind, name = scalar_type(schema), schema.get("format")
    if kind is None or not isinstance(name, str) or not name or "enum" in schema:
        return None
    if kind == "string" and name in SERVED_BY_PYDANTIC:
        return None
    return f"{pascal(name)}{pascal(kind)}"


def used(document: Any) -> dict[str, tuple[str, str]]:
    """``{alias: (type, format)}`` of every schema of ``document`` that needs one."""
    found: dict[str, tuple[str, str]] = {}
    for node in _nodes(document):
        name = alias(node)
        if name is not None:
            found.setdefault(name, (str(scalar_type(node)), str(node["format"])))
    return dict(sorted(found.items()))


def _nodes(node: Any) -> Iterator[Mapping[str, Any]]:
    if isinstance(node, Mapping):
        yield node
        for key, value in node.items():
            if key not in ("example", "examples", "default", "enum", "const"):
                yield from _nodes(value)
    elif isinstance(node, list):
        for item in node:
            yield from _nodes(item)


def emit_formats(api: ir.Api) -> dict[str, str]:
    """``specs/formats.py`` when the contract has a format that needs it."""
    aliases = used(api.document)
    if not aliases:
        return {}
    lines = []
    for name, (kind, fmt) in aliases.items():
        enforced = _ENFORCED.get((kind, fmt))
        marker = f"Format({fmt!r}, {enforced})" if enforced else f"Format({fmt!r})"
        lines.append(f"{name}: TypeAlias = Annotated[{_BASES[kind]}, {marker}]")
    return {"specs/formats.py": header(SOURCE) + _MODULE + "\n\n" + "\n".join(lines) + "\n"}


_MODULE = '''
# The contract's formats: served as written, enforced where they mean a range or an
# encoding (int32, int64, float, double, byte); any other is an annotation, as JSON
# Schema says of the formats it does not define.

import math
from typing import Annotated, Any, TypeAlias

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
