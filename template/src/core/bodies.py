"""Request and response bodies as the contract documents them, beyond FastAPI's own.

FastAPI parses one media type per request body. When the contract documents a JSON body
in other media types too (Swagger Petstore: JSON, XML and form fields for one ``Pet``;
ASP.NET's ``text/json`` and ``application/*+json`` beside ``application/json``), the
router marks the body parameter with :class:`AlsoAccepts`; :class:`ContractRoute` then
lists those media types in the OpenAPI document, each with the body's own schema, and
turns such a request (form fields, an XML document, JSON labelled ``text/json``) into the
JSON FastAPI validates as usual, so every documented media type is really accepted, with
the same validation and the same 422 errors. FastAPI reads a body as JSON only in an
``application/json`` or ``application/…+json`` request: a JSON body documented in another
JSON media type (``text/json``) is relabelled too. Form fields (urlencoded or multipart)
are read by the body's type: a model's fields, those of each model of a union (Discord's
invites), any field of a map (its moderation metadata). A multipart body documented as
the JSON body's schema with files beside it (Discord's messages: ``allOf`` of the message
and ``files[0]``...) is served with that schema (``AlsoAccepts(schemas=...)``) and read
the same way, the files being no field of the body. A request in a media type the
contract does not list for such a body is answered 415. A body whose media types each
carry a schema of their own is read by ``src/core/media_bodies.py``'s ``ByMediaType``
instead, which ``ContractRoute`` serves as it says.

:func:`contract_schema` serves a body part's JSON Schema exactly as the contract wrote it.
An optional form body passed field by field whose schema requires fields is marked with
:class:`RequiredWhenSent`: FastAPI takes its fields as optional, as it takes the body;
``ContractRoute`` serves the schema's ``required`` and the dependency enforces it on a
form that is sent.
``ContractRoute`` also serves the parameters read by ``src/core/parameters.py`` (those
FastAPI cannot read itself) as the contract declares them.

A success response documented in XML as well as JSON is answered in XML to a request
whose ``Accept`` header prefers it (``src/core/representations.py``).
"""

import copy
import fnmatch
import json
import re
import typing
from collections.abc import Callable, Coroutine
from email.message import Message
from types import NoneType, UnionType
from typing import Any, Literal
from xml.etree import ElementTree

from fastapi import Request, Response
from fastapi.exceptions import HTTPException, RequestValidationError
from fastapi.params import Body, File
from fastapi.routing import APIRoute
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from starlette.convertors import Convertor
from starlette.datastructures import FormData, UploadFile
from starlette.routing import Match, compile_path
from starlette.types import Receive, Scope

from src.core.openapi import CLOSED, QUERY_STRING, SCHEMA_OF
from src.core.parameters import ContractParameter, Missing, declared_parameters
from src.core.representations import named_by, preferred, to_xml
from src.core.responses import answering, documented

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_SCHEMAS = "#/components/schemas/"
XML_TYPES = ("application/xml", "text/xml")


class AlsoAccepts:
    """Marks a JSON body parameter: the contract documents it in these media types too,
    with the body's schema, or with the one ``schemas`` gives (as served) for a media
    type whose schema is the body's and files beside it (a multipart body)."""

    def __init__(
        self, *media_types: str, schemas: dict[str, dict[str, Any]] | None = None
    ) -> None:
        self.media_types = media_types
        self.schemas = schemas or {}


