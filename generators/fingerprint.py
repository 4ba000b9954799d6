"""What a generation depended on and what it left, by content hash, so that a run with
nothing changed can say so without loading, validating or rendering anything.

After writing, ``generate`` records a manifest (``MANIFEST``, beside the API snapshot):
the SHA-256 of every input that decides its output (the API contract, the overlay, the
database contract, the options that change what a run does, the generator itself: its
version, its source files, the Python and the distributions it runs with) and of every
file it wrote or read in the project (generator-owned files, the user's first drafts,
every service module, every migration). The next run computes the inputs' hashes and the
files' again: when all are the same, the output would be too. Anything else, and the run
goes the whole way: a contract edited, a generated file edited by hand or deleted, a new
migration or service module, a generated-looking file the generator would remove, another
version of the generator.

A run that goes the whole way formats only what it renders differently: the manifest also
keeps, for each Python file written as ruff formatted it, the hash of the text ruff was
given (``sources``), and the next run by the same generator takes the file as written
wherever it renders that text again (:func:`formatted`).

A contract split over several files is not fingerprinted (which files it reads is only
known once it is loaded): such a project always goes the whole way.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import sysconfig
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import generators
from generators.owned_files import obsolete_files
from generators.problems import Problem

MANIFEST = "specs/schemas/generation.json"
"""Where a generation records its fingerprint (next to ``generate.SNAPSHOT``)."""
FORMAT = 2
SOURCE = Path(generators.__file__).parent
"""The generator's own files: its code, its templates, its schemas."""
READ_FOLDERS = (("src/services", "*.py"), ("alembic/versions", "*"))
"""Files of the user's that a generation reads: a new one there may change what it does
(a service module's functions are checked and extended; migrations are the history the
next one is planned from)."""

Inputs = dict[str, Any]


@dataclass(frozen=True)
class Recorded:
    """What the last generation reported that stays true while nothing changes."""

    unchanged: int = 0
    """Generator-owned files (all of them, the next run finds them as they are)."""
    kept: int = 0
    """The user's service modules (and other first drafts), kept as written."""
    warnings: list[Problem] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    drifted: list[str] = field(default_factory=list)
    extension_warnings: list[str] = field(default_factory=list)


def inputs(
    openapi: Path,
    database: Path | None,
    overlay: Path | None,
    *,
    strict: bool,
) -> Inputs | None:
    """The hashes of what decides a generation's output; ``None`` when they cannot all
    be known without loading the contract (it refers to other files, or is unreadable).

    Of the options, ``strict`` (warnings are errors). ``--accept-breaking`` and
    ``--allow-destructive`` only matter when the API contract differs from its snapshot or
    the database contract from the migrations' history: when both are as a run left them,
    neither has anything to allow."""
    try:
        contract = openapi.read_bytes()
    except OSError:
        return None
    if _refers_elsewhere(contract.decode("utf-8", errors="replace")):
        return None
    found: Inputs = {"openapi": {"path": str(openapi), "sha256": _hash(contract)}}
    found |= {"database": None, "overlay": None}
    for name, path in (("database", database), ("overlay", overlay)):
        if path is not None:
            found[name] = _file(path)
            if found[name] is None:
                return None
    found["options"] = {"strict": strict}
    found["generator"] = generator_identity()
    return found


def record(
    out: Path,
    found: Inputs,
    owned: Mapping[str, str],
    user_owned: Mapping[str, str],
    report: Recorded,
    schemas_key: str,
    sources: Mapping[str, str],
) -> str:
    """The manifest's text for ``out`` as a generation just left it (``found``: the inputs
    it was given; ``owned``/``user_owned``: the files it wrote or would have, by path;
    ``schemas_key``: what its schemas module was made of, ``emit.schemas.Made``;
    ``sources``: the hash of each Python file's text before ruff formatted it, kept for
    the files on disk as formatted, :func:`formatted`)."""
    paths = set(owned) | set(user_owned) | set(_read_files(out))
    files = {path: _digest(out / path) for path in sorted(paths)}
    written = {**user_owned, **owned}  # as writer.write_files gives them
    manifest = {
        "format": FORMAT,
        "inputs": found,
        "files": files,
        "report": {**asdict(report), "warnings": [asdict(w) for w in report.warnings]},
        "schemas": {"path": SCHEMAS, "made_of": schemas_key},
        "sources": {
            path: source
            for path, source in sorted(sources.items())
            if path in written and files.get(path) == _hash(written[path].encode("utf-8"))
        },
    }
    return json.dumps(manifest, indent=1, sort_keys=True) + "\n"


