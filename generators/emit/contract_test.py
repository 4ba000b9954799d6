"""The generated project's contract test: schemathesis against specs/openapi.yaml (the
source contract, not the document the app serves; specs/openapi.overlaid.yaml where an
overlay adapts it), signed in through the contract's own
register and login operations where it has them and a bearer scheme.

What is generated is only the sign-in recipe: which operations, which bodies, where the
access token is in the answer. The bodies are samples read off the request schemas (an
``example``, a ``default`` or the first ``enum`` value where the contract gives one, else a
value the schema's type, format and bounds allow), so the same contract gives the same
file.
"""

from __future__ import annotations

import re
from typing import Any

from generators import ir, media_types
from generators.emit.overlaid import contract_file
from generators.emit.render import header, render
from generators.emit.security import roles_of
from generators.operation_kinds import (
    ACCESS_TOKEN_NAMES,
    CURSOR_NAMES,
    FORM,
    kind_of,
    request_body,
)
from generators.reading import (
    loose_key,
    resolved,
    schema_properties,
    schema_required,
    success_schema,
)

SOURCE = "specs/openapi.yaml"
PASSWORD = "Contract-test-passw0rd"
MAX_DEPTH = 8


def emit_contract_test(api: ir.Api) -> dict[str, str]:
    return {
        "tests/test_contract.py": render(
            "test_contract.py.jinja",
            header=header(SOURCE),
            contract=contract_file(api),
            sign_in=sign_in(api),
            minted=minted_caller(api),
            undocumented=undocumented_refusals(api),
            cursors=opaque_cursors(api),
            unread=sorted(f"{op.http_method} {op.path}" for op in api.operations if op.additional),
        )
    }


def opaque_cursors(api: ir.Api) -> dict[str, list[str]]:
    """Operation label (``GET /notes``) → its query parameters holding a cursor: a cursor
    the API did not give is refused with 400, though any string fits the schema."""
    found = {}
    for operation in api.operations:
        names = [
            p.name
            for p in operation.parameters
            if p.location == "query" and loose_key(p.name) in CURSOR_NAMES
        ]
        if names:
            found[f"{operation.http_method} {operation.path}"] = names
    return dict(sorted(found.items()))


def sign_in(api: ir.Api) -> dict[str, Any] | None:
    """How the test gets an access token: register (where the contract can), log in, read
    the token; None where the contract has no login answering a token it takes as a bearer
    credential (an HTTP bearer or OAuth2 scheme), or where its login needs a credential
    itself (WorkOS's /user_management/authenticate takes the client's API key): the test
    cannot send that anonymously, and signs a caller of its own instead. Bodies are Python
    literals, sent as JSON or as a form, as the operation takes them."""
    if not any(
        (s.type == "http" and (s.scheme or "").lower() == "bearer") or s.type == "oauth2"
        for s in api.security_schemes
    ):
        return None
    operations = {kind_of(op, api): op for op in reversed(api.operations)}
    login = operations.get("login")
    if login is None or not login.is_public or (login_body := request_body(login)) is None:
        return None
    token = _token_path(api, success_schema(login))
    if token is None:
        return None
    register = operations.get("register")
    register_body = request_body(register) if register is not None else None
    values: dict[str, Any] = {}
    register_sample = (
        _sample_body(api, register_body.schema or {}, values) if register_body else None
    )
    return {
        "register": (register.http_method, api.base_path + register.path)
        if register is not None and register_sample is not None
        else None,
        "register_body": repr(register_sample),
        "register_form": register_body is not None and _is_form(register_body),
        "login": (login.http_method, api.base_path + login.path),
        "login_body": repr(_sample_body(api, login_body.schema or {}, values)),
        "login_form": _is_form(login_body),
        "token": token,
    }


WRITES = frozenset({"POST", "PUT", "PATCH"})


def undocumented_refusals(api: ir.Api) -> dict[str, list[int]]:
    """Operation label (``GET /pets/{petId}``) → the refusals the app answers though the
    operation documents neither them nor a ``4XX`` range or a ``default``: 404 where a path
    parameter names a row (a key naming nothing), 409 where a write's data conflicts with
    the database's (a taken unique value, a key naming no row). These are HTTP's answers;
    a 400 would call a well-formed request malformed, and schemathesis counts it as
    refusing valid data."""
    found = {}
    for operation in api.operations:
        documented = {response.status for response in operation.responses}
        if documented & {"4XX", "default"}:
            continue
        statuses = []
        if "404" not in documented and any(p.location == "path" for p in operation.parameters):
            statuses.append(404)
        if "409" not in documented and operation.http_method in WRITES:
            statuses.append(409)
        if statuses:
            found[f"{operation.http_method} {operation.path}"] = statuses
    return dict(sorted(found.items()))


BEARER_SCHEMES = ("oauth2", "openIdConnect")
"""Scheme types whose credential is a bearer token the app verifies itself (a JWT signed
with its key), like an HTTP ``bearer`` scheme."""


