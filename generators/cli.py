"""The ``specfoundry`` command line: ``check``, ``generate``, ``status`` and ``fill``."""

from __future__ import annotations

import argparse
import json
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape

from generators import __version__, fingerprint
from generators.problems import ContractError, Problem

if TYPE_CHECKING:
    from rich.table import Table

    from generators import ir
    from generators.fill.loop import Declined
    from generators.generate import Generated

# The rest of the generator is imported where a command needs it: `generate` with nothing
# changed (generators.fingerprint) answers before it would be, in a fraction of the time.

EXIT_CONTRACT = 2
EXIT_MIGRATION = 3
EXIT_BREAKING = 4
BREAKING_RECORD = Path(".truth/breaking_changes.json")
"""The breaking changes a generation was told to accept, for the handoff."""
console = Console(highlight=False)
errors_console = Console(stderr=True, highlight=False)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        result: int = args.run(args)
    except ContractError as error:
        _print_problems(error.problems)
        count = sum(problem.severity == "error" for problem in error.problems)
        errors_console.print(f"[bold red]{count} error(s) in the contracts; nothing was written.")
        return EXIT_CONTRACT
    except Exception as error:
        refused = _refused(error)
        if refused is None:
            raise
        return refused
    return result


def _refused(error: Exception) -> int | None:
    """The exit status of a generation that stopped before writing, after saying why;
    ``None`` for any other error."""
    from generators.breaking import BreakingChanges
    from generators.migrations import DestructiveChange, HistoryError, UnsupportedChange

    if isinstance(error, BreakingChanges):
        _refuse(
            "the API contract changed in ways that break its clients, so nothing was written",
            error.changes,
            "If that is intended, run again with --accept-breaking (the list goes into the "
            "handoff, .truth/handoff.json).",
        )
        return EXIT_BREAKING
    if isinstance(error, DestructiveChange):
        _refuse(
            "this database change would lose data, so no migration (and nothing else) was written",
            error.losses,
            "If that is intended, run again with --allow-destructive (the migration's "
            "downgrade restores the schema, not the data). If it is a rename, add "
            '"renamedFrom" to the new table or property instead.',
        )
        return EXIT_MIGRATION
    if isinstance(error, HistoryError | UnsupportedChange):
        errors_console.print(f"[bold red]error: {error}; nothing was written.", soft_wrap=True)
        return EXIT_MIGRATION
    return None


def _refuse(headline: str, items: Sequence[object], hint: str) -> None:
    """Why nothing was written: the headline, each item, what to do if it was meant."""
    errors_console.print(f"[bold red]error: {headline}:")
    for item in items:
        errors_console.print(f"  - {item}", soft_wrap=True)
    errors_console.print(hint)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="specfoundry",
        description="Turn an OpenAPI contract and a database contract into a FastAPI backend.",
    )
    parser.add_argument("--version", action="version", version=f"specfoundry {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="validate the contracts and summarise them")
    _contract_options(check)
    check.set_defaults(run=_check)

    gen = commands.add_parser("generate", help="generate (or refresh) the project's code")
    _contract_options(gen)
    gen.add_argument("--out", type=Path, required=True, help="the project directory")
    gen.add_argument(
        "--allow-destructive",
        action="store_true",
        help="write a migration even if it drops tables or columns or narrows types",
    )
    gen.add_argument(
        "--accept-breaking",
        action="store_true",
        help="generate even if the API contract changed in ways that break its clients",
    )
    gen.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 naming each file that differs from what the contracts give",
    )
    gen.set_defaults(run=_generate)

    bundle = commands.add_parser(
        "bundle",
        help="write a contract split over several files as one file (references resolved)",
    )
    bundle.add_argument("--openapi", type=Path, required=True, help="the root OpenAPI file")
    bundle.add_argument("--out", type=Path, required=True, help="the one-file contract to write")
    bundle.set_defaults(run=_bundle)

    status = commands.add_parser("status", help="list service bodies still to be written")
    status.add_argument("--openapi", type=Path, default=Path("specs/openapi.yaml"))
    _overlay_option(status, project=True)
    status.add_argument("--out", type=Path, default=Path("."), help="the project directory")
    status.set_defaults(run=_status)

    fill = commands.add_parser(
        "fill", help="write the unfilled service bodies: CRUD first, then a configured LLM"
    )
    fill.add_argument("--openapi", type=Path, default=Path("specs/openapi.yaml"))
    fill.add_argument("--db-schema", type=Path, default=Path("specs/database-schema.json"))
    _overlay_option(fill, project=True)
    fill.add_argument("--out", type=Path, default=Path("."), help="the project directory")
    fill.add_argument(
        "--no-llm", action="store_true", help="deterministic fillers only, even if configured"
    )
    fill.set_defaults(run=_fill)
    return parser


