"""The loaders accept valid contracts verbatim and build the IR every emitter reads."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from generators import ir
from generators.loading.database import load_database
from generators.loading.document import (
    _ContractLoader,
    _json_line_map,
    _line_map,
    load_document,
    parse_document,
)
from generators.loading.openapi import load_api, read_api
from generators.loading.project import load_project
from generators.problems import ContractError
from tests.helpers import EXAMPLE_API, EXAMPLE_DB, shared_file


def test_contract_doc_example_is_accepted_verbatim(tmp_path: Path) -> None:
    text = shared_file("docs", "database-schema-contract.md").read_text()
    block = re.search(r"```json\n(.*?)```", text, re.S)
    assert block is not None
    path = tmp_path / "database-schema.json"
    path.write_text(block.group(1))
    database = load_database(path)
    assert [t.model for t in database.tables] == ["User", "Post"]
    user = database.table("User")
    assert user.column("passwordHash").column_name == "password_hash"
    assert user.column("name").nullable and not user.column("name").required
    assert user.column("role").enum == "UserRole"
    assert user.column("updatedAt").on_update == ir.Default("now")
    assert user.relations == (ir.Relation("posts", "hasMany", "Post", "authorId"),)
    post = database.table("Post")
    assert post.column("authorId").references == ir.ForeignKey("User", "id", "CASCADE")


def test_bundled_example_loads_with_no_warnings() -> None:
    project, warnings = load_project(EXAMPLE_API, EXAMPLE_DB)
    assert warnings == []
    assert project.database is not None
    assert len(project.database.tables) >= 5
    assert {"hasMany", "belongsTo"} <= {
        r.kind for t in project.database.tables for r in t.relations
    }
    assert any(len(i.columns) > 1 for t in project.database.tables for i in t.indexes)
    ids = {op.operation_id for op in project.api.operations}
    assert {"register", "login", "refreshToken", "logout", "getCurrentUser"} <= ids
    assert project.api.base_path == "/api/v1"


@pytest.mark.parametrize(
    ("name", "operations", "base_path"),
    [("swagger-petstore-v3.yaml", 19, "/api/v3"), ("oai-petstore-expanded.yaml", 4, "/v2")],
)
def test_public_reference_specs_load(name: str, operations: int, base_path: str) -> None:
    api = load_api(shared_file("specs", name))
    assert len(api.operations) == operations
    assert api.base_path == base_path


def test_effective_security_public_and_inherited() -> None:
    api = load_api(EXAMPLE_API)
    by_id = {op.operation_id: op for op in api.operations}
    assert by_id["login"].is_public
    assert not by_id["getCurrentUser"].is_public
    assert by_id["getCurrentUser"].security == (ir.SecurityRequirement((("bearerAuth", ()),)),)


SMALL_30 = """
openapi: 3.0.3
info: {title: t, version: '1'}
servers: [{url: 'https://api.example.com/base/v2'}]
paths:
  /repos/{owner}/issues:
    parameters:
      - {name: owner, in: path, required: true, schema: {type: string}}
    get:
      x-internal: {$ref: '#/nowhere/at/all'}
      parameters:
        - {name: due_on.before, in: query, schema: {type: string, format: date-time}}
        - {name: if-match, in: header, schema: {type: string}}
        - {$ref: '#/components/parameters/Limit'}
      responses:
        200:
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Issue'}}
components:
  parameters:
    Limit: {name: limit, in: query, schema: {type: integer, maximum: 100}}
  schemas:
    Issue:
      type: object
      properties:
        parent: {$ref: '#/components/schemas/Issue'}
"""


def test_openapi_details(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(SMALL_30)
    api = load_api(path)
    (operation,) = api.operations
    assert operation.operation_id == "getReposByOwnerIssues"  # derived: none in the spec
    assert api.base_path == "/base/v2"
    assert [(p.name, p.location) for p in operation.parameters] == [
        ("owner", "path"),
        ("due_on.before", "query"),
        ("if-match", "header"),
        ("limit", "query"),
    ]
    assert [r.status for r in operation.responses] == ["200"]  # YAML integer key normalised
    assert operation.extensions == {"x-internal": {"$ref": "#/nowhere/at/all"}}


SMALL_32 = """
openapi: 3.2.0
info: {title: t, version: '1'}
paths:
  /pets/{petId}:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: integer}}
    query:
      requestBody:
        content: {application/json: {schema: {type: object}}}
      responses: {200: {description: found}}
    get: {responses: {200: {description: ok}}}
    additionalOperations:
      M-SEARCH: {responses: {200: {description: found}}}
      COPY:
        operationId: copyPet
        parameters: [{name: Destination, in: header, required: true, schema: {type: string}}]
        responses: {201: {description: copied}}
