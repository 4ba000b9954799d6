"""generators.emit.syntax: the statements a pass reads, parsed alone where they are few."""

from __future__ import annotations

import ast
from collections.abc import Sequence

import pytest

from generators.emit import syntax

FILLER = "".join(f"class Filler{n}(BaseModel):\n    value: int = {n}\n\n\n" for n in range(40))
MODULE = f'''# generated from specs/openapi.yaml — do not edit
from __future__ import annotations

from typing import Annotated, TypeAliasType

from pydantic import BaseModel, Field, RootModel


@serves(format="uri")
@serves(readOnly=True)
class Link(RootModel[str]):
    root: str


class Pet(
    BaseModel
):
    name: Annotated[str, Field(description="A name.")] = "Rex"
    tags: list[str] | None = None


{FILLER}Tags = TypeAliasType("Tags", list[str])
Count: TypeAlias = int


class Note(BaseModel):
    """A text
that runs to the first column."""

    text: str
'''


def _dumped(nodes: Sequence[ast.stmt]) -> list[str]:
    return [ast.dump(node, include_attributes=True) for node in nodes]


def _whole(names: set[str]) -> list[ast.stmt]:
    return [
        node
        for node in ast.parse(MODULE).body
        if getattr(node, "name", None) in names
        or any(getattr(t, "id", None) in names for t in getattr(node, "targets", ()))
        or getattr(getattr(node, "target", None), "id", None) in names
    ]


@pytest.mark.parametrize(
    "names",
    [{"Link"}, {"Pet", "Tags"}, {"Count", "Link", "Missing"}, {"Note"}, {"Filler3", "Note"}],
)
def test_named_statements_are_those_of_the_whole_tree(names: set[str]) -> None:
    """The same nodes at the same lines and columns: a decorated class, a class whose
    bases ruff wrapped, an alias, an annotated assignment, a class with a line at the
    first column inside its docstring (read from the whole tree)."""
    found = syntax.named_statements(MODULE, names)
    assert _dumped(found) == _dumped(_whole(names))
    assert found


def test_a_few_named_statements_are_parsed_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    def whole(code: str) -> ast.Module:
        raise AssertionError("the whole module parsed for a few of its statements")

    monkeypatch.setattr(syntax, "parsed", whole)
    link, pet = syntax.named_statements(MODULE, {"Link", "Pet"})
    assert isinstance(link, ast.ClassDef) and isinstance(pet, ast.ClassDef)
    assert [link.lineno, *(n.lineno for n in link.decorator_list), pet.lineno] == [11, 9, 10, 15]
    assert len(syntax.imports(MODULE)) == 3


def test_a_statement_cut_short_or_many_are_read_from_the_whole_tree(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parses: list[str] = []
    whole = syntax.parsed

    def counted(code: str) -> ast.Module:
        parses.append(code)
        return whole(code)

    monkeypatch.setattr(syntax, "parsed", counted)
    syntax.named_statements(MODULE, {"Note"})  # its docstring's line at the first column
    assert len(parses) == 1
    fillers = {f"Filler{n}" for n in range(40)}
    assert _dumped(syntax.named_statements(MODULE, fillers)) == _dumped(_whole(fillers))
    assert len(parses) == 2  # most of the module: one parse of it costs less


def test_imports_are_those_of_the_whole_tree() -> None:
    expected = [n for n in ast.parse(MODULE).body if isinstance(n, ast.Import | ast.ImportFrom)]
    assert _dumped(syntax.imports(MODULE)) == _dumped(expected)
