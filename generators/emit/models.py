"""SQLAlchemy 2 typed declarative models: ``src/models/`` (owned by the generator)."""

from __future__ import annotations

from dataclasses import dataclass

from generators import ir
from generators.emit.imports import Imports
from generators.emit.render import header, render
from generators.naming import constant, snake

SOURCE = "specs/database-schema.json"


@dataclass(frozen=True)
class ColumnLine:
    attribute: str
    annotation: str
    arguments: str


@dataclass(frozen=True)
class EnumView:
    name: str
    description: str | None
    members: tuple[tuple[str, str], ...]


def emit_models(database: ir.Database | None) -> dict[str, str]:
    database = database or ir.Database(SOURCE, None, None, (), ())
    files = {
        "src/models/base.py": render("models_base.py.jinja", header=header(SOURCE)),
        "src/models/__init__.py": _package(database),
    }
    if database.enums:
        files["src/models/enums.py"] = render(
            "models_enums.py.jinja",
            header=header(SOURCE),
            enums=[_enum(enum) for enum in database.enums],
        )
    for table in database.tables:
        files[f"src/models/{snake(table.model)}.py"] = _table(table, database)
    return files


def _package(database: ir.Database) -> str:
    imports = Imports()
    imports.add("src.models.base", "Base")
    for table in database.tables:
        imports.add(f"src.models.{snake(table.model)}", table.model)
    names = sorted(["Base", *(table.model for table in database.tables)])
    return render(
        "models_init.py.jinja", header=header(SOURCE), imports=imports.render(), names=names
    )


def _enum(enum: ir.EnumType) -> EnumView:
    members = tuple((constant(value) or "EMPTY", value) for value in enum.values)
    return EnumView(enum.name, enum.description, members)


def _table(table: ir.Table, database: ir.Database) -> str:
    imports = Imports()
    imports.add("src.models.base", "Base")
    imports.add("sqlalchemy.orm", "Mapped", "mapped_column")
    columns = [_column(table, column, database, imports) for column in table.columns]
    relations = [_relation(table, relation, database, imports) for relation in table.relations]
    table_args = [_index(table, index, imports) for index in table.indexes]
    related = sorted({relation.model for relation in table.relations} - {table.model})
    if related:
        imports.add("typing", "TYPE_CHECKING")
    return render(
        "models_table.py.jinja",
        header=header(SOURCE),
        imports=imports.render(),
        type_checking=[f"from src.models.{snake(model)} import {model}" for model in related],
        table=table,
        columns=columns,
        relations=relations,
        table_args=table_args,
    )


def _column(
    table: ir.Table, column: ir.Column, database: ir.Database, imports: Imports
) -> ColumnLine:
    python_type, sql_type = _types(column, imports)
    arguments: list[str] = []
    attribute = snake(column.name)
    if column.column_name != attribute:
        arguments.append(repr(column.column_name))
    if column.references is not None:
        target = database.table(column.references.model)
        target_column = target.column(column.references.field).column_name
        imports.add("sqlalchemy", "ForeignKey")
        options = [f'"{target.table_name}.{target_column}"']
        if column.references.on_delete:
            options.append(f'ondelete="{column.references.on_delete}"')
        if column.references.on_update:
            options.append(f'onupdate="{column.references.on_update}"')
        arguments.append(f"ForeignKey({', '.join(options)})")
        if sql_type.startswith("Enum("):
            arguments.append(sql_type)
    else:
        arguments.append(sql_type)
    if column.primary_key:
        arguments.append("primary_key=True")
        if column.default and column.default.kind == "autoincrement":
            arguments.append("autoincrement=True")
    if column.unique and not _single_unique_index(table, column):
        arguments.append("unique=True")
    if column.nullable:
        arguments.append("nullable=True")
    arguments += _defaults(column, imports)
    annotation = f"{python_type} | None" if column.nullable else python_type
    return ColumnLine(attribute, annotation, ", ".join(arguments))


def _single_unique_index(table: ir.Table, column: ir.Column) -> bool:
    """A unique index on the one column already makes it unique: say it once."""
    return any(index.unique and index.columns == (column.name,) for index in table.indexes)