def _contract_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--openapi", type=Path, required=True, help="the OpenAPI 3.0/3.1/3.2 file")
    _overlay_option(parser)
    parser.add_argument(
        "--db-schema", type=Path, help="the database contract (omit for an API-only project)"
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="treat the contracts' warnings as errors (for CI): exit 2 on any of them",
    )


PROJECT_OVERLAY = Path("specs/overlay.yaml")
"""A project's OpenAPI Overlay document: ``status`` and ``fill`` apply it when it is there."""


def _overlay_option(parser: argparse.ArgumentParser, *, project: bool = False) -> None:
    default = f" (default: {PROJECT_OVERLAY} of the project, when it has one)" if project else ""
    parser.add_argument(
        "--overlay",
        type=Path,
        help=f"an OpenAPI Overlay 1.0 document applied to the OpenAPI file as it is read{default}",
    )


def _project_overlay(args: argparse.Namespace, root: Path) -> Path | None:
    """The overlay ``status`` and ``fill`` apply: ``--overlay``, else the project's own."""
    if isinstance(args.overlay, Path):
        return root / args.overlay
    return root / PROJECT_OVERLAY if (root / PROJECT_OVERLAY).is_file() else None


def _check(args: argparse.Namespace) -> int:
    from generators.loading.project import load_project

    project, warnings = load_project(
        args.openapi, args.db_schema, strict=args.strict, overlay=args.overlay
    )
    _print_problems(warnings)
    console.print(_summary(project, args.overlay))
    if warnings:
        console.print(f"[yellow]The contracts are usable, with {len(warnings)} warning(s).")
    else:
        console.print("[green]The contracts are valid.")
    return 0


