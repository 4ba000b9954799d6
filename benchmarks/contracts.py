"""The contracts the bench generates from, and empty projects to generate them into.

Synthetic ones (``tests/synthetic_spec.py`` with ``tests/synthetic_database.py``) at the
sizes a run asks for, and documents of the public corpus (``../shared/specs/corpus``,
see its SOURCES.md), each laid out in a project the way ``copier copy`` lays out the
template (its static files, its rendered ``.jinja`` files): the generator runs inside the
project, as the copier task and ``nox -s generate`` run it (ruff, which formats the
generated code, reads the project's configuration).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from benchmarks.measure import ROOT

CORPUS = ROOT.parent / "shared" / "specs" / "corpus"
EXAMPLE = ROOT / "examples" / "taskboard"


@dataclass(frozen=True)
class Contract:
    name: str
    openapi: Path
    database: Path | None
    operations: int
    tables: int = 0

    @property
    def label(self) -> str:
        tables = f", {self.tables} tables" if self.tables else ", API only"
        return f"{self.name} ({self.operations} ops{tables})"


def synthetic(folder: Path, operations: int, tables: int, seed: int = 0) -> Contract:
    """The synthetic contracts of ``operations`` operations (and as many component schemas)
    and ``tables`` tables, written once into ``folder``."""
    from tests.synthetic_database import synthetic_database
    from tests.synthetic_spec import synthetic_spec

    name = f"synthetic-{operations}"
    folder.mkdir(parents=True, exist_ok=True)
    openapi, database = folder / f"{name}.yaml", folder / f"{name}-{tables}.json"
    document = synthetic_spec(operations, operations, seed)
    if not openapi.is_file():
        openapi.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    if not database.is_file():
        database.write_text(json.dumps(synthetic_database(tables, seed, document), indent=1))
    return Contract(name, openapi, database, count_operations(document), tables)


def corpus(file: str, operations: int) -> Contract | None:
    """A corpus document (``operations`` as SOURCES.md counts them), None where
    ``../shared`` is not beside the checkout."""
    path = CORPUS / file
    if not path.is_file():
        return None
    return Contract(
        file.split("/")[0].removesuffix(".json").removesuffix(".yaml"), path, None, operations
    )


def example() -> Contract:
    return Contract("taskboard", EXAMPLE / "openapi.yaml", EXAMPLE / "database-schema.json", 21, 6)


def count_operations(document: dict[str, Any]) -> int:
    """Operations under ``paths``, path items reached by ``$ref`` included."""
    from tests.synthetic_spec import operations_in, resolved_path_item

    items = document.get("paths") or {}
    return sum(len(operations_in(resolved_path_item(item))) for item in items.values())


def empty_project(folder: Path, contract: Contract) -> Path:
    """``folder`` (made anew): the template laid out as ``copier copy`` lays it out, the
    contracts in ``specs/``, nothing generated yet."""
    from tests.helpers import lay_out_template

    if folder.exists():
        shutil.rmtree(folder)
    lay_out_template(folder)
    shutil.copyfile(contract.openapi, folder / "specs" / "openapi.yaml")
    if contract.database is not None:
        shutil.copyfile(contract.database, folder / "specs" / "database-schema.json")
    return folder


def generate_argv(python: str, project: Path) -> list[str]:
    """``specfoundry generate`` of the project's own contracts, run in the project."""
    argv = [python, "-m", "generators", "generate", "--openapi", "specs/openapi.yaml"]
    if (project / "specs" / "database-schema.json").is_file():
        argv += ["--db-schema", "specs/database-schema.json"]
    return [*argv, "--out", "."]
