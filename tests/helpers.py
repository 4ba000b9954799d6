"""Paths and small helpers shared by the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

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
