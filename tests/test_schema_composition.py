"""Schema composition served and enforced as the contract says: ``oneOf``/``anyOf``/
``allOf``/``not``, discriminators, ``const``/``enum``, nullability and
``additionalProperties``.

First the fidelity check's normalisations on hand-built document pairs (each one sound:
both forms accept the same values), then small contracts generated into models whose
served schema and validation are checked.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.test_fidelity import body, contract_doc, differences, ok, served_doc


def _compare(ours: dict[str, Any], theirs: dict[str, Any], **extra: Any) -> list[str]:
    return differences(
        contract_doc({"requestBody": body(ours), "responses": ok()}, **extra),
        served_doc({"requestBody": body(theirs), "responses": ok()}, **extra),
    )


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        # additionalProperties {} (or documentation only) accepts every value: the default
        (
            {"type": "object", "additionalProperties": {}},
            {"type": "object"},
        ),
        (
            {"type": "object", "additionalProperties": {"description": "anything"}},
            {"type": "object", "additionalProperties": True},
        ),
        # oneOf of distinct consts (xero-webhooks' eventType) is the enum of their values
        (
            {
                "type": "string",
                "oneOf": [
                    {"type": "string", "const": "CREATE", "description": "created"},
                    {"type": "string", "const": "UPDATE"},
                ],
            },
            {"type": "string", "enum": ["CREATE", "UPDATE"]},
        ),
        (
            {"anyOf": [{"const": 1}, {"enum": [2, 3]}, {"const": 1}]},
            {"enum": [1, 2, 3]},
        ),
    ],
)
def test_equivalent_composition_forms(ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    assert _compare(ours, theirs) == []


@pytest.mark.parametrize(
    ("ours", "theirs", "expected"),
    [
        # additionalProperties that constrains is not the default
        (
            {"type": "object", "additionalProperties": {"type": "string"}},
            {"type": "object"},
            'additionalProperties {"type": "string"} != absent',
        ),
        # a value two oneOf members list is rejected by the oneOf: not an enum
        (
            {"oneOf": [{"const": "a"}, {"enum": ["a", "b"]}]},
            {"enum": ["a", "b"]},
            "oneOf",
        ),
        # a member with more than values (a pattern) is not folded
        (
            {"oneOf": [{"const": "a"}, {"type": "string", "pattern": "^b"}]},
            {"enum": ["a", "b"]},
            "oneOf",
        ),
    ],
)
def test_composition_forms_that_differ_are_reported(
    ours: dict[str, Any], theirs: dict[str, Any], expected: str
) -> None:
    found = _compare(ours, theirs)
    assert any(expected in line for line in found), found
