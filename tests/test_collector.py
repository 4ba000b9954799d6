"""The garbage collector paused while a parser builds a tree (generators.collector)."""

from __future__ import annotations

import ast
import gc
from collections.abc import Iterator
from typing import Any

import pytest

from generators import collector
from generators.emit import syntax
from generators.loading.document import load_document
from tests.helpers import EXAMPLE_API


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generation of each collection that starts while the test runs."""
    started: list[int] = []

    def record(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.callbacks.append(record)
    try:
        yield started
    finally:
        gc.callbacks.remove(record)


def test_paused_restores_the_collector_as_it_found_it() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector.paused():
        assert not gc.isenabled()
        with collector.paused():
            pass
        assert not gc.isenabled()  # an inner block leaves the outer one's pause
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()  # disabled before: left disabled
    finally:
        gc.enable()


def test_a_contract_is_composed_and_a_module_parsed_without_collections(
    collections: list[int],
) -> None:
    """The example contract (YAML) and a module of 3,000 classes each make thousands of
    objects: many collections of the youngest where the collector runs (the module parsed
    as it is, below), at most the one deferred to the end of the block where it is paused."""
    code = "".join(f"class C{n}(Base):\n    a: int = {n}\n    b: list[str]\n" for n in range(3000))
    load_document(EXAMPLE_API)
    assert len(collections) <= 1
    collections.clear()
    syntax.parsed(code)
    assert len(collections) <= 1
    collections.clear()
    ast.parse(code)
    assert len(collections) > 1
