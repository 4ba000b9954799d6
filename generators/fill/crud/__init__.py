"""A filler for plain CRUD operations: bodies read off the two contracts, no model asked.

An operation is CRUD when its path names a table and its method says what to do with it
(:mod:`~generators.fill.crud.recognise`):

=============================  ==========  =========================================
``GET /projects``              list        a page of rows (filters, sort, pagination)
``GET /projects/{projectId}``  get         one row by its primary key, or 404
``POST /projects``             create      a row from the body's fields, 201
``PUT /tasks/{taskId}``        replace     every field of the body set on the row
``PUT /tags/{name}``           upsert      the same, or the row created under the key,
                                           where the PUT documents 201 (or says "create
                                           or replace")
``PATCH /tasks/{taskId}``      update      only the fields the body sent
``DELETE /tasks/{taskId}``     delete      the row (soft: ``deletedAt`` set), 204
=============================  ==========  =========================================

The modules, by concern:

- :mod:`~generators.fill.crud.context`: what every part of a body knows of the operation;
- :mod:`~generators.fill.crud.recognise`: which table, action, key and parents;
- :mod:`~generators.fill.crud.ignored`: what an operation asks beyond plain CRUD (a query
  parameter of an item, an idempotency key, a PUT that creates, a key of another pattern);
- :mod:`~generators.fill.crud.keys`: how a created row's key is made, if the contracts say;
- :mod:`~generators.fill.crud.lookups`: the row of the key, its parents, its owner (get);
- :mod:`~generators.fill.crud.fields`: what a write sets, and what it keeps from the body;
- :mod:`~generators.fill.crud.writes`: create, replace/update, upsert, delete;
- :mod:`~generators.fill.crud.responses`: how a row is answered;
- :mod:`~generators.fill.crud.parameters`, :mod:`~generators.fill.crud.sorting`,
  :mod:`~generators.fill.crud.envelopes`, :mod:`~generators.fill.crud.listing`: a list's
  filters, its order, its response shape, its pages.

Anything this filler does not understand (an unknown query parameter, a required column
nothing fills, a response shape it cannot build) makes it decline rather than guess: its
:class:`~generators.fill.task.Decline` names the parameter, schema, table or column
concerned and, where one exists, the hint that would let it write the body.
The code is formatted with ``ruff format``; errors are raised as ``ApiError`` of
``src/core/errors.py``, served in the contract's documented shape. The transaction is the
request's (``src/core/database.py`` commits it): bodies only ``flush``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from generators.fill.code import Code, deterministic_proposal
from generators.fill.crud.context import Context
from generators.fill.crud.listing import list_rows
from generators.fill.crud.lookups import get_row
from generators.fill.crud.recognise import context_of
from generators.fill.crud.writes import change_row, create_row, delete_row, upsert_row
from generators.fill.task import Attempt, Decline, FillTask, Proposal

BUILDERS: Mapping[str, Callable[[Context], Code]] = {
    "list": list_rows,
    "get": get_row,
    "create": create_row,
    "replace": change_row,
    "upsert": upsert_row,
    "update": change_row,
    "delete": delete_row,
}


class CrudFiller:
    """Bodies for list/get/create/replace/upsert/update/delete operations (see the package doc)."""

    name = "crud"
    deterministic = True

    def propose(self, task: FillTask, attempts: Sequence[Attempt]) -> Proposal | Decline:
        def build() -> tuple[Code, str]:
            context = context_of(task)
            code = BUILDERS[context.action](context)
            return (
                code,
                f"crud: {context.action} {context.table.model} ({task.operation.operation_id})",
            )

        return deterministic_proposal(attempts, build)
