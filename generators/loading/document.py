"""Parsed contract files that remember on which line every JSON pointer starts."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generators.collector import paused
from generators.problems import ContractError, Problem, Severity, pointer


class _ContractLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML loader for contracts: JSON-compatible values only.

    Timestamps stay strings (``2026-01-06`` is an example value, not a ``date``), and
    non-string mapping keys such as ``200:`` or ``true:`` are normalised to strings.
    libyaml parses where it is installed (ten times faster on a large contract: the line map
    composes the whole file); the resolvers and constructors are the same Python ones.
    """


_ContractLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _ContractLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    return {_key(key): value for key, value in mapping.items()}


def _key(key: object) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


_ContractLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass(frozen=True)
class Document:
    """One contract file: its data and the line (1-based) where each pointer starts."""

    file: str
    data: Any
    lines: Mapping[str, int] = field(default_factory=dict)
    origins: Mapping[str, tuple[Document, str]] = field(default_factory=dict)
    """Of a contract bundled from several files: where each part of ``data`` comes from
    (pointer here → the file and the pointer there); the parts below follow."""

    def source(self, at: str) -> tuple[Document, str]:
        """The file that holds ``at`` and the pointer of it there."""
        probe = at
        while self.origins:
            if probe in self.origins:
                document, base = self.origins[probe]
                return document, base + at[len(probe) :]
            if not probe:
                break
            probe = probe.rsplit("/", 1)[0]
        return self, at

    def line(self, at: str) -> int | None:
        """The line of ``at``, or of its nearest ancestor that has one."""
        document, at = self.source(at)
        while True:
            if at in document.lines:
                return document.lines[at]
            if not at:
                return None
            at = at.rsplit("/", 1)[0]

    def problem(self, at: str, message: str, *, warning: bool = False) -> Problem:
        """A problem at ``at``, named in the file that holds it."""
        document, inner = self.source(at)
        severity: Severity = "warning" if warning else "error"
        return Problem(document.file, inner, message, document.line(inner), severity)

    def resolve(self, at: str) -> Any:
        """The value at a local JSON pointer; ``KeyError`` when it does not exist."""
        node = self.data
        for raw in at.split("/")[1:] if at else []:
            part = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, Mapping) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                raise KeyError(at)
        return node


def load_document(path: Path, display: str | None = None) -> Document:
    """Parse a YAML or JSON contract; an unreadable file raises ``ContractError``."""
    file = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ContractError([Problem(file, "", f"cannot read the file: {exc.strerror}")]) from exc
    except UnicodeDecodeError as exc:
        raise ContractError([Problem(file, "", "the file is not UTF-8 text")]) from exc
    return parse_document(text, file, json_only=path.suffix == ".json")


