"""Which files of a project the generator owns: where they live, how they are told apart."""

from __future__ import annotations

import re
from collections.abc import Container
from pathlib import Path

OWNED_FOLDERS = ("docs", "specs", "src", "tests")
"""Where generator-owned files live (migrations, in alembic/, are history: never removed)."""
GENERATED_SUFFIXES = {".py", ".md", ".yaml"}
"""The kinds of file the generator writes there (``.yaml``: the overlaid contract)."""

HEADER = re.compile(r"Generated from \S+ by Spec Foundry\b.* do not edit\.")
"""A generator-owned file's first line, of this version or another
(:func:`generators.emit.render.header` and the Markdown comment of :mod:`generators.emit.docs`)."""


def is_generated(text: str) -> bool:
    """Whether ``text`` (a file's content) carries the generator's header on its first line."""
    return HEADER.search(text.split("\n", 1)[0]) is not None


def obsolete_files(out: Path, owned: Container[str]) -> list[str]:
    """Files an earlier generation wrote (the generator's header on their first line) that
    the contracts no longer give: the router and tests of a removed tag, the model of a
    dropped table. Left in place, they would import what no longer exists."""
    found = []
    for folder in OWNED_FOLDERS:
        for path in sorted((out / folder).rglob("*")):
            relative = path.relative_to(out).as_posix()
            if relative in owned or path.suffix not in GENERATED_SUFFIXES or not path.is_file():
                continue
            with path.open(encoding="utf-8", errors="replace") as handle:
                if is_generated(handle.readline()):
                    found.append(relative)
    return found
