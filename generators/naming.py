"""Python names for contract names: every template receives only valid identifiers."""

from __future__ import annotations

import keyword
import re

_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_WORD = re.compile(r"[^0-9A-Za-z]+")


def words(name: str) -> list[str]:
    """``dueOn.before`` → ``['due', 'On', 'before']``; ``HTTPCode`` → ``['HTTP', 'Code']``."""
    return [word for part in _NON_WORD.split(name) for word in _BOUNDARY.split(part) if word]


def snake(name: str) -> str:
    """A valid snake_case identifier: ``if-match`` → ``if_match``, ``class`` → ``class_``."""
    identifier = "_".join(word.lower() for word in words(name)) or "value"
    if identifier[0].isdigit():
        identifier = "n" + identifier
    return identifier + "_" if keyword.iskeyword(identifier) else identifier


def pascal(name: str) -> str:
    """A valid PascalCase identifier: ``task-board`` → ``TaskBoard``."""
    identifier = "".join(word[:1].upper() + word[1:] for word in words(name)) or "Value"
    return "N" + identifier if identifier[0].isdigit() else identifier


def constant(name: str) -> str:
    return snake(name).upper().rstrip("_")
