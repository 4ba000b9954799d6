"""Component schemas whose names read as one Python class (``my.Doc``, ``My-Doc``,
``MyDoc``, ``myDoc``: all ``MyDoc``; ``user`` and ``User``; ``Foo_Bar`` and ``FooBar``; a
Kubernetes-style dotted name and its plain spelling; ``Field`` and ``FieldModel``) each
keep a class of their own, the same in the schemas module, the routers and the services
(:func:`generators.emit.pytypes.class_names`). Before, routers and services named each
component's class after its name alone, so every route used one model for the four
``MyDoc``s, while datamodel-code-generator had numbered the classes: the app served and
enforced the wrong schema, silently.

A contract with such components in request bodies, responses, parameters and a
discriminated union is generated into a scaffold project: each route validates a body
against its own schema (a body valid for its namesake is refused), the contract fidelity
check finds every operation served as written, and the code is ruff and mypy clean; the
hand-written edge contract ``tests/contracts/colliding-names.yaml`` (properties named
``@id``, ``$schema``, ``""``, ``123``, ``model_config``... beside the colliding names)
too.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from generators.emit.class_names import given_back
from generators.emit.pytypes import class_name_of, class_names
from generators.generate import generate
from generators.loading.openapi import load_api
from tests.helpers import assert_code_is_clean, lay_out_template, run_fidelity, send_requests

Json = dict[str, Any]
EDGE_CONTRACT = Path(__file__).parent / "contracts/colliding-names.yaml"


def ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}


def model(name: str, kind: str) -> Json:
    """An object requiring the one property ``name`` of type ``kind``, and nothing else."""
    return {
        "type": "object",
        "required": [name],
        "properties": {name: {"type": kind}},
        "additionalProperties": False,
    }


def taking(operation_id: str, body: str, answer: str, status: str = "200") -> Json:
    ok = {"description": "OK", "content": {"application/json": {"schema": ref(answer)}}}
    return {
        "operationId": operation_id,
        "requestBody": {"required": True, "content": {"application/json": {"schema": ref(body)}}},
        "responses": {status: ok},
    }


SCHEMAS: Json = {
    "my.Doc": model("a", "string"),
    "My-Doc": model("b", "integer"),
    "MyDoc": model("c", "boolean"),
    "myDoc": model("d", "number"),
    "user": model("name", "string"),
    "User": model("id", "integer"),
    "Foo_Bar": {"type": "string", "enum": ["a", "b"]},
    "FooBar": {"type": "string", "enum": ["c", "d"]},
    "io.k8s.api.core.v1.Pod": model("spec", "object"),
    "IoK8sApiCoreV1Pod": model("kind", "string"),
    "Field": model("key", "string"),
    "FieldModel": model("value", "number"),
    "cat": {
        "type": "object",
        "required": ["kind", "roars"],
        "properties": {"kind": {"type": "string"}, "roars": {"type": "boolean"}},
    },
    "Cat": {
        "type": "object",
        "required": ["kind", "purrs"],
        "properties": {"kind": {"type": "string"}, "purrs": {"type": "boolean"}},
    },
    "Animal": {
        "oneOf": [ref("cat"), ref("Cat")],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {"lion": "#/components/schemas/cat", "tabby": "#/components/schemas/Cat"},
        },
    },
}

KINDS: Json = {
    "operationId": "getKind",
    "parameters": [
        {"name": "kind", "in": "path", "required": True, "schema": ref("Foo_Bar")},
        {"name": "other", "in": "query", "required": True, "schema": ref("FooBar")},
    ],
    "responses": {
        "200": {"description": "OK", "content": {"application/json": {"schema": ref("FooBar")}}}
    },
}

CONTRACT: Json = {
    "openapi": "3.0.3",
    "info": {"title": "Class names", "version": "1"},
    "paths": {
        "/dotted": {"post": taking("postDotted", "my.Doc", "My-Doc")},
        "/dashed": {"post": taking("postDashed", "My-Doc", "MyDoc")},
        "/plain": {"post": taking("postPlain", "MyDoc", "myDoc")},
        "/camel": {"post": taking("postCamel", "myDoc", "my.Doc")},
        "/users": {
            "post": taking("createUser", "user", "User", "201"),
            "put": taking("replaceUser", "User", "user"),
        },
        "/kinds/{kind}": {"get": KINDS},
        "/pods": {"post": taking("createPod", "io.k8s.api.core.v1.Pod", "IoK8sApiCoreV1Pod")},
        "/fields": {"post": taking("createField", "Field", "FieldModel")},
        "/animals": {"post": taking("createAnimal", "Animal", "Animal")},
    },
    "components": {"schemas": SCHEMAS},
}

ACCEPTED, REFUSED = 501, 422  # valid: the unfilled service's answer; invalid: validation's
# name → method, URL, body, the status: each route takes its own schema's body and
# refuses its namesake's
REQUESTS: dict[str, tuple[str, str, Any, int]] = {
    "dotted": ("POST", "/dotted", {"a": "x"}, ACCEPTED),
    "dotted, a dashed body": ("POST", "/dotted", {"b": 1}, REFUSED),
    "dashed": ("POST", "/dashed", {"b": 1}, ACCEPTED),
    "dashed, a plain body": ("POST", "/dashed", {"c": True}, REFUSED),
    "plain": ("POST", "/plain", {"c": True}, ACCEPTED),
    "plain, a dotted body": ("POST", "/plain", {"a": "x"}, REFUSED),
    "camel": ("POST", "/camel", {"d": 1.5}, ACCEPTED),
    "camel, a plain body": ("POST", "/camel", {"c": True}, REFUSED),
    "user": ("POST", "/users", {"name": "Ada"}, ACCEPTED),
    "user, a User body": ("POST", "/users", {"id": 1}, REFUSED),
    "User": ("PUT", "/users", {"id": 1}, ACCEPTED),
    "User, a user body": ("PUT", "/users", {"name": "Ada"}, REFUSED),
    "kinds": ("GET", "/kinds/a?other=c", None, ACCEPTED),
    "kinds, swapped": ("GET", "/kinds/c?other=a", None, REFUSED),
    "pod": ("POST", "/pods", {"spec": {}}, ACCEPTED),
    "pod, a plain pod": ("POST", "/pods", {"kind": "Pod"}, REFUSED),
    "field": ("POST", "/fields", {"key": "k"}, ACCEPTED),
    "field, a FieldModel body": ("POST", "/fields", {"value": 1}, REFUSED),
    "lion": ("POST", "/animals", {"kind": "lion", "roars": True}, ACCEPTED),
    "lion that purrs": ("POST", "/animals", {"kind": "lion", "purrs": True}, REFUSED),
    "tabby": ("POST", "/animals", {"kind": "tabby", "purrs": True}, ACCEPTED),
    "tabby that roars": ("POST", "/animals", {"kind": "tabby", "roars": True}, REFUSED),
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Json:
    """The contract generated into a scaffold project, and what its app answers."""
    project = tmp_path_factory.mktemp("class-names")
    lay_out_template(project)
    (project / "specs/openapi.yaml").write_text(yaml.safe_dump(CONTRACT, sort_keys=False))
    generate(project / "specs/openapi.yaml", None, project)
    requests = {
        name: (method, url, {"json": body}) for name, (method, url, body, _) in REQUESTS.items()
    }
    return {"project": project, **send_requests(project, requests)}


@pytest.mark.parametrize("name", list(REQUESTS))
def test_each_route_validates_its_own_schema(served: Json, name: str) -> None:
    status, body = served["responses"][name]
    assert status == REQUESTS[name][3], body


def test_routers_and_services_name_each_components_class(served: Json) -> None:
    """Each body and answer in the service's signature: its component's class."""
    service = (served["project"] / "src/services/default.py").read_text(encoding="utf-8")
    for function, body, answer in (
        ("post_dotted", "MyDoc2", "MyDoc3"),
        ("post_dashed", "MyDoc3", "MyDoc"),
        ("post_plain", "MyDoc", "MyDoc4"),
        ("post_camel", "MyDoc4", "MyDoc2"),
        ("create_user", "User2", "User"),
        ("replace_user", "User", "User2"),
        ("create_pod", "IoK8sApiCoreV1Pod2", "IoK8sApiCoreV1Pod"),
        ("create_field", "FieldModel2", "FieldModel"),
    ):
        signature = (
            f"def {function}(\n    *,\n    body: {body},\n    session: Session,\n) -> {answer}:"
        )
        assert signature in service, service


def test_the_fidelity_check_finds_each_schema_served(served: Json) -> None:
    result, report = run_fidelity(served["project"])
    assert report is not None, result.stdout + result.stderr
    assert report["differences"] == [], result.stdout


def test_the_generated_code_is_clean(served: Json) -> None:
    assert_code_is_clean(served["project"])


def test_the_edge_contract_is_served_as_written(tmp_path: Path) -> None:
    """``my.Doc`` and ``My-Doc`` answer one operation in two media types, ``myDoc`` and
    ``MyDoc`` are another's body and answer; properties named as nothing Python allows."""
    lay_out_template(tmp_path)
    shutil.copyfile(EDGE_CONTRACT, tmp_path / "specs/openapi.yaml")
    generate(tmp_path / "specs/openapi.yaml", None, tmp_path)
    result, report = run_fidelity(tmp_path)
    assert report is not None, result.stdout + result.stderr
    assert report["differences"] == [], result.stdout
    assert_code_is_clean(tmp_path)


