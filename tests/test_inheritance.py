"""OpenAPI's inheritance idiom: a base component with a ``discriminator`` and subtypes
``allOf: [{$ref: Base}, {...}]``. "a payload like {petType: Cat, name: misty} will
indicate that the Cat schema be used" (OpenAPI 3.0.3; 3.1 and 3.2 keep it).

Wherever the base is validated (a request body, a property, an array's items), a value
whose discriminating property selects a subtype (the ``mapping``'s, else the subtype's
schema name, also through another subtype) is validated as that subtype (its errors are
the request's, in the contract's error shape) and reaches the service as it; a value
selecting none is validated as the base, or (OpenAPI 3.2) as the ``defaultMapping``'s
subtype. A service returning a subtype where the base is documented has the subtype's
fields served. Before, the base alone was validated: a cat's ``huntingSkill`` was
dropped, a cat without one and a dog of ``packSize: -1`` were accepted. The served
document stays the contract's (fidelity 100%) and the code clean.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from generators.generate import generate
from tests.helpers import assert_code_is_clean, lay_out_template, run_fidelity, send_requests

Json = dict[str, Any]


def ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}


def json_body(schema: Json) -> Json:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def answer(description: str, schema: Json) -> Json:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def extends(base: str, properties: Json, required: list[str]) -> Json:
    return {
        "allOf": [ref(base), {"type": "object", "properties": properties, "required": required}]
    }


BAD_INPUT = answer("bad input", ref("Error"))

CONTRACT: Json = {
    "openapi": "3.0.3",
    "info": {"title": "Inheritance", "version": "1"},
    "paths": {
        "/pets": {
            "post": {
                "operationId": "addPet",
                "requestBody": json_body(ref("Pet")),
                "responses": {"201": answer("the pet read", ref("Pet")), "400": BAD_INPUT},
            },
            "get": {
                "operationId": "listPets",
                "responses": {"200": answer("the pets", {"type": "array", "items": ref("Pet")})},
            },
        },
        "/shelters": {
            "post": {
                "operationId": "addShelter",
                "requestBody": json_body(ref("Shelter")),
                "responses": {"201": answer("the shelter read", ref("Shelter")), "400": BAD_INPUT},
            }
        },
    },
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "required": ["petType", "name"],
                "properties": {
                    "petType": {"type": "string"},
                    "name": {"type": "string"},
                    # a keyword ContractModel enforces: the base keeps that base beside
                    "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
                },
                "discriminator": {
                    "propertyName": "petType",
                    "mapping": {"cat": "#/components/schemas/Cat", "dog": "Dog"},
                },
            },
            "Cat": extends(
                "Pet",
                {"huntingSkill": {"type": "string", "enum": ["clueless", "lazy"]}},
                ["huntingSkill"],
            ),
            "Dog": extends(
                "Pet",
                {"packSize": {"type": "integer", "format": "int32", "minimum": 0}},
                ["packSize"],
            ),
            "Lion": extends("Cat", {"maneColor": {"type": "string"}}, ["maneColor"]),
            "Shelter": {
                "type": "object",
                "required": ["name", "resident", "pets"],
                "properties": {
                    "name": {"type": "string"},
                    "resident": ref("Pet"),
                    "pets": {"type": "array", "items": ref("Pet")},
                },
            },
            "Error": {
                "type": "object",
                "required": ["message"],
                "properties": {
                    "message": {"type": "string"},
                    "errors": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "field": {"type": "string"},
                                "message": {"type": "string"},
                            },
                        },
                    },
                },
            },
        }
    },
}

# each service says which classes it got, in the names of what it answers
FILLED = {
    "addPet": 'return body.model_copy(update={"name": f"{body.name} as {type(body).__name__}"})',
    "addShelter": (
        "pets = [body.resident, *body.pets]\n"
        '    named = " ".join(type(pet).__name__ for pet in pets)\n'
        '    return body.model_copy(update={"name": named})'
    ),
    "listPets": (
        "return [\n"
        '        Cat(pet_type="cat", name="c", hunting_skill=HuntingSkill.LAZY),\n'
        '        Pet.model_validate({"petType": "dog", "name": "d", "packSize": 2}),\n'
        "    ]"
    ),
}

CAT = {"petType": "cat", "name": "t", "huntingSkill": "lazy"}
DOG = {"petType": "dog", "name": "d", "packSize": 3}
LION = {"petType": "Lion", "name": "l", "huntingSkill": "lazy", "maneColor": "red"}
BIRD = {"petType": "bird", "name": "b"}

REQUESTS: dict[str, tuple[str, str, Json]] = {
    "cat": ("POST", "/pets", {"json": CAT}),
    "cat of repeated tags": ("POST", "/pets", {"json": {**CAT, "tags": ["a", "a"]}}),
    "cat without its skill": ("POST", "/pets", {"json": {"petType": "cat", "name": "t"}}),
    "dog of a negative pack": ("POST", "/pets", {"json": {**DOG, "packSize": -1}}),
    "dog": ("POST", "/pets", {"json": DOG}),
    "lion (a cat's subtype, by name)": ("POST", "/pets", {"json": LION}),
    "lion without its mane": ("POST", "/pets", {"json": {**LION, "maneColor": None}}),
    "bird (no subtype: a pet)": ("POST", "/pets", {"json": {**BIRD, "wings": 2}}),
    "no pet type": ("POST", "/pets", {"json": {"name": "x"}}),
    "pets": ("GET", "/pets", {}),
    "shelter": (
        "POST",
        "/shelters",
        {"json": {"name": "s", "resident": CAT, "pets": [DOG, LION, BIRD]}},
    ),
    "shelter of a cat without its skill": (
        "POST",
        "/shelters",
        {"json": {"name": "s", "resident": DOG, "pets": [BIRD, {"petType": "cat", "name": "c"}]}},
    ),
    "shelter of a bad dog": (
        "POST",
        "/shelters",
        {"json": {"name": "s", "resident": {**DOG, "packSize": "many"}, "pets": []}},
    ),
}


def generated(project: Path, contract: Json, filled: dict[str, str], imports: str) -> None:
    """``contract`` generated into a scaffold in ``project``, its services ``filled``
    (``imports``: the names they import from ``specs.schemas``)."""
    lay_out_template(project)
    spec = project / "specs/openapi.yaml"
    spec.write_text(yaml.safe_dump(contract, sort_keys=False), encoding="utf-8")
    generate(spec, None, project)
    service = project / "src/services/default.py"
    text = service.read_text(encoding="utf-8")
    for operation, code in filled.items():
        stub = f'raise ServiceNotImplementedError("{operation}")'
        assert stub in text, operation
        text = text.replace(stub, code)
    text = text.replace("\nfrom src.core.errors import ServiceNotImplementedError\n", "")
    lines = [line for line in text.split("\n") if not line.startswith("from specs.schemas ")]
    index = next(i for i, line in enumerate(lines) if line.startswith("from sqlalchemy"))
    lines[index + 1 : index + 1] = ["", f"from specs.schemas import {imports}"]
    service.write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Json:
    project = tmp_path_factory.mktemp("inheritance") / "project"
    generated(project, CONTRACT, FILLED, "Cat, HuntingSkill, Pet, Shelter")
    return {"project": project, **send_requests(project, REQUESTS)}


def _answered(served: Json, name: str) -> tuple[int, Any]:
    status, body = served["responses"][name]
    return status, body


def _fields(body: Json) -> list[str]:
    return [str(error.get("field")) for error in body.get("errors", [])]


def test_a_value_is_validated_as_the_subtype_its_discriminator_selects(served: Json) -> None:
    assert _answered(served, "cat") == (201, {**CAT, "name": "t as Cat"})
    assert _answered(served, "dog") == (201, {**DOG, "name": "d as Dog"})
    assert _answered(served, "lion (a cat's subtype, by name)") == (
        201,
        {**LION, "name": "l as Lion"},
    )
    for name, field in (
        ("cat without its skill", "body.huntingSkill"),
        ("dog of a negative pack", "body.packSize"),
        ("lion without its mane", "body.maneColor"),
        ("no pet type", "body.petType"),
        ("cat of repeated tags", "body.tags"),
    ):
        status, body = _answered(served, name)
        assert status == 400, (name, body)
        assert field in _fields(body), (name, body)  # the contract's error shape


def test_a_value_selecting_no_subtype_is_the_base(served: Json) -> None:
    assert _answered(served, "bird (no subtype: a pet)") == (201, {**BIRD, "name": "b as Pet"})


def test_properties_and_items_of_the_base_are_their_subtypes(served: Json) -> None:
    status, body = _answered(served, "shelter")
    assert status == 201, body
    assert body == {"name": "Cat Dog Lion Pet", "resident": CAT, "pets": [DOG, LION, BIRD]}
    status, body = _answered(served, "shelter of a cat without its skill")
    assert (status, _fields(body)) == (400, ["body.pets.1.huntingSkill"]), body
    status, body = _answered(served, "shelter of a bad dog")
    assert (status, _fields(body)) == (400, ["body.resident.packSize"]), body


def test_a_subtype_returned_for_the_base_is_served_whole(served: Json) -> None:
    assert _answered(served, "pets") == (
        200,
        [
            {"petType": "cat", "name": "c", "huntingSkill": "lazy"},
            {"petType": "dog", "name": "d", "packSize": 2},
        ],
    )


def test_the_served_document_is_the_contracts(served: Json) -> None:
    schemas = served["openapi"]["components"]["schemas"]
    assert (
        schemas["Pet"]["discriminator"] == CONTRACT["components"]["schemas"]["Pet"]["discriminator"]
    )
    result, report = run_fidelity(served["project"])
    assert report is not None and result.returncode == 0, result.stdout + result.stderr


def test_the_generated_code_is_clean(served: Json) -> None:
    assert_code_is_clean(served["project"])


SHAPES: Json = {
    "openapi": "3.2.0",
    "info": {"title": "Default mapping", "version": "1"},
    "paths": {
        "/shapes": {
            "post": {
                "operationId": "addShape",
                "requestBody": json_body(ref("Shape")),
                "responses": {"201": answer("the shape read", ref("Shape"))},
            }
        }
    },
    "components": {
        "schemas": {
            "Shape": {
                "type": "object",
                "properties": {"kind": {"type": "string"}, "label": {"type": "string"}},
                "discriminator": {
                    "propertyName": "kind",
                    "mapping": {"circle": "Circle"},
                    "defaultMapping": "#/components/schemas/Blob",
                },
            },
            "Circle": extends("Shape", {"radius": {"type": "number", "minimum": 0}}, ["radius"]),
            "Blob": extends("Shape", {"points": {"type": "integer", "minimum": 3}}, ["points"]),
        }
    },
}


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> Json:
    project = tmp_path_factory.mktemp("inheritance-32") / "project"
    filled = {"addShape": FILLED["addPet"].replace("body.name", "body.label")}
    filled["addShape"] = filled["addShape"].replace('"name"', '"label"')
    generated(project, copy.deepcopy(SHAPES), filled, "Shape")
    requests = {
        "circle": {"kind": "circle", "label": "c", "radius": 2},
        "bad radius": {"kind": "circle", "label": "c", "radius": -1},
        "square (a blob)": {"kind": "square", "label": "s", "points": 4},
        "no kind (a blob)": {"label": "n", "points": 5},
        "no points": {"kind": "square", "label": "s"},
    }
    sent = send_requests(
        project, {n: ("POST", "/shapes", {"json": b}) for n, b in requests.items()}
    )
    return {"project": project, "requests": requests, **sent}


def test_a_default_mapping_reads_what_selects_no_subtype(shapes: Json) -> None:
    responses, requests = shapes["responses"], shapes["requests"]
    for name, kind in (
        ("circle", "Circle"),
        ("square (a blob)", "Blob"),
        ("no kind (a blob)", "Blob"),
    ):
        label = requests[name]["label"]
        assert responses[name] == [201, {**requests[name], "label": f"{label} as {kind}"}]
    assert responses["bad radius"][0] == 422, responses["bad radius"]
    assert responses["no points"][0] == 422, responses["no points"]
    result, report = run_fidelity(shapes["project"])
    assert report is not None and result.returncode == 0, result.stdout + result.stderr
    assert_code_is_clean(shapes["project"])