def minted_caller(api: ir.Api) -> dict[str, Any] | None:
    """How the test authenticates where no operation of the contract signs a caller in
    (an authorization server elsewhere issues the tokens; the API keys and Basic users are
    the operator's), or while its login is not written: None where no operation needs a
    credential. Else the credentials the requirements name: ``bearer`` (a token the test
    signs with the app's key), ``api_key`` (the first scheme sent in a header or a cookie,
    ``[location, name]``: the test's ``verify_api_key`` accepts its key), ``basic`` (its
    ``verify_basic`` accepts its user), and the ``scopes`` and ``x-roles`` roles the caller
    holds, so that every operation lets it in and its body is what the answer shows."""
    kinds = {scheme.name: scheme for scheme in api.security_schemes}
    used: dict[str, None] = {}
    scopes: dict[str, None] = {}
    roles: dict[str, None] = {}
    for operation in api.operations:
        for requirement in operation.security:
            for name, needed in requirement.schemes:
                used[name] = None
                scopes.update(dict.fromkeys(needed))
        roles.update(dict.fromkeys(roles_of(operation)))
    schemes = [kinds[name] for name in used if name in kinds]
    bearer = any(
        s.type in BEARER_SCHEMES or (s.type == "http" and (s.scheme or "").lower() == "bearer")
        for s in schemes
    )
    api_key = next(
        (
            [s.location, s.parameter_name]
            for s in schemes
            if s.type == "apiKey" and s.location in ("header", "cookie")
        ),
        None,
    )
    basic = any(s.type == "http" and (s.scheme or "").lower() == "basic" for s in schemes)
    if not (bearer or api_key or basic):
        return None
    return {
        "bearer": bearer,
        "api_key": api_key,
        "basic": basic,
        "scopes": sorted(scopes),
        "roles": sorted(roles),
    }


def _is_form(content: ir.MediaContent) -> bool:
    return media_types.base(content.media_type) == FORM


def _sample_body(
    api: ir.Api, schema: ir.JsonSchema, values: dict[str, Any], depth: int = 0
) -> dict[str, Any]:
    """The schema's required properties, each with a sample; a name sampled before (the
    register body's email, say) keeps its value, so login uses what register sent."""
    properties = schema_properties(api, schema)
    body = {}
    for name in sorted(schema_required(api, schema)):
        if name not in values:
            values[name] = sample(api, properties.get(name, {}), name, depth + 1)
        body[name] = values[name]
    return body


def sample(api: ir.Api, schema: ir.JsonSchema, name: str = "", depth: int = 0) -> Any:
    """A value the schema accepts (None past a depth a recursive schema would not end)."""
    if depth > MAX_DEPTH:
        return None
    schema = resolved(api, schema)
    for key in ("example", "default", "const"):
        if key in schema:
            return schema[key]
    if schema.get("examples"):
        return schema["examples"][0]
    if schema.get("enum"):
        return schema["enum"][0]
    for part in ("allOf", "oneOf", "anyOf"):
        if schema.get(part):
            return sample(api, schema[part][0], name, depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or "properties" in schema:
        return _sample_body(api, schema, {}, depth)
    if kind == "array":
        item = sample(api, schema.get("items", {}), name, depth + 1)
        return [item] * int(schema.get("minItems", 0))
    if kind in ("integer", "number"):
        return schema.get("minimum", 1)
    if kind == "boolean":
        return False
    if kind == "null":
        return None
    return _text(schema, name)


def _text(schema: ir.JsonSchema, name: str) -> str:
    kind = schema.get("format")
    if kind == "email" or "email" in loose_key(name):
        return "contract.test@example.com"
    if kind == "password" or "password" in loose_key(name):
        text = PASSWORD
    elif kind == "uuid":
        return "00000000-0000-4000-8000-000000000001"
    elif kind == "date":
        return "2026-01-01"
    elif kind == "date-time":
        return "2026-01-01T00:00:00Z"
    else:
        text = "contract-test"
    low, high = int(schema.get("minLength", 0)), int(schema.get("maxLength", len(text)))
    fitted = [
        (candidate * (low // len(candidate) + 1))[: max(low, min(high, len(candidate)))]
        for candidate in (text, *_PLAIN_TEXTS)
    ]
    pattern = schema.get("pattern")
    if isinstance(pattern, str):  # the first that the pattern allows (a search, as JSON
        for candidate in fitted:  # Schema's); else the usual one, refused as it would be
            try:
                if re.search(pattern, candidate):
                    return candidate
            except re.error:
                break
    return fitted[0]


_PLAIN_TEXTS = ("contract_test", "contracttest", "ContractTest1", "CONTRACTTEST", "1234")
"""Other samples, for a pattern the first does not match: a username of word characters,
letters alone, letters and digits, capitals, digits."""


def _token_path(api: ir.Api, schema: ir.JsonSchema | None) -> list[str] | None:
    """Where the access token is in the login answer: a property, or one inside an
    envelope's property."""
    if schema is None:
        return None
    properties = schema_properties(api, schema)
    for name in properties:
        if loose_key(name) in ACCESS_TOKEN_NAMES:
            return [name]
    for outer, inner in properties.items():
        for name in schema_properties(api, inner):
            if loose_key(name) in ACCESS_TOKEN_NAMES:
                return [outer, name]
    return None
