"""Writing happens once, at the edge: format, compare, then replace only what changed."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class WriteReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    """User-owned files that already existed and were left alone."""
    extended: list[str] = field(default_factory=list)
    """User-owned files that existed and gained an appended part (new service stubs)."""
    removed: list[str] = field(default_factory=list)
    """Generator-owned files the contracts no longer give (a removed tag's router, ...)."""

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.extended or self.removed)


def format_python(
    files: Mapping[str, str], formatted: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Run ``ruff format`` (isolated from any project config: same bytes everywhere) on the
    Python files. ``formatted``: what ruff made of texts before, by the hash of the text
    it was given (:func:`source_hash`); a file whose text is among them is not formatted
    again (a regeneration formats what it renders differently, not every file)."""
    known = formatted or {}
    done = {
        path: known[source]
        for path, text in files.items()
        if path.endswith(".py") and known and (source := source_hash(text)) in known
    }
    with tempfile.TemporaryDirectory(prefix="specfoundry-format-") as scratch:
        root = Path(scratch)
        python = [path for path in files if path.endswith(".py") and path not in done]
        for path in python:
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(files[path], encoding="utf-8")
        if python:
            command = [sys.executable, "-m", "ruff", "format", "--isolated", "--no-cache"]
            command += ["--target-version", "py311", "--quiet", str(root)]
            subprocess.run(command, check=True, capture_output=True, text=True)
        return {
            path: done[path]
            if path in done
            else (root / path).read_text(encoding="utf-8")
            if path in python
            else text
            for path, text in files.items()
        }


def source_hash(text: str) -> str:
    """The key of a text given to ruff (:func:`format_python`'s ``formatted``)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def write_files(
    out: Path,
    owned: Mapping[str, str],
    user_owned: Mapping[str, str],
    *,
    extended: Mapping[str, str] | None = None,
    obsolete: Sequence[str] = (),
    dry_run: bool = False,
) -> WriteReport:
    """Write generator-owned files that differ, and user-owned files only where absent.

    ``extended`` holds the new text of existing user-owned files that gained an appended
    part (worked out from their current text by the caller); they are written too.
    ``obsolete`` generator-owned files are removed, after everything else is written.
    Every new content is first written next to its target and then moved over it with
    ``os.replace``, so a file is either the old version or the new one, never half of each.
    """
    report = WriteReport()
    pending: dict[Path, str] = {}
    extended = extended or {}
    for path, text in sorted({**user_owned, **owned, **extended}.items()):
        target = out / path
        if path in extended and target.exists():
            if target.read_text(encoding="utf-8") != text:
                report.extended.append(path)
                pending[target] = text
            else:
                report.kept.append(path)
        elif path in user_owned and path not in owned and target.exists():
            report.kept.append(path)
        elif not target.exists():
            report.created.append(path)
            pending[target] = text
        elif target.read_text(encoding="utf-8") != text:
            report.updated.append(path)
            pending[target] = text
        else:
            report.unchanged.append(path)
    if not dry_run:
        fresh = _new_file_mode()
        for target, text in pending.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            mode = target.stat().st_mode & 0o7777 if target.exists() else fresh
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=target.parent, delete=False, suffix=".tmp"
            ) as handle:
                handle.write(text)
            os.chmod(handle.name, mode)  # a temporary file is private (0600): not the result
            os.replace(handle.name, target)
    report.removed = sorted(obsolete)
    if not dry_run:
        for path in report.removed:
            (out / path).unlink()
    return report


def _new_file_mode() -> int:
    """The mode ``open()`` gives a new file: 0666 less the process's umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
