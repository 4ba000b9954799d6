"""What every part of a CRUD body needs to know of its operation: the :class:`Context`
(the table and action, the row's variable, the function's arguments, the key and the
parents its path gives, who may reach the rows), and how a body names model classes.

A table with a ``deletedAt`` (``deleted_at``) date-time column is soft-deleted, and its
deleted rows are left out of every read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from generators import ir
from generators.fill.code import Code, model_name
from generators.fill.ownership import Ownership
from generators.fill.task import FillTask
from generators.naming import snake, words

ACTIONS = ("list", "get", "create", "replace", "update", "delete")
SOFT_DELETE = {"deletedAt", "deleted_at"}


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
                if column.name in SOFT_DELETE and column.format == "date-time"
            ),
            None,
        )

    def documented(self, *statuses: str) -> str | None:
        """The first of ``statuses`` the operation documents."""
        have = {response.status for response in self.task.operation.responses}
        return next((status for status in statuses if status in have), None)

    def schema(self, name: str) -> ir.JsonSchema:
        return self.api.schemas.get(name, {})


def class_of(context: Context, code: Code, table: ir.Table) -> str:
    """How the body names ``table``'s class, imported."""
    model = model_name(context.task, table)
    if "." in model:
        code.need("src", "models")
    else:
        code.need("src.models", table.model)
    return model


def model_import(context: Context) -> Code:
    code = Code()
    if "." in context.model:
        code.need("src", "models")
    else:
        code.need("src.models", context.model)
    return code
