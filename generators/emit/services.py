"""Service stubs in ``src/services/<tag>.py``: one typed function per operation.

These modules belong to the user after the first generation. A missing module is written
whole (:func:`emit_services`); an existing one only gains, at its end, the stubs of new
operations (:func:`extend_services`): nothing in it is ever rewritten or deleted. Functions
whose operation left the contract are reported as orphaned (:func:`plan_services`).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from generators import ir
from generators.emit.api import Endpoint, endpoint, function_names, module_names
from generators.emit.imports import Imports
from generators.emit.pytypes import SCHEMAS_MODULE
from generators.emit.render import render
from generators.writer import format_python

PACKAGE_DOC = "Service layer: the bodies behind every route are yours."


STUB_ERROR = "ServiceNotImplementedError"
"""What an unfilled stub raises (``src/core/errors.py``; served as 501)."""


@dataclass(frozen=True)
class ServiceReport:
    """What a generation found in the user's service modules."""

    unfilled: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    orphaned: tuple[str, ...] = ()
    unreadable: tuple[str, ...] = ()
    """Service modules that are not valid Python (left out of the comparison)."""
    drifted: tuple[str, ...] = ()
    """Functions whose signature no longer matches what their route passes, and how."""


def emit_services(api: ir.Api) -> dict[str, str]:
    """The service modules' first drafts (rendered once per contract: the comparison with
    the user's modules reads them too)."""
    return dict(api.once("service stubs", lambda: _service_modules(api)))


def _service_modules(api: ir.Api) -> dict[str, str]:
    files = {"src/services/__init__.py": f'"""{PACKAGE_DOC}"""\n'}
    for tag, module in module_names(api).items():
        imports, endpoints = _stubs(api, [op for op in api.operations if op.tag == tag])
        files[module_path(module)] = render(
            "service.py.jinja", tag=tag, imports=imports.render(), endpoints=endpoints
        )
    return files


def module_path(module: str) -> str:
    """The service module of a tag, named by :func:`generators.emit.api.module_names`."""
    return f"src/services/{module}.py"


def _stubs(api: ir.Api, operations: list[ir.Operation]) -> tuple[Imports, list[Endpoint]]:
    """The stubs of ``operations`` and the imports their signatures need."""
    imports = Imports()
    decorator = Imports()  # the service has no route decorator: these are not needed
    endpoints = [endpoint(op, api, imports, decorator) for op in operations]
    # a service receives uploads, and may return a Response (see api._returns)
    uploads = imports.names.get("fastapi", set()) & {"UploadFile", "Response"}
    imports.discard("fastapi")  # what only the router needs
    if uploads:
        imports.add("fastapi", *uploads)
    imports.discard("src.core.database")
    imports.discard("src.core.security")  # the route's dependency; the service gets its result
    imports.discard("src.core.bodies")
    imports.discard("src.services")
    imports.discard("typing", "Annotated")
    imports.discard("pydantic", "Json")  # how FastAPI reads a form field: the service gets T
    imports.add("src.core.errors", STUB_ERROR)
    if "Session" not in imports.names.get(SCHEMAS_MODULE, set()):
        imports.add("sqlalchemy.orm", "Session")
        return imports, endpoints
    # The contract has a schema called Session: the database session is ``orm.Session``.
    imports.add("sqlalchemy", "orm")
    database = [
        replace(
            e,
            arguments=tuple(
                replace(a, annotation="orm.Session") if a.name == "session" else a
                for a in e.arguments
            ),
        )
        for e in endpoints
    ]
    return imports, database


# --- Existing modules: append the stubs they lack, never touch what is there ----------------


