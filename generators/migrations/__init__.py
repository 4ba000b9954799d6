"""Alembic revisions from changes of the database contract.

``plan_migration`` compares the contract with the snapshot kept beside the newest generated
revision and, when the database would change, returns the next revision and its snapshot.
Same history and same contract give the same bytes, so regenerating is a no-op.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generators import ir
from generators.emit.imports import Imports
from generators.emit.render import render
from generators.loading.database import load_database
from generators.migrations.diff import Diff, UnsupportedChange, diff
from generators.migrations.history import SNAPSHOT_SUFFIX, HistoryError, read_history
from generators.migrations.operations import downgrade_of
from generators.migrations.rendering import Renderer
from generators.migrations.schema import database_state
from generators.naming import snake

VERSIONS = "alembic/versions"


class DestructiveChange(Exception):
    """The migration would lose data and ``--allow-destructive`` was not given."""

    def __init__(self, losses: list[str]) -> None:
        super().__init__("; ".join(losses))
        self.losses = losses


@dataclass(frozen=True)
class MigrationPlan:
    files: dict[str, str] = field(default_factory=dict)
    """The new revision and its contract snapshot (paths relative to the project)."""
    changes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    losses: tuple[str, ...] = ()


def plan_migration(
    project: Path,
    database: ir.Database | None,
    contract_text: str | None,
    *,
    allow_destructive: bool = False,
) -> MigrationPlan:
    """The next revision of ``project``'s ``alembic/versions`` (none if nothing changed)."""
    versions = project / VERSIONS
    if not versions.is_dir():
        return MigrationPlan()  # a project without Alembic
    history = read_history(versions)
    snapshot = history.latest_snapshot
    if snapshot is None and history.revisions:
        raise HistoryError(
            f"{versions} has revisions but none written by Spec Foundry (no *{SNAPSHOT_SUFFIX}"
            " beside them), so there is nothing to compare the contract with"
        )
    if snapshot is not None and contract_text == snapshot.read_text(encoding="utf-8"):
        return MigrationPlan()  # the very contract the newest revision was made from
    previous = load_database(snapshot) if snapshot else None
    current = database_state(database)
    changes = diff(database_state(previous), current)
    if not changes.operations:
        return MigrationPlan()
    if changes.losses and not allow_destructive:
        raise DestructiveChange(changes.losses)
    revision = history.next_id()
    name = f"{revision}_{_slug(changes, initial=previous is None)}"
    renderer = Renderer(current, Imports())
    renderer.imports.add("alembic", "op")
    upgrade = renderer.body(changes.operations)
    downgrade = renderer.body(downgrade_of(changes.operations))
    enums = renderer.enum_definitions()
    text = render(
        "migration.py.jinja",
        title=_title(changes, initial=previous is None),
        changes=changes.changes,
        revision=revision,
        down_revision=history.head.id if history.head else None,
        snapshot=name + SNAPSHOT_SUFFIX,
        imports=renderer.imports.render(),
        enums=enums,
        upgrade=upgrade,
        downgrade=downgrade,
    )
    files = {
        f"{VERSIONS}/{name}.py": text,
        f"{VERSIONS}/{name}{SNAPSHOT_SUFFIX}": contract_text or "",
    }
    return MigrationPlan(
        files, tuple(changes.changes), tuple(changes.warnings), tuple(changes.losses)
    )


_CONSEQUENCES = (
    "create index",
    "drop index",
    "create unique",
    "drop unique",
    "create foreign key",
    "drop foreign key",
)


def _headline(changes: Diff) -> str:
    """The change that names the revision: tables and columns before indexes and keys."""
    return next((c for c in changes.changes if not c.startswith(_CONSEQUENCES)), changes.changes[0])


def _title(changes: Diff, *, initial: bool) -> str:
    if initial:
        tables = sum(line.startswith("create table") for line in changes.changes)
        return f"Initial schema: {tables} tables."
    headline = _headline(changes)
    first = headline[0].upper() + headline[1:]
    more = len(changes.changes) - 1
    return f"{first}." if not more else f"{first}, and {more} more change{'s' * (more > 1)}."


def _slug(changes: Diff, *, initial: bool) -> str:
    if initial:
        return "initial"
    words = snake(_headline(changes).split(":")[0])[:48].rstrip("_")
    return words + ("_and_more" if len(changes.changes) > 1 else "")


__all__ = [
    "DestructiveChange",
    "HistoryError",
    "MigrationPlan",
    "UnsupportedChange",
    "plan_migration",
]
