"""How a body answers with its row: the response schema's model validated from the row,
where the schema shows a row of the table (its required properties are columns, and so
are most of its properties), or an envelope holding one (``{success, data}``); nothing
for a success without content.
"""

from __future__ import annotations

import keyword

from generators import ir
from generators.emit.pytypes import base_type, ref_name
from generators.fill.code import Code, Unfit, listed
from generators.fill.contract import schema_reference
from generators.fill.crud.context import Context
from generators.naming import snake
from generators.reading import (
    loose_key,
    resolved,
    schema_properties,
    schema_required,
    success_schema,
)

SUCCESS_NAMES = {"success", "ok"}


def answer_of(context: Context, code: Code) -> str | None:
    """The expression answering with the row: ``ProjectResponse.model_validate(project)``,
    or an envelope around it (``{success, data}``); None for a success without content."""
    schema = success_schema(context.task.operation)
    success = context.task.operation.success
    if success is None:
        raise Unfit(
            "the operation documents no success (2xx) response",
            "document the success response and its schema",
        )
    if schema is None:
        if success.content:
            media = listed(media.media_type for media in success.content)
            raise Unfit(f"the success response `{success.status}` is {media}, not JSON")
        return None
    name = ref_name(schema)
    kind = base_type(resolved(context.api, schema))
    if name is None or kind not in {"object", None}:
        what = f"`{name}`, of type {kind}" if name else f"an inline {kind or 'schema'}"
        raise Unfit(
            f"the success response `{success.status}` is {what}, not a named object schema",
            "give the response's object schema a name in components/schemas",
        )
    if shows_row(context, schema):
        return validated(context, name, context.row, code)
    table = context.table.table_name
    required = schema_required(context.api, schema)
    fields, rows, unknown = [], [], []
    for prop, prop_schema in schema_properties(context.api, schema).items():
        shape = resolved(context.api, prop_schema)
        item = ref_name(prop_schema)
        if item is not None and shows_row(context, prop_schema):
            fields.append(f"{snake(prop)}={validated(context, item, context.row, code)}")
            rows.append(prop)
        elif loose_key(prop) in SUCCESS_NAMES and base_type(shape) == "boolean":
            fields.append(f"{snake(prop)}=True")
        elif prop in required:
            unknown.append(prop)
    if not rows:
        raise Unfit(
            f"the response schema `{name}` is not a row of `{table}` "
            f"({_not_columns(context, schema)}), nor an envelope holding one"
        )
    if unknown:
        raise Unfit(
            f"the response schema `{name}` holds a `{table}` row in {listed(rows)}, but also "
            f"requires {listed(unknown)}, neither a row nor a success flag"
        )
    if len(rows) > 1:
        raise Unfit(
            f"the response schema `{name}` holds a `{table}` row {len(rows)} times "
            f"({listed(rows)}): which one the operation's row is, is left open"
        )
    return f"{schema_reference(context.api, name, code)}({', '.join(fields)})"


def _not_columns(context: Context, schema: ir.JsonSchema) -> str:
    """Which of the properties a row would show are no columns: for a reason."""
    properties = set(schema_properties(context.api, schema))
    if not properties:
        return "it has no properties"
    columns = {loose_key(column.name) for column in context.table.columns}
    required = [name for name in schema_required(context.api, schema) if name in properties]
    missing = sorted(name for name in required if loose_key(name) not in columns)
    if missing:
        return f"{listed(missing)} {'is no column' if len(missing) == 1 else 'are no columns'}"
    stored = sum(loose_key(name) in columns for name in properties)
    return f"only {stored} of its {len(properties)} properties are columns"


def shows_row(context: Context, schema: ir.JsonSchema) -> bool:
    """Whether an object schema shows a row of the table: its required properties are
    columns, and so are most of its properties. An optional property that is no column (an
    ``errors`` list, a link) is left out of the answer, as its schema allows; a constant
    (``"object": "group"``) is answered as the schema fixes it."""
    if base_type(resolved(context.api, schema)) not in {"object", None}:
        return False
    fixed = constants(context, schema)
    properties = set(schema_properties(context.api, schema)) - set(fixed)
    columns = {loose_key(column.name) for column in context.table.columns}
    stored = {name for name in properties if loose_key(name) in columns}
    required = set(schema_required(context.api, schema)) - set(fixed)
    return len(stored) * 2 > len(properties) and required <= stored


def constants(context: Context, schema: ir.JsonSchema) -> dict[str, object]:
    """The properties a schema fixes to one value (``const``, or an enum of one) that no
    column holds, with their values: WorkOS's ``"object": "group"``."""
    columns = {loose_key(column.name) for column in context.table.columns}
    fixed: dict[str, object] = {}
    for prop, prop_schema in schema_properties(context.api, schema).items():
        shape = resolved(context.api, prop_schema)
        values = shape.get("enum")
        if loose_key(prop) in columns or not prop.isidentifier() or keyword.iskeyword(prop):
            continue
        if "const" in shape:
            fixed[prop] = shape["const"]
        elif isinstance(values, list) and len(values) == 1:
            fixed[prop] = values[0]
    return fixed


def validated(context: Context, name: str, row: str, code: Code) -> str:
    """``Model.model_validate(row)`` for the component schema ``name``, the constants it
    fixes given beside the row's columns (src/core/rows.py)."""
    model = schema_reference(context.api, name, code)
    fixed = constants(context, context.api.schemas.get(name, {}))
    if not fixed:
        return f"{model}.model_validate({row})"
    code.need("src.core.rows", "with_values")
    values = ", ".join(f"{snake(prop)}={value!r}" for prop, value in fixed.items())
    return f"{model}.model_validate(with_values({row}, {values}))"


def returned(context: Context, code: Code) -> None:
    code.add(f"return {answer_of(context, code) or 'None'}")
