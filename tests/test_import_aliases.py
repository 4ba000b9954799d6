"""An aliased import (``Query as QuerySchema``: a contract schema named like a FastAPI name)
sits where ruff's isort puts it: among the lines of its module, by its imported name."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generators.emit.imports import Imports


def test_aliased_names_are_ordered_by_the_name_they_import(tmp_path: Path) -> None:
    imports = Imports()
    imports.add("specs.schemas", "SearchHit", "Zone", "Query as QuerySchema")
    imports.add("specs.schemas", "Field as FieldSchema", "Zone as ZoneSchema")
    imports.add("fastapi", "Query", "APIRouter")
    imports.add("sys")
    module = tmp_path / "module.py"
    text = imports.render() + "\n"
    module.write_text(text)
    assert text.index("Query as QuerySchema") < text.index("SearchHit, Zone")
    assert text.index("SearchHit, Zone") < text.index("Zone as ZoneSchema")
    command = [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "I"]
    command += ["--config", "lint.isort.known-first-party = ['specs']", str(module)]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + text
