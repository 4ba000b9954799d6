"""Generation is deterministic, writes only what changed, and never touches the user's code."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generators.cli import main
from generators.emit import one_of
from generators.emit.pytypes import class_name_of, component_classes
from generators.emit.schemas import schemas_module
from generators.emit.syntax import segment, spliced
from generators.generate import generate
from generators.loading.openapi import load_api
from tests.helpers import EXAMPLE_API, EXAMPLE_DB, ROOT, files_of


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated")
    generate(EXAMPLE_API, EXAMPLE_DB, out)
    return out


def test_second_run_writes_nothing(generated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = {p: p.stat().st_mtime_ns for p in generated.rglob("*.py")}
    code = main(
        [
            "generate",
            "--openapi",
            str(EXAMPLE_API),
            "--db-schema",
            str(EXAMPLE_DB),
            "--out",
            str(generated),
        ]
    )
    assert code == 0
    assert "Nothing to write" in capsys.readouterr().out
    assert {p: p.stat().st_mtime_ns for p in generated.rglob("*.py")} == before


def test_same_inputs_same_bytes_under_other_hash_seeds(generated: Path, tmp_path: Path) -> None:
    """A fresh process with another hash seed renders exactly the same files."""
    out = tmp_path / "again"
    command = [sys.executable, "-m", "generators", "generate", "--openapi", str(EXAMPLE_API)]
    command += ["--db-schema", str(EXAMPLE_DB), "--out", str(out)]
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(ROOT)}
    subprocess.run(command, check=True, env=env, capture_output=True)
    assert files_of(out) == files_of(generated)


def test_keywords_moved_beside_a_union_keep_the_contract_order() -> None:
    """A rewriting pass that moves keywords keeps them in the contract's order: openai's
    ``require_approval`` (``anyOf: [{description, default, oneOf}, {type: "null"}]``)
    was written with ``default`` and ``description`` in a set's order, which the hash
    seed decides, so two runs wrote different bytes."""
    from generators.emit import one_of

    notes = {"title": "T", "description": "D", "$comment": "C", "deprecated": True}
    notes |= {"example": "e", "readOnly": True, "default": "a", "discriminator": {"p": 1}}
    union = {**notes, "oneOf": [{"type": "string"}, {"type": "integer"}]}
    wrapper = {"anyOf": [union, {"type": "null"}]}
    idle = {"allOf": [{"type": "string"}, {**{k: notes[k] for k in _IDLE}, "nullable": True}]}
    document = {"components": {"schemas": {"Wrapped": wrapper, "Idle": idle}}}
    one_of.nullable_flattened(document)
    assert list(wrapper) == [*notes, "oneOf"]
    assert list(idle) == ["allOf", *_IDLE]


_IDLE = ("title", "description", "$comment", "deprecated", "example", "readOnly")


def test_owned_files_carry_the_header_and_services_do_not(generated: Path) -> None:
    owned = [
        "specs/schemas/__init__.py",
        "src/models/task.py",
        "src/api/v1/tasks.py",
        "src/core/contract.py",
        "tests/test_routes_generated.py",
    ]
    for path in owned:
        first = (generated / path).read_text().splitlines()[0]
        assert first.startswith('"""Generated from specs/') and first.endswith('do not edit."""')
    assert "do not edit" not in (generated / "src/services/tasks.py").read_text()


def test_user_code_survives_and_owned_files_are_restored(tmp_path: Path) -> None:
    generate(EXAMPLE_API, EXAMPLE_DB, tmp_path)
    service = tmp_path / "src/services/tasks.py"
    written = service.read_text().replace(
        'raise ServiceNotImplementedError("getTask")', "return session.get(TaskResponse, task_id)"
    )
    service.write_text(written)
    router = tmp_path / "src/api/v1/tasks.py"
    pristine = router.read_text()
    router.write_text(pristine + "\n# a hand edit\n")
    (tmp_path / "src/models/comment.py").unlink()

    report = generate(EXAMPLE_API, EXAMPLE_DB, tmp_path).report

    assert service.read_text() == written
    assert "src/services/tasks.py" in report.kept
    assert router.read_text() == pristine
    assert report.updated == ["src/api/v1/tasks.py"]
    assert report.created == ["src/models/comment.py"]


def test_check_names_stale_and_hand_edited_files_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["generate", "--check", "--openapi", str(EXAMPLE_API), "--db-schema", str(EXAMPLE_DB)]
    args += ["--out", str(tmp_path)]
    generate(EXAMPLE_API, EXAMPLE_DB, tmp_path)
    assert main(args) == 0
    assert "Up to date:" in capsys.readouterr().out

    router = tmp_path / "src/api/v1/tasks.py"
    router.write_text(router.read_text() + "\n# a hand edit\n")
    (tmp_path / "src/models/comment.py").unlink()
    # A router an earlier contract gave (the generator's header), and a file of the user's.
    (tmp_path / "src/api/v1/legacy.py").write_text(router.read_text())
    (tmp_path / "src/api/v1/mine.py").write_text('"""Mine."""\n')
    before = files_of(tmp_path)
    assert main(args) == 1
    errors = capsys.readouterr().err
    assert "stale: src/api/v1/tasks.py: differs from the contracts" in errors
    assert "stale: src/models/comment.py: missing" in errors
    assert "stale: src/api/v1/legacy.py: generated before, no longer given by the contracts" in (
        errors
    )
    assert "3 file(s) out of step with the contracts" in errors
    assert files_of(tmp_path) == before  # nothing written

    # generate removes what the generator wrote and no longer gives, nothing else.
    assert main([arg for arg in args if arg != "--check"]) == 0
    assert "removed   src/api/v1/legacy.py" in capsys.readouterr().out
    assert not (tmp_path / "src/api/v1/legacy.py").exists()
    assert (tmp_path / "src/api/v1/mine.py").read_text() == '"""Mine."""\n'


def test_api_only_project(tmp_path: Path) -> None:
    report = generate(EXAMPLE_API, None, tmp_path).report
    assert not list((tmp_path / "src/models").glob("task*.py"))
    assert "class Base(DeclarativeBase)" in (tmp_path / "src/models/base.py").read_text()
    assert "src/api/v1/tasks.py" in report.created


def test_check_prints_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--openapi", str(EXAMPLE_API), "--db-schema", str(EXAMPLE_DB)]) == 0
    out = capsys.readouterr().out
    for word in ("operations", "schemas", "tables", "enums", "relations", "valid"):
        assert word in out


def test_template_pins_the_generator_version() -> None:
    import yaml

    import generators

    copier = yaml.safe_load((ROOT / "copier.yml").read_text())
    assert copier["specfoundry_version"]["default"] == generators.__version__


NAMES_CONTRACT = """\
openapi: 3.1.0
info: {title: Names, version: '1'}
paths: {}
components:
  schemas:
    Settings:
      type: object
      properties:
        zeta: {type: string}
        status: {$ref: '#/components/schemas/Status', default: suspended}
        alpha: {type: integer}
    Status: {type: string, enum: [active, suspended]}
    pet_toy: {type: object, properties: {name: {type: string, readOnly: true}}}
    date: {type: object, properties: {on: {type: string, format: date}}}
    class: {type: object, properties: {name: {type: string}}}
    Field: {type: object, properties: {key: {type: string, maxLength: 40}}}
    BaseModel: {type: object, properties: {key: {type: string}}}
    graph.user: {type: object, properties: {name: {type: string}}}
