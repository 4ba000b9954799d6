"""``readOnly`` and ``writeOnly`` properties go one way: OpenAPI reads a readOnly property
in responses only and a writeOnly one in requests only ("if the property is marked as
readOnly and is in the required list, the required will take effect on the response
only"; writeOnly: requests only). PagerDuty's ``HandoffNotificationRule`` is a request
body and a response, its ``id`` required and read-only.

A small contract reads and answers the same schemas: ``Item`` (a required read-only
``id``, a required write-only ``secret``, a nested ``Inner`` whose required ``key`` is
read-only, an optional write-only ``note``), ``Account`` as form fields and multipart
parts, ``Extended`` (``allOf`` of a ``Base`` with required read-only properties). It is
generated, its services filled by text replacement, and served:

- a request without the read-only values (the nested one too) reaches the service, one
  sending them reaches it without them (validated by their type, then dropped), one
  without a required write-only value is refused;
- a response leaves out every write-only value, though the service's object has it, and
  answers when the object has none; one without a required read-only value is refused;
- the served document is the contract's (fidelity: no difference), the code is clean.
"""

from __future__ import annotations

import sys
from typing import Any

import pytest
import yaml

from generators.generate import generate
from tests.helpers import (
    assert_code_is_clean,
    lay_out_template,
    run_fidelity,
    run_in_project,
    send_requests,
)

Json = dict[str, Any]


def ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}


def operation(operation_id: str, status: str, answer: Json, body: Json | None = None) -> Json:
    found: Json = {
        "operationId": operation_id,
        "responses": {
            status: {"description": "OK", "content": {"application/json": {"schema": answer}}}
        },
    }
    if body is not None:
        found["requestBody"] = {"required": True, "content": body}
    return found


def read_only(kind: str) -> Json:
    return {"type": kind, "readOnly": True}


CONTRACT: Json = {
    "openapi": "3.0.3",
    "info": {"title": "One way", "version": "1.0.0"},
    "paths": {
        "/items": {
            "post": operation(
                "createItem", "201", ref("Item"), {"application/json": {"schema": ref("Item")}}
            ),
            "get": operation("listItems", "200", {"type": "array", "items": ref("Item")}),
        },
        "/items/{itemId}": {
            "parameters": [
                {"name": "itemId", "in": "path", "required": True, "schema": {"type": "integer"}}
            ],
            "get": operation("getItem", "200", ref("Item")),
        },
        "/broken": {"get": operation("getBroken", "200", ref("Item"))},
        "/accounts": {
            "post": operation(
                "createAccount",
                "201",
                ref("Account"),
                {"application/x-www-form-urlencoded": {"schema": ref("Account")}},
            )
        },
        "/uploads": {
            "post": operation(
                "createUpload",
                "201",
                ref("Account"),
                {"multipart/form-data": {"schema": ref("Account")}},
            )
        },
        "/imports": {  # read by media type: each has its own schema
            "post": operation(
                "importItem",
                "201",
                ref("Item"),
                {
                    "application/json": {"schema": ref("Item")},
                    "text/plain": {"schema": {"type": "string"}},
                },
            )
        },
        "/extended": {
            "post": operation(
                "createExtended",
                "201",
                ref("Extended"),
                {"application/json": {"schema": ref("Extended")}},
            )
        },
    },
    "components": {
        "schemas": {
            "Item": {
                "type": "object",
                "required": ["id", "name", "secret", "inner"],
                "properties": {
                    "id": read_only("integer"),
                    "name": {"type": "string"},
                    "secret": {"type": "string", "writeOnly": True},
                    "inner": ref("Inner"),
                    "tags": {"type": "array", "items": ref("Inner")},
                    "note": {"type": "string", "writeOnly": True},
                },
            },
            "Inner": {
                "type": "object",
                "required": ["key", "code"],
                "properties": {"key": read_only("string"), "code": {"type": "string"}},
            },
            "Account": {
                "type": "object",
                "required": ["id", "login", "password"],
                "properties": {
                    "id": read_only("integer"),
                    "login": {"type": "string"},
                    "password": {"type": "string", "writeOnly": True},
                },
            },
            "Base": {
                "type": "object",
                "required": ["id", "created"],
                "properties": {"id": read_only("integer"), "created": read_only("string")},
            },
            "Extended": {
                "allOf": [
                    ref("Base"),
                    {
                        "type": "object",
                        "required": ["title"],
                        "properties": {
                            "title": {"type": "string"},
                            "token": {"type": "string", "writeOnly": True},
                        },
                    },
                ]
            },
        }
    },
}

