"""The steps of a migration. Each knows its inverse, so a downgrade is the upgrade read backwards.

Operations on one table (``TableOperation``) are grouped into one ``batch_alter_table`` block
when rendered: plain ``ALTER`` on PostgreSQL, a table rebuild where SQLite cannot alter.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from generators.migrations.schema import (
    ColumnState,
    EnumState,
    ForeignKeyState,
    IndexState,
    TableState,
    UniqueState,
)


@dataclass(frozen=True)
class EnumUsage:
    table: str
    column: str
    server_default: str | None
    """SQL of the column's default, which PostgreSQL cannot carry across a type change."""


@dataclass(frozen=True)
class CreateEnum:
    enum: EnumState

    def inverse(self) -> Operation:
        return DropEnum(self.enum)


@dataclass(frozen=True)
class DropEnum:
    enum: EnumState

    def inverse(self) -> Operation:
        return CreateEnum(self.enum)


@dataclass(frozen=True)
class ChangeEnum:
    """New values are added in place; removed values need the type rebuilt (PostgreSQL)."""

    before: EnumState
    after: EnumState
    usages: tuple[EnumUsage, ...]

    @property
    def adds_only(self) -> bool:
        return set(self.before.values) <= set(self.after.values)

    def inverse(self) -> Operation:
        return ChangeEnum(self.after, self.before, self.usages)


@dataclass(frozen=True)
class ResizeEnumColumn:
    """Where enums are VARCHARs sized to the longest value (SQLite), a longer value resizes."""

    table: str
    column: str
    before: EnumState
    after: EnumState

    def inverse(self) -> Operation:
        return ResizeEnumColumn(self.table, self.column, self.after, self.before)


@dataclass(frozen=True)
class CreateTable:
    table: TableState
    foreign_keys: tuple[ForeignKeyState, ...]
    """The foreign keys created with the table (the others come later, once their target is)."""

    def inverse(self) -> Operation:
        return DropTable(self.table, self.foreign_keys)


@dataclass(frozen=True)
class DropTable:
    table: TableState
    foreign_keys: tuple[ForeignKeyState, ...]

    def inverse(self) -> Operation:
        return CreateTable(self.table, self.foreign_keys)


@dataclass(frozen=True)
class RenameTable:
    before: str
    after: str

    def inverse(self) -> Operation:
        return RenameTable(self.after, self.before)


@dataclass(frozen=True)
class Backfill:
    """Give NULLs the column's default before the column becomes NOT NULL (no inverse)."""

    table: str
    column: str
    value_sql: str

    def inverse(self) -> Operation | None:
        return None


@dataclass(frozen=True)
class AddColumn:
    table: str
    column: ColumnState

    def inverse(self) -> Operation:
        return DropColumn(self.table, self.column)


@dataclass(frozen=True)
class DropColumn:
    table: str
    column: ColumnState

    def inverse(self) -> Operation:
        return AddColumn(self.table, self.column)


@dataclass(frozen=True)
class RenameColumn:
    table: str
    before: ColumnState
    after_name: str

    def inverse(self) -> Operation:
        return RenameColumn(
            self.table, replace(self.before, name=self.after_name), self.before.name
        )


@dataclass(frozen=True)
class AlterColumn:
    """Type, nullability and default of a column that keeps its name."""

    table: str
    before: ColumnState
    after: ColumnState

    def inverse(self) -> Operation:
        return AlterColumn(self.table, self.after, self.before)


@dataclass(frozen=True)
class CreateIndex:
    table: str
    index: IndexState

    def inverse(self) -> Operation:
        return DropIndex(self.table, self.index)


@dataclass(frozen=True)
class DropIndex:
    table: str
    index: IndexState

    def inverse(self) -> Operation:
        return CreateIndex(self.table, self.index)


@dataclass(frozen=True)
class CreateUnique:
    table: str
    unique: UniqueState

    def inverse(self) -> Operation:
        return DropUnique(self.table, self.unique)


@dataclass(frozen=True)
class DropUnique:
    table: str
    unique: UniqueState

    def inverse(self) -> Operation:
        return CreateUnique(self.table, self.unique)


@dataclass(frozen=True)
class CreateForeignKey:
    table: str
    foreign_key: ForeignKeyState

    def inverse(self) -> Operation:
        return DropForeignKey(self.table, self.foreign_key)


@dataclass(frozen=True)
class DropForeignKey:
    table: str
    foreign_key: ForeignKeyState

    def inverse(self) -> Operation:
        return CreateForeignKey(self.table, self.foreign_key)


TableOperation = (
    AddColumn
    | DropColumn
    | RenameColumn
    | AlterColumn
    | CreateIndex
    | DropIndex
    | CreateUnique
    | DropUnique
    | CreateForeignKey
    | DropForeignKey
)
Operation = (
    CreateEnum
    | DropEnum
    | ChangeEnum
    | ResizeEnumColumn
    | CreateTable
    | DropTable
    | RenameTable
    | Backfill
    | TableOperation
)


def downgrade_of(upgrade: list[Operation]) -> list[Operation]:
    """The upgrade's operations undone, last first."""
    inverses = (operation.inverse() for operation in reversed(upgrade))
    return [operation for operation in inverses if operation is not None]
