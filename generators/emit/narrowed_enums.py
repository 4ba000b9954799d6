"""Enums joined by ``allOf`` are served and enforced as the one enum they mean.

Discord writes a property that admits some values of a component enum as that enum's
reference with the values it keeps beside it::

    {"type": "integer", "enum": [1, 2], "allOf": [{"$ref": ".../ApplicationEventWebhooksStatus"}]}

Both keywords apply, so the valid values are those both list (here 1 and 2, not the
component's 3). The same holds for every pair of enums one schema conjoins, each written
inline or by reference, in either order: an OpenAPI 3.1 ``{"$ref": ..., "enum": [...]}``
(3.1 applies the siblings of a reference; 3.0 ignores them), and an ``allOf`` of
enums (``allOf: [{$ref: A}, {$ref: B}]``). datamodel-code-generator reads one of them
(the reference, or the first member) or lists the values of both, one after the other.
So such a schema is written as the enum of the values every one of them lists: the
referenced enum itself where it lists no other value, else a copy of the (first)
referenced enum narrowed to those values, in its own form (its ``oneOf`` of titled
``const`` members, or its ``enum``): the generated enum class then has the component's
member names, and lists only the values the contract allows. A conjunction that keeps no
value (Discord's ``enum: []``: no value is valid) is left as written.

A property two members of an ``allOf`` declare is the conjunction of the declarations:
openai's ``ComputerToolCallOutputResource`` is ``allOf: [$ref ComputerToolCallOutput,
{properties: {status: {$ref: ComputerCallOutputStatus}}}]``, its base's ``status`` an
inline enum of other values (the base is written in place by then: see
``schemas._inline_overridden_bases``). datamodel-code-generator, merging the members into
one class, typed ``status`` with an enum listing both enums' values (a reference beside
another enum, or two enums of the same values), and, where it reads the members one by
one (no other property declared differently), made the field of the first declaration,
optional where a later member requires it. So the first declaration lists the values all
of them list (with the other keywords of each) and requires the property where another
member does; the later ones keep their other keywords. Where they share no value the
property can only be absent (``enum: []``).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generators import versions
from generators.emit import walk
from generators.keywords import ANNOTATIONS, enum_values

_VALUE_KEYS = frozenset({"const", "enum", "type", "title", "description", "example", "examples"})
_PARALLEL = ("x-enum-varnames", "x-enumNames", "x-enum-descriptions")  # one item per value


@dataclass(frozen=True)
class _Listing:
    """An enum a schema conjoins: the values it admits, the schema listing them in its
    own form, and the reference naming it (None inline) and how (``$ref``/``allOf``)."""

    values: list[Any]
    form: dict[str, Any]
    ref: str | None = None
    via: str = "$ref"


def inline(document: dict[str, Any]) -> None:
    """Rewrite, in place, every conjunction of enums in ``document``: the declarations
    of a property an ``allOf``'s members conjoin, and each schema conjoining enums."""
    siblings_apply = not versions.legacy(str(document.get("openapi", "")))
    pointed = walk.pointed(document)

    def visit(node: dict[str, Any], at: str) -> None:
        _declarations_conjoined(document, node, at, siblings_apply, pointed)
        walk.replace(node, _narrowed(document, node, siblings_apply))

    walk.bottom_up_at(document, visit)


def references_values(document: dict[str, Any], schema: Any) -> bool:
    """Whether ``schema`` conjoins an enum it names by reference (``$ref`` or an
    ``allOf`` member): datamodel-code-generator does not conjoin it with another."""
    found = _conjuncts(document, schema, True) if isinstance(schema, dict) else None
    return found is not None and any(listing.ref for listing in found[0])


def _narrowed(
    document: dict[str, Any], node: dict[str, Any], siblings_apply: bool
) -> dict[str, Any] | None:
    """The schema ``node`` means when it conjoins several enums; None otherwise."""
    found = _conjuncts(document, node, siblings_apply)
    if found is None or len(found[0]) < 2:
        return None
    listings, rest = found
    form = _conjunction(listings)
    if form is None:
        return None  # nothing valid; left as written
    return {**form, **rest}


