"""An ``allOf`` over a base that another member overrides, narrows or requires more of:
the base's keywords written in place of its reference, so datamodel-code-generator
merges the members into one class (a subclass would redeclare a field with a type mypy
refuses, or keep the base's optionality), and a property several members declare
admitting null only where each declaration does."""

from __future__ import annotations

import copy
from typing import Any

from generators.emit import beside, lone_discriminators, narrowed_enums, one_of, walk
from generators.keywords import ANNOTATIONS

_NOT_SCHEMAS = walk.VALUE_KEYS | {beside.MARK}


def inline_overridden_bases(document: dict[str, Any], node: Any) -> None:
    """``allOf: [{$ref: Base}, {properties: {p: ...}}]`` where ``Base`` has its own ``p``,
    where another member requires what ``Base`` declares but leaves optional
    (DigitalOcean's ``allOf: [{$ref: meta_properties}, {required: [total]}]``, which
    datamodel-code-generator would type as ``Base`` alone), or where a member's property is
    an exclusive ``oneOf`` or holds a lone discriminator (its class needs a base of its
    own, ``ExclusiveModel``, ``ContractModel``):
    ``Base``'s keywords are written in place of the reference, so
    datamodel-code-generator merges the members into one class. As a subclass of ``Base``
    the model would redeclare ``p`` with a narrower type mypy refuses (``list[Event1]``
    over ``list[Event]``, a ``Literal`` over an enum: xero's credit-note events)."""
    if isinstance(node, list):
        for item in node:
            inline_overridden_bases(document, item)
        return
    if not isinstance(node, dict):
        return
    implied = _implied_declarations(document, node)  # before the members' own are inlined
    for key, value in node.items():
        if key not in _NOT_SCHEMAS:
            inline_overridden_bases(document, value)
    members = node.get("allOf")
    if not isinstance(members, list):
        return
    _required_once(document, node, members)
    declared: dict[str, Any] = {}
    required: set[str] = set()
    for member in members:
        if isinstance(member, dict) and isinstance(member.get("properties"), dict):
            declared.update(member["properties"])
        if isinstance(member, dict) and "$ref" not in member:
            required.update(name for name in member.get("required") or () if isinstance(name, str))
    # a member's exclusive oneOf needs the class's own base (one_of.lift_from_all_of), a
    # property's lone discriminator ContractModel (_contract_base_from_members)
    own_base = any(
        one_of.exclusive_paths(member)
        or one_of.discriminated_paths(member)
        or lone_discriminators.in_properties(member)
        for member in members
    )
    index, steps = 0, 0
    while index < len(members) and steps < 100:  # steps: an allOf that lists itself
        steps += 1
        member = members[index]
        ref = member.get("$ref") if isinstance(member, dict) else None
        base = walk.resolved(document, ref) if isinstance(ref, str) and len(member) == 1 else None
        own = declared_properties(document, base)
        changed = [name for name, schema in declared.items() if name in own and own[name] != schema]
        newly_required = (required & set(own)) - _required_by(document, base)
        if own and isinstance(base, dict) and (own_base or changed or newly_required):
            inlined = copy.deepcopy(base)
            for name in implied.get(index, ()):
                del inlined["properties"][name]  # another member's declaration says it
            if not _only_members(inlined):
                members[index] = inlined
            elif not any(_enum(own[name]) or _enum(declared[name]) for name in changed) or any(
                narrowed_enums.references_values(document, own[name]) for name in changed
            ):
                members[index : index + 1] = inlined["allOf"]  # its members, each in turn
                continue
            # an enum narrowed under a base that is an allOf stays a subclass of it: the
            # values both enums list are served (_narrowed_overrides), not the last one's;
            # but a subclass's enum datamodel-code-generator lists beside the values of
            # the base's referenced enum, so there the base's members take its place
            # (narrowed_enums conjoins the declarations)
        index += 1
    _null_conjoined(members)


