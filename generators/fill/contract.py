"""Reading the contracts for a body: tables by name, an operation's JSON schemas, their
properties (``allOf`` parts included) and the schema classes a body imports."""

from __future__ import annotations

from generators import ir, media_types
from generators.emit.pytypes import SCHEMAS_MODULE, class_name, model_reference, ref_name
from generators.fill.code import Code


def loose_key(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


def find_table(database: ir.Database, name: str) -> ir.Table | None:
    """The table a name stands for: its model, its table name, or their plural/singular."""
    wanted = {loose_key(name), loose_key(singular(name))}
    for table in database.tables:
        if loose_key(table.model) in wanted or loose_key(table.table_name) in wanted:
            return table
    return None


def singular(name: str) -> str:
    if name.endswith("ies"):
        return name[:-3] + "y"
    if name.endswith(("sses", "xes", "ches", "shes")):
        return name[:-2]
    return name[:-1] if name.endswith("s") and not name.endswith("ss") else name


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


def schema_reference(name: str, code: Code) -> str:
    """The name a body uses for a schema class it imports itself."""
    cls, reference = class_name(name), model_reference(name)
    code.need(SCHEMAS_MODULE, cls if cls == reference else f"{cls} as {reference}")
    return reference


def column_named(table: ir.Table, name: str) -> ir.Column | None:
    return next((c for c in table.columns if loose_key(c.name) == loose_key(name)), None)


def caller_key(column: ir.Column, code: Code) -> str:
    """The authenticated caller's id (``principal.subject``) as a value of ``column``, the
    user table's key."""
    if column.format == "uuid":
        code.need("uuid", "UUID")
        return "UUID(principal.subject)"
    if column.type == "integer":
        return "int(principal.subject)"
    return "principal.subject"
