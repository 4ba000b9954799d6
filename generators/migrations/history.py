"""What ``alembic/versions/`` already holds: the revisions, their head, the latest snapshot.

A generated revision ``0002_add_column_tasks_priority.py`` is written together with
``0002_add_column_tasks_priority.contract.json``, the database contract it was generated from.
The next revision compares the contract with the newest snapshot along the chain from the head,
so hand-written revisions may sit between generated ones.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

SNAPSHOT_SUFFIX = ".contract.json"


class HistoryError(Exception):
    """The revisions on disk do not form one line that generation can extend."""


@dataclass(frozen=True)
class Revision:
    id: str
    down_revisions: tuple[str, ...]
    """Empty for the first revision, two or more for a merge."""
    path: Path

    @property
    def snapshot(self) -> Path:
        return self.path.with_name(self.path.stem + SNAPSHOT_SUFFIX)


@dataclass(frozen=True)
class History:
    revisions: tuple[Revision, ...]
    head: Revision | None

    @property
    def latest_snapshot(self) -> Path | None:
        """The contract snapshot of the newest generated revision on the head's chain."""
        by_id = {revision.id: revision for revision in self.revisions}
        queue = [self.head] if self.head else []
        while queue:
            revision = queue.pop(0)
            if revision.snapshot.exists():
                return revision.snapshot
            queue += [by_id[parent] for parent in revision.down_revisions if parent in by_id]
        return None

    def next_id(self) -> str:
        numbers = [int(r.id) for r in self.revisions if r.id.isdigit()]
        return f"{max([0, *numbers]) + 1:04d}"


def read_history(versions: Path) -> History:
    read = (_revision(path) for path in sorted(versions.glob("*.py")))
    revisions = tuple(revision for revision in read if revision is not None)
    parents = {parent for revision in revisions for parent in revision.down_revisions}
    heads = [revision for revision in revisions if revision.id not in parents]
    if len(heads) > 1:
        names = ", ".join(sorted(head.path.name for head in heads))
        raise HistoryError(
            f"{versions} has {len(heads)} heads ({names}); join them first with "
            "`alembic merge heads -m merge`, then generate again"
        )
    if revisions and not heads:
        raise HistoryError(f"the revisions in {versions} form a cycle")
    return History(revisions, heads[0] if heads else None)


_FIRST_DEFINITION = re.compile(r"^(?:def|async|class|@)\b", re.MULTILINE)
_NAMES_READ = re.compile(r"^(?:revision|down_revision)\b", re.MULTILINE)


def _head(text: str, path: Path) -> ast.Module:
    """The statements of a revision up to its first top-level definition, where Alembic's
    template and ours write ``revision`` and ``down_revision``; all of them where the rest
    assigns either again, or where the cut falls in a string. An initial revision of 300
    tables is 500 KB of ``op`` calls: parsing it whole took 0.16-0.29 s of every
    generation."""
    cut = _FIRST_DEFINITION.search(text)
    if cut is not None and not _NAMES_READ.search(text, cut.start()):
        try:
            return ast.parse(text[: cut.start()], str(path))
        except SyntaxError:
            pass  # the cut is inside a string: the whole text decides
    return ast.parse(text, str(path))


def _revision(path: Path) -> Revision | None:
    """Read ``revision`` and ``down_revision`` without importing the module."""
    values: dict[str, object] = {}
    for node in _head(path.read_text(encoding="utf-8"), path).body:
        target, value = None, None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        if isinstance(target, ast.Name) and value is not None:
            try:
                values[target.id] = ast.literal_eval(value)
            except ValueError:
                continue  # not a literal: not one of the two names read here
    revision, down = values.get("revision"), values.get("down_revision")
    if not isinstance(revision, str):
        return None
    parents = (down,) if isinstance(down, str) else down if isinstance(down, tuple | list) else ()
    return Revision(revision, tuple(str(parent) for parent in parents), path)