"""


def test_schema_classes_are_named_as_the_routers_import_them(tmp_path: Path) -> None:
    """pytypes.component_classes names datamodel-code-generator's class of every schema
    (emit.class_names: its custom_class_name_generator); enum defaults are members; fields
    keep their order."""
    spec = tmp_path / "openapi.yaml"
    spec.write_text(NAMES_CONTRACT, encoding="utf-8")
    api = load_api(spec)
    code = schemas_module(api)
    classes = {node.name: node for node in ast.parse(code).body if isinstance(node, ast.ClassDef)}
    assert set(component_classes(api).values()) <= set(classes)
    assert [class_name_of(n) for n in ("pet_toy", "date", "class", "Field", "graph.user")] == [
        "PetToy",
        "Date",
        "Class",
        "FieldModel",
        "GraphUser",
    ]
    assert "status: Status = Status.SUSPENDED" in code
    assert 'json_schema_extra={"readOnly": True}' in code  # served, as the contract says
    fields = [
        n.target.id
        for n in classes["Settings"].body
        if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)
    ]
    assert fields == ["zeta", "status", "alpha"]  # the contract's order, not sorted


def test_source_segments_are_the_ast_modules() -> None:
    """The schemas passes cut the source of a node from lines split once: the same text as
    ``ast.get_source_segment`` for every node, over lines, non-ASCII text and ``\\r\\n``."""
    code = (
        'class Thing(Base):\r\n    name: str = "café ünïcode"\n'
        "    tags: list[str] = [\n        'a',\n        'é',\n    ]\n"
        "    # a form feed \x0c stays in its line\n    size: int = -1  # ☃\n"
    )
    nodes = [node for node in ast.walk(ast.parse(code)) if isinstance(node, ast.expr)]
    assert len(nodes) > 10
    for node in nodes:
        assert segment(code, node) == ast.get_source_segment(code, node)


def test_spliced_edits_are_made_as_one_by_one_from_the_end() -> None:
    """Edits joined in one pass give what splicing them in one by one from the end gave;
    edits that overlap are refused (their result would depend on the order)."""
    data = "naïve Spec Foundry code\n".encode() * 3
    edits = [(0, 2, b"NA"), (7, 11, b"SPEC!"), (30, 30, b"+"), (40, 51, b""), (71, 72, b"")]
    expected = data
    for begin, end, new in sorted(edits, reverse=True):
        expected = expected[:begin] + new + expected[end:]
    assert spliced(data, edits) == expected
    with pytest.raises(ValueError):
        spliced(data, [(0, 5, b"a"), (4, 6, b"b")])


def test_imports_wrapped_by_ruff_are_read_as_on_one_line() -> None:
    """datamodel-code-generator's ruff wraps at the line length of the configuration where
    generation runs (a generated project's is 88): the passes that add names to the
    schemas module's imports read a wrapped import as a one-line one (openai's, generated
    from inside a project, stopped with "the generated schemas do not import
    specs.validation")."""
    wrapped = (
        "from __future__ import annotations\n\nfrom typing import (\n    Annotated,\n    Any,\n)\n"
        "\nfrom specs.validation import (\n    ContractModel,\n    SchemaModel,\n)\n\nx: Any = 1\n"
    )
    one_line = wrapped.replace("(\n    Annotated,\n    Any,\n)", "Annotated, Any").replace(
        "(\n    ContractModel,\n    SchemaModel,\n)", "ContractModel, SchemaModel"
    )
    for code in (wrapped, one_line):
        added = one_of._imported(code, {"OneOf"})
        assert "from specs.validation import ContractModel, OneOf, SchemaModel\n" in added
        assert "from typing import Annotated, Any\n" in one_of._imported_typing(code)


OPERATIONS_BESIDE = """\
openapi: 3.1.0
info: {title: Beside, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - name: kind
          in: query
          schema: {anyOf: [{type: string, enum: [big, small]}, {type: "null"}], default: small}
      responses:
        "200":
          description: the things
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Thing'}}
    post:
      operationId: addThing
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [id, name]
              properties:
                id: {type: string, readOnly: true}
                name: {type: string, maxLength: 20}
                size: {oneOf: [{type: integer}, {type: string, format: uuid}]}
      responses: {"204": {description: added}}
webhooks:
  thingAdded:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [thing, secret]
              properties:
                thing: {$ref: '#/components/schemas/Thing'}
                secret: {type: string, writeOnly: true}
      responses: {"200": {description: received}}
components:
  schemas:
    Thing:
      type: object
      required: [name]
      properties:
        name: {type: string}
        kind: {anyOf: [{type: string, enum: [big, small]}, {type: "null"}]}
"""


def test_the_schemas_module_is_prepared_from_the_components_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """datamodel-code-generator reads the component schemas (an operation's inline ones are
    components by then): the document is prepared for it without its ``paths`` and
    ``webhooks`` (half of synthetic-200's preparation was spent on them), and the module
    is the one the whole document gives: one-way properties of an operation's body too."""
    from generators.emit import schemas

    contract = tmp_path / "openapi.yaml"
    contract.write_text(OPERATIONS_BESIDE, encoding="utf-8")
    read, _ = schemas._read_by_datamodel_code_generator(load_api(contract).document)
    assert "paths" not in read and "webhooks" not in read and "components" in read
    alone = schemas._schemas_module(load_api(contract))
    whole_document = lambda document: (dict(document), json.dumps(document))  # noqa: E731
    monkeypatch.setattr(schemas, "_read_by_datamodel_code_generator", whole_document)
    whole = schemas._schemas_module(load_api(contract))
    assert alone.code == whole.code
    assert "class AddThingRequest(" in alone.code


def test_operations_a_component_points_into_are_prepared_with_it(tmp_path: Path) -> None:
    """pagerduty's custom field option maps a discriminator value to a schema written in an
    operation (``#/paths/~1incidents~1custom_fields/get/...``; the loader moves schemas and
    rewrites ``$ref``s, not a mapping's pointers): the operations stay in the document."""
    from generators.emit import schemas

    pointer = "#/paths/~1things/get/responses/200/content/application~1json/schema/items"
    option = (
        "    Option:\n"
        "      oneOf: [{type: object, required: [kind], properties: {kind: {const: a}}}]\n"
        f"      discriminator: {{propertyName: kind, mapping: {{a: '{pointer}'}}}}\n"
    )
    contract = tmp_path / "openapi.yaml"
    contract.write_text(OPERATIONS_BESIDE + option, encoding="utf-8")
    api = load_api(contract)
    read, _ = schemas._read_by_datamodel_code_generator(api.document)
    assert read["paths"] == api.document["paths"]
    assert "class Option(" in schemas._schemas_module(api).code


ONE_WAY = """\
openapi: 3.1.0
info: {title: One way, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      responses:
        "200":
          description: the things
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Thing'}}
components:
  schemas:
    Thing:
      type: object
      required: [id, name]
      properties:
        id: {type: string, readOnly: true}
        name: {type: string}
"""

READ_IN_A_REQUEST = """\
    post:
      operationId: addThing
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
      responses: {"204": {description: added}}
"""


def test_the_schemas_modules_key_sees_what_the_operations_make_of_a_component(
    tmp_path: Path,
) -> None:
    """The key is worked out before the preparation, from the components alone and what
    the operations make of them: a component read in a request for the first time has its
    read-only ``id`` optional in Python, a module made anew although no component changed."""
    from generators.emit import schemas

    answered, read = tmp_path / "answered.yaml", tmp_path / "read.yaml"
    answered.write_text(ONE_WAY, encoding="utf-8")
    marker = "components:\n"
    read.write_text(ONE_WAY.replace(marker, READ_IN_A_REQUEST + marker), encoding="utf-8")
    before, after = (schemas._schemas_module(load_api(path)) for path in (answered, read))
    assert (
        schemas._read_by_datamodel_code_generator(load_api(answered).document)[1]
        == (schemas._read_by_datamodel_code_generator(load_api(read).document)[1])
    )
    assert before.key != after.key
    assert before.code != after.code