class ContractSchema:
    """A ``json_schema_extra`` that serves ``schema`` instead of the derived one.

    A schema that is a ``$ref`` (with or without siblings) is served as
    ``{"allOf": [{"$ref": ...}], ...siblings}``, which admits the same values: pydantic
    looks a field's top-level ``$ref`` up among its own definitions (``#/$defs/...``)
    while it renders a model of fields (FastAPI's model of a form's fields), and fails
    on a reference to ``#/components/schemas/...``. A form field read by its
    :class:`Encoded` marker is validated against the same ``schema``."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = copy.deepcopy(schema)
        if "$ref" in self.schema:
            reference = {"$ref": self.schema.pop("$ref")}
            self.schema["allOf"] = [reference, *self.schema.get("allOf", [])]

    def __call__(self, served: dict[str, Any]) -> None:
        served.clear()
        served.update(copy.deepcopy(self.schema))


def contract_schema(schema: dict[str, Any]) -> ContractSchema:
    """A ``json_schema_extra`` that serves ``schema`` as the contract writes it."""
    return ContractSchema(schema)


class Encoded:
    """Marks a form field FastAPI cannot read itself, typed ``Json[T]``: the route reads
    it as the contract's Encoding Object ``encoding`` says and hands FastAPI its JSON.

    With a ``style`` (Stripe's ``deepObject``: ``metadata[key]=v``, ``expand[]=x``;
    ``spaceDelimited``...), the field's pairs are read as a query parameter's of that
    style and explode are (``src/core/parameters.py``: OpenAPI encodes a form's fields
    as a query's), their strings made the JSON values the schema describes. Without one
    (``{}``), the field holds an object and OpenAPI's default applies: its value is JSON
    text (``contentType: application/json``). Either way the value must be valid against
    the field's contract schema (``dialect``: the contract's OpenAPI version); what a
    ``$ref`` in it names is a generated class, which ``T`` validates. A JSON
    ``contentType`` reads it so whatever it holds (a part sent as a file too).

    A part whose encoding gives its ``contentType`` (``image/png, image/jpeg``,
    ``image/*``) must be of a media type it lists where the request says one: a file,
    which the route refuses otherwise (:func:`wrongly_typed`). A file field (FastAPI's
    ``UploadFile``) is marked only for that: it is not read here."""

    def __init__(self, encoding: dict[str, Any], dialect: str = "3.1") -> None:
        self.encoding = encoding
        self.dialect = dialect

    def types(self) -> tuple[str, ...]:
        """The media types (or ranges) the part's ``contentType`` lists, if any."""
        return listed_types(self.encoding)

    def reader(
        self, name: str, schema: dict[str, Any], others: tuple[str, ...] = ()
    ) -> ContractParameter:
        """The field ``name`` of ``schema`` read as a parameter, its errors in the body
        (``others``: the form's other fields, no properties of an exploded object)."""
        declaration: dict[str, Any] = {"name": name, "in": "query"}
        if "style" in self.encoding or "explode" in self.encoding:
            declaration["schema"] = _unreferenced(schema)
            declaration["style"] = self.encoding.get("style", "form")
            declaration["explode"] = self.encoding.get(
                "explode", declaration["style"] == "form"
            )
        else:
            content = {"schema": _unreferenced(schema)}
            declaration["content"] = {"application/json": content}
        return ContractParameter(
            declaration, self.dialect, claimed=others, located="body"
        )


class ClosedForm:
    """A route dependency for a form passed field by field whose schema says
    ``additionalProperties: false``: a field it does not declare is refused (pydantic's
    "Extra inputs are not permitted"). :class:`ContractRoute` tells it the declared
    fields and serves the ``additionalProperties`` (``src/core/openapi.py`` puts it in
    FastAPI's model of the form's fields: beside its reference, it would refuse them all)."""

    def __init__(self) -> None:
        self.fields: frozenset[str] = frozenset()

    async def __call__(self, request: Request) -> None:
        form = await request.form()  # parsed already for the route: Starlette keeps it
        extra = [
            {
                "type": "extra_forbidden",
                "loc": ("body", key),
                "msg": "Extra inputs are not permitted",
                "input": value if isinstance(value, str) else None,
            }
            for key, value in form.multi_items()
            if key not in self.fields
        ]
        if extra:
            raise RequestValidationError(extra)


def body_required(request: Request) -> None:
    """A route dependency for a required body whose fields are all optional: FastAPI
    would take a request without one."""
    if not sent(request):
        raise RequestValidationError([missing("body")])


class RequiredWhenSent:
    """A route dependency for an optional form body, passed field by field, whose schema
    requires ``fields``: a request without a body is valid, a form that is sent must carry
    each of them (FastAPI's own "Field required" error otherwise). FastAPI takes every
    field as optional since the body is; :class:`ContractRoute` serves the ``required``
    list beside the form's schema."""

    def __init__(self, *fields: str) -> None:
        self.fields = fields

    async def __call__(self, request: Request) -> None:
        if not sent(request):
            return
        form = await request.form()  # parsed already for the route: Starlette keeps it
        absent = [missing("body", name) for name in self.fields if name not in form]
        if absent:
            raise RequestValidationError(absent)


def listed_types(entry: Any) -> tuple[str, ...]:
    """The media types (or ranges) an Encoding Object's ``contentType`` lists."""
    written = entry.get("contentType") if isinstance(entry, dict) else None
    listed = written.split(",") if isinstance(written, str) else ()
    return tuple(media_type(kind) for kind in listed if kind.strip())


def typed_parts(encoding: Any) -> dict[str, tuple[str, ...]]:
    """The parts an ``encoding`` gives a ``contentType``, with the types it lists."""
    entries = encoding.items() if isinstance(encoding, dict) else ()
    found = {name: listed_types(entry) for name, entry in entries}
    return {name: types for name, types in found.items() if types}


def in_range(kind: str, pattern: str) -> bool:
    """Whether ``kind`` is ``pattern`` or in the range it names (``image/*``, ``*/*``)."""
    main, _, sub = pattern.partition("/")
    sent_main, _, sent_sub = kind.partition("/")
    return main in ("*", sent_main) and sub in ("*", sent_sub)


def wrongly_typed(
    form: FormData, typed: dict[str, tuple[str, ...]]
) -> list[dict[str, Any]]:
    """An error for each part of ``form`` sent as a file (the only parts whose
    ``Content-Type`` Starlette keeps) under a name ``typed`` lists, of a media type
    outside the ones listed. A file without one is ``text/plain`` (RFC 7578, 4.4)."""
    errors = []
    for key, value in form.multi_items():
        if key not in typed or not isinstance(value, UploadFile):
            continue
        kind = media_type(value.content_type) or "text/plain"
        if not any(in_range(kind, pattern) for pattern in typed[key]):
            listed = ", ".join(typed[key])
            errors.append(
                {
                    "type": "content_type",
                    "loc": ("body", key),
                    "msg": f"a part of type {kind!r}: the contract accepts {listed}",
                    "input": value.filename,
                }
            )
    return errors


def _unreferenced(schema: Any) -> Any:
    """``schema`` with each ``$ref`` (to a served component) made ``{}``: the class the
    reference names validates that part (the field is ``Json[T]``)."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            return {}
        return {key: _unreferenced(value) for key, value in schema.items()}
    if isinstance(schema, list):
        return [_unreferenced(item) for item in schema]
    return schema


