"""``copier update`` between two tagged versions of this template, on a living project.

A temporary git copy of this checkout is tagged v0.1.0, then changed (the generator writes a
new header, the template's README gains a line, a versioned ``_migrations`` entry appears)
and tagged v0.2.0. A project copied at v0.1.0 is filled, given a new operation and a body
of its owner's, edited in files of its own, committed, then updated.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers import EXAMPLE, GIT_IDENTITY, copy_working_tree

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("update")]

ENV = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"} | GIT_IDENTITY

HEADER = "by Spec Foundry — do not edit."
NEW_HEADER = "by Spec Foundry 0.2.0 — do not edit."
README_LINE = "Made with Spec Foundry 0.2.0 or later."

STATS_PATH = """
  /stats/projects:
    get:
      tags: [projects]
      operationId: projectStats
      summary: How many projects there are
      responses:
        '200':
          description: The count.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ProjectStats'
        '401':
          $ref: '#/components/responses/Unauthorized'
"""
STATS_SCHEMA = """
    ProjectStats:
      type: object
      required: [total]
      properties:
        total:
          type: integer
          minimum: 0
"""
STATS_BODY = (
    "    total = session.scalar(select(func.count()).select_from(Project))\n"
    "    return ProjectStats(total=total or 0)  # written by the project's owner\n"
)


def run(*command: str | Path, cwd: Path, stdout_only: bool = False) -> str:
    """The command's output (stdout, then stderr), asserting it succeeded."""
    done = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True)
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"{command}\n{output[-4000:]}"
    return done.stdout if stdout_only else output


def check_update(project: Path) -> dict[str, object]:
    command = [sys.executable, "-m", "copier", "check-update", "--output-format", "json"]
    found: dict[str, object] = json.loads(run(*command, cwd=project, stdout_only=True))
    return found


def nox(project: Path, *args: str) -> str:
    return run(sys.executable, "-m", "nox", *args, cwd=project)


def commit(repository: Path, message: str) -> None:
    run("git", "add", "-A", cwd=repository)
    run("git", "commit", "-q", "--no-verify", "-m", message, cwd=repository)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


def set_version(template: Path, version: str) -> None:
    init = template / "generators/__init__.py"
    init.write_text(re.sub(r'__version__ = ".*"', f'__version__ = "{version}"', init.read_text()))
    copier = template / "copier.yml"
    text = re.sub(
        r'(specfoundry_version:(?:\n  .*)*?\n  default: )".*"',
        rf'\1"{version}"',
        copier.read_text(),
    )
    copier.write_text(text)


def template_repository(root: Path, migrations_log: Path) -> Path:
    """This checkout's files (its working tree) as a new git repository: v0.1.0, v0.2.0."""
    template = copy_working_tree(root / "spec-foundry")
    set_version(template, "0.1.0")
    run("git", "init", "-q", "-b", "main", cwd=template)
    commit(template, "Spec Foundry 0.1.0")
    run("git", "tag", "v0.1.0", cwd=template)

    # 0.2.0: a generator change, a static-file change and a migration for it.
    set_version(template, "0.2.0")
    for emitter in ("generators/emit/render.py", "generators/emit/docs.py"):
        edit(template / emitter, "by Spec Foundry — do not edit.", NEW_HEADER)
    readme = template / "template/README.md.jinja"
    first, rest = readme.read_text().split("\n", 1)
    readme.write_text(f"{first}\n\n{README_LINE}\n{rest}")
    log = f"import os; open({str(migrations_log)!r}, 'a').write(os.getcwd() + '\\n')"
    command = json.dumps(["{{ _copier_python }}", "-c", log])
    migration = f'  - version: "0.2.0"\n    command: {command}\n'
    edit(template / "copier.yml", "\n\nproject_name:", f"\n{migration}\nproject_name:")
    commit(template, "Spec Foundry 0.2.0")
    run("git", "tag", "v0.2.0", cwd=template)
    return template


