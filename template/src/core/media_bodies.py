"""Request bodies whose media types each carry their own schema.

A contract may document one operation's body in media types that mean different things:
PagerDuty's enrichment schema is a JSON definition, or a CSV file uploaded as
``multipart/form-data``, or the CSV text itself as ``text/csv``; OpenAI's realtime call is
a multipart form or an ``application/sdp`` offer. FastAPI reads one media type per body,
so such a route reads its body with a :class:`ByMediaType` dependency instead:

- each :class:`MediaBody` names a media type, the Python type the service gets for it and
  its schema as the contract writes it (served so by ``ContractRoute``, see
  ``src/core/bodies.py``);
- the request's ``Content-Type`` picks the media type: JSON is validated into its type
  (a generated model), a form whose schema is a model's into that model, any other form
  is handed over as Starlette's ``FormData`` (its fields and its uploaded files) once
  valid against its schema (and each file of a type its part's ``contentType`` lists), text (``text/csv``) as a ``str`` and anything else as the
  raw ``bytes``;
- a sequential media type (OpenAPI 3.2's ``itemSchema``: JSON Lines, JSON text
  sequences, server-sent events; a multipart body's parts by position, its
  ``prefixEncoding`` and ``itemEncoding``) is read item by item
  (``src/core/sequences.py``) into a list, each item validated into its type, an
  invalid one refused at its index (``("body", 2, "name")``);
- a body of a media type the contract does not list is answered 415, an invalid one as
  any invalid input is (``src/core/errors.py``: the contract's 4xx), a missing required
  one likewise.
"""

import json
from typing import Any

from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from jsonschema import Draft4Validator, Draft202012Validator
from jsonschema.protocols import Validator
from pydantic import BaseModel, TypeAdapter, ValidationError
from starlette.datastructures import FormData, UploadFile

from src.core import sequences
from src.core.bodies import (
    FORM_TYPES,
    charset_of,
    in_range,
    is_json,
    listed_types,
    media_type,
    missing,
    named_classes,
    sent,
    typed_parts,
    wrongly_typed,
)
from src.core.parameters import FORMATS, coerce
from src.core.sequences import Part, invalid

_SCHEMAS = "#/components/schemas/"


class MediaBody:
    """One media type of a body: the type the service gets, and the schema as written."""

    def __init__(
        self,
        media_type: str,
        kind: Any,
        schema: dict[str, Any] | None = None,
        encoding: dict[str, Any] | None = None,
        *,
        item_schema: dict[str, Any] | None = None,
        prefix_encoding: list[dict[str, Any]] | None = None,
        item_encoding: dict[str, Any] | None = None,
        positions: tuple[Any, ...] = (),
        items: Any = None,
    ) -> None:
        """``encoding``: a form's, where its parts are read as it says (a JSON part as
        JSON, a text part as text). A sequential media type (``src/core/sequences.py``)
        is read item by item: ``items`` is the type of each item (of those after the
        ``positions``, where the body's schema gives its leading parts theirs), checked
        against ``item_schema`` too where it is no model; ``prefix_encoding`` and
        ``item_encoding`` give a multipart body's parts their ``contentType``."""
        self.media_type = media_type
        self.kind = kind
        self.schema = schema
        self.encoding = encoding
        self.item_schema = item_schema
        self.prefix_encoding = prefix_encoding
        self.item_encoding = item_encoding
        self.positions = positions
        self.items = items
        self.adapter: TypeAdapter[Any] | None = None
        self.adapters: dict[int, TypeAdapter[Any]] = {}

    @property
    def model(self) -> type[BaseModel] | None:
        kind = self.kind
        return kind if isinstance(kind, type) and issubclass(kind, BaseModel) else None

    @property
    def sequential(self) -> bool:
        """Whether the body is read item by item."""
        return self.items is not None

    def served(self) -> dict[str, Any]:
        """The Media Type Object the route serves."""
        written = {
            "schema": self.schema,
            "itemSchema": self.item_schema,
            "encoding": self.encoding,
            "prefixEncoding": self.prefix_encoding,
            "itemEncoding": self.item_encoding,
        }
        return {key: value for key, value in written.items() if value is not None}

    def position(self, index: int) -> tuple[Any, Any]:
        """The type and the Encoding Object of the item at ``index``."""
        prefix = self.prefix_encoding or []
        entry = prefix[index] if index < len(prefix) else self.item_encoding
        kind = self.positions[index] if index < len(self.positions) else self.items
        return kind, entry

    def part_value(self, index: int, part: Part) -> Any:
        """A part as its type wants it: the bytes of a binary one; else its text, the
        JSON value of a JSON part (or of a part without a type whose item is no text:
        OpenAPI's default encodes an object or an array as JSON)."""
        kind, _ = self.position(index)
        if kind is bytes:
            return part.data
        try:
            text = part.data.decode(part.charset or "utf-8")
        except (LookupError, UnicodeDecodeError) as error:
            raise invalid("string_unicode", str(error), index) from error
        if is_json(part.content_type):
            try:
                return json.loads(text)
            except ValueError as error:
                raise invalid(
                    "json_invalid", f"JSON decode error: {error}", index
                ) from error
        return _structured(text) if not part.content_type and kind is not str else text

    def validated_items(self, values: list[Any]) -> list[Any]:
        """Each item as its type, or the errors of those that are not, at their index."""
        found, errors = [], []
        for index, value in enumerate(values):
            slot = min(index, len(self.positions))  # the items after them share one
            if slot not in self.adapters:
                self.adapters[slot] = TypeAdapter(self.position(index)[0])
            try:
                found.append(self.adapters[slot].validate_python(value))
            except ValidationError as error:
                errors += [
                    {**e, "loc": ("body", index, *e["loc"])} for e in error.errors()
                ]
        if errors:
            raise RequestValidationError(errors)
        return found

    def validated(self, value: Any) -> Any:
        """``value`` as the service's type, or the body's validation errors."""
        if self.adapter is None:
            self.adapter = TypeAdapter(self.kind)
        try:
            return self.adapter.validate_python(value)
        except ValidationError as error:
            raise RequestValidationError(
                [{**e, "loc": ("body", *e["loc"])} for e in error.errors()]
            ) from error


