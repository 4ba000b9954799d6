"""``generate`` with nothing changed answers from the fingerprint of the last generation
(generators/fingerprint.py) without loading, validating or rendering anything, and
leaves every byte as it was; any change to what decides the output, or to a file the
generator wrote or reads, sends the run the whole way again (and the next run with
nothing changed is quick again)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import generators.emit.schemas
import generators.generate
import generators.writer
from generators import fingerprint
from generators.aside import SERIAL
from generators.cli import main
from tests.helpers import EXAMPLE_API, EXAMPLE_DB, files_of

OVERLAY = """\
overlay: 1.0.0
info: {title: Notes for the tests, version: '1'}
actions:
  - target: $.info
    update:
      description: Overlaid.
"""
ARGS = ["--openapi", "specs/openapi.yaml", "--db-schema", "specs/database-schema.json"]
ARGS += ["--overlay", "specs/overlay.yaml", "--out", "."]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's contracts and an overlay in specs/, generated once."""
    project = tmp_path_factory.mktemp("fingerprinted")
    (project / "specs").mkdir()
    (project / "alembic/versions").mkdir(parents=True)
    shutil.copy(EXAMPLE_API, project / "specs/openapi.yaml")
    shutil.copy(EXAMPLE_DB, project / "specs/database-schema.json")
    (project / "specs/overlay.yaml").write_text(OVERLAY)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        assert main(["generate", *ARGS]) == 0
    return project


