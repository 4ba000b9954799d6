"""A ``discriminator`` beside no ``oneOf``/``anyOf``, served where the contract writes it.

openai's code interpreter call writes one beside an array, whose items carry their own::

    outputs:
      anyOf:
        - type: array
          items: {oneOf: [$ref Logs, $ref Image], discriminator: {propertyName: type}}
          discriminator: {propertyName: type}
        - type: "null"

A discriminator picks a member of the union beside it by a property of the value; beside
no union it picks nothing and validates nothing (the loader warns where the value cannot
even be an object). datamodel-code-generator drops it: the property's field says nothing
of it, so the served schema did not carry it.

An object with properties keeps it in its model's ``json_schema_extra``
(``schemas._discriminator_served_as_written``: pagerduty's ``IncidentAction``, OpenAPI
3.0's inheritance idiom, enforced where components extend it:
:mod:`generators.emit.inheritance`). Anywhere else it is kept as a list of ``{"at": steps,
"discriminator": ...}``, the steps leading from the served schema of a property, a
component or a body to the one that carries it: through ``items`` and a map's
``additionalProperties``, and into the member of a nullable union that is not null
(pydantic serves ``X | None`` as ``anyOf: [X, {type: "null"}]``, ``type: [array,
"null"]`` too). It is served there, and nothing is enforced:

- a property's under :data:`MARK`, in its field's ``json_schema_extra``, by its model's
  base ``specs.validation.ContractModel``;
- a component's (a ``RootModel``: an array, a map, a nullable one) under
  :data:`ROOT_MARK`, by ``ServedKeywords`` annotating its root;
- a request or response body's (an inline schema, or a component the route types by
  what it stands for: an array) by ``ServedKeywords`` in the route's annotation.

Positions inside a class of their own (an object with properties, a union's members, an
``allOf``) are that class's to serve, and left as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from generators.keywords import ANNOTATIONS

MARK = "x-served"
ROOT_MARK = "x-served-root"  # a component's: no field of datamodel-code-generator's serves it
NAME = "ServedKeywords"
WRITTEN = "x-discriminator"  # where schemas._discriminator_served_as_written moved it
_UNIONS = frozenset({"oneOf", "anyOf"})

Take = Callable[[dict[str, Any]], Any]


def keep(schema: dict[str, Any], *, root: bool = False) -> bool:
    """Move the lone discriminators of a property's ``schema`` (a component's, with
    ``root``) that its field or root serves under :data:`MARK` (:data:`ROOT_MARK`) of
    ``schema``; whether there were any. They stand under :data:`WRITTEN` here."""
    kept = _kept(schema, lambda node: node.pop(WRITTEN, None))
    if kept:
        schema[ROOT_MARK if root else MARK] = kept
    return bool(kept)


def found(schema: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The lone discriminators of ``schema`` as the contract writes it (a body's), each
    with the steps to the schema that carries it; ``schema`` is left as it is."""
    return _kept(schema, _lone)


def in_properties(schema: Any) -> bool:
    """Whether a property of the object ``schema`` (as the contract writes it) holds a
    lone discriminator its field serves."""
    properties = schema.get("properties") if isinstance(schema, Mapping) else None
    return isinstance(properties, Mapping) and any(found(p) for p in properties.values())


def _lone(node: Mapping[str, Any]) -> Any:
    return None if _UNIONS & set(node) else node.get("discriminator")


def _kept(schema: Any, take: Take) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    _visit(schema, [], take, out)
    return out


def _visit(node: Any, at: list[str], take: Take, out: list[dict[str, Any]]) -> None:
    node = _not_null(node)
    if not isinstance(node, dict) or _own_class(node):
        return
    value = take(node)
    if value is not None:
        out.append({"at": at, "discriminator": value})
    if "$ref" in node:
        return  # the schema it names serves its own
    for step in ("items", "additionalProperties"):
        if isinstance(node.get(step), dict):
            _visit(node[step], [*at, step], take, out)


def _not_null(node: Any) -> Any:
    """The member of a nullable ``anyOf``/``oneOf`` that is not null (nothing but
    annotations beside it); else ``node``."""
    if not isinstance(node, dict):
        return node
    keywords = [key for key in _UNIONS if isinstance(node.get(key), list)]
    if len(keywords) != 1:
        return node
    beside = {k for k in node if k != keywords[0] and not str(k).startswith("x-")}
    if beside - ANNOTATIONS - {"nullable"}:
        return node
    members = node[keywords[0]]
    rest = [m for m in members if not (isinstance(m, dict) and m.get("type") == "null")]
    return rest[0] if len(rest) == 1 < len(members) else node


def _own_class(node: dict[str, Any]) -> bool:
    """Whether datamodel-code-generator makes a class of ``node`` whose positions it
    serves: a model (properties, an ``allOf``) or a union."""
    return bool(node.get("properties")) or bool({"allOf", *_UNIONS} & set(node))


def annotation(kept: Any) -> str | None:
    """``ServedKeywords([...])`` for what :func:`keep` or :func:`found` kept (None if
    nothing)."""
    return f"{NAME}({kept!r})" if kept else None


RUNTIME = '''

class ServedKeywords:
    """``Annotated[X, ServedKeywords([...])]``: keywords that validate nothing and that
    ``X`` does not say (a ``discriminator`` beside no union), served where the contract
    writes them. Each entry's ``at`` leads there from the annotated schema, through
    ``items`` and ``additionalProperties`` and into the member of a nullable union that
    is not null; the rest of the entry is served there."""

    def __init__(self, kept: list[Mapping[str, Any]]) -> None:
        self.kept = kept

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        served = handler(schema)
        _kept_served(served, self.kept)
        return served


def _kept_served(schema: Any, kept: Any) -> None:
    """Each kept entry served where its ``at`` leads in ``schema`` (beside a ``$ref``,
    not in the schema it names)."""
    for entry in kept if isinstance(kept, list) else ():
        node = _not_null(schema)
        for step in entry.get("at", ()):
            node = _not_null(node.get(step)) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node.update({key: value for key, value in entry.items() if key != "at"})


def _not_null(schema: Any) -> Any:
    """The member of the ``anyOf`` pydantic serves for a nullable value that is not
    null; else ``schema``."""
    members = schema.get("anyOf") if isinstance(schema, dict) else None
    if isinstance(members, list):
        rest = [m for m in members if m != {"type": "null"}]
        if len(rest) == 1 < len(members):
            return rest[0]
    return schema
'''
