"""Parameters FastAPI cannot read itself, read as the contract serializes them.

FastAPI reads a query parameter, a header or a cookie as one string (a repeated query
parameter as a list), refuses objects and arrays of objects, and knows nothing of
OpenAPI's ``style`` and ``explode``. The generated routers declare every other parameter
as ``Annotated[T, Depends(ContractParameter({...}, "3.1"))]``, where ``{...}`` is the
contract's Parameter Object. The dependency

1. reads the raw text from the request as the parameter's location, ``style`` and
   ``explode`` say (``form``, ``spaceDelimited``, ``pipeDelimited`` and ``deepObject``
   in the query; ``simple``, ``label`` and ``matrix`` in the path; ``simple`` in a header;
   ``form`` in a cookie), for single values, arrays and objects alike, or a ``content``
   parameter's text (JSON where its media type is JSON), or, for OpenAPI 3.2's ``in:
   querystring``, the whole query string as its media type says (form fields: an object
   of them, see :meth:`ContractParameter.query_string`);
2. turns the strings into the JSON values the schema describes (``"5"`` → ``5`` where an
   integer is wanted, ``"true"`` → ``true``, the ``a[0]``/``a[]`` keys of a
   ``deepObject`` → an array);
3. validates that value against the contract's schema with ``jsonschema`` (the contract's
   dialect: draft 4 for OpenAPI 3.0, 2020-12 for 3.1; ``int32``/``int64`` ranges and
   the other formats jsonschema knows are enforced), then makes it a ``T`` (a generated
   model, a ``date``, ...) with a pydantic ``TypeAdapter``.

A form's fields are read the same way (``src/core/bodies.py``'s ``Encoded``): OpenAPI
encodes a form as a query, so a field of a ``deepObject`` or any other style is read from
the form's pairs (:meth:`ContractParameter.read_pairs`), its errors located in the body.

Bad input raises ``RequestValidationError`` located at ``(location, name, ...)``: it is
answered as FastAPI's own validation errors are (``src/core/errors.py``). An absent
optional parameter is its schema's ``default``, else None. ``ContractRoute``
(``src/core/bodies.py``) serves each declaration as the operation's parameter, exactly as
the contract writes it (:func:`declared_parameters`).

Leniencies, where the contract's serialization leaves room: a non-exploded ``label``
array may separate its values with ``,`` (RFC 6570) or ``.`` (OpenAPI's table); a
``deepObject`` array may be sent as ``a[]=x``, ``a[0]=x`` or ``a=x``; a repeated single
value keeps its last occurrence, as FastAPI does.
"""

import functools
import json
import math
import re
import typing
import urllib.parse
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.params import Depends
from jsonschema import Draft4Validator, Draft202012Validator, FormatChecker
from jsonschema.protocols import Validator
from pydantic import TypeAdapter, ValidationError

DEFAULT_STYLE = {
    "query": "form",
    "cookie": "form",
    "path": "simple",
    "header": "simple",
}
_DELIMITER = {"spaceDelimited": " ", "pipeDelimited": "|"}
_BRACKETS = re.compile(r"\[([^\[\]]*)\]")
_INTEGER = re.compile(r"[-+]?\d+")
_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
_TRUE = frozenset({"true", "1", "yes", "on", "t", "y"})
_FALSE = frozenset({"false", "0", "no", "off", "f", "n"})
FORM = "application/x-www-form-urlencoded"

FORMATS = FormatChecker()


@FORMATS.checks("int32")
def _int32(value: object) -> bool:
    return not isinstance(value, int) or -(2**31) <= value < 2**31


@FORMATS.checks("int64")
def _int64(value: object) -> bool:
    return not isinstance(value, int) or -(2**63) <= value < 2**63


@FORMATS.checks("float")
@FORMATS.checks("double")
def _finite(value: object) -> bool:
    return not isinstance(value, float) or math.isfinite(value)


class Missing:
    """The parameter is not in the request."""


MISSING = Missing()
Raw = str | list[str] | dict[str, Any] | Missing


