"""Generated import blocks are in ruff's isort order, whatever the case of the names."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generators.emit.imports import Imports

NAMES = (
    *("SDKMessageRequest", "ScheduledEventUserResponse", "SearchableEmbedType"),
    *("SearchIndexNotReadyResponse", "CreatedThreadResponse", "CreateEntitlementRequestData"),
    *("CreateWebhookRequest", "V10", "V2", "API_KEY", "helper", "Item10", "Item9", "item"),
)


def test_names_are_sorted_as_ruff_sorts_them(tmp_path: Path) -> None:
    imports = Imports()
    imports.add("specs.schemas", *NAMES)
    imports.add("fastapi", "Query", "APIRouter", "Depends")
    imports.add("typing", "Annotated", "Any")
    module = tmp_path / "module.py"
    module.write_text(imports.render() + "\n")
    command = [sys.executable, "-m", "ruff", "format", "--isolated", str(module)]
    subprocess.run(command, check=True, capture_output=True)
    command = [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "I"]
    command += ["--config", "lint.isort.known-first-party = ['specs']", str(module)]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
