"""A concrete path is tried before a templated one that would take its requests
(``generators/emit/route_order.py``), within a router module and across modules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from generators import ir
from generators.emit.route_order import goes_first, in_route_order, module_order
from generators.generate import generate
from tests.helpers import lay_out_template, send_requests


def operation(method: str, path: str, operation_id: str = "") -> ir.Operation:
    return ir.Operation(
        operation_id=operation_id or f"{method} {path}",
        method=method,
        path=path,
        tags=(),
        summary=None,
        description=None,
        parameters=(),
        request_body=None,
        responses=(),
        security=(),
        pointer="",
    )


def test_a_concrete_path_goes_before_the_templated_one_that_takes_its_requests() -> None:
    mine, any_pet = operation("get", "/pets/mine"), operation("get", "/pets/{petId}")
    assert goes_first(mine, any_pet) and not goes_first(any_pet, mine)
    assert not goes_first(operation("post", "/pets/mine"), any_pet)  # another method
    assert not goes_first(operation("get", "/pets/mine/toys"), any_pet)  # another length
    photo = operation("get", "/pets/{petId}/photo")
    assert goes_first(photo, operation("get", "/pets/{petId}/{part}"))
    crossed = operation("get", "/a/{x}/c"), operation("get", "/a/b/{y}")
    assert not goes_first(*crossed) and not goes_first(*reversed(crossed))  # neither


def test_only_what_must_move_moves() -> None:
    listed = [
        operation("get", "/pets/{petId}"),
        operation("get", "/owners"),
        operation("get", "/pets/mine"),
        operation("get", "/pets/{petId}/photo"),
    ]
    ordered = in_route_order(listed)
    assert [(op.path, moved) for op, moved in ordered] == [
        ("/pets/mine", True),
        ("/pets/{petId}", False),
        ("/owners", False),
        ("/pets/{petId}/photo", False),
    ]
    kept = [operation("get", "/pets/mine"), operation("get", "/pets/{petId}")]
    assert [moved for _, moved in in_route_order(kept)] == [False, False]


def test_modules_are_included_in_name_order_unless_one_must_go_first() -> None:
    pets = [operation("get", "/pets/{petId}")]
    assert module_order({"b": pets, "a": [operation("get", "/owners")]}) == ["a", "b"]
    assert module_order({"a": pets, "b": [operation("get", "/pets/mine")]}) == ["b", "a"]
    crossed = {
        "a": [operation("get", "/x/{id}"), operation("get", "/y/mine")],
        "b": [operation("get", "/x/mine"), operation("get", "/y/{id}")],
    }
    assert module_order(crossed) == ["a", "b"]  # no order serves both: name order


def integer_in_path(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


CONTRACT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Route order", "version": "1"},
    "paths": {
        "/pets/{petId}": {
            "get": {
                "operationId": "getPet",
                "tags": ["catalog"],
                "parameters": [integer_in_path("petId")],
                "responses": {"204": {"description": "The pet"}},
            }
        },
        "/pets/mine": {
            "get": {
                "operationId": "listMyPets",
                "tags": ["search"],
                "responses": {"204": {"description": "My pets"}},
            }
        },
        "/items/{itemId}": {
            "get": {
                "operationId": "getItem",
                "tags": ["catalog"],
                "parameters": [integer_in_path("itemId")],
                "responses": {"204": {"description": "The item"}},
            }
        },
        "/items/latest": {
            "get": {
                "operationId": "getLatestItem",
                "tags": ["catalog"],
                "responses": {"204": {"description": "The latest item"}},
            }
        },
    },
}


def test_each_request_reaches_its_own_operation(tmp_path: Path) -> None:
    """``/pets/mine`` (module search, after catalog by name) and ``/items/latest``
    (declared after ``/items/{itemId}`` in module catalog) reach their own services, not
    the templated route's (which answered 422: ``mine`` is no integer)."""
    lay_out_template(tmp_path)
    spec = tmp_path / "specs" / "openapi.yaml"
    spec.write_text(yaml.safe_dump(CONTRACT, sort_keys=False), "utf-8")
    generate(spec, None, tmp_path)
    requests = {
        name: ("GET", url, {})
        for name, url in {
            "listMyPets": "/pets/mine",
            "getPet": "/pets/7",
            "getLatestItem": "/items/latest",
            "getItem": "/items/7",
        }.items()
    }
    answers = send_requests(tmp_path, requests)["responses"]
    for name, (status, body) in answers.items():
        assert status == 501 and f"'{name}'" in body["detail"], (name, status, body)
