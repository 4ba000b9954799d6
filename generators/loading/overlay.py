"""OpenAPI Overlay 1.0 documents: changes to a contract kept beside it, applied at load.

A user who does not own a published contract keeps the hints the fillers read (``x-crud``,
``x-auth``, ``x-owner``, ``x-roles``) and fixes (``security: []`` on a login) in an
Overlay document, ``specs/overlay.yaml`` in a project, instead of editing the contract.
It is applied right after the contract is read (and bundled, so targets see one
document), before anything checks or builds it: everything downstream reads the overlaid
contract, and the generator writes it out as ``specs/openapi.overlaid.yaml`` for the
project's own tools (``generators.emit.overlaid``). This module is the only applier.

Semantics, from the Overlay Specification 1.0.0 (1.1.0's clarifications where 1.0.0 is
silent): the actions apply in order, each to the result of the one before; a ``target``
is an RFC 9535 JSONPath query; ``remove: true`` removes every node it selects from the
object or array holding it; otherwise ``update`` is merged into each selected object
(keys only in the update are added, objects merge recursively, arrays are concatenated,
a primitive replaces a primitive; anything else is an error) or appended, as one entry,
to each selected array. A target must select objects or arrays; one that selects nothing
changes nothing and is warned about. ``extends`` is informational: the overlay applies to
the contract it is given with.

JSONPath is ``jsonpath-rfc9535``: it implements RFC 9535 and only it (filters such as
``$.paths.*[?@.operationId=='login']``, the standard function extensions, normalized
paths of the nodes it selects), which the Overlay Specification names; the richer
dialects of other libraries would accept targets that other Overlay tools refuse.

A problem names the overlay file and the action's pointer there (``/actions/2/update``);
a problem that validation later finds in what an action added names that action too
(``Document.origins``).
"""

from __future__ import annotations

import copy
import difflib
import json
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonpath_rfc9535 as jsonpath
import jsonschema
from jsonschema.exceptions import ValidationError

from generators.loading.document import Document, load_document
from generators.problems import ContractError, Problem, errors, pointer

VERSIONS = "1.0.x"
"""The Overlay Specification versions read."""