"""


def test_query_and_additional_operations_are_operations(tmp_path: Path) -> None:
    """OpenAPI 3.2's ``query`` field and ``additionalOperations`` (by the method as requests
    send it) are read as operations, the Path Item's parameters theirs too, with
    operationIds derived from the method where the contract gives none."""
    path = tmp_path / "api.yaml"
    path.write_text(SMALL_32)
    api = load_api(path)
    found = [(op.http_method, op.operation_id, op.additional) for op in api.operations]
    assert found == [
        ("GET", "getPetsByPetId", False),
        ("QUERY", "queryPetsByPetId", False),
        ("M-SEARCH", "mSearchPetsByPetId", True),
        ("COPY", "copyPet", True),
    ]
    query, copy_ = api.operations[1], api.operations[3]
    assert query.request_body is not None and query.pointer == "/paths/~1pets~1{petId}/query"
    assert copy_.pointer == "/paths/~1pets~1{petId}/additionalOperations/COPY"
    assert [(p.name, p.location) for p in copy_.parameters] == [
        ("petId", "path"),
        ("Destination", "header"),
    ]


def test_yaml_lines_are_tracked_and_timestamps_stay_strings() -> None:
    document = parse_document("a:\n  b:\n    - 1\n    - when: 2026-01-06\n", "x.yaml")
    assert document.line("/a/b/1/when") == 4
    assert document.line("/a/b/1/missing") == 4  # nearest ancestor
    assert document.data["a"]["b"][1]["when"] == "2026-01-06"


def test_yaml_is_composed_once_for_data_and_lines_alike() -> None:
    """The data and the line map come of one composition; the map is made before the data
    flattens merge keys in place, so it is the map of the text as written."""
    text = "base: &base\n  x: 1\nother:\n  <<: *base\n  y: 2\nlist: [1, {z: 3}]\n"
    document = parse_document(text, "x.yaml")
    assert document.data["other"] == {"x": 1, "y": 2}
    assert dict(document.lines) == _composed_lines(text)[0]
    assert "/other/<</x" in document.lines and "/other/x" not in document.lines


def _composed_lines(text: str) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """The line map of ``text`` composed as YAML, the way a YAML contract's is made."""
    return _line_map(yaml.compose(text, Loader=_ContractLoader))  # noqa: S506


JSON_LAYOUTS = """\

{"a": {"b~c/d": [1, -2.5e3, true, null, "x",
   {"q\\"uote": {}}, [[], ["y"]]],
 "\\u00e9t\\u00e9": "\\\\", "e": {"f": 1, "f": {"g": 2}},
  "e": 3},
 "h": [
  {"i": "j"},
  "k:l,{m}"
 ]}
"""


def test_a_json_texts_lines_are_those_of_its_yaml_composition() -> None:
    """A JSON contract's line map is read from its tokens, not composed as YAML (three to
    ten times faster): the same lines for every pointer (escaped keys, arrays of arrays,
    strings that hold brackets, the root on line 2) and the same repeated keys (those of a
    repeated key's value not reported again)."""
    lines, repeated = _json_line_map(JSON_LAYOUTS)
    assert (lines, repeated) == _composed_lines(JSON_LAYOUTS)
    assert lines['/a/b~0c~1d/5/q"uote'] == 3 and lines["/a/\u00e9t\u00e9"] == 4
    assert lines["/h/1"] == 8 and lines[""] == 2
    assert repeated == [("/a/e", 5), ("/a/e/f", 4)]


def test_every_json_contract_of_the_corpus_has_the_lines_yaml_would_give() -> None:
    """The public contracts written in JSON: the token reading gives each the line map
    the YAML composition gives it; where YAML refuses the text (Twilio's escaped
    surrogate pairs), it still gives one."""
    folder = shared_file("specs", "corpus")
    for path in sorted(folder.glob("**/*.json")):
        text = path.read_text(encoding="utf-8")
        lines = _json_line_map(text)
        try:
            composed = _composed_lines(text)
        except yaml.YAMLError:
            assert len(lines[0]) > 1000, path.name
            continue
        assert lines == composed, path.name


def test_ref_cycle_between_parameters_is_reported(tmp_path: Path) -> None:
    spec = SMALL_30.replace(
        "Limit: {name: limit, in: query, schema: {type: integer, maximum: 100}}",
        "Limit: {$ref: '#/components/parameters/Other'}\n"
        "    Other: {$ref: '#/components/parameters/Limit'}",
    )
    path = tmp_path / "api.yaml"
    path.write_text(spec)
    with pytest.raises(ContractError) as caught:
        load_api(path)
    assert any("cycle" in p.message for p in caught.value.problems)