@dataclass(frozen=True)
class Extension:
    """Stubs appended to service modules the user already has."""

    files: dict[str, str] = field(default_factory=dict)
    """Path → the module's new text: its old text, the imports the stubs need, the stubs."""
    added: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Path → the functions appended to it."""
    warnings: tuple[str, ...] = ()
    """Modules (or functions) that could not be extended, and why."""


def extend_services(api: ir.Api, root: Path) -> Extension:
    """Append a typed stub for every operation whose existing tag module has no function
    of that name yet.

    The module's text stays byte for byte what it was, with two additions: the stubs at the
    end, and the imports they need as new lines after the module's last leading import.
    When ``ruff check --select I`` accepted the module before, the import block is then
    sorted again with ``ruff check --select I --fix`` (which only reorders and merges import
    statements), so that it still passes; an unsorted block is left unsorted. A name the
    module already binds otherwise is never imported over: that stub is not added (and the
    warning says why), since the new import would change what the user's code refers to.
    """
    extension = Extension()
    warnings: list[str] = []
    functions = function_names(api)
    for tag, module in module_names(api).items():
        path = module_path(module)
        target = root / path
        if not target.is_file():
            continue  # emit_services writes the whole module
        text = target.read_text(encoding="utf-8")
        try:
            tree = ast.parse(text)
        except SyntaxError as error:
            warnings.append(f"{path}: not valid Python (line {error.lineno}); no stubs added")
            continue
        bound = bound_names(tree.body)
        operations: list[ir.Operation] = []
        for op in api.operations:
            function = functions[op.operation_id]
            if op.tag != tag or function in bound:
                continue
            _, clashes = missing_imports(_stubs(api, [op])[0], tree, bound)
            if clashes:
                warnings.append(
                    f"{path}: {function} not added: the module already binds "
                    f"{', '.join(sorted(clashes))} to something else than its stub needs"
                )
                continue
            bound.add(function)
            operations.append(op)
        if not operations:
            continue
        imports, endpoints = _stubs(api, operations)
        new_imports, _ = missing_imports(imports, tree, bound)
        stubs = format_python(
            {path: render("service.py.jinja", tag=tag, imports="", endpoints=endpoints)}
        )[path]
        stubs = stubs[stubs.index("\ndef ") + 1 :]
        resort = bool(new_imports.names or new_imports.modules) and imports_sorted(text, root, path)
        extended = with_imports(text, tree, new_imports, path)
        extended += "\n" * max(0, 3 - _trailing_newlines(extended)) + stubs
        if resort:
            extended = sort_imports(extended, root, path)
        extension.files[path] = extended
        extension.added[path] = tuple(e.function for e in endpoints)
    return Extension(extension.files, extension.added, tuple(warnings))


def bound_names(statements: list[ast.stmt]) -> set[str]:
    """Every name the module binds at top level (also inside ``if``/``try`` blocks)."""
    names: set[str] = set()
    for node in statements:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                names.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign | ast.For | ast.With):
            targets = node.targets if isinstance(node, ast.Assign) else [node]
            for target in targets:
                for child in ast.walk(target):
                    if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
                        names.add(child.id)
        if isinstance(node, ast.If | ast.Try | ast.For | ast.While | ast.With):
            for block in ("body", "orelse", "finalbody", "handlers"):
                inner = getattr(node, block, [])
                names |= bound_names([n for n in inner if isinstance(n, ast.stmt)])
            for handler in getattr(node, "handlers", []):
                names |= bound_names(handler.body)
    return names


def missing_imports(needed: Imports, tree: ast.Module, bound: set[str]) -> tuple[Imports, set[str]]:
    """The imports the stubs need that the module lacks, and the names it binds otherwise."""
    present = {
        (node.module, alias.name if alias.asname is None else f"{alias.name} as {alias.asname}")
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.level == 0
        for alias in node.names
    }
    modules = {
        alias.name
        for node in tree.body
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.asname is None
    }
    missing, clashes = Imports(), set()
    for module in needed.modules - modules:
        if module.split(".")[0] in bound:
            clashes.add(module.split(".")[0])
        else:
            missing.add(module)
    for module, names in needed.names.items():
        for name in names:
            if (module, name) in present:
                continue
            if name.split(" as ")[-1] in bound:  # `Query as QuerySchema` binds QuerySchema
                clashes.add(name)
            else:
                missing.add(module, name)
    return missing, clashes


def with_imports(text: str, tree: ast.Module, imports: Imports, path: str) -> str:
    """``text`` with the ``imports`` lines after its last leading import (or docstring)."""
    if not imports.names and not imports.modules:
        return text
    block = format_python({path: imports.render() + "\n"})[path]
    lines = text.splitlines(keepends=True)
    after, leading = 0, tree.body
    if leading and is_docstring(leading[0]):
        after = leading[0].end_lineno or 0
        leading = leading[1:]
    has_imports = False
    for node in leading:
        if not isinstance(node, ast.Import | ast.ImportFrom):
            break
        after, has_imports = node.end_lineno or after, True
    if has_imports:
        insert = block
    elif after:
        insert = "\n" + block  # a blank line between the docstring and the imports
    else:
        insert = block + "\n\n"  # before the module's first statement
    head = "".join(lines[:after])
    if head and not head.endswith("\n"):
        head += "\n"
    return head + insert + "".join(lines[after:])


def _trailing_newlines(text: str) -> int:
    return len(text) - len(text.rstrip("\n")) if text.strip() else 3


def _ruff_imports(
    text: str, root: Path, path: str, *, fix: bool
) -> subprocess.CompletedProcess[str]:
    """``ruff check --select I`` on ``text`` as if it were ``root/path`` (the project's
    own ruff settings, such as its first-party packages, apply)."""
    command = [sys.executable, "-m", "ruff", "check", "--select", "I", "--no-cache", "--quiet"]
    command += ["--fix", "--exit-zero"] if fix else []
    command += ["--stdin-filename", str((root / path).resolve()), "-"]
    return subprocess.run(
        command, input=text, cwd=root, capture_output=True, text=True, check=False
    )


def imports_sorted(text: str, root: Path, path: str) -> bool:
    return _ruff_imports(text, root, path, fix=False).returncode == 0


def sort_imports(text: str, root: Path, path: str) -> str:
    result = _ruff_imports(text, root, path, fix=True)
    return result.stdout if result.returncode == 0 and result.stdout else text


# --- What the user's modules hold ----------------------------------------------------------


def raises_unfilled(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    body = [node for node in function.body if not is_docstring(node)]
    return (
        len(body) == 1
        and isinstance(body[0], ast.Raise)
        and isinstance(body[0].exc, ast.Call)
        and isinstance(body[0].exc.func, ast.Name)
        and body[0].exc.func.id == STUB_ERROR
    )


def is_docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def plan_services(api: ir.Api, root: Path) -> ServiceReport:
    """Compare the operations with the service functions found under ``root``.

    ``missing``: an operation whose module binds no such name; ``orphaned``: a public
    function of a service module that no operation calls (kept as written, never deleted).
    """
    modules, names = module_names(api), function_names(api)
    expected = {(modules[op.tag], names[op.operation_id]) for op in api.operations}
    bound: set[tuple[str, str]] = set()
    functions: set[tuple[str, str]] = set()
    unfilled: list[str] = []
    unreadable: list[str] = []
    for path in sorted((root / "src" / "services").glob("*.py")):
        if path.name == "__init__.py":
            continue
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except SyntaxError:
            unreadable.append(f"src/services/{path.name}")
            continue
        bound |= {(path.stem, name) for name in bound_names(tree.body)}
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if node.name.startswith("_"):
                    continue
                functions.add((path.stem, node.name))
                if raises_unfilled(node):
                    unfilled.append(f"{path.stem}.{node.name}")
    unreadable_modules = {Path(name).stem for name in unreadable}
    present = {(m, n) for m, n in functions & expected if m not in unreadable_modules}
    drifted = _drifted(api, root, present)
    missing = sorted(
        f"{module}.{name}" for module, name in expected - bound if module not in unreadable_modules
    )
    orphaned = sorted(f"{module}.{name}" for module, name in functions - expected)
    return ServiceReport(
        tuple(sorted(unfilled)), tuple(missing), tuple(orphaned), tuple(unreadable), drifted
    )


Signature = tuple[dict[str, str], str]
"""A function's parameters (name → annotation) and its return annotation, as source text."""