def _implied_declarations(document: dict[str, Any], node: dict[str, Any]) -> dict[int, list[str]]:
    """``{index of a {$ref: Base} member: the properties of Base another member's
    declaration conjoins}``: xero's credit-note events narrow the base's ``events`` by
    ``items: {allOf: [{$ref: Base/properties/events/items}, {eventCategory: {const:
    CREDITNOTE}}]}``. That declaration implies the base's, which, written in place
    beside it, datamodel-code-generator would merge key by key with it (the enums'
    values listed together, not conjoined): the base's is left out."""
    members = node.get("allOf")
    found: dict[int, list[str]] = {}
    if not isinstance(members, list):
        return found
    for index, member in enumerate(members):
        ref = member.get("$ref") if isinstance(member, dict) and len(member) == 1 else None
        base = walk.resolved(document, ref) if isinstance(ref, str) else None
        own = base.get("properties") if isinstance(base, dict) else None
        if not isinstance(own, dict):
            continue
        for other in members:
            declared = other.get("properties") if isinstance(other, dict) else None
            if not isinstance(declared, dict) or other is member:
                continue
            for name, schema in declared.items():
                target = f"{ref}/properties/{walk.escaped(name)}"
                if name in own and _conjoins(schema, target, own[name]):
                    found.setdefault(index, []).append(name)
    return found


def _conjoins(schema: Any, target: str, declaration: Any) -> bool:
    """Whether ``schema`` conjoins the ``declaration`` at ``target``: an ``allOf`` member
    refers to it, or, where it says nothing but an array's ``items``, to those."""
    if not isinstance(schema, dict):
        return False
    if schema.get("$ref") == target:
        return True
    if any(_conjoins(member, target, declaration) for member in schema.get("allOf") or ()):
        return True
    items = declaration.get("items") if isinstance(declaration, dict) else None
    bare = isinstance(declaration, dict) and set(declaration) - ANNOTATIONS <= {"type", "items"}
    return bare and _conjoins(schema.get("items"), f"{target}/items", items)


def _required_once(document: dict[str, Any], node: dict[str, Any], members: list[Any]) -> None:
    """A name ``required`` beside an ``allOf`` that a member already requires is left out
    there: the conjunction requires it either way. datamodel-code-generator would redeclare
    the inherited field in the subclass with the property's declared type, wider than the
    base's (openai's ``FineTuneChatCompletionRequestAssistantMessage``: ``allOf: [{...},
    $ref ChatCompletionRequestAssistantMessage]`` with ``required: [role]`` beside,
    ``role: RoleModel`` over the base's discriminating ``Literal[RoleModel.ASSISTANT]``,
    which mypy refuses)."""
    listed = node.get("required")
    if not isinstance(listed, list):
        return
    already: set[str] = set()
    for member in members:
        already |= _required_by(document, member)
    kept = [name for name in listed if name not in already]
    if len(kept) == len(listed):
        return
    if kept:
        node["required"] = kept
    else:
        del node["required"]


def _required_by(document: dict[str, Any], schema: Any, depth: int = 0) -> set[str]:
    """The names ``schema`` requires, through ``$ref`` and ``allOf``."""
    if not isinstance(schema, dict) or depth > 20:
        return set()
    if isinstance(schema.get("$ref"), str):
        return _required_by(document, walk.resolved(document, schema["$ref"]), depth + 1)
    found = {name for name in schema.get("required") or () if isinstance(name, str)}
    for member in schema.get("allOf") or ():
        found |= _required_by(document, member, depth + 1)
    return found


def _enum(schema: Any) -> bool:
    return isinstance(schema, dict) and "enum" in schema


def _only_members(schema: Any) -> bool:
    """An ``allOf`` with nothing beside it that validates (its members say it all)."""
    return (
        isinstance(schema, dict)
        and isinstance(schema.get("allOf"), list)
        and set(schema) <= {"allOf", "type", "title", "description"}
        and schema.get("type", "object") == "object"
    )


