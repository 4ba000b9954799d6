"""Copier task: copy the user's contracts into ``specs/`` and generate the code.

Runs in the new project (Copier's working directory for tasks). The contracts are checked
before anything is copied, so invalid contracts stop ``copier copy`` with the generator's
report (exit code 2) and Copier removes the half-made project. The check is the generation
itself, from the answered files: ``specfoundry generate`` validates as ``specfoundry
check`` does and writes nothing when a contract has errors, its problems name the files
as answered, and the code is the same as from their copies in ``specs/`` (which are made
once it succeeded): one load of the contracts, not two. Where ``specs/`` already holds
contracts (``copier recopy``), they are the project's own: kept, and generated from.

A contract split over several files (relative ``$ref``s to other files) is copied as one
file, ``specfoundry bundle`` of it: every part in place, schemas of other files as components.
The project's tools (contract fidelity, the schemathesis contract test) then read one
self-contained ``specs/openapi.yaml``, and nothing outside the project is referred to. Such
a contract is checked first (``specfoundry check``: its problems name the part files), then
generated from the bundle.

An OpenAPI Overlay document (``openapi_overlay``) is checked with the contracts, applied
to the contract as given, and copied to ``specs/overlay.yaml``; the generator applies it
from then on, and writes the overlaid contract the project's tools read.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from generator import OPENAPI, OVERLAY, generate_from_specs, generator

SPECS = Path("specs")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--template", type=Path, required=True)
    parser.add_argument("--openapi", required=True)
    parser.add_argument("--db-schema", default="")
    parser.add_argument("--overlay", default="")
    args = parser.parse_args()

    if OPENAPI.is_file():  # `copier recopy`, or a copy over this project: specs/ is its own
        print(f"{OPENAPI} exists: the project's contracts are kept; the answered ones not read")
        return generate_from_specs(args.template)
    openapi = _user_path(args.openapi)
    database = _user_path(args.db_schema) if args.db_schema.strip() else None
    overlay = _user_path(args.overlay) if args.overlay.strip() else None
    for path in (openapi, database, overlay):
        if path is not None and not path.is_file():
            print(f"error: contract not found: {path}", file=sys.stderr)
            return 2

    command, env = generator(args.template)
    split = _refers_to_other_files(openapi)
    if split:  # checked where its parts are written, then generated from the bundle
        contract_args = _contract_args(openapi, database, overlay)
        checked = subprocess.run([*command, "check", *contract_args], env=env, check=False)
        if checked.returncode != 0:
            return checked.returncode
        SPECS.mkdir(exist_ok=True)
        bundle = [*command, "bundle", "--openapi", str(openapi), "--out", str(OPENAPI)]
        bundled = subprocess.run(bundle, env=env, check=False)
        if bundled.returncode != 0:
            return bundled.returncode
        openapi = OPENAPI
    generate = [*command, "generate", *_contract_args(openapi, database, overlay), "--out", "."]
    generated = subprocess.run(generate, env=env, check=False)
    if generated.returncode != 0:
        return generated.returncode
    SPECS.mkdir(exist_ok=True)
    if not split:
        shutil.copyfile(openapi, OPENAPI)  # JSON is valid YAML: kept as written
    if database is not None:
        shutil.copyfile(database, SPECS / "database-schema.json")
    if overlay is not None:
        shutil.copyfile(overlay, OVERLAY)
    return 0


def _contract_args(openapi: Path, database: Path | None, overlay: Path | None) -> list[str]:
    found = ["--openapi", str(openapi)]
    if database is not None:
        found += ["--db-schema", str(database)]
    if overlay is not None:
        found += ["--overlay", str(overlay)]
    return found


def _refers_to_other_files(contract: Path) -> bool:
    """Whether the contract has a ``$ref`` to another file (``paths/pets.yaml``, ...)."""
    return (
        re.search(r"""["']?\$ref["']?\s*:\s*["']?(?!#)[^\s"']""", contract.read_text()) is not None
    )


def _user_path(text: str) -> Path:
    """Answers should be absolute; a relative one is taken from the directory copier ran in."""
    path = Path(text).expanduser()
    if path.is_absolute():
        return path
    return Path(os.environ.get("PWD", os.getcwd())) / path


if __name__ == "__main__":
    raise SystemExit(main())
