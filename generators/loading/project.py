"""Load both contracts at once, so one run reports every problem in either file."""

from __future__ import annotations

from pathlib import Path

from generators import ir
from generators.loading.crosscheck import crosscheck
from generators.loading.database import load_database
from generators.loading.openapi import load_api
from generators.problems import ContractError, Problem


def load_project(openapi: Path, database: Path | None) -> tuple[ir.Project, list[Problem]]:
    """The IR of both contracts and the cross-contract warnings; ``ContractError`` otherwise."""
    problems: list[Problem] = []
    api = db = None
    try:
        api = load_api(openapi)
    except ContractError as exc:
        problems += exc.problems
    if database is not None:
        try:
            db = load_database(database)
        except ContractError as exc:
            problems += exc.problems
    if problems or api is None:
        raise ContractError(problems)
    warnings = crosscheck(api, db) if db is not None else []
    return ir.Project(api, db), warnings
