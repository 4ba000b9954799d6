"""Paths and small helpers shared by the tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
import pytest

from generators import __version__

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "taskboard"
EXAMPLE_API = EXAMPLE / "openapi.yaml"
EXAMPLE_DB = EXAMPLE / "database-schema.json"
SHARED = ROOT.parent / "shared"


def shared_file(*parts: str) -> Path:
    """A file from ../shared, or a skip that says why when the folder is not beside the clone."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"{path} is absent: the public reference files live in ../shared beside the clone"
        )
    return path


def files_of(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


TEMPLATE = ROOT / "template"
ANSWERS = {
    "project_name": "Scaffold",
    "package_name": "scaffold",
    "description": "A project the tests lay out.",
    "database": "sqlite",
    "specfoundry_version": __version__,
}


def lay_out_template(project: Path, **answers: str) -> None:
    """The template as ``copier copy`` lays it out: its static files and its rendered
    ``.jinja`` files, without the task (each test generates what it needs)."""
    values = {**ANSWERS, **answers}
    ignore = shutil.ignore_patterns("*.jinja", "__pycache__", "*.pyc")
    shutil.copytree(TEMPLATE, project, ignore=ignore, dirs_exist_ok=True)
    for source in TEMPLATE.rglob("*.jinja"):
        relative = source.relative_to(TEMPLATE)
        if "{{" in str(relative):  # the answers file: copier's own
            continue
        template = jinja2.Template(source.read_text(encoding="utf-8"), keep_trailing_newline=True)
        target = project / str(relative).removesuffix(".jinja")
        target.write_text(template.render(**values), encoding="utf-8")
    (project / "specs").mkdir(exist_ok=True)