def sent(request: Request) -> bool:
    """Whether the request carries a body (it is parsed already, so its headers tell)."""
    length = request.headers.get("content-length")
    return "transfer-encoding" in request.headers or length not in (None, "0")


def missing(*loc: str) -> dict[str, Any]:
    return {"type": "missing", "loc": loc, "msg": "Field required", "input": None}


def media_type(content_type: str | None) -> str:
    """``"text/xml; charset=utf-8"`` → ``"text/xml"``."""
    if not content_type:
        return ""
    message = Message()
    message["content-type"] = content_type
    return message.get_content_type()


def charset_of(content_type: str | None) -> str | None:
    """The ``charset`` a ``Content-Type`` names, if any."""
    message = Message()
    message["content-type"] = content_type or ""
    found = message.get_param("charset")
    return found if isinstance(found, str) else None


def is_xml(kind: str) -> bool:
    return kind in XML_TYPES or kind.endswith("+xml")


def is_json(kind: str) -> bool:
    return kind in ("application/json", "text/json") or kind.endswith("+json")


def read_as_json(kind: str) -> bool:
    """Whether FastAPI reads a body of this media type as JSON itself."""
    main, _, sub = kind.partition("/")
    return main == "application" and (sub == "json" or sub.endswith("+json"))


class ContractRoute(APIRoute):
    """An ``APIRoute`` that also accepts the media types its body's ``AlsoAccepts`` lists,
    and documents the responses its ``responses=`` writes out (``src/core/responses.py``)."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        kwargs["responses"], self.documented_models, self.named_models = documented(
            kwargs.get("responses")
        )
        self.body_type, self.alternatives, body_type = _also_accepted(endpoint)
        if self.alternatives:  # served with the schema FastAPI serves for the body
            extra = copy.deepcopy(kwargs.get("openapi_extra") or {})
            content = extra.setdefault("requestBody", {}).setdefault("content", {})
            content.update(
                {
                    kind: {"schema": copy.deepcopy(self.alternatives[kind])}
                    if self.alternatives[kind] is not None
                    else {SCHEMA_OF: body_type}
                    for kind in self.alternatives
                }
            )
            kwargs["openapi_extra"] = extra
        reader = _body_reader(endpoint)
        self.body_models = named_classes(_field_schemas(endpoint))
        if reader is not None:  # each media type served with its own schema
            self.body_models += reader.models()
            extra = copy.deepcopy(kwargs.get("openapi_extra") or {})
            extra["requestBody"] = reader.served()
            kwargs["openapi_extra"] = extra
        required = _required_when_sent(kwargs.get("dependencies"))
        closed = _closed_form(kwargs.get("dependencies"))
        self.encoded, self.typed = _encoded_fields(endpoint)
        declared = declared_parameters(endpoint)
        if declared:  # read by their dependencies: served as the contract writes them
            extra = copy.deepcopy(kwargs.get("openapi_extra") or {})
            served = extra.get("parameters", [])
            whole = extra.get(QUERY_STRING, [])  # in: querystring (see QUERY_STRING)
            present = {(p.get("in"), p.get("name")) for p in served + whole}
            for parameter in declared:  # (a route copied by include_router has them)
                if (parameter["in"], parameter["name"]) not in present:
                    listed = whole if parameter["in"] == "querystring" else served
                    listed.append(parameter)
            if served:
                extra["parameters"] = served
            if whole:
                extra[QUERY_STRING] = whole
            kwargs["openapi_extra"] = extra
        super().__init__(path, endpoint, **kwargs)  # calls get_route_handler()
        if required and self.body_field is not None:  # served as the contract says
            self.openapi_extra = _serving_required(
                self.openapi_extra, self.body_field.field_info, required
            )
        if closed is not None and self.body_field is not None:
            closed.fields = frozenset(
                field.alias for field in self.dependant.body_params
            )
            self.openapi_extra = _serving_closed(
                self.openapi_extra, self.body_field.field_info
            )
        self.contract_names = _contract_placeholders(path)
        self._matchers: dict[
            str, tuple[re.Pattern[str], dict[str, Convertor[Any]]]
        ] = {}

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        """Starlette matches only ``{identifier}`` placeholders: a path with others
        (``/skus/{sku-code}``) is matched here, its parameters named as in the contract,
        while the route's path (and the served document) stay the contract's."""
        if not self.contract_names or scope["type"] != "http":
            return super().matches(scope)
        # FastAPI >= 0.16x matches included routes through a context holding the full path.
        context = scope.get("fastapi", {}).get("effective_route_context")
        included = getattr(context, "original_route", None) is self
        regex, convertors = self._matcher(
            getattr(context, "path", "") if included else ""
        )
        found = regex.match(_route_path(scope))
        if found is None:
            return Match.NONE, {}
        params = {
            self.contract_names.get(key, key): convertors[key].convert(value)
            for key, value in found.groupdict().items()
        }
        path_params = {**scope.get("path_params", {}), **params}
        child_scope = {
            "endpoint": self.endpoint,
            "path_params": path_params,
            "route": self,
        }
        methods = getattr(context, "methods", None) if included else self.methods
        if methods and scope["method"] not in methods:
            return Match.PARTIAL, child_scope
        return Match.FULL, child_scope

    def _matcher(self, path: str) -> tuple[re.Pattern[str], dict[str, Convertor[Any]]]:
        """The regex of ``path`` (the route's own by default) with identifier stand-ins."""
        if path in self._matchers:
            return self._matchers[path]
        stand_ins = {name: stand_in for stand_in, name in self.contract_names.items()}
        matching = _PLACEHOLDER.sub(
            lambda found: "{" + stand_ins.get(found[1], found[1]) + "}",
            path or self.path,
        )
        regex, _, convertors = compile_path(matching)
        self._matchers[path] = regex, convertors
        return regex, convertors

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        xml = self._xml_representations()
        json_type = _json_type(self.response_class)
        answered = super().get_route_handler()
        successes = self._successes()
        if len(successes) > 1:  # the service may choose another (src/core/responses.py)
            answered = answering(answered, successes)
        handler = _negotiating(
            _reading_encoded(answered, self.encoded, self.typed),
            xml,
            self._selector(xml),
            json_type,
        )
        body_type = self.body_type
        model = _model(body_type)
        field = self.body_field.field_info if self.body_field is not None else None
        accepted = {*self.alternatives, getattr(field, "media_type", "")}
        relabelled = {k for k in accepted if is_json(k) and not read_as_json(k)}
        transcoded = {
            kind
            for kind in self.alternatives
            if kind in FORM_TYPES or (model is not None and is_xml(kind))
        }
        if not self.alternatives:
            return handler

        async def transcoding_handler(request: Request) -> Response:
            kind = media_type(request.headers.get("content-type"))
            listed = any(fnmatch.fnmatchcase(kind, pattern) for pattern in accepted)
            if kind and not listed and sent(request):  # application/*+json: a range
                raise HTTPException(415, f"Unsupported media type {kind!r}")
            if kind in relabelled:
                body = await request.body()
                request = _JsonRequest(request.scope, request.receive, body)
            elif kind in transcoded:
                if kind in FORM_TYPES:
                    async with request.form() as form:
                        data = _from_form(form, body_type)
                elif model is not None:
                    data = _from_xml(await request.body(), model)
                body = json.dumps(data).encode()
                request = _JsonRequest(request.scope, request.receive, body)
            return await handler(request)

        return transcoding_handler

    def _successes(self) -> frozenset[int]:
        """The success statuses the route documents: its own and its ``responses=``'s."""
        documented = {int(status) for status in self.responses if str(status).isdigit()}
        return frozenset(
            status
            for status in {*documented, self.status_code or 200}
            if 200 <= status < 300
        )

    def _xml_representations(self) -> dict[str, dict[str, Any]]:
        """XML media type → its schema, where the success response documents any."""
        success = self.responses.get(self.status_code or 200) or {}
        content = success.get("content") or {}
        return {
            kind: (entry or {}).get("schema") or {}
            for kind, entry in content.items()
            if is_xml(kind)
        }

    def _selector(self, xml: dict[str, dict[str, Any]]) -> tuple[str, str] | None:
        """``(location, name)`` of a path or query parameter whose values name the
        success's representations (vonage's ``/{format}``: ``json`` or ``xml``)."""
        offered = [_json_type(self.response_class), *xml]
        for location, fields in (
            ("path", self.dependant.path_params),
            ("query", self.dependant.query_params),
        ):
            for field in fields:
                kind = _optional_of(field.field_info.annotation)
                values = (
                    typing.get_args(kind) if typing.get_origin(kind) is Literal else ()
                )
                named = {named_by(value, offered) for value in values} - {None}
                if len(named) >= 2:
                    return location, field.alias
        return None


def _json_type(response_class: Any) -> str:
    """The JSON media type a route answers in: its response class's (``json_as``)."""
    kind = getattr(response_class, "value", response_class)  # FastAPI's Default(...)
    found = getattr(kind, "media_type", None)
    return found if isinstance(found, str) and found else "application/json"


def _negotiating(
    handler: Callable[[Request], Coroutine[Any, Any, Response]],
    xml: dict[str, dict[str, Any]],
    selector: tuple[str, str] | None = None,
    json_type: str = "application/json",
) -> Callable[[Request], Coroutine[Any, Any, Response]]:
    """The handler, answering a request that prefers XML with the success as XML: a
    request whose ``selector`` parameter names a representation gets that one, else
    the one its ``Accept`` header prefers."""
    if not xml:
        return handler
    offered = [json_type, *xml]

    async def negotiating_handler(request: Request) -> Response:
        response = await handler(request)
        named = None
        if selector is not None:
            location, name = selector
            values = request.path_params if location == "path" else request.query_params
            named = named_by(values.get(name), offered)
        chosen = named or preferred(request.headers.get("accept"), offered)
        response.headers.append("vary", "Accept")
        if chosen == json_type or response.status_code >= 300:
            return response
        if media_type(response.headers.get("content-type")) != json_type:
            return response  # the service built this representation itself
        components = request.app.openapi().get("components", {}).get("schemas", {})
        body = to_xml(json.loads(bytes(response.body)), xml[chosen], components)
        answer = Response(body, response.status_code, media_type=chosen)
        answer.raw_headers += [
            (key, value)
            for key, value in response.raw_headers
            if key not in (b"content-length", b"content-type")
        ]
        return answer

    return negotiating_handler


_PLACEHOLDER = re.compile(r"{([^}]*)}")


def _route_path(scope: Scope) -> str:
    """The request path the routes match: without the app's root path (as Starlette's)."""
    path: str = scope["path"]
    root_path: str = scope.get("root_path", "")
    if (
        root_path
        and path.startswith(root_path)
        and path[len(root_path) :][:1] in ("", "/")
    ):
        return path[len(root_path) :]
    return path


def _contract_placeholders(path: str) -> dict[str, str]:
    """Stand-in identifier → contract name, for each placeholder that is no identifier
    (``{sku-code}``): Starlette would match those as literal text."""
    names = [name for name in _PLACEHOLDER.findall(path) if not name.isidentifier()]
    return {f"contract_parameter_{index}": name for index, name in enumerate(names)}


def _also_accepted(
    endpoint: Callable[..., Any],
) -> tuple[Any, dict[str, dict[str, Any] | None], str]:
    """The body type of ``endpoint``, the media types its ``AlsoAccepts`` lists (each
    with its own schema, None where it is the body's) and the body's own media type."""
    for hint in typing.get_type_hints(endpoint, include_extras=True).values():
        metadata = getattr(hint, "__metadata__", ())
        for marker in metadata:
            if isinstance(marker, AlsoAccepts):
                body = next((m for m in metadata if isinstance(m, Body)), None)
                own = getattr(body, "media_type", None) or "application/json"
                alternatives = {
                    kind: marker.schemas.get(kind) for kind in marker.media_types
                }
                return typing.get_args(hint)[0], alternatives, own
    return None, {}, ""


def named_classes(schemas: list[Any]) -> list[Any]:
    """The classes of ``specs/schemas`` whose components ``schemas`` refer to (a body
    part's schema as the contract writes it): served too, as a route's models are."""
    import specs.schemas  # the generated models: imported once the routes are

    names = dict.fromkeys(
        ref.removeprefix(_SCHEMAS)
        for ref in _references(schemas)
        if ref.startswith(_SCHEMAS)
    )
    found = [getattr(specs.schemas, name, None) for name in names]
    return [kind for kind in found if isinstance(kind, type)]


def _references(node: Any) -> list[str]:
    """Every ``$ref`` under ``node``."""
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _references(value)]
    if isinstance(node, list):
        return [ref for item in node for ref in _references(item)]
    return []