def _signatures(tree: ast.Module) -> dict[str, Signature]:
    def text(node: ast.expr | None) -> str:
        return ast.unparse(node) if node is not None else ""

    return {
        node.name: (
            {a.arg: text(a.annotation) for a in [*node.args.args, *node.args.kwonlyargs]},
            text(node.returns),
        )
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def _drifted(api: ir.Api, root: Path, present: set[tuple[str, str]]) -> tuple[str, ...]:
    """How each of the user's ``present`` (module, function) differs from the stub the
    contract gives now: parameters the route passes that it lacks, ones it no longer
    gets, annotations and return type changed. mypy fails on the route's call until the
    user follows; this names the operation, which mypy cannot."""
    if not present:
        return ()
    modules, functions = module_names(api), function_names(api)
    operations = {(modules[op.tag], functions[op.operation_id]): op for op in api.operations}
    stubs = {
        Path(path).stem: _signatures(ast.parse(text)) for path, text in emit_services(api).items()
    }
    found: list[str] = []
    for module in sorted({module for module, _ in present}):
        written = _signatures(ast.parse((root / module_path(module)).read_text(encoding="utf-8")))
        for name in sorted(function for m, function in present if m == module):
            (wanted, returns), (has, returned) = stubs[module][name], written[name]
            changes = [f"the route now passes {p}: {wanted[p]}" for p in wanted if p not in has]
            changes += [f"the route no longer passes {p}" for p in has if p not in wanted]
            changes += [
                f"{p} is now {wanted[p]} (was {has[p]})"
                for p in wanted
                if p in has and wanted[p] != has[p]
            ]
            if returns != returned:
                changes.append(f"it now returns {returns} (was {returned})")
            if changes:
                op = operations[(module, name)]
                found.append(
                    f"{op.operation_id} ({op.http_method} {op.path}, "
                    f"src/services/{module}.py {name}): {'; '.join(changes)}"
                )
    return tuple(found)
