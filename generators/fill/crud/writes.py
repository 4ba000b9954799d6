"""The bodies that change rows: create (a row from the body's fields and the path's
parents, 201), replace (PUT: every field of the body set on the row), update (PATCH: only
the fields sent), upsert (a PUT that documents ``201``: the row created under the path's
key where there is none, else replaced; 201 and 200 where it documents both, answered
through ``src.core.responses.answer_with``) and delete (soft where the table has
``deletedAt``, else a bulk delete that leaves the dependent rows to the database's ON
DELETE rules; 204). A constraint the write violates is answered 409.
"""

from __future__ import annotations

from generators.fill.code import Code, Unfit, fresh_name, listed
from generators.fill.crud.context import Context, model_import
from generators.fill.crud.fields import (
    body_dump,
    body_fields,
    caller_value,
    column_names,
    made_by_database,
    needs_value,
)
from generators.fill.crud.keys import check_made_keys
from generators.fill.crud.lookups import check_owner, look_up, parents_exist, row_of_key
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
    check_made_keys(context, given)
    values, by_caller = _new_row_values(
        context, code, [f"**{body_dump(context, code, copied, left)}"], given
    )
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


def _new_row_values(
    context: Context, code: Code, values: list[str], given: set[str]
) -> tuple[list[str], set[str]]:
    """The constructor arguments of a new row: ``values`` (the body's fields, a key), the
    parents' keys from the path, and each column nothing ``given`` fills that needs a
    value, from the caller (an owner, a creator); and the names of those last columns."""
    values = [*values, *(f"{snake(c.name)}={argument}" for c, argument in context.parents)]
    by_caller = set()
    for column in context.table.columns:
        if column.name in given or not needs_value(column):
            continue
        values.append(f"{snake(column.name)}={caller_value(context, column, code)}")
        by_caller.add(column.name)
    return values, by_caller


def change_row(context: Context) -> Code:
    """PUT (every field of the body) and PATCH (the fields sent)."""
    code = model_import(context)
    copied, left = body_fields(context)
    options = ("exclude_unset=True",) if context.action == "update" else ()
    look_up(context, code)
    fields = body_dump(context, code, copied, left, *options)
    code.add(*_fields_set(context, context.row, fields))
    _flush(context, code, "conflicts with")
    returned(context, code)
    return code


def upsert_row(context: Context) -> Code:
    """A PUT that creates the row its key names where there is none (201, where the
    operation documents it), else replaces it: the key is the path's, and so the
    client's to choose."""
    created, replaced = _upsert_statuses(context)
    key = context.lookup_key
    table = context.table.table_name
    if made_by_database(key):
        made = f"`{key.default.kind}()`" if key.default is not None else "`onUpdate`"
        raise Unfit(
            f"the PUT creates or replaces a `{table}` row (it {_says_so(context)}), but the "
            f"key it looks the row up by, `{key.name}`, is the database's to make "
            f"({made}), not the client's to choose: a row cannot be created under the "
            "path's key",
            f"give `{key.name}` no database default, or, if the PUT only replaces, say "
            "so: `x-crud: {action: replace}` on the operation",
        )
    if context.soft_delete is not None:
        raise Unfit(
            f"the PUT creates or replaces a `{table}` row (it {_says_so(context)}), and "
            f"`{table}` is soft-deleted (`{context.soft_delete.name}`): whether a PUT of a "
            "deleted row's key revives it or conflicts with it is left open",
            "if the PUT only replaces, say so: `x-crud: {action: replace}` on the operation",
        )
    code = model_import(context)
    copied, left = body_fields(context)
    given = {key.name, *(c.name for c, _ in context.parents), *column_names(context, copied)}
    checked = parents_exist(context, code)
    fields = body_dump(context, code, copied, left)
    if not fields.isidentifier():
        name = fresh_name("fields", context.arguments)
        code.add(f"{name} = {fields}")
        fields = name
    given_values = [f"**{fields}", f"{snake(key.name)}={context.key}"]
    values, by_caller = _new_row_values(context, code, given_values, given)
    ownership = context.ownership
    if (
        ownership is not None
        and not checked
        and (ownership.path or ownership.column.name not in by_caller)
    ):
        raise Unfit(
            f"`x-owner` on a PUT that creates `{table}` rows, where the caller does not "
            f"become the owner of the row it creates ({ownership.column.name} is not the "
            "caller's): the filler checks the owner of a row it replaces only",
            f"make `{ownership.column.name}` a required foreign key to the users table, "
            "left out of the request schema (the caller becomes the owner)",
        )
    row = context.row
    code.add(
        f"{row} = {row_of_key(context, code)}",
        f"if {row} is None:",
        f"    {row} = {context.model}({', '.join(values)})",
        f"    session.add({row})",
    )
    if created != replaced:
        code.need("src.core.responses", "answer_with")
        code.add(f"    answer_with({created})")
    code.add("else:")
    if ownership is not None and not checked:
        owned = Code()
        check_owner(context, owned, ownership, row, context.human)
        code.add(*(f"    {line}" for line in owned.lines))
        code.imports |= owned.imports
    code.add(*(f"    {line}" for line in _fields_set(context, row, fields)))
    _flush(context, code, "conflicts with")
    returned(context, code)
    return code


def _fields_set(context: Context, row: str, fields: str) -> tuple[str, str]:
    """The loop setting each of ``fields`` on ``row``; its name is no argument's (a path's
    key may be ``{name}``: ``/labels/{name}``)."""
    name = fresh_name("name", context.arguments)
    return (f"for {name}, value in {fields}.items():", f"    setattr({row}, {name}, value)")


def _upsert_statuses(context: Context) -> tuple[int, int]:
    """The statuses a PUT answers a created and a replaced row with: 201 and 200 where it
    documents both (with the same content), else the one success it documents."""
    operation = context.task.operation
    successes = {r.status: r for r in operation.responses if r.status.startswith("2")}
    if set(successes) == {"200", "201"}:
        if successes["200"].content != successes["201"].content:
            raise Unfit(
                f"the PUT creates or replaces a `{context.table.table_name}` row, and "
                "answers `201` (created) and `200` (replaced) with different content",
                "document the same content (the row's schema) for both",
            )
        return 201, 200
    if len(successes) == 1:
        status = next(iter(successes))
        if status.isdigit():
            return int(status), int(status)
    raise Unfit(
        f"the PUT creates or replaces a `{context.table.table_name}` row (it "
        f"{_says_so(context)}), and documents the successes {listed(sorted(successes))}: "
        "which one a created and which one a replaced row gets is left open",
        "document `201` for a created row and `200` for a replaced one, or one success for both",
    )


def _says_so(context: Context) -> str:
    """How the operation says it creates: for a reason."""
    if context.documented("201"):
        return "documents `201`"
    return "says so in its description"


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