class ContractParameter:
    """A FastAPI dependency reading one parameter as ``declaration`` describes it."""

    def __init__(
        self,
        declaration: dict[str, Any],
        dialect: str = "3.1",
        *,
        claimed: tuple[str, ...] = (),
        located: str | None = None,
    ) -> None:
        """``dialect``: the contract's OpenAPI version; ``claimed``: the operation's other
        query parameters (not properties of an exploded free-form object); ``located``:
        where its errors say it is, when not in its location (``body`` for a form field,
        read from the form's fields as a query parameter is from the query's)."""
        self.declaration = declaration
        self.name = str(declaration["name"])
        self.location = str(declaration["in"])
        self.where: tuple[str, ...] = (located or self.location, self.name)
        self.required = bool(declaration.get("required")) or self.location == "path"
        self.style = str(
            declaration.get("style") or DEFAULT_STYLE.get(self.location, "form")
        )
        self.explode = bool(declaration.get("explode", self.style == "form"))
        content: Mapping[str, Any] = declaration.get("content") or {}
        self.media_type = next(iter(content), None)
        self.encoding: Mapping[str, Any] = {}
        if self.media_type is not None:
            media: Mapping[str, Any] = content[self.media_type] or {}
            schema = media.get("schema", {})
            self.encoding = media.get("encoding") or {}
        else:
            schema = declaration.get("schema", {})
        self.schema: dict[str, Any] = schema if isinstance(schema, dict) else {}
        self.dialect = dialect
        self.claimed = frozenset(claimed)
        self.kind: Any = Any

    def bind(self, kind: Any) -> None:
        """Hand the service a ``kind`` (the handler's annotation)."""
        self.kind = kind
        self.__dict__.pop("adapter", None)

    @functools.cached_property
    def validator(self) -> Validator:
        """The schema's validator in the contract's dialect (built at the first request)."""
        draft = (
            Draft4Validator if self.dialect.startswith("3.0") else Draft202012Validator
        )
        return draft(self.schema, format_checker=FORMATS)

    @functools.cached_property
    def adapter(self) -> TypeAdapter[Any]:
        """Built at the first request: a contract of thousands of parameters (Stripe)
        imports without building thousands of validators."""
        return TypeAdapter(self.kind)

    def __call__(self, request: Request) -> Any:
        raw = self.read(request)
        if isinstance(raw, Missing):
            if self.required:
                missing = {
                    "type": "missing",
                    "loc": self.where,
                    "msg": "Field required",
                }
                raise RequestValidationError([{**missing, "input": None}])
            if "default" not in self.schema:
                return None
            value = self.schema["default"]
        else:
            value = self.value(raw)
        self.check(value)
        try:
            return self.adapter.validate_python(value)
        except ValidationError as error:
            raise RequestValidationError(
                [{**e, "loc": (*self.where, *e["loc"])} for e in error.errors()]
            ) from error

    def check(self, value: Any) -> None:
        """Refuse ``value`` where the contract's schema does."""
        errors = [
            {
                "type": str(error.validator),
                "loc": (*self.where, *error.absolute_path),
                "msg": error.message,
                "input": error.instance,
            }
            for error in self.validator.iter_errors(value)
        ]
        if errors:
            raise RequestValidationError(errors)

    # --- reading the request ----------------------------------------------------------

    def read(self, request: Request) -> Raw:
        """The parameter's raw text (exploded forms: its pieces), or ``MISSING``."""
        if self.location == "path":
            text = request.path_params.get(self.name)
            return MISSING if text is None else str(text)
        if self.location == "header":
            values = request.headers.getlist(self.name)
            return ",".join(values) if values else MISSING
        if self.location == "querystring":  # the whole query string, as it was sent
            return request.url.query or MISSING
        pairs = (
            request.query_params.multi_items()
            if self.location == "query"
            else _cookies(request.headers.get("cookie", ""))
        )
        return self.read_pairs(pairs)

    def read_pairs(self, pairs: Sequence[tuple[str, str]]) -> Raw:
        """The parameter's raw text among ``name=value`` pairs: a query's, a cookie's, or
        a form's fields (which OpenAPI encodes as a query's)."""
        if self.media_type is not None:
            return _last(pairs, self.name)
        if self.style == "deepObject":
            found = _deep_object(pairs, self.name)
            return found if found else _all(pairs, self.name)
        kinds = _kinds(self.schema)
        if self.explode and "object" in kinds and _all(pairs, self.name) is MISSING:
            properties = self.schema.get("properties") or {}
            free = (
                not properties and self.schema.get("additionalProperties") is not False
            )
            found = {
                key: value
                for key, value in pairs
                if key in properties
                or (free and key != self.name and key not in self.claimed)
            }
            return found if found else MISSING
        if self.explode and "array" in kinds:
            return _all(pairs, self.name)
        return _last(pairs, self.name)

    def reads(self, key: str) -> bool:
        """Whether a pair of this key is the parameter or, of a ``deepObject``, a piece
        of it (``name[a][b]``)."""
        return key == self.name or (
            self.style == "deepObject" and _segments(key, self.name) is not None
        )

    # --- shaping and typing -------------------------------------------------------------

    def value(self, raw: str | list[str] | dict[str, Any]) -> Any:
        """The JSON value of the raw text, by the schema."""
        if self.media_type is not None:
            assert isinstance(raw, str)
            if self.location == "querystring":
                return self.query_string(raw)
            return self.text(raw)
        return coerce(self.shaped(raw), self.schema, self._valid)

    def text(self, raw: str) -> Any:
        """A ``content`` parameter's text: JSON where its media type is JSON."""
        if "json" not in str(self.media_type):
            return raw
        try:
            return json.loads(raw)
        except json.JSONDecodeError as error:
            raise RequestValidationError(
                [
                    {
                        "type": "json_invalid",
                        "loc": self.where,
                        "msg": str(error),
                        "input": raw,
                    }
                ]
            ) from error

    def query_string(self, raw: str) -> Any:
        """An ``in: querystring`` parameter (OpenAPI 3.2): the whole query string as its
        media type says. Form fields (``application/x-www-form-urlencoded``) make an
        object, each field read as a query parameter of its ``encoding`` (``form``,
        exploded, by default: a repeated key is an array where the field's schema is
        one) and made the JSON value its schema describes; a field the schema does not
        list is read by ``additionalProperties`` (which may refuse it). Any other media
        type reads the decoded text (JSON where it is JSON)."""
        if str(self.media_type).split(";")[0].strip().lower() != FORM:
            return self.text(urllib.parse.unquote(raw))
        pairs = urllib.parse.parse_qsl(raw, keep_blank_values=True)
        value: dict[str, Any] = {}
        read: set[str] = set()
        for name, schema in _properties(self.schema).items():
            field = self.field(name, schema)
            found = field.read_pairs(pairs)
            if not isinstance(found, Missing):
                value[name] = field.value(found)
            read |= {key for key, _ in pairs if field.reads(key)}
        extra = self.schema.get("additionalProperties")
        for key in dict.fromkeys(key for key, _ in pairs if key not in read):
            field = self.field(key, extra if isinstance(extra, Mapping) else {})
            found = field.read_pairs(pairs)
            if not isinstance(found, Missing):
                value[key] = field.value(found)
        return value

    def field(self, name: str, schema: Mapping[str, Any]) -> "ContractParameter":
        """The reader of one field of a form-encoded query string."""
        encoding = self.encoding.get(name)
        encoding = encoding if isinstance(encoding, Mapping) else {}
        styled = {
            key: value
            for key, value in encoding.items()
            if key in ("style", "explode", "allowReserved")
        }
        declaration = {"name": name, "in": "query", "schema": dict(schema), **styled}
        field = ContractParameter(declaration, self.dialect)
        field.where = (*self.where, name)
        return field

    def shaped(self, raw: str | list[str] | dict[str, Any]) -> Any:
        """Arrays and objects out of the serialized text (their items still strings)."""
        kinds = _kinds(self.schema)
        if isinstance(raw, dict):
            return raw
        if isinstance(raw, list):
            if "array" in kinds or not raw:
                return raw
            raw = raw[-1]
        text = self._unprefixed(raw)
        if text is None:
            return raw  # not of the style's form: the schema refuses it as it is
        if not kinds & {"array", "object"} or self.style == "deepObject":
            return (
                text  # a deepObject writes no object as one text: a value (Stripe's "")
            )
        if self.explode and self.style in ("matrix", "label", "simple"):
            pieces = self._split(text)
            if "object" in kinds and all("=" in piece for piece in pieces if piece):
                return dict(piece.partition("=")[::2] for piece in pieces if piece)
            if self.style == "matrix" and "array" in kinds:
                prefix = f"{self.name}="
                return [p.removeprefix(prefix) for p in pieces if p.startswith(prefix)]
            return pieces if "array" in kinds else text
        pieces = self._split(text) if text else []
        if "array" in kinds:
            return pieces
        if len(pieces) % 2 == 0:
            return dict(zip(pieces[::2], pieces[1::2], strict=True))
        return text

    def _unprefixed(self, text: str) -> str | None:
        """The text after a ``label`` dot or a non-exploded ``matrix`` ``;name=``."""
        if self.style == "label":
            return text[1:] if text.startswith(".") else None
        if self.style != "matrix":
            return text
        if not text.startswith(";"):
            return None
        if self.explode and _kinds(self.schema) & {"array", "object"}:
            return text[1:]
        key, _, value = text[1:].partition("=")
        return value if key == self.name else None

    def _split(self, text: str) -> list[str]:
        if self.style in _DELIMITER and not self.explode:
            return text.split(_DELIMITER[self.style])
        if self.style == "label":
            return text.split("." if self.explode or "," not in text else ",")
        if self.style == "matrix" and self.explode:
            return text.split(";")
        return text.split(",")

    def _valid(self, value: Any, schema: Any) -> bool:
        return bool(self.validator.evolve(schema=schema).is_valid(value))