def test_one_class_each_in_the_contracts_order() -> None:
    names = ["my.Doc", "My-Doc", "MyDoc", "myDoc", "MyDoc2", "graph.user", "Field"]
    assert class_names(names) == {
        "my.Doc": "MyDoc3",  # MyDoc is MyDoc's own; MyDoc2 another component's
        "My-Doc": "MyDoc4",
        "MyDoc": "MyDoc",
        "myDoc": "MyDoc5",
        "MyDoc2": "MyDoc2",
        "graph.user": "GraphUser",
        "Field": "FieldModel",
    }
    assert class_names(["user", "_user", "User"]) == {
        "user": "User2",
        "_user": "User3",
        "User": "User",
    }
    assert class_names(["foo_bar", "foo-bar"]) == {"foo_bar": "FooBar", "foo-bar": "FooBar2"}


def test_names_that_read_apart_keep_their_own_class() -> None:
    names = ["pet_toy", "date", "class", "Field", "graph.user", "io.k8s.api.core.v1.Pod", "Pod"]
    assert class_names(names) == {name: class_name_of(name) for name in names}


def test_each_component_takes_its_class_back_from_the_one_holding_it() -> None:
    """datamodel-code-generator gave ``X`` to an inline schema, ``X1`` to the component
    wanting ``X`` and ``X2`` to the one wanting ``X1``: each component takes its class,
    the inline schema the name left over."""
    code = (
        "class X(BaseModel):\n    v: str\n\n\n"
        "class X1(BaseModel):\n    inline: X\n\n\n"
        "class X2(BaseModel):\n    other: X1\n"
    )
    models = [
        {"class_name": "X", "source_path": ["components", "schemas", "x", "properties", "v"]},
        {"class_name": "X1", "source_path": ["components", "schemas", "x"]},
        {"class_name": "X2", "source_path": ["components", "schemas", "X1"]},
    ]
    renamed, metadata = given_back(code, models, {"x": "X", "X1": "X1"})
    assert [m["class_name"] for m in metadata] == ["X2", "X", "X1"]
    assert renamed == (
        "class X2(BaseModel):\n    v: str\n\n\n"
        "class X(BaseModel):\n    inline: X2\n\n\n"
        "class X1(BaseModel):\n    other: X\n"
    )


def test_an_inline_body_leaves_a_component_its_class(tmp_path: Path) -> None:
    """An inline body of ``createThing`` is the component ``CreateThingRequest``, unless a
    component reads as that class (``create_thing_request``): then it is numbered."""
    body = {"type": "object", "properties": {"label": {"type": "string"}}}
    contract = {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/things": {
                "post": {
                    "operationId": "createThing",
                    "requestBody": {"content": {"application/json": {"schema": body}}},
                    "responses": {"204": {"description": "Done"}},
                }
            }
        },
        "components": {"schemas": {"create_thing_request": model("name", "string")}},
    }
    spec = tmp_path / "openapi.yaml"
    spec.write_text(yaml.safe_dump(contract, sort_keys=False), encoding="utf-8")
    assert class_names(load_api(spec).schemas) == {
        "create_thing_request": "CreateThingRequest",
        "CreateThingRequest2": "CreateThingRequest2",
    }