def formatted(out: Path) -> dict[str, str]:
    """What ruff made of texts in the last generation, by the hash of the text it was
    given (``writer.format_python``'s ``formatted``): the files it recorded that are
    still as it wrote them. Empty unless this very generator made them (another ruff may
    format otherwise)."""
    manifest = _own_manifest(out)
    sources = manifest.get("sources") if manifest is not None else None
    if manifest is None or not isinstance(sources, dict):
        return {}
    known: dict[str, str] = {}
    for path, source in sources.items():
        text = _as_recorded(out, manifest, path)
        if text is not None:
            known[str(source)] = text
    return known


SCHEMAS = "specs/schemas/__init__.py"


def previous_schemas(out: Path) -> tuple[str, str] | None:
    """The key of what the last generation's schemas module was made of, and the module
    as it wrote it; ``None`` unless this very generator wrote it (``generator_identity``)
    and the file is as it left it."""
    manifest = _own_manifest(out)
    if manifest is None:
        return None
    schemas = manifest.get("schemas")
    key = schemas.get("made_of") if isinstance(schemas, dict) else None
    code = _as_recorded(out, manifest, SCHEMAS)
    if not key or code is None:
        return None
    return str(key), code


def _own_manifest(out: Path) -> dict[str, Any] | None:
    """The last generation's manifest, where this very generator recorded it."""
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        same_generator = manifest["inputs"]["generator"] == generator_identity()
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return manifest if same_generator and isinstance(manifest.get("files"), dict) else None


def _as_recorded(out: Path, manifest: Mapping[str, Any], path: str) -> str | None:
    """The text of ``path`` in ``out``, where it is as the manifest recorded it."""
    try:
        data = (out / path).read_bytes()
    except OSError:
        return None
    return data.decode("utf-8") if _hash(data) == manifest["files"].get(path) else None


def unchanged(out: Path, found: Inputs | None) -> Recorded | None:
    """What the last generation reported, when its inputs were ``found`` and every file it
    recorded is as it left it (and no file it would read or remove has appeared since);
    ``None`` otherwise: the run must go the whole way."""
    if found is None:
        return None
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return None
    if manifest.get("inputs") != found:
        return None
    files = manifest.get("files")
    if not isinstance(files, dict) or not set(_read_files(out)) <= files.keys():
        return None
    if any(_digest(out / path) != digest for path, digest in files.items()):
        return None
    if obsolete_files(out, files):
        return None
    return _recorded(manifest.get("report"))


def _recorded(report: Any) -> Recorded | None:
    if not isinstance(report, dict):
        return None
    try:
        return Recorded(**{**report, "warnings": [Problem(**w) for w in report["warnings"]]})
    except (KeyError, TypeError):
        return None


@cache
def generator_identity() -> Mapping[str, str]:
    """What the generator is: its version, its source files (every one of the package:
    code, templates, schemas), the Python it runs on and the distributions installed
    beside it (ruff formats the code, datamodel-code-generator writes the schemas, ...)."""
    files = hashlib.sha256()
    for path in sorted(SOURCE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            files.update(path.relative_to(SOURCE).as_posix().encode() + b"\0")
            files.update(hashlib.sha256(path.read_bytes()).digest())
    folders = {sysconfig.get_paths()[key] for key in ("purelib", "platlib")}
    distributions = sorted(
        entry.name
        for folder in folders
        if Path(folder).is_dir()
        for entry in Path(folder).iterdir()
        if entry.suffix in {".dist-info", ".egg-info"}
    )
    return {
        "version": generators.__version__,
        "source": files.hexdigest(),
        "python": sys.version,
        "distributions": hashlib.sha256("\n".join(distributions).encode()).hexdigest(),
    }


def _file(path: Path) -> dict[str, str] | None:
    """The path as given (generated headers name it) and the hash of its bytes."""
    digest = _digest(path)
    return {"path": str(path), "sha256": digest} if digest is not None else None


def _digest(path: Path) -> str | None:
    try:
        return _hash(path.read_bytes())
    except OSError:
        return None


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_REF = re.compile(r"""\$ref["']?\s*:\s*["']?(\S?)""")
_ESCAPED = re.compile(r"\\(?:u0024|x24|U00000024)")
"""``$`` written as an escape: a ``$ref`` key the scan below could not see."""


def _refers_elsewhere(text: str) -> bool:
    """Whether a contract may refer to another file: a ``$ref`` whose value does not
    start with ``#`` (or one the scan cannot read: a mention in a description counts)."""
    if _ESCAPED.search(text):
        return True
    found = [match.group(1) for match in _REF.finditer(text)]
    return len(found) != text.count("$ref") or any(first != "#" for first in found)


def _read_files(out: Path) -> list[str]:
    """The files of ``READ_FOLDERS`` in ``out`` now."""
    return [
        path.relative_to(out).as_posix()
        for folder, pattern in READ_FOLDERS
        for path in sorted((out / folder).glob(pattern))
        if path.is_file()
    ]
