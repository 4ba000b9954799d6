"""Load both contracts at once, so one run reports every problem in either file."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from generators import ir
from generators.aside import Aside
from generators.loading.crosscheck import crosscheck
from generators.loading.database import read_database
from generators.loading.openapi import read_api_checking_aside, settled
from generators.problems import ContractError, Problem, errors


def load_project(
    openapi: Path, database: Path | None, *, strict: bool = False, overlay: Path | None = None
) -> tuple[ir.Project, list[Problem]]:
    """The IR of both contracts and their warnings (violations read one obvious way,
    cross-contract mismatches); ``ContractError`` otherwise. ``strict``: warnings are errors.
    ``overlay``: an OpenAPI Overlay document applied to the API contract as it is read."""
    loaded = start_loading(openapi, database, overlay=overlay)
    return loaded.project, loaded.warnings(strict=strict)


@dataclass(frozen=True)
class Loading:
    """Both contracts' IR, with the API contract's last checks still running beside
    (``read_api_checking_aside``): :meth:`warnings` joins them."""

    project: ir.Project
    read_warnings: list[Problem]
    """Those found as the contracts were read: the API's first checks', the database's."""
    cross_warnings: list[Problem]
    checks: list[Aside[list[Problem]]]

    def warnings(self, *, strict: bool = False) -> list[Problem]:
        """Every warning, once the last checks are done; ``ContractError`` where they found
        errors, or (``strict``) where there is any warning."""
        warnings = settled(self.read_warnings, *self.checks) + self.cross_warnings
        if strict and warnings:
            raise ContractError(replace(warning, severity="error") for warning in warnings)
        return warnings


def start_loading(
    openapi: Path,
    database: Path | None,
    *,
    overlay: Path | None = None,
    begin: Callable[[ir.Api], object] | None = None,
) -> Loading:
    """:func:`load_project`, the API contract's last checks left running beside the caller,
    who goes on with the IR and asks for :meth:`Loading.warnings` before acting on it.
    ``begin``: called with the API's IR as soon as it is built, before the database
    contract is read (work that needs only the API, begun beside: the schemas module)."""
    problems: list[Problem] = []
    api = db = last = None
    try:
        api, problems, last = read_api_checking_aside(openapi, overlay=overlay)
    except ContractError as exc:
        problems += exc.problems
    if api is not None and begin is not None and not errors(problems):
        begin(api)
    checks = [last] if last is not None else []
    if database is not None:
        try:
            db, found = read_database(database)
            problems += found
        except ContractError as exc:
            problems += exc.problems
    if errors(problems) or api is None or last is None:
        raise ContractError(problems + [p for check in checks for p in check.result()])
    try:
        cross = crosscheck(api, db) if db is not None else []
    except Exception:  # the database contract as read, its checks not yet joined
        settled([], *checks)
        raise
    return Loading(ir.Project(api, db), problems, cross, checks)