# What the services saw of the read-only values: their answers carry it in the id (1: the
# body had none, 99: it had one) and the nested key.
_SAW_ID = '1 if "id" not in body.model_fields_set else 99'
_SAW_KEY = '"none" if "key" not in body.inner.model_fields_set else "sent"'
_ITEM = '{"id": 2, "name": "row", "inner": {"key": "k", "code": "c"}}'
SERVICES = {
    "createItem": (
        f'return Item.model_validate({{"id": {_SAW_ID}, "name": body.name, "secret": body.secret,'
        f' "note": "hidden", "inner": {{"key": {_SAW_KEY}, "code": body.inner.code}}}})'
    ),
    # an object that has the write-only values (an ORM row with its secret)
    "listItems": (
        f'return [Item.model_validate({{**{_ITEM}, "secret": "s", "note": "n",'
        ' "tags": [{"key": "t", "code": "c"}]})]'
    ),
    # one that has none
    "getItem": f"return Item.model_validate({_ITEM})",
    # one without the id responses require
    "getBroken": 'return Item.model_validate({"name": "n", "inner": {"key": "k", "code": "c"}})',
    "importItem": (
        'return Item.model_validate({"id": 1 if isinstance(body, str) or "id" not in'
        ' body.model_fields_set else 99, "name": "i", "inner": {"key": "k", "code": "c"}})'
    ),
    "createAccount": (
        f'return Account.model_validate({{"id": {_SAW_ID}, "login": body.login,'
        ' "password": body.password})'
    ),
    "createUpload": (
        f'return Account.model_validate({{"id": {_SAW_ID}, "login": body.login,'
        ' "password": body.password})'
    ),
    "createExtended": (
        f'return Extended.model_validate({{"id": {_SAW_ID}, "created": "now",'
        ' "title": body.title, "token": "hidden"})'
    ),
}

