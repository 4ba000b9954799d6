"""Contracts split over several files: relative ``$ref``s are resolved at load time into one
document, and problems point into the file that holds them."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from generators.loading.bundle import iter_refs
from generators.loading.openapi import read_api
from generators.problems import ContractError, errors
from tests.helpers import lay_out_template
from tests.test_hooks import hook

ROOT = """\
openapi: 3.0.3
info: {title: Split, version: '1'}
paths:
  /pets:
    $ref: paths/pets.yaml
  /pets/{petId}:
    get:
      $ref: paths/pet-get.yaml
tags:
  - name: pets
    description:
      $ref: 'texts.yaml#/pets'
components:
  schemas:
    $ref: schemas/_index.yaml
"""
FILES = {
    "paths/pets.yaml": """\
        get:
          operationId: listPets
          parameters:
            - $ref: '../parameters.yaml#/limit'
          responses:
            '200':
              description: the pets
              headers:
                x-rate-limit:
                  $ref: '../headers.yaml#/x-rate-limit'
              content:
                application/json:
                  schema:
                    type: array
                    items: {$ref: '../schemas/Pet.yaml'}
        """,
    "paths/pet-get.yaml": """\
        operationId: getPet
        parameters:
          - {name: petId, in: path, required: true, schema: {type: string}}
        responses:
          '200':
            description: a pet
            content:
              application/json:
                schema: {$ref: '../schemas/Pet.yaml'}
          '404': {$ref: '../responses.yaml#/notFound'}
          '410': {$ref: '../responses.yaml#/gone'}
        """,
    "responses.yaml": """\
        gone: {$ref: '#/notFound'}
        notFound:
          description: no such pet
          content:
            application/json:
              schema: {$ref: 'schemas/common.yaml#/Problem'}
        """,
    "parameters.yaml": """\
        limit: {name: limit, in: query, schema: {type: integer, maximum: 50}}
        """,
    "headers.yaml": """\
        x-rate-limit: {schema: {type: integer}}
        """,
    "texts.yaml": """\
        pets: Everything about pets.
        """,
    "schemas/_index.yaml": """\
        Pet: {$ref: ./Pet.yaml}
        Owner: {$ref: ./Owner.yaml}
        Party: {$ref: ./Party.yaml}
        """,
    "schemas/Party.yaml": """\
        oneOf: [{$ref: ./Pet.yaml}, {$ref: ./Owner.yaml}]
        discriminator:
          propertyName: kind
          mapping: {pet: ./Pet.yaml, owner: Owner, tag: 'common.yaml#/Tag'}
        """,
    "schemas/Pet.yaml": """\
        type: object
        required: [id]
        properties:
          id: {type: string}
          owner: {$ref: ./Owner.yaml}
          tag: {$ref: './common.yaml#/Tag'}
        """,
    "schemas/Owner.yaml": """\
        type: object
        properties:
          name: {type: string}
          pets:
            type: array
            items: {$ref: ./Pet.yaml}
        """,
    "schemas/common.yaml": """\
        Tag: {type: string, maxLength: 10}
        Problem:
          type: object
          properties:
            title: {type: string}
        """,
}


def _lay_out(tmp_path: Path, **changes: str) -> Path:
    files = {**FILES, **changes}
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    root = tmp_path / "openapi.yaml"
    root.write_text(ROOT, encoding="utf-8")
    return root


def test_a_split_contract_is_one_document(tmp_path: Path) -> None:
    api, warnings = read_api(_lay_out(tmp_path))
    assert [(op.operation_id, op.path) for op in api.operations] == [
        ("listPets", "/pets"),
        ("getPet", "/pets/{petId}"),
    ]
    # Schemas become components named after their files or pointers, refs point there.
    assert api.schemas["Pet"]["properties"]["owner"] == {"$ref": "#/components/schemas/Owner"}
    assert api.schemas["Owner"]["properties"]["pets"]["items"] == {
        "$ref": "#/components/schemas/Pet"
    }
    assert api.schemas["Pet"]["properties"]["tag"] == {"$ref": "#/components/schemas/Tag"}
    assert api.schemas["Tag"] == {"type": "string", "maxLength": 10}
    # a discriminator's mapping to a file is a reference too (lichess's timeline); a name stays
    assert api.schemas["Party"]["discriminator"]["mapping"] == {
        "pet": "#/components/schemas/Pet",
        "owner": "Owner",
        "tag": "#/components/schemas/Tag",
    }
    list_pets, get_pet = api.operations
    assert list_pets.parameters[0].name == "limit"
    assert list_pets.responses[0].headers[0][0] == "x-rate-limit"
    for status in ("404", "410"):  # a file's own "#/..." refs are relative to that file
        response = next(r for r in get_pet.responses if r.status == status)
        assert response.content[0].schema == {"$ref": "#/components/schemas/Problem"}
    assert api.document["tags"][0]["description"] == "Everything about pets."
    (warning,) = warnings
    assert (warning.file, warning.pointer) == (
        str(tmp_path / "openapi.yaml"),
        "/tags/0/description/$ref",
    )
    assert "str" in warning.message


def test_a_problem_is_named_in_the_file_that_holds_it(tmp_path: Path) -> None:
    owner = FILES["schemas/Owner.yaml"].replace("name: {type: string}", "name: {type: strin}")
    with pytest.raises(ContractError) as raised:
        read_api(_lay_out(tmp_path, **{"schemas/Owner.yaml": owner}))
    (problem,) = errors(raised.value.problems)
    assert problem.file == str(tmp_path / "schemas" / "Owner.yaml")
    assert problem.pointer == "/properties/name/type"
    assert problem.line == 3


def test_a_warning_is_named_in_the_file_that_holds_it(tmp_path: Path) -> None:
    pet = FILES["schemas/Pet.yaml"].replace("required: [id]", "required: [id, id]")
    _, warnings = read_api(_lay_out(tmp_path, **{"schemas/Pet.yaml": pet}))
    duplicate = next(w for w in warnings if "duplicate" in w.message)
    assert (duplicate.file, duplicate.pointer, duplicate.line) == (
        str(tmp_path / "schemas" / "Pet.yaml"),
        "/required",
        2,
    )


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("./Missing.yaml", "points to nothing (Missing.yaml does not exist)"),
        ("./common.yaml#/Nope", "points to nothing (no /Nope)"),
        ("https://example.com/Pet.yaml", "remote $ref"),
    ],
)
def test_an_unresolvable_or_remote_reference_is_an_error_where_it_is_written(
    tmp_path: Path, ref: str, message: str
) -> None:
    owner = FILES["schemas/Owner.yaml"].replace("{$ref: ./Pet.yaml}", f"{{$ref: '{ref}'}}")
    with pytest.raises(ContractError) as raised:
        read_api(_lay_out(tmp_path, **{"schemas/Owner.yaml": owner}))
    (problem,) = errors(raised.value.problems)
    assert (problem.file, problem.pointer) == (
        str(tmp_path / "schemas" / "Owner.yaml"),
        "/properties/pets/items/$ref",
    )
    assert message in problem.message


def test_a_cycle_of_inlined_objects_is_an_error(tmp_path: Path) -> None:
    looping = "a: {$ref: '#/b'}\nb: {$ref: '#/a'}\n"
    pets = FILES["paths/pets.yaml"].replace(
        "- $ref: '../parameters.yaml#/limit'", "- $ref: '../loop.yaml#/a'"
    )
    with pytest.raises(ContractError) as raised:
        read_api(_lay_out(tmp_path, **{"loop.yaml": looping, "paths/pets.yaml": pets}))
    assert any("leads back to itself" in p.message for p in raised.value.problems)


def test_the_copy_hook_copies_a_split_contract_as_one_file(tmp_path: Path) -> None:
    source = tmp_path / "contract"
    root = _lay_out(source)
    project = tmp_path / "project"
    lay_out_template(project)

    copied = hook("after_copy.py", project, "--openapi", str(root))

    assert copied.returncode == 0, copied.stderr
    bundled = yaml.safe_load((project / "specs/openapi.yaml").read_text(encoding="utf-8"))
    assert [ref for ref in iter_refs(bundled) if not ref.startswith("#")] == []
    assert set(bundled["components"]["schemas"]) == {"Pet", "Owner", "Party", "Tag", "Problem"}
    assert '"/pets/{petId}"' in (project / "src/api/v1/default.py").read_text(encoding="utf-8")


def test_a_header_named_like_an_extension_is_still_a_header(tmp_path: Path) -> None:
    """``x-rate-limit`` under ``headers`` is a name: its reference to another file is
    resolved even when it is the contract's only one."""
    root = tmp_path / "openapi.yaml"
    (tmp_path / "headers.yaml").write_text("limit: {schema: {type: integer}}\n")
    root.write_text(
        textwrap.dedent("""\
        openapi: 3.0.3
        info: {title: T, version: '1'}
        paths:
          /a:
            get:
              responses:
                '204':
                  description: none
                  headers:
                    x-rate-limit: {$ref: 'headers.yaml#/limit'}
        """)
    )
    api, _ = read_api(root)
    assert api.operations[0].responses[0].headers == (
        ("x-rate-limit", {"schema": {"type": "integer"}}),
    )


