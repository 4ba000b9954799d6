"""Operations → the source of an Alembic revision (``op.*`` calls, formatted later by ruff).

Written by hand rather than with ``alembic.autogenerate.render_python_code``: that renderer
drops ``Enum(create_type=False)``, prints ``func.now()`` as PostgreSQL's ``now()`` (which
SQLite lacks), leaves some names unimported, and has no way to say "only on PostgreSQL", which
enum values need. What is printed here is Alembic's public ``op`` API, and the tests run it.
"""

from __future__ import annotations

from generators.emit.imports import Imports
from generators.migrations.operations import (
    AddColumn,
    AlterColumn,
    Backfill,
    ChangeEnum,
    CreateEnum,
    CreateForeignKey,
    CreateIndex,
    CreateTable,
    CreateUnique,
    DropColumn,
    DropEnum,
    DropForeignKey,
    DropIndex,
    DropTable,
    DropUnique,
    Operation,
    RenameColumn,
    RenameTable,
    ResizeEnumColumn,
    TableOperation,
)
from generators.migrations.schema import ColumnState, DatabaseState, EnumState, ForeignKeyState

ON_POSTGRESQL = 'if op.get_bind().dialect.name == "postgresql":'
NON_NATIVE_ENUMS = "if not op.get_bind().dialect.supports_native_enum:"
TABLE_OPERATIONS = (
    AddColumn,
    DropColumn,
    RenameColumn,
    AlterColumn,
    CreateIndex,
    DropIndex,
    CreateUnique,
    DropUnique,
    CreateForeignKey,
    DropForeignKey,
)


