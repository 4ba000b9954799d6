"""The served OpenAPI document: what the routes declare, and nothing they do not do.

FastAPI adds a 422 "Validation Error" response to every operation that takes input. This
app answers bad input with the status the operation documents (``src/core/errors.py``), so
the 422 is advertised only where a route declares it.
"""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")


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
    declared = {
        (route.path_format, method.lower())
        for route in app.routes
        if isinstance(route, APIRoute)
        and any(str(status) == "422" for status in route.responses)
        for method in route.methods or ()
    }
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            if (path, method) not in declared:
                operation.get("responses", {}).pop("422", None)
    schemas = document.get("components", {}).get("schemas", {})
    used = _references(document.get("paths", {}))
    if "#/components/schemas/HTTPValidationError" not in used:
        for name in _VALIDATION_SCHEMAS:
            if _is_fastapis(schemas.get(name, {})):
                schemas.pop(name)
    app.openapi_schema = document
    return document


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