class ByMediaType:
    """A route dependency reading the body as its media type's own schema says."""

    def __init__(
        self, *bodies: MediaBody, required: bool = False, dialect: str = "3.1"
    ) -> None:
        self.bodies = {body.media_type: body for body in bodies}
        self.required = required
        self.dialect = dialect

    def served(self) -> dict[str, Any]:
        """The Request Body Object the route serves."""
        content = {kind: body.served() for kind, body in self.bodies.items()}
        return {"required": self.required, "content": content}

    def models(self) -> list[Any]:
        """The classes of ``specs/schemas`` the served schemas name: their components
        are served too (a model a form's schema names, whose type is the form)."""
        schemas = [body.schema for body in self.bodies.values()]
        schemas += [body.item_schema for body in self.bodies.values()]
        return named_classes(schemas)

    async def __call__(self, request: Request) -> Any:
        raw = await request.body()
        kind = media_type(request.headers.get("content-type"))
        if not raw and not sent(request):
            if self.required:
                raise RequestValidationError([missing("body")])
            return None
        body = self.bodies.get(kind) or next(
            (b for k, b in self.bodies.items() if in_range(kind, k)), None
        )
        if body is None:
            raise HTTPException(415, f"Unsupported media type {kind!r}")
        if body.sequential:
            return self.sequence(raw, request, body)
        if is_json(body.media_type) or body.media_type == "*/*":
            return body.validated(_json(raw))
        if body.media_type in FORM_TYPES:
            form = await request.form()
            refused = wrongly_typed(form, typed_parts(body.encoding))
            if refused:  # a file of a type its part's contentType does not list
                raise RequestValidationError(refused)
            if body.model is not None:
                return body.validated(_fields(form))
            components = _components(request)
            self.check(self._as_json(form, body, components), body, components)
            return form
        if body.kind is str:
            charset = charset_of(request.headers.get("content-type")) or "utf-8"
            text = _decoded(raw, charset)
            self.check(text, body, _components(request))
            return text
        return body.validated(raw)

    def validator(self, schema: Any, components: dict[str, Any]) -> Validator:
        """A validator of ``schema`` in the contract's dialect, its references the
        served ``components``."""
        root = {**schema, "components": {"schemas": components}}
        draft = (
            Draft4Validator if self.dialect.startswith("3.0") else Draft202012Validator
        )
        return draft(root, format_checker=FORMATS)

    def check(self, value: Any, body: MediaBody, components: dict[str, Any]) -> None:
        """Refuse ``value`` where the media type's schema does."""
        errors = self.refused(value, body.schema, components)
        if errors:
            raise RequestValidationError(errors)

    def refused(
        self,
        value: Any,
        schema: dict[str, Any] | None,
        components: dict[str, Any],
        at: tuple[int, ...] = (),
    ) -> list[dict[str, Any]]:
        """The errors of ``value`` against ``schema`` (none without one), at ``at``."""
        if not schema:
            return []
        return [
            {
                "type": str(error.validator),
                "loc": ("body", *at, *error.absolute_path),
                "msg": error.message,
                "input": error.instance if isinstance(error.instance, str) else None,
            }
            for error in self.validator(schema, components).iter_errors(value)
        ]

    def sequence(self, raw: bytes, request: Request, body: MediaBody) -> list[Any]:
        """A body of a sequential media type, item by item (``src/core/sequences.py``):
        each part of a multipart body of a type its Encoding Object lists, and read as
        its type wants it; the whole, as an array, valid against the media type's
        ``schema``; each item against its ``itemSchema`` (where its type is no model)
        and its type. An empty body is a missing one."""
        content_type = request.headers.get("content-type", "")
        found = sequences.items(raw, content_type)
        if not found and self.required:
            raise RequestValidationError([missing("body")])
        if sequences.framing(content_type) == "parts":
            refused = _wrongly_typed_parts(found, body)
            if refused:
                raise RequestValidationError(refused)
            found = [body.part_value(index, part) for index, part in enumerate(found)]
        item_model = isinstance(body.items, type) and issubclass(body.items, BaseModel)
        if body.schema or (body.item_schema and not item_model):
            components = _components(request)
            errors = self.refused(_as_json(found), body.schema, components)
            if not item_model:
                for index, value in enumerate(found):
                    at = (index,)
                    errors += self.refused(value, body.item_schema, components, at)
            if errors:
                raise RequestValidationError(errors)
        return body.validated_items(found)

    def _as_json(
        self, form: FormData, body: MediaBody, components: dict[str, Any]
    ) -> Any:
        """A form as the JSON its schema describes: each uploaded file a string (a
        binary string's: its name), a repeated field (or a field of an array) a list,
        each text the value the schema wants (a number, an object written as JSON)."""
        schema = _resolved(body.schema or {}, components)
        properties = schema.get("properties") or {}
        data: dict[str, Any] = {}
        for key in form:
            values = [
                value.filename or ""
                if isinstance(value, UploadFile)
                else _structured(value)
                for value in form.getlist(key)
            ]
            field = properties.get(key) if isinstance(properties, dict) else None
            listed = isinstance(field, dict) and field.get("type") == "array"
            data[key] = values if len(values) > 1 or listed else values[0]

        def valid(value: Any, part: Any) -> bool:
            return bool(self.validator(part, components).is_valid(value))

        return coerce(data, schema, valid)


