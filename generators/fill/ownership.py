"""Row-level access for the CRUD filler: who may see or change a row, where the contract
says so with an ``x-owner`` extension on the operation.

.. code-block:: yaml

    x-owner: ownerId                 # the row's column naming its owner (a users key)

    x-owner:
      column: project.ownerId        # or through belongsTo relations: the task's project's owner
      members: members               # also the users a hasMany relation of the owning row lists
      bypass: [ADMIN]                # roles that pass every check (default: the users
                                     # table's role values named "admin")

A caller without a bypass role only reaches rows they own (or are a member of): an item
operation on another's row is answered 404 for a read and 403 for a change (each where the
operation documents it, else the other), a list only holds their rows, and a create under a
parent path (``POST /projects/{projectId}/tasks``) needs the parent to be theirs. The checks
are Python in the body, readable and changeable like the rest of it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from generators import ir
from generators.fill.code import Unfit, listed
from generators.naming import snake
from generators.reading import loose_key

EXTENSION = "x-owner"


@dataclass(frozen=True)
class Members:
    """Users a hasMany relation of the owning row lists (``project.members``)."""

    relation: ir.Relation
    table: ir.Table
    user: ir.Column
    """The listed rows' foreign key to the users table."""


@dataclass(frozen=True)
class Ownership:
    path: tuple[tuple[ir.Table, ir.Relation], ...]
    """belongsTo hops from the operation's table to the table holding the owner: each
    relation with the table it starts from."""
    owner_table: ir.Table
    column: ir.Column
    """The owner's column: a foreign key to the users table."""
    members: Members | None
    bypass: tuple[str, ...]

    def row_owners(self, row: str) -> list[str]:
        """Python: the users' keys owning ``row`` (a row of the operation's table), as
        arguments of ``src.core.access.require_owner``; its members as a function
        (``members=lambda: ...``), which loads them only when the owner is not the caller."""
        owning = ".".join([row, *(snake(hop.name) for _, hop in self.path)])
        owners = [f"{owning}.{snake(self.column.name)}"]
        if self.members is not None:
            user, listed = snake(self.members.user.name), snake(self.members.relation.name)
            owners.append(f"members=lambda: (m.{user} for m in {owning}.{listed})")
        return owners

    def sql_condition(self, model: Callable[[ir.Table], str], caller: str) -> str:
        """SQL: the operation's table's rows the caller owns (``model`` names a table's
        class in the body and imports it)."""
        owner = model(self.owner_table)
        condition = f"{owner}.{snake(self.column.name)} == {caller}"
        if self.members is not None:
            listed = f"{owner}.{snake(self.members.relation.name)}"
            user = f"{model(self.members.table)}.{snake(self.members.user.name)}"
            condition = f"or_({condition}, {listed}.any({user} == {caller}))"
        for table, hop in reversed(self.path):
            condition = f"{model(table)}.{snake(hop.name)}.has({condition})"
        return condition

    def bypassed(self) -> str:
        """Python: whether the caller holds a role that passes every check."""
        if not self.bypass:
            return "False"
        return f"principal.has_role({', '.join(repr(role) for role in self.bypass)})"


def ownership_of(
    operation: ir.Operation, table: ir.Table, database: ir.Database
) -> Ownership | None:
    """The ``x-owner`` extension of ``operation`` read against the database contract."""
    hint = operation.extensions.get(EXTENSION)
    if hint is None:
        return None
    if isinstance(hint, str):
        hint = {"column": hint}
    if not isinstance(hint, Mapping) or not isinstance(hint.get("column"), str):
        raise Unfit(
            f"`{EXTENSION}` names no column (it is {hint!r})",
            f"`{EXTENSION}: <column>` or `{EXTENSION}: {{column: <relation>.<column>}}`",
        )
    *names, column_name = hint["column"].split(".")
    path, current = [], table
    for name in names:
        hop = next((r for r in current.relations if r.name == name and r.kind == "belongsTo"), None)
        if hop is None:
            belongs = [r.name for r in current.relations if r.kind == "belongsTo"]
            raise Unfit(
                f"`{EXTENSION}`: `{current.table_name}` has no belongsTo relation `{name}`",
                f"name one of its belongsTo relations: {listed(belongs)}" if belongs else "",
            )
        path.append((current, hop))
        current = database.table(hop.model)
    column = next((c for c in current.columns if c.name == column_name), None)
    if column is None or column.references is None:
        keys = [c.name for c in current.columns if c.references is not None]
        what = "no column" if column is None else "no foreign key"
        raise Unfit(
            f"`{EXTENSION}`: `{column_name}` is {what} of `{current.table_name}`, while the "
            "owner's column must be a foreign key to the users table",
            f"name one of its foreign keys: {listed(keys)}" if keys else "",
        )
    users = database.table(column.references.model)
    members = None
    if isinstance(hint.get("members"), str):
        members = _members(current, hint["members"], users, database)
    bypass = hint.get("bypass")
    if bypass is None:
        bypass = _admin_roles(users, database)
    if not isinstance(bypass, list | tuple) or not all(isinstance(r, str) for r in bypass):
        raise Unfit(
            f"`{EXTENSION}`: bypass is {bypass!r}, not a list of roles",
            f"`bypass: [{bypass}]`" if isinstance(bypass, str) else "`bypass: [<role>, ...]`",
        )
    return Ownership(tuple(path), current, column, members, tuple(bypass))


def _members(owner: ir.Table, name: str, users: ir.Table, database: ir.Database) -> Members:
    relation = next((r for r in owner.relations if r.name == name and r.kind == "hasMany"), None)
    if relation is None:
        many = [r.name for r in owner.relations if r.kind == "hasMany"]
        raise Unfit(
            f"`{EXTENSION}`: `{owner.table_name}` has no hasMany relation `{name}` to list "
            "its members",
            f"name one of its hasMany relations: {listed(many)}" if many else "",
        )
    members = database.table(relation.model)
    user = next(
        (c for c in members.columns if c.references and c.references.model == users.model), None
    )
    if user is None:
        raise Unfit(
            f"`{EXTENSION}`: the members `{members.table_name}` have no foreign key to "
            f"`{users.table_name}`"
        )
    return Members(relation, members, user)


def _admin_roles(users: ir.Table, database: ir.Database) -> list[str]:
    role = next((c for c in users.columns if loose_key(c.name) == "role"), None)
    if role is None or role.enum is None:
        return []
    values = next((e.values for e in database.enums if e.name == role.enum), ())
    return [value for value in values if loose_key(value) in {"admin", "administrator"}]
