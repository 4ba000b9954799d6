"""Reading a loaded contract, one place for every generator and filler: a schema behind its
``$ref``s, an object schema's properties and required names (``allOf`` parts included), an
operation's JSON request and success schemas, and the loose form of a name used to match
contract names with each other (``refresh_token``, ``refreshToken`` and ``RefreshToken`` alike).
"""

from __future__ import annotations

from generators import ir, media_types
from generators.emit.pytypes import ref_name


def loose_key(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


def json_schema(content: tuple[ir.MediaContent, ...]) -> ir.JsonSchema | None:
    for media in content:
        if media_types.is_json(media.media_type):
            return media.schema
    return None


def request_schema(operation: ir.Operation) -> ir.JsonSchema | None:
    body = operation.request_body
    return json_schema(body.content) if body is not None else None


def success_schema(operation: ir.Operation) -> ir.JsonSchema | None:
    success = operation.success
    return json_schema(success.content) if success is not None else None


def resolved(api: ir.Api, schema: ir.JsonSchema) -> ir.JsonSchema:
    seen: set[str] = set()
    while (name := ref_name(schema)) is not None and name not in seen:
        seen.add(name)
        schema = api.schemas.get(name, {})
    return schema


def schema_properties(api: ir.Api, schema: ir.JsonSchema) -> dict[str, ir.JsonSchema]:
    """The properties of an object schema, ``allOf`` parts included."""
    schema = resolved(api, schema)
    found: dict[str, ir.JsonSchema] = {}
    for part in schema.get("allOf") or ():
        found.update(schema_properties(api, part))
    found.update(schema.get("properties") or {})
    return found


def schema_required(api: ir.Api, schema: ir.JsonSchema) -> set[str]:
    schema = resolved(api, schema)
    required = set(schema.get("required") or ())
    for part in schema.get("allOf") or ():
        required |= schema_required(api, part)
    return required
