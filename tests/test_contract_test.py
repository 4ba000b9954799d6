"""The generated contract test's recipe (generators/emit/contract_test.py): how it signs
in, which cursors it knows to be opaque, and the samples it sends."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from generators import ir
from generators.emit.contract_test import (
    emit_contract_test,
    minted_caller,
    opaque_cursors,
    sample,
    sign_in,
    undocumented_refusals,
)
from generators.loading.openapi import load_api
from tests.helpers import EXAMPLE_API, ROOT


def api_of(tmp_path: Path, document: dict[str, Any]) -> ir.Api:
    path = tmp_path / "openapi.yaml"
    path.write_text(yaml.safe_dump(document))
    return load_api(path)


def spec(paths: dict[str, Any], schemas: dict[str, Any], bearer: bool = True) -> dict[str, Any]:
    schemes = {"jwt": {"type": "http", "scheme": "bearer"}} if bearer else {}
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": schemes},
    }


def post(operation_id: str, body: str, answer: str) -> dict[str, Any]:
    json = "application/json"
    return {
        "post": {
            "operationId": operation_id,
            "requestBody": {
                "content": {json: {"schema": {"$ref": f"#/components/schemas/{body}"}}}
            },
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {json: {"schema": {"$ref": f"#/components/schemas/{answer}"}}},
                }
            },
        }
    }


def test_the_example_signs_in_through_register_and_login() -> None:
    recipe = sign_in(load_api(EXAMPLE_API))
    assert recipe is not None
    assert recipe["register"] == ("POST", "/api/v1/auth/register")
    assert recipe["login"] == ("POST", "/api/v1/auth/login")
    credentials = {"email": "contract.test@example.com", "password": "Contract-test-passw0rd"}
    assert recipe["register_body"] == repr(credentials)  # login sends what register did
    assert recipe["login_body"] == repr(credentials)
    assert recipe["token"] == ["accessToken"]
    test = emit_contract_test(load_api(EXAMPLE_API))["tests/test_contract.py"]
    assert 'from_path(ROOT / "specs/openapi.yaml"' in test and "schema.app = app" in test


def test_an_oauth2_password_form_signs_in_as_a_form() -> None:
    """FastAPI's tutorial: an OAuth2 password-flow scheme, ``POST /token`` taking the form
    fields ``username`` and ``password`` (known by its shape, as is ``POST /users``, the
    register), answering ``access_token``: the login is sent as a form."""
    api = load_api(ROOT / "tests/contracts/oauth2-form/openapi.yaml")
    recipe = sign_in(api)
    assert recipe is not None
    assert recipe["register"] == ("POST", "/users") and not recipe["register_form"]
    assert recipe["login"] == ("POST", "/token") and recipe["login_form"]
    credentials = {"password": "Contract-test-passw0rd", "username": "contract-test"}
    assert recipe["login_body"] == repr(credentials)
    assert recipe["token"] == ["access_token"]
    test = emit_contract_test(api)["tests/test_contract.py"]
    assert "client.request(method, url, data=body)" in test
    assert "client.request(method, url, json=body)" in test  # the register


def test_a_sample_text_keeps_to_its_pattern() -> None:
    api = load_api(EXAMPLE_API)
    username = {"type": "string", "minLength": 3, "maxLength": 40, "pattern": "^[A-Za-z0-9_]+$"}
    assert sample(api, username, "username") == "contract_test"
    assert sample(api, {"type": "string", "pattern": "^[0-9]{4}$"}, "pin") == "1234"
    assert sample(api, {"type": "string", "pattern": "(unclosed"}, "x") == "contract-test"


def test_a_token_in_an_envelope_and_no_register(tmp_path: Path) -> None:
    schemas = {
        "Login": {
            "type": "object",
            "required": ["username", "pin"],
            "properties": {
                "username": {"type": "string", "minLength": 20},
                "pin": {"type": "string", "maxLength": 4, "examples": ["1234"]},
            },
        },
        "Answer": {
            "type": "object",
            "properties": {"data": {"type": "object", "properties": {"token": {"type": "string"}}}},
        },
    }
    api = api_of(tmp_path, spec({"/sessions/login": post("signIn", "Login", "Answer")}, schemas))
    recipe = sign_in(api)
    assert recipe is not None and recipe["register"] is None
    assert recipe["login_body"] == repr({"pin": "1234", "username": "contract-testcontrac"})
    assert recipe["token"] == ["data", "token"]


def test_no_recipe_without_a_bearer_scheme_or_a_token(tmp_path: Path) -> None:
    schemas = {
        "Login": {"type": "object", "properties": {"name": {"type": "string"}}},
        "Answer": {"type": "object", "properties": {"ok": {"type": "boolean"}}},
    }
    paths = {"/login": post("login", "Login", "Answer")}
    assert sign_in(api_of(tmp_path, spec(paths, schemas))) is None  # no token answered
    schemas["Answer"]["properties"]["token"] = {"type": "string"}
    assert sign_in(api_of(tmp_path, spec(paths, schemas))) is not None
    assert sign_in(api_of(tmp_path, spec(paths, schemas, bearer=False))) is None
    # a login that needs a credential itself (a client's API key) cannot be sent anonymously
    secured = spec(paths, schemas)
    secured["security"] = [{"jwt": []}]
    assert sign_in(api_of(tmp_path, secured)) is None
    secured["paths"]["/login"]["post"]["security"] = []
    assert sign_in(api_of(tmp_path, secured)) is not None


def resource_api(tmp_path: Path, schemes: dict[str, Any], security: list[Any]) -> ir.Api:
    """GET /feeds and GET /feeds/{id} (which documents 200 and 400 only), secured by
    ``security``, with an ``x-roles`` on the item."""
    ok = {"200": {"description": "ok"}, "400": {"description": "bad input"}}
    identifier = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "security": security,
        "paths": {
            "/feeds": {"get": {"operationId": "listFeeds", "responses": ok}},
            "/feeds/{id}": {
                "get": {
                    "operationId": "getFeed",
                    "parameters": [identifier],
                    "x-roles": ["AUDITOR"],
                    "responses": ok,
                },
                "delete": {
                    "operationId": "deleteFeed",
                    "parameters": [identifier],
                    "security": [],
                    "responses": {"204": {"description": "gone"}, "4XX": {"description": "no"}},
                },
            },
        },
        "components": {"securitySchemes": schemes},
    }
    return api_of(tmp_path, document)


def test_a_caller_signed_in_elsewhere_is_the_tests_own(tmp_path: Path) -> None:
    """No login among the operations: OAuth2 (an authorization server elsewhere) gets a
    token the test signs, holding every scope and role the requirements name; an API key
    in a header or a cookie, or Basic credentials, are the test's own, accepted by the
    credentials check it puts in place of the user's; a login answering a token is used
    instead; an API key in the query alone is left anonymous."""
    flows = {"clientCredentials": {"tokenUrl": "https://x/token", "scopes": {"feeds": "", "x": ""}}}
    oauth2 = {"oauth": {"type": "oauth2", "flows": flows}}
    api = resource_api(tmp_path, oauth2, [{"oauth": ["feeds"]}])
    assert sign_in(api) is None
    assert minted_caller(api) == {
        "bearer": True,
        "api_key": None,
        "basic": False,
        "scopes": ["feeds"],
        "roles": ["AUDITOR"],
    }
    test = emit_contract_test(api)["tests/test_contract.py"]
    assert "token = create_token(CALLER, scopes=SCOPES, roles=ROLES)" in test
    assert "    headers = _own_caller()\n" in test
    assert "from src.core import credentials" not in test
    keys = {
        "query": {"type": "apiKey", "in": "query", "name": "apikey"},
        "header": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
    }
    api = resource_api(tmp_path, keys, [{"query": []}, {"header": []}])
    recipe = minted_caller(api)
    assert recipe is not None and recipe["api_key"] == ["header", "X-Api-Key"]
    test = emit_contract_test(api)["tests/test_contract.py"]
    assert 'headers["X-Api-Key"] = API_KEY' in test
    assert 'patched.setattr(credentials, "verify_api_key", _key_of_the_test)' in test
    assert minted_caller(resource_api(tmp_path, {"query": keys["query"]}, [{"query": []}])) is None
    basic = {"basic": {"type": "http", "scheme": "basic"}}
    test = emit_contract_test(resource_api(tmp_path, basic, [{"basic": []}]))[
        "tests/test_contract.py"
    ]
    assert 'headers = {"Authorization": f"Basic {user}"}' in test and "import base64" in test
    schemas = {
        "Login": {"type": "object", "properties": {"name": {"type": "string"}}},
        "Answer": {"type": "object", "properties": {"token": {"type": "string"}}},
    }
    secured = {
        "operationId": "feeds",
        "security": [{"jwt": []}],
        "responses": {"200": {"description": "ok"}},
    }
    with_login = api_of(tmp_path, spec({"/login": post("login", "Login", "Answer")}, schemas))
    assert sign_in(with_login) is not None and minted_caller(with_login) is None  # nothing secured
    paths = {"/login": post("login", "Login", "Answer"), "/feeds": {"get": secured}}
    with_login = api_of(tmp_path, spec(paths, schemas))
    assert sign_in(with_login) is not None and minted_caller(with_login) is not None
    test = emit_contract_test(with_login)["tests/test_contract.py"]
    assert "if logged_in.status_code == 501:  # not written yet\n" in test
    assert "headers: dict[str, str] = _own_caller()" in test  # while the login is unwritten


def test_undocumented_refusals_are_listed_where_http_answers_them(tmp_path: Path) -> None:
    """A key naming nothing is answered 404, a write's conflicting data 409: where the
    operation documents neither (nor 4XX, nor default), the test does not hold that
    status against it, and only there."""
    api = resource_api(tmp_path, {}, [])
    assert undocumented_refusals(api) == {"GET /feeds/{id}": [404]}  # DELETE documents 4XX
    test = emit_contract_test(api)["tests/test_contract.py"]
    assert 'UNDOCUMENTED_REFUSALS = {\n    "GET /feeds/{id}": [404],\n}' in test
    assert "excluded_checks=excluded" in test
    schemas = {
        "Login": {"type": "object", "properties": {"name": {"type": "string"}}},
        "Answer": {"type": "object", "properties": {"token": {"type": "string"}}},
    }
    writes = api_of(tmp_path, spec({"/login": post("login", "Login", "Answer")}, schemas))
    assert undocumented_refusals(writes) == {"POST /login": [409]}


def test_samples_fit_their_schemas_and_recursion_ends(tmp_path: Path) -> None:
    schemas = {
        "Node": {
            "type": "object",
            "required": ["child", "kind", "count", "when"],
            "properties": {
                "child": {"$ref": "#/components/schemas/Node"},
                "kind": {"enum": ["a", "b"]},
                "count": {"type": ["integer", "null"], "minimum": 3},
                "when": {"type": "string", "format": "date-time"},
            },
        }
    }
    api = api_of(tmp_path, spec({}, schemas))
    node = sample(api, {"$ref": "#/components/schemas/Node"})
    assert (node["kind"], node["count"], node["when"]) == ("a", 3, "2026-01-01T00:00:00Z")
    depth = 0
    while isinstance(node, dict):
        node, depth = node["child"], depth + 1
    assert node is None and depth > 3


def test_cursor_parameters_are_known_to_be_opaque() -> None:
    api = load_api(ROOT / "tests/contracts/envelopes-and-cursors.yaml")
    assert opaque_cursors(api) == {"GET /notes": ["cursor"]}
    assert opaque_cursors(load_api(EXAMPLE_API)) == {}
