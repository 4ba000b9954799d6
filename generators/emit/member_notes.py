"""The annotations of a union's members, served on the members as the contract writes them.

A member of a ``oneOf``/``anyOf`` may say things of its own that validate nothing:
``{$ref: B, deprecated: true, description: legacy form}``, an inline ``{type: string,
deprecated: true}``, OpenAPI 3.0's ``{allOf: [$ref B], deprecated: true}``.
datamodel-code-generator types the union ``A | B`` (``A | str``), and a type carries no
annotation of the place it stands in: pydantic served the members bare, and a client of
the served document did not learn that a form is deprecated (or read-only, or what it is).

Each union with two members or more besides null and without a ``discriminator``
(``Discriminated`` serves the notes of a discriminated union's members:
:mod:`generators.emit.one_of`) keeps its members' notes (:data:`NOTES`) as ``{"at": steps,
"of": n, "members": [{"at": k, "notes": {...}}]}``: ``steps`` lead from the served schema
of a property, a component or a body to the union (through ``items``, a map's
``additionalProperties`` and the member of a nullable union that is not null), ``k``
counts the members that are not null, ``n`` of them. They are served, and validate
nothing (the types stay as they were):

- a property's under :data:`MARK` in its field's ``json_schema_extra``, by
  ``specs.validation.SchemaModel``, every model's base;
- a component's (a ``RootModel``: the union, an array or a map of it) under
  :data:`ROOT_MARK`, by ``MemberNotes`` annotating its root;
- a request or response body's, by ``MemberNotes`` in the route's annotation.

Each note goes onto the member pydantic serves there (beside its ``$ref``, or into the
inline schema), where the served union has as many members besides null as the
contract's; where it has fewer (two members typed alike are one type), no note is
served, rather than one on another member.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generators.emit import one_of
from generators.keywords import ANNOTATIONS

MARK = "x-member-notes"
ROOT_MARK = "x-member-notes-root"  # a component's: no field of datamodel-code-generator's
NAME = "MemberNotes"
_UNIONS = ("oneOf", "anyOf")
_TEXTS = ("title", "description", "$comment")
_FLAGS = ("deprecated", "readOnly", "writeOnly")
NOTES = frozenset({*_TEXTS, *_FLAGS, "example", "examples", "externalDocs"})
"""The annotations a member's served schema carries as written (OpenAPI's Schema Object
gives each a type; a value of another type is left out: the document would not serve)."""


def keep(schema: dict[str, Any], *, root: bool = False, legacy: bool = False) -> bool:
    """Keep the notes of the union members in a property's ``schema`` (a component's,
    with ``root``) under :data:`MARK` (:data:`ROOT_MARK`) of ``schema``; whether there
    were any. The members keep them too: datamodel-code-generator reads none of them."""
    kept = found(schema, legacy=legacy)
    if kept:
        schema[ROOT_MARK if root else MARK] = kept
    return bool(kept)


def found(schema: Any, *, legacy: bool = False) -> list[dict[str, Any]]:
    """The member notes of the unions in ``schema`` (a property's, a component's, a
    body's), each with the steps from ``schema`` to its union. ``legacy``: an OpenAPI
    3.0 document's, whose members' notes beside a ``$ref`` say nothing (3.0 ignores the
    keywords beside a reference; ``{allOf: [$ref], deprecated: true}`` is how it says
    them, and is served so)."""
    out: list[dict[str, Any]] = []
    _visit(schema, [], out, legacy, 0)
    return out


def annotation(kept: Any) -> str | None:
    """``MemberNotes([...])`` for what :func:`found` found (None if nothing)."""
    return f"{NAME}({kept!r})" if kept else None


def _visit(node: Any, at: list[str], out: list[dict[str, Any]], legacy: bool, depth: int) -> None:
    node = _not_null(node)
    if not isinstance(node, dict) or "$ref" in node or depth > 20:
        return  # a reference: the schema it names serves its own
    if node.get("properties") or "allOf" in node:
        return  # a class of its own, whose properties keep theirs
    if any(isinstance(node.get(keyword), list) for keyword in _UNIONS):
        noted = _noted(node, legacy)
        if noted is not None:
            out.append({"at": at, **noted})
        return  # its members are types (and classes) of their own
    for step in ("items", "additionalProperties"):
        _visit(node.get(step), [*at, step], out, legacy, depth + 1)


def _noted(union: dict[str, Any], legacy: bool) -> dict[str, Any] | None:
    """``{"of": n, "members": [...]}`` for a union whose members (not null) carry notes."""
    keywords = [keyword for keyword in _UNIONS if isinstance(union.get(keyword), list)]
    if len(keywords) != 1 or "discriminator" in union or one_of.POSITION in union:
        return None
    rest = [member for member in union[keywords[0]] if not _null(member)]
    if len(rest) < 2:
        return None  # an optional value: its notes are the value's
    if one_of.values_only(rest):
        return None  # an enum of the values: no member is served
    members = []
    for index, member in enumerate(rest):
        beside_reference = isinstance(member, Mapping) and "$ref" in member
        notes = {} if legacy and beside_reference else _notes(member)
        if notes:
            members.append({"at": index, "notes": notes})
    return {"of": len(rest), "members": members} if members else None


def _notes(member: Any) -> dict[str, Any]:
    """The notes of ``member`` OpenAPI's Schema Object can serve, in the order written."""
    if not isinstance(member, Mapping):
        return {}
    return {key: value for key, value in member.items() if _servable(key, value)}


def _servable(key: str, value: Any) -> bool:
    if key in _TEXTS:
        return isinstance(value, str)
    if key in _FLAGS:
        return isinstance(value, bool)
    if key == "examples":
        return isinstance(value, list)
    if key == "externalDocs":
        return isinstance(value, Mapping) and isinstance(value.get("url"), str)
    return key == "example" and value is not None  # a null example is served as none


def _null(member: Any) -> bool:
    return isinstance(member, Mapping) and member.get("type") == "null"


def _not_null(node: Any) -> Any:
    """The member of a nullable union (``anyOf: [X, {type: "null"}]``) that is not null,
    annotations alone beside it; else ``node`` (as the served schema is stepped through:
    ``_not_null`` of the runtime of :mod:`generators.emit.lone_discriminators`)."""
    if not isinstance(node, dict):
        return node
    keywords = [keyword for keyword in _UNIONS if isinstance(node.get(keyword), list)]
    if len(keywords) != 1:
        return node
    beside = {k for k in node if k != keywords[0] and not str(k).startswith("x-")}
    if beside - ANNOTATIONS - {"nullable"}:
        return node
    rest = [member for member in node[keywords[0]] if not _null(member)]
    return rest[0] if len(rest) == 1 < len(node[keywords[0]]) else node


RUNTIME = '''

class MemberNotes:
    """``Annotated[X, MemberNotes([...])]``: the annotations of the members of a union
    in ``X``'s served schema (``deprecated``, ``description``...), served on those
    members as the contract writes them; they validate nothing. Each entry's ``at``
    leads to the union from the annotated schema, through ``items`` and
    ``additionalProperties`` and into the member of a nullable union that is not null;
    its ``members`` say which member (by position among those that are not null, ``of``
    of them) carries which notes."""

    def __init__(self, kept: list[Mapping[str, Any]]) -> None:
        self.kept = kept

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        served = handler(schema)
        _member_notes_served(served, self.kept)
        return served


def _member_notes_served(schema: Any, kept: Any) -> None:
    """Each kept entry's notes served on the members of the union its ``at`` leads to,
    when the union has as many members besides null as the contract's (else pydantic
    merged two members typed alike, and a note could land on another member)."""
    for entry in kept if isinstance(kept, list) else ():
        node = _not_null(schema)
        for step in entry.get("at", ()):
            node = _not_null(node.get(step)) if isinstance(node, dict) else None
        members = _union_of(node)
        if members is None:
            continue
        rest = [i for i, member in enumerate(members) if member != {"type": "null"}]
        if len(rest) != entry.get("of"):
            continue
        for noted in entry.get("members", ()):
            index = rest[noted["at"]]
            member = members[index]
            if isinstance(member, dict):  # a new schema: a reference's may be shared
                members[index] = {**member, **noted["notes"]}


def _union_of(node: Any) -> Any:
    """The members of the ``oneOf`` or ``anyOf`` ``node`` is, if it is one."""
    for keyword in ("oneOf", "anyOf"):
        members = node.get(keyword) if isinstance(node, dict) else None
        if isinstance(members, list):
            return members
    return None
'''
