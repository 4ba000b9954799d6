"""Which table an operation is the CRUD of, which action, and which path parameters hold
its row's key and its parents' keys: the :class:`~generators.fill.crud.context.Context` of
a task.

The table is the one the path's last collection segment names (``tasks`` → ``Task``, by
table name or singular model name); the request and response schemas must not name
another one (``TaskCreate``, ``TaskResponse``, ``TaskListResponse`` → ``Task``). The
method says the action: GET and POST on a collection, GET, PUT, PATCH and DELETE on an
item (its path ends in the key); a PUT that documents ``201`` (or whose description
says "create or replace") is an upsert. Path parameters before the last segment
(``/projects/{projectId}/tasks``) are foreign keys of the row: they filter the rows, are
set on created rows, and their parent row must exist (else 404).

An operation may say what it is, where its path does not (``POST /projects/{id}/archive``
is a business action, not CRUD, and is left to the next filler):

.. code-block:: yaml

    x-crud:
      table: Project        # the model of the database contract
      action: update        # list | get | create | replace | update | delete
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from generators import ir
from generators.emit.pytypes import ref_name
from generators.fill.code import Unfit, fresh_name, listed, model_name, signature_arguments
from generators.fill.contract import find_table, singular
from generators.fill.crud.context import ACTIONS, Context
from generators.fill.crud.ignored import check_nothing_ignored
from generators.fill.ownership import ownership_of
from generators.fill.task import FillTask
from generators.naming import snake
from generators.reading import loose_key, request_schema, success_schema

_METHOD_ACTIONS = {
    ("get", False): "list",
    ("get", True): "get",
    ("post", False): "create",
    ("put", True): "replace",
    ("patch", True): "update",
    ("delete", True): "delete",
}


def context_of(task: FillTask) -> Context:
    database = task.project.database
    if database is None:
        raise Unfit(
            "no database contract: the CRUD filler writes bodies against its tables",
            "give the project a database contract (specs/database-schema.json)",
        )
    if not database.tables:
        raise Unfit("the database contract has no tables", "add the operation's table to it")
    operation = task.operation
    arguments = signature_arguments(task.source, task.function)
    hint = operation.extensions.get("x-crud")
    segments = [segment for segment in operation.path.split("/") if segment]
    item = bool(segments) and _is_parameter(segments[-1])
    table, action = _hinted(hint, database, operation.method, item)
    hinted_table = table is not None
    unique_key = None
    if table is None:
        table, unique_key = _table_of_path(operation.path, segments, database)
    if action is None:
        action = _METHOD_ACTIONS.get((operation.method, item))
        if action == "replace" and _creates(operation):
            action = "upsert"
    if action is None:
        where = "an item path (it ends in a parameter)" if item else "a collection path"
        raise Unfit(
            f"`{operation.http_method}` on {where} is no CRUD action of "
            f"`{table.table_name}`: a collection takes GET (list) and POST (create), an "
            "item GET, PUT, PATCH and DELETE",
            f"if it is one, say which: `x-crud: {{action: {'|'.join(ACTIONS)}}}` on the operation",
        )
    _check_schema_names(task.project.api, operation, table, database, hinted=hinted_table)
    names = list(arguments)
    if len(names) < len(operation.parameters):
        raise Unfit(
            f"the function `{task.function}` takes {len(names)} argument(s) for the "
            f"operation's {len(operation.parameters)} parameter(s)",
            "run `specfoundry generate` to bring the stub in step with the contract",
        )
    parameters = {p.name: names[i] for i, p in enumerate(operation.parameters)}
    path_parameters = [p.name for p in operation.parameters if p.location == "path"]
    own_key = None
    if action in {"get", "replace", "upsert", "update", "delete"}:
        own_key = _key_parameter(table, operation.path, segments, item, parameters)
        keys = [column.name for column in table.columns if column.primary_key]
        if len(keys) != 1 and unique_key is None:
            raise Unfit(
                f"`{table.table_name}` has no single-column primary key (its key: "
                f"{listed(keys)}), which a {action} looks its row up by"
            )
    key = parameters[own_key] if own_key is not None else None
    looked_up = unique_key or next((c for c in table.columns if c.primary_key), None)
    uuid_key = looked_up is not None and looked_up.format == "uuid"
    if key is not None and looked_up is not None and uuid_key and "UUID" not in arguments[key]:
        raise Unfit(
            f"path parameter `{own_key}` is {arguments.get(key) or 'untyped'} where the "
            f"key of `{table.table_name}` it looks up, `{looked_up.name}`, is a uuid: "
            "a value that is no UUID would fail in the database",
            f"give `{own_key}` `format: uuid` in the contract, or make the column a string",
        )
    check_nothing_ignored(
        task.project.api,
        operation,
        action,
        key_parameter=own_key,
        key=looked_up if own_key is not None else None,
    )
    parents = tuple(
        (_parent_column(table, name, segments, database), parameters[name])
        for name in path_parameters
        if name != own_key
    )
    ownership = ownership_of(operation, table, database)
    if ownership is not None and "principal" not in arguments:
        raise Unfit(
            "`x-owner` on an operation without an authenticated caller (it has no "
            "security requirement)",
            "give the operation a security requirement, or remove its `x-owner`",
        )
    return Context(
        task=task,
        action=action,
        table=table,
        model=model_name(task, table),
        row=fresh_name(snake(table.model), arguments),
        arguments=arguments,
        parameters=parameters,
        key=key,
        parents=parents,
        ownership=ownership,
        unique_key=unique_key,
    )


def _creates(operation: ir.Operation) -> bool:
    """Whether a ``PUT`` of an item creates the row where there is none: it documents
    ``201`` (Created), or its summary or description says "create or replace" (or
    update, or "upsert")."""
    if any(response.status == "201" for response in operation.responses):
        return True
    text = f"{operation.summary or ''} {operation.description or ''}"
    return _CREATE_OR_REPLACE.search(text) is not None


_CREATE_OR_REPLACE = re.compile(
    r"\bcreat(e|es|ing)\b[\w\s,]{0,24}?\bor\s+(replac|updat|overwrit)\w*|\bupsert",
    re.IGNORECASE,
)


def _key_parameter(
    table: ir.Table, path: str, segments: list[str], item: bool, parameters: Mapping[str, str]
) -> str:
    """The path parameter holding the row's key: the path's last segment, or (for a path
    an ``x-crud`` hint maps) the one after the table's segment or named like its key."""
    if item and segments[-1][1:-1] in parameters:
        return segments[-1][1:-1]
    names = {loose_key(table.model + "Id"), loose_key(table.model + "_" + "id")}
    names |= {loose_key(c.name) for c in table.columns if c.primary_key}
    for position, segment in enumerate(segments):
        if not _is_parameter(segment) or segment[1:-1] not in parameters:
            continue
        after_table = position and _find_table_named(table, segments[position - 1])
        if after_table or loose_key(segment[1:-1]) in names:
            return segment[1:-1]
    raise Unfit(
        f"no path parameter of `{path}` holds the key of a `{table.table_name}` row (one "
        f"after the `{table.table_name}` segment, or named like `{table.model[0].lower()}"
        f"{table.model[1:]}Id`), which an item operation looks its row up by"
    )


