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

from src.core.bodies import (
    FORM_TYPES,
    charset_of,
    in_range,
    is_json,
    media_type,
    missing,
    named_classes,
    sent,
    typed_parts,
    wrongly_typed,
)
from src.core.parameters import FORMATS, coerce

_SCHEMAS = "#/components/schemas/"


class MediaBody:
    """One media type of a body: the type the service gets, and the schema as written."""

    def __init__(
        self,
        media_type: str,
        kind: Any,
        schema: dict[str, Any] | None = None,
        encoding: dict[str, Any] | None = None,
    ) -> None:
        """``encoding``: a form's, where its parts are read as it says (a JSON part as
        JSON, a text part as text)."""
        self.media_type = media_type
        self.kind = kind
        self.schema = schema
        self.encoding = encoding
        self.adapter: TypeAdapter[Any] | None = None

    @property
    def model(self) -> type[BaseModel] | None:
        kind = self.kind
        return kind if isinstance(kind, type) and issubclass(kind, BaseModel) else None

    def served(self) -> dict[str, Any]:
        """The Media Type Object the route serves."""
        served: dict[str, Any] = {} if self.schema is None else {"schema": self.schema}
        if self.encoding is not None:
            served["encoding"] = self.encoding
        return served

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
        return named_classes([body.schema for body in self.bodies.values()])

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
        if not body.schema:
            return
        errors = [
            {
                "type": str(error.validator),
                "loc": ("body", *error.absolute_path),
                "msg": error.message,
                "input": error.instance if isinstance(error.instance, str) else None,
            }
            for error in self.validator(body.schema, components).iter_errors(value)
        ]
        if errors:
            raise RequestValidationError(errors)

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