def _field_schemas(endpoint: Callable[..., Any]) -> list[dict[str, Any]]:
    """The contract schemas (:func:`contract_schema`) of ``endpoint``'s body parts."""
    return [
        marker.json_schema_extra.schema
        for hint in typing.get_type_hints(endpoint, include_extras=True).values()
        for marker in getattr(hint, "__metadata__", ())
        if isinstance(marker, Body)
        and isinstance(marker.json_schema_extra, ContractSchema)
    ]


def _body_reader(endpoint: Callable[..., Any]) -> Any:
    """The dependency reading ``endpoint``'s body by media type, if any
    (``src/core/media_bodies.py``'s ``ByMediaType``): it says what to serve."""
    for hint in typing.get_type_hints(endpoint, include_extras=True).values():
        for marker in getattr(hint, "__metadata__", ()):
            dependency = getattr(marker, "dependency", None)
            if callable(getattr(dependency, "served", None)):
                return dependency
    return None


def _encoded_fields(
    endpoint: Callable[..., Any],
) -> tuple[dict[str, ContractParameter], dict[str, tuple[str, ...]]]:
    """A reader for each form field of ``endpoint`` marked :class:`Encoded`, by name (a
    file is not read), and the media types each one's ``contentType`` lists."""
    fields: dict[str, tuple[Body, Encoded | None]] = {}
    for name, hint in typing.get_type_hints(endpoint, include_extras=True).items():
        metadata = getattr(hint, "__metadata__", ())
        body = next((m for m in metadata if isinstance(m, Body)), None)
        if body is not None:
            marker = next((m for m in metadata if isinstance(m, Encoded)), None)
            fields[body.alias or name] = body, marker
    readers, typed = {}, {}
    for name, (body, marker) in fields.items():
        if marker is None:
            continue
        if marker.types():
            typed[name] = marker.types()
        if not isinstance(body, File):
            extra = body.json_schema_extra
            schema = extra.schema if isinstance(extra, ContractSchema) else {}
            others = tuple(other for other in fields if other != name)
            readers[name] = marker.reader(name, schema, others)
    return readers, typed


