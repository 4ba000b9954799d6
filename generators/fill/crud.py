"""A filler for plain CRUD operations: bodies read off the two contracts, no model asked.

An operation is CRUD when its path names a table and its method says what to do with it:

=============================  ==========  =========================================
``GET /projects``              list        a page of rows (filters, sort, pagination)
``GET /projects/{projectId}``  get         one row by its primary key, or 404
``POST /projects``             create      a row from the body's fields, 201
``PUT /tasks/{taskId}``        replace     every field of the body set on the row
``PATCH /tasks/{taskId}``      update      only the fields the body sent
``DELETE /tasks/{taskId}``     delete      the row (soft: ``deletedAt`` set), 204
=============================  ==========  =========================================

The table is the one the path's last collection segment names (``tasks`` → ``Task``, by
table name or singular model name); the request and response schemas must not name
another one (``TaskCreate``, ``TaskResponse``, ``TaskListResponse`` → ``Task``). Path
parameters before the last segment (``/projects/{projectId}/tasks``) are foreign keys of
the row: they filter the rows, are set on created rows, and their parent row must exist
(else 404). A required foreign key to the user table that neither the body nor the path
gives is the caller's (``UUID(principal.subject)``: "the caller becomes the owner").

A list understands the query parameters it is given: page/limit (or pageSize, perPage),
offset/limit, a column's name (equality filter), ``<column>Before``/``After``/``Min``/
``Max`` (range filter), ``q``/``search`` (case-insensitive search in the response's text
columns), ``sort``/``sortBy`` with ``order``/``direction``. Its response is either a plain
array of the resource or an envelope: one array property of the resource beside
pagination fields (``total``, ``page``, ``limit``, ``totalPages``, ``hasMore``), flat or in
an object such as ``meta``. A table with a ``deletedAt`` (``deleted_at``) date-time column
is soft-deleted, and its deleted rows are left out of every read.

An operation may say what it is, where its path does not (``POST /projects/{id}/archive``
is a business action, not CRUD, and is left to the next filler):

.. code-block:: yaml

    x-crud:
      table: Project        # the model of the database contract
      action: update        # list | get | create | replace | update | delete

Anything this filler does not understand (an unknown query parameter, a required column
nothing fills, a response shape it cannot build) makes it decline rather than guess: its
:class:`~generators.fill.task.Decline` names the parameter, schema, table or column
concerned and, where one exists, the hint that would let it write the body.
The code is formatted with ``ruff format``; errors are raised as ``ApiError`` of
``src/core/errors.py``, served in the contract's documented shape. The transaction is the
request's (``src/core/database.py`` commits it): bodies only ``flush``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from generators import ir
from generators.emit.pytypes import (
    base_type,
    ref_name,
)
from generators.fill.code import (
    Code,
    Unfit,
    deterministic_proposal,
    fresh_name,
    listed,
    model_name,
    python_tuple,
    signature_arguments,
)
from generators.fill.contract import (
    caller_key,
    column_named,
    find_table,
    schema_reference,
    singular,
)
from generators.fill.ownership import Ownership, ownership_of
from generators.fill.task import Attempt, Decline, FillTask, Proposal
from generators.naming import snake, words
from generators.operation_kinds import CURSOR_NAMES
from generators.reading import (
    loose_key,
    request_schema,
    resolved,
    schema_properties,
    schema_required,
    success_schema,
)

ACTIONS = ("list", "get", "create", "replace", "update", "delete")
_METHOD_ACTIONS = {
    ("get", False): "list",
    ("get", True): "get",
    ("post", False): "create",
    ("put", True): "replace",
    ("patch", True): "update",
    ("delete", True): "delete",
}
_PAGE = {"page", "pagenumber", "pageno", "pageindex"}
_LIMIT = {"limit", "pagesize", "perpage", "size", "take", "count", "maxresults"}
_OFFSET = {"offset", "skip", "start"}
_SORT = {"sort", "sortby", "orderby", "sortfield"}
_ORDER = {"order", "sortorder", "direction", "dir", "sortdirection", "orderdirection"}
_SEARCH = {"q", "search", "query", "term", "searchterm"}
_UPPER = ("before", "until", "to", "max")
_LOWER = ("after", "since", "from", "min")
_TOTAL = {"total", "totalitems", "totalcount", "totalelements", "totalresults", "count"}
_PAGES = {"totalpages", "pages", "pagecount"}
_HAS_MORE = {"hasmore", "hasnext", "hasnextpage", "more"}
_USER_TABLES = {"user", "account", "member"}
_SOFT_DELETE = {"deletedAt", "deleted_at"}
_SUCCESS = {"success", "ok"}
_NEXT = {"nextcursor", "next", "nextpagetoken", "endcursor", "cursor", "nexttoken"}


@dataclass(frozen=True)
class Context:
    """What every part of a body needs to know about the operation and its table."""

    task: FillTask
    action: str
    table: ir.Table
    model: str
    """How the body names the model class (``Project``, or ``models.Project``)."""
    row: str
    """The local variable of one row (``project``)."""
    arguments: Mapping[str, str]
    """The service function's keyword arguments: name → annotation."""
    parameters: Mapping[str, str]
    """Each parameter's name in the contract → its argument."""
    key: str | None
    """The argument holding the row's primary key (item operations)."""
    parents: tuple[tuple[ir.Column, str], ...]
    """Foreign key columns given by the path, with their arguments."""
    ownership: Ownership | None = None
    """Who may reach the rows (the ``x-owner`` extension)."""
    unique_key: ir.Column | None = None
    """The unique column the path looks the row up by where it is not the primary key
    (``/variables/name/{name}``)."""

    @property
    def api(self) -> ir.Api:
        return self.task.project.api

    @property
    def database(self) -> ir.Database:
        assert self.task.project.database is not None
        return self.task.project.database

    @property
    def human(self) -> str:
        """``ProjectMember`` → ``Project member``."""
        return " ".join(words(self.table.model)).lower().capitalize()

    def attribute(self, column: ir.Column) -> str:
        return f"{self.model}.{snake(column.name)}"

    @property
    def primary_key(self) -> ir.Column:
        return next(column for column in self.table.columns if column.primary_key)

    @property
    def lookup_key(self) -> ir.Column:
        """The column the path's key names: the primary key, or a unique column."""
        return self.unique_key or self.primary_key

    @property
    def soft_delete(self) -> ir.Column | None:
        return next(
            (
                column
                for column in self.table.columns
                if column.name in _SOFT_DELETE and column.format == "date-time"
            ),
            None,
        )

    def documented(self, *statuses: str) -> str | None:
        """The first of ``statuses`` the operation documents."""
        have = {response.status for response in self.task.operation.responses}
        return next((status for status in statuses if status in have), None)

    def schema(self, name: str) -> ir.JsonSchema:
        return self.api.schemas.get(name, {})


