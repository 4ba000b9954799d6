"""What a create or a change sets on a row: the request body's fields that are columns,
less those that are not the client's to set (a key the path names or the database makes,
a time the database keeps) and the parents the path gives. A required foreign key to the
user table that neither the body nor the path gives is the caller's
(``UUID(principal.subject)``: "the caller becomes the owner").
"""

from __future__ import annotations

from generators import ir
from generators.emit.pytypes import base_type, ref_name
from generators.fill.code import Code, Unfit, fresh_name, listed
from generators.fill.contract import caller_key, find_table
from generators.fill.crud.context import Context
from generators.fill.crud.responses import shows_row
from generators.naming import snake
from generators.reading import loose_key, request_schema, resolved, schema_properties

_USER_TABLES = {"user", "account", "member"}


def body_fields(context: Context) -> tuple[list[str], list[str]]:
    """(body fields copied to columns, body fields left out) by their Python names."""
    table = context.table.table_name
    body = context.task.operation.request_body
    if "body" not in context.arguments or body is None:
        raise Unfit(f"a {context.action} of a `{table}` row, but the operation takes no body")
    schema = request_schema(context.task.operation)
    if schema is None:
        media = listed(media.media_type for media in body.content)
        raise Unfit(f"the request body is {media}, not JSON")
    columns = {loose_key(column.name): column for column in context.table.columns}
    copied, left = [], []
    properties = schema_properties(context.api, schema)
    for name in properties:
        column = columns.get(loose_key(name))
        if column is None or any(column is c for c, _ in context.parents) or _kept(context, column):
            left.append(snake(name))
        else:
            copied.append(snake(name))
    if not copied:
        lists = [
            name
            for name, value in properties.items()
            if base_type(resolved(context.api, value)) == "array"
            and _names_or_shows_row(context, resolved(context.api, value).get("items") or {})
        ]
        bulk = f": its {listed(lists)} is a list of rows, a bulk {context.action}" if lists else ""
        raise Unfit(
            f"no property of the request schema {_named(schema)} ({listed(properties)}) is "
            f"a column of `{table}`{bulk}"
        )
    return copied, left


def _kept(context: Context, column: ir.Column) -> bool:
    """Whether a body field naming ``column`` is not the client's to set: the primary key
    on a change (the path names the row), and on a create where the database makes it
    (``autoincrement()``, ``uuid()``); a time the database keeps (``now()``, ``onUpdate``);
    the key an upsert's path gives. A resource schema used both ways (``TagResource`` in
    and out) carries them."""
    if context.action == "upsert" and column is context.lookup_key:
        return True
    if column.primary_key:
        return context.action != "create" or made_by_database(column)
    return made_by_database(column)


def made_by_database(column: ir.Column) -> bool:
    """Whether the database makes the column's value, not the client, on an insert: a
    primary key ``autoincrement()`` or ``uuid()`` makes, a time ``now()`` or ``onUpdate``
    keeps."""
    made = column.default.kind if column.default is not None else None
    if column.primary_key:
        return made in {"autoincrement", "uuid"}
    return made == "now" or column.on_update is not None


def _names_or_shows_row(context: Context, schema: ir.JsonSchema) -> bool:
    """Whether a schema is named after the table (``Task``) or shows a row of it."""
    named = find_table(context.database, ref_name(schema) or "") is context.table
    return named or shows_row(context, schema)


def body_dump(
    context: Context, code: Code, copied: list[str], left: list[str], *options: str
) -> str:
    """The body's fields to set: ``body.model_dump(...)``, the fields that are no columns
    excluded, or, where the request schema admits properties it does not name (its model
    keeps them), only the columns included; where the contract makes the body optional, a
    ``fields`` variable holding them, none where none was sent."""
    arguments = [*options]
    if _admits_more(context):
        arguments.append("include={" + ", ".join(f'"{name}"' for name in sorted(copied)) + "}")
    elif left:
        arguments.append("exclude={" + ", ".join(f'"{name}"' for name in sorted(left)) + "}")
    dump = f"body.model_dump({', '.join(arguments)})"
    if "None" not in context.arguments.get("body", "").split(" | "):
        return dump
    fields = fresh_name("fields", context.arguments)
    code.add(
        "# The contract makes the body optional: none sent sets no field.",
        f"{fields} = {dump} if body is not None else {{}}",
    )
    return fields


def _named(schema: ir.JsonSchema) -> str:
    """```Name``` of a schema given by reference; "(inline)" of one written in place."""
    name = ref_name(schema)
    return f"`{name}`" if name else "(inline)"


def _admits_more(context: Context) -> bool:
    """Whether the request schema admits properties it does not name, which its model keeps
    (``additionalProperties`` other than false, ``patternProperties``)."""
    schema = resolved(context.api, request_schema(context.task.operation) or {})
    more = schema.get("additionalProperties")
    return (more is not None and more is not False) or "patternProperties" in schema


def column_names(context: Context, fields: list[str]) -> list[str]:
    columns = {snake(column.name): column.name for column in context.table.columns}
    return [columns[name] for name in fields if name in columns]


def needs_value(column: ir.Column) -> bool:
    """Whether an insert must name the column: required, not nullable, no default."""
    return column.required and not column.nullable and column.default is None


def caller_value(context: Context, column: ir.Column, code: Code) -> str:
    """A required foreign key to the user table: the authenticated caller's id."""
    target = column.references
    if target is None:
        why = "and it is no foreign key to the users table (the caller's id would fill that)"
    elif loose_key(target.model) not in _USER_TABLES:
        why = f"and its foreign key is to `{context.database.table(target.model).table_name}`"
        why += ", not to the users table"
    elif "principal" not in context.arguments:
        why = "and the operation has no authenticated caller whose id would fill it"
    else:
        return caller_key(context.database.table(target.model).column(target.field), code)
    table = context.table.table_name
    raise Unfit(
        f"nothing gives the required column `{column.name}` of `{table}` a value: it is "
        f"neither in the request body nor in the path, {why}",
        f"add `{column.name}` to the request schema, or give the column a default (or make it "
        "nullable)",
    )