def _reading_encoded(
    handler: Callable[[Request], Coroutine[Any, Any, Response]],
    readers: dict[str, ContractParameter],
    typed: dict[str, tuple[str, ...]],
) -> Callable[[Request], Coroutine[Any, Any, Response]]:
    """The handler, given a form whose parts are of the types their encoding lists
    (:func:`wrongly_typed`) and whose encoded fields are read (:func:`_read_encoded`)."""
    if not readers and not typed:
        return handler

    async def reading_handler(request: Request) -> Response:
        if media_type(request.headers.get("content-type")) in FORM_TYPES:
            form = await request.form()
            refused = wrongly_typed(form, typed)
            if refused:
                raise RequestValidationError(refused)
            form = _read_encoded(form, readers)
            request = _FormRequest(request.scope, request.receive, form)
        return await handler(request)

    return reading_handler


def _read_encoded(form: FormData, readers: dict[str, ContractParameter]) -> FormData:
    """``form`` with the pairs of each encoded field (``metadata[a]=1``, ``metadata[b]=2``)
    replaced by one, its value (``{"a": "1", "b": "2"}``) as JSON text, once valid against
    the field's schema. An empty JSON field is absent, as FastAPI takes an empty field.
    A field sent as a file (a JSON part labelled ``application/json``) is read as its
    text."""
    texts = [
        (key, value if isinstance(value, str) else _text(value))
        for key, value in form.multi_items()
        if isinstance(value, str) or key in readers
    ]
    items = form.multi_items()
    errors: list[Any] = []
    for name, reader in readers.items():
        raw = reader.read_pairs(texts)
        if isinstance(raw, Missing) or (raw == "" and reader.media_type is not None):
            continue
        try:
            value = reader.value(raw)
            reader.check(value)
        except RequestValidationError as error:
            errors += error.errors()
            continue
        spread = set(raw) if isinstance(raw, dict) and reader.style == "form" else set()
        items = [(k, v) for k, v in items if not (reader.reads(k) or k in spread)]
        items.append((name, json.dumps(value)))
    if errors:
        raise RequestValidationError(errors)
    return FormData(items)


