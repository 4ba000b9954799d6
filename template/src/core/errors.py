"""Errors, served in the shape the contract documents for the operation and status.

Every error leaves through one function, :func:`error_response`. It looks up the model the
route documents for the status (``responses=`` of the generated routers: the contract's
``ErrorResponse`` and friends), fills it from the error's message, code and details by the
field names such models use (``message``/``detail``, ``code``, ``status``,
``details``/``errors``, nested objects such as ``{"error": {...}}``), and validates the result
against the model. Where the contract documents no body for the status, the body is FastAPI's
usual ``{"detail": ...}``.

Validation errors answer with the status the operation documents for bad input (400, else
422) instead of FastAPI's fixed 422; ``src/core/openapi.py`` stops advertising the 422 that
FastAPI would otherwise add to every operation the contract gives none.
"""

import logging
import types
import typing
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException
from starlette.routing import Match

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


def error_response(
    request: Request,
    status_code: int,
    message: str,
    *,
    code: str | None = None,
    details: Sequence[Mapping[str, Any]] = (),
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """The error as the contract documents it for this operation and status."""
    code = code or _status_name(status_code)
    model = _documented_model(request, status_code)
    content: Any = {"detail": message}
    if model is not None:
        data = _fill(model, status_code, message, code, details)
        try:
            content = model.model_validate(data).model_dump(
                mode="json", by_alias=True, exclude_none=True
            )
        except ValidationError:
            logger.warning("cannot fill %s for a %s error", model.__name__, status_code)
    return JSONResponse(content, status_code=status_code, headers=headers)


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
    ) -> JSONResponse:
        details = [
            {
                "field": ".".join(str(part) for part in error.get("loc", ())),
                "message": str(error.get("msg", "")),
                "code": str(error.get("type", "")),
            }
            for error in exc.errors()
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
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
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

    @app.exception_handler(ServiceNotImplementedError)
    async def service_not_implemented(
        request: Request, exc: ServiceNotImplementedError
    ) -> JSONResponse:
        return error_response(request, 501, str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        # The traceback goes to the log; the client learns nothing about the internals.
        logger.exception("unhandled error in %s %s", request.method, request.url.path)
        return error_response(request, 500, "Internal server error.")


# --- the documented shapes -----------------------------------------------------------------


def _documented(request: Request) -> dict[str, Any]:
    responses = getattr(request.scope.get("route"), "responses", None) or {}
    return {str(status): entry for status, entry in responses.items()}


def _documented_model(request: Request, status_code: int) -> type[BaseModel] | None:
    responses = _documented(request)
    for key in (str(status_code), f"{str(status_code)[0]}XX", "default"):
        model = (responses.get(key) or {}).get("model")
        if isinstance(model, type) and issubclass(model, BaseModel):
            return model
    return None


def _status_name(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).name
    except ValueError:
        return f"HTTP_{status_code}"


def _key(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


def _fill(
    model: type[BaseModel],
    status_code: int,
    message: str,
    code: str,
    details: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """Data for ``model`` taken from the error, by what its fields are called."""
    model.model_rebuild()  # resolve annotations still written as strings
    data: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        key = _key(field.alias or name)
        kind = _base(field.annotation)
        value: Any = None
        if _origin(kind) is typing.Literal:
            value = typing.get_args(kind)[0]  # e.g. ``success: false``
        elif kind is bool and field.is_required():
            value = False
        elif isinstance(kind, type) and issubclass(kind, BaseModel):
            value = _fill(kind, status_code, message, code, details)
        elif _origin(kind) in (list, Sequence) and (details or field.is_required()):
            value = [_detail(_item(kind), detail) for detail in details]
        elif kind is int and (key in _STATUS or key in _CODE):
            value = status_code
        elif key in _CODE:
            value = code
        elif key in _STATUS:
            value = status_code if kind is not str else str(status_code)
        elif key in _MESSAGE or (field.is_required() and kind is str):
            value = message
        if value is not None:
            data[field.alias or name] = value
    return data


def _detail(kind: Any, detail: Mapping[str, Any]) -> Any:
    """One entry of a ``details`` list, as the documented item type has it."""
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        kind.model_rebuild()
        item: dict[str, Any] = {}
        for name, field in kind.model_fields.items():
            key = _key(field.alias or name)
            if key in _FIELD:
                item[field.alias or name] = detail.get("field", "")
            elif key in _CODE:
                item[field.alias or name] = detail.get("code", "")
            elif key in _MESSAGE or (
                field.is_required() and _base(field.annotation) is str
            ):
                item[field.alias or name] = detail.get("message", "")
        return item
    if kind is str:
        return f"{detail.get('field', '')}: {detail.get('message', '')}"
    return dict(detail)


def _base(annotation: Any) -> Any:
    """``X | None`` → ``X``."""
    if _origin(annotation) in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        return members[0] if len(members) == 1 else annotation
    return annotation


def _origin(annotation: Any) -> Any:
    return typing.get_origin(annotation)


def _item(annotation: Any) -> Any:
    arguments = typing.get_args(annotation)
    return _base(arguments[0]) if arguments else Any
