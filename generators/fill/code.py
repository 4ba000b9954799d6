"""Writing a body: the lines and imports it needs, formatted as ``ruff format`` would.

What every deterministic filler shares: :class:`Code` collects a body, :class:`Unfit`
says an operation is not one the filler writes, and the helpers read the stub's signature
and pick names that do not clash with its arguments.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from generators import ir
from generators.emit.pytypes import model_reference
from generators.fill.task import Attempt, Decline, FillTask, Proposal
from generators.writer import format_python


class Unfit(Exception):
    """The operation is not one this filler writes: ``reason`` says why, naming what of the
    contracts it looked at, and ``hint`` what would let it (empty where nothing would).
    A filler answers it as a :class:`~generators.fill.task.Decline`."""

    def __init__(self, reason: str, hint: str = "") -> None:
        super().__init__(reason)
        self.reason, self.hint = reason, hint

    def decline(self) -> Decline:
        return Decline(self.reason, self.hint)


def listed(names: Iterable[str], most: int = 8) -> str:
    """The names quoted (`` `a`, `b` ``), at most ``most`` of them and how many more; "none"
    for none: for a reason."""
    names = list(names)
    shown = ", ".join(f"`{name}`" for name in names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "") or "none"


@dataclass
class Code:
    """A body under construction: its lines and the module-level imports they need."""

    lines: list[str] = field(default_factory=list)
    imports: set[tuple[str, str]] = field(default_factory=set)

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def need(self, module: str, name: str) -> None:
        self.imports.add((module, name))


def signature_arguments(source: str, function: str) -> dict[str, str]:
    """The keyword arguments of the function in ``source``: name → annotation."""
    tree = ast.parse(textwrap.dedent(source))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == function:
            arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            return {a.arg: ast.unparse(a.annotation) if a.annotation else "" for a in arguments}
    raise Unfit(f"the service module holds no function `{function}`")


def fresh_name(name: str, taken: Mapping[str, str]) -> str:
    while name in taken:
        name += "_"
    return name


def python_tuple(values: Iterable[str]) -> str:
    """A tuple of strings as Python writes it: ``("ADMIN",)``, ``("A", "B")``."""
    quoted = [f'"{value}"' if '"' not in value else repr(value) for value in values]
    return f"({quoted[0]},)" if len(quoted) == 1 else f"({', '.join(quoted)})"


def formatted_body(body: str) -> str:
    """``body`` as ``ruff format`` writes it inside a top-level function."""
    wrapped = "def _body():\n" + textwrap.indent(body, "    ", lambda line: bool(line.strip()))
    text = format_python({"body.py": wrapped + "\n"})["body.py"]
    return textwrap.dedent(text.split("\n", 1)[1]).rstrip("\n") + "\n"


def deterministic_proposal(
    attempts: Sequence[Attempt], build: Callable[[], tuple[Code, str]]
) -> Proposal | Decline:
    """What a deterministic filler proposes: the body ``build`` writes (with its note), or
    a decline where it raises :class:`Unfit`, or where an attempt already failed (a second
    try would propose the very same body)."""
    if attempts:
        return Decline("its body failed the checks, and it would propose the same again")
    try:
        code, note = build()
    except Unfit as unfit:
        return unfit.decline()
    body = formatted_body("\n".join(code.lines))
    return Proposal(body=body, imports=tuple(sorted(code.imports)), note=note)


def model_name(task: FillTask, table: ir.Table) -> str:
    """``Project``, or ``models.Project`` where a schema of the contract has that name
    (a body may need both) or the module binds it otherwise."""
    api = task.project.api
    if any(model_reference(api, name) == table.model for name in api.schemas):
        return f"models.{table.model}"
    path = task.root / task.module
    if not path.is_file():
        return table.model
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if not isinstance(node, ast.ImportFrom) or node.module == "src.models":
            continue
        if any((alias.asname or alias.name) == table.model for alias in node.names):
            return f"models.{table.model}"
    return table.model
