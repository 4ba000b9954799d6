"""The whole pipeline: contracts → IR → emitters → files. Reads as the list of its steps."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from generators import fingerprint, ir, versions
from generators.aside import Aside
from generators.breaking import BreakingChanges, Change, compare
from generators.emit.api import defaults_named, emit_api
from generators.emit.contract_test import emit_contract_test
from generators.emit.docs import emit_docs
from generators.emit.models import emit_models
from generators.emit.overlaid import emit_overlaid
from generators.emit.schemas import (
    Made,
    begin_schemas_module,
    emit_schemas,
    remember,
    schemas_key,
    warm_generator,
)
from generators.emit.security import emit_credentials, emit_security
from generators.emit.services import (
    Extension,
    ServiceReport,
    emit_services,
    extend_services,
    plan_services,
)
from generators.loading.document import Document
from generators.loading.openapi import build_api
from generators.loading.project import start_loading
from generators.migrations import MigrationPlan, plan_migration
from generators.owned_files import obsolete_files
from generators.problems import Problem
from generators.writer import WriteReport, format_python, source_hash, write_files


@dataclass(frozen=True)
class Rendered:
    """Every file the contracts imply: owned by the generator, or the user's first draft."""

    owned: dict[str, str]
    user_owned: dict[str, str]
    sources: dict[str, str] = field(default_factory=dict)
    """Each Python file's text as rendered, before ruff formatted it, by its hash
    (``writer.source_hash``): recorded where the file is written as formatted, so that
    the next generation that renders the same text takes it as written
    (``fingerprint.formatted``)."""


def render_project(project: ir.Project, formatted: Mapping[str, str] | None = None) -> Rendered:
    """Every file of the project, rendered; nothing is written. ``formatted``: what ruff
    made of texts before (``writer.format_python``)."""
    begin_schemas_module(project.api)  # the longest step, beside the rest
    rest = {
        **emit_api(project.api),
        **emit_security(project.api),
        **emit_models(project.database),
        **emit_docs(project),
        **emit_contract_test(project.api),
        **emit_overlaid(project.api),
    }
    user_owned = {**emit_services(project.api), **emit_credentials(project.api)}
    owned = {**emit_schemas(project.api), **defaults_named(project.api, rest)}
    sources = {
        path: source_hash(text)
        for path, text in {**user_owned, **owned}.items()
        if path.endswith(".py")
    }
    return Rendered(format_python(owned, formatted), format_python(user_owned, formatted), sources)


@dataclass(frozen=True)
class Generated:
    report: WriteReport
    warnings: list[Problem]
    migration: MigrationPlan
    services: ServiceReport = ServiceReport()
    """The user's service modules as found before writing (orphaned functions, ...)."""
    extension: Extension = Extension()
    """Stubs appended to existing service modules, and those that could not be."""
    changes: list[Change] = field(default_factory=list)
    """How the API contract changed since the last generation (breaking ones accepted)."""


SNAPSHOT = "specs/schemas/openapi.snapshot.json"
"""The API contract as last generated from: what the next generation compares with."""


