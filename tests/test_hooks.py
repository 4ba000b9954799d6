"""The Copier hooks run alone, in a project, as Copier runs them (``python hooks/<hook>.py``)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.helpers import EXAMPLE_API, EXAMPLE_DB, ROOT, files_of, lay_out_template


def hook(name: str, project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(ROOT / "hooks" / name), "--template", str(ROOT), *args]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)


def test_the_update_hook_regenerates_from_specs(tmp_path: Path) -> None:
    lay_out_template(tmp_path)
    (tmp_path / "specs").mkdir(exist_ok=True)
    shutil.copy(EXAMPLE_API, tmp_path / "specs/openapi.yaml")
    shutil.copy(EXAMPLE_DB, tmp_path / "specs/database-schema.json")
    first = hook("after_update.py", tmp_path, "--version-from", "0.1.0", "--version-to", "0.2.0")
    assert first.returncode == 0, first.stderr
    assert "Spec Foundry 0.1.0 -> 0.2.0: regenerating" in first.stdout
    assert (tmp_path / "src/models/task.py").is_file()
    assert "migration written: alembic/versions/0001_initial.py" in first.stdout

    again = hook("after_update.py", tmp_path)
    assert again.returncode == 0 and "Nothing to write" in again.stdout


def test_the_update_hook_stops_on_a_breaking_contract_and_says_what_to_do(tmp_path: Path) -> None:
    lay_out_template(tmp_path)
    (tmp_path / "specs").mkdir(exist_ok=True)
    shutil.copy(EXAMPLE_API, tmp_path / "specs/openapi.yaml")
    assert hook("after_update.py", tmp_path).returncode == 0
    # The owner removed an operation and did not regenerate before updating.
    contract = yaml.safe_load((tmp_path / "specs/openapi.yaml").read_text())
    del contract["paths"]["/users"]
    (tmp_path / "specs/openapi.yaml").write_text(yaml.safe_dump(contract, sort_keys=False))
    before = files_of(tmp_path)

    stopped = hook("after_update.py", tmp_path)

    assert stopped.returncode == 4
    assert "GET /users: operation removed" in stopped.stderr
    assert "the code was not regenerated (exit 4" in stopped.stderr
    assert "run `nox -s generate`" in stopped.stderr
    assert files_of(tmp_path) == before


def test_the_update_hook_needs_the_projects_contracts(tmp_path: Path) -> None:
    stopped = hook("after_update.py", tmp_path)
    assert stopped.returncode == 2
    assert "specs/openapi.yaml not found" in stopped.stderr


def test_the_copy_hook_keeps_contracts_the_project_already_has(tmp_path: Path) -> None:
    """``copier recopy`` runs the copy task again: specs/ is the project's, not the answer's."""
    lay_out_template(tmp_path)
    (tmp_path / "specs").mkdir(exist_ok=True)
    shutil.copy(EXAMPLE_API, tmp_path / "specs/openapi.yaml")
    elsewhere = tmp_path / "answered.yaml"
    elsewhere.write_text("not: a contract\n")

    kept = hook("after_copy.py", tmp_path, "--openapi", str(elsewhere))

    assert kept.returncode == 0, kept.stderr
    assert "the project's contracts are kept" in kept.stdout
    assert (tmp_path / "specs/openapi.yaml").read_text() == EXAMPLE_API.read_text()
    assert (tmp_path / "src/api/v1/tasks.py").is_file()


def test_the_copy_hook_loads_a_contract_once_and_names_it_as_answered(tmp_path: Path) -> None:
    """One load of the answered contract (the generation checks it): its warning is
    reported once, naming the file as answered, and the copy in ``specs/`` is what a
    later generation reads to the same code."""
    project, answered = tmp_path / "project", tmp_path / "answered.yaml"
    lay_out_template(project)
    listed = "operationId: listUsers"
    text = EXAMPLE_API.read_text().replace(listed, f"{listed}\n      deprecated: 'true'", 1)
    answered.write_text(text)

    copied = hook(
        "after_copy.py", project, "--openapi", str(answered), "--db-schema", str(EXAMPLE_DB)
    )

    assert copied.returncode == 0, copied.stderr
    reported = " ".join(copied.stderr.split())
    assert reported.count("'true' where a boolean belongs") == 1, copied.stderr
    assert f"{answered}:" in reported
    assert (project / "specs/openapi.yaml").read_text() == text
    again = hook("after_update.py", project)
    assert again.returncode == 0 and "Nothing to write" in again.stdout, again.stdout


def test_the_copy_hook_applies_and_keeps_an_overlay(tmp_path: Path) -> None:
    """An answered ``openapi_overlay`` is checked with the contracts, copied to
    ``specs/overlay.yaml`` and applied; ``copier update`` applies it again."""
    project, answered = tmp_path / "project", tmp_path / "answered"
    lay_out_template(project)
    answered.mkdir()
    overlay = answered / "fixes.yaml"
    overlay.write_text(
        "overlay: 1.0.0\ninfo: {title: fixes, version: '1'}\nactions:\n"
        "  - target: $.paths.*[?@.operationId == 'getCurrentUser']\n"
        "    update: {summary: Who am I}\n"
    )
    copied = hook(
        "after_copy.py",
        project,
        *("--openapi", str(EXAMPLE_API), "--db-schema", str(EXAMPLE_DB)),
        *("--overlay", str(overlay)),
    )
    assert copied.returncode == 0, copied.stderr
    assert (project / "specs/overlay.yaml").read_text() == overlay.read_text()
    overlaid = yaml.safe_load((project / "specs/openapi.overlaid.yaml").read_text())
    assert overlaid["paths"]["/auth/me"]["get"]["summary"] == "Who am I"

    updated = hook("after_update.py", project)
    assert updated.returncode == 0, updated.stderr
    assert "Nothing to write" in updated.stdout  # the overlay applied again, not dropped


def test_the_copy_hook_refuses_an_invalid_overlay(tmp_path: Path) -> None:
    project = tmp_path / "project"
    lay_out_template(project)
    overlay = tmp_path / "fixes.yaml"
    overlay.write_text("overlay: 1.0.0\ninfo: {title: fixes, version: '1'}\nactions: []\n")
    refused = hook(
        "after_copy.py", project, "--openapi", str(EXAMPLE_API), "--overlay", str(overlay)
    )
    assert refused.returncode == 2
    assert f"{overlay}:3 /actions: [] should be non-empty" in " ".join(refused.stderr.split())
    assert not (project / "specs/openapi.yaml").exists()
