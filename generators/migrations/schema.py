"""The database a contract describes, as the database sees it: tables, columns and named objects.

Migrations compare two of these. Every name here is the one SQLAlchemy gives the generated
models (``src/models/base.py``'s naming convention and the explicit index names of
``generators/emit/models.py``), so the migrations and the models cannot disagree on what an
index or a constraint is called.
"""

from __future__ import annotations

from dataclasses import dataclass

from generators import ir
from generators.emit.imports import Imports
from generators.emit.sqltypes import has_unique_constraint, index_name, server_default, sql_type
from generators.naming import constant as constant_case
from generators.naming import snake


@dataclass(frozen=True)
class EnumState:
    name: str
    """The database type name (snake_case of the contract's enum name)."""
    values: tuple[str, ...]

    @property
    def constant(self) -> str:
        """The module-level name a migration gives this enum type."""
        return constant_case(self.name)


@dataclass(frozen=True)
class ColumnState:
    contract_name: str
    """The property in the contract (columns are matched by it)."""
    name: str
    type: str
    """Source of the SQLAlchemy type (enums: the enum's name; a migration spells their values)."""
    enum: EnumState | None
    nullable: bool
    server_default: str | None
    primary_key: bool
    autoincrement: bool
    source: ir.Column
    type_imports: tuple[tuple[str, str], ...] = ()
    """``(module, name)`` pairs the type's source needs."""
    default_imports: tuple[tuple[str, str], ...] = ()

    @property
    def kind(self) -> str:
        """The family of the type: ``string``, ``uuid``, ``integer``, ``enum``, ..."""
        column = self.source
        if column.enum:
            return "enum"
        if column.type == "string":
            formats = {"uuid": "uuid", "date-time": "datetime", "date": "date"}
            return formats.get(column.format or "", "string")
        if column.type == "integer":
            return "biginteger" if column.format == "int64" else "integer"
        if column.type == "number":
            return "numeric" if column.format == "decimal" else "float"
        return column.type


@dataclass(frozen=True)
class IndexState:
    name: str
    columns: tuple[str, ...]
    unique: bool


@dataclass(frozen=True)
class UniqueState:
    name: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class ForeignKeyState:
    name: str
    column: str
    target_table: str
    target_column: str
    on_delete: str | None
    on_update: str | None


@dataclass(frozen=True)
class TableState:
    model: str
    name: str
    columns: tuple[ColumnState, ...]
    indexes: tuple[IndexState, ...]
    uniques: tuple[UniqueState, ...]
    foreign_keys: tuple[ForeignKeyState, ...]
    renamed_from: str | None

    @property
    def primary_key_name(self) -> str:
        return f"pk_{self.name}"

    def column(self, property_name: str) -> ColumnState | None:
        return next((c for c in self.columns if c.contract_name == property_name), None)


@dataclass(frozen=True)
class DatabaseState:
    tables: tuple[TableState, ...]
    enums: tuple[EnumState, ...]

    def table(self, model: str) -> TableState | None:
        return next((t for t in self.tables if t.model == model), None)

    def enum(self, name: str) -> EnumState | None:
        return next((e for e in self.enums if e.name == name), None)


EMPTY = DatabaseState((), ())


def database_state(database: ir.Database | None) -> DatabaseState:
    """What ``database`` looks like in the database."""
    if database is None:
        return EMPTY
    enums = tuple(EnumState(snake(enum.name), enum.values) for enum in database.enums)
    by_contract_name = {enum.name: state for enum, state in zip(database.enums, enums, strict=True)}
    tables = tuple(_table(table, database, by_contract_name) for table in database.tables)
    return DatabaseState(tables, enums)


def _table(table: ir.Table, database: ir.Database, enums: dict[str, EnumState]) -> TableState:
    columns = tuple(_column(column, enums) for column in table.columns)
    indexes = tuple(
        IndexState(
            index_name(table, index),
            tuple(table.column(name).column_name for name in index.columns),
            index.unique,
        )
        for index in table.indexes
    )
    uniques = tuple(
        UniqueState(f"uq_{table.table_name}_{column.column_name}", (column.column_name,))
        for column in table.columns
        if has_unique_constraint(table, column)
    )
    foreign_keys = tuple(
        _foreign_key(table.table_name, column, database)
        for column in table.columns
        if column.references is not None
    )
    return TableState(
        table.model, table.table_name, columns, indexes, uniques, foreign_keys, table.renamed_from
    )


def _column(column: ir.Column, enums: dict[str, EnumState]) -> ColumnState:
    enum = enums[column.enum] if column.enum else None
    type_imports, default_imports = Imports(), Imports()
    type_code = enum.name if enum else sql_type(column, type_imports).code
    autoincrement = column.default is not None and column.default.kind == "autoincrement"
    return ColumnState(
        contract_name=column.name,
        name=column.column_name,
        type=type_code,
        enum=enum,
        nullable=column.nullable,
        server_default=server_default(column, default_imports),
        primary_key=column.primary_key,
        autoincrement=autoincrement,
        source=column,
        type_imports=_sqlalchemy_names(type_imports),
        default_imports=_sqlalchemy_names(default_imports),
    )


def _sqlalchemy_names(imports: Imports) -> tuple[tuple[str, str], ...]:
    """Migrations need only the SQLAlchemy names (not the Python types of the models)."""
    return tuple(
        sorted(
            (module, name)
            for module, names in imports.names.items()
            if module.startswith("sqlalchemy")
            for name in names
        )
    )


def _foreign_key(table_name: str, column: ir.Column, database: ir.Database) -> ForeignKeyState:
    assert column.references is not None
    target = database.table(column.references.model)
    return ForeignKeyState(
        name=f"fk_{table_name}_{column.column_name}_{target.table_name}",
        column=column.column_name,
        target_table=target.table_name,
        target_column=target.column(column.references.field).column_name,
        on_delete=column.references.on_delete,
        on_update=column.references.on_update,
    )
