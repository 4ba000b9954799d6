"""Imports are data: collected while names are chosen, printed once in isort order."""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

FIRST_PARTY = ("src", "specs")


def _section(module: str) -> int:
    top = module.split(".")[0]
    if top == "__future__":
        return 0
    if top in sys.stdlib_module_names:
        return 1
    return 3 if top in FIRST_PARTY else 2


def _name_key(name: str) -> tuple[int, list[tuple[int, int, str]], str]:
    """ruff's isort order: by type (CONSTANTS, then Classes, then functions and
    variables), then case-insensitively in natural order (``SDKMessage`` after
    ``ScheduledEvent``, ``V2`` before ``V10``), then as written."""
    natural = [
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.split(r"(\d+)", name.lower())
        if part
    ]
    if name.isupper() and len(name) > 1:
        return (0, natural, name)
    return (1, natural, name) if name[:1].isupper() else (2, natural, name)


@dataclass
class Imports:
    names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    modules: set[str] = field(default_factory=set)

    def add(self, module: str, *names: str) -> None:
        if names:
            self.names[module].update(names)
        else:
            self.modules.add(module)

    def update(self, other: Imports) -> None:
        """Add every import ``other`` has."""
        for module, names in other.names.items():
            self.add(module, *names)
        self.modules |= other.modules

    def discard(self, module: str, *names: str) -> None:
        """Forget a module (or only some names imported from it)."""
        if not names:
            self.names.pop(module, None)
            self.modules.discard(module)
            return
        remaining = self.names.get(module, set()) - set(names)
        if remaining:
            self.names[module] = remaining
        else:
            self.names.pop(module, None)

    def render(self) -> str:
        # ruff's isort order within a section: `import m` lines first, then `from m import`
        # lines by module, then by their first name (an `as` line is one name: ``from m
        # import Query as QuerySchema`` comes before ``from m import SearchHit``), then by
        # the alias (the plain line before an aliased one of the same name)
        sections: dict[int, list[tuple[tuple[Any, ...], str]]] = defaultdict(list)
        for module in self.modules:
            sections[_section(module)].append(((0, module), f"import {module}"))
        for module, names in self.names.items():
            plain = sorted((name for name in names if " as " not in name), key=_name_key)
            if plain:
                key = (1, module, _name_key(plain[0]), (0, ""))
                sections[_section(module)].append((key, f"from {module} import {', '.join(plain)}"))
            for name in names - set(plain):  # one line each
                member, alias = name.split(" as ")
                key = (1, module, _name_key(member), (1, alias))
                sections[_section(module)].append((key, f"from {module} import {name}"))
        blocks = [
            "\n".join(line for _, line in sorted(lines)) for _, lines in sorted(sections.items())
        ]
        return "\n\n".join(blocks)
