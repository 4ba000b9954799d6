"""Problems found in the contracts: data that carries its location, reported all at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


def pointer(*parts: str | int) -> str:
    """Build an RFC 6901 JSON pointer from path parts (escaping ``~`` and ``/``)."""
    escaped = (str(part).replace("~", "~0").replace("/", "~1") for part in parts)
    return "".join("/" + part for part in escaped)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a contract: where it is and what is wrong."""

    file: str
    pointer: str
    message: str
    line: int | None = None
    severity: Severity = "error"

    def render(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{self.severity}: {where} {self.pointer or '/'}: {self.message}"


class ContractError(Exception):
    """Raised when a contract has errors; carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(ordered(problems))
        super().__init__("\n".join(problem.render() for problem in self.problems))


def ordered(problems: Iterable[Problem]) -> list[Problem]:
    """Each problem once, by file, line and pointer."""
    return sorted(set(problems), key=_order)


def _order(problem: Problem) -> tuple[str, int, str, str]:
    return (problem.file, problem.line or 0, problem.pointer, problem.message)


def errors(problems: Iterable[Problem]) -> list[Problem]:
    return [problem for problem in problems if problem.severity == "error"]