class Renderer:
    """Renders operations of one revision; collects the imports and enum types they use."""

    def __init__(self, current: DatabaseState, imports: Imports) -> None:
        self.current = current
        self.imports = imports
        self.enums: dict[str, EnumState] = {}

    def body(self, operations: list[Operation]) -> list[str]:
        """The statements of ``upgrade()`` or ``downgrade()``, one table's changes per batch."""
        lines: list[str] = []
        batch: list[TableOperation] = []
        for operation in [*operations, None]:
            if isinstance(operation, TABLE_OPERATIONS) and (
                not batch or batch[0].table == operation.table
            ):
                batch.append(operation)
                continue
            if batch:
                lines.append(f'with op.batch_alter_table("{batch[0].table}") as batch_op:')
                lines += [f"    batch_op.{self.table_operation(o)}" for o in batch]
                batch = []
            if isinstance(operation, TABLE_OPERATIONS):
                batch.append(operation)
            elif operation is not None:
                lines += self.operation(operation)
        return lines or ["pass"]

    def enum(self, enum: EnumState) -> str:
        """The module-level name of this version of the enum type (``_BEFORE``: the old one)."""
        current = self.current.enum(enum.name)
        name = enum.constant if current in (None, enum) else f"{enum.constant}_BEFORE"
        self.enums[name] = enum
        return name

    def column_type(self, column: ColumnState) -> str:
        if column.enum is not None:
            return self.enum(column.enum)
        for module, name in column.type_imports:
            self.imports.add(module, name)
        return column.type

    def server_default(self, column: ColumnState) -> str | None:
        for module, name in column.default_imports:
            self.imports.add(module, name)
        return column.server_default

    def column(self, column: ColumnState, *, in_table: bool = False) -> str:
        self.imports.add("sqlalchemy", "Column")
        arguments = [f'"{column.name}"', self.column_type(column)]
        if column.autoincrement:
            arguments.append("autoincrement=True")
        if column.primary_key and not in_table:
            arguments.append("primary_key=True")
        arguments.append(f"nullable={column.nullable}")
        if (default := self.server_default(column)) is not None:
            arguments.append(f"server_default={default}")
        return f"Column({', '.join(arguments)})"

    # --- operations on the whole schema -------------------------------------------------------

    def operation(self, operation: Operation) -> list[str]:
        match operation:
            case CreateEnum(enum):
                return [f"{self.enum(enum)}.create(op.get_bind(), checkfirst=True)"]
            case DropEnum(enum):
                return [f"{self.enum(enum)}.drop(op.get_bind(), checkfirst=True)"]
            case ChangeEnum() as change:
                return self.change_enum(change)
            case ResizeEnumColumn(table, column, before, after):
                return [
                    "# Without native enums the column is a VARCHAR as long as the longest value.",
                    NON_NATIVE_ENUMS,
                    f'    with op.batch_alter_table("{table}") as batch_op:',
                    f'        batch_op.alter_column("{column}", existing_type='
                    f"{self.enum(before)}, type_={self.enum(after)})",
                ]
            case CreateTable(table, foreign_keys):
                self.imports.add("sqlalchemy", "PrimaryKeyConstraint")
                keys = ", ".join(f'"{c.name}"' for c in table.columns if c.primary_key)
                items = [self.column(column, in_table=True) for column in table.columns]
                items.append(f'PrimaryKeyConstraint({keys}, name=op.f("{table.primary_key_name}"))')
                for unique in table.uniques:
                    self.imports.add("sqlalchemy", "UniqueConstraint")
                    quoted = ", ".join(f'"{c}"' for c in unique.columns)
                    items.append(f'UniqueConstraint({quoted}, name=op.f("{unique.name}"))')
                items += [self.foreign_key_constraint(fk) for fk in foreign_keys]
                return [
                    f'op.create_table("{table.name}", {", ".join(items)})',
                    *(
                        f'op.create_index("{index.name}", "{table.name}", '
                        f"[{', '.join(repr(c) for c in index.columns)}], unique={index.unique})"
                        for index in table.indexes
                    ),
                ]
            case DropTable(table):
                return [f'op.drop_table("{table.name}")']  # and its indexes
            case RenameTable(before, after):
                statement = (
                    f"ALTER TABLE {_ident(after)} RENAME CONSTRAINT {_ident('pk_' + before)} "
                    f"TO {_ident('pk_' + after)}"
                )
                return [
                    f'op.rename_table("{before}", "{after}")',
                    ON_POSTGRESQL,
                    f"    op.execute({_python_string(statement)})",
                ]
            case Backfill(table, column, value_sql):
                column = _ident(column)
                statement = (
                    f"UPDATE {_ident(table)} SET {column} = {value_sql} WHERE {column} IS NULL"
                )
                return [f"op.execute({_python_string(statement)})"]
        raise AssertionError(f"not a schema operation: {operation!r}")  # pragma: no cover

    def change_enum(self, change: ChangeEnum) -> list[str]:
        name, old_name = _ident(change.after.name), _ident(change.after.name + "_old")
        if change.adds_only:
            lines = [ON_POSTGRESQL, "    with op.get_context().autocommit_block():"]
            values = change.after.values
            for position, value in enumerate(values):
                if value in change.before.values:
                    continue
                where = (
                    f" AFTER {_sql_string(values[position - 1])}"
                    if position
                    else f" BEFORE {_sql_string(values[1])}"
                )
                statement = f"ALTER TYPE {name} ADD VALUE IF NOT EXISTS {_sql_string(value)}{where}"
                lines.append(f"        op.execute({_python_string(statement)})")
            return lines
        statements = [f"ALTER TYPE {name} RENAME TO {old_name}"]
        rebuild = [f"    {self.enum(change.after)}.create(op.get_bind())"]
        for usage in change.usages:
            column = _ident(usage.column)
            alter = f"ALTER TABLE {_ident(usage.table)} ALTER COLUMN {column}"
            column_statements = [f"{alter} TYPE {name} USING {column}::text::{name}"]
            if usage.server_default is not None:
                column_statements = [
                    f"{alter} DROP DEFAULT",
                    *column_statements,
                    f"{alter} SET DEFAULT {usage.server_default}",
                ]
            rebuild += [f"    op.execute({_python_string(s)})" for s in column_statements]
        return [
            "# PostgreSQL cannot drop a value from an enum type: rebuild the type.",
            ON_POSTGRESQL,
            *(f"    op.execute({_python_string(s)})" for s in statements),
            *rebuild,
            f"    op.execute({_python_string(f'DROP TYPE {old_name}')})",
        ]

    def foreign_key_constraint(self, fk: ForeignKeyState) -> str:
        self.imports.add("sqlalchemy", "ForeignKeyConstraint")
        arguments = [
            f'["{fk.column}"]',
            f'["{fk.target_table}.{fk.target_column}"]',
            f'name=op.f("{fk.name}")',
            *_referential_actions(fk),
        ]
        return f"ForeignKeyConstraint({', '.join(arguments)})"

    # --- operations on one table (inside batch_alter_table) -------------------------------

    def table_operation(self, operation: TableOperation) -> str:
        match operation:
            case AddColumn(_, column):
                return f"add_column({self.column(column)})"
            case DropColumn(_, column):
                return f'drop_column("{column.name}")'
            case RenameColumn(_, before, after_name):
                return (
                    f'alter_column("{before.name}", new_column_name="{after_name}", '
                    f"existing_type={self.column_type(before)}, "
                    f"existing_nullable={before.nullable})"
                )
            case AlterColumn(_, before, after):
                return f'alter_column("{after.name}", {", ".join(self.alterations(before, after))})'
            case CreateIndex(_, index):
                columns = ", ".join(f'"{c}"' for c in index.columns)
                return f'create_index("{index.name}", [{columns}], unique={index.unique})'
            case DropIndex(_, index):
                return f'drop_index("{index.name}")'
            case CreateUnique(_, unique):
                columns = ", ".join(f'"{c}"' for c in unique.columns)
                return f'create_unique_constraint("{unique.name}", [{columns}])'
            case DropUnique(_, unique):
                return f'drop_constraint("{unique.name}", type_="unique")'
            case CreateForeignKey(_, fk):
                arguments = [
                    f'"{fk.name}"',
                    f'"{fk.target_table}"',
                    f'["{fk.column}"]',
                    f'["{fk.target_column}"]',
                    *_referential_actions(fk),
                ]
                return f"create_foreign_key({', '.join(arguments)})"
            case DropForeignKey(_, fk):
                return f'drop_constraint("{fk.name}", type_="foreignkey")'
        raise AssertionError(f"not a table operation: {operation!r}")  # pragma: no cover

    def alterations(self, before: ColumnState, after: ColumnState) -> list[str]:
        arguments = [f"existing_type={self.column_type(before)}"]
        if self.column_type(before) != self.column_type(after) or before.enum != after.enum:
            arguments.append(f"type_={self.column_type(after)}")
            if before.kind != after.kind:  # PostgreSQL casts only between kin types by itself
                using = f"{_ident(after.name)}::{_postgresql_type(after)}"
                arguments.append(f"postgresql_using={_python_string(using)}")
        if before.nullable != after.nullable:
            arguments.append(f"nullable={after.nullable}")
        else:
            arguments.append(f"existing_nullable={before.nullable}")
        old_default, new_default = self.server_default(before), self.server_default(after)
        if old_default != new_default:
            arguments.append(f"server_default={new_default}")
        if old_default is not None:
            arguments.append(f"existing_server_default={old_default}")
        return arguments

    def enum_definitions(self) -> list[str]:
        """Each enum type as it was at this revision; ``create_type=False``: created explicitly."""
        if self.enums:
            self.imports.add("sqlalchemy", "Enum")
        return [
            f"{name} = Enum({', '.join(_python_string(v) for v in enum.values)}, "
            f'name="{enum.name}", create_type=False)'
            for name, enum in sorted(self.enums.items())
        ]


