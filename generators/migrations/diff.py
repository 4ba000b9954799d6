"""Compare two database states and list the operations that turn one into the other.

Tables are matched by model name and columns by property name, or through a ``renamedFrom``
hint; a changed ``tableName`` or ``columnName`` of a matched pair is a rename. Whatever is
unmatched is created or dropped. The operations come in the order a careful engineer would
write them: new enum types and values first, then everything that goes away (foreign keys,
constraints and indexes on the old names, then tables), renames, new tables, column changes,
the new constraints, and last the enum values and types nobody uses any more.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

from generators import ir
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
    EnumUsage,
    Operation,
    RenameColumn,
    RenameTable,
    ResizeEnumColumn,
)
from generators.migrations.schema import (
    ColumnState,
    DatabaseState,
    EnumState,
    ForeignKeyState,
    TableState,
)


@dataclass
class Diff:
    operations: list[Operation] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    """One line per change, for the revision's docstring and the command's report."""
    losses: list[str] = field(default_factory=list)
    """What the destructive changes would lose; empty when nothing is."""
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Pair:
    before: TableState
    after: TableState
    columns: tuple[tuple[ColumnState, ColumnState], ...]
    added: tuple[ColumnState, ...]
    dropped: tuple[ColumnState, ...]


class UnsupportedChange(Exception):
    """A change generated migrations do not make (write that revision by hand)."""


def diff(old: DatabaseState, new: DatabaseState) -> Diff:
    result = Diff()
    pairs, created, dropped = _match_tables(old, new)
    table_names = {pair.before.name: pair.after.name for pair in pairs}
    column_names = {(pair.before.name, a.name): b.name for pair in pairs for a, b in pair.columns}

    later_enum_changes = _enums_first(old, new, pairs, result)
    for pair in pairs:
        _drop_named_objects(pair, table_names, column_names, new, result)
    for table in _dependents_first(dropped):
        result.operations.append(DropTable(table, table.foreign_keys))
        result.changes.append(f"drop table {table.name}")
        result.losses.append(f"table {table.name}: every row")
    for pair in pairs:
        if pair.before.name != pair.after.name:
            result.operations.append(RenameTable(pair.before.name, pair.after.name))
            result.changes.append(f"rename table {pair.before.name} to {pair.after.name}")
    deferred = _create_tables(created, new, result)
    for pair in pairs:
        _alter_table(pair, table_names, column_names, result)
    for table_name, foreign_key in deferred:
        result.operations.append(CreateForeignKey(table_name, foreign_key))
    _enums_last(old, new, later_enum_changes, result)
    return result


# --- matching ---------------------------------------------------------------------------------


def _match_tables(
    old: DatabaseState, new: DatabaseState
) -> tuple[list[_Pair], list[TableState], list[TableState]]:
    pairs: list[_Pair] = []
    created: list[TableState] = []
    matched: set[str] = set()
    for after in new.tables:
        before = old.table(after.model)
        if before is None and after.renamed_from and new.table(after.renamed_from) is None:
            before = old.table(after.renamed_from)
        if before is None:
            created.append(after)
            continue
        matched.add(before.model)
        pairs.append(_pair(before, after))
    dropped = [table for table in old.tables if table.model not in matched]
    return pairs, created, dropped


def _pair(before: TableState, after: TableState) -> _Pair:
    columns: list[tuple[ColumnState, ColumnState]] = []
    added: list[ColumnState] = []
    matched: set[str] = set()
    for column in after.columns:
        previous = before.column(column.contract_name)
        hint = column.source.renamed_from
        if previous is None and hint and after.column(hint) is None:
            previous = before.column(hint)
        if previous is None:
            added.append(column)
        else:
            matched.add(previous.contract_name)
            columns.append((previous, column))
    dropped = tuple(c for c in before.columns if c.contract_name not in matched)
    if any(a.primary_key != b.primary_key for a, b in columns) or any(
        c.primary_key for c in (*added, *dropped)
    ):
        raise UnsupportedChange(
            f"the primary key of {after.name} changes; generated migrations do not change "
            "primary keys: write that revision by hand (alembic revision -m ...)"
        )
    return _Pair(before, after, tuple(columns), tuple(added), dropped)


def _dependents_first(tables: list[TableState]) -> list[TableState]:
    """Order tables so that a table comes before the tables its foreign keys point at."""
    names = {table.name for table in tables}
    ordered: list[TableState] = []
    remaining = list(tables)
    while remaining:
        pointed_at = {
            fk.target_table
            for table in remaining
            for fk in table.foreign_keys
            if fk.target_table != table.name
        }
        ready = [table for table in remaining if table.name not in pointed_at] or remaining[:1]
        ordered += ready
        remaining = [table for table in remaining if table not in ready]
    assert {table.name for table in ordered} == names
    return ordered


# --- enums ----------------------------------------------------------------------------------


def _usages(state: DatabaseState, enum: EnumState) -> tuple[EnumUsage, ...]:
    return tuple(
        EnumUsage(table.name, column.name, _literal_sql(column.source))
        for table in state.tables
        for column in table.columns
        if column.enum is not None and column.enum.name == enum.name
    )


def _enums_first(
    old: DatabaseState, new: DatabaseState, pairs: list[_Pair], result: Diff
) -> list[tuple[EnumState, EnumState]]:
    """Create new enum types and add values; return the changes that must wait (removals)."""
    later: list[tuple[EnumState, EnumState]] = []
    for enum in new.enums:
        before = old.enum(enum.name)
        if before is None:
            result.operations.append(CreateEnum(enum))
            result.changes.append(f"create enum {enum.name} {list(enum.values)}")
        elif before.values != enum.values:
            if set(before.values) <= set(enum.values):
                result.operations.append(ChangeEnum(before, enum, _usages(old, before)))
                added = [value for value in enum.values if value not in before.values]
                result.changes.append(f"add {added} to enum {enum.name}")
            else:
                later.append((before, enum))
    return later


def _enums_last(
    old: DatabaseState,
    new: DatabaseState,
    later: list[tuple[EnumState, EnumState]],
    result: Diff,
) -> None:
    for before, after in later:
        removed = [value for value in before.values if value not in after.values]
        result.operations.append(ChangeEnum(before, after, _usages(new, after)))
        result.changes.append(f"remove {removed} from enum {after.name}")
        result.losses.append(f"enum {after.name}: rows holding {removed}")
    for enum in old.enums:
        if new.enum(enum.name) is None:
            result.operations.append(DropEnum(enum))
            result.changes.append(f"drop enum {enum.name}")


# --- tables ----------------------------------------------------------------------------------


def _create_tables(
    created: list[TableState], new: DatabaseState, result: Diff
) -> list[tuple[str, ForeignKeyState]]:
    """Create tables, targets first; return foreign keys whose target comes later (cycles)."""
    deferred: list[tuple[str, ForeignKeyState]] = []
    existing = {table.name for table in new.tables} - {table.name for table in created}
    for table in reversed(_dependents_first(created)):
        inline = tuple(
            fk
            for fk in table.foreign_keys
            if fk.target_table in existing or fk.target_table == table.name
        )
        deferred += [(table.name, fk) for fk in table.foreign_keys if fk not in inline]
        result.operations.append(CreateTable(table, inline))
        result.changes.append(f"create table {table.name}")
        existing.add(table.name)
    return deferred


def _translate(
    foreign_key: ForeignKeyState,
    table: str,
    table_names: dict[str, str],
    column_names: dict[tuple[str, str], str],
) -> ForeignKeyState:
    """An old foreign key as it reads after the renames of this migration (name unchanged)."""
    return replace(
        foreign_key,
        column=column_names.get((table, foreign_key.column), foreign_key.column),
        target_table=table_names.get(foreign_key.target_table, foreign_key.target_table),
        target_column=column_names.get(
            (foreign_key.target_table, foreign_key.target_column), foreign_key.target_column
        ),
    )


def _drop_named_objects(
    pair: _Pair,
    table_names: dict[str, str],
    column_names: dict[tuple[str, str], str],
    new: DatabaseState,
    result: Diff,
) -> None:
    """Drop the foreign keys, unique constraints and indexes that change or go (old names)."""
    table = pair.before.name

    def columns(names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(column_names.get((table, name), name) for name in names)

    for fk in pair.before.foreign_keys:
        if _translate(fk, table, table_names, column_names) not in pair.after.foreign_keys:
            result.operations.append(DropForeignKey(table, fk))
            result.changes.append(f"drop foreign key {fk.name}")
    for unique in pair.before.uniques:
        if replace(unique, columns=columns(unique.columns)) not in pair.after.uniques:
            result.operations.append(DropUnique(table, unique))
            result.changes.append(f"drop unique constraint {unique.name}")
    for index in pair.before.indexes:
        if replace(index, columns=columns(index.columns)) not in pair.after.indexes:
            result.operations.append(DropIndex(table, index))
            result.changes.append(f"drop index {index.name}")


def _alter_table(
    pair: _Pair,
    table_names: dict[str, str],
    column_names: dict[tuple[str, str], str],
    result: Diff,
) -> None:
    before, after = pair.before, pair.after
    table = after.name
    resizes: list[Operation] = []
    for old, new in pair.columns:
        if old.name != new.name:
            result.operations.append(RenameColumn(table, old, new.name))
            result.changes.append(f"rename column {table}.{old.name} to {new.name}")
        renamed = replace(old, name=new.name)
        if old.enum and new.enum and old.enum.name == new.enum.name and old.enum != new.enum:
            # new values are the enum's change, not the column's (but SQLite sizes to them)
            if _longest(old.enum) != _longest(new.enum):
                resizes.append(ResizeEnumColumn(table, new.name, old.enum, new.enum))
            renamed = replace(renamed, enum=new.enum, type=new.type)
        if _column_shape(renamed) != _column_shape(new):
            if renamed.nullable and not new.nullable and new.server_default is not None:
                value = _literal_sql(new.source)
                if value is not None:
                    result.operations.append(Backfill(table, new.name, value))
            result.operations.append(AlterColumn(table, renamed, new))
            result.changes.append(f"alter column {table}.{new.name}: {_alterations(renamed, new)}")
            if loss := _narrowing(old, new):
                result.losses.append(f"column {table}.{new.name}: {loss}")
            if renamed.nullable and not new.nullable and new.server_default is None:
                result.warnings.append(
                    f"{table}.{new.name} becomes NOT NULL without a default: the upgrade "
                    "fails while any row holds NULL there"
                )
    for column in pair.added:
        result.operations.append(AddColumn(table, column))
        result.changes.append(f"add column {table}.{column.name}")
        if not column.nullable and column.server_default is None:
            result.warnings.append(
                f"{table}.{column.name} is added NOT NULL without a default: the upgrade "
                f"fails if {table} has rows"
            )
    for column in pair.dropped:
        result.operations.append(DropColumn(table, column))
        result.changes.append(f"drop column {table}.{column.name}")
        result.losses.append(f"column {table}.{column.name}: every value")
    old_table = before.name
    old_uniques = {
        replace(u, columns=tuple(column_names.get((old_table, c), c) for c in u.columns))
        for u in before.uniques
    }
    old_indexes = {
        replace(i, columns=tuple(column_names.get((old_table, c), c) for c in i.columns))
        for i in before.indexes
    }
    old_fks = {_translate(fk, old_table, table_names, column_names) for fk in before.foreign_keys}
    for unique in after.uniques:
        if unique not in old_uniques:
            result.operations.append(CreateUnique(table, unique))
            result.changes.append(f"create unique constraint {unique.name}")
    for index in after.indexes:
        if index not in old_indexes:
            result.operations.append(CreateIndex(table, index))
            result.changes.append(f"create index {index.name}")
    for fk in after.foreign_keys:
        if fk not in old_fks:
            result.operations.append(CreateForeignKey(table, fk))
            result.changes.append(f"create foreign key {fk.name}")
    result.operations += resizes


def _alterations(old: ColumnState, new: ColumnState) -> str:
    said = []
    if (old.type, old.enum) != (new.type, new.enum):
        said.append(f"type {old.type} to {new.type}")
    if old.nullable != new.nullable:
        said.append("NULL allowed" if new.nullable else "NOT NULL")
    if old.server_default != new.server_default:
        said.append(f"default {new.server_default or 'none'}")
    return ", ".join(said)


def _column_shape(column: ColumnState) -> tuple[object, ...]:
    return (column.type, column.enum, column.nullable, column.server_default)


def _longest(enum: EnumState) -> int:
    return max(len(value) for value in enum.values)


# --- what a change loses ----------------------------------------------------------------------

_WIDER = {("integer", "biginteger"), ("integer", "float"), ("integer", "numeric")}


def _narrowing(old: ColumnState, new: ColumnState) -> str | None:
    """What existing values could lose when ``old``'s type becomes ``new``'s, or None."""
    a, b = old.source, new.source
    kind_a, kind_b = old.kind, new.kind
    if kind_a == kind_b == "string":
        if b.max_length is not None and (a.max_length is None or b.max_length < a.max_length):
            return (
                f"values longer than {b.max_length} characters (was {a.max_length or 'unbounded'})"
            )
        return None
    if kind_a == kind_b == "numeric":
        if (b.precision or 0, b.scale or 0) < (a.precision or 0, a.scale or 0):
            return f"digits beyond Numeric({b.precision}, {b.scale or 0})"
        return None
    if kind_a == kind_b == "enum" and a.enum == b.enum:
        return None  # value changes are reported on the enum
    if kind_a == kind_b or (kind_a, kind_b) in _WIDER:
        return None
    if kind_b == "string" and b.max_length is None:
        return None  # anything reads as text
    return f"type changes from {kind_a} to {kind_b}: values that do not convert"


def _literal_sql(column: ir.Column) -> str | None:
    """The column's default as an SQL literal (for backfills and PostgreSQL type rebuilds)."""
    default = column.default
    if default is None or default.kind in {"uuid", "autoincrement"}:
        return None
    if default.kind == "now":
        return "CURRENT_TIMESTAMP"
    value = default.value
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return str(value)
    text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    return "'" + text.replace("'", "''") + "'"
