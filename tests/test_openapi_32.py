"""OpenAPI 3.2 contracts: the synthetic spec written as a 3.2 document, with what only 3.2 can
write (``FEATURES_32`` in ``tests/synthetic_spec.py``), is served exactly.

The served features go through the whole user path (generate, import, ``ruff``, ``mypy
--strict``, the project's fidelity check at 100%); each feature still in
``NOT_YET_SERVED_32`` must really be unserved (refused by ``specfoundry check``, or served
differently), so that the list cannot go stale: once a feature is served, its entry fails
here until it is removed, and the feature joins the generated project.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from generators.generate import generate
from generators.loading.project import load_project
from generators.problems import ContractError
from tests.helpers import (
    assert_code_is_clean,
    lay_out_template,
    run_fidelity,
    run_in_project,
    send_requests,
)
from tests.synthetic_spec import FEATURES_32, NOT_YET_SERVED_32, pet_v32, synthetic_spec

VERSION = "3.2.0"
project_32 = pytest.mark.xdist_group("openapi-3.2-project")


def write(project: Path, document: dict[str, Any]) -> Path:
    spec = project / "specs" / "openapi.yaml"
    spec.parent.mkdir(parents=True, exist_ok=True)
    spec.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), "utf-8")
    return spec


_GENERATED: list[Path] = []


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixed core of the synthetic spec (about 60 operations) as a 3.2 document with its
    served 3.2 features, generated once per process."""
    if not _GENERATED:
        root = tmp_path_factory.mktemp("openapi-32") / "project"
        lay_out_template(root, project_name="OpenAPI 3.2", package_name="openapi_32")
        generate(write(root, synthetic_spec(0, 0, version=VERSION)), None, root)
        _GENERATED.append(root)
    return _GENERATED[0]


def test_the_document_is_a_3_2_contract() -> None:
    document = synthetic_spec(0, 0, version=VERSION)
    assert document["openapi"] == VERSION
    assert document["jsonSchemaDialect"].startswith("https://spec.openapis.org/oas/3.2/")
    assert "/v32/pets" in document["paths"]
    assert synthetic_spec(0, 0) == synthetic_spec(0, 0, version="3.1.0")
    assert "/v32/pets" not in synthetic_spec(0, 0)["paths"]


@project_32
def test_every_served_3_2_feature_is_served_exactly(project: Path) -> None:
    result, report = run_fidelity(project, timeout=600)
    assert report is not None, result.stdout + result.stderr
    assert report["differences"] == [], report["differences"][:20]
    assert report["equivalent"] == report["operations"] > 60


@project_32
def test_the_generated_code_is_clean(project: Path) -> None:
    assert_code_is_clean(project)


def feature_alone(name: str) -> dict[str, Any]:
    """A minimal 3.2 contract with one feature of ``FEATURES_32``."""
    fragment = FEATURES_32[name]()
    components = {kind: dict(entries) for kind, entries in fragment.get("components", {}).items()}
    components.setdefault("schemas", {}).setdefault("PetV32", pet_v32())
    return {
        "openapi": VERSION,
        "info": {"title": f"OpenAPI 3.2: {name}", "version": "1.0.0"},
        "paths": fragment["paths"],
        "components": components,
    }


@pytest.mark.parametrize("name", sorted(NOT_YET_SERVED_32))
def test_a_feature_not_yet_served_is_really_not_served(name: str, tmp_path: Path) -> None:
    """Refused by ``specfoundry check`` at a pointer of its own, or served with a difference."""
    spec = write(tmp_path, feature_alone(name))
    try:
        load_project(spec, None)
    except ContractError as error:
        assert all(problem.pointer.startswith("/") for problem in error.problems)
        return
    lay_out_template(tmp_path)
    generate(spec, None, tmp_path)
    result, report = run_fidelity(tmp_path, timeout=600)
    assert report is not None, result.stdout + result.stderr
    assert report["differences"], f"{name} is served exactly: remove it from NOT_YET_SERVED_32"


# --- each served 3.2 feature, enforced -------------------------------------------------------

BASE = "/v2"  # the synthetic spec's server path


def _in_project(project: Path, code: str) -> Any:
    """What ``code`` (run in the project, its app importable) prints, read as JSON."""
    result = run_in_project([sys.executable, "-c", textwrap.dedent(code)], project)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _refused(response: list[Any]) -> bool:
    """A 422 in the contract's error shape: these operations document no error, so the
    app's own (``src/core/errors.py``)."""
    status, body = response
    return status == 422 and body == {"detail": "The request is not valid."}


@pytest.fixture
def authorized(project: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The headers of a caller with a bearer token (the document's security), signed
    with a secret the app's processes share."""
    monkeypatch.setenv("JWT_SECRET", "a secret of the tests, long enough for HS256 keys")
    token = _in_project(
        project,
        """
        import json
        from src.core.tokens import create_token

        print(json.dumps(create_token("caller")))
        """,
    )
    return {"Authorization": f"Bearer {token}"}


def _send(
    project: Path, headers: dict[str, str], requests: dict[str, tuple[str, str, Any]]
) -> dict[str, Any]:
    """``send_requests``, each with ``headers``."""
    return send_requests(
        project,
        {name: (m, url, {"headers": headers, **send}) for name, (m, url, send) in requests.items()},
    )


@project_32
def test_a_media_type_of_components_is_read_as_written_in_place(
    project: Path, authorized: dict[str, str]
) -> None:
    """``$ref: '#/components/mediaTypes/Pet'``: the body is a ``PetV32`` (its name at most
    20 characters), not any body, and is served in place."""
    url = f"{BASE}/v32/adoptions"
    sent = _send(
        project,
        authorized,
        {
            "a pet": ("POST", url, {"json": {"name": "Rex"}}),
            "a long name": ("POST", url, {"json": {"name": "R" * 21}}),
            "no name": ("POST", url, {"json": {"tag": "dog"}}),
        },
    )
    responses = sent["responses"]
    assert responses["a pet"][0] == 501, responses
    assert _refused(responses["a long name"]) and _refused(responses["no name"]), responses
    body = sent["openapi"]["paths"][url]["post"]["requestBody"]
    assert body["content"]["application/json"] == {
        "schema": {"$ref": "#/components/schemas/PetV32"}
    }
