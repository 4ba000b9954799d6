"""The bodies that change rows: create (a row from the body's fields and the path's
parents, 201), replace (PUT: every field of the body set on the row), update (PATCH: only
the fields sent) and delete (soft where the table has ``deletedAt``, else a bulk delete
that leaves the dependent rows to the database's ON DELETE rules; 204). A constraint the
write violates is answered 409.
"""

from __future__ import annotations

from generators.fill.code import Code, Unfit
from generators.fill.crud.context import Context, model_import
from generators.fill.crud.fields import (
    body_dump,
    body_fields,
    caller_value,
    column_names,
    needs_value,
)
from generators.fill.crud.lookups import check_owner, look_up, parents_exist
from generators.fill.crud.responses import answer_of, returned
from generators.naming import snake


def _flush(context: Context, code: Code, what: str) -> None:
    """``session.flush()``, a constraint violation (a taken unique value, a key naming no
    row) answered 409, the conflict with the current state that it is (RFC 9110), where
    the operation documents it or not: never the server's 500, nor a 400/422 that would
    call a well-formed request malformed (the contract test excuses an undocumented 409)."""
    code.need("sqlalchemy.exc", "IntegrityError")
    code.need("src.core.errors", "ApiError")
    message = f"The {context.human.lower()} {what} existing data."
    if what == "conflicts with":
        message = message[:-1] + " or refers to missing data."
    code.add(
        "try:",
        "    session.flush()",
        "except IntegrityError as error:",
        f'    raise ApiError(409, "{message}") from error',
    )


def create_row(context: Context) -> Code:
    code = model_import(context)
    copied, left = body_fields(context)
    given = {c.name for c, _ in context.parents} | set(column_names(context, copied))
    values = [f"**{body_dump(context, code, copied, left)}"]
    values += [f"{snake(column.name)}={argument}" for column, argument in context.parents]
    by_caller = set()
    for column in context.table.columns:
        if column.name in given or not needs_value(column):
            continue
        values.append(f"{snake(column.name)}={caller_value(context, column, code)}")
        by_caller.add(column.name)
    checked = parents_exist(context, code)
    code.add(
        f"{context.row} = {context.model}({', '.join(values)})",
        f"session.add({context.row})",
    )
    _flush(context, code, "conflicts with")
    ownership = context.ownership
    # Under a parent of the caller's, or owned by the caller as created: nothing to check.
    if (
        ownership is not None
        and not checked
        and (ownership.path or ownership.column.name not in by_caller)
    ):
        check_owner(context, code, ownership, context.row, context.human)
    returned(context, code)
    return code


def change_row(context: Context) -> Code:
    """PUT (every field of the body) and PATCH (the fields sent)."""
    code = model_import(context)
    copied, left = body_fields(context)
    options = ("exclude_unset=True",) if context.action == "update" else ()
    look_up(context, code)
    fields = body_dump(context, code, copied, left, *options)
    code.add(
        f"for name, value in {fields}.items():",
        f"    setattr({context.row}, name, value)",
    )
    _flush(context, code, "conflicts with")
    returned(context, code)
    return code


def delete_row(context: Context) -> Code:
    code = model_import(context)
    look_up(context, code)
    soft = context.soft_delete
    if soft is not None:
        code.need("datetime", "UTC")
        code.need("datetime", "datetime")
        code.add(f"{context.row}.{snake(soft.name)} = datetime.now(UTC)")
    else:
        code.need("sqlalchemy", "delete")
        key = f"{context.attribute(context.lookup_key)} == {context.key}"
        code.add(
            "# A bulk delete: the database's ON DELETE rules handle the dependent rows.",
            f"session.execute(delete({context.model}).where({key}))",
        )
        if context.documented("409"):
            _flush(context, code, "is still referred to by")
    if answer_of(context, code) is not None:
        status = context.task.operation.success
        raise Unfit(
            f"the delete answers `{status.status if status else '?'}` with content; the "
            "filler writes deletes that answer without",
            "document `204` (no content) as the delete's success",
        )
    return code
