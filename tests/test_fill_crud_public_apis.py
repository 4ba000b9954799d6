"""The CRUD filler on the classes public API contracts bring (Svix, WorkOS): cursor
pagination under other names, keys the server makes, constants the answer shows,
parameters a plain body would ignore, schemas of another kind of the row. Each case
changes one operation of
the bundled example as such a contract writes it: the filler writes the body where the
contracts determine it, and otherwise declines saying why."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from generators import ir
from generators.fill.crud import CrudFiller
from generators.fill.task import Decline, FillTask, Proposal
from tests.helpers import task_of


@pytest.fixture(scope="module")
def root(filled_example: tuple[Path, dict[str, str]]) -> Path:
    return filled_example[0]


def _declined(task: FillTask) -> Decline:
    answer = CrudFiller().propose(task, [])
    assert isinstance(answer, Decline), answer
    print(f"\n{task.operation.operation_id}: {answer.reason} (hint: {answer.hint})")
    return answer


def _written(task: FillTask) -> Proposal:
    answer = CrudFiller().propose(task, [])
    assert isinstance(answer, Proposal), answer
    return answer


def _with_schemas(task: FillTask, **schemas: dict[str, Any]) -> FillTask:
    api = task.project.api
    api = dataclasses.replace(api, schemas={**api.schemas, **schemas})
    return dataclasses.replace(task, project=dataclasses.replace(task.project, api=api))


def _with_column(task: FillTask, model: str, name: str, **changes: Any) -> FillTask:
    database = task.project.database
    assert database is not None
    tables = tuple(
        dataclasses.replace(
            table,
            columns=tuple(
                dataclasses.replace(c, **changes) if c.name == name else c for c in table.columns
            ),
        )
        if table.model == model
        else table
        for table in database.tables
    )
    database = dataclasses.replace(database, tables=tables)
    return dataclasses.replace(task, project=dataclasses.replace(task.project, database=database))


def _json(schema: dict[str, Any], status: str = "200") -> ir.Response:
    return ir.Response(status, "ok", (ir.MediaContent("application/json", schema),))


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


# --- cursor pagination: Svix's iterator and done ------------------------------------------


def _iterated_users(root: Path, iterator: dict[str, Any]) -> FillTask:
    """listUsers as Svix lists: ``limit`` and ``iterator`` in, ``{data, iterator,
    prevIterator, done}`` out (``done``: no page follows)."""
    parameters = (
        ir.Parameter("limit", "query", False, {"type": "integer", "minimum": 1, "maximum": 250}),
        ir.Parameter("iterator", "query", False, iterator),
    )
    page = {
        "type": "object",
        "required": ["data", "done", "iterator"],
        "properties": {
            "data": {"type": "array", "items": _ref("UserResponse")},
            "iterator": {"type": ["string", "null"]},
            "prevIterator": {"type": ["string", "null"]},
            "done": {"type": "boolean"},
        },
    }
    task = task_of(
        root,
        "listUsers",
        parameters=parameters,
        responses=(_json(_ref("ListResponse_UserResponse_")),),
    )
    source = (
        "def list_users(*, limit: int | None, iterator: str | None, principal: Principal, "
        'session: Session) -> ListResponse_UserResponse_:\n    """listUsers."""\n'
        '    raise ServiceNotImplementedError("listUsers")\n'
    )
    task = dataclasses.replace(task, source=source)
    return _with_schemas(task, ListResponse_UserResponse_=page)


def test_an_iterator_pages_by_cursor_and_done_says_no_page_follows(root: Path) -> None:
    proposal = _written(_iterated_users(root, {"type": "string", "pattern": "^[a-zA-Z0-9\\-_.]+$"}))
    body = proposal.body
    assert "after_cursor(iterator, *keyset)" in body, body
    assert "iterator=following" in body and "done=not more" in body, body
    assert "prev_iterator" not in body  # optional: left out


def test_a_cursor_parameter_that_refuses_opaque_cursors_is_declined(root: Path) -> None:
    """Svix's endpoint list takes only an endpoint's id as its iterator
    (``^ep_[A-Za-z0-9]{27}$``): an opaque cursor would be refused by the API's own
    validation, so no client could ask for the next page."""
    pattern = "^ep_[A-Za-z0-9]{27}$"
    decline = _declined(_iterated_users(root, {"type": "string", "pattern": pattern}))
    assert decline.reason.startswith("cursor parameter `iterator` takes only"), decline
    assert pattern in decline.reason
    short = _declined(_iterated_users(root, {"type": "string", "maxLength": 12}))
    assert "at most 12 characters" in short.reason, short


def test_a_cursor_that_pages_backwards_is_declined(root: Path) -> None:
    """WorkOS's lists take ``before`` beside ``after``: the rows before a cursor, which
    forward keyset pages do not give; the reason says so, not that no column is named
    `before`."""
    task = _iterated_users(root, {"type": "string"})
    before = ir.Parameter("before", "query", False, {"type": "string"})
    source = task.source.replace(
        "iterator: str | None,", "iterator: str | None, before: str | None,"
    )
    changed = dataclasses.replace(
        task,
        operation=dataclasses.replace(
            task.operation, parameters=(*task.operation.parameters, before)
        ),
        source=source,
    )
    decline = _declined(changed)
    assert decline.reason.startswith("cursor parameter `before` pages backwards"), decline
    assert "forward from `iterator`" in decline.reason


# --- keys the server makes ----------------------------------------------------------------


def test_a_key_the_server_makes_without_a_default_is_declined_saying_so(root: Path) -> None:
    """Svix's ids (``app_`` and 27 characters) are the server's to make: a database contract
    that gives the key no default leaves open how, and no prefix scheme is invented."""
    task = _with_column(task_of(root, "createProject"), "Project", "id", default=None)
    schema = dict(task.project.api.schemas["ProjectResponse"])
    pattern = "^prj_[A-Za-z0-9]{27}$"
    schema["properties"] = {**schema["properties"], "id": {"type": "string", "pattern": pattern}}
    decline = _declined(_with_schemas(task, ProjectResponse=schema))
    assert decline.reason.startswith("the key `id` of `projects` is the server's to make"), decline
    assert pattern in decline.reason
    assert "give `id` a default" in decline.hint


def test_a_default_key_the_response_pattern_refuses_is_declined(root: Path) -> None:
    """A ``uuid()`` default makes UUIDs; a response whose ``id`` must match
    ``^prj_[A-Za-z0-9]{27}$`` refuses them."""
    task = task_of(root, "createProject")
    schema = dict(task.project.api.schemas["ProjectResponse"])
    pattern = "^prj_[A-Za-z0-9]{27}$"
    schema["properties"] = {**schema["properties"], "id": {"type": "string", "pattern": pattern}}
    decline = _declined(_with_schemas(task, ProjectResponse=schema))
    assert "its default `uuid()` makes UUIDs" in decline.reason, decline
    assert pattern in decline.reason


# --- what a plain body would ignore -------------------------------------------------------


def test_a_query_parameter_of_an_item_operation_is_declined(root: Path) -> None:
    """Svix's DELETE /event-type/{name}?expunge=true: the delete does something else by
    it, which a plain delete would ignore."""
    task = task_of(root, "deleteTask")
    expunge = ir.Parameter("expunge", "query", False, {"type": "boolean"})
    source = task.source.replace("task_id: UUID,", "task_id: UUID,\n    expunge: bool,")
    changed = task_of(root, "deleteTask", parameters=(*task.operation.parameters, expunge))
    decline = _declined(dataclasses.replace(changed, source=source))
    assert decline.reason.startswith("query parameter `expunge` of a delete"), decline


def test_an_idempotency_key_on_a_create_is_declined(root: Path) -> None:
    task = task_of(root, "createProject")
    header = ir.Parameter("idempotency-key", "header", False, {"type": "string"})
    source = task.source.replace("*,", "*,\n    idempotency_key: str | None,", 1)
    changed = task_of(root, "createProject", parameters=(header, *task.operation.parameters))
    decline = _declined(dataclasses.replace(changed, source=source))
    assert decline.reason.startswith("header `idempotency-key` asks that a create"), decline


# --- another kind of the row --------------------------------------------------------------


def test_a_schema_of_another_kind_of_the_row_is_declined(root: Path) -> None:
    """Svix's /stream/event-type answers a StreamEventTypeOut: a stream's event type, not
    the table's EventType; a verb before the name (CreateProject...) is no other kind."""
    task = task_of(root, "getProject")
    schema = task.project.api.schemas["ProjectResponse"]
    errors = tuple(r for r in task.operation.responses if r.status != "200")

    def answering(name: str) -> FillTask:
        changed = task_of(root, "getProject", responses=(_json(_ref(name)), *errors))
        return _with_schemas(changed, **{name: schema})

    decline = _declined(answering("ArchivedProjectOut"))
    assert decline.reason.startswith(
        "the response schema `ArchivedProjectOut` names a kind of row of its own"
    ), decline
    assert "x-crud: {table: Project}" in decline.hint
    _written(answering("CreateProjectResponse"))