def _find_table_named(table: ir.Table, segment: str) -> bool:
    wanted = {loose_key(segment), loose_key(singular(segment))}
    return loose_key(table.model) in wanted or loose_key(table.table_name) in wanted


def _hinted(
    hint: object, database: ir.Database, method: str, item: bool
) -> tuple[ir.Table | None, str | None]:
    """The table and action an ``x-crud`` extension names (either may be absent)."""
    if not isinstance(hint, Mapping):
        return None, None
    table = None
    if isinstance(name := hint.get("table"), str):
        table = find_table(database, name)
        if table is None:
            raise Unfit(
                f"`x-crud` names the table `{name}`, which the database contract does not have",
                f"name one of its models: {listed(t.model for t in database.tables)}",
            )
    action = hint.get("action")
    if action is not None and action not in ACTIONS:
        raise Unfit(
            f"`x-crud` names the action `{action}`, which is none of the CRUD actions",
            f"name one of {listed(ACTIONS)}",
        )
    return table, action


def _is_parameter(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


def _x_crud_hint(database: ir.Database) -> str:
    return (
        f"`x-crud: {{table: <model>, action: {'|'.join(ACTIONS)}}}` on the operation, if it "
        f"is a table's CRUD (models: {listed(t.model for t in database.tables)})"
    )


def _table_of_path(
    path: str, segments: list[str], database: ir.Database
) -> tuple[ir.Table, ir.Column | None]:
    """The table of the path's last collection segment (``/projects/{id}/tasks``), and
    the unique column an item path looks its row up by where the segment names one of
    the table before it (``/variables/name/{name}``, ``/users/by-email/{email}``)."""
    names = [segment for segment in segments if not _is_parameter(segment)]
    if not names:
        raise Unfit(
            f"the path `{path}` has no collection segment to name a table",
            _x_crud_hint(database),
        )
    if (unique := _unique_lookup(segments, database)) is not None:
        return unique
    last = names[-1]
    position = max(i for i, segment in enumerate(segments) if segment == last)
    if len(segments) - position > 2:  # /projects/{id}/{other}: not a resource path
        raise Unfit(
            f"the path `{path}` is no resource path: its last collection segment `{last}` is "
            "followed by more than its key",
            _x_crud_hint(database),
        )
    table = find_table(database, last)
    if table is None:
        raise Unfit(
            f"path `{path}` maps to no table: its last collection segment `{last}` names none "
            "of the database contract",
            _x_crud_hint(database),
        )
    return table, None


def _unique_lookup(segments: list[str], database: ir.Database) -> tuple[ir.Table, ir.Column] | None:
    """``/<table>/<column>/{value}`` (``by-`` allowed before the column) where the column
    is a unique, non-key column of the table and the value is named like it."""
    if len(segments) < 3 or not _is_parameter(segments[-1]) or _is_parameter(segments[-2]):
        return None
    table = find_table(database, segments[-3]) if not _is_parameter(segments[-3]) else None
    if table is None:
        return None
    named = loose_key(segments[-2].removeprefix("by-").removeprefix("by_"))
    value = loose_key(segments[-1][1:-1])
    unique = [c for c in table.columns if c.unique and not c.primary_key]
    column = next((c for c in unique if loose_key(c.name) == named), None)
    if column is None or value not in {named, loose_key(table.model + column.name)}:
        return None
    return table, column


_SCHEMA_SUFFIXES = (
    "ListResponse",
    "PageResponse",
    "Response",
    "Create",
    "CreateRequest",
    "Update",
    "UpdateRequest",
    "Replace",
    "Patch",
    "Input",
    "Output",
    "Request",
    "List",
    "Page",
    "Read",
    "Out",
    "In",
    "Dto",
)


_VERBS = {
    "add",
    "change",
    "create",
    "delete",
    "edit",
    "find",
    "get",
    "insert",
    "list",
    "modify",
    "new",
    "patch",
    "post",
    "put",
    "read",
    "remove",
    "replace",
    "save",
    "search",
    "set",
    "update",
    "upsert",
    "write",
}
"""Words before a table's name in a schema's name that say what is done to the row
(``CreateProjectRequest``), not which kind of row it is."""


def _check_schema_names(
    api: ir.Api,
    operation: ir.Operation,
    table: ir.Table,
    database: ir.Database,
    *,
    hinted: bool,
) -> None:
    """Schemas named after another table (``UserResponse`` from ``/projects``), or after a
    kind of row of their own (``StreamEventTypeOut`` from ``/stream/event-type``, where
    the table keeps ``EventType``s), mean the operation is not the plain CRUD of this
    table; an ``x-crud`` table says it is all the same."""
    for role, schema in (
        ("request", request_schema(operation)),
        ("response", success_schema(operation) or _read_schema(api, operation)),
    ):
        name = ref_name(schema or {})
        if name is None:
            continue
        base = name
        for suffix in sorted(_SCHEMA_SUFFIXES, key=len, reverse=True):
            if base.endswith(suffix) and len(base) > len(suffix):
                base = base[: -len(suffix)]
                break
        other = find_table(database, base)
        if other is not None and other is not table:
            raise Unfit(
                f"the {role} schema `{name}` is named after the table `{other.table_name}`, "
                f"but the operation maps to `{table.table_name}`",
                f"if it is the CRUD of `{other.table_name}`, say so: "
                f"`x-crud: {{table: {other.model}}}` on the operation",
            )
        if other is None and not hinted and _another_kind(base, table):
            raise Unfit(
                f"the {role} schema `{name}` names a kind of row of its own (`{base}`), not "
                f"the `{table.model}` that `{table.table_name}` keeps",
                f"if it is the CRUD of `{table.table_name}` all the same, say so: "
                f"`x-crud: {{table: {table.model}}}` on the operation",
            )


def _read_schema(api: ir.Api, operation: ir.Operation) -> ir.JsonSchema | None:
    """What a GET of the operation's path answers: the row a delete (answering nothing)
    deletes."""
    if operation.method == "get":
        return None
    readers = (other for other in api.operations if other.path == operation.path)
    return next((s for r in readers if r.method == "get" and (s := success_schema(r))), None)


def _another_kind(base: str, table: ir.Table) -> bool:
    """Whether a schema's name less its suffix is the table's model with a qualifier before
    it that is no verb (``StreamEventType`` for ``EventType``)."""
    model = loose_key(table.model)
    for name in {loose_key(base), loose_key(singular(base))}:
        if name != model and name.endswith(model):
            return name[: -len(model)] not in _VERBS
    return False


def _parent_column(
    table: ir.Table, parameter: str, segments: list[str], database: ir.Database
) -> ir.Column:
    """The column a parent's path parameter fills: same name (``projectId``), or the foreign
    key to the table the segment before the parameter names. Never the row's own primary
    key: ``{id}`` in ``/albums/{id}/users/{userId}`` names an album, not a user."""
    for column in table.columns:
        if column.primary_key:
            continue
        if loose_key(column.name) == loose_key(parameter) or loose_key(
            column.column_name
        ) == loose_key(parameter):
            return column
    position = segments.index("{" + parameter + "}")
    before = segments[position - 1] if position else ""
    parent = find_table(database, before) if before else None
    keys = [
        column
        for column in table.columns
        if parent is not None and column.references and column.references.model == parent.model
    ]
    if len(keys) == 1:
        return keys[0]
    if parent is None:
        why = f"the segment before it, `{before}`, names no table" if before else "it comes first"
    elif not keys:
        why = f"`{table.table_name}` has no foreign key to `{parent.table_name}`"
    else:
        why = f"`{table.table_name}` has {len(keys)} to `{parent.table_name}`: " + listed(
            c.name for c in keys
        )
    raise Unfit(
        f"path parameter `{parameter}` maps to no column of `{table.table_name}`: no column has "
        f"its name, and {why}",
        f"name the parameter after the column of `{table.table_name}` it fills, or add a "
        "foreign key to the parent's table",
    )
