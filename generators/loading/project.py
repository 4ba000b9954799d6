"""Load both contracts at once, so one run reports every problem in either file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from generators import ir
from generators.loading.crosscheck import crosscheck
from generators.loading.database import load_database
from generators.loading.openapi import read_api
from generators.problems import ContractError, Problem, errors


def load_project(
    openapi: Path, database: Path | None, *, strict: bool = False, overlay: Path | None = None
) -> tuple[ir.Project, list[Problem]]:
    """The IR of both contracts and their warnings (violations read one obvious way,
    cross-contract mismatches); ``ContractError`` otherwise. ``strict``: warnings are errors.
    ``overlay``: an OpenAPI Overlay document applied to the API contract as it is read."""
    problems: list[Problem] = []
    api = db = None
    try:
        api, problems = read_api(openapi, overlay=overlay)
    except ContractError as exc:
        problems += exc.problems
    if database is not None:
        try:
            db = load_database(database)
        except ContractError as exc:
            problems += exc.problems
    if errors(problems) or api is None:
        raise ContractError(problems)
    warnings = problems + (crosscheck(api, db) if db is not None else [])
    if strict and warnings:
        raise ContractError(replace(warning, severity="error") for warning in warnings)
    return ir.Project(api, db), warnings
