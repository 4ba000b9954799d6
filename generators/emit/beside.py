"""An object's ``oneOf``/``anyOf`` beside its properties served and enforced as written.

workos writes a body as ``allOf: [{type: object, properties: P, required: R}, {oneOf:
[A, B]}]`` (the same as ``{type: object, properties: P, required: R, oneOf: [A, B]}``):
the value must be valid against the properties and against exactly one member (members
that say which other properties go together, or must not: ``not: {anyOf: [{required:
[password]}]}``); lichess a form the same way (``BroadcastRoundForm``).
datamodel-code-generator merges the properties into each member and types the schema as
the union of the merged classes, served as ``anyOf`` of them: the object's own
``type``, ``properties`` and ``required`` are gone from the served schema, and the
union accepts a value more than one member fits.

Such a schema becomes one model of the properties, and the ``oneOf``/``anyOf`` is kept
beside it, as written (local references written in place), in the model's
``json_schema_extra`` (``"x-members"``): its base, ``specs.validation.MembersModel``,
serves it from there in place of the mark and refuses a value that is not valid against
exactly one member (``oneOf``) or against none (``anyOf``), as JSON Schema checks it
(``jsonschema``, on the value the model holds: a form's ``"5"`` read as its integer).
The properties the members declare and the object does not are fields of the model too
(optional: a member requires them), so that a service reads them; they are served
inside their members only. A property two members declare differently is any value
there (the member checks it).

Left as before: a ``oneOf`` with a ``discriminator`` (pydantic's union picks one member
by it), an object that closes its properties (``additionalProperties: false``: a member's
other property is refused by it anyway), members that refer to themselves, and a
``oneOf`` written beside ``properties`` directly rather than through ``allOf`` (svix's
variants: datamodel-code-generator's union of them serves what the contract says).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from generators.emit import walk

MARK = "x-members"
MODEL_BASE = "specs.validation.MembersModel"
_NOT_SCHEMAS = walk.VALUE_KEYS | {MARK}
_ANNOTATIONS = frozenset({"title", "description", "deprecated", "$comment", "externalDocs"})
_COMBINATORS = frozenset({"allOf", "anyOf", "oneOf", "not", "if", "then", "else", "$ref"})
_CLOSING = frozenset({"additionalProperties", "unevaluatedProperties", "patternProperties"})


def lift(document: dict[str, Any]) -> None:
    """Rewrite, in place, each ``allOf: [object, {oneOf|anyOf}]`` of ``document`` into
    the object with the members kept under :data:`MARK` (see the module docstring)."""
    # top down: a lifted object's members are kept as written, not rewritten below it
    walk.top_down(document, lambda node: walk.replace(node, _lifted(document, node)), _NOT_SCHEMAS)


def liftable(document: dict[str, Any], node: dict[str, Any]) -> bool:
    """Whether :func:`lift` rewrites ``node`` (it is left unchanged here)."""
    return _lifted(document, copy.deepcopy(node)) is not None


def _lifted(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any] | None:
    """The object ``node`` means with its members under :data:`MARK`; None if it is not
    one of the schemas this module rewrites."""
    parts = node.get("allOf")
    if not isinstance(parts, list) or any(not isinstance(p, dict) for p in parts):
        return None
    choices = [p for p in parts if {"oneOf", "anyOf"} & set(p)]
    if len(choices) != 1:
        return None
    choice = choices[0]
    keywords = [k for k in ("oneOf", "anyOf") if k in choice]
    keyword = keywords[0]
    members = choice[keyword]
    if (
        len(keywords) != 1
        or not isinstance(members, list)
        or not set(choice) - {keyword} <= _ANNOTATIONS
    ):
        return None
    merged: dict[str, Any] = {k: v for k, v in node.items() if k != "allOf"}
    for part in parts:
        if part is choice:
            continue
        if _COMBINATORS & set(part) or not _object(part) or not merged_into(merged, part):
            return None
    if _CLOSING & set(merged) or "discriminator" in merged or MARK in merged:
        return None
    written = _written(document, members, ())
    if written is None:
        return None
    properties = dict(merged.get("properties") or {})
    added = []
    for name, schemas in _declared(written).items():
        if name not in properties:
            distinct = {json.dumps(s, sort_keys=True): s for s in schemas}
            properties[name] = next(iter(distinct.values())) if len(distinct) == 1 else {}
            added.append(name)
    merged["type"] = "object"
    merged["properties"] = properties
    merged[MARK] = {keyword: written, "added": added}
    return merged


def _object(part: dict[str, Any]) -> bool:
    kind = part.get("type")
    return kind == "object" or (kind is None and isinstance(part.get("properties"), dict))


def merged_into(merged: dict[str, Any], part: dict[str, Any]) -> bool:
    """``part``'s keywords added to ``merged``; False where both say different things."""
    for key, value in part.items():
        if key == "required" and isinstance(value, list):
            listed = list(merged.get("required") or [])
            merged["required"] = listed + [name for name in value if name not in listed]
        elif key == "properties" and isinstance(value, dict):
            own = dict(merged.get("properties") or {})
            for name, schema in value.items():
                if name in own and own[name] != schema:
                    return False
                own[name] = schema
            merged["properties"] = own
        elif key in merged and merged[key] != value and key not in _ANNOTATIONS:
            return False
        else:
            merged.setdefault(key, value)
    return True