class CrudFiller:
    """Bodies for list/get/create/replace/update/delete operations (see the module doc)."""

    name = "crud"
    deterministic = True

    def propose(self, task: FillTask, attempts: Sequence[Attempt]) -> Proposal | Decline:
        def build() -> tuple[Code, str]:
            context = _context(task)
            code = _BUILDERS[context.action](context)
            return (
                code,
                f"crud: {context.action} {context.table.model} ({task.operation.operation_id})",
            )

        return deterministic_proposal(attempts, build)


# --- which table, which action ------------------------------------------------------------


def _context(task: FillTask) -> Context:
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
    unique_key = None
    if table is None:
        table, unique_key = _table_of_path(operation.path, segments, database)
    if action is None:
        action = _METHOD_ACTIONS.get((operation.method, item))
    if action is None:
        where = "an item path (it ends in a parameter)" if item else "a collection path"
        raise Unfit(
            f"`{operation.http_method}` on {where} is no CRUD action of "
            f"`{table.table_name}`: a collection takes GET (list) and POST (create), an "
            "item GET, PUT, PATCH and DELETE",
            f"if it is one, say which: `x-crud: {{action: {'|'.join(ACTIONS)}}}` on the operation",
        )
    _check_schema_names(task.project.api, operation, table, database)
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
    if action in {"get", "replace", "update", "delete"}:
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