def _bundle(args: argparse.Namespace) -> int:
    """The contract as one file: other files' parts placed as ``load_bundle`` does, nothing
    else changed (the repairs of slightly invalid contracts happen at every load)."""
    import yaml

    from generators.loading.bundle import load_bundle

    document, warnings = load_bundle(args.openapi)
    _print_problems(warnings)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(document.data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    console.print(f"Wrote {args.out}, one file for {args.openapi} and the files it refers to.")
    return 0


def _generate(args: argparse.Namespace) -> int:
    if args.check:
        return _generate_check(args)
    recorded = _unchanged(args)
    if recorded is not None:
        _print_problems(recorded.warnings)
        _print_kept_warnings(recorded)
        console.print(_summary_line(recorded.unchanged, recorded.kept, recorded), soft_wrap=True)
        console.print(
            "Nothing to write: the contracts, the generator and the files it wrote are as the "
            f"last generation left them ({fingerprint.MANIFEST}); nothing was loaded or rendered.",
            soft_wrap=True,
        )
        return 0
    from generators.generate import generate

    generated = generate(
        args.openapi,
        args.db_schema,
        args.out,
        allow_destructive=args.allow_destructive,
        accept_breaking=args.accept_breaking,
        strict=args.strict,
        overlay=args.overlay,
    )
    report = generated.report
    for change in generated.changes:
        label = "breaking (accepted)" if change.breaking else "contract"
        console.print(f"  {label} {change}", soft_wrap=True)
    breaking = [change for change in generated.changes if change.breaking]
    if breaking:
        record = args.out / BREAKING_RECORD
        record.parent.mkdir(parents=True, exist_ok=True)
        entries = [{"where": change.where, "what": change.what} for change in breaking]
        record.write_text(json.dumps(entries, indent=2) + "\n", encoding="utf-8")
    _print_problems(generated.warnings)
    for step in generated.migration.changes:
        console.print(f"  migration {step}")
    for warning in generated.migration.warnings:
        errors_console.print(f"[yellow]warning: {warning}", soft_wrap=True)
    for loss in generated.migration.losses:
        errors_console.print(f"[yellow]destructive (allowed): {loss}", soft_wrap=True)
    for label, paths in (
        ("created", report.created),
        ("updated", report.updated),
        ("removed", report.removed),
    ):
        for path in paths:
            console.print(f"  {label:<9} {path}")
    for path in report.extended:
        added = ", ".join(generated.extension.added.get(path, ()))
        console.print(f"  {'extended':<9} {path} (new stubs appended: {added})", soft_wrap=True)
    services = generated.services
    kept = fingerprint.Recorded(
        orphaned=list(services.orphaned),
        unreadable=list(services.unreadable),
        drifted=list(services.drifted),
        extension_warnings=list(generated.extension.warnings),
    )
    _print_kept_warnings(kept)
    console.print(_generate_summary(generated, kept), soft_wrap=True)
    if not report.changed:
        console.print("Nothing to write: the generated code already matches the contracts.")
    return 0


def _unchanged(args: argparse.Namespace) -> fingerprint.Recorded | None:
    """What the last generation reported, when nothing it depended on or wrote has changed
    since (``generators.fingerprint``); ``None``: the run goes the whole way."""
    found = fingerprint.inputs(args.openapi, args.db_schema, args.overlay, strict=args.strict)
    return fingerprint.unchanged(args.out, found)


def _print_kept_warnings(recorded: fingerprint.Recorded) -> None:
    """What stays wrong in the user's service modules until they change them."""
    _print_service_warnings(recorded.orphaned, recorded.unreadable)
    for drift in recorded.drifted:
        errors_console.print(
            f"[yellow]warning: signature changed: {drift}. Your body was kept as written; "
            "mypy fails on the route's call until the function's signature follows.",
            soft_wrap=True,
        )
    for warning in recorded.extension_warnings:
        errors_console.print(f"[yellow]warning: {warning}", soft_wrap=True)


def _generate_summary(generated: Generated, kept: fingerprint.Recorded) -> str:
    """One line: what was written, what was kept, what needs the user."""
    report = generated.report
    written = [(len(report.created), "created"), (len(report.updated), "updated")]
    written += [(len(report.extended), "extended"), (len(report.removed), "removed")]
    return _summary_line(
        len(report.unchanged), len(report.kept), kept, written, list(generated.migration.files)
    )


def _summary_line(
    unchanged: int,
    kept: int,
    recorded: fingerprint.Recorded,
    written: Sequence[tuple[int, str]] = ((0, "created"), (0, "updated")),
    migrations: Sequence[str] = (),
) -> str:
    parts = [
        f"{count} {label}" for count, label in written if count or label in {"created", "updated"}
    ]
    parts += [
        f"{unchanged} unchanged",
        f"{kept} service module(s) kept as written",
        f"{len(recorded.orphaned)} orphaned service function(s)",
    ]
    parts.append(
        f"migration written: {', '.join(migrations)}" if migrations else "no new migration"
    )
    return ", ".join(parts)


def _generate_check(args: argparse.Namespace) -> int:
    """What ``generate`` would write, written nowhere: 1 when anything would change."""
    recorded = _unchanged(args)
    if recorded is not None:
        console.print(f"Up to date: {recorded.unchanged} generated files match the contracts.")
        return 0
    from generators.generate import generate

    report = generate(
        args.openapi,
        args.db_schema,
        args.out,
        dry_run=True,
        allow_destructive=args.allow_destructive,
        accept_breaking=True,  # a check reports what is out of step, nothing more
        strict=args.strict,
        overlay=args.overlay,
    ).report
    reasons = (
        (report.created, "missing (or a migration the database contract calls for)"),
        (report.updated, "differs from the contracts: stale, or edited by hand"),
        (report.extended, "lacks the stubs of new operations"),
        (report.removed, "generated before, no longer given by the contracts"),
    )
    stale = [(path, why) for paths, why in reasons for path in paths]
    for path, why in stale:
        errors_console.print(f"stale: {path}: {why}", soft_wrap=True)
    if stale:
        errors_console.print(
            f"[bold red]{len(stale)} file(s) out of step with the contracts; "
            "`nox -s generate` (specfoundry generate) brings them in step."
        )
        return 1
    console.print(f"Up to date: {len(report.unchanged)} generated files match the contracts.")
    return 0


def _status(args: argparse.Namespace) -> int:
    from generators.emit.services import plan_services
    from generators.loading.openapi import load_api

    api = load_api(args.openapi, overlay=_project_overlay(args, args.out))
    report = plan_services(api, args.out)
    declined = _last_declines(args.out)
    for title, names in (
        ("unfilled", report.unfilled),
        ("missing", report.missing),
        ("orphaned", report.orphaned),
    ):
        for name in names:
            console.print(f"  {title:<9} {name}")
            if title == "unfilled":
                _print_declines(declined.get(name, ()), indent=12, when="last fill: ")
    for path in report.unreadable:
        console.print(f"  {'invalid':<9} {path} (not valid Python: left out)")
    console.print(
        f"{len(report.unfilled)} unfilled, {len(report.missing)} missing, "
        f"{len(report.orphaned)} orphaned service function(s)"
    )
    return 1 if report.unfilled or report.missing or report.unreadable else 0


def _last_declines(root: Path) -> dict[str, list[Declined]]:
    """What the fillers said, in the last ``fill`` that asked them, of each function
    (``projects.archive_project``) it did not write: from the self-healing log."""
    from generators.fill.loop import LOG, Declined

    path = root / LOG
    try:
        runs = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []
    except ValueError:
        return {}
    declined: dict[str, list[Declined]] = {}
    for run in runs if isinstance(runs, list) else []:
        for outcome in run.get("operations", ()) if isinstance(run, dict) else ():
            if not isinstance(outcome, dict) or outcome.get("final_status") == "success":
                continue
            name = f"{Path(str(outcome.get('module'))).stem}.{outcome.get('function')}"
            declined[name] = [
                Declined(str(d.get("filler")), str(d.get("reason")), str(d.get("hint") or ""))
                for d in outcome.get("declines") or ()
                if isinstance(d, dict)
            ]
    return declined


def _print_declines(declines: Sequence[Declined], indent: int, when: str = "") -> None:
    """Each filler's reason for not writing a body, one line each, with its hint."""
    for decline in declines:
        line = f"{' ' * indent}{when}[bold]{escape(decline.filler)}[/bold] declined: "
        line += escape(decline.reason)
        if decline.hint:
            line += f" [dim](hint: {escape(decline.hint)})[/dim]"
        console.print(line, soft_wrap=True)


def _fill(args: argparse.Namespace) -> int:
    from generators.fill import deterministic_fillers
    from generators.fill.llm import LlmFiller
    from generators.fill.loop import fill
    from generators.fill.providers import ProviderError, provider_from_config
    from generators.fill.task import Filler
    from generators.loading.project import load_project

    root = args.out
    database = args.db_schema if (root / args.db_schema).is_file() else None
    project, _ = load_project(
        root / args.openapi,
        root / database if database else None,
        overlay=_project_overlay(args, root),
    )
    fillers: list[Filler] = deterministic_fillers()
    llm: LlmFiller | None = None
    config = _llm_config(root)
    if config and not args.no_llm:
        try:
            provider = provider_from_config(config)
        except ProviderError as error:
            errors_console.print(f"[bold red]error: [tool.specfoundry.llm]: {error}")
            return EXIT_CONTRACT
        if provider is not None:
            llm = LlmFiller(provider)
            fillers.append(llm)

    def show(outcome: Any) -> None:
        tries = len(outcome.attempts)
        by = f" by {outcome.filler}" if outcome.filler else ""
        console.print(
            f"  {outcome.final_status:<10} {outcome.operation_id}{by}"
            + (f" ({tries} attempt{'s' * (tries != 1)})" if tries else "")
        )
        if outcome.final_status != "success":  # why the fillers asked first did not write it
            _print_declines(outcome.declines, indent=13)

    outcomes = fill(project, root, fillers, progress=show)
    filled = [o for o in outcomes if o.final_status == "success"]
    deterministic = [o for o in filled if o.filler and not o.filler.startswith("llm")]
    total = len(project.api.operations)
    console.print(
        f"{len(filled)} of {len(outcomes)} unfilled bodies written "
        f"({len(deterministic)} deterministically); "
        f"{sum(o.final_status in ('failed', 'escalation') for o in outcomes)} escalated "
        "(.truth/escalations/), "
        f"{sum(o.final_status == 'unhandled' for o in outcomes)} left for a person or an LLM; "
        f"{total} operations in the contract."
    )
    if left := [o.operation_id for o in outcomes if o.final_status == "unhandled"]:
        console.print(f"left for a person or an LLM: {', '.join(left)}")
    if llm is not None and llm.prompt_tokens:
        sizes = sorted(llm.prompt_tokens.values())
        console.print(f"LLM prompts: median {sizes[len(sizes) // 2]} tokens (estimated)")
    # Bodies left unhandled are not a failure of fill (`specfoundry status` exits 1 for them).
    return 1 if any(o.final_status in ("failed", "escalation") for o in outcomes) else 0


def _llm_config(root: Path) -> dict[str, Any]:
    """``[tool.specfoundry.llm]`` of the project's pyproject.toml ({} when absent)."""
    path = root / "pyproject.toml"
    if not path.is_file():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    config = data.get("tool", {}).get("specfoundry", {}).get("llm", {})
    return dict(config) if isinstance(config, dict) else {}


def _print_service_warnings(orphaned: Sequence[str], unreadable: Sequence[str]) -> None:
    for name in orphaned:
        errors_console.print(
            f"[yellow]warning: src/services: {name} is orphaned (no operation of the contract "
            "calls it); it was kept as written: delete it yourself if it is no longer needed",
            soft_wrap=True,
        )
    for path in unreadable:
        errors_console.print(
            f"[yellow]warning: {path} is not valid Python; its functions were not checked",
            soft_wrap=True,
        )


def _summary(project: ir.Project, overlay: Path | None = None) -> Table:
    from rich.table import Table

    api, database = project.api, project.database
    table = Table(title=f"{api.title} {api.version} (OpenAPI {api.openapi_version})")
    table.add_column("contract")
    table.add_column("count", justify="right")
    table.add_column("details")
    tags = ", ".join(api.tags)
    table.add_row("operations", str(len(api.operations)), f"tags: {tags}")
    table.add_row("schemas", str(len(api.schemas)), "")
    schemes = ", ".join(f"{s.name} ({s.type})" for s in api.security_schemes)
    table.add_row("security schemes", str(len(api.security_schemes)), schemes)
    table.add_row("base path", "", api.base_path or "/")
    if overlay is not None:
        table.add_row("overlay", "", f"{overlay} applied")
    if database is not None:
        relations = sum(len(t.relations) for t in database.tables)
        table.add_row(
            "tables", str(len(database.tables)), ", ".join(t.table_name for t in database.tables)
        )
        table.add_row("enums", str(len(database.enums)), ", ".join(e.name for e in database.enums))
        table.add_row("relations", str(relations), "")
    else:
        table.add_row("tables", "0", "API-only project (no database contract)")
    return table


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        style = "red" if problem.severity == "error" else "yellow"
        errors_console.print(f"[{style}]{problem.render()}", soft_wrap=True)
