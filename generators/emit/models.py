"""SQLAlchemy 2 typed declarative models: ``src/models/`` (owned by the generator)."""

from __future__ import annotations

from dataclasses import dataclass

from generators import ir
from generators.emit.imports import Imports
from generators.emit.render import header, render
from generators.emit.sqltypes import has_unique_constraint, index_name, server_default, sql_type
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
    python_type, sql_type = _column_types(column, imports)
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
    if has_unique_constraint(table, column):
        arguments.append("unique=True")
    if column.nullable:
        arguments.append("nullable=True")
    arguments += _defaults(column, imports)
    annotation = f"{python_type} | None" if column.nullable else python_type
    return ColumnLine(attribute, annotation, ", ".join(arguments))


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
    mapped = sql_type(column, imports)
    return mapped.python, mapped.code


def _defaults(column: ir.Column, imports: Imports) -> list[str]:
    arguments = []
    default = column.default
    if default is not None and default.kind == "uuid":
        imports.add("uuid")
        arguments.append("default=uuid.uuid4")
    elif default is not None and default.kind == "literal" and default.value is not None:
        if column.enum:
            arguments.append(f"default={column.enum}.{constant(str(default.value)) or 'EMPTY'}")
        else:
            arguments.append(f"default={default.value!r}")
    if (database_default := server_default(column, imports)) is not None:
        arguments.append(f"server_default={database_default}")
    if column.on_update is not None:
        imports.add("sqlalchemy", "func")
        arguments.append("onupdate=func.now()")
    return arguments


def _column_types(column: ir.Column, imports: Imports) -> tuple[str, str]:
    """``_types``, importing the SQLAlchemy type only where ``_column`` writes it: a foreign
    key column (unless an Enum) takes the referenced column's type, and a join table made of
    foreign keys alone would otherwise import a type it never uses."""
    needed = Imports()
    python_type, sql_type = _types(column, needed)
    written = column.references is None or sql_type.startswith("Enum(")
    for module in needed.modules:
        imports.add(module)
    for module, names in needed.names.items():
        if written or module.split(".")[0] != "sqlalchemy":
            imports.add(module, *names)
    return python_type, sql_type


def _relation(
    table: ir.Table, relation: ir.Relation, database: ir.Database, imports: Imports
) -> ColumnLine:
    imports.add("sqlalchemy.orm", "relationship")
    other = database.table(relation.model)
    if relation.through is not None:
        return _many_to_many(table, relation, relation.through, other, database)
    foreign_key = relation.foreign_key
    if foreign_key is None:  # the loader lets no such relation through
        raise ValueError(f"relation {table.model}.{relation.name} has no foreignKey")
    opposites = ("hasMany", "hasOne") if relation.kind == "belongsTo" else ("belongsTo",)
    back = next(
        r.name
        for r in other.relations
        if r.model == table.model and r.kind in opposites and r.foreign_key == foreign_key
    )
    child = table if relation.kind == "belongsTo" else other
    arguments = [f'back_populates="{snake(back)}"']
    parent_model = relation.model if relation.kind == "belongsTo" else table.model
    paths = [c for c in child.columns if c.references and c.references.model == parent_model]
    if len(paths) > 1:  # several foreign keys to the same table: say which one this is
        arguments.append(f'foreign_keys="{child.model}.{snake(foreign_key)}"')
    reference = table.column(foreign_key).references if relation.kind == "belongsTo" else None
    if reference is not None and relation.model == table.model:  # a tree: the parent's side
        arguments.append(f'remote_side="{table.model}.{snake(reference.field)}"')
    if relation.kind == "hasMany":
        return ColumnLine(snake(relation.name), f"list[{relation.model}]", ", ".join(arguments))
    # A scalar annotation makes the relationship scalar (uselist=False): hasOne always may be
    # None (the child row may not exist); belongsTo as its foreign key column.
    nullable = relation.kind == "hasOne" or table.column(foreign_key).nullable
    annotation = f"{relation.model} | None" if nullable else relation.model
    return ColumnLine(snake(relation.name), annotation, ", ".join(arguments))


def _many_to_many(
    table: ir.Table, relation: ir.Relation, through: str, other: ir.Table, database: ir.Database
) -> ColumnLine:
    """Extension ``manyToMany``: a plain ``secondary`` relationship through the join table,
    which stays an ordinary model of its own."""
    back = next(
        r.name
        for r in other.relations
        if r.model == table.model and r.kind == "manyToMany" and r.through == through
    )
    join = database.table(through)
    arguments = f'secondary="{join.table_name}", back_populates="{snake(back)}"'
    # Relations that map the join table as a model write the same foreign keys: say that this
    # is intended, or SQLAlchemy warns about the overlap when the mappers are configured.
    overlaps = sorted(
        {snake(r.name) for r in (*table.relations, *other.relations) if r.model == through}
        | {snake(r.name) for r in join.relations if r.model in {table.model, other.model}}
    )
    if overlaps:
        arguments += f', overlaps="{",".join(overlaps)}"'
    return ColumnLine(snake(relation.name), f"list[{relation.model}]", arguments)


def _index(table: ir.Table, index: ir.Index, imports: Imports) -> str:
    columns = [table.column(name).column_name for name in index.columns]
    imports.add("sqlalchemy", "Index")
    quoted = ", ".join(f'"{column}"' for column in columns)
    unique = ", unique=True" if index.unique else ""
    return f'Index("{index_name(table, index)}", {quoted}{unique})'
