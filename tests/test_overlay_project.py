"""An OpenAPI Overlay in a generated project, end to end: a published contract whose login
inherits the document's bearer security (so no one can sign in) and has an operation no
filler recognises, fixed and hinted by ``specs/overlay.yaml`` instead of an edit. The
generator applies it, the app serves the overlaid contract, the gate's fidelity check
compares with that one, ``fill`` reads the hint, and the project's own tests pass."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generators.cli import main
from tests.helpers import lay_out_template, run_in_project, send_requests

CONTRACT = """\
openapi: 3.1.0
info: {title: Notes, version: 1.0.0}
servers: [{url: /api/v1}]
security: [{bearerAuth: []}]
paths:
  /auth/login:
    post:
      operationId: login
      tags: [auth]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [email, password]
              properties:
                email: {type: string, format: email}
                password: {type: string, minLength: 8}
      responses:
        '200':
          description: Signed in
          content:
            application/json:
              schema:
                type: object
                required: [accessToken]
                properties:
                  accessToken: {type: string}
        '401': {description: Wrong credentials}
  /notes/{noteId}/view:
    get:
      operationId: viewNote
      tags: [notes]
      parameters:
        - {name: noteId, in: path, required: true, schema: {type: string, format: uuid}}
      responses:
        '200':
          description: The note
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Note'}
        '401': {description: Not signed in}
        '404': {description: No such note}
components:
  securitySchemes:
    bearerAuth: {type: http, scheme: bearer, bearerFormat: JWT}
  schemas:
    Note:
      type: object
      required: [id, title]
      properties:
        id: {type: string, format: uuid}
        title: {type: string, maxLength: 200}
"""

DATABASE = {
    "definitions": {
        "User": {
            "type": "object",
            "tableName": "users",
            "properties": {
                "id": {"type": "string", "format": "uuid", "primaryKey": True, "default": "uuid()"},
                "email": {"type": "string", "format": "email", "unique": True},
                "passwordHash": {"type": "string", "columnName": "password_hash"},
            },
            "required": ["id", "email", "passwordHash"],
        },
        "Note": {
            "type": "object",
            "tableName": "notes",
            "properties": {
                "id": {"type": "string", "format": "uuid", "primaryKey": True, "default": "uuid()"},
                "title": {"type": "string", "maxLength": 200},
            },
            "required": ["id", "title"],
        },
    }
}

OVERLAY = """\
overlay: 1.0.0
info: {title: Notes fixes and hints, version: '1'}
extends: ./openapi.yaml
actions:
  - target: $.paths.*[?@.operationId == 'login']
    description: Signing in needs no token.
    update:
      security: []
  - target: $.paths['/notes/{noteId}/view'].get
    description: Viewing a note reads one row of notes.
    update:
      x-crud: {table: Note, action: get}
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("overlay") / "project"
    lay_out_template(root)
    (root / "specs/openapi.yaml").write_text(CONTRACT, encoding="utf-8")
    (root / "specs/database-schema.json").write_text(json.dumps(DATABASE), encoding="utf-8")
    (root / "specs/overlay.yaml").write_text(OVERLAY, encoding="utf-8")
    # As the project's `nox -s generate` runs it (noxfile CONTRACTS), from the project.
    contracts = ["--openapi", "specs/openapi.yaml", "--db-schema", "specs/database-schema.json"]
    contracts += ["--overlay", "specs/overlay.yaml"]
    cwd = Path.cwd()
    os.chdir(root)
    try:
        assert main(["generate", *contracts, "--out", "."]) == 0
        assert main(["generate", *contracts, "--out", ".", "--check"]) == 0
    finally:
        os.chdir(cwd)
    return root


def test_the_app_serves_the_overlaid_contract(project: Path) -> None:
    sent = send_requests(
        project,
        {
            "login": (
                "POST",
                "/api/v1/auth/login",
                {"json": {"email": "a@b.io", "password": "x" * 8}},
            )
        },
    )
    paths = sent["openapi"]["paths"]
    assert not paths["/api/v1/auth/login"]["post"].get("security")  # public
    assert paths["/api/v1/notes/{noteId}/view"]["get"]["security"] == [{"bearerAuth": []}]
    # Public now: the unwritten body answers (501), not the bearer check (401).
    assert sent["responses"]["login"][0] == 501


def test_the_fidelity_check_compares_with_the_overlaid_contract(project: Path) -> None:
    checked = run_in_project([sys.executable, "-m", "tools.contract_fidelity"], project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "2/2 operations equivalent" in checked.stdout
    # The published contract alone is not what the app serves any more.
    source = [sys.executable, "-m", "tools.contract_fidelity", "specs/openapi.yaml"]
    differs = run_in_project(source, project)
    assert differs.returncode == 1
    assert "DIFF POST /api/v1/auth/login" in differs.stdout


def test_the_gate_and_the_contract_test_read_the_overlaid_contract(project: Path) -> None:
    """The noxfile's settings as nox reads them in the project: the generator is given the
    overlay, the gate's checks the overlaid contract (which the generator wrote)."""
    script = (
        "import json, runpy; ns = runpy.run_path('noxfile.py'); "
        "steps = ns['VERIFY_STEPS']; "
        "print(json.dumps([ns['CONTRACTS'], steps['spec_output'], steps['security_output']]))"
    )
    result = run_in_project([sys.executable, "-c", script], project)
    assert result.returncode == 0, result.stderr
    contracts, spec, security = json.loads(result.stdout)
    assert contracts[-2:] == ["--overlay", "specs/overlay.yaml"]
    assert spec[0][3] == spec[1][3] == security[0][3] == "specs/openapi.overlaid.yaml"
    overlaid = yaml.safe_load((project / "specs/openapi.overlaid.yaml").read_text())
    assert overlaid["paths"]["/auth/login"]["post"]["security"] == []
    test_contract = (project / "tests/test_contract.py").read_text(encoding="utf-8")
    assert 'ROOT / "specs/openapi.overlaid.yaml"' in test_contract


def test_fill_reads_the_hint_and_the_projects_own_tests_pass(project: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("API_PREFIX", "PYTHONPATH")}
    env["COLUMNS"] = "200"
    command = [sys.executable, "-m", "generators", "fill", "--no-llm", "--out", "."]
    filled = subprocess.run(
        command,
        cwd=project,
        env={**env, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        capture_output=True,
        text=True,
        check=False,
    )
    # Only the hint names a table for viewNote (its path ends in /view). Whatever the auth
    # filler makes of the login, a body the loop's checks refuse is not kept.
    assert "success    viewNote by crud" in filled.stdout, filled.stdout + filled.stderr
    tests = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"]
    result = run_in_project(tests, project)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