def test_copier_update_brings_the_new_template_and_keeps_the_owners_code(tmp_path: Path) -> None:
    migrations_log = tmp_path / "migrations.log"
    template = template_repository(tmp_path, migrations_log)
    contracts = tmp_path / "contracts"  # the paths answered at copy time
    contracts.mkdir()
    for name in ("openapi.yaml", "database-schema.json"):
        shutil.copy(EXAMPLE / name, contracts / name)

    project = tmp_path / "taskboard"
    run(
        sys.executable,
        "-m",
        "copier",
        "copy",
        "--trust",
        "--defaults",
        "--vcs-ref",
        "v0.1.0",
        "--data",
        f"openapi_spec={contracts / 'openapi.yaml'}",
        "--data",
        f"database_schema={contracts / 'database-schema.json'}",
        template,
        project,
        cwd=tmp_path,
    )
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == "v0.1.0"
    assert 'SPECFOUNDRY_VERSION = "0.1.0"' in (project / "noxfile.py").read_text()
    run("git", "init", "-q", "-b", "main", cwd=project)
    commit(project, "taskboard from Spec Foundry 0.1.0")

    # Filled: the template's checkout is at 0.2.0 now; fill installs the pinned v0.1.0.
    shutil.copy(EXAMPLE / "llm-answers.json", project / "llm-answers.json")
    with (project / "pyproject.toml").open("a") as pyproject:
        pyproject.write(
            '\n[tool.specfoundry.llm]\nprovider = "replay"\nfile = "llm-answers.json"\n'
        )
    filled = nox(project, "-s", "fill")
    assert "21 of 21 unfilled bodies written" in filled, filled[-3000:]

    # The owner changes the contract, regenerates, writes the new body, edits the README.
    api = project / "specs/openapi.yaml"
    edit(api, "\n  /projects:\n", STATS_PATH + "\n  /projects:\n")
    edit(api, "\n  schemas:\n", "\n  schemas:\n" + STATS_SCHEMA.lstrip("\n"))
    generated = nox(project, "-s", "generate")
    assert "contract GET /stats/projects: operation added" in generated, generated[-3000:]
    services = project / "src/services/projects.py"
    edit(services, '    raise ServiceNotImplementedError("projectStats")\n', STATS_BODY)
    text = services.read_text()
    if "from sqlalchemy import" not in text:
        text = text.replace(
            "\nfrom sqlalchemy.orm", "\nfrom sqlalchemy import func, select\nfrom sqlalchemy.orm", 1
        )
    else:
        text = re.sub(
            r"from sqlalchemy import (.*)",
            lambda m: (
                "from sqlalchemy import "
                + ", ".join(sorted(set(m.group(1).split(", ")) | {"func", "select"}))
            ),
            text,
            count=1,
        )
    services.write_text(text)
    run(project / ".nox/fill/bin/ruff", "check", "--fix", "--quiet", str(services), cwd=project)
    with (project / "README.md").open("a") as readme:
        readme.write("\n## Our notes\n\nDeploys go through the staging cluster first.\n")
    commit(project, "projectStats, by hand")
    owned = {path: path.read_bytes() for path in (project / "src/services").glob("*.py")}
    contract = api.read_bytes()

    # The answered contracts are gone: the update must not read them.
    shutil.rmtree(contracts)
    assert check_update(project) == {
        "update_available": True,
        "current_version": "0.1.0",
        "latest_version": "0.2.0",
    }

    updated = run(sys.executable, "-m", "copier", "update", "--trust", "--defaults", cwd=project)
    assert updated.count("regenerating the generator-owned code from specs/") == 1, updated
    assert migrations_log.read_text() == f"{project}\n"  # once, in the real project
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == "v0.2.0"
    assert "openapi_spec" not in answers  # read once, at the copy

    # Generator-owned files are in the new generator's form; migrations are history.
    tracked = run("git", "ls-files", "*.py", "*.md", cwd=project, stdout_only=True).split()
    headed = [name for name in tracked if HEADER in (project / name).read_text()]
    assert headed == [name for name in headed if name.startswith("alembic/versions/")]
    renewed = [name for name in tracked if NEW_HEADER in (project / name).read_text()]
    assert "src/api/v1/projects.py" in renewed and "specs/schemas/__init__.py" in renewed
    assert len(renewed) > 20, renewed
    assert "projectStats" in (project / "src/api/v1/projects.py").read_text()
    # The template's own files are new, and the owner's edits to them survive.
    readme = (project / "README.md").read_text()
    assert README_LINE in readme and "## Our notes" in readme
    assert 'SPECFOUNDRY_VERSION = "0.2.0"' in (project / "noxfile.py").read_text()
    assert 'provider = "replay"' in (project / "pyproject.toml").read_text()
    # The owner's bodies and contracts are byte for byte what they were.
    assert {path: path.read_bytes() for path in owned} == owned
    assert api.read_bytes() == contract
    conflicts = subprocess.run(
        ["git", "grep", "-l", "-E", "^(<<<<<<<|>>>>>>>) "],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert conflicts.stdout == "", conflicts.stdout
    assert not list(project.glob("**/*.rej"))

    assert check_update(project)["update_available"] is False
    verified = subprocess.run(
        [sys.executable, "-m", "nox", "-s", "verify"],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
    )
    assert verified.returncode == 0, verified.stdout[-4000:] + verified.stderr[-4000:]
    assert re.search(r"^generation_output\s+PASS", verified.stdout, re.MULTILINE)

    # `copier recopy` (the template again, the project's history dropped) keeps specs/ too.
    commit(project, "Spec Foundry 0.2.0")
    recopied = run(
        sys.executable,
        "-m",
        "copier",
        "recopy",
        "--trust",
        "--defaults",
        "--overwrite",
        cwd=project,
    )
    assert "the project's contracts are kept" in recopied
    assert api.read_bytes() == contract
    assert {path: path.read_bytes() for path in owned} == owned
