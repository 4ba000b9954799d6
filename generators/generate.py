"""The whole pipeline: contracts → IR → emitters → files. Reads as the list of its steps."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generators import ir
from generators.emit.api import emit_api
from generators.emit.models import emit_models
from generators.emit.schemas import emit_schemas
from generators.emit.services import emit_services
from generators.loading.project import load_project
from generators.problems import Problem
from generators.writer import WriteReport, format_python, write_files


@dataclass(frozen=True)
class Rendered:
    """Every file the contracts imply: owned by the generator, or the user's first draft."""

    owned: dict[str, str]
    user_owned: dict[str, str]


def render_project(project: ir.Project) -> Rendered:
    owned = {
        **emit_schemas(project.api),
        **emit_api(project.api),
        **emit_models(project.database),
    }
    return Rendered(format_python(owned), format_python(emit_services(project.api)))


def generate(
    openapi: Path, database: Path | None, out: Path, *, dry_run: bool = False
) -> tuple[WriteReport, list[Problem]]:
    """Load, render and write; raises ``ContractError`` (before writing anything) on bad input."""
    project, warnings = load_project(openapi, database)
    rendered = render_project(project)
    report = write_files(out, rendered.owned, rendered.user_owned, dry_run=dry_run)
    return report, warnings
