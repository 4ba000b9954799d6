"""What a body needs of the contracts beyond reading them (``generators.reading``): tables by
name, columns by name, the caller's key as a column's value and the schema classes a body
imports."""

from __future__ import annotations

from generators import ir
from generators.emit.pytypes import SCHEMAS_MODULE, class_name, reference_to
from generators.fill.code import Code
from generators.reading import loose_key


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


def schema_reference(api: ir.Api, name: str, code: Code) -> str:
    """The name a body uses for the class of ``api``'s component schema ``name``, which it
    imports itself."""
    cls = class_name(api, name)
    reference = reference_to(cls)
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