def _text(part: UploadFile) -> str:
    """A part sent as a file, read as text (in its ``charset``, else UTF-8)."""
    part.file.seek(0)
    data = part.file.read()
    part.file.seek(0)
    try:
        return data.decode(charset_of(part.content_type) or "utf-8")
    except (LookupError, UnicodeDecodeError):
        return data.decode("utf-8", errors="replace")  # its JSON is found invalid


def _required_when_sent(dependencies: Any) -> tuple[str, ...]:
    """The fields the route's :class:`RequiredWhenSent` dependency requires, if any."""
    for depends in dependencies or ():
        marker = getattr(depends, "dependency", None)
        if isinstance(marker, RequiredWhenSent):
            return marker.fields
    return ()


def _closed_form(dependencies: Any) -> ClosedForm | None:
    """The route's :class:`ClosedForm` dependency, if any."""
    for depends in dependencies or ():
        marker = getattr(depends, "dependency", None)
        if isinstance(marker, ClosedForm):
            return marker
    return None


def _serving_closed(extra: dict[str, Any] | None, body: FieldInfo) -> dict[str, Any]:
    """``openapi_extra`` that asks for ``additionalProperties: false`` in the form's
    schema (``src/core/openapi.py`` serves it in FastAPI's model of the form's fields)."""
    served = copy.deepcopy(extra or {})
    kind = getattr(body, "media_type", None) or FORM_TYPES[0]
    content = served.setdefault("requestBody", {}).setdefault("content", {})
    content.setdefault(kind, {})[CLOSED] = True
    return served