def declared_parameters(endpoint: Callable[..., Any]) -> list[dict[str, Any]]:
    """The declarations of ``endpoint``'s contract parameters, each now bound to the
    type its handler annotates."""
    declared = []
    for hint in typing.get_type_hints(endpoint, include_extras=True).values():
        for marker in getattr(hint, "__metadata__", ()):
            dependency = getattr(marker, "dependency", None)
            if isinstance(marker, Depends) and isinstance(
                dependency, ContractParameter
            ):
                dependency.bind(typing.get_args(hint)[0])
                declared.append(dependency.declaration)
    return declared


# --- helpers ------------------------------------------------------------------------------


def _cookies(header: str) -> list[tuple[str, str]]:
    """Every ``name=value`` of a Cookie header, repeated names kept."""
    pairs = []
    for chunk in header.split(";"):
        key, _, value = chunk.strip().partition("=")
        if key:
            value = value.strip()
            if len(value) > 1 and value[0] == value[-1] == '"':
                value = value[1:-1]
            pairs.append((key.strip(), value))
    return pairs


def _all(pairs: Iterable[tuple[str, str]], name: str) -> list[str] | Missing:
    found = [value for key, value in pairs if key == name]
    return found if found else MISSING


def _last(pairs: Iterable[tuple[str, str]], name: str) -> str | Missing:
    found = _all(pairs, name)
    return found[-1] if isinstance(found, list) else MISSING