def test_cross_contract_mismatch_is_a_warning_with_a_pointer(tmp_path: Path) -> None:
    text = EXAMPLE_API.read_text()
    api = tmp_path / "openapi.yaml"
    api.write_text(re.sub(r"maxLength: 200\n", "maxLength: 500\n", text, count=1))
    _, warnings = load_project(api, EXAMPLE_DB)
    assert warnings, "a longer API string than its column must be reported"
    assert all(w.severity == "warning" for w in warnings)
    assert any(
        "maxLength 500" in w.message and w.pointer.startswith("/components/schemas/")
        for w in warnings
    )


INLINE_NAMES = """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /a:
    post:
      operationId: createNote
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {text: {type: string}}}
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {text: {type: string}}}
          text/json:
            schema: {type: object, properties: {text: {type: string}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: object, properties: {id: {type: integer}}}}
            text/json:
              schema: {type: array, items: {type: object, properties: {id: {type: integer}}}}
    get:
      responses:
        '200':
          description: ok
          content:
            application/json: {schema: {type: object, properties: {n: {type: integer}}}}
            text/plain: {schema: {type: string}}
components:
  schemas:
    CreateNoteRequest: {type: string}
"""


def test_inline_json_body_schemas_become_named_components(tmp_path: Path) -> None:
    """Named as OpenAPI Generator names them, numbered past a name the contract uses;
    form bodies and non-object schemas stay inline (a form's fields are arguments); one
    schema of several JSON media types (``text/json`` too) is one component."""
    path = tmp_path / "openapi.yaml"
    path.write_text(INLINE_NAMES)
    api = load_api(path)
    get, post = api.operations
    assert post.request_body is not None
    json_body, form_body, text_json_body = post.request_body.content
    assert json_body.schema == {"$ref": "#/components/schemas/CreateNoteRequest2"}
    assert text_json_body.schema == json_body.schema
    assert form_body.schema == {"type": "object", "properties": {"text": {"type": "string"}}}
    for content in post.responses[0].content:
        assert content.schema == {
            "type": "array",
            "items": {"$ref": "#/components/schemas/CreateNote200ResponseItem"},
        }
    assert get.responses[0].content[0].schema == {"$ref": "#/components/schemas/GetA200Response"}
    assert get.responses[0].content[1].schema == {"type": "string"}
    assert set(api.schemas) == {
        "CreateNoteRequest",
        "CreateNoteRequest2",
        "CreateNote200ResponseItem",
        "GetA200Response",
    }
    assert api.document["components"]["schemas"].keys() == api.schemas.keys()


def test_a_json_contract_under_a_yaml_name_is_read_as_json(tmp_path: Path) -> None:
    """JSON allows escaped surrogate pairs that YAML parsers refuse (Twilio's emoji): a JSON
    contract copied to specs/openapi.yaml is still read."""
    contract = tmp_path / "openapi.yaml"
    contract.write_text(
        '{"openapi": "3.0.3", "info": {"title": "T \\ud83d\\udc4d", "version": "1"}, "paths": {}}',
        encoding="utf-8",
    )
    assert load_document(contract).data["info"]["title"] == "T \U0001f44d"


VERSIONED = """\
openapi: {version}
info: {{title: T, version: '1'}}
paths:
  /pets:
    post:
      operationId: createPet
      requestBody:
        content:
          application/json:
            schema: {{$ref: '#/components/schemas/Pet'}}
      responses:
        '204': {{description: created}}
components:
  schemas:
    Pet:
      allOf:
        - type: object
          properties: {{name: {{type: [string, 'null'], maxLength: 3, default: toolong}}}}
      required: [ghost]
"""


def test_a_32_contract_reads_as_a_31_one(tmp_path: Path) -> None:
    """OpenAPI 3.2's schemas are JSON Schema 2020-12 as 3.1's: the same IR, and the same
    problems at the same places (the default checked against its type array, the name
    ``required`` lists that no ``allOf`` member defines), the 3.2 validator's located too."""
    read = {}
    for version in ("3.1.0", "3.2.0"):
        path = tmp_path / f"openapi-{version}.yaml"
        path.write_text(VERSIONED.format(version=version))
        api, warnings = read_api(path)
        assert api.openapi_version == version
        read[version] = api, [(w.pointer, w.message) for w in warnings]
    (api_31, warnings_31), (api_32, warnings_32) = read.values()
    assert warnings_32 == warnings_31
    assert [pointer for pointer, _ in warnings_32] == [
        "/components/schemas/Pet/allOf/0/properties/name/default",
        "/components/schemas/Pet/required",
    ]
    assert api_32.operations == api_31.operations
    assert api_32.schemas == api_31.schemas