def _referential_actions(fk: ForeignKeyState) -> list[str]:
    actions = []
    if fk.on_delete:
        actions.append(f'ondelete="{fk.on_delete}"')
    if fk.on_update:
        actions.append(f'onupdate="{fk.on_update}"')
    return actions


_POSTGRESQL_TYPES = {
    "Uuid": "uuid",
    "DateTime(timezone=True)": "timestamp with time zone",
    "Date": "date",
    "Integer": "integer",
    "BigInteger": "bigint",
    "Float": "double precision",
    "Boolean": "boolean",
    "String": "varchar",
    'JSON().with_variant(JSONB(), "postgresql")': "jsonb",
}


def _postgresql_type(column: ColumnState) -> str:
    """The PostgreSQL type name a ``USING`` cast needs."""
    if column.enum is not None:
        return f"text::{_ident(column.enum.name)}"
    if column.type.startswith("String("):
        return f"varchar({column.type[7:-1]})"
    if column.type.startswith("Numeric("):
        return f"numeric({column.type[8:-1]})" if column.type != "Numeric()" else "numeric"
    return _POSTGRESQL_TYPES[column.type]


# PostgreSQL's reserved key words (reserved, or reserved but usable as a function or type name).
_RESERVED_WORDS = """
    all analyse analyze and any array as asc asymmetric authorization binary both case cast
    check collate collation column concurrently constraint create cross current_catalog
    current_date current_role current_schema current_time current_timestamp current_user default
    deferrable desc distinct do else end except false fetch for foreign freeze from full grant
    group having ilike in initially inner intersect into is isnull join lateral leading left like
    limit localtime localtimestamp natural not notnull null offset on only or order outer
    overlaps placing primary references returning right select session_user similar some
    symmetric system_user table tablesample then to trailing true union unique user using
    variadic verbose when where window with"""
_RESERVED = frozenset(_RESERVED_WORDS.split())


def _ident(name: str) -> str:
    """An identifier for hand-written SQL, quoted where SQL would not take it bare."""
    if name.isidentifier() and name == name.lower() and name not in _RESERVED:
        return name
    return '"' + name.replace('"', '""') + '"'


def _python_string(text: str) -> str:
    """A Python literal of ``text``; single quotes when that spares escaping double quotes."""
    if '"' in text and "'" not in text:
        return "'" + text.replace("\\", "\\\\") + "'"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
