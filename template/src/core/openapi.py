"""The served OpenAPI document: what the routes declare, and nothing they do not do.

FastAPI adds a 422 "Validation Error" response (``HTTPValidationError``) to every operation
that takes input and declares no 422 of its own. This app answers bad input with the status
the operation documents (``src/core/errors.py``), so that added 422 is taken out again; a
422 the contract documents stays.

FastAPI also renders the document with ``exclude_none``, which drops every ``null`` value:
a property whose contract says ``default: null`` (the model's ``= None``) would be served
without its default. The component schemas are rendered again from the same models and
those ``null`` defaults and consts put back where they belong.

A success the contract documents as a range (``2XX``) is answered with 200, the route's
``status_code``; the route says so with ``openapi_extra={"x-documented-as": "2XX"}``,
and its response is served under the documented key.
"""

from typing import Any

from fastapi import FastAPI
from fastapi._compat import (  # FastAPI's own steps of get_openapi (see _definitions)
    get_definitions,
    get_flat_models_from_fields,
    get_model_name_map,
)
from fastapi.openapi.utils import get_fields_from_routes, get_openapi

_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")
_HTTP_VALIDATION_ERROR = "#/components/schemas/HTTPValidationError"
_DOCUMENTED_AS = "x-documented-as"


def served_openapi(app: FastAPI) -> dict[str, Any]:
    """``app.openapi()`` without the 422 responses no route declares (cached like FastAPI's)."""
    if app.openapi_schema is not None:
        return app.openapi_schema
    document = get_openapi(
        title=app.title,
        version=app.version,
        openapi_version=app.openapi_version,
        description=app.description,
        routes=app.routes,
        webhooks=app.webhooks.routes,
        servers=app.servers,
    )
    for operation in _operations(document):
        responses = operation.get("responses", {})
        documented = operation.pop(_DOCUMENTED_AS, None)
        if documented is not None:  # answered with 200, documented as 2XX
            answered = responses.pop("200", {})
            responses[documented] = {**answered, **responses.get(documented, {})}
        # FastAPI's 422, not the route's: the app never sends it
        if _HTTP_VALIDATION_ERROR in _references(responses.get("422", {})):
            del responses["422"]
    schemas = document.get("components", {}).get("schemas", {})
    _restore_nulls(_definitions(app), schemas)
    used = _references([document.get("paths", {}), document.get("webhooks", {})])
    if _HTTP_VALIDATION_ERROR not in used:
        for name in _VALIDATION_SCHEMAS:
            if _is_fastapis(schemas.get(name, {})):
                schemas.pop(name)
    app.openapi_schema = document
    return document


def _operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every operation of the document: of its paths, its webhooks and their callbacks."""
    found = []
    items = [
        *document.get("paths", {}).values(),
        *document.get("webhooks", {}).values(),
    ]
    while items:
        for operation in items.pop().values():
            if isinstance(operation, dict) and "responses" in operation:
                found.append(operation)
                for callback in operation.get("callbacks", {}).values():
                    items.extend(callback.values())
    return found


def _definitions(app: FastAPI) -> dict[str, Any]:
    """The component schemas as ``get_openapi`` renders them, before ``exclude_none``."""
    fields = get_fields_from_routes([*app.routes, *app.webhooks.routes])
    _, definitions = get_definitions(
        fields=fields,
        model_name_map=get_model_name_map(
            get_flat_models_from_fields(fields, known_models=set())
        ),
        separate_input_output_schemas=app.separate_input_output_schemas,
    )
    return definitions


def _restore_nulls(rendered: Any, served: Any) -> None:
    """Put back in ``served`` the ``default``/``const`` nulls ``rendered`` has."""
    if isinstance(rendered, dict) and isinstance(served, dict):
        for key, value in rendered.items():
            if value is None and key in ("default", "const") and key not in served:
                served[key] = None
            elif key in served:
                _restore_nulls(value, served[key])
    elif isinstance(rendered, list) and isinstance(served, list):
        for item, served_item in zip(rendered, served, strict=False):
            _restore_nulls(item, served_item)


def _is_fastapis(schema: dict[str, Any]) -> bool:
    """FastAPI's own validation-error schemas, not a contract schema of the same name."""
    required = set(schema.get("required", ()))
    return required >= {"loc", "msg", "type"} or schema.get("properties", {}).get(
        "detail", {}
    ).get("items", {}).get("$ref", "").endswith("/ValidationError")


def _references(node: Any) -> set[str]:
    """Every ``$ref`` value under ``node``."""
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        for value in node.values():
            found |= _references(value)
        return found
    if isinstance(node, list):
        return set().union(*(_references(item) for item in node))
    return set()