def _types(column: ir.Column, imports: Imports) -> tuple[str, str]:
    """(Python type, SQLAlchemy type expression) of a column, per the contract's type table."""
    if column.enum:
        imports.add("sqlalchemy", "Enum")
        imports.add("src.models.enums", column.enum)
        imports.add("src.models.base", "enum_values")
        return (
            column.enum,
            f'Enum({column.enum}, name="{snake(column.enum)}", values_callable=enum_values)',
        )
    if column.type == "string":
        if column.format == "uuid":
            imports.add("uuid")
            imports.add("sqlalchemy", "Uuid")
            return "uuid.UUID", "Uuid"
        if column.format == "date-time":
            imports.add("datetime", "datetime")
            imports.add("sqlalchemy", "DateTime")
            return "datetime", "DateTime(timezone=True)"
        if column.format == "date":
            imports.add("datetime", "date")
            imports.add("sqlalchemy", "Date")
            return "date", "Date"
        imports.add("sqlalchemy", "String")
        return "str", f"String({column.max_length})" if column.max_length else "String"
    if column.type == "integer":
        name = "BigInteger" if column.format == "int64" else "Integer"
        imports.add("sqlalchemy", name)
        return "int", name
    if column.type == "number":
        if column.format == "decimal":
            imports.add("decimal", "Decimal")
            imports.add("sqlalchemy", "Numeric")
            digits = f"{column.precision}, {column.scale or 0}" if column.precision else ""
            return "Decimal", f"Numeric({digits})"
        imports.add("sqlalchemy", "Float")
        return "float", "Float"
    if column.type == "boolean":
        imports.add("sqlalchemy", "Boolean")
        return "bool", "Boolean"
    imports.add("typing", "Any")
    imports.add("sqlalchemy", "JSON")
    imports.add("sqlalchemy.dialects.postgresql", "JSONB")
    python_type = "dict[str, Any]" if column.type == "object" else "list[Any]"
    return python_type, 'JSON().with_variant(JSONB(), "postgresql")'


def _defaults(column: ir.Column, imports: Imports) -> list[str]:
    arguments = []
    default = column.default
    if default is not None and default.kind == "uuid":
        imports.add("uuid")
        arguments.append("default=uuid.uuid4")
    elif default is not None and default.kind == "now":
        imports.add("sqlalchemy", "func")
        arguments.append("server_default=func.now()")
    elif default is not None and default.kind == "literal" and default.value is not None:
        if column.enum:
            arguments.append(f"default={column.enum}.{constant(str(default.value)) or 'EMPTY'}")
        else:
            arguments.append(f"default={default.value!r}")
    if column.on_update is not None:
        imports.add("sqlalchemy", "func")
        arguments.append("onupdate=func.now()")
    return arguments


def _relation(
    table: ir.Table, relation: ir.Relation, database: ir.Database, imports: Imports
) -> ColumnLine:
    imports.add("sqlalchemy.orm", "relationship")
    other = database.table(relation.model)
    opposite = "belongsTo" if relation.kind == "hasMany" else "hasMany"
    back = next(
        r.name
        for r in other.relations
        if r.model == table.model and r.kind == opposite and r.foreign_key == relation.foreign_key
    )
    child = other if relation.kind == "hasMany" else table
    arguments = [f'back_populates="{snake(back)}"']
    parent_model = table.model if relation.kind == "hasMany" else relation.model
    paths = [c for c in child.columns if c.references and c.references.model == parent_model]
    if len(paths) > 1:  # several foreign keys to the same table: say which one this is
        arguments.append(f'foreign_keys="{child.model}.{snake(relation.foreign_key)}"')
    if relation.kind == "hasMany":
        return ColumnLine(snake(relation.name), f"list[{relation.model}]", ", ".join(arguments))
    nullable = table.column(relation.foreign_key).nullable
    annotation = f"{relation.model} | None" if nullable else relation.model
    return ColumnLine(snake(relation.name), annotation, ", ".join(arguments))


def _index(table: ir.Table, index: ir.Index, imports: Imports) -> str:
    columns = [table.column(name).column_name for name in index.columns]
    prefix = "uq" if index.unique else "ix"
    name = index.name or f"{prefix}_{table.table_name}_{'_'.join(columns)}"
    imports.add("sqlalchemy", "Index")
    quoted = ", ".join(f'"{column}"' for column in columns)
    unique = ", unique=True" if index.unique else ""
    return f'Index("{name}", {quoted}{unique})'