def _serving_required(
    extra: dict[str, Any] | None, body: FieldInfo, fields: tuple[str, ...]
) -> dict[str, Any]:
    """``openapi_extra`` that also serves ``required`` beside the body's schema (FastAPI's
    model of the form's fields, whose ``$ref`` it joins: OpenAPI 3.1 applies both)."""
    served = copy.deepcopy(extra or {})
    kind = getattr(body, "media_type", None) or FORM_TYPES[0]
    content = served.setdefault("requestBody", {}).setdefault("content", {})
    content.setdefault(kind, {}).setdefault("schema", {})["required"] = list(fields)
    return served


class _FormRequest(Request):
    """The same request, its form now ``form`` (Starlette keeps a parsed form there)."""

    def __init__(self, scope: Scope, receive: Receive, form: FormData) -> None:
        super().__init__(scope, receive)
        self._form = form


class _JsonRequest(Request):
    """The same request, labelled JSON, its body now ``body`` (JSON text)."""

    def __init__(self, scope: Scope, receive: Receive, body: bytes) -> None:
        self._json_body = body
        headers = [
            (name, value)
            for name, value in scope["headers"]
            if name not in (b"content-type", b"content-length")
        ]
        headers.append((b"content-type", b"application/json"))
        headers.append((b"content-length", str(len(self._json_body)).encode()))
        super().__init__({**scope, "headers": headers}, receive)

    async def body(self) -> bytes:
        return self._json_body


# --- Reading form fields and XML by the model they must become -----------------------------


def _from_form(form: FormData, body_type: Any) -> dict[str, Any]:
    """Form fields by the names of the body's fields (a model's; those of each model of
    a union; any name for a map, of its values' type); repeated fields fill list fields;
    fields holding objects are read as JSON (how OpenAPI encodes them in a form by
    default). A required list field the form leaves out is empty: a form has no other way
    to say an empty list. Other parts (a multipart body's files) are no field of the
    body."""
    data: dict[str, Any] = {}
    for key, (annotation, required) in _form_fields(form, body_type).items():
        values = [value for value in form.getlist(key) if isinstance(value, str)]
        kind = _optional_of(annotation)
        item = _item_of(kind)
        if not values:
            if required and item is not None and key not in form:
                data[key] = []
            continue
        if item is not None:
            data[key] = [_structured(value, item) for value in values]
        else:
            data[key] = _structured(values[-1], kind)
    return data


