"""The seed's compliance rules for routes and services, read off the source (``ast``).

``python -m tools.compliance specs/openapi.yaml`` prints one ``PASS``/``FAIL`` line per rule
and exits 1 when one fails:

- ``routes``: every operation of the contract has a route decorator under src/api/
  (operations ≤ decorators);
- ``imports``: the routers take their schemas from ``specs.schemas`` (where the contract
  has any), and once service bodies are written, the services take their models from
  ``src.models`` (where the project has any);
- ``response-model``: every route passes ``response_model=``, except those that answer no
  JSON (a ``response_class``, or 204/205/304);
- ``no-api-models``: no pydantic ``BaseModel`` is declared under src/api/ (schemas live in
  specs/schemas/, generated from the contract);
- ``raw-sql``: at most 3 raw SQL calls (SQLAlchemy's ``text()``, called by that name or
  as ``sqlalchemy.text``/``sa.text``, not a method of that name; ``exec_driver_sql()``;
  ``execute()`` of a string) in src/.
"""

import ast
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from tools.operations import METHODS, operations_in
from tools.services import unfilled_services

ROUTE_DECORATORS = {*METHODS, "api_route"}
"""``@router.get(...)``, ..., and ``@router.api_route(..., methods=[...])`` (QUERY, COPY)."""
NO_BODY = {204, 205, 304}
RAW_SQL_LIMIT = 3


def modules(folder: str) -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(Path(folder).rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def route_decorators(tree: ast.Module) -> Iterator[ast.Call]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                if (
                    isinstance(decorator, ast.Call)
                    and isinstance(decorator.func, ast.Attribute)
                    and decorator.func.attr in ROUTE_DECORATORS
                ):
                    yield decorator


def imports_from(tree: ast.Module, module: str) -> bool:
    return any(
        isinstance(node, ast.ImportFrom)
        and (node.module or "").split(".")[:2] == module.split(".")
        for node in ast.walk(tree)
    )


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


SQLALCHEMY_NAMES = ("sqlalchemy", "sa")
"""The names SQLAlchemy is imported as, whose ``text`` is raw SQL (``self.text`` is not)."""


def raw_sql_calls(tree: ast.Module) -> int:
    count = 0
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", getattr(node.func, "id", ""))
        first = node.args[0] if node.args else None
        stringy = isinstance(first, ast.JoinedStr) or (
            isinstance(first, ast.Constant) and isinstance(first.value, str)
        )
        owner = getattr(node.func, "value", None)  # None: called by its bare name
        sqlalchemys = owner is None or getattr(owner, "id", "") in SQLALCHEMY_NAMES
        raw = {"text": sqlalchemys, "exec_driver_sql": True, "execute": stringy}
        count += raw.get(name, False)
    return count


def check(contract: dict[str, Any]) -> list[tuple[bool, str, str]]:
    operations = [
        method
        for item in (contract.get("paths") or {}).values()
        for method, _ in operations_in(item or {})
    ]
    routers = list(modules("src/api"))
    decorators = [d for _, tree in routers for d in route_decorators(tree)]
    services = list(modules("src/services"))
    has_models = any(Path("src/models").glob("*.py")) and any(
        "__tablename__" in path.read_text(encoding="utf-8")
        for path in Path("src/models").glob("*.py")
    )
    has_schemas = bool((contract.get("components") or {}).get("schemas"))

    results = []
    results.append(
        (
            len(operations) <= len(decorators),
            "routes",
            f"{len(operations)} operations, {len(decorators)} route decorators",
        )
    )
    missing = []
    if has_schemas and not any(imports_from(t, "specs.schemas") for _, t in routers):
        missing.append("no router imports from specs.schemas")
    unfilled = set(unfilled_services())
    written = [
        tree
        for path, tree in services
        if any(
            isinstance(node, ast.FunctionDef)
            and f"{path.stem}.{node.name}" not in unfilled
            for node in tree.body
        )
    ]
    if (
        has_models
        and written
        and not any(imports_from(t, "src.models") for t in written)
    ):
        missing.append("no service imports from src.models")
    results.append(
        (not missing, "imports", "; ".join(missing) or "specs.schemas, src.models")
    )

    without = []
    for path, tree in routers:
        for call in route_decorators(tree):
            status = keyword(call, "status_code")
            no_body = isinstance(status, ast.Constant) and status.value in NO_BODY
            if keyword(call, "response_model") is None and not (
                no_body or keyword(call, "response_class") is not None
            ):
                without.append(f"{path}:{call.lineno}")
    results.append(
        (
            not without,
            "response-model",
            ", ".join(without) or f"{len(decorators)} routes declare what they answer",
        )
    )

    declared = [
        f"{path}:{node.lineno} {node.name}"
        for path, tree in routers
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        and any(
            getattr(b, "attr", getattr(b, "id", "")) == "BaseModel" for b in node.bases
        )
    ]
    results.append((not declared, "no-api-models", ", ".join(declared) or "none"))

    raw = sum(raw_sql_calls(tree) for _, tree in modules("src"))
    results.append(
        (raw <= RAW_SQL_LIMIT, "raw-sql", f"{raw} (at most {RAW_SQL_LIMIT})")
    )
    return results


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tools.compliance specs/openapi.yaml", file=sys.stderr)
        return 2
    contract = yaml.safe_load(Path(argv[0]).read_text(encoding="utf-8"))
    results = check(contract)
    for passed, rule, detail in results:
        print(f"{'PASS' if passed else 'FAIL'} {rule}: {detail}")
    failed = sum(1 for passed, _, _ in results if not passed)
    print(f"{len(results) - failed}/{len(results)} compliance rules kept")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