def _declarations_conjoined(
    document: dict[str, Any],
    node: dict[str, Any],
    at: str,
    siblings_apply: bool,
    pointed: frozenset[str],
) -> None:
    """Each property that several of ``node``'s ``allOf`` members (or it and a member)
    declare as enums lists its values once, in the first declaration: the enum of the
    values all of them list, with the other keywords of every declaration; the others
    keep their other keywords. The first's schema requires the property where another
    does: datamodel-code-generator, merging the members, made an enum of the values both
    list (or of both, when each lists the same), and, reading them one by one, takes
    the first declaration for the whole. A declaration a reference names (at
    ``pointed``) is left as written."""
    members = node.get("allOf")
    if not isinstance(members, list):
        return
    holders = walk.declaring(node, at)
    names = list(dict.fromkeys(name for schema, _ in holders for name in schema["properties"]))
    for name in names:
        declared = []
        for schema, where in holders:
            found = _conjuncts(document, schema["properties"].get(name), siblings_apply)
            if found is not None and found[0]:
                declared.append((schema, f"{where}/properties/{walk.escaped(name)}", *found))
        if len(declared) < 2 or any(where in pointed for _, where, _, _ in declared):
            continue
        listings = [listing for _, _, found, _ in declared for listing in found]
        conjoined = copy.deepcopy(_conjunction(listings) or {"enum": []})  # none: only absent
        for schema, _, _, rest in declared:
            conjoined.update(copy.deepcopy(rest))
            if schema is not declared[0][0]:
                schema["properties"][name] = rest
        first = declared[0][0]
        first["properties"][name] = conjoined
        requiring = [m for m in (node, *members) if isinstance(m, dict) and _requires(m, name)]
        first_at = next(where for schema, where in holders if schema is first)
        if requiring and not _requires(first, name) and (first is node or first_at not in pointed):
            first["required"] = [*first.get("required", ()), name]


def _requires(schema: dict[str, Any], name: str) -> bool:
    listed = schema.get("required")
    return isinstance(listed, list) and name in listed


def _conjuncts(
    document: dict[str, Any], node: Any, siblings_apply: bool, depth: int = 0
) -> tuple[list[_Listing], dict[str, Any]] | None:
    """The enums ``node`` conjoins (its own values, a referenced enum's, its ``allOf``
    members'), and its other keywords; None when it says more than that a value is in
    each (a member or a reference that is no enum)."""
    if not isinstance(node, dict) or depth > 20:
        return None
    listings: list[_Listing] = []
    rest = dict(node)
    ref = node.get("$ref")
    if isinstance(ref, str) and not siblings_apply:
        rest = {key: value for key, value in node.items() if key in ANNOTATIONS}
    else:
        own = _own_listing(node)
        if own is not None:
            listings.append(own)
            for key in ("enum", "const", "type", *own.form):
                rest.pop(key, None)
    if isinstance(ref, str):
        target = _followed(document, ref)
        values = _admitted(target)
        if values is None:
            return None
        listings.append(_Listing(values, target or {}, ref))
        rest.pop("$ref", None)
    members = node.get("allOf")
    if isinstance(members, list) and "allOf" in rest:
        for member in members:
            if isinstance(member, dict) and member and set(member) <= ANNOTATIONS:
                found: tuple[list[_Listing], dict[str, Any]] | None = ([], member)
            else:
                found = _conjuncts(document, member, siblings_apply, depth + 1)
            if found is None or set(found[1]) - ANNOTATIONS:
                return None
            listings += [_Listing(x.values, x.form, x.ref, "allOf") for x in found[0]]
            for key, value in found[1].items():
                rest.setdefault(key, value)
        del rest["allOf"]
    return listings, rest


def _own_listing(node: dict[str, Any]) -> _Listing | None:
    """The enum ``node`` lists itself (``enum``, ``const``, or a ``oneOf``/``anyOf`` of
    them), its ``type`` with it."""
    values = _admitted(node)
    if values is None:
        return None
    if "const" in node or "enum" in node:
        form = {key: node[key] for key in ("type", "enum", *_PARALLEL) if key in node}
        if "enum" not in node:
            form["enum"] = [node["const"]]
        return _Listing(values, form)
    keyword = next(k for k in ("oneOf", "anyOf") if listed_values({k: node.get(k)}) is not None)
    return _Listing(values, {key: node[key] for key in ("type", keyword) if key in node})


