"""Errors, served in the shape and media type the contract documents for the operation
and status.

Every error leaves through one function, :func:`error_response`. It looks up what the route
documents for the status (else its range, ``4XX``, else ``default``): a FastAPI ``model``,
or the media types the generated routers write out (``src/core/responses.py``), such as
``application/problem+json``, ``application/problem+xml`` or ``text/plain``, each with its
schema and the model behind it. Where several media types are documented, the one the
request's ``Accept`` prefers is answered (the first documented by default). The body is
filled from the error's message, code and details by the names such schemas use
(``message``/``detail``, ``code``, ``status``, ``details``/``errors``, nested objects
such as ``{"error": {...}}``, a problem's ``type``, ``title``, ``status`` and ``detail``,
a string ``requestId``, ``traceId`` or ``correlationId``: the request's ``X-Request-ID``),
a detail entry taking the fields of the validation error it reports by their own names
first (FastAPI's ``loc``, ``msg``, ``type``, ``input``, ``ctx``: a contract that documents
FastAPI's ``HTTPValidationError`` gets exactly that); then it is validated against the
model where there is one. JSON media types carry it as JSON; XML ones as the XML of the
documented schema, by its ``xml`` objects, as a success in XML is rendered
(``src/core/representations.py``), an ``application/problem+xml`` whose schema names no
root element as RFC 9457's ``<problem xmlns="urn:ietf:rfc:7807">``; other media types
(``text/plain``) as the text of the message. Where the contract documents no body for the
status, the body is FastAPI's usual ``{"detail": ...}``.

Validation errors answer with the status the operation documents for bad input (400, else
422) instead of FastAPI's fixed 422, and so does a value the database refuses (SQLAlchemy's
``DataError``: a NUL character in PostgreSQL's text, a number out of a column's range);
``src/core/openapi.py`` stops advertising the 422 that FastAPI would otherwise add to
every operation the contract gives none.
"""

import functools
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException
from starlette.routing import Match

from src.core.observability import current_request_id, log_unhandled
from src.core.representations import preferred, to_xml
from src.core.responses import REF, Named

logger = logging.getLogger(__name__)

_MESSAGE = {
    "message",
    "detail",
    "msg",
    "title",
    "description",
    "reason",
    "errormessage",
}
_MESSAGE |= {"errordescription"}
_CODE = {"code", "errorcode", "type", "error", "kind"}
_STATUS = {"status", "statuscode", "httpstatus", "httpcode"}
_DETAILS = {"details", "errors", "fielderrors", "violations", "issues", "problems"}
_FIELD = {"field", "loc", "location", "path", "pointer", "param", "parameter", "name"}
_REQUEST_ID = {"requestid", "traceid", "correlationid"}


class ServiceNotImplementedError(Exception):
    """Raised by a generated service function whose body has not been written yet."""

    def __init__(self, operation_id: str) -> None:
        self.operation_id = operation_id
        super().__init__(
            f"Service '{operation_id}' is not implemented: its body in src/services/ is "
            "still unfilled. Write it by hand, or run `nox -s fill` to generate it."
        )