def declared_properties(document: dict[str, Any], schema: Any, depth: int = 0) -> dict[str, Any]:
    """The properties a schema declares, its own and its ``allOf`` members' (through
    ``$ref``): a base that is itself an ``allOf`` (an envelope ``{data: {}}`` narrowed to
    ``{data: array}``) declares what its members do, and a member overriding one of them
    overrides the base (datamodel-code-generator, subclassing it, typed the member's
    ``data: list[User]`` as the base's ``list[Any]``)."""
    if not isinstance(schema, dict) or depth > 20:
        return {}
    found: dict[str, Any] = {}
    for member in schema.get("allOf") or ():
        ref = member.get("$ref") if isinstance(member, dict) else None
        inner = walk.resolved(document, ref) if isinstance(ref, str) else member
        found.update(declared_properties(document, inner, depth + 1))
    own = schema.get("properties")
    found.update(own if isinstance(own, dict) else {})
    return found


def _null_conjoined(members: list[Any]) -> None:
    """A property several ``allOf`` members declare admits null only if each declaration
    does (a value must be valid against every member): pagerduty's ``ChangeEvent``
    narrows its base's ``summary: {type: string, nullable: true}`` to ``{type: string}``.
    datamodel-code-generator merges the declarations key by key, the later one's
    ``nullable`` winning (or the earlier one's where the later says nothing), so a last
    member saying ``nullable: false`` for those properties is appended: the members
    already in the list stay as they are (a ``$ref`` may point to one of them), and it
    validates nothing itself (``nullable: false`` is the default). A declaration that
    admits null by a ``{type: "null"}`` member (openai's ``top_logprobs: anyOf: [{type:
    integer}, {type: "null"}]`` under a member's ``{type: integer}``) loses that member
    (or a ``"null"`` type its null) in a copy of its ``allOf`` member: kept, it is what
    the merged field says."""
    declared: dict[str, list[dict[str, Any]]] = {}
    for member in members:
        properties = member.get("properties") if isinstance(member, dict) else None
        for name, prop in (properties or {}).items():
            if isinstance(prop, dict):
                declared.setdefault(name, []).append(prop)
    refused = [
        name
        for name, props in declared.items()
        if any(_admits_null(p) for p in props)
        and any("type" in p and not _admits_null(p) for p in props)
    ]
    for index, member in enumerate(members):
        properties = member.get("properties") if isinstance(member, dict) else None
        if not isinstance(properties, dict):
            continue
        held = [name for name in refused if name in properties]
        narrowed = {name: _null_left_out(properties[name]) for name in held}
        if any(narrowed[name] is not properties[name] for name in held):
            members[index] = {**member, "properties": {**properties, **narrowed}}
    if refused:
        members.append({"properties": {name: {"nullable": False} for name in refused}})


def _admits_null(schema: dict[str, Any]) -> bool:
    """Whether ``schema`` says null is valid: ``nullable``, a ``"null"`` type, a null member."""
    kind = schema.get("type")
    listed = isinstance(kind, list) and "null" in kind
    return schema.get("nullable") is True or listed or _null_member_at(schema) is not None


def _null_member_at(schema: Any) -> str | None:
    """The union keyword of ``schema`` that lists ``{type: "null"}``, if any."""
    for keyword in ("anyOf", "oneOf"):
        listed = schema.get(keyword) if isinstance(schema, dict) else None
        if isinstance(listed, list) and {"type": "null"} in listed and len(listed) > 1:
            return keyword
    return None


def _null_left_out(schema: Any) -> Any:
    """``schema`` without the null a ``"null"`` type or a ``{type: "null"}`` member adds
    (one member left stands in place of its union, beside the union's own keywords);
    ``schema`` itself where neither does."""
    kind = schema.get("type")
    if isinstance(kind, list) and "null" in kind and len(kind) > 1:
        rest = [k for k in kind if k != "null"]
        return {**schema, "type": rest[0] if len(rest) == 1 else rest}
    keyword = _null_member_at(schema)
    if keyword is None:
        return schema
    members = [member for member in schema[keyword] if member != {"type": "null"}]
    out = {k: v for k, v in schema.items() if k != keyword}
    if len(members) == 1 and isinstance(members[0], dict) and not set(members[0]) & set(out):
        return {**out, **members[0]}
    return {**out, keyword: members}