@cache
def overlay_schema() -> dict[str, Any]:
    """The JSON Schema of an Overlay 1.0 document (``generators/overlay.schema.json``)."""
    text = resources.files("generators").joinpath("overlay.schema.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


def load_overlay(path: Path, display: str | None = None) -> Document:
    """An Overlay document, checked; ``ContractError`` naming every problem otherwise."""
    document = load_document(path, display)
    problems = validate_overlay(document)
    if errors(problems):
        raise ContractError(problems)
    return document


def validate_overlay(document: Document) -> list[Problem]:
    """The document against the Overlay 1.0 schema, then each target as a JSONPath query."""
    validator = jsonschema.Draft202012Validator(overlay_schema())
    found = validator.iter_errors(document.data)
    problems = [problem for error in found for problem in _explain(document, error)]
    actions = document.data.get("actions")
    for index, action in enumerate(actions if isinstance(actions, list) else ()):
        target = action.get("target") if isinstance(action, Mapping) else None
        if not isinstance(target, str):
            continue
        try:
            jsonpath.compile(target)
        except jsonpath.JSONPathError as error:
            message = f"{target!r} is not an RFC 9535 JSONPath query: {error}"
            problems.append(document.problem(pointer("actions", index, "target"), message))
    return problems


def _explain(document: Document, error: ValidationError) -> list[Problem]:
    at = pointer(*error.absolute_path)
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    if error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
        allowed = sorted(schema.get("properties", {}))
        return [
            document.problem(at + pointer(key), f"unknown key {key!r}{_hint(key, allowed)}")
            for key in error.instance
            if key not in allowed and not str(key).startswith("x-")
        ]
    if error.validator == "pattern" and at == "/overlay":
        message = f"expected an Overlay {VERSIONS} document, found overlay: {error.instance!r}"
        return [document.problem(at, message)]
    return [document.problem(at, error.message)]


def _hint(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def apply_overlay(contract: Document, overlay: Document) -> tuple[Document, list[Problem]]:
    """The contract with the overlay's actions applied, in order, and the warnings of doing
    so; ``ContractError`` when an action cannot apply. Neither document is changed."""
    applier = _Applier(contract, overlay)
    for index, action in enumerate(overlay.data["actions"]):
        applier.apply(pointer("actions", index), action)
    if errors(applier.problems):
        raise ContractError(applier.problems)
    overlaid = Document(contract.file, applier.data, contract.lines, applier.origins)
    return overlaid, applier.problems


class _Applier:
    def __init__(self, contract: Document, overlay: Document) -> None:
        self.contract = contract
        self.overlay = overlay
        self.data = copy.deepcopy(contract.data)
        # Where each part of the result comes from: the contract's own (or its bundle's),
        # and what an action added, named in the overlay.
        self.origins: dict[str, tuple[Document, str]] = dict(contract.origins) or {
            "": (contract, "")
        }
        self.problems: list[Problem] = []

    def apply(self, at: str, action: Mapping[str, Any]) -> None:
        target = action["target"]
        nodes = list(jsonpath.compile(target).finditer(self.data))
        if not nodes:
            message = (
                f"{target} selects nothing in {self.contract.file}: the action changed nothing"
            )
            self.problems.append(self.overlay.problem(at + "/target", message, warning=True))
            return
        if action.get("remove") is True:
            self._remove(at, [node.location for node in nodes])
        elif "update" in action:
            for node in nodes:
                self._update(at, node.location, node.value, action["update"])
        else:
            message = "the action has neither update nor remove: true, and changes nothing"
            self.problems.append(self.overlay.problem(at, message, warning=True))

    def _error(self, at: str, message: str) -> None:
        self.problems.append(self.overlay.problem(at, message))

    def _remove(self, at: str, locations: list[tuple[str | int, ...]]) -> None:
        if any(not location for location in locations):
            self._error(at + "/target", "selects the document's root, which cannot be removed")
            return
        # Every parent is found before anything is removed, and an array's items from the
        # last one first, so an index selected stays the index of the item selected.
        found: dict[tuple[int, str | int], tuple[Any, str | int, str]] = {}
        for location in locations:
            parent = self.data
            for part in location[:-1]:
                parent = parent[part]
            found[(id(parent), location[-1])] = (parent, location[-1], pointer(*location))
        for parent, key, where in sorted(found.values(), key=_last_first):
            if isinstance(parent, list):
                del parent[int(key)]
                where = where.rsplit("/", 1)[0]  # the items after it moved
            else:
                parent.pop(key, None)
            self.origins = {
                p: origin
                for p, origin in self.origins.items()
                if not (p == where or p.startswith(where + "/"))
            }

    def _update(self, at: str, location: tuple[str | int, ...], node: Any, value: Any) -> None:
        where = pointer(*location)
        shown = f"{where or '/'} of {self.contract.file}"
        if isinstance(node, dict):
            if isinstance(value, dict):
                self._merge(node, value, where, at + "/update")
            else:
                self._error(
                    at + "/update",
                    f"the target selects the object at {shown}: update must be an object "
                    f"to merge into it, not {_kind(value)}",
                )
        elif isinstance(node, list):
            node.append(copy.deepcopy(value))
            self.origins[f"{where}/{len(node) - 1}"] = (self.overlay, at + "/update")
        else:
            self._error(
                at + "/target",
                f"selects {_kind(node)} at {shown}: an Overlay 1.0 target selects objects or "
                "arrays; select the object holding it and update that property",
            )

    def _merge(self, node: dict[str, Any], value: Mapping[str, Any], where: str, at: str) -> None:
        for key, new in value.items():
            here, there = where + pointer(key), at + pointer(key)
            old = node.get(key)
            if key not in node or (_primitive(old) and _primitive(new)):
                node[key] = copy.deepcopy(new)
                self.origins[here] = (self.overlay, there)
            elif isinstance(old, dict) and isinstance(new, dict):
                self._merge(old, new, here, there)
            elif isinstance(old, list) and isinstance(new, list):
                for index, item in enumerate(new):
                    old.append(copy.deepcopy(item))
                    self.origins[f"{here}/{len(old) - 1}"] = (self.overlay, f"{there}/{index}")
            elif new is None:
                continue  # an empty placeholder, as the specification's structured example has
            else:
                self._error(
                    there,
                    f"cannot merge {_kind(new)} into {_kind(old)} at {here} of "
                    f"{self.contract.file}: remove it first (an action with "
                    "remove: true before this one), then add the new value",
                )


def _last_first(entry: tuple[Any, str | int, str]) -> tuple[int, int]:
    """Array items from the highest index down (dictionary keys in any order)."""
    _, key, _ = entry
    return (0, -key) if isinstance(key, int) else (1, 0)


def _primitive(value: Any) -> bool:
    return not isinstance(value, dict | list)


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "null"
