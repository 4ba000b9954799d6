"""Contract column → SQLAlchemy type, server default and index name, as source text.

One mapping (the table in the contract's documentation) shared by the models and the
migrations, so that what ``alembic check`` compares was written by the same function on both
sides. Enums are the exception each caller spells itself: models name the Python enum class,
migrations list the values they had at that revision.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from generators import ir
from generators.emit.imports import Imports


@dataclass(frozen=True)
class SqlType:
    python: str
    """The Python type of the mapped attribute."""
    code: str
    """The SQLAlchemy type expression, with its names imported from ``sqlalchemy``."""


def sql_type(column: ir.Column, imports: Imports) -> SqlType:
    """The type of a non-enum column, per the contract's type table."""
    if column.type == "string":
        if column.format == "uuid":
            imports.add("uuid")
            imports.add("sqlalchemy", "Uuid")
            return SqlType("uuid.UUID", "Uuid")
        if column.format == "date-time":
            imports.add("datetime", "datetime")
            imports.add("sqlalchemy", "DateTime")
            return SqlType("datetime", "DateTime(timezone=True)")
        if column.format == "date":
            imports.add("datetime", "date")
            imports.add("sqlalchemy", "Date")
            return SqlType("date", "Date")
        imports.add("sqlalchemy", "String")
        return SqlType("str", f"String({column.max_length})" if column.max_length else "String")
    if column.type == "integer":
        name = "BigInteger" if column.format == "int64" else "Integer"
        imports.add("sqlalchemy", name)
        return SqlType("int", name)
    if column.type == "number":
        if column.format == "decimal":
            imports.add("decimal", "Decimal")
            imports.add("sqlalchemy", "Numeric")
            digits = f"{column.precision}, {column.scale or 0}" if column.precision else ""
            return SqlType("Decimal", f"Numeric({digits})")
        imports.add("sqlalchemy", "Float")
        return SqlType("float", "Float")
    if column.type == "boolean":
        imports.add("sqlalchemy", "Boolean")
        return SqlType("bool", "Boolean")
    imports.add("typing", "Any")
    imports.add("sqlalchemy", "JSON")
    imports.add("sqlalchemy.dialects.postgresql", "JSONB")
    python = "dict[str, Any]" if column.type == "object" else "list[Any]"
    return SqlType(python, 'JSON().with_variant(JSONB(), "postgresql")')


def server_default(column: ir.Column, imports: Imports) -> str | None:
    """The column's default as the database keeps it (``server_default=``), or None.

    A contract default is a database default: rows written by other programs, and rows that
    exist when a migration adds the column, get it too. ``uuid()`` stays client-side (no
    portable SQL generates a UUID).
    """
    default = column.default
    if default is None or default.kind in {"uuid", "autoincrement"}:
        return None
    if default.kind == "now":
        imports.add("sqlalchemy", "func")
        return "func.now()"
    value = default.value
    if value is None:
        return None
    if isinstance(value, bool):
        name = "true" if value else "false"
        imports.add("sqlalchemy", name)
        return f"{name}()"
    if isinstance(value, int | float):
        imports.add("sqlalchemy", "text")
        return f'text("{value}")'
    if isinstance(value, str):
        return json.dumps(value)
    return json.dumps(json.dumps(value, separators=(",", ":")))  # JSON: stored as its text


def index_name(table: ir.Table, index: ir.Index) -> str:
    """An index's name: the contract's, or ``ix_``/``uq_`` + table + columns."""
    if index.name:
        return index.name
    columns = "_".join(table.column(name).column_name for name in index.columns)
    return f"{'uq' if index.unique else 'ix'}_{table.table_name}_{columns}"


def has_unique_constraint(table: ir.Table, column: ir.Column) -> bool:
    """``unique: true`` makes a constraint, unless the key or a one-column unique index says it."""
    said = any(index.unique and index.columns == (column.name,) for index in table.indexes)
    return column.unique and not column.primary_key and not said


__all__ = ["SqlType", "has_unique_constraint", "index_name", "server_default", "sql_type"]