def _segments(key: str, name: str) -> list[str] | None:
    """``["a", "b"]`` of a ``name[a][b]`` key, None for a key of another form."""
    rest = key[len(name) :] if key.startswith(name + "[") else ""
    segments: list[str] = _BRACKETS.findall(rest)
    if not segments or "".join(f"[{s}]" for s in segments) != rest:
        return None
    return segments


def _deep_object(pairs: Iterable[tuple[str, str]], name: str) -> dict[str, Any]:
    """``name[a][b]=v`` keys as nested objects (``[]`` appends: index keys)."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        segments = _segments(key, name)
        if segments is None:
            continue
        node = root
        for index, segment in enumerate(segments):
            segment = segment or str(len(node))
            if index == len(segments) - 1:
                node[segment] = value
            else:
                child = node.get(segment)
                node[segment] = child if isinstance(child, dict) else {}
                node = node[segment]
    return root


def _properties(schema: Any) -> dict[str, Any]:
    """An object schema's ``properties``, its ``allOf`` members' too."""
    if not isinstance(schema, Mapping):
        return {}
    found: dict[str, Any] = {}
    for member in schema.get("allOf") or ():
        found.update(_properties(member))
    properties = schema.get("properties")
    found.update(properties if isinstance(properties, Mapping) else {})
    return found


def _kinds(schema: Any) -> set[str]:
    """The JSON types ``schema`` admits (inferred from its keywords where it has no
    ``type``), through ``allOf``/``anyOf``/``oneOf``."""
    if not isinstance(schema, Mapping):
        return set()
    kind = schema.get("type")
    kinds = {kind} if isinstance(kind, str) else set(kind or ())
    if not kinds:
        if any(key in schema for key in ("properties", "additionalProperties")):
            kinds.add("object")
        if any(key in schema for key in ("items", "prefixItems")):
            kinds.add("array")
        for value in schema.get("enum") or ():
            kinds.add(_json_type(value))
    for key in ("allOf", "anyOf", "oneOf"):
        for member in schema.get(key) or ():
            kinds |= _kinds(member)
    return kinds


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return "null" if value is None else "string"


def coerce(value: Any, schema: Any, valid: Callable[[Any, Any], bool]) -> Any:
    """``value`` (strings, lists and dicts of strings) as the JSON the schema wants: the
    first ``anyOf``/``oneOf`` member it can be made valid for decides."""
    if not isinstance(schema, Mapping):
        return value
    members = [
        m
        for key in ("anyOf", "oneOf")
        for m in schema.get(key) or ()
        if isinstance(m, Mapping)
    ]
    if members:
        tried = [coerce(value, member, valid) for member in members]
        chosen = next(
            (t for t, member in zip(tried, members, strict=True) if valid(t, member)),
            None,
        )
        value = chosen if chosen is not None else tried[0]
    for member in schema.get("allOf") or ():
        value = coerce(value, member, valid)
    kinds = _kinds(
        {k: v for k, v in schema.items() if k not in ("anyOf", "oneOf", "allOf")}
    )
    if isinstance(value, dict):
        if (
            "array" in kinds
            and "object" not in kinds
            and all(k.isdigit() for k in value)
        ):
            value = [value[k] for k in sorted(value, key=int)]
        else:
            properties = schema.get("properties") or {}
            extra = schema.get("additionalProperties")
            extra = extra if isinstance(extra, Mapping) else {}
            return {
                k: coerce(v, properties.get(k, extra), valid) for k, v in value.items()
            }
    if isinstance(value, list):
        if kinds and "array" not in kinds:
            return value
        items = schema.get("items")
        prefix = schema.get("prefixItems") or (items if isinstance(items, list) else [])
        rest = items if isinstance(items, Mapping) else {}
        return [
            coerce(item, prefix[i] if i < len(prefix) else rest, valid)
            for i, item in enumerate(value)
        ]
    if isinstance(value, str):
        return _scalar(value, kinds, schema)
    return value


def _scalar(text: str, kinds: set[str], schema: Mapping[str, Any]) -> Any:
    for option in schema.get("enum") or ():
        if not isinstance(option, str) and _text(option) == text:
            return option
    if "integer" in kinds and _INTEGER.fullmatch(text):
        return int(text)
    if "number" in kinds and _NUMBER.fullmatch(text):
        number = float(text)
        return (
            int(number) if number.is_integer() and "e" not in text.lower() else number
        )
    if "boolean" in kinds:
        lowered = text.lower()
        strict = "string" in kinds
        if lowered in (("true",) if strict else _TRUE):
            return True
        if lowered in (("false",) if strict else _FALSE):
            return False
    if "null" in kinds and "string" not in kinds and text in ("", "null"):
        return None
    return text


def _text(value: Any) -> str:
    """How a JSON value is written in a parameter: ``true``, ``5``, ``null``."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return str(value)