def _check_schema_names(
    api: ir.Api, operation: ir.Operation, table: ir.Table, database: ir.Database
) -> None:
    """Schemas named after another table (``UserResponse`` from ``/projects``) mean the
    operation is not the plain CRUD of this table."""
    for role, schema in (
        ("request", request_schema(operation)),
        ("response", success_schema(operation)),
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


# --- the contract's schemas ---------------------------------------------------------------


def _answer(context: Context, code: Code) -> str | None:
    """The expression answering with the row: ``ProjectResponse.model_validate(project)``,
    or an envelope around it (``{success, data}``); None for a success without content."""
    schema = success_schema(context.task.operation)
    success = context.task.operation.success
    if success is None:
        raise Unfit(
            "the operation documents no success (2xx) response",
            "document the success response and its schema",
        )
    if schema is None:
        if success.content:
            media = listed(media.media_type for media in success.content)
            raise Unfit(f"the success response `{success.status}` is {media}, not JSON")
        return None
    name = ref_name(schema)
    kind = base_type(resolved(context.api, schema))
    if name is None or kind not in {"object", None}:
        what = f"`{name}`, of type {kind}" if name else f"an inline {kind or 'schema'}"
        raise Unfit(
            f"the success response `{success.status}` is {what}, not a named object schema",
            "give the response's object schema a name in components/schemas",
        )
    if _shows_row(context, schema):
        return f"{schema_reference(context.api, name, code)}.model_validate({context.row})"
    table = context.table.table_name
    required = schema_required(context.api, schema)
    fields, rows, unknown = [], [], []
    for prop, prop_schema in schema_properties(context.api, schema).items():
        shape = resolved(context.api, prop_schema)
        item = ref_name(prop_schema)
        if item is not None and _shows_row(context, prop_schema):
            row = f"{schema_reference(context.api, item, code)}.model_validate({context.row})"
            fields.append(f"{snake(prop)}={row}")
            rows.append(prop)
        elif loose_key(prop) in _SUCCESS and base_type(shape) == "boolean":
            fields.append(f"{snake(prop)}=True")
        elif prop in required:
            unknown.append(prop)
    if not rows:
        raise Unfit(
            f"the response schema `{name}` is not a row of `{table}` "
            f"({_not_columns(context, schema)}), nor an envelope holding one"
        )
    if unknown:
        raise Unfit(
            f"the response schema `{name}` holds a `{table}` row in {listed(rows)}, but also "
            f"requires {listed(unknown)}, neither a row nor a success flag"
        )
    if len(rows) > 1:
        raise Unfit(
            f"the response schema `{name}` holds a `{table}` row {len(rows)} times "
            f"({listed(rows)}): which one the operation's row is, is left open"
        )
    return f"{schema_reference(context.api, name, code)}({', '.join(fields)})"


def _not_columns(context: Context, schema: ir.JsonSchema) -> str:
    """Which of the properties a row would show are no columns: for a reason."""
    properties = set(schema_properties(context.api, schema))
    if not properties:
        return "it has no properties"
    columns = {loose_key(column.name) for column in context.table.columns}
    required = [name for name in schema_required(context.api, schema) if name in properties]
    missing = sorted(name for name in required if loose_key(name) not in columns)
    if missing:
        return f"{listed(missing)} {'is no column' if len(missing) == 1 else 'are no columns'}"
    stored = sum(loose_key(name) in columns for name in properties)
    return f"only {stored} of its {len(properties)} properties are columns"


def _shows_row(context: Context, schema: ir.JsonSchema) -> bool:
    """Whether an object schema shows a row of the table: its required properties are
    columns, and so are most of its properties. An optional property that is no column (an
    ``errors`` list, a link) is left out of the answer, as its schema allows."""
    if base_type(resolved(context.api, schema)) not in {"object", None}:
        return False
    properties = set(schema_properties(context.api, schema))
    columns = {loose_key(column.name) for column in context.table.columns}
    stored = {name for name in properties if loose_key(name) in columns}
    required = schema_required(context.api, schema)
    return len(stored) * 2 > len(properties) and all(name in stored for name in required)


# --- the pieces of a body -----------------------------------------------------------------


def _lookup(context: Context, code: Code) -> None:
    """``row = ...``: the row of the key (and of the parents), or the documented 404."""
    row, model = context.row, context.model
    soft = context.soft_delete
    if context.parents or context.unique_key is not None:
        conditions = [f"{context.attribute(context.lookup_key)} == {context.key}"]
        conditions += [f"{context.attribute(c)} == {argument}" for c, argument in context.parents]
        if soft is not None:
            conditions.append(f"{context.attribute(soft)}.is_(None)")
        code.need("sqlalchemy", "select")
        code.add(f"{row} = session.scalar(select({model}).where({', '.join(conditions)}))")
        code.add(f"if {row} is None:")
    else:
        code.add(f"{row} = session.get({model}, {context.key})")
        deleted = f" or {row}.{snake(soft.name)} is not None" if soft is not None else ""
        code.add(f"if {row} is None{deleted}:")
    code.need("src.core.errors", "ApiError")
    code.add(f'    raise ApiError(404, "{context.human} not found.")')
    if context.ownership is not None:
        _owned(context, code, context.ownership, row, context.human)


def _owned(context: Context, code: Code, ownership: Ownership, row: str, human: str) -> None:
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


def _caller_variable(context: Context, code: Code, ownership: Ownership) -> str:
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


def _class_of(context: Context, code: Code, table: ir.Table) -> str:
    """How the body names ``table``'s class, imported."""
    model = model_name(context.task, table)
    if "." in model:
        code.need("src", "models")
    else:
        code.need("src.models", table.model)
    return model


def _parents_exist(context: Context, code: Code) -> bool:
    """The parent rows a nested collection path names must exist: else 404. Where the
    ownership goes through a parent, the parent must be the caller's: True when checked."""
    checked = False
    for column, argument in context.parents:
        if column.references is None:
            continue
        parent = context.database.table(column.references.model)
        model = _class_of(context, code, parent)
        human = " ".join(words(parent.model)).lower().capitalize()
        variable = fresh_name(snake(parent.model), context.arguments)
        soft = next(
            (c for c in parent.columns if c.name in _SOFT_DELETE and c.format == "date-time"),
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
                _owned(context, code, rest, variable, human)
                checked = True
    return checked


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


def _returned(context: Context, code: Code) -> None:
    code.add(f"return {_answer(context, code) or 'None'}")


def _body_fields(context: Context) -> tuple[list[str], list[str]]:
    """(body fields copied to columns, body fields left out) by their Python names."""
    table = context.table.table_name
    body = context.task.operation.request_body
    if "body" not in context.arguments or body is None:
        raise Unfit(f"a {context.action} of a `{table}` row, but the operation takes no body")
    schema = request_schema(context.task.operation)
    if schema is None:
        media = listed(media.media_type for media in body.content)
        raise Unfit(f"the request body is {media}, not JSON")
    columns = {loose_key(column.name): column for column in context.table.columns}
    copied, left = [], []
    properties = schema_properties(context.api, schema)
    for name in properties:
        column = columns.get(loose_key(name))
        if column is None or any(column is c for c, _ in context.parents) or _kept(context, column):
            left.append(snake(name))
        else:
            copied.append(snake(name))
    if not copied:
        lists = [
            name
            for name, value in properties.items()
            if base_type(resolved(context.api, value)) == "array"
            and _names_or_shows_row(context, resolved(context.api, value).get("items") or {})
        ]
        bulk = f": its {listed(lists)} is a list of rows, a bulk {context.action}" if lists else ""
        raise Unfit(
            f"no property of the request schema {_named(schema)} ({listed(properties)}) is "
            f"a column of `{table}`{bulk}"
        )
    return copied, left


def _kept(context: Context, column: ir.Column) -> bool:
    """Whether a body field naming ``column`` is not the client's to set: the primary key
    on a change (the path names the row), and on a create where the database makes it
    (``autoincrement()``, ``uuid()``); a time the database keeps (``now()``, ``onUpdate``).
    A resource schema used both ways (``TagResource`` in and out) carries them."""
    made = column.default.kind if column.default is not None else None
    if column.primary_key:
        return context.action != "create" or made in {"autoincrement", "uuid"}
    return made == "now" or column.on_update is not None


def _names_or_shows_row(context: Context, schema: ir.JsonSchema) -> bool:
    """Whether a schema is named after the table (``Task``) or shows a row of it."""
    named = find_table(context.database, ref_name(schema) or "") is context.table
    return named or _shows_row(context, schema)


def _dump(context: Context, code: Code, copied: list[str], left: list[str], *options: str) -> str:
    """The body's fields to set: ``body.model_dump(...)``, the fields that are no columns
    excluded, or, where the request schema admits properties it does not name (its model
    keeps them), only the columns included; where the contract makes the body optional, a
    ``fields`` variable holding them, none where none was sent."""
    arguments = [*options]
    if _admits_more(context):
        arguments.append("include={" + ", ".join(f'"{name}"' for name in sorted(copied)) + "}")
    elif left:
        arguments.append("exclude={" + ", ".join(f'"{name}"' for name in sorted(left)) + "}")
    dump = f"body.model_dump({', '.join(arguments)})"
    if "None" not in context.arguments.get("body", "").split(" | "):
        return dump
    fields = fresh_name("fields", context.arguments)
    code.add(
        "# The contract makes the body optional: none sent sets no field.",
        f"{fields} = {dump} if body is not None else {{}}",
    )
    return fields


def _named(schema: ir.JsonSchema) -> str:
    """```Name``` of a schema given by reference; "(inline)" of one written in place."""
    name = ref_name(schema)
    return f"`{name}`" if name else "(inline)"


def _admits_more(context: Context) -> bool:
    """Whether the request schema admits properties it does not name, which its model keeps
    (``additionalProperties`` other than false, ``patternProperties``)."""
    schema = resolved(context.api, request_schema(context.task.operation) or {})
    more = schema.get("additionalProperties")
    return (more is not None and more is not False) or "patternProperties" in schema


# --- the actions --------------------------------------------------------------------------


def _get(context: Context) -> Code:
    code = _model_import(context)
    _lookup(context, code)
    _returned(context, code)
    return code


def _create(context: Context) -> Code:
    code = _model_import(context)
    copied, left = _body_fields(context)
    given = {c.name for c, _ in context.parents} | set(_column_names(context, copied))
    values = [f"**{_dump(context, code, copied, left)}"]
    values += [f"{snake(column.name)}={argument}" for column, argument in context.parents]
    by_caller = set()
    for column in context.table.columns:
        if column.name in given or not _needs_value(column):
            continue
        values.append(f"{snake(column.name)}={_caller(context, column, code)}")
        by_caller.add(column.name)
    checked = _parents_exist(context, code)
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
        _owned(context, code, ownership, context.row, context.human)
    _returned(context, code)
    return code


def _change(context: Context) -> Code:
    """PUT (every field of the body) and PATCH (the fields sent)."""
    code = _model_import(context)
    copied, left = _body_fields(context)
    options = ("exclude_unset=True",) if context.action == "update" else ()
    _lookup(context, code)
    fields = _dump(context, code, copied, left, *options)
    code.add(
        f"for name, value in {fields}.items():",
        f"    setattr({context.row}, name, value)",
    )
    _flush(context, code, "conflicts with")
    _returned(context, code)
    return code


def _delete(context: Context) -> Code:
    code = _model_import(context)
    _lookup(context, code)
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
    if _answer(context, code) is not None:
        status = context.task.operation.success
        raise Unfit(
            f"the delete answers `{status.status if status else '?'}` with content; the "
            "filler writes deletes that answer without",
            "document `204` (no content) as the delete's success",
        )
    return code


def _model_import(context: Context) -> Code:
    code = Code()
    if "." in context.model:
        code.need("src", "models")
    else:
        code.need("src.models", context.model)
    return code


def _column_names(context: Context, fields: list[str]) -> list[str]:
    columns = {snake(column.name): column.name for column in context.table.columns}
    return [columns[name] for name in fields if name in columns]


def _needs_value(column: ir.Column) -> bool:
    """Whether an insert must name the column: required, not nullable, no default."""
    return column.required and not column.nullable and column.default is None


def _caller(context: Context, column: ir.Column, code: Code) -> str:
    """A required foreign key to the user table: the authenticated caller's id."""
    target = column.references
    if target is None:
        why = "and it is no foreign key to the users table (the caller's id would fill that)"
    elif loose_key(target.model) not in _USER_TABLES:
        why = f"and its foreign key is to `{context.database.table(target.model).table_name}`"
        why += ", not to the users table"
    elif "principal" not in context.arguments:
        why = "and the operation has no authenticated caller whose id would fill it"
    else:
        return caller_key(context.database.table(target.model).column(target.field), code)
    table = context.table.table_name
    raise Unfit(
        f"nothing gives the required column `{column.name}` of `{table}` a value: it is "
        f"neither in the request body nor in the path, {why}",
        f"add `{column.name}` to the request schema, or give the column a default (or make it "
        "nullable)",
    )


# --- list ---------------------------------------------------------------------------------


@dataclass
class Listing:
    """The query parameters of a list, sorted out by what they do."""

    page: str | None = None
    limit: str | None = None
    offset: str | None = None
    sort: ir.Parameter | None = None
    order: str | None = None
    search: str | None = None
    cursor: str | None = None
    """The argument holding a cursor (keyset pagination)."""
    filters: list[str] = field(default_factory=list)
    """Lines that narrow ``statement``."""
    limit_within: bool = False
    offset_within: bool = False
    """The parameter's schema keeps it to a row count the database takes."""


def _list(context: Context) -> Code:
    code = _model_import(context)
    code.need("sqlalchemy", "select")
    statement = fresh_name("statement", context.arguments)
    listing = _listing(context, code, statement)
    envelope = _envelope(context, code)
    checked = _parents_exist(context, code)
    conditions = [f"{context.attribute(c)} == {argument}" for c, argument in context.parents]
    if (soft := context.soft_delete) is not None:
        conditions.append(f"{context.attribute(soft)}.is_(None)")
    where = f".where({', '.join(conditions)})" if conditions else ""
    code.add(f"{statement} = select({context.model}){where}", *listing.filters)
    if (ownership := context.ownership) is not None and not checked:
        caller = _caller_variable(context, code, ownership)
        condition = ownership.sql_condition(lambda t: _class_of(context, code, t), caller)
        if ownership.members is not None:
            code.need("sqlalchemy", "or_")
        code.add(
            f"if not {ownership.bypassed()}:",
            f"    {statement} = {statement}.where({condition})",
        )
    total = fresh_name("total", context.arguments)
    counted = {"total", "pages"} if listing.cursor else {"total", "pages", "more"}
    if envelope.kinds() & counted:
        code.need("sqlalchemy", "func")
        code.add(
            f"{total} = session.scalar(",
            f"    select(func.count()).select_from({statement}.subquery())",
            ") or 0",
        )
    rows = fresh_name("rows", context.arguments)
    if listing.cursor is not None:
        values = _cursor_page(context, listing, code, statement, rows, total)
    else:
        values = _numbered_page(context, listing, code, statement, rows, total)
    items = f"[{envelope.item}.model_validate(row) for row in {rows}]"
    if envelope.cls is None:
        code.add(f"return {items}")
        return code
    missing = envelope.kinds(required=True) - set(values) - {"items"}
    if missing:
        paging = "cursor" if listing.cursor is not None else "page-number or offset"
        raise Unfit(
            f"the list response `{envelope.cls}` requires {listed(envelope.names(missing))}, "
            f"which {paging} pagination cannot give",
            "add a cursor query parameter (`cursor`, `after`, `pageToken`)"
            if "next" in missing and listing.cursor is None
            else "",
        )
    code.add(f"return {envelope.render({'items': items, **values})}")
    return code


def _numbered_page(
    context: Context, listing: Listing, code: Code, statement: str, rows: str, total: str
) -> dict[str, str]:
    """A page by number or offset; what the envelope's fields are."""
    code.add(f"{statement} = {statement}.order_by({_order(context, listing, code)})")
    # An OFFSET or LIMIT the caller sets goes through rows_bounded (src/core/pagination.py)
    # unless its own bounds keep it to what the database takes: page 10**30 is an empty
    # page, not an overflow (500) in the driver.
    if listing.offset is not None:
        offset = _rows_bounded(listing.offset, listing.offset_within, code)
        code.add(f"{statement} = {statement}.offset({offset})")
    elif listing.page is not None and listing.limit is not None:
        offset = _rows_bounded(f"({listing.page} - 1) * {listing.limit}", False, code)
        code.add(f"{statement} = {statement}.offset({offset})")
    if listing.limit is not None:
        limit = _rows_bounded(listing.limit, listing.limit_within, code)
        code.add(f"{statement} = {statement}.limit({limit})")
    code.add(f"{rows} = session.scalars({statement}).all()")
    return _meta_values(listing, total, rows)


def _cursor_page(
    context: Context, listing: Listing, code: Code, statement: str, rows: str, total: str
) -> dict[str, str]:
    """A page after a cursor, in keyset order (the sort column, then the key, one
    direction): one row more than asked tells whether there is a next page."""
    limit, cursor = listing.limit, listing.cursor
    if limit is None or cursor is None:
        raise Unfit(
            f"the cursor parameter `{_parameter_of(context, cursor)}` comes without a page "
            "size parameter (`limit`, `pageSize`, `perPage`, ...)",
            "add a `limit` query parameter to the operation",
        )
    key = context.attribute(context.primary_key)
    chosen = _sort_expression(context, listing, code)
    order = fresh_name("keyset", context.arguments)
    code.add(f"{order} = ({key},)" if chosen == key else f"{order} = ({chosen}, {key})")
    code.need("src.core.pagination", "after_cursor")
    code.need("src.core.pagination", "cursor_of")
    if listing.order is None:
        code.add(
            f"if {cursor} is not None:",
            f"    {statement} = {statement}.where(after_cursor({cursor}, *{order}))",
            f"{statement} = {statement}.order_by(*{order}).limit({limit} + 1)",
        )
    else:
        code.add(
            f"descending = {listing.order}",
            f"if {cursor} is not None:",
            f"    after = after_cursor({cursor}, *{order}, descending=descending)",
            f"    {statement} = {statement}.where(after)",
            f"ordered = [c.desc() if descending else c.asc() for c in {order}]",
            f"{statement} = {statement}.order_by(*ordered).limit({limit} + 1)",
        )
    more, following = (
        fresh_name("more", context.arguments),
        fresh_name("following", context.arguments),
    )
    code.add(
        f"{rows} = session.scalars({statement}).all()",
        f"{more} = len({rows}) > {limit}",
        f"{rows} = {rows}[:{limit}]",
        f"{following} = cursor_of({rows}[-1], *{order}) if {more} else None",
    )
    return {
        "more": more,
        "next": following,
        "limit": limit,
        "total": total,
        "pages": f"({total} + {limit} - 1) // {limit}",
        "success": "True",
    }


def _listing(context: Context, code: Code, statement: str) -> Listing:
    listing = Listing()
    query = [p for p in context.task.operation.parameters if p.location == "query"]
    keys = {loose_key(p.name) for p in query}
    for parameter in query:
        argument = context.parameters[parameter.name]
        key = loose_key(parameter.name)
        optional = context.arguments.get(argument, "").replace(" ", "").endswith("|None")
        if key in _PAGE:
            listing.page = _defaulted(argument, optional, parameter, 1, code)
        elif key in _LIMIT and not (key == "count" and keys & _LIMIT - {"count"}):
            listing.limit = _defaulted(argument, optional, parameter, 20, code)
            listing.limit_within = _within_rows(parameter)
        elif key in CURSOR_NAMES:
            listing.cursor = argument
        elif key in _OFFSET:
            listing.offset = _defaulted(argument, optional, parameter, 0, code)
            listing.offset_within = _within_rows(parameter)
        elif key in _SORT:
            listing.sort = parameter
        elif key in _ORDER:
            listing.order = f"{argument} == {_descending(context, parameter)!r}"
        elif key in _SEARCH and column_named(context.table, parameter.name) is None:
            listing.filters += _search(context, parameter, argument, optional, statement, code)
        else:
            listing.filters += _filter(context, parameter, argument, optional, statement)
    if listing.page is not None and listing.limit is None:
        raise Unfit(
            f"the page parameter `{_parameter_of(context, listing.page)}` comes without a page "
            "size parameter (`limit`, `pageSize`, `perPage`, ...)",
            "add a `limit` query parameter to the operation",
        )
    return listing


def _parameter_of(context: Context, argument: str | None) -> str:
    """The contract's name of the parameter an argument holds."""
    return next((name for name, given in context.parameters.items() if given == argument), "?")


ROWS_MOST = 2**63 - 1
"""The largest OFFSET or LIMIT PostgreSQL and SQLite take (a signed 64-bit integer)."""


def _within_rows(parameter: ir.Parameter) -> bool:
    """Whether the parameter's minimum and maximum keep it between 0 and ROWS_MOST."""
    low, high = parameter.schema.get("minimum"), parameter.schema.get("maximum")
    numbers = (int, float)
    return isinstance(low, numbers) and isinstance(high, numbers) and 0 <= low <= high <= ROWS_MOST


def _rows_bounded(expression: str, within: bool, code: Code) -> str:
    """``expression`` as an OFFSET or LIMIT the database takes."""
    if within:
        return expression
    code.need("src.core.pagination", "rows_bounded")
    return f"rows_bounded({expression})"


def _defaulted(
    argument: str, optional: bool, parameter: ir.Parameter, fallback: int, code: Code
) -> str:
    """The argument, given a default first where it may be None."""
    if optional:
        default = parameter.schema.get("default", fallback)
        code.add(f"{argument} = {argument} or {int(default)}")
    return argument


def _filter(
    context: Context, parameter: ir.Parameter, argument: str, optional: bool, statement: str
) -> list[str]:
    """``statement = statement.where(...)`` for a parameter named after a column, or after
    a column and a bound (``dueBefore``, ``minEstimate``)."""
    column, operator = column_named(context.table, parameter.name), "=="
    if column is None:
        column, operator = _ranged(context.table, parameter.name)
    if column is None:
        table = context.table.table_name
        raise Unfit(
            f"query parameter `{parameter.name}` maps to no column of `{table}` (by name, or as "
            "a range: a column and Before/After/Min/Max), and is no page, limit, offset, "
            "cursor, sort, order or search parameter",
            f"add the column `{parameter.name}` to `{table}`, or name the parameter after the "
            f"column of `{table}` it filters",
        )
    condition = f"{context.attribute(column)} {operator} {argument}"
    if not optional:
        return [f"{statement} = {statement}.where({condition})"]
    return [f"if {argument} is not None:", f"    {statement} = {statement}.where({condition})"]


def _ranged(table: ir.Table, name: str) -> tuple[ir.Column | None, str]:
    parts = [word.lower() for word in words(name)]
    for bounds, operator in ((_UPPER, "<="), (_LOWER, ">=")):
        if len(parts) > 1 and parts[-1] in bounds:
            prefix = "".join(parts[:-1])
        elif len(parts) > 1 and parts[0] in bounds:
            prefix = "".join(parts[1:])
        else:
            continue
        exact = [c for c in table.columns if loose_key(c.name) == prefix]
        started = [
            c
            for c in table.columns
            if loose_key(c.name).startswith(prefix) and c.type in {"string", "number", "integer"}
        ]
        matches = exact or started
        if len(matches) == 1:
            return matches[0], operator
    return None, ""


def _search(
    context: Context,
    parameter: ir.Parameter,
    argument: str,
    optional: bool,
    statement: str,
    code: Code,
) -> list[str]:
    """A case-insensitive search for the text in the text columns the response shows."""
    shown = {loose_key(name) for name in schema_properties(context.api, _item_schema(context))}
    columns = [
        column
        for column in context.table.columns
        if column.type == "string"
        and column.format is None
        and column.enum is None
        and loose_key(column.name) in shown
    ]
    if not columns:
        raise Unfit(
            f"search parameter `{parameter.name}` finds no text column of "
            f"`{context.table.table_name}` to search: none the response shows is a string "
            "without a format or enum"
        )
    # The text as written: autoescape keeps LIKE's wildcards (% and _) in it literal, so
    # a search for "%" finds a percent sign, not every row.
    matches = [
        f"{context.attribute(column)}.icontains({argument}, autoescape=True)" for column in columns
    ]
    condition = matches[0]
    if len(matches) > 1:
        code.need("sqlalchemy", "or_")
        condition = f"or_({', '.join(matches)})"
    lines = [f"{statement} = {statement}.where({condition})"]
    if not optional:
        return lines
    return [f"if {argument} is not None:", *(f"    {line}" for line in lines)]


def _order(context: Context, listing: Listing, code: Code) -> str:
    """The ORDER BY: the sort parameter's column (else the creation time), then the key."""
    key = context.attribute(context.primary_key)
    chosen = _sort_expression(context, listing, code)
    if listing.order is None:
        return key if chosen == key else f"{chosen}, {key}"
    code.add(
        f"column = {chosen}",
        f"ordered = column.desc() if {listing.order} else column.asc()",
    )
    return "ordered" if chosen == key else f"ordered, {key}"


def _sort_expression(context: Context, listing: Listing, code: Code) -> str:
    """The column the list is sorted by: the sort parameter's, else the creation time,
    else the key."""
    key = context.attribute(context.primary_key)
    created = next((c for c in context.table.columns if loose_key(c.name) == "createdat"), None)
    default = context.attribute(created) if created is not None else key
    if listing.sort is None:
        return default
    return _sort_column(context, listing.sort, default, code)


def _sort_column(context: Context, parameter: ir.Parameter, default: str, code: Code) -> str:
    """``columns[sort]``: the column each value of the sort parameter names."""
    argument = context.parameters[parameter.name]
    values = resolved(context.api, parameter.schema).get("enum")
    closed = isinstance(values, list)
    if not isinstance(values, list):
        values = [c.name for c in context.table.columns if loose_key(c.name) in _shown(context)]
    pairs = []
    for value in values:
        column = column_named(context.table, str(value))
        if column is None:
            raise Unfit(
                f"sort parameter `{parameter.name}`: its value `{value}` names no column of "
                f"`{context.table.table_name}`"
            )
        pairs.append(f'"{value}": {context.attribute(column)}')
    code.need("typing", "Any")
    code.need("sqlalchemy.orm", "InstrumentedAttribute")
    code.add("columns: dict[str, InstrumentedAttribute[Any]] = {" + ", ".join(pairs) + "}")
    optional = context.arguments.get(argument, "").replace(" ", "").endswith("|None")
    if closed and not optional:
        return f"columns[{argument}]"
    return f'columns.get({argument} or "", {default})'


def _descending(context: Context, parameter: ir.Parameter) -> str:
    """The value of a direction parameter that means descending."""
    values = resolved(context.api, parameter.schema).get("enum") or ()
    return next((str(v) for v in values if str(v).lower().startswith("desc")), "desc")


def _shown(context: Context) -> set[str]:
    return {loose_key(name) for name in schema_properties(context.api, _item_schema(context))}


def _item_schema(context: Context) -> ir.JsonSchema:
    """The schema of one listed row (the array's items)."""
    schema = success_schema(context.task.operation) or {}
    shape = resolved(context.api, schema)
    if base_type(shape) == "array":
        return shape.get("items") or {}
    for value in schema_properties(context.api, schema).values():
        if base_type(resolved(context.api, value)) == "array":
            return resolved(context.api, value).get("items") or {}
    return {}


@dataclass(frozen=True)
class Envelope:
    """How a list answers: a plain list of ``item``, or ``cls`` with these fields."""

    item: str
    cls: str | None = None
    fields: tuple[tuple[str, str], ...] = ()
    """(field name, what fills it): ``items``/``total``/``page``/... or ``meta:<i>``; an
    optional field's kind ends with ``?`` (left out where the list cannot give it)."""
    metas: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    """Nested objects: (class, fields)."""

    def kinds(self, *, required: bool = False) -> set[str]:
        """What fills the fields (``items``, ``total``, ``next``, ...); only the required
        fields' where ``required``."""
        pairs = [*self.fields, *(pair for _, inner in self.metas for pair in inner)]
        return {
            kind.rstrip("?")
            for _, kind in pairs
            if not kind.startswith("meta:") and not (required and kind.endswith("?"))
        }

    def names(self, kinds: set[str]) -> list[str]:
        """The fields (by their Python names) that ``kinds`` fill."""
        pairs = [*self.fields, *(pair for _, inner in self.metas for pair in inner)]
        return sorted(name for name, kind in pairs if kind.rstrip("?") in kinds)

    def render(self, values: Mapping[str, str]) -> str:
        def given(pairs: Sequence[tuple[str, str]]) -> str:
            return ", ".join(
                f"{name}={values[kind.rstrip('?')]}"
                for name, kind in pairs
                if kind.rstrip("?") in values
            )

        parts = []
        for name, kind in self.fields:
            if kind.startswith("meta:"):
                cls, inner = self.metas[int(kind[5:])]
                parts.append(f"{name}={cls}({given(inner)})")
            else:
                parts.append(given([(name, kind)]))
        return f"{self.cls}({', '.join(part for part in parts if part)})"


def _envelope(context: Context, code: Code) -> Envelope:
    schema = success_schema(context.task.operation)
    if schema is None:
        raise Unfit(
            "the list documents no JSON success response",
            "document the list's response and its schema",
        )
    shape = resolved(context.api, schema)
    if base_type(shape) == "array":
        return Envelope(item=_item_class(context, shape.get("items") or {}, code))
    name = ref_name(schema)
    properties = schema_properties(context.api, schema)
    arrays = [p for p, s in properties.items() if base_type(resolved(context.api, s)) == "array"]
    if name is None:
        raise Unfit(
            "the list response is an inline schema, neither an array nor a named envelope",
            "give the list response's schema a name in components/schemas",
        )
    if len(arrays) != 1:
        raise Unfit(
            f"the list response `{name}` is neither an array nor an envelope of one: it has "
            f"{len(arrays)} array properties ({listed(arrays)}), not one"
        )
    item_schema = resolved(context.api, properties[arrays[0]]).get("items") or {}
    item = _item_class(context, item_schema, code)
    required = schema_required(context.api, schema)
    fields: list[tuple[str, str]] = [(snake(arrays[0]), "items")]
    metas: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    for prop, prop_schema in properties.items():
        if prop == arrays[0]:
            continue
        meta_name = ref_name(prop_schema)
        if base_type(resolved(context.api, prop_schema)) == "object" and meta_name:
            inner = _meta_fields(context, prop_schema)
            if inner is None:
                if prop in required:
                    raise Unfit(
                        f"the list response `{name}` requires `{prop}` (`{meta_name}`), which "
                        "holds more than pagination fields"
                    )
                continue
            metas.append((schema_reference(context.api, meta_name, code), inner))
            fields.append((snake(prop), f"meta:{len(metas) - 1}"))
            continue
        kind = _meta_kind(prop)
        if kind is None:
            if prop in required:
                raise Unfit(
                    f"the list response `{name}` requires `{prop}`, which is neither its items "
                    "nor a pagination field (total, page, limit, offset, totalPages, hasMore, "
                    "a next cursor)"
                )
            continue
        fields.append((snake(prop), kind if prop in required else kind + "?"))
    return Envelope(item, schema_reference(context.api, name, code), tuple(fields), tuple(metas))


def _item_class(context: Context, schema: ir.JsonSchema, code: Code) -> str:
    name = ref_name(schema)
    if name is None:
        raise Unfit(
            "the list response's items are an inline schema, not a named one",
            "give the items' schema a name in components/schemas",
        )
    return schema_reference(context.api, name, code)


def _meta_fields(context: Context, schema: ir.JsonSchema) -> tuple[tuple[str, str], ...] | None:
    """The pagination fields of a nested object, or None where it holds something else."""
    required = schema_required(context.api, schema)
    fields = []
    for prop in schema_properties(context.api, schema):
        kind = _meta_kind(prop)
        if kind is None:
            if prop in required:
                return None
            continue
        fields.append((snake(prop), kind if prop in required else kind + "?"))
    return tuple(fields) or None


def _meta_kind(prop: str) -> str | None:
    key = loose_key(prop)
    for kinds, kind in (
        (_PAGE, "page"),
        (_LIMIT - {"count"}, "limit"),
        (_OFFSET, "offset"),
        (_TOTAL, "total"),
        (_PAGES, "pages"),
        (_HAS_MORE, "more"),
        (_SUCCESS, "success"),
        (_NEXT, "next"),
    ):
        if key in kinds:
            return kind
    return None


def _meta_values(listing: Listing, total: str, rows: str) -> dict[str, str]:
    values: dict[str, str] = {"total": total, "success": "True"}
    limit = listing.limit
    if listing.page is not None and limit is not None:
        values["page"] = listing.page
        values["offset"] = f"({listing.page} - 1) * {limit}"
        values["more"] = f"{listing.page} * {limit} < {total}"
    elif listing.offset is not None:
        values["offset"] = listing.offset
        values["page"] = f"{listing.offset} // {limit} + 1" if limit else "1"
        values["more"] = f"{listing.offset} + len({rows}) < {total}"
    else:
        values["page"], values["offset"], values["more"] = "1", "0", "False"
    if limit is not None:
        values["limit"] = limit
        values["pages"] = f"({total} + {limit} - 1) // {limit}"
    else:
        values["limit"] = f"max(len({rows}), 1)"
        values["pages"] = f"1 if {total} else 0"
    return values


_BUILDERS = {
    "list": _list,
    "get": _get,
    "create": _create,
    "replace": _change,
    "update": _change,
    "delete": _delete,
}


# --- formatting ---------------------------------------------------------------------------
