"""Where null is valid, said in the one form datamodel-code-generator writes as it
means: a ``{"type": "null"}`` member for a nullable union or member, no null where an
``enum`` refuses it whatever ``nullable`` or a type list say."""

from __future__ import annotations

from typing import Any


def null_member_of_any_of(schema: dict[str, Any]) -> None:
    """An ``anyOf`` member with ``nullable: true`` and a ``type`` admits null, so the
    ``anyOf`` does: the null becomes a ``{"type": "null"}`` member, which
    datamodel-code-generator writes as ``| None`` (it dropped the member's own)."""
    members = schema.get("anyOf")
    if not isinstance(members, list):
        return
    nullable = [
        m for m in members if isinstance(m, dict) and m.get("nullable") is True and "type" in m
    ]
    if not nullable:
        return
    rest = [
        {k: v for k, v in m.items() if k != "nullable"} if m in nullable else m for m in members
    ]
    if not any(isinstance(m, dict) and m.get("type") == "null" for m in rest):
        rest.append({"type": "null"})
    schema["anyOf"] = rest


def nullable_union_as_null_member(schema: dict[str, Any]) -> None:
    """``nullable: true`` beside a ``oneOf``/``anyOf`` and no ``type`` (OpenAPI 3.0's
    nullable union: "null, or a value the union accepts"; DigitalOcean's ``stop``, a
    string or a list of them, or null) is a ``{"type": "null"}`` member, when every
    member has a type: the same values are valid, exactly one member accepting null.
    A member's own null (openai's ``stop``: ``{type: string, nullable: true}``) goes:
    null is valid beside the union either way, and only there. datamodel-code-generator
    made the flag each inline member's (``Stop(RootModel[list[str] | None])``), so null
    was valid against two members of the ``oneOf``, which its model then refused; and a
    union still beside its flag holds no member's ``default`` (``held_defaults``)."""
    keywords = [k for k in ("oneOf", "anyOf") if isinstance(schema.get(k), list)]
    if schema.get("nullable") is not True or "type" in schema or len(keywords) != 1:
        return
    members = [_without_null(member) for member in schema[keywords[0]]]
    if not members or not all(_refuses_null(member) for member in members):
        return
    del schema["nullable"]
    schema[keywords[0]] = [*members, {"type": "null"}]


def _without_null(member: Any) -> Any:
    """``member`` without the null its own type admits (``nullable``, a ``"null"`` type)."""
    if not isinstance(member, dict) or "enum" in member or "const" in member:
        return member  # an enum decides for itself whether null is one of its values
    kind = member.get("type")
    if isinstance(kind, list) and "null" in kind and len(kind) > 1:
        rest = [k for k in kind if k != "null"]
        member = {**member, "type": rest[0] if len(rest) == 1 else rest}
    if member.get("nullable") is True and isinstance(member.get("type"), str):
        member = {k: v for k, v in member.items() if k != "nullable"}
    return member


def _refuses_null(member: Any) -> bool:
    if not isinstance(member, dict) or member.get("nullable") is True:
        return False
    kind = member.get("type")
    return isinstance(kind, str) and kind != "null" or isinstance(kind, list) and "null" not in kind


def null_refused_by_enum(schema: dict[str, Any]) -> None:
    """An ``enum`` without ``null`` refuses null, whatever ``nullable: true`` (OpenAPI 3.0,
    and 3.1 documents that still write it) or a ``"null"`` in a ``type`` list say beside
    it: both only widen ``type``, and the enum still applies (OpenAPI 3.0.3 says so of
    ``nullable``; JSON Schema of every keyword). Neither is left to make the model admit
    ``None``."""
    values = schema.get("enum")
    if not isinstance(values, list) or None in values:
        return
    if schema.get("nullable") is True:
        del schema["nullable"]
    kind = schema.get("type")
    if isinstance(kind, list) and "null" in kind and len(kind) > 1:
        rest = [k for k in kind if k != "null"]
        schema["type"] = rest[0] if len(rest) == 1 else rest


def null_by_type(schema: dict[str, Any]) -> None:
    """An inline property's ``null`` listed both in ``enum`` and in a ``type`` list is said
    once, by the type: the same values are valid (the enum's others, or null), and the
    field is an optional ``Enum`` of the others (not an ``Enum`` with a ``None`` member
    beside ``None``). A component enum keeps its ``None`` member: the fields that name it
    are not made optional by it."""
    values, kind = schema.get("enum"), schema.get("type")
    if not (isinstance(values, list) and None in values and isinstance(kind, list)):
        return
    others = [value for value in values if value is not None]
    if "null" in kind and others:
        schema["enum"] = others