def _wrongly_typed_parts(parts: list[Part], body: MediaBody) -> list[dict[str, Any]]:
    """An error for each part of a type outside those its Encoding Object's
    ``contentType`` lists (a part without one is ``text/plain``, RFC 2046)."""
    errors = []
    for index, part in enumerate(parts):
        _, entry = body.position(index)
        listed = listed_types(entry)
        kind = part.content_type or "text/plain"
        if listed and not any(in_range(kind, pattern) for pattern in listed):
            errors.append(
                {
                    "type": "content_type",
                    "loc": ("body", index),
                    "msg": f"a part of type {kind!r}: the contract accepts {', '.join(listed)}",
                    "input": None,
                }
            )
    return errors


def _as_json(values: list[Any]) -> list[Any]:
    """Items as the JSON data model has them: a binary part a string of its octets."""
    return [v.decode("latin-1") if isinstance(v, bytes) else v for v in values]


def _resolved(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    """``schema``, or the component its ``$ref`` names (and so on)."""
    for _ in range(20):
        ref = schema.get("$ref")
        if not isinstance(ref, str) or not ref.startswith(_SCHEMAS):
            break
        schema = components.get(ref.removeprefix(_SCHEMAS), {})
    return schema


def _components(request: Request) -> dict[str, Any]:
    """The served component schemas, also under the plain name of a model served in two
    modes (``Node-Input``): a body's schema names the model."""
    served = request.app.openapi().get("components", {}).get("schemas", {})
    components = dict(served)
    for name, schema in served.items():
        if name.endswith("-Input"):
            components.setdefault(name.removesuffix("-Input"), schema)
    return components


def _fields(form: FormData) -> dict[str, Any]:
    """A form of a model's fields: each field's text (JSON where it holds an object or
    an array, as OpenAPI encodes those), a repeated field's texts; files are no field."""
    data: dict[str, Any] = {}
    for key in form:
        values = [_structured(v) for v in form.getlist(key) if isinstance(v, str)]
        if values:
            data[key] = values if len(values) > 1 else values[0]
    return data


def _structured(text: str) -> Any:
    """A field's text, or the object or array it holds (OpenAPI's default encoding)."""
    if text.lstrip()[:1] in ("{", "["):
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError as error:
        raise RequestValidationError(
            [
                {
                    "type": "json_invalid",
                    "loc": ("body", 0),
                    "msg": "JSON decode error",
                    "input": {},
                    "ctx": {"error": str(error)},
                }
            ]
        ) from error


def _decoded(raw: bytes, charset: str) -> str:
    try:
        return raw.decode(charset)
    except (LookupError, UnicodeDecodeError) as error:
        raise RequestValidationError(
            [{"type": "string_unicode", "loc": ("body",), "msg": str(error)}]
        ) from error