INNER = {"code": "c"}
ITEM_BACK = {"id": 1, "name": "n", "inner": {"key": "none", "code": "c"}}
ACCOUNT_BACK = {"id": 1, "login": "l"}
REQUESTS: dict[str, tuple[str, str, Json, int, Json | list[Json] | None]] = {
    "item without its read-only values": (
        "POST",
        "/items",
        {"json": {"name": "n", "secret": "s", "inner": INNER}},
        201,
        ITEM_BACK,
    ),
    "item sending its read-only values": (
        "POST",
        "/items",
        {"json": {"id": 5, "name": "n", "secret": "s", "inner": {"key": "x", "code": "c"}}},
        201,
        ITEM_BACK,
    ),
    "item sending a read-only value of another type": (
        "POST",
        "/items",
        {"json": {"id": "five", "name": "n", "secret": "s", "inner": INNER}},
        422,
        None,
    ),
    "item without its write-only secret": (
        "POST",
        "/items",
        {"json": {"name": "n", "inner": INNER}},
        422,
        None,
    ),
    "items whose objects have write-only values": (
        "GET",
        "/items",
        {},
        200,
        [
            {
                "id": 2,
                "name": "row",
                "inner": {"key": "k", "code": "c"},
                "tags": [{"key": "t", "code": "c"}],
            }
        ],
    ),
    "item whose object has no secret": (
        "GET",
        "/items/2",
        {},
        200,
        {"id": 2, "name": "row", "inner": {"key": "k", "code": "c"}},
    ),
    "item read by media type without its id": (
        "POST",
        "/imports",
        {"json": {"name": "n", "secret": "s", "inner": INNER}},
        201,
        {"id": 1, "name": "i", "inner": {"key": "k", "code": "c"}},
    ),
    "item read by media type without its secret": (
        "POST",
        "/imports",
        {"json": {"name": "n", "inner": INNER}},
        422,
        None,
    ),
    "item without the id responses require": ("GET", "/broken", {}, 500, None),
    "account form without its id": (
        "POST",
        "/accounts",
        {"data": {"login": "l", "password": "p"}},
        201,
        ACCOUNT_BACK,
    ),
    "account form without its password": ("POST", "/accounts", {"data": {"login": "l"}}, 422, None),
    "account multipart without its id": (
        "POST",
        "/uploads",
        {"data": {"login": "l", "password": "p"}, "files": [("x", "x.bin", "")]},
        201,
        ACCOUNT_BACK,
    ),
    "extended without its base's read-only values": (
        "POST",
        "/extended",
        {"json": {"title": "t", "token": "x"}},
        201,
        {"id": 1, "created": "now", "title": "t"},
    ),
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Json:
    """The project of the contract, generated, its services filled, and served."""
    project = tmp_path_factory.mktemp("one-way")
    lay_out_template(project)
    (project / "specs/openapi.yaml").write_text(yaml.safe_dump(CONTRACT, sort_keys=False))
    generate(project / "specs/openapi.yaml", None, project)
    service = project / "src/services/default.py"
    text = service.read_text()
    for operation_id, code in SERVICES.items():
        text = text.replace(f'raise ServiceNotImplementedError("{operation_id}")', code)
    text = text.replace("from src.core.errors import ServiceNotImplementedError\n", "")
    service.write_text(text)
    formatted = run_in_project([sys.executable, "-m", "ruff", "format", str(service)], project)
    assert formatted.returncode == 0, formatted.stderr  # the services written here, long
    requests = {n: (m, u, s) for n, (m, u, s, *_) in REQUESTS.items()}
    sent = send_requests(project, requests, answered=True)
    return {"project": project, **sent}


@pytest.mark.parametrize("name", list(REQUESTS))
def test_each_value_goes_its_way(served: Json, name: str) -> None:
    status, body = served["responses"][name]
    _, _, _, expected_status, expected_body = REQUESTS[name]
    assert status == expected_status, body
    if expected_body is not None:
        assert body == expected_body


def test_the_schemas_are_served_as_written(served: Json) -> None:
    schemas = served["openapi"]["components"]["schemas"]
    assert schemas["Item"]["required"] == ["id", "name", "secret", "inner"]
    assert schemas["Inner"]["required"] == ["key", "code"]
    assert schemas["Account"]["required"] == ["id", "login", "password"]
    assert "x-required" not in str(served["openapi"])


def test_the_fidelity_check_finds_the_contract_served(served: Json) -> None:
    result, report = run_fidelity(served["project"])
    assert report is not None, result.stdout + result.stderr
    assert report["differences"] == [], result.stdout


def test_the_generated_code_is_clean(served: Json) -> None:
    assert_code_is_clean(served["project"])
    result = run_in_project([sys.executable, "-c", "import src.main"], served["project"])
    assert result.returncode == 0, result.stderr


def test_a_contract_without_one_way_properties_gets_no_runtime(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Read-only properties no request requires (the response's own) change nothing."""
    project = tmp_path_factory.mktemp("two-way")
    lay_out_template(project)
    contract = yaml.safe_load(yaml.safe_dump(CONTRACT))
    contract["paths"] = {"/items": {"get": contract["paths"]["/items"]["get"]}}
    for name in ("Item", "Inner"):
        for prop in contract["components"]["schemas"][name]["properties"].values():
            prop.pop("writeOnly", None)
    (project / "specs/openapi.yaml").write_text(yaml.safe_dump(contract, sort_keys=False))
    generate(project / "specs/openapi.yaml", None, project)
    assert not (project / "specs/directions.py").exists()
    assert "x-required" not in (project / "specs/schemas/__init__.py").read_text()
    assert "class SchemaModel(BaseModel)" in (project / "specs/validation.py").read_text()
