"""Copier task: copy the user's contracts into ``specs/`` and generate the code.

Runs in the new project (Copier's working directory for tasks). The contracts are checked
before anything is copied, so invalid contracts stop ``copier copy`` with the generator's
report (exit code 2) and Copier removes the half-made project.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

SPECS = Path("specs")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--template", type=Path, required=True)
    parser.add_argument("--openapi", required=True)
    parser.add_argument("--db-schema", default="")
    args = parser.parse_args()

    openapi = _user_path(args.openapi)
    database = _user_path(args.db_schema) if args.db_schema.strip() else None
    for path in (openapi, database):
        if path is not None and not path.is_file():
            print(f"error: contract not found: {path}", file=sys.stderr)
            return 2

    command, env = _generator(args.template)
    contract_args = ["--openapi", str(openapi)]
    if database is not None:
        contract_args += ["--db-schema", str(database)]
    checked = subprocess.run([*command, "check", *contract_args], env=env, check=False)
    if checked.returncode != 0:
        return checked.returncode

    SPECS.mkdir(exist_ok=True)
    shutil.copyfile(openapi, SPECS / "openapi.yaml")  # JSON is valid YAML: kept as written
    project_args = ["--openapi", str(SPECS / "openapi.yaml")]
    if database is not None:
        shutil.copyfile(database, SPECS / "database-schema.json")
        project_args += ["--db-schema", str(SPECS / "database-schema.json")]
    generate = [*command, "generate", *project_args, "--out", "."]
    return subprocess.run(generate, env=env, check=False).returncode


def _user_path(text: str) -> Path:
    """Answers should be absolute; a relative one is taken from the directory copier ran in."""
    path = Path(text).expanduser()
    if path.is_absolute():
        return path
    return Path(os.environ.get("PWD", os.getcwd())) / path


def _generator(template: Path) -> tuple[list[str], dict[str, str]]:
    """A command that runs the generator of ``template``, and the environment to run it in.

    In-process when this Python already has the generator's dependencies (the usual case
    when Spec Foundry is installed next to Copier); otherwise in a cached virtual
    environment, built once per template version.
    """
    probe = subprocess.run(
        [sys.executable, "-c", "import datamodel_code_generator, openapi_spec_validator, rich"],
        capture_output=True,
        check=False,
    )
    if probe.returncode == 0:
        path = os.pathsep.join(filter(None, [str(template), os.environ.get("PYTHONPATH")]))
        return [sys.executable, "-m", "generators"], {**os.environ, "PYTHONPATH": path}
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "specfoundry"
    version = _version(template)
    environment = cache / f"venv-{version}"
    python = environment / ("Scripts" if os.name == "nt" else "bin") / "python"
    if not python.exists():
        print(f"Installing the Spec Foundry {version} generator into {environment} ...")
        venv.create(environment, with_pip=True, clear=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", str(template)], check=True)
    return [str(python), "-m", "generators"], dict(os.environ)


def _version(template: Path) -> str:
    for line in (template / "generators" / "__init__.py").read_text().splitlines():
        if line.startswith("__version__"):
            return line.split("=")[1].strip().strip("\"'")
    return "unknown"


if __name__ == "__main__":
    raise SystemExit(main())
