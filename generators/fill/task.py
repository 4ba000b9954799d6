"""What a filler is given and what it answers: the one interface every filler implements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from generators import ir


@dataclass(frozen=True)
class FillTask:
    """One unfilled service function."""

    project: ir.Project
    """Both contracts, as every emitter reads them."""
    operation: ir.Operation
    module: str
    """The service module, relative to the project root: ``src/services/tasks.py``."""
    function: str
    """The function's name in that module (the router calls it by this name)."""
    source: str
    """The function's current source, signature and docstring included."""
    root: Path
    """The project directory."""


@dataclass(frozen=True)
class Proposal:
    """A body for the function: its statements, without the ``def`` line or docstring."""

    body: str
    """Python statements, at any consistent indentation (they are re-indented)."""
    imports: tuple[tuple[str, str], ...] = ()
    """``(module, name)`` pairs the body needs at module level; added to the module's
    imports, which is the only other change an insertion may make."""
    note: str = ""
    """What the filler did (or, on a later attempt, what it fixed): goes into the log."""


@dataclass(frozen=True)
class Decline:
    """Why a filler does not write a body for the task; the next filler is asked."""

    reason: str
    """What in the contracts it could not follow, naming the operation's parameter,
    schema, table or column concerned: ``query parameter `startDate` maps to no column of
    `special_events```."""
    hint: str = ""
    """What would let it write the body (a column to add, an ``x-crud`` hint on the
    operation), where something would; empty where nothing the user can say would."""


@dataclass(frozen=True)
class Attempt:
    """One earlier attempt of the loop at this task, given back to the filler."""

    number: int
    proposal: Proposal
    errors: str
    """The exact output of the check that failed."""


class Filler(Protocol):
    """A source of service bodies. ``propose`` answers a :class:`Decline`, saying why,
    for a task it does not handle (the next filler is asked); ``attempts`` holds this
    filler's earlier, failed attempts at the task, newest last, so it can fix what the
    checks reported (or decline to try again)."""

    name: str
    deterministic: bool
    """The same task always gets the same proposal (and asking costs nothing), so the
    loop may check the first proposals of such fillers together, in one round."""

    def propose(self, task: FillTask, attempts: Sequence[Attempt]) -> Proposal | Decline: ...
