"""Put a proposed body into its service function, and prove nothing else changed.

The edit replaces the statements of one function (its docstring stays) and, where the
proposal names module-level imports, adds those as new import lines the way stubs are
added (:func:`generators.emit.services.with_imports`, re-sorted only where the block was
sorted before). The result is then compared with the original, node by node: every
top-level statement but that function and the imports must be unchanged, the function's
signature, decorators and docstring too, and the imports may only have grown (but for
the import of ``ServiceNotImplementedError``, which goes when the module's last stub is
filled). Any other difference, or a body that is not valid Python, rejects the proposal.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from generators.emit.imports import Imports
from generators.emit.services import (
    STUB_ERROR,
    bound_names,
    imports_sorted,
    is_docstring,
    missing_imports,
    sort_imports,
    with_imports,
)
from generators.fill.task import Proposal


class RejectedEdit(Exception):
    """The proposal cannot be inserted as it is (the message says why)."""


def insert_body(text: str, function: str, proposal: Proposal, root: Path, path: str) -> str:
    """``text`` (the module at ``root/path``) with ``function``'s body replaced."""
    tree = ast.parse(text)
    target = _function(tree, function)
    body = textwrap.dedent(proposal.body).strip("\n")
    try:
        statements = ast.parse(body).body
    except SyntaxError as error:
        message = f"the body is not valid Python: {error.msg} (line {error.lineno})"
        raise RejectedEdit(message) from error
    if not statements:
        raise RejectedEdit("the body is empty")
    if target.body[0].lineno == target.lineno:
        raise RejectedEdit(f"{function} is written on one line: write its body by hand")
    lines = text.splitlines(keepends=True)
    kept = target.body[:1] if is_docstring(target.body[0]) else []
    start = (kept[0].end_lineno or 0) if kept else target.body[0].lineno - 1
    end = target.end_lineno or start
    indent = " " * (target.col_offset + 4)
    new_body = textwrap.indent(body, indent, lambda line: bool(line.strip())) + "\n"
    edited = "".join([*lines[:start], new_body, *lines[end:]])
    needed = Imports()
    for module, name in proposal.imports:
        needed.add(module, name)
    edited_tree = ast.parse(edited)
    new, clashes = missing_imports(needed, edited_tree, bound_names(edited_tree.body))
    if clashes:
        raise RejectedEdit(f"the imports would rebind {', '.join(sorted(clashes))}")
    if new.names or new.modules:
        resort = imports_sorted(edited, root, path)
        edited = with_imports(edited, edited_tree, new, path)
        if resort:
            edited = sort_imports(edited, root, path)
    edited = _without_unused_stub_import(edited)
    verify_only_body_changed(text, edited, function)
    return edited


def _without_unused_stub_import(text: str) -> str:
    """``text`` without the import of :data:`STUB_ERROR` once nothing refers to it."""
    tree = ast.parse(text)
    used = any(isinstance(n, ast.Name) and n.id == STUB_ERROR for n in ast.walk(tree))
    statement = next(
        (
            node
            for node in tree.body
            if isinstance(node, ast.ImportFrom)
            and any(alias.name == STUB_ERROR and alias.asname is None for alias in node.names)
        ),
        None,
    )
    if used or statement is None:
        return text
    lines = text.splitlines(keepends=True)
    others = [alias for alias in statement.names if alias.name != STUB_ERROR]
    start, end = statement.lineno - 1, statement.end_lineno or statement.lineno
    replacement = []
    if others:
        names = ", ".join(a.name if a.asname is None else f"{a.name} as {a.asname}" for a in others)
        replacement = [f"from {statement.module} import {names}\n"]
    return "".join([*lines[:start], *replacement, *lines[end:]])


def verify_only_body_changed(before: str, after: str, function: str) -> None:
    """Raise :class:`RejectedEdit` unless ``after`` differs from ``before`` only in
    ``function``'s statements and in added imports."""
    old, new = ast.parse(before), ast.parse(after)
    old_imports, old_rest = _split(old)
    new_imports, new_rest = _split(new)
    dropped = {line for line in old_imports - new_imports if f"name='{STUB_ERROR}'" not in line}
    if dropped:
        raise RejectedEdit("an existing import was changed or removed")
    if len(old_rest) != len(new_rest):
        raise RejectedEdit("statements other than the function's body were added or removed")
    for a, b in zip(old_rest, new_rest, strict=True):
        if (
            isinstance(a, ast.FunctionDef | ast.AsyncFunctionDef)
            and isinstance(b, ast.FunctionDef | ast.AsyncFunctionDef)
            and a.name == b.name == function
        ):
            if _outside(a) != _outside(b):
                raise RejectedEdit(f"the signature or docstring of {function} changed")
        elif ast.dump(a) != ast.dump(b):
            where = getattr(a, "name", type(a).__name__)
            raise RejectedEdit(f"{where} (line {a.lineno}) changed, not only {function}'s body")


def _function(tree: ast.Module, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
            return node
    raise RejectedEdit(f"the module has no function {name}")


def _split(tree: ast.Module) -> tuple[set[str], list[ast.stmt]]:
    """The module's import statements (each alias dumped apart) and its other statements."""
    imports: set[str] = set()
    rest: list[ast.stmt] = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            imports |= {f"from {node.module} {node.level} {ast.dump(a)}" for a in node.names}
        elif isinstance(node, ast.Import):
            imports |= {f"import {ast.dump(a)}" for a in node.names}
        else:
            rest.append(node)
    return imports, rest


def _outside(node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    """Everything of a function but the statements after its docstring."""
    body = node.body
    node.body = body[:1] if is_docstring(body[0]) else []
    try:
        return ast.dump(node)
    finally:
        node.body = body