def generate(
    openapi: Path,
    database: Path | None,
    out: Path,
    *,
    dry_run: bool = False,
    allow_destructive: bool = False,
    accept_breaking: bool = False,
    strict: bool = False,
    overlay: Path | None = None,
) -> Generated:
    """Load, render and write.

    Raises before writing anything: ``ContractError`` on bad input, ``BreakingChanges``
    when the API contract changed in ways that break clients and ``accept_breaking`` is
    false, ``DestructiveChange`` when the database change would lose data and
    ``allow_destructive`` is false. ``strict``: the contracts' warnings are errors.
    ``overlay``: an OpenAPI Overlay document applied to ``openapi`` as it is read.
    """
    inputs = fingerprint.inputs(openapi, database, overlay, strict=strict)
    previous = fingerprint.previous_schemas(out)
    if previous is not None:  # taken as written where the new one is made of the same
        remember(Made(*previous))
    # datamodel-code-generator readied beside while the contracts load (a first generation)
    with warm_generator(worth_it=previous is None) as generating:
        # the API contract's last check beside, and the schemas module once its IR is built
        begin = partial(begin_schemas_module, generating=generating)
        loading = start_loading(openapi, database, overlay=overlay, begin=begin)
        project = loading.project
        # what the last generation left, read beside the rendering (none the first time)
        found = Aside(lambda: as_left(out, project.api), worth_it=(out / SNAPSHOT).is_file())
        try:
            rendered = render_project(project, fingerprint.formatted(out))
            changes, services, extension = found.result()
            breaking = [change for change in changes if change.breaking]
            if breaking and not accept_breaking:
                raise BreakingChanges(breaking)
        except Exception:
            with contextlib.suppress(Exception):  # its child joined, whatever it found
                found.result()
            loading.warnings(strict=strict)  # the contracts' errors, if any, first
            raise
    warnings = loading.warnings(strict=strict)
    snapshot = json.dumps(project.api.document, indent=1, default=str)  # the contract's order
    rendered.owned[SNAPSHOT] = snapshot + "\n"
    contract = database.read_text(encoding="utf-8") if database else None
    migration = plan_migration(out, project.database, contract, allow_destructive=allow_destructive)
    created_once = {**rendered.user_owned, **format_python(migration.files)}
    obsolete = obsolete_files(out, rendered.owned)
    report = write_files(
        out,
        rendered.owned,
        created_once,
        extended=extension.files,
        obsolete=obsolete,
        dry_run=dry_run,
    )
    generated = Generated(report, warnings, migration, services, extension, changes)
    if not dry_run:
        record_fingerprint(out, inputs, rendered, generated, schemas_key(project.api))
    return generated


def record_fingerprint(
    out: Path,
    inputs: fingerprint.Inputs | None,
    rendered: Rendered,
    generated: Generated,
    made_of: str,
) -> None:
    """The manifest the next run compares with (``generators.fingerprint``): what this run
    was given, the files as it left them, and what a run with nothing changed reports."""
    manifest = out / fingerprint.MANIFEST
    if inputs is None:  # a contract of several files: the next run goes the whole way
        manifest.unlink(missing_ok=True)
        return
    services = generated.services
    recorded = fingerprint.Recorded(
        unchanged=len(rendered.owned),
        kept=len(rendered.user_owned.keys() - rendered.owned.keys()),
        warnings=generated.warnings,
        orphaned=list(services.orphaned),
        unreadable=list(services.unreadable),
        drifted=list(services.drifted),
        extension_warnings=list(generated.extension.warnings),
    )
    text = fingerprint.record(
        out, inputs, rendered.owned, rendered.user_owned, recorded, made_of, rendered.sources
    )
    write_files(out, {fingerprint.MANIFEST: text}, {})


def as_left(out: Path, api: ir.Api) -> tuple[list[Change], ServiceReport, Extension]:
    """What the last generation in ``out`` left, as ``api`` finds it: how the API contract
    changed since (:func:`api_changes`), the user's service modules (``plan_services``)
    and the stubs of new operations they lack (``extend_services``). Nothing is written."""
    return api_changes(out, api), plan_services(api, out), extend_services(api, out)


def api_changes(out: Path, api: ir.Api) -> list[Change]:
    """The changes since the contract ``out`` was last generated from (none the first
    time, or when there is no snapshot this generator could have written)."""
    previous = read_snapshot(out / SNAPSHOT)
    return compare(previous, api) if previous is not None else []


def read_snapshot(path: Path) -> ir.Api | None:
    """The IR of the contract a generation left in ``path`` (``SNAPSHOT``), read as it is:
    the generator's own output, from a contract validated (and repaired) then, so neither
    is done again (on a large contract, validating it took as long as generating).
    ``None`` when there is no such file, or it is not a JSON OpenAPI document."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not versions.readable(str(data.get("openapi", ""))):
        return None
    return build_api(Document(SNAPSHOT, data))
