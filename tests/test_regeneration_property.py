"""No body is ever lost or changed by regeneration: hypothesis draws sequences of contract
edits (operations added, removed, moved to another tag, given a new parameter); after each
regeneration every service function written before is still there, byte for byte, and
every operation of the contract has its function."""

from __future__ import annotations

import ast
import copy
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_services import Json, _ok, regenerate, scaffold, version_2

pytestmark = pytest.mark.xdist_group("regeneration-property")

STUB = "raise ServiceNotImplementedError("
TAGS = ("tasks", "reports", "admin")

Edit = tuple[str, int, int]
"""(kind, which operation or a fresh number, which tag)."""
edits = st.lists(
    st.tuples(
        st.sampled_from(["add", "remove", "move", "parameter"]),
        st.integers(0, 20),
        st.integers(0, len(TAGS) - 1),
    ),
    min_size=1,
    max_size=4,
)


def operations(contract: Json) -> list[tuple[str, str]]:
    return [(path, method) for path, item in contract["paths"].items() for method in item]


def edited(contract: Json, edit: Edit, step: int) -> Json:
    contract = copy.deepcopy(contract)
    kind, number, tag = edit
    present = operations(contract)
    if kind == "add" or not present:
        contract["paths"][f"/extra{step}"] = {
            "get": {"operationId": f"extra{step}", "tags": [TAGS[tag]], "responses": _ok()}
        }
        return contract
    path, method = present[number % len(present)]
    operation = contract["paths"][path][method]
    if kind == "remove":
        del contract["paths"][path][method]
        if not contract["paths"][path]:
            del contract["paths"][path]
    elif kind == "move":
        operation["tags"] = [TAGS[tag]]
    else:
        parameter = {"name": f"p{step}", "in": "query", "schema": {"type": "integer"}}
        operation.setdefault("parameters", []).append(parameter)
    return contract


def written_functions(project: Path) -> dict[tuple[str, str], str]:
    """Every service function's source, by (module, name)."""
    found = {}
    for module in sorted((project / "src/services").glob("*.py")):
        text = module.read_text()
        for node in ast.parse(text).body:
            if isinstance(node, ast.FunctionDef):
                found[(module.name, node.name)] = ast.get_source_segment(text, node) or ""
    return found


def write_every_stub(project: Path) -> None:
    """A person writes every body still a stub (text only: nothing here runs it)."""
    for module in (project / "src/services").glob("*.py"):
        lines = module.read_text().splitlines(keepends=True)
        module.write_text(
            "".join(
                line.replace(STUB, "return None  # written by hand: (") if STUB in line else line
                for line in lines
            )
        )


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("base") / "project"
    scaffold(project)
    regenerate(project, version_2())
    write_every_stub(project)
    return project


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(sequence=edits)
def test_no_body_is_lost_or_changed(base: Path, tmp_path: Path, sequence: list[Edit]) -> None:
    project = tmp_path / f"project-{len(list(tmp_path.iterdir()))}"
    shutil.copytree(base, project)
    contract = version_2()
    for step, edit in enumerate(sequence):
        before = written_functions(project)
        contract = edited(contract, edit, step)
        regenerate(project, contract)
        after = written_functions(project)
        for key, source in before.items():
            assert after.get(key) == source, f"{edit}: {key} changed or vanished"
        names = {name for _, name in after}
        for path, method in operations(contract):
            operation_id = contract["paths"][path][method]["operationId"]
            snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in operation_id)
            assert snake in names, f"{edit}: no function for {operation_id}"
        write_every_stub(project)
