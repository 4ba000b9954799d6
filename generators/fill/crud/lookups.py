"""The row an item operation names and the rows above it: the row of the key (or of the
unique column the path names), under its parents and not soft-deleted, else the
documented 404; the parent rows a nested path names, which must exist (else 404); and who
may reach them (``x-owner``: another's row is a 404 to a read, a 403 to a change). A get
is that lookup, answered.
"""

from __future__ import annotations

import dataclasses

from generators import ir
from generators.fill.code import Code, Unfit, fresh_name, python_tuple
from generators.fill.contract import caller_key
from generators.fill.crud.context import SOFT_DELETE, Context, class_of, model_import
from generators.fill.crud.responses import returned
from generators.fill.ownership import Ownership
from generators.naming import snake, words


def look_up(context: Context, code: Code) -> None:
    """``row = ...``: the row of the key (and of the parents), or the documented 404."""
    row = context.row
    soft = context.soft_delete
    code.add(f"{row} = {row_of_key(context, code)}")
    if context.parents or context.unique_key is not None or soft is None:
        code.add(f"if {row} is None:")
    else:
        code.add(f"if {row} is None or {row}.{snake(soft.name)} is not None:")
    code.need("src.core.errors", "ApiError")
    code.add(f'    raise ApiError(404, "{context.human} not found.")')
    if context.ownership is not None:
        check_owner(context, code, context.ownership, row, context.human)


def row_of_key(context: Context, code: Code) -> str:
    """The expression of the row of the key (and of the parents; not soft-deleted, where
    it selects), or None."""
    soft = context.soft_delete
    if context.parents or context.unique_key is not None:
        conditions = [f"{context.attribute(context.lookup_key)} == {context.key}"]
        conditions += [f"{context.attribute(c)} == {argument}" for c, argument in context.parents]
        if soft is not None:
            conditions.append(f"{context.attribute(soft)}.is_(None)")
        code.need("sqlalchemy", "select")
        return f"session.scalar(select({context.model}).where({', '.join(conditions)}))"
    return f"session.get({context.model}, {context.key})"


def check_owner(context: Context, code: Code, ownership: Ownership, row: str, human: str) -> None:
    """A caller without a bypass role who does not own ``row``: 404 for a read (the row is
    not theirs to know of), 403 for a change; each where documented, else the other."""
    reading = context.action in {"get", "list"}
    status = context.documented(*(("404", "403") if reading else ("403", "404")))
    if status is None:
        raise Unfit(
            "`x-owner` refuses others' rows with 404 or 403, and the operation documents neither",
            f"document a {'404' if reading else '403'} response on the operation",
        )
    message = (
        f"{human} not found." if status == "404" else f"You have no access to this {human.lower()}."
    )
    code.need("src.core.access", "require_owner")
    arguments = ["principal", *ownership.row_owners(row)]
    if ownership.bypass:
        arguments.append(f"bypass={python_tuple(ownership.bypass)}")
    arguments += [f"status={status}", f'message="{message}"']
    code.add("require_owner(", *(f"    {argument}," for argument in arguments), ")")


def caller_variable(context: Context, code: Code, ownership: Ownership) -> str:
    """``caller = UUID(principal.subject)``, once per body."""
    caller = fresh_name("caller", context.arguments)
    line = f"{caller} = {caller_key(_users_key(context, ownership), code)}"
    if line not in code.lines:
        code.add(line)
    return caller


def _users_key(context: Context, ownership: Ownership) -> ir.Column:
    target = ownership.column.references
    assert target is not None
    return context.database.table(target.model).column(target.field)


def parents_exist(context: Context, code: Code) -> bool:
    """The parent rows a nested collection path names must exist: else 404. Where the
    ownership goes through a parent, the parent must be the caller's: True when checked."""
    checked = False
    for column, argument in context.parents:
        if column.references is None:
            continue
        parent = context.database.table(column.references.model)
        model = class_of(context, code, parent)
        human = " ".join(words(parent.model)).lower().capitalize()
        variable = fresh_name(snake(parent.model), context.arguments)
        soft = next(
            (c for c in parent.columns if c.name in SOFT_DELETE and c.format == "date-time"),
            None,
        )
        deleted = f" or {variable}.{snake(soft.name)} is not None" if soft else ""
        code.add(
            f"{variable} = session.get({model}, {argument})",
            f"if {variable} is None{deleted}:",
            f'    raise ApiError(404, "{human} not found.")',
        )
        code.need("src.core.errors", "ApiError")
        ownership = context.ownership
        if ownership is not None and ownership.path:
            first = ownership.path[0][1]
            if first.foreign_key == column.name:
                rest = dataclasses.replace(ownership, path=ownership.path[1:])
                check_owner(context, code, rest, variable, human)
                checked = True
    return checked


def get_row(context: Context) -> Code:
    code = model_import(context)
    look_up(context, code)
    returned(context, code)
    return code