def _admitted(schema: Mapping[str, Any] | None) -> list[Any] | None:
    """The values an enum schema admits: those it lists (:func:`listed_values`) that its
    ``type`` admits (:func:`keywords.enum_values`; null stays: nullability decides it)."""
    values = listed_values(schema)
    if schema is None or values is None or "enum" not in schema:
        return values
    return enum_values(schema)


def _conjunction(listings: list[_Listing]) -> dict[str, Any] | None:
    """The enum of the values every listing admits, in the form of the first referenced
    one (itself where it admits no other value; None where no value is left)."""
    kept = {_key(value) for value in listings[0].values}
    for listing in listings[1:]:
        kept &= {_key(value) for value in listing.values}
    if not kept:
        return None
    for listing in listings:
        if listing.ref is not None and {_key(value) for value in listing.values} == kept:
            if listing.via == "allOf":
                return {"allOf": [{"$ref": listing.ref}]}
            return {"$ref": listing.ref}
    first = next((listing for listing in listings if listing.ref is not None), listings[0])
    return _filtered(first.form, kept)


def _listed(node: Mapping[str, Any]) -> list[Any] | None:
    if "const" in node:
        return [node["const"]]
    values = node.get("enum")
    return values if isinstance(values, list) else None


def _is_reference(member: Any) -> bool:
    return isinstance(member, dict) and set(member) == {"$ref"} and isinstance(member["$ref"], str)


def _followed(document: dict[str, Any], ref: str) -> dict[str, Any] | None:
    """The schema ``ref`` names, through references to references."""
    seen: set[str] = set()
    node: Any = {"$ref": ref}
    while _is_reference(node):
        ref = node["$ref"]
        if ref in seen or not ref.startswith("#/"):
            return None
        seen.add(ref)
        node = document
        for part in ref[2:].split("/"):
            key = part.replace("~1", "/").replace("~0", "~")
            node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else None


def listed_values(schema: Mapping[str, Any] | None) -> list[Any] | None:
    """The values an enum schema lists: its ``enum``, or the ``const``/``enum`` of its
    ``oneOf``/``anyOf`` members when they only list values (None for any other schema)."""
    if schema is None:
        return None
    listed = _listed(schema)
    if listed is not None:
        return listed
    for keyword in ("oneOf", "anyOf"):
        members = schema.get(keyword)
        if isinstance(members, list) and members and all(_lists_values(m) for m in members):
            return [value for member in members for value in _listed(member) or []]
    return None


def _lists_values(member: Any) -> bool:
    return (
        isinstance(member, dict)
        and ("const" in member or isinstance(member.get("enum"), list))
        and set(member) <= _VALUE_KEYS
    )


def _filtered(target: dict[str, Any], kept: set[str]) -> dict[str, Any]:
    """A copy of the enum schema ``target`` listing only the values in ``kept``, in its
    own form (the names beside its values filtered alike)."""
    schema = copy.deepcopy(target)
    values = schema.get("enum")
    if isinstance(values, list):
        keep = [_key(value) in kept for value in values]
        schema["enum"] = [value for value, ok in zip(values, keep, strict=True) if ok]
        for name in _PARALLEL:
            names = schema.get(name)
            if isinstance(names, list) and len(names) == len(values):
                schema[name] = [item for item, ok in zip(names, keep, strict=True) if ok]
        return schema
    for keyword in ("oneOf", "anyOf"):
        members = schema.get(keyword)
        if isinstance(members, list):
            filtered = (_member_filtered(member, kept) for member in members)
            schema[keyword] = [member for member in filtered if member is not None]
    return schema


def _member_filtered(member: dict[str, Any], kept: set[str]) -> dict[str, Any] | None:
    """A ``const``/``enum`` member of a values-only ``oneOf`` with only the kept values
    (None when it keeps none)."""
    if "const" in member:
        return member if _key(member["const"]) in kept else None
    values = [value for value in member["enum"] if _key(value) in kept]
    return {**member, "enum": values} if values else None


def _key(value: Any) -> str:
    """A value's identity as JSON compares values (``1`` equals ``1.0``, not ``true``)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return json.dumps(value, sort_keys=True)