class ApiError(HTTPException):
    """An error a service raises on purpose: ``raise ApiError(409, "Email taken")``.

    ``code`` (default: the status's name, e.g. ``CONFLICT``) and ``details`` fill the
    fields of the documented error model that are called so.
    """

    def __init__(
        self,
        status_code: int,
        message: str,
        *,
        code: str | None = None,
        details: Sequence[Mapping[str, Any]] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(status_code, message, dict(headers) if headers else None)
        self.code = code
        self.details = list(details)


def validation_status(
    request: Request, errors: Sequence[Mapping[str, Any]] = ()
) -> int:
    """The status the operation documents for bad input.

    A malformed path parameter names no resource: 404 where the operation documents it.
    Otherwise 400, else 422 (documented or not: FastAPI's usual answer).
    """
    responses = _documented(request)
    in_path = bool(errors) and all(
        tuple(e.get("loc", ()))[:1] == ("path",) for e in errors
    )
    if in_path and "404" in responses:
        return 404
    if "400" in responses or ("4XX" in responses and "422" not in responses):
        return 400
    return 422


def _unstorable(request: Request) -> Response:
    """The answer to a value the database cannot take. An integer in the path past 64
    bits is a key no row can hold: 404, as for any key naming nothing."""
    if any(_past_64_bits(value) for value in request.path_params.values()):
        return error_response(request, 404, "Not found.", code="NOT_FOUND")
    return error_response(
        request,
        validation_status(request),
        "The request holds a value the database cannot take.",
        code="VALIDATION_ERROR",
    )


def _past_64_bits(value: object) -> bool:
    try:
        return not -(2**63) <= int(str(value)) < 2**63
    except ValueError:
        return False


def error_response(
    request: Request,
    status_code: int,
    message: str,
    *,
    code: str | None = None,
    details: Sequence[Mapping[str, Any]] = (),
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The error as the contract documents it for this operation and status: in the
    documented media type (the one ``Accept`` prefers, where several are), with a body
    of the documented schema."""
    error = _Error(
        status_code,
        message,
        code or _status_name(status_code),
        details,
        current_request_id(),
    )
    documented = _representations(request, status_code)
    if not documented:
        return JSONResponse(
            {"detail": message}, status_code, dict(headers or {}) or None
        )
    offered = [media_type for media_type, _, _ in documented]
    chosen = preferred(request.headers.get("accept"), offered)
    _, schema, model = documented[offered.index(chosen)]
    components = _components(request)
    content: Any = {"detail": message}  # any JSON: FastAPI's usual body
    if _resolved(schema, components):
        problem = "/problem+" in chosen.lower()
        content = _value(schema, components, error, required=True, problem=problem)
    if model is not None:
        try:
            content = model.model_validate(content).model_dump(
                mode="json", by_alias=True, exclude_none=True
            )
        except ValidationError:
            logger.warning("cannot fill %s for a %s error", model.__name__, status_code)
            content = {"detail": message}
    return _rendered(content, chosen, schema, components, status_code, headers)


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at the request's path (one route per operation)."""
    return [
        method
        for method in (
            "GET",
            "HEAD",
            "POST",
            "PUT",
            "PATCH",
            "DELETE",
            "OPTIONS",
            "TRACE",
        )
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL
            for route in request.app.router.routes
        )
    ]


def install_error_handlers(app: FastAPI) -> None:
    """Route every error through :func:`error_response`."""

    @app.exception_handler(RequestValidationError)
    async def invalid_request(
        request: Request, exc: RequestValidationError
    ) -> Response:
        details = [
            {
                **error,  # FastAPI's own: loc, msg, type, input, ctx
                "field": ".".join(str(part) for part in error.get("loc", ())),
                "message": str(error.get("msg", "")),
                "code": str(error.get("type", "")),
            }
            for error in jsonable_encoder(exc.errors())
        ]
        status_code = validation_status(request, exc.errors())
        if status_code == 404:
            return error_response(
                request, 404, "No resource has this id.", details=details
            )
        return error_response(
            request,
            status_code,
            "The request is not valid.",
            code="VALIDATION_ERROR",
            details=details,
        )

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        code = exc.code if isinstance(exc, ApiError) else None
        details = exc.details if isinstance(exc, ApiError) else ()
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # the router names one route's methods: name all
            headers["Allow"] = ", ".join(allowed_methods(request))
        return error_response(
            request,
            exc.status_code,
            str(exc.detail),
            code=code,
            details=details,
            headers=headers or None,
        )

    @app.exception_handler(DataError)
    async def unstorable_value(request: Request, exc: DataError) -> Response:
        # The database refused a value the request brought: one it cannot hold
        # (PostgreSQL's text has no NUL character) or a number past a column's range.
        # Bad input, not a server fault; the database's words go to the log only.
        logger.warning(
            "the database refused a value of %s %s: %s",
            request.method,
            request.url.path,
            str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__,
        )
        return _unstorable(request)

    @app.exception_handler(OverflowError)
    async def unstorable_number(request: Request, exc: OverflowError) -> Response:
        # SQLite's driver refuses an integer past 64 bits before the database sees it
        # ("Python int too large to convert to SQLite INTEGER"): the same bad input.
        logger.warning(
            "the database driver refused a number of %s %s: %s",
            request.method,
            request.url.path,
            exc,
        )
        return _unstorable(request)

    @app.exception_handler(ServiceNotImplementedError)
    async def service_not_implemented(
        request: Request, exc: ServiceNotImplementedError
    ) -> Response:
        return error_response(request, 501, str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        # The traceback goes to the log, once (src/core/observability.py); the client
        # learns nothing about the internals.
        log_unhandled(request, exc)
        return error_response(request, 500, "Internal server error.")


# --- the documented shapes -----------------------------------------------------------------


@dataclass(frozen=True)
class _Error:
    status: int
    message: str
    code: str
    details: Sequence[Mapping[str, Any]]
    request_id: str | None = None


_Representation = tuple[str, Mapping[str, Any], type[BaseModel] | None]
"""A documented media type, its schema and the model whose component that schema is."""


def _route(request: Request) -> Any:
    return request.scope.get("route")


def _documented(request: Request) -> dict[str, Any]:
    responses = getattr(_route(request), "responses", None) or {}
    return {str(status).upper(): entry for status, entry in responses.items()}


def _representations(request: Request, status_code: int) -> list[_Representation]:
    """What the route documents for ``status_code`` (else its range, else ``default``):
    a FastAPI ``model`` (JSON), and each media type written out (``responses.py``)."""
    route = _route(request)
    models = getattr(route, "documented_models", None) or {}
    responses = getattr(route, "responses", None) or {}
    for wanted in (str(status_code), f"{str(status_code)[0]}XX", "DEFAULT"):
        for status, entry in responses.items():
            if str(status).upper() != wanted or not isinstance(entry, Mapping):
                continue
            found: list[_Representation] = []
            model = entry.get("model")
            if isinstance(model, type) and issubclass(model, BaseModel):
                found.append(
                    ("application/json", {"$ref": REF + model.__name__}, model)
                )
            for media_type, media in (entry.get("content") or {}).items():
                if found and media_type == "application/json":
                    continue  # FastAPI documents the model there
                schema = (media or {}).get("schema") or {}
                found.append(
                    (media_type, schema, models.get((str(status), media_type)))
                )
            if found:
                return found
    return []


def _components(request: Request) -> dict[str, Any]:
    """The component schemas of the route's models (and of the models they refer to)."""
    route = _route(request)
    models = [
        *(getattr(route, "named_models", None) or ()),
        *(
            entry["model"]
            for entry in (getattr(route, "responses", None) or {}).values()
            if isinstance(entry, Mapping)
            and isinstance(entry.get("model"), type)
            and issubclass(entry["model"], BaseModel)
        ),
    ]
    components: dict[str, Any] = {}
    for model in dict.fromkeys(models):
        components.update(_model_components(model))
    return components


@functools.cache
def _model_components(model: Named) -> dict[str, Any]:
    """The components of a model or an enum, its own and those it refers to."""
    schema = TypeAdapter(model).json_schema(
        by_alias=True, ref_template=REF + "{model}", mode="serialization"
    )
    definitions = schema.pop("$defs", {})
    return {**definitions, model.__name__: schema}


def _resolved(
    schema: Any, components: Mapping[str, Any], depth: int = 0
) -> Mapping[str, Any]:
    """The schema behind ``$ref``s, ``allOf`` merged, a nullable union's non-null member."""
    if not isinstance(schema, Mapping) or depth > 32:
        return {}
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(REF):
        target = components.get(ref.removeprefix(REF)) or {}
        rest = {key: value for key, value in schema.items() if key != "$ref"}
        return _resolved({**target, **rest}, components, depth + 1)
    if isinstance(schema.get("allOf"), list):
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        for member in schema["allOf"]:
            part = _resolved(member, components, depth + 1)
            merged["properties"] = {
                **(merged.get("properties") or {}),
                **(part.get("properties") or {}),
            }
            merged["required"] = [
                *merged.get("required", ()),
                *part.get("required", ()),
            ]
            merged.update({k: v for k, v in part.items() if k not in merged})
        return merged
    for union in ("anyOf", "oneOf"):
        members = [
            member
            for member in schema.get(union) or ()
            if not (isinstance(member, Mapping) and member.get("type") == "null")
        ]
        if members:
            return _resolved(members[0], components, depth + 1)
    return schema


def _kind(schema: Mapping[str, Any]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind is None and "properties" in schema:
        return "object"
    return kind if isinstance(kind, str) else None


def _value(
    schema: Any,
    components: Mapping[str, Any],
    error: _Error,
    *,
    name: str = "",
    required: bool = False,
    siblings: frozenset[str] = frozenset(),
    problem: bool = False,
    depth: int = 0,
) -> Any:
    """A value of ``schema`` saying what ``error`` says, by what its fields are called
    (``None``: leave the optional field out). In a problem (RFC 9457: its media type, or
    an object with ``type``, ``title`` and ``status``) ``type`` is ``about:blank`` and
    ``title`` the status's phrase, as the RFC asks of a problem of no particular type."""
    schema = _resolved(schema, components)
    key, kind = _key(name), _kind(schema)
    problem = problem or siblings >= _PROBLEM
    if problem and key == "type" and kind in ("string", None):
        return "about:blank"
    if "const" in schema:
        return schema["const"]
    if isinstance(schema.get("enum"), list) and schema["enum"]:
        for candidate in (error.code, error.status, str(error.status)):
            if candidate in schema["enum"]:
                return candidate
        return schema["enum"][0] if required or key in _CODE | _STATUS else None
    if kind == "object" and depth < 8:
        properties = schema.get("properties") or {}
        needed = set(schema.get("required") or ())
        names = frozenset(_key(field) for field in properties)
        data = {}
        for field, field_schema in properties.items():
            value = _value(
                field_schema,
                components,
                error,
                name=field,
                required=field in needed,
                siblings=names,
                problem=problem and depth == 0,
                depth=depth + 1,
            )
            if value is not None and (value != {} or field in needed):
                data[field] = value
        return data
    if kind == "array":
        if not (error.details or required):
            return None
        items = schema.get("items") or {}
        return [_detail(items, components, detail) for detail in error.details]
    if kind == "boolean":
        return False if required else None
    if kind in ("integer", "number"):
        return error.status if required or key in _CODE | _STATUS else None
    if kind not in ("string", None):
        return None
    if schema.get("format") in ("uri", "uri-reference", "iri", "iri-reference"):
        return "about:blank" if required or key in _CODE else None  # RFC 9457's default
    if key in _REQUEST_ID and error.request_id:
        return error.request_id  # the X-Request-ID header's
    if key in _CODE:
        return error.code
    if key in _STATUS:
        return str(error.status)
    if key == "title" and (problem or siblings & (_MESSAGE - {"title"})):
        return _phrase(error.status)  # RFC 9457: the title of the problem type
    if key in _MESSAGE or required or not name:
        return error.message
    return None


def _detail(
    schema: Any, components: Mapping[str, Any], detail: Mapping[str, Any]
) -> Any:
    """One entry of a ``details`` list, as the documented item schema has it."""
    schema = _resolved(schema, components)
    kind = _kind(schema)
    if kind == "object":
        properties = schema.get("properties") or {}
        needed = set(schema.get("required") or ())
        item: dict[str, Any] = {}
        for name, field_schema in properties.items():
            key = _key(name)
            field_kind = _kind(_resolved(field_schema, components))
            if name in detail:
                item[name] = detail[name]
            elif key in _FIELD:
                loc = detail.get("loc")
                item[name] = (
                    loc if field_kind == "array" and loc else detail.get("field", "")
                )
            elif key in _CODE:
                item[name] = detail.get("code", "")
            elif key in _MESSAGE or (name in needed and field_kind in ("string", None)):
                item[name] = detail.get("message", "")
        return item
    if kind == "string":
        return f"{detail.get('field', '')}: {detail.get('message', '')}"
    return dict(detail)


def _rendered(
    content: Any,
    media_type: str,
    schema: Mapping[str, Any],
    components: Mapping[str, Any],
    status_code: int,
    headers: Mapping[str, str] | None,
) -> Response:
    """The body in ``media_type``: JSON; XML shaped by the schema's ``xml`` objects, as a
    success in XML is; else the text of the message."""
    headers = dict(headers or {}) or None
    kind = media_type.split(";")[0].strip().lower()
    if kind in ("application/json", "text/json", "*/*") or kind.endswith("+json"):
        return JSONResponse(content, status_code, headers, media_type=media_type)
    if kind in ("application/xml", "text/xml") or kind.endswith("+xml"):
        if kind == "application/problem+xml" and not _has_xml_name(schema, components):
            schema = {**schema, "xml": _PROBLEM_XML}
        body = to_xml(content, schema, components)
        return Response(body, status_code, headers, media_type=media_type)
    text = content if isinstance(content, str) else _text_of(content)
    return Response(text, status_code, headers, media_type=media_type)


_PROBLEM = frozenset({"type", "title", "status"})
"""The members of an RFC 9457 problem that tell one."""

_PROBLEM_XML = {"name": "problem", "namespace": "urn:ietf:rfc:7807"}
"""The root of an ``application/problem+xml`` document (RFC 9457, appendix B)."""


def _has_xml_name(schema: Mapping[str, Any], components: Mapping[str, Any]) -> bool:
    own = schema.get("xml") or _resolved(schema, components).get("xml") or {}
    return isinstance(own, Mapping) and bool(own.get("name"))


def _text_of(content: Any) -> str:
    if isinstance(content, Mapping):
        for value in content.values():
            if isinstance(value, str):
                return value
    return json.dumps(content)


def _status_name(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).name
    except ValueError:
        return f"HTTP_{status_code}"


def _phrase(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return f"HTTP {status_code}"


def _key(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()
