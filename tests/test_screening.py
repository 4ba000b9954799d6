"""The compiled first look (``generators.loading.screening``): jsonschema does not run on a
document jsonschema-rs finds valid, and jsonschema-rs never finds valid a document in which
jsonschema finds errors (those are the errors reported: a screen that let one through would
lose it)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, cast

import jsonschema
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generators.loading import openapi, screening, spec_validator
from generators.loading.openapi import read_api
from generators.problems import ContractError

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "taskboard" / "openapi.yaml"
TASKBOARD: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
META = jsonschema.Draft202012Validator(jsonschema.Draft202012Validator.META_SCHEMA)


class _Counted:
    """A validator that counts the times its full validation runs."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.schema, self.runs = inner, inner.schema, 0

    def iter_errors(self, instance: Any) -> Any:
        self.runs += 1
        return self.inner.iter_errors(instance)


def test_a_valid_document_is_not_walked_by_jsonschema() -> None:
    counted = _Counted(openapi._official_validator("3.1"))
    assert list(screening.errors(counted, TASKBOARD)) == []
    assert counted.runs == 0


def test_an_invalid_document_gets_jsonschemas_own_errors() -> None:
    broken = copy.deepcopy(TASKBOARD)
    broken["info"] = {"title": "no version"}
    counted = _Counted(openapi._official_validator("3.1"))
    found = list(screening.errors(counted, broken))
    assert counted.runs == 1
    assert [error.message for error in found] == [
        error.message for error in counted.inner.iter_errors(broken)
    ]


def test_what_jsonschema_rs_cannot_read_goes_to_jsonschema() -> None:
    """A key that is no string, a value JSON has not: no answer from the screen."""
    schema = {"type": "object"}
    assert screening.passes(schema, {"a": 1})
    assert not screening.passes(schema, {1: "a"})
    assert not screening.passes({"type": "string"}, b"bytes")


def test_python_regexes_are_not_screened_away() -> None:
    """Python's ``$`` matches before a final newline, jsonschema-rs's does not: the screen
    is the stricter, and jsonschema has the last word (here: valid)."""
    schema = {"$schema": "http://json-schema.org/draft-04/schema#", "pattern": "^[a-z]+$"}
    assert not screening.passes(schema, "name\n")
    assert list(screening.errors(jsonschema.Draft4Validator(schema), "name\n")) == []


def test_a_contract_read_through_the_screen_reports_as_before(tmp_path: Path) -> None:
    """A structural error found past a valid-looking screen: reported with its place."""
    broken = copy.deepcopy(TASKBOARD)
    broken["paths"]["/users"]["get"]["responses"] = {"200": {"content": {}}}
    path = tmp_path / "openapi.yaml"
    path.write_text(yaml.safe_dump(broken, sort_keys=False), encoding="utf-8")
    try:
        read_api(path)
    except ContractError as error:
        pointers = {problem.pointer for problem in error.problems}
    else:
        raise AssertionError("a response without a description was read")
    assert "/paths/~1users/get/responses/200" in pointers


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.floats(-2, 2) | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)
_KEYS = st.sampled_from(["type", "items", "required", "properties", "description", "$ref"])


def _places(node: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value of ``node``."""
    found = [at]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _places(value, (*at, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _places(value, (*at, index))
    return found


def _set(document: Any, at: tuple[Any, ...], value: Any) -> Any:
    if not at:
        return value
    node = document
    for part in at[:-1]:
        node = node[part]
    node[at[-1]] = value
    return document


_SMALL = {
    **{key: TASKBOARD[key] for key in ("openapi", "info")},
    "paths": {"/users": TASKBOARD["paths"]["/users"]},
    "components": {"schemas": {"User": TASKBOARD["components"]["schemas"]["ErrorResponse"]}},
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.sampled_from(["3.0", "3.1"]), _JSON, _KEYS)
def test_the_screen_never_passes_a_document_with_errors(
    data: st.DataObject, minor: str, value: Any, key: str
) -> None:
    """A value put anywhere in a small contract (or a keyword added to an object there):
    whatever jsonschema-rs finds valid, jsonschema does too, for the official OpenAPI
    schemas and for the JSON Schema meta-schema each 3.1 Schema Object is checked against."""
    document = copy.deepcopy(_SMALL)
    document["openapi"] = f"{minor}.0"
    at = data.draw(st.sampled_from(_places(document)[1:]))
    if isinstance(value, dict) and data.draw(st.booleans()):
        value = {key: value}
    document = _set(document, at, value)
    validator = openapi._official_validator(minor)
    if screening.passes(validator.schema, document):
        assert list(validator.iter_errors(document)) == []
    components = document.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    user = schemas.get("User") if isinstance(schemas, dict) else None
    if isinstance(user, dict) and screening.passes(META.schema, user):
        assert list(META.iter_errors(user)) == []


def _library_meta_check(minor: str) -> Any:
    """The checker openapi-spec-validator checks a Schema Object of ``minor`` with."""
    validator = openapi._SPEC_VALIDATORS[minor](cast(Any, {"openapi": f"{minor}.0"}))
    schemas = validator.keyword_validators_registry["schema"]
    return schemas._get_schema_checker(validator.schema_path, {})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.sampled_from(["3.0", "3.1", "3.2"]), _JSON, _KEYS)
def test_the_screen_never_passes_a_schema_the_library_refuses(
    data: st.DataObject, minor: str, value: Any, key: str
) -> None:
    """The library's meta-schema check of each Schema Object (its dialect, its formats:
    a ``pattern`` must compile as a Python regex) is skipped only where it finds nothing."""
    schema = copy.deepcopy(TASKBOARD["components"]["schemas"]["ErrorResponse"])
    schema["properties"]["detail"] = {"type": "string", "pattern": data.draw(_PATTERNS)}
    at = data.draw(st.sampled_from(_places(schema)[1:]))
    if isinstance(value, dict) and data.draw(st.booleans()):
        value = {key: value}
    schema = _set(schema, at, value)
    checker = _library_meta_check(minor)
    if spec_validator._meta_passes(checker, schema):
        checker(schema)  # raises where the library finds an error


_PATTERNS = st.sampled_from(["^[a-z]+$", "(?<year>a)", "(unclosed", "\\p{L}", "a{2,1}"])


def test_the_librarys_meta_check_is_screened() -> None:
    """A valid schema: the screen passes it (the library's check would not run)."""
    for minor in ("3.0", "3.1", "3.2"):
        user = TASKBOARD["components"]["schemas"]["ErrorResponse"]
        assert spec_validator._meta_passes(_library_meta_check(minor), user), minor
