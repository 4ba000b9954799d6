"""What changed between the contract last generated from and the one at hand, and which of
those changes break the API's clients.

Breaking: an operation removed; a new required input (parameter, request body, body
field); an input narrowed (types, enum values, lengths, bounds, item counts, a new pattern
or format); a field removed from an answer (a rename is a removal and an addition) or
retyped; the success status changed; authentication or its schemes and scopes changed.
Not breaking: additions, a removed or relaxed input, access opened up. Fields are compared
one level deep: an operation's parameters, its body's and its answer's properties.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from generators import ir
from generators.reading import (
    request_schema,
    resolved,
    schema_properties,
    schema_required,
    success_schema,
)

_UPPER = ("maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties")
_LOWER = ("minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties")


@dataclass(frozen=True)
class Change:
    where: str
    """``POST /tasks``."""
    what: str
    breaking: bool

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


class BreakingChanges(Exception):
    """The contract changed in ways that break clients, and nobody said so was meant."""

    def __init__(self, changes: list[Change]) -> None:
        super().__init__(f"{len(changes)} breaking change(s)")
        self.changes = changes


def compare(old: ir.Api, new: ir.Api) -> list[Change]:
    """Every change from ``old`` to ``new``, breaking or not, in path order."""
    before = {(op.path, op.method): op for op in old.operations}
    after = {(op.path, op.method): op for op in new.operations}
    changes = []
    for key in sorted(before.keys() | after.keys()):
        where = f"{key[1].upper()} {key[0]}"
        if key not in after:
            changes.append(Change(where, "operation removed", True))
        elif key not in before:
            changes.append(Change(where, "operation added", False))
        else:
            changes += [
                Change(where, what, breaking)
                for what, breaking in _operation(old, before[key], new, after[key])
            ]
    return changes


def _operation(
    old_api: ir.Api, old: ir.Operation, new_api: ir.Api, new: ir.Operation
) -> Iterator[tuple[str, bool]]:
    yield from _parameters(old_api, old, new_api, new)
    yield from _body(old_api, old, new_api, new)
    old_status = old.success.status if old.success else None
    new_status = new.success.status if new.success else None
    if old_status != new_status:
        yield f"success status {old_status} → {new_status}", True
    old_answer, new_answer = success_schema(old), success_schema(new)
    if old_answer is not None and new_answer is not None:
        kept = schema_properties(new_api, new_answer)
        for name, schema in schema_properties(old_api, old_answer).items():
            if name not in kept:
                yield f"answer field removed: {name}", True
            elif (reason := _retyped(old_api, schema, new_api, kept[name])) is not None:
                yield f"answer field {name}: {reason}", True
    yield from _security(old, new)


def _parameters(
    old_api: ir.Api, old: ir.Operation, new_api: ir.Api, new: ir.Operation
) -> Iterator[tuple[str, bool]]:
    before = {(p.location, p.name): p for p in old.parameters}
    after = {(p.location, p.name): p for p in new.parameters}
    for key in sorted(before.keys() | after.keys()):
        label = f"{key[0]} parameter {key[1]}"
        was, now = before.get(key), after.get(key)
        if now is None:
            yield f"{label} removed", False
        elif was is None:
            yield f"{label} added" + (" (required)" if now.required else ""), now.required
        else:
            if now.required and not was.required:
                yield f"{label} now required", True
            reason = _narrowed(old_api, was.schema, new_api, now.schema)
            if reason is not None:
                yield f"{label}: {reason}", True


def _body(
    old_api: ir.Api, old: ir.Operation, new_api: ir.Api, new: ir.Operation
) -> Iterator[tuple[str, bool]]:
    was_required = old.request_body is not None and old.request_body.required
    if new.request_body is not None and new.request_body.required and not was_required:
        yield "request body now required", True
    old_body, new_body = request_schema(old), request_schema(new)
    if old_body is None or new_body is None:
        return
    before = schema_properties(old_api, old_body)
    required_before = schema_required(old_api, old_body)
    for name, schema in schema_properties(new_api, new_body).items():
        if name in schema_required(new_api, new_body) and name not in required_before:
            yield f"body field {name} now required", True
        elif (
            name in before
            and (reason := _narrowed(old_api, before[name], new_api, schema)) is not None
        ):
            yield f"body field {name}: {reason}", True


def _security(old: ir.Operation, new: ir.Operation) -> Iterator[tuple[str, bool]]:
    def schemes(operation: ir.Operation) -> set[frozenset[tuple[str, frozenset[str]]]]:
        return {
            frozenset((name, frozenset(scopes)) for name, scopes in requirement.schemes)
            for requirement in operation.security
        }

    if old.is_public and not new.is_public:
        yield "now requires authentication", True
    elif not old.is_public and new.is_public:
        yield "now open to anonymous callers", False
    elif schemes(old) != schemes(new):
        yield "security schemes or scopes changed", True


def _narrowed(
    old_api: ir.Api, old: ir.JsonSchema, new_api: ir.Api, new: ir.JsonSchema
) -> str | None:
    """How ``new`` accepts less than ``old`` did, or None."""
    old, new = resolved(old_api, old), resolved(new_api, new)
    old_types, new_types = _types(old), _types(new)
    if old_types and new_types and not old_types <= new_types:
        return f"type {_shown(old)} → {_shown(new)}"
    if "enum" in new and not set(map(repr, old.get("enum", new["enum"]))) <= set(
        map(repr, new["enum"])
    ):
        return "enum values removed"
    for key in _UPPER:
        if key in new and (key not in old or new[key] < old[key]):
            return f"{key} {old.get(key, 'none')} → {new[key]}"
    for key in _LOWER:
        if key in new and (key not in old or new[key] > old[key]):
            return f"{key} {old.get(key, 'none')} → {new[key]}"
    for key in ("pattern", "format"):
        if key in new and new[key] != old.get(key):
            return f"{key} {old.get(key, 'none')} → {new[key]}"
    return None


def _retyped(
    old_api: ir.Api, old: ir.JsonSchema, new_api: ir.Api, new: ir.JsonSchema
) -> str | None:
    """How an answer's field changed type, or None: clients read what they were told."""
    old, new = resolved(old_api, old), resolved(new_api, new)
    if _types(old) and _types(new) and _types(old) != _types(new):
        return f"type {_shown(old)} → {_shown(new)}"
    return None


def _types(schema: Mapping[str, Any]) -> set[str]:
    kind = schema.get("type")
    types = set(kind) if isinstance(kind, list) else {kind} if kind else set()
    if types and schema.get("nullable"):
        types.add("null")
    if "number" in types:
        types.add("integer")  # a number accepts every integer
    return types


def _shown(schema: Mapping[str, Any]) -> str:
    kind = schema.get("type")
    shown = "|".join(kind) if isinstance(kind, list) else str(kind)
    return shown + ("|null" if schema.get("nullable") else "")