def test_a_discriminator_mapping_to_other_files_maps_to_their_components(tmp_path: Path) -> None:
    """A ``mapping`` value that is a reference to another file (DigitalOcean's
    ``attach: models/attach.yml``, ``'#/assign'`` within a models file) names the
    component that file's schema becomes, as the ``oneOf`` beside it does; it was left
    as written, naming no schema of the bundle. A value that is a name stays a name, and
    a property called ``discriminator`` is a schema like any other."""
    models = tmp_path / "models"
    models.mkdir()
    (models / "attach.yml").write_text(
        "type: object\nrequired: [type]\nproperties:\n  type: {type: string}\n"
    )
    (models / "actions.yml").write_text(
        textwrap.dedent("""\
        detach:
          type: object
          required: [type]
          properties:
            type: {type: string}
            discriminator: {type: string}
        action:
          oneOf:
            - {$ref: 'attach.yml'}
            - {$ref: '#/detach'}
          discriminator:
            propertyName: type
            mapping: {attach: 'attach.yml', detach: '#/detach', other: Other}
        """)
    )
    root = tmp_path / "openapi.yaml"
    root.write_text(
        textwrap.dedent("""\
        openapi: 3.0.3
        info: {title: T, version: '1'}
        paths:
          /actions:
            post:
              requestBody:
                content:
                  application/json:
                    schema: {$ref: 'models/actions.yml#/action'}
              responses:
                '204': {description: done}
        components:
          schemas:
            Other: {type: object, properties: {type: {type: string}}}
        """)
    )
    api, _ = read_api(root)
    action = api.schemas["action"]
    assert action["oneOf"] == [
        {"$ref": "#/components/schemas/attach"},
        {"$ref": "#/components/schemas/detach"},
    ]
    assert action["discriminator"]["mapping"] == {
        "attach": "#/components/schemas/attach",
        "detach": "#/components/schemas/detach",
        "other": "Other",
    }
    assert api.schemas["detach"]["properties"]["discriminator"] == {"type": "string"}