def test_a_media_type_by_reference_reads_as_written_in_place(tmp_path: Path) -> None:
    """OpenAPI 3.2's ``components/mediaTypes``: wherever a ``content`` map gives a Media
    Type Object by reference (a body, a response, a parameter, a response header, a
    component body or response, a reference to a reference), the IR is the one of the
    media type written in place: a body read as one without a schema took any body."""
    pet = {"$ref": "#/components/schemas/Pet"}
    json_pet = {"schema": pet}
    text = {"schema": {"type": "string", "maxLength": 8}}

    def contract(by_reference: bool) -> dict[str, object]:
        def media(name: str, written: dict[str, object]) -> dict[str, object]:
            return {"$ref": f"#/components/mediaTypes/{name}"} if by_reference else written

        operation = {
            "operationId": "adopt",
            "parameters": [
                {
                    "name": "filter",
                    "in": "query",
                    "content": {"application/json": media("Pet", json_pet)},
                }
            ],
            "requestBody": {"$ref": "#/components/requestBodies/Adoption"},
            "responses": {
                "201": {
                    "description": "Adopted",
                    "headers": {"X-Tag": {"content": {"text/plain": media("Tag", text)}}},
                    "content": {"application/json": media("Again", json_pet)},
                },
                "default": {"$ref": "#/components/responses/Failed"},
            },
        }
        return {
            "openapi": "3.2.0",
            "info": {"title": "T", "version": "1"},
            "paths": {"/adoptions": {"post": operation}},
            "components": {
                "schemas": {
                    "Pet": {
                        "type": "object",
                        "properties": {"name": {"type": "string", "maxLength": 20}},
                    }
                },
                "requestBodies": {
                    "Adoption": {"content": {"application/json": media("Pet", json_pet)}}
                },
                "responses": {
                    "Failed": {
                        "description": "Failed",
                        "content": {"text/plain": media("Tag", text)},
                    }
                },
                "mediaTypes": {
                    "Pet": json_pet,
                    "Again": {"$ref": "#/components/mediaTypes/Pet"},
                    "Tag": text,
                },
            },
        }

    read = []
    for by_reference in (True, False):
        path = tmp_path / f"openapi-{by_reference}.json"
        path.write_text(json.dumps(contract(by_reference)))
        api, warnings = read_api(path)
        assert warnings == []
        read.append(api)
    by_reference_api, in_place_api = read
    assert by_reference_api.operations == in_place_api.operations
    (operation,) = by_reference_api.operations
    assert operation.request_body is not None
    assert operation.request_body.content == (ir.MediaContent("application/json", pet),)


@pytest.mark.parametrize("broken", ["a column's type", "a table's properties"])
def test_a_large_database_contracts_errors_stop_loading(tmp_path: Path, broken: str) -> None:
    """An error of a contract of 30 tables stops loading, at its pointer, before the IR is
    built (which could not be without what the contract lacks)."""
    from generators.loading.project import start_loading
    from generators.problems import ContractError
    from tests.helpers import EXAMPLE_API
    from tests.synthetic_database import synthetic_database

    contract = synthetic_database(30, 0)
    users = contract["definitions"]["User"]
    if broken == "a column's type":
        users["properties"]["name"]["type"] = "strnig"
    else:
        del users["properties"]
    database = tmp_path / "database-schema.json"
    database.write_text(json.dumps(contract, indent=1), encoding="utf-8")
    with pytest.raises(ContractError) as raised:
        start_loading(EXAMPLE_API, database).warnings()
    assert any(p.pointer.startswith("/definitions/User") for p in raised.value.problems)


def test_a_valid_database_contracts_shape_is_screened_not_walked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """jsonschema-rs screens the contract's shape (``loading.screening``): a valid contract
    is not walked by jsonschema (0.4 s at 300 tables where jsonschema-rs takes 20 ms); an
    invalid one is, for its errors' pointers and hints (the test above)."""
    import jsonschema

    def walked(*args: object, **kwargs: object) -> None:
        raise AssertionError("jsonschema walked a valid contract")

    monkeypatch.setattr(jsonschema.Draft7Validator, "iter_errors", walked)
    assert load_database(EXAMPLE_DB).tables
