"""The served OpenAPI document: what the routes declare, and nothing they do not do.

FastAPI adds a 422 "Validation Error" response (``HTTPValidationError``) to every operation
that takes input and declares no 422 of its own. This app answers bad input with the status
the operation documents (``src/core/errors.py``), so that added 422 is taken out again; a
422 the contract documents stays.
"""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")
_HTTP_VALIDATION_ERROR = "#/components/schemas/HTTPValidationError"


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
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.get("responses", {})
            if _HTTP_VALIDATION_ERROR in _references(responses.get("422", {})):
                del responses[
                    "422"
                ]  # FastAPI's, not the route's: the app never sends it
    schemas = document.get("components", {}).get("schemas", {})
    used = _references(document.get("paths", {}))
    if _HTTP_VALIDATION_ERROR not in used:
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