@pytest.fixture
def project(generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the generated project, the working directory of the test."""
    copy = tmp_path / "project"
    shutil.copytree(generated, copy)
    monkeypatch.chdir(copy)
    return copy


@pytest.fixture
def full_runs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Counts the runs that went the whole way (``generators.generate.generate``)."""
    calls: list[int] = []
    whole_way = generators.generate.generate

    def counted(*args: Any, **kwargs: Any) -> generators.generate.Generated:
        calls.append(1)
        return whole_way(*args, **kwargs)

    monkeypatch.setattr(generators.generate, "generate", counted)
    yield calls


def regenerate(capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    capsys.readouterr()
    assert main(["generate", *ARGS, *extra]) == 0
    return capsys.readouterr().out


def test_nothing_changed_loads_nothing_and_writes_nothing(
    project: Path, full_runs: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    before = files_of(project)
    times = {path: path.stat().st_mtime_ns for path in project.rglob("*")}

    out = regenerate(capsys)

    assert full_runs == []
    assert "nothing was loaded or rendered" in out
    assert "0 created, 0 updated, " in out and " unchanged, " in out
    assert files_of(project) == before
    assert {path: path.stat().st_mtime_ns for path in project.rglob("*")} == times

    capsys.readouterr()
    assert main(["generate", "--check", *ARGS]) == 0
    assert "Up to date:" in capsys.readouterr().out
    assert full_runs == []


def test_the_quick_answer_says_what_the_whole_way_says(
    project: Path, full_runs: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    """The summary line and the warnings are the last full run's (an orphaned function)."""
    service = project / "src/services/tasks.py"
    service.write_text(service.read_text() + "\n\ndef forgotten() -> None:\n    pass\n")
    whole = regenerate(capsys)
    quick = regenerate(capsys)
    assert full_runs == [1]
    summary = [line for line in whole.splitlines() if " unchanged, " in line]
    assert summary == [line for line in quick.splitlines() if " unchanged, " in line]
    assert "1 orphaned service function(s)" in summary[0]


def _edit_contract(project: Path) -> None:
    contract = project / "specs/openapi.yaml"
    contract.write_text(contract.read_text().replace("title:", "title: Edited", 1))


def _edit_overlay(project: Path) -> None:
    overlay = project / "specs/overlay.yaml"
    overlay.write_text(overlay.read_text().replace("Overlaid.", "Overlaid again."))


def _edit_database(project: Path) -> None:
    database = project / "specs/database-schema.json"
    database.write_text(json.dumps(json.loads(database.read_text()), indent=4) + "\n")


def _edit_generated_file(project: Path) -> None:
    router = project / "src/api/v1/tasks.py"
    router.write_text(router.read_text() + "\n# a hand edit\n")


def _delete_generated_file(project: Path) -> None:
    (project / "src/models/comment.py").unlink()


def _add_migration(project: Path) -> None:
    (project / "alembic/versions/0002_by_hand.py").write_text('"""By hand."""\n')


def _add_service_module(project: Path) -> None:
    (project / "src/services/extra.py").write_text("def helper() -> None:\n    pass\n")


def _add_generated_looking_file(project: Path) -> None:
    """A file with the generator's header that no contract gives: the next run removes it."""
    (project / "src/api/v1/legacy.py").write_text((project / "src/api/v1/tasks.py").read_text())


@pytest.mark.parametrize(
    "change",
    [
        _edit_contract,
        _edit_overlay,
        _edit_database,
        _edit_generated_file,
        _delete_generated_file,
        _add_migration,
        _add_service_module,
        _add_generated_looking_file,
    ],
)
def test_any_change_goes_the_whole_way_once(
    project: Path,
    full_runs: list[int],
    capsys: pytest.CaptureFixture[str],
    change: Callable[[Path], None],
) -> None:
    assert "nothing was loaded or rendered" in regenerate(capsys)
    assert full_runs == []
    change(project)
    assert "nothing was loaded or rendered" not in regenerate(capsys)
    assert full_runs == [1]
    assert "nothing was loaded or rendered" in regenerate(capsys)
    assert full_runs == [1]


def test_a_hand_edit_is_undone_by_the_whole_way(
    project: Path, full_runs: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    router = project / "src/api/v1/tasks.py"
    pristine = router.read_text()
    assert "nothing was loaded or rendered" in regenerate(capsys)
    _edit_generated_file(project)
    assert "updated   src/api/v1/tasks.py" in regenerate(capsys)
    assert router.read_text() == pristine
    assert full_runs == [1]


def test_strict_goes_the_whole_way(
    project: Path, full_runs: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    """``--strict`` makes warnings errors: a run without it tells nothing about one with it."""
    assert "nothing was loaded or rendered" in regenerate(capsys)
    regenerate(capsys, "--strict")
    assert full_runs == [1]


def test_another_generator_goes_the_whole_way(
    project: Path,
    full_runs: list[int],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """The generator's source is part of the fingerprint: one template edited, and what
    the last run wrote tells nothing about what this one would."""
    assert "nothing was loaded or rendered" in regenerate(capsys)
    source = tmp_path / "generators"
    shutil.copytree(fingerprint.SOURCE, source, ignore=shutil.ignore_patterns("__pycache__"))
    template = source / "templates/router.py.jinja"
    template.write_text(template.read_text() + "\n")
    monkeypatch.setattr(fingerprint, "SOURCE", source)
    fingerprint.generator_identity.cache_clear()
    try:
        regenerate(capsys)
    finally:
        fingerprint.generator_identity.cache_clear()
    assert full_runs == [1]


def test_a_contract_of_several_files_always_goes_the_whole_way(
    project: Path, full_runs: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    """Which files it reads is only known once it is loaded: no fingerprint is kept."""
    assert (project / fingerprint.MANIFEST).is_file()
    contract = project / "specs/openapi.yaml"
    text = contract.read_text()
    assert "$ref: '#/components/schemas/TaskStatus'" in text
    status = yaml.safe_load(text)["components"]["schemas"]["TaskStatus"]
    (project / "specs/status.yaml").write_text(json.dumps({"TaskStatus": status}))
    contract.write_text(
        text.replace(
            "$ref: '#/components/schemas/TaskStatus'", "$ref: 'status.yaml#/TaskStatus'", 1
        )
    )
    regenerate(capsys)
    regenerate(capsys)
    assert full_runs == [1, 1]
    assert not (project / fingerprint.MANIFEST).exists()


def test_a_dry_run_records_nothing(tmp_path: Path) -> None:
    generators.generate.generate(EXAMPLE_API, EXAMPLE_DB, tmp_path, dry_run=True)
    assert not (tmp_path / fingerprint.MANIFEST).exists()
    generators.generate.generate(EXAMPLE_API, EXAMPLE_DB, tmp_path)
    assert (tmp_path / fingerprint.MANIFEST).is_file()


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts the preparations of the document for datamodel-code-generator ("prepared")
    and its runs with the passes after it ("made"), in this process
    (``generators.aside`` would count them in a child)."""
    calls: list[str] = []
    make, prepare = generators.emit.schemas._generate, generators.emit.schemas._prepared

    def counted(*args: Any) -> str:
        calls.append("made")
        return make(*args)

    def prepared(document: Any, *args: Any, **kwargs: Any) -> Any:
        if not args:  # the document's call, not one of its parts'
            calls.append("prepared")
        return prepare(document, *args, **kwargs)

    monkeypatch.setattr(generators.emit.schemas, "_generate", counted)
    monkeypatch.setattr(generators.emit.schemas, "_prepared", prepared)
    monkeypatch.setattr(generators.emit.schemas, "_RECENT", {})  # none made in this process
    monkeypatch.setenv(SERIAL, "1")
    return calls


def _as_generated_cold(project: Path, tmp_path: Path) -> dict[str, bytes]:
    """The generator's files of the project as a first generation of its contracts
    writes them (the user's service modules are theirs; the manifest records those too),
    and what the manifest says the schemas module is made of."""
    cold = tmp_path / "cold"
    (cold / "specs").mkdir(parents=True)
    for contract in ("openapi.yaml", "database-schema.json", "overlay.yaml"):
        shutil.copy(project / "specs" / contract, cold / "specs")
    (cold / "alembic/versions").mkdir(parents=True)
    for migration in (project / "alembic/versions").iterdir():
        shutil.copy(migration, cold / "alembic/versions")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cold)
        patch.setattr(generators.emit.schemas, "_RECENT", {})  # made from nothing
        assert main(["generate", *ARGS]) == 0
    return _generators_files(cold)


def _generators_files(project: Path) -> dict[str, Any]:
    files: dict[str, Any] = {
        path: data
        for path, data in files_of(project).items()
        if not path.startswith("src/services/") and path != fingerprint.MANIFEST
    }
    manifest = json.loads((project / fingerprint.MANIFEST).read_text(encoding="utf-8"))
    return {**files, "made of": manifest["schemas"]}


def _summary_and_parameter_changed(project: Path) -> None:
    """GET /auth/me gets another summary and a query parameter."""
    contract = project / "specs/openapi.yaml"
    verbose = "{name: verbose, in: query, schema: {type: boolean, default: false}}"
    text = contract.read_text().replace(
        "      summary: Get the authenticated user\n",
        f"      summary: Me\n      parameters:\n        - {verbose}\n",
    )
    contract.write_text(text)


def test_an_operation_changed_takes_the_schemas_module_as_it_was_written(
    project: Path, tmp_path: Path, made: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 18: one operation changed, and nothing the schemas module is made of: the
    module is taken as the last generation wrote it, neither made nor its document
    prepared again, and every file is what a first generation of the changed contracts
    writes."""
    _summary_and_parameter_changed(project)
    output = regenerate(capsys)
    assert "updated   src/api/v1/auth.py" in output
    assert made == []
    assert _generators_files(project) == _as_generated_cold(project, tmp_path)


@pytest.mark.parametrize("edit", ["schema", "hand edit"])
def test_the_schemas_module_is_made_anew_where_it_would_differ(
    project: Path, tmp_path: Path, made: list[str], capsys: pytest.CaptureFixture[str], edit: str
) -> None:
    """A component schema changed (a description), or the module edited by hand since:
    made again, and the files are a first generation's."""
    schemas = project / "specs/schemas/__init__.py"
    pristine = schemas.read_text()
    _summary_and_parameter_changed(project)
    if edit == "schema":
        contract = project / "specs/openapi.yaml"
        edited = contract.read_text().replace("Human-readable summary.", "What went wrong.")
        contract.write_text(edited)
    else:
        schemas.write_text(pristine + "\n# a hand edit\n")
    regenerate(capsys)
    assert made == ["prepared", "made"]
    assert _generators_files(project) == _as_generated_cold(project, tmp_path)
    assert (schemas.read_text() == pristine) is (edit == "hand edit")


@pytest.fixture
def formatted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The Python files ruff is given (``writer.format_python``), by path."""
    given: list[str] = []
    run = generators.writer.subprocess.run

    def counted(command: list[str], **kwargs: Any) -> Any:
        root = Path(command[-1])
        given.extend(path.relative_to(root).as_posix() for path in root.rglob("*.py"))
        return run(command, **kwargs)

    monkeypatch.setattr(generators.writer.subprocess, "run", counted)
    return given


def test_an_operation_changed_formats_only_what_renders_differently(
    project: Path, tmp_path: Path, formatted: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 18: ruff formats the files whose rendered text changed (the operation's router
    and service stub, the route test), not every file; the others are taken as written,
    and every file is what a first generation of the changed contracts writes."""
    _summary_and_parameter_changed(project)
    assert "updated   src/api/v1/auth.py" in regenerate(capsys)
    python = [path for path in files_of(project) if path.endswith(".py")]
    assert "src/api/v1/auth.py" in formatted
    assert 0 < len(formatted) <= 5 < len(python) / 4, formatted
    assert _generators_files(project) == _as_generated_cold(project, tmp_path)


def test_a_service_module_the_user_wrote_is_not_taken_for_its_stub(
    project: Path, formatted: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A service module that is not the stub as formatted (the user's code) is not
    recorded as what ruff made of the stub: the next run formats the stub anew."""
    service = project / "src/services/tasks.py"
    service.write_text(service.read_text() + "\n\ndef helper() -> int:\n    return 1\n")
    regenerate(capsys)
    manifest = json.loads((project / fingerprint.MANIFEST).read_text(encoding="utf-8"))
    assert "src/services/tasks.py" not in manifest["sources"]
    assert "src/services/projects.py" in manifest["sources"]
    assert "src/api/v1/tasks.py" in manifest["sources"]
    assert "src/services/tasks.py" in formatted
