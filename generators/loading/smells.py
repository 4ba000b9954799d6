"""Contract smells: valid contracts that are very likely not what their authors meant.

Each is a warning with its pointer; the generated code still follows the contract as written.
They are kept conservative (a false alarm teaches users to ignore warnings):

- an operation that signs users in (login, register, sign-in, sign-up in its path or
  operationId, or a ``password`` in its request body) and issues tokens (its success response
  has an ``access_token``/``token``/``accessToken``... property) but can only be called with
  a bearer token or OAuth2, the kind of credential it issues: no user can get a first one.
  (An operation that mints other tokens with an API key sent as a bearer is not one of them);
- a ``GET`` of one item (the path ends with a ``{placeholder}``) whose success response has no
  body, or a JSON body without a schema: the item it obviously returns is neither described
  nor checked;
- a schema with ``properties`` (or ``additionalProperties``, ``patternProperties``) but no
  ``type`` (and nothing else that gives it one: a ``$ref``, a combinator, an ``enum``, a
  keyword of another instance type). As written it also
  admits strings, numbers and arrays; its authors wrote a model, and the generated model
  accepts objects only. This is the one smell the generated code reads rather than follows:
  the warning says so, and the project's fidelity check reads it the same way (its rule 22);
- a keyword for another instance type than the schema's ``type`` (sentry's ``minLength: 2``
  beside ``type: array``): it has no effect, which its author rarely meant;
- a ``oneOf`` member that accepts what an earlier member accepts (DigitalOcean's add-on
  feature value lists ``type: string`` twice, under two titles): no such value is valid
  against exactly one member, so the app refuses all of them;
- an empty ``enum`` (Discord's ``enum: []`` beside an ``allOf`` of an enum): no value is
  valid against it, which its author rarely meant; the app refuses every value there;
- a ``discriminator`` beside no ``oneOf``/``anyOf`` on a schema whose ``type`` is not
  ``object`` (openai's code interpreter ``outputs``: beside an array, whose items carry
  their own): it picks a member of the union beside it by a property of an object, and
  there is neither, so it has no effect; the app serves it as written. (Beside an object
  it is OpenAPI 3.0's inheritance idiom, and not reported.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from generators import ir, media_types
from generators.keywords import (
    APPLIES_TO,
    SHAPES,
    constraints,
    idle_keywords,
    typeless_reading,
    undeclared_required,
)
from generators.loading.document import Document
from generators.loading.refs import deref
from generators.loading.schema_walk import schema_objects, subschemas
from generators.problems import Problem, pointer

_TOKEN_FIELDS = frozenset(
    {"access_token", "accessToken", "token", "id_token", "idToken", "jwt", "auth_token"}
    | {"authToken", "session_token", "sessionToken", "bearer_token", "bearerToken"}
)
_ISSUER = re.compile(r"log_?in|sign_?in|sign_?up|register", re.IGNORECASE)
_CREDENTIAL_SCHEMES = ("oauth2", "openIdConnect")


def contract_smells(document: Document) -> list[Problem]:
    found: list[Problem] = []
    data = document.data
    schemes = (data.get("components") or {}).get("securitySchemes") or {}
    for path, item in (data.get("paths") or {}).items():
        item_at = pointer("paths", path)
        item, _ = deref(document, item, item_at)
        for method, operation, where in ir.path_item_operations(item):
            at = pointer("paths", path, *where)
            found += _token_issuer_needs_token(document, path, operation, at, schemes)
            if method == "get" and re.search(r"/{[^}/]+}$", path):
                found += _item_without_body(document, path, operation, at)
    return found + _schema_smells(document)


def _token_issuer_needs_token(
    document: Document,
    path: str,
    operation: Mapping[str, Any],
    at: str,
    schemes: Mapping[str, Any],
) -> list[Problem]:
    words = f"{path} {operation.get('operationId', '')}".replace("-", "_")
    signs_in = _ISSUER.search(words) or "password" in _request_properties(document, operation)
    if not signs_in or re.search("refresh", words, re.IGNORECASE):
        return []
    issued = sorted(_TOKEN_FIELDS & set(_success_properties(document, operation, at)))
    if not issued:
        return []
    own = "security" in operation
    security = operation["security"] if own else document.data.get("security")
    if not security or any(not requirement for requirement in security):
        return []  # public, or public as one alternative
    needs: set[str] = set()
    for requirement in security:
        kinds = {name: _credential_kind(document, schemes.get(name)) for name in requirement}
        if not any(kinds.values()):
            return []  # an alternative without a bearer credential (an API key, basic...)
        needs.update(name for name, kind in kinds.items() if kind)
    where = at + "/security" if own else "/security"
    message = (
        f"{path} issues tokens ({', '.join(issued)}) but requires {', '.join(sorted(needs))}, "
        "the kind of credential it issues: no client can get its first token "
        "(make it public with security: [])"
    )
    return [document.problem(where, message, warning=True)]


def _credential_kind(document: Document, scheme: Any) -> bool:
    if not isinstance(scheme, Mapping):
        return False
    scheme, _ = deref(document, scheme, "")
    if scheme.get("type") in _CREDENTIAL_SCHEMES:
        return True
    return scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "bearer"


def _success_properties(document: Document, operation: Mapping[str, Any], at: str) -> Iterable[str]:
    for status, response in (operation.get("responses") or {}).items():
        if not str(status).startswith("2"):
            continue
        response, _ = deref(document, response, at + pointer("responses", status))
        for media_type, media in (response.get("content") or {}).items():
            if media_types.is_json(media_type) and isinstance(media, Mapping):
                yield from _properties(document, media.get("schema"), depth=0)


def _request_properties(document: Document, operation: Mapping[str, Any]) -> set[str]:
    """The property names of the request body (JSON or form)."""
    try:
        body, _ = deref(document, operation.get("requestBody") or {}, "")
    except (KeyError, ValueError):
        return set()
    return {
        name
        for media in (body.get("content") or {}).values()
        if isinstance(media, Mapping)
        for name in _properties(document, media.get("schema"), depth=0)
    }


def _properties(document: Document, schema: Any, depth: int) -> Iterable[str]:
    """The property names of a schema, through ``$ref`` and ``allOf``, and of a ``data``
    envelope one level down (``{"data": {"token": ...}}``)."""
    if depth > 3 or not isinstance(schema, Mapping):
        return
    try:
        schema, _ = deref(document, schema, "")
    except (KeyError, ValueError):
        return
    properties = schema.get("properties")
    if isinstance(properties, Mapping):
        yield from (str(name) for name in properties)
        if isinstance(properties.get("data"), Mapping):
            yield from _properties(document, properties["data"], depth + 1)
    for member in schema.get("allOf") or ():
        yield from _properties(document, member, depth + 1)


def _item_without_body(
    document: Document, path: str, operation: Mapping[str, Any], at: str
) -> list[Problem]:
    responses = operation.get("responses") or {}
    status = next((s for s in ("200", "2XX", "2xx") if s in responses), None)
    if status is None:
        return []
    where = at + pointer("responses", status)
    response, _ = deref(document, responses[status], where)
    content = response.get("content")
    if not content:
        message = (
            f"GET {path} answers {status} with no body: the item it obviously returns is "
            "neither described nor checked"
        )
        return [document.problem(where, message, warning=True)]
    bare = [
        media_type
        for media_type, media in content.items()
        if media_types.is_json(media_type)
        and not (isinstance(media, Mapping) and media.get("schema"))
    ]
    return [
        document.problem(
            where + pointer("content", media_type),
            f"GET {path} answers {status} {media_type} without a schema: the item it "
            "obviously returns is neither described nor checked",
            warning=True,
        )
        for media_type in bare
    ]


def _schema_smells(document: Document) -> list[Problem]:
    found = []
    for top, schema in schema_objects(document):
        for at, node in subschemas(schema, top):
            reading = typeless_reading(node)
            if reading is not None:
                shape = next(key for key in SHAPES[reading] if key in node)
                message = (
                    f"a schema with {shape} but no type: read as an {reading} (type: "
                    f"{reading}), as its {shape} say; as written it also admits "
                    f"{_OTHER_VALUES[reading]} (add type: {reading})"
                )
                found.append(document.problem(pointer(*at), message, warning=True))
            member = len(at) > 1 and at[-2] in ("allOf", "anyOf", "oneOf")
            for name in undeclared_required(node, member=member):
                message = (
                    f"required lists {name!r}, which properties does not declare: the "
                    "object must hold it, and any value is accepted for it"
                )
                found.append(document.problem(pointer(*at, "required"), message, warning=True))
            if node.get("enum") == []:
                message = (
                    "enum lists no value: JSON Schema admits no value here, so the app "
                    "refuses this value wherever it is given (drop the empty enum if any "
                    "value of the rest of the schema was meant)"
                )
                found.append(document.problem(pointer(*at, "enum"), message, warning=True))
            for index, first in _repeated_members(node.get("oneOf")):
                message = (
                    f"oneOf member {index} accepts what member {first} accepts: a value valid "
                    "against one is valid against both, so the oneOf refuses it (anyOf, or "
                    "one member fewer, was likely meant)"
                )
                found.append(document.problem(pointer(*at, "oneOf", index), message, warning=True))
            if _lone_discriminator(node):
                message = (
                    f"discriminator beside type {json.dumps(node['type'])} and no oneOf/anyOf: "
                    "a discriminator picks a member of the oneOf/anyOf beside it by a "
                    "property of the object, and there is neither here, so it has no effect "
                    "(the app serves it as written)"
                )
                found.append(document.problem(pointer(*at, "discriminator"), message, warning=True))
            for key in idle_keywords(node):
                message = (
                    f"{key} applies to {APPLIES_TO[key]} values only: beside type "
                    f"{json.dumps(node['type'])} it has no effect, and the app ignores it"
                    + _MEANT.get((key, str(node["type"])), "")
                )
                found.append(document.problem(pointer(*at, key), message, warning=True))
    return found


def _lone_discriminator(node: Mapping[str, Any]) -> bool:
    """Whether ``node`` has a ``discriminator`` and no union beside it, and a ``type``
    that is not ``object``: no value it admits has a property to pick a member by."""
    kind = node.get("type")
    kinds = {kind} if isinstance(kind, str) else set(kind) if isinstance(kind, list) else set()
    return (
        isinstance(node.get("discriminator"), Mapping)
        and not {"oneOf", "anyOf"} & set(node)
        and bool(kinds)
        and "object" not in kinds
    )


def _repeated_members(members: Any) -> Iterable[tuple[int, int]]:
    """(index, earlier index) of each member of ``members`` that accepts what an earlier one
    does (the two differ at most in annotations; ``$ref`` members are not compared)."""
    if not isinstance(members, list):
        return
    seen: dict[str, int] = {}
    for index, member in enumerate(members):
        if isinstance(member, Mapping) and "$ref" not in member:
            accepts = json.dumps(constraints(member), sort_keys=True, default=str)
            if accepts in seen:
                yield index, seen[accepts]
            seen.setdefault(accepts, index)


_OTHER_VALUES = {"object": "strings, numbers and arrays", "array": "strings, numbers and objects"}

_MEANT = {
    **{(f"{b}Length", "array"): f" (did you mean {b}Items?)" for b in ("min", "max")},
    **{(f"{b}Items", "string"): f" (did you mean {b}Length?)" for b in ("min", "max")},
}
