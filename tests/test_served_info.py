"""A contract whose ``info`` has an empty ``title`` and ``version`` (ory-kratos' version is
``""``): FastAPI refuses to build an app of either, so the app is built with stand-ins and
serves the contract's own, empty as written."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

from generators.generate import generate
from tests.helpers import lay_out_template, run_in_project

CONTRACT = {
    "openapi": "3.0.3",
    "info": {"title": "", "version": ""},
    "paths": {
        "/ping": {"get": {"operationId": "ping", "responses": {"204": {"description": "Alive"}}}}
    },
}


def test_an_empty_title_and_version_are_served_as_written(tmp_path: Path) -> None:
    lay_out_template(tmp_path)
    (tmp_path / "specs/openapi.yaml").write_text(yaml.safe_dump(CONTRACT), encoding="utf-8")
    generate(tmp_path / "specs/openapi.yaml", None, tmp_path)
    script = "import json; from src.main import app; print(json.dumps(app.openapi()['info']))"
    result = run_in_project([sys.executable, "-c", script], tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"title": "", "version": ""}