def _written(document: dict[str, Any], node: Any, seen: tuple[str, ...]) -> Any:
    """``node`` with its local references written in place; None if one refers to
    itself (or cannot be found)."""
    if isinstance(node, list):
        items = [_written(document, item, seen) for item in node]
        return None if any(item is None for item in items) else items
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        target = _resolved(document, ref)
        if target is None or ref in seen:
            return None
        inlined = _written(document, target, (*seen, ref))
        if not isinstance(inlined, dict):
            return None
        rest = {k: v for k, v in node.items() if k != "$ref"}
        return {**inlined, **rest} if rest else inlined
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _NOT_SCHEMAS:
            out[key] = copy.deepcopy(value)
            continue
        written = _written(document, value, seen)
        if written is None and value is not None:
            return None
        out[key] = written
    return out


def _resolved(document: dict[str, Any], ref: str) -> Any:
    if not ref.startswith("#/"):
        return None
    node: Any = document
    for part in ref[2:].split("/"):
        key = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        elif isinstance(node, dict) and key in node:
            node = node[key]
        else:
            return None
    return node


def _declared(members: list[Any]) -> dict[str, list[Any]]:
    """The properties the members declare (through their ``allOf``, ``oneOf`` and
    ``anyOf`` too: not under ``not``), each with the schemas they give it."""
    found: dict[str, list[Any]] = {}

    def visit(schema: Any) -> None:
        if not isinstance(schema, dict):
            return
        properties = schema.get("properties")
        if isinstance(properties, dict):
            for name, prop in properties.items():
                found.setdefault(name, []).append(prop)
        for keyword in ("allOf", "oneOf", "anyOf"):
            for member in schema.get(keyword) or ():
                visit(member)

    for member in members:
        visit(member)
    return found


def mark_base(schema: dict[str, Any]) -> None:
    """A schema :func:`lift` rewrote derives from :data:`MODEL_BASE` (beside the bases
    other marks gave it)."""
    if MARK not in schema:
        return
    base = schema.get("customBasePath")
    bases = [] if base is None else [base] if isinstance(base, str) else list(base)
    if MODEL_BASE not in bases:
        schema["customBasePath"] = [*bases, MODEL_BASE] if bases else MODEL_BASE


RUNTIME = '''

class MembersModel(SchemaModel):
    """An object with a ``oneOf``/``anyOf`` beside its properties, kept as written in
    ``json_schema_extra["x-members"]``: served there, and a value not valid against
    exactly one member (``oneOf``), or against none (``anyOf``), is refused. The
    properties only members declare (``"added"``) are fields, served in their members."""

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        served = super().__get_pydantic_json_schema__(schema, handler)
        target = handler.resolve_ref_schema(served)
        kept = target.pop("x-members", None)
        if isinstance(kept, Mapping):
            properties = target.get("properties", {})
            for name in kept.get("added", ()):
                properties.pop(name, None)
            target.update({k: v for k, v in kept.items() if k in ("oneOf", "anyOf")})
        return served

    @model_validator(mode="after")
    def _members_hold(self) -> Self:
        extra = type(self).model_config.get("json_schema_extra")
        kept = extra.get("x-members") if isinstance(extra, Mapping) else None
        if not isinstance(kept, Mapping):
            return self
        value = self.model_dump(mode="json", by_alias=True, exclude_unset=True)
        for keyword in ("oneOf", "anyOf"):
            members = kept.get(keyword)
            if not isinstance(members, list):
                continue
            valid = sum(_valid(_json_schema(member), value) for member in members)
            if keyword == "oneOf" and valid != 1:
                raise ValueError(
                    f"valid against {valid} members of its oneOf, not exactly one"
                )
            if keyword == "anyOf" and valid == 0:
                raise ValueError("valid against none of the members of its anyOf")
        return self


def _json_schema(schema: Any) -> Any:
    """An OpenAPI 3.0 ``nullable: true`` as JSON Schema says it (``type`` with null)."""
    if isinstance(schema, list):
        return [_json_schema(item) for item in schema]
    if not isinstance(schema, Mapping):
        return schema
    out = {
        k: v if k in ("enum", "const", "default", "example", "examples") else _json_schema(v)
        for k, v in schema.items()
    }
    if out.pop("nullable", False) is True and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    return out
'''