def _form_fields(form: FormData, body_type: Any) -> dict[str, tuple[Any, bool]]:
    """Field name → (type, whether required) of each field of the body a form may hold
    (required only where the body is one model: a union's member may not apply)."""
    kind = _optional_of(body_type)
    if typing.get_origin(kind) is dict or kind is dict:
        arguments = typing.get_args(kind)
        return dict.fromkeys(form.keys(), (arguments[1] if arguments else Any, False))
    members = (
        typing.get_args(kind)
        if typing.get_origin(kind) in (typing.Union, UnionType)
        else (kind,)
    )
    fields: dict[str, tuple[Any, bool]] = {}
    for member in members:
        model = _model(member)
        for name, field in _fields(model).items() if model is not None else ():
            required = len(members) == 1 and field.is_required()
            fields.setdefault(field.alias or name, (field.annotation, required))
    return fields


def _structured(value: str, kind: Any) -> Any:
    if (
        _model(kind) is None
        and typing.get_origin(kind) is not dict
        and kind is not dict
    ):
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value  # the validation error names the field


def _from_xml(body: bytes, model: type[BaseModel]) -> Any:
    try:
        # ElementTree never loads external entities; expat >= 2.4.1 caps entity expansion.
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as error:
        raise RequestValidationError(
            [
                {
                    "type": "xml_invalid",
                    "loc": ("body",),
                    "msg": "XML decode error",
                    "input": {},
                    "ctx": {"error": str(error)},
                }
            ]
        ) from error
    return _element(root, model)


def _element(element: ElementTree.Element, kind: Any) -> Any:
    """An element as the value ``kind`` wants: a model's fields are child elements (or
    attributes); a list is a wrapper of item elements, or the repeated element itself."""
    kind = _optional_of(kind)
    model = _model(kind)
    if model is None:
        if len(element):
            return {_local(child.tag): _element(child, Any) for child in element}
        return element.text or ""
    fields = {field.alias or name: field for name, field in _fields(model).items()}
    data: dict[str, Any] = {_local(key): value for key, value in element.attrib.items()}
    for child in element:
        key = _local(child.tag)
        if key not in fields:
            continue
        field_kind = _optional_of(fields[key].annotation)
        item = _item_of(field_kind)
        if item is None:
            data[key] = _element(child, field_kind)
        elif _is_wrapper(child, item):
            data.setdefault(key, []).extend(_element(part, item) for part in child)
        else:
            data.setdefault(key, []).append(_element(child, item))
    return data


def _is_wrapper(element: ElementTree.Element, item: Any) -> bool:
    """``<tags><tag>…</tag></tags>`` (a wrapper) rather than one ``<tags>`` item."""
    model = _model(_optional_of(item))
    if model is None:
        return len(element) > 0 or not (element.text or "").strip()
    names = {field.alias or name for name, field in _fields(model).items()}
    return len(element) > 0 and all(_local(part.tag) not in names for part in element)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


# --- Types ----------------------------------------------------------------------------------


def _optional_of(kind: Any) -> Any:
    """``X | None`` (or ``X | MISSING``, any sentinel) → ``X``."""
    if typing.get_origin(kind) in (typing.Union, UnionType):
        arguments = [
            argument
            for argument in typing.get_args(kind)
            if argument is not NoneType
            and (isinstance(argument, type) or typing.get_origin(argument) is not None)
        ]
        if len(arguments) == 1:
            return _optional_of(arguments[0])
    if typing.get_origin(kind) is typing.Annotated:
        return _optional_of(typing.get_args(kind)[0])
    return kind


def _item_of(kind: Any) -> Any | None:
    """The item type of a list (or set, or tuple of one type), else None."""
    if typing.get_origin(kind) in (list, set, frozenset, tuple):
        arguments = typing.get_args(kind)
        return arguments[0] if arguments else Any
    return None


def _fields(model: type[BaseModel]) -> dict[str, FieldInfo]:
    """The model's fields, their annotations resolved (forward references and all)."""
    if not model.__pydantic_complete__:
        model.model_rebuild()
    return model.model_fields


def _model(kind: Any) -> type[BaseModel] | None:
    kind = _optional_of(kind)
    return kind if isinstance(kind, type) and issubclass(kind, BaseModel) else None