def test_a_key_parameter_of_another_pattern_than_the_key_is_declined(root: Path) -> None:
    """Svix's {endpoint_id} takes an endpoint's id or its uid (the uid's pattern, not the
    id's ``^ep_...``): a lookup by the key alone would miss what the path names."""
    task = task_of(root, "getProject")
    schema = dict(task.project.api.schemas["ProjectResponse"])
    key = {"type": "string", "format": "uuid", "pattern": "^[0-9a-f-]{36}$"}
    schema["properties"] = {**schema["properties"], "id": key}
    wider = {"type": "string", "format": "uuid", "pattern": "^[a-zA-Z0-9\\-_.]+$"}
    parameters = tuple(
        dataclasses.replace(p, schema=wider) if p.location == "path" else p
        for p in task.operation.parameters
    )
    changed = _with_schemas(
        task_of(root, "getProject", parameters=parameters), ProjectResponse=schema
    )
    decline = _declined(changed)
    assert decline.reason.startswith("path parameter `projectId` takes"), decline
    same = tuple(
        dataclasses.replace(p, schema=key) if p.location == "path" else p
        for p in task.operation.parameters
    )
    _written(_with_schemas(task_of(root, "getProject", parameters=same), ProjectResponse=schema))


# --- constants the answer shows -----------------------------------------------------------


def test_a_constant_the_row_does_not_hold_is_answered_as_fixed(root: Path) -> None:
    """WorkOS's objects carry ``"object": "group"`` (``const``): no column holds it, and
    the answer gives it beside the row's columns (src/core/rows.py), in a read and in a
    list's items."""
    task = task_of(root, "getProject")
    schema = dict(task.project.api.schemas["ProjectResponse"])
    schema["properties"] = {
        **schema["properties"],
        "object": {"type": "string", "const": "project"},
    }
    schema["required"] = [*schema["required"], "object"]
    proposal = _written(_with_schemas(task, ProjectResponse=schema))
    assert 'ProjectResponse.model_validate(with_values(project, object="project"))' in proposal.body
    assert ("src.core.rows", "with_values") in proposal.imports
    users = task_of(root, "listUsers")
    schema = dict(users.project.api.schemas["UserResponse"])
    schema["properties"] = {**schema["properties"], "kind": {"type": "string", "enum": ["user"]}}
    listed = _written(_with_schemas(users, UserResponse=schema))
    assert (
        'UserResponse.model_validate(with_values(row, kind="user")) for row in rows' in listed.body
    )
