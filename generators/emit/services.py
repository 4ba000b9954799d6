"""Service stubs in ``src/services/<tag>.py``: one typed function per operation.

These modules belong to the user after the first generation. Only missing modules are
written; existing ones are never touched (see :func:`plan_services`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from generators import ir
from generators.emit.api import endpoint
from generators.emit.imports import Imports
from generators.emit.render import render
from generators.naming import snake

PACKAGE_DOC = "Service layer: the bodies behind every route are yours."


@dataclass(frozen=True)
class ServiceReport:
    """What a generation found in the user's service modules."""

    unfilled: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    orphaned: tuple[str, ...] = ()


def emit_services(api: ir.Api) -> dict[str, str]:
    files = {"src/services/__init__.py": f'"""{PACKAGE_DOC}"""\n'}
    for tag in api.tags:
        imports = Imports()
        decorator = Imports()  # the service has no route decorator: these are not needed
        endpoints = [
            endpoint(op, api, imports, decorator) for op in api.operations if op.tag == tag
        ]
        imports.discard("fastapi")  # what only the router needs
        imports.discard("src.core.database")
        imports.discard("src.services")
        imports.discard("typing", "Annotated")
        imports.add("src.core.errors", "ServiceNotImplementedError")
        imports.add("sqlalchemy.orm", "Session")
        files[f"src/services/{snake(tag)}.py"] = render(
            "service.py.jinja", tag=tag, imports=imports.render(), endpoints=endpoints
        )
    return files


def _raises_unfilled(function: ast.FunctionDef) -> bool:
    body = [node for node in function.body if not _is_docstring(node)]
    return (
        len(body) == 1
        and isinstance(body[0], ast.Raise)
        and isinstance(body[0].exc, ast.Call)
        and isinstance(body[0].exc.func, ast.Name)
        and body[0].exc.func.id == "ServiceNotImplementedError"
    )


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)


def plan_services(api: ir.Api, root: Path) -> ServiceReport:
    """Compare the operations with the service functions found under ``root``."""
    expected = {(snake(op.tag), snake(op.operation_id)) for op in api.operations}
    found: set[tuple[str, str]] = set()
    unfilled: list[str] = []
    for path in sorted((root / "src" / "services").glob("*.py")):
        if path.name == "__init__.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                found.add((path.stem, node.name))
                if _raises_unfilled(node):
                    unfilled.append(f"{path.stem}.{node.name}")
    missing = sorted(f"{module}.{name}" for module, name in expected - found)
    orphaned = sorted(f"{module}.{name}" for module, name in found - expected)
    return ServiceReport(tuple(sorted(unfilled)), tuple(missing), tuple(orphaned))
