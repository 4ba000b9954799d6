"""The generator of a template checkout, as a command the Copier hooks can run."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import venv
from pathlib import Path

PROBED = ("datamodel_code_generator", "openapi_spec_validator", "jsonschema_rs", "rich")
"""Dependencies of the generator whose presence says this Python can run it."""


def generator(template: Path) -> tuple[list[str], dict[str, str]]:
    """A command that runs the generator of ``template``, and the environment to run it in.

    In this Python when it already has the generator's dependencies (the usual case when
    Spec Foundry is installed next to Copier: found, not imported, which took a process
    and a second); otherwise in a cached virtual environment, built once per template
    version.
    """
    if all(importlib.util.find_spec(name) is not None for name in PROBED):
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


OPENAPI = Path("specs/openapi.yaml")
DATABASE = Path("specs/database-schema.json")
OVERLAY = Path("specs/overlay.yaml")
"""An OpenAPI Overlay document the generator applies to ``OPENAPI``, where there is one."""


def generate_from_specs(template: Path) -> int:
    """Run ``template``'s generator on the project's own contracts (``specs/``)."""
    command, env = generator(template)
    contracts = ["--openapi", str(OPENAPI)]
    if DATABASE.is_file():
        contracts += ["--db-schema", str(DATABASE)]
    if OVERLAY.is_file():
        contracts += ["--overlay", str(OVERLAY)]
    generate = [*command, "generate", *contracts, "--out", "."]
    return subprocess.run(generate, env=env, check=False).returncode


def _version(template: Path) -> str:
    for line in (template / "generators" / "__init__.py").read_text().splitlines():
        if line.startswith("__version__"):
            return line.split("=")[1].strip().strip("\"'")
    return "unknown"