def parse_document(text: str, file: str, *, json_only: bool = False) -> Document:
    try:
        data, mapped = _parsed(text, json_only=json_only)
    except json.JSONDecodeError as exc:
        raise ContractError([Problem(file, "", f"invalid JSON: {exc.msg}", exc.lineno)]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise ContractError([Problem(file, "", f"invalid YAML: {reason}", line)]) from exc
    if not isinstance(data, dict):
        raise ContractError([Problem(file, "", "the document must be a mapping (an object)")])
    lines, duplicates = mapped if mapped is not None else _json_line_map(text)
    if duplicates:
        raise ContractError(
            Problem(file, at, f"duplicate key {_unescaped(at)!r}: the first would be lost", line)
            for at, line in duplicates
        )
    return Document(file, data, lines)


def _unescaped(at: str) -> str:
    """The last key of a JSON pointer as written (``~1auth~1me`` is ``/auth/me``)."""
    return at.rsplit("/", 1)[1].replace("~1", "/").replace("~0", "~")


LineMap = tuple[dict[str, int], list[tuple[str, int]]]
"""The line each pointer starts on, and the keys written twice in one mapping (``_lines``)."""


def _parsed(text: str, *, json_only: bool) -> tuple[Any, LineMap | None]:
    """A contract's data, and its line map where it was read as YAML. A text that is JSON
    is read as JSON whatever the file's name (a JSON contract copied to
    ``specs/openapi.yaml``): YAML parsers refuse the escaped surrogate pairs
    (``"\\ud83d\\udc4d"``: Twilio) that JSON allows. YAML is composed once, for the data
    and the line map both (what ``yaml.load`` does, with the map in between: composing a
    large contract takes seconds), the garbage collector paused (``collector.paused``)."""
    with paused():
        if json_only:
            return json.loads(text), None
        if text.lstrip().startswith("{"):
            with contextlib.suppress(json.JSONDecodeError):  # else a YAML flow mapping
                return json.loads(text), None
        loader = _ContractLoader(text)
        try:
            root = loader.get_single_node()
            mapped = _line_map(root)  # first: constructing flattens merge keys (<<) in place
            return (loader.construct_document(root) if root is not None else None), mapped
        finally:
            loader.dispose()


def _line_map(root: yaml.Node | None) -> LineMap:
    """Map every pointer to the line it starts on, and list the keys that appear twice in
    one mapping (parsers silently keep the last)."""
    lines: dict[str, int] = {}
    duplicates: list[tuple[str, int]] = []
    stack: list[tuple[yaml.Node, str]] = [(root, "")] if root is not None else []
    while stack:
        node, at = stack.pop()
        lines.setdefault(at, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()  # per mapping: the keys of a repeated one are not repeats
            for key, value in node.value:
                child = at + pointer(_key(key.value))
                if child in seen:
                    duplicates.append((child, key.start_mark.line + 1))
                    continue  # its own keys would be reported again, against the first's
                seen.add(child)
                lines[child] = key.start_mark.line + 1
                stack.append((value, child))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, f"{at}/{index}") for index, item in enumerate(node.value))
    return lines, sorted(duplicates)


_JSON_TOKEN = re.compile(
    r'(?P<string>"(?:[^"\\]|\\.)*")(?P<key>\s*:)?|(?P<open>[{[])|(?P<close>[}\]])'
    r'|(?P<bare>[^\s{}\[\],:"]+)'
)
"""A JSON text's tokens, but commas and the colons after keys: a string (a key where a
colon follows), a bracket, or a bare scalar (number, ``true``, ``false``, ``null``)."""


@dataclass(slots=True)
class _Open:
    """An object or array being read: its pointer (None: inside a repeated key's value,
    whose lines are not mapped), the keys it has (None: an array), the items it has."""

    at: str | None
    keys: set[str] | None
    items: int = 0


def _json_line_map(text: str) -> LineMap:
    """The line map of a JSON text, as :func:`_line_map` makes it of the text composed as
    YAML (YAML is a superset of JSON), read from the text's tokens instead: composing
    builds a node for every value (0.7 s on pagerduty's 2.7 MB contract), the tokens take
    a fraction of that. For a text that parsed as JSON: its tokens are well formed."""
    lines: dict[str, int] = {}
    duplicates: list[tuple[str, int]] = []
    open_: list[_Open] = []
    value_at: str | None = ""  # where the next value is: the root's, then a key's
    line, counted = 1, 0  # the line at offset ``counted``
    for token in _JSON_TOKEN.finditer(text):
        kind = token.lastgroup
        if kind == "close":
            open_.pop()
            continue
        inner = open_[-1] if open_ else None
        if kind == "key" and inner is not None and inner.keys is not None:
            start = token.start()
            line += text.count("\n", counted, start)
            counted = start
            written = token["string"]
            name = json.loads(written) if "\\" in written else written[1:-1]
            child = None if inner.at is None else inner.at + pointer(name)
            if child is not None and child in inner.keys:
                duplicates.append((child, line))
                child = None  # its own keys would be reported again, against the first's
            elif child is not None:
                inner.keys.add(child)
                lines[child] = line
            value_at = child
            continue
        if inner is None or inner.keys is None:  # the root, or an array's item: its line
            if inner is not None:
                value_at = None if inner.at is None else f"{inner.at}/{inner.items}"
                inner.items += 1
            if value_at is not None:
                start = token.start()
                line += text.count("\n", counted, start)
                counted = start
                lines.setdefault(value_at, line)
        if kind == "open":
            open_.append(_Open(value_at, set() if token[0] == "{" else None))
    return lines, sorted(duplicates)
