"""openapi-spec-validator, with the place of every error it finds in a schema.

Its schema checks (the value of each ``default`` against its schema, the meta-schema of each
schema, ``required`` names no ``allOf`` member defines) run sub-validators on the schema alone,
so their errors carry a path relative to that schema, or none: reported as they come, they
all sat at ``/``, line 1. Here the schema checker is the library's own, subclassed to prefix
each error's path with the schema's path (the route the library walked, through ``$ref``s),
and ``real_path`` turns that route into the place the value is written in the document.
The checks of a parameter list and of an operation report some errors with no path at
all (a parameter declared twice): those are placed at the list's entry or the operation.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from functools import partial
from typing import Any

from jsonschema.exceptions import ValidationError
from jsonschema_path import SchemaPath
from openapi_schema_validator._specifications import REGISTRY as OPENAPI_SPECIFICATIONS
from openapi_schema_validator.validators import check_openapi_schema
from openapi_spec_validator import (
    OpenAPIV30SpecValidator,
    OpenAPIV31SpecValidator,
    OpenAPIV32SpecValidator,
)
from openapi_spec_validator.validation import keywords
from openapi_spec_validator.validation.exceptions import (
    DuplicateOperationIDError,
    ExtraParametersError,
    OpenAPIValidationError,
    ParameterDuplicateError,
)
from openapi_spec_validator.validation.validators import SpecValidator

from generators.loading import screening


def _prefixed(error: ValidationError, prefix: Sequence[Any]) -> ValidationError:
    """``error`` (as the library's own error type) with ``prefix`` before its path."""
    if not isinstance(error, OpenAPIValidationError):
        error = OpenAPIValidationError.create_from(error)
    error.path = error.relative_path = deque([*prefix, *error.relative_path])
    return error


class _LocatedSchemaChecks:
    """Mixin for the library's schema checker: every error with its schema's path."""

    def __call__(
        self, schema: SchemaPath, require_properties: bool = True, meta_checked: bool = False
    ) -> Iterator[ValidationError]:
        errors = super().__call__(schema, require_properties, meta_checked)  # type: ignore[misc]
        for error in errors:
            if getattr(error, "_located", False):
                yield error
                continue
            tail = ("required",) if isinstance(error, ExtraParametersError) else ()
            error = _prefixed(error, (*schema.parts, *tail))
            error._located = True  # type: ignore[attr-defined]
            yield error

    @property
    def default_validator(self) -> keywords.ValueValidator:
        return _LocatedDefaults(super().default_validator)  # type: ignore[misc]

    def _validate_schema_meta(
        self, schema: SchemaPath, schema_value: Any
    ) -> OpenAPIValidationError | None:
        """The library's check of a schema against its dialect's meta-schema (and formats),
        where jsonschema-rs finds errors (``screening``): on every schema of a 3.1 contract,
        most of the library's time."""
        try:
            checker = self._get_schema_checker(schema, schema_value)  # type: ignore[attr-defined]
        except ValueError:
            checker = None
        if checker is not None and _meta_passes(checker, schema_value):
            return None
        found: OpenAPIValidationError | None = super()._validate_schema_meta(  # type: ignore[misc]
            schema, schema_value
        )
        return found


def _meta_passes(checker: Any, schema_value: Any) -> bool:
    """Whether jsonschema-rs finds ``schema_value`` valid where ``checker`` would check it:
    the library's ``check_schema`` of an OpenAPI validator class (its ``META_SCHEMA``, the
    OpenAPI dialects' registry, its format checker or the one given). Any other checker
    is not screened."""
    function = checker.func if isinstance(checker, partial) else checker
    owner = getattr(function, "__self__", None)
    if getattr(function, "__func__", None) is not check_openapi_schema or owner is None:
        return False
    format_checker = owner.FORMAT_CHECKER
    if isinstance(checker, partial):
        format_checker = checker.keywords.get("format_checker", format_checker)
    return screening.passes(
        owner.META_SCHEMA,
        schema_value,
        format_checker=format_checker,
        resources=_DIALECTS,
    )


_DIALECTS = [(uri, OPENAPI_SPECIFICATIONS.contents(uri)) for uri in OPENAPI_SPECIFICATIONS]
"""The meta-schemas the OpenAPI dialects refer to (JSON Schema's own, jsonschema-rs has)."""


class _LocatedDefaults(keywords.ValueValidator):
    """The library's check of a ``default`` against its schema, each error placed at it."""

    def __init__(self, inner: keywords.ValueValidator) -> None:
        super().__init__(inner.registry)
        self.inner = inner

    def __call__(self, schema: SchemaPath, value: Any) -> Iterator[ValidationError]:
        for error in self.inner(schema, value):
            located = _prefixed(error, (*schema.parts, "default"))
            located._located = True  # type: ignore[attr-defined]
            yield located


class _V30Schema(_LocatedSchemaChecks, keywords.OpenAPIV30SchemaValidator):
    pass


class _V31Schema(_LocatedSchemaChecks, keywords.OpenAPIV31SchemaValidator):
    pass


class _V32Schema(_LocatedSchemaChecks, keywords.OpenAPIV32SchemaValidator):
    pass


class _LocatedParameters(keywords.ParametersValidator):
    """The library's check of a parameter list: a parameter declared twice (same name,
    same place), which it reports without a place, placed at the second declaration."""

    def __call__(self, parameters: SchemaPath) -> Iterator[ValidationError]:
        seen: set[tuple[Any, Any]] = set()
        repeats = deque[int]()
        for index, parameter in enumerate(parameters):
            key = (parameter["name"], parameter["in"])
            if key in seen:
                repeats.append(index)
            seen.add(key)
        for error in super().__call__(parameters):
            if isinstance(error, ParameterDuplicateError) and repeats:
                error = _prefixed(error, (*parameters.parts, repeats.popleft()))
            yield error


class _LocatedOperation(keywords.OperationValidator):
    """The library's check of an operation: what it reports without a place (an
    operationId used before, a path parameter not resolved) placed at the operation."""

    def __call__(
        self, url: str, name: str, operation: SchemaPath, path_parameters: SchemaPath | None
    ) -> Iterator[ValidationError]:
        for error in super().__call__(url, name, operation, path_parameters):
            if isinstance(error, DuplicateOperationIDError):
                error = _prefixed(error, (*operation.parts, "operationId"))
            elif not error.path:
                error = _prefixed(error, operation.parts)
            yield error


_LOCATED = {"parameters": _LocatedParameters, "operation": _LocatedOperation}


class LocatedV30SpecValidator(OpenAPIV30SpecValidator):
    keyword_validators = {
        **OpenAPIV30SpecValidator.keyword_validators,
        **_LOCATED,
        "schema": _V30Schema,
    }


class LocatedV31SpecValidator(OpenAPIV31SpecValidator):
    keyword_validators = {
        **OpenAPIV31SpecValidator.keyword_validators,
        **_LOCATED,
        "schema": _V31Schema,
    }


class LocatedV32SpecValidator(OpenAPIV32SpecValidator):
    keyword_validators = {
        **OpenAPIV32SpecValidator.keyword_validators,
        **_LOCATED,
        "schema": _V32Schema,
    }


def semantic_errors(validator: SpecValidator) -> Iterator[ValidationError]:
    """The library's own checks only: its ``iter_errors`` would first validate the whole
    document against the official OpenAPI JSON Schema again, which the loader did already."""
    yield from validator.root_validator(validator.schema_path)


def real_path(data: Any, route: Sequence[Any]) -> tuple[Any, ...]:
    """Where the value reached by ``route`` (which may pass through local ``$ref``s) is
    written: each ``$ref`` on the way is followed to its target."""
    node, at = data, []
    for part in route:
        seen = 0
        while (
            isinstance(node, Mapping)
            and part not in node
            and isinstance(node.get("$ref"), str)
            and node["$ref"].startswith("#/")
            and seen < 50
        ):
            at = [_unescape(piece) for piece in node["$ref"][2:].split("/")]
            node, seen = _get(data, at), seen + 1
        if (
            isinstance(node, Mapping)
            and part in node
            or isinstance(node, list)
            and isinstance(part, int)
            and part < len(node)
        ):
            node = node[part]
        else:
            return (*at, part)
        at.append(part)
    return tuple(at)


def _unescape(piece: str) -> str:
    return piece.replace("~1", "/").replace("~0", "~")


def _get(data: Any, at: Sequence[Any]) -> Any:
    node = data
    for part in at:
        try:
            node = node[int(part) if isinstance(node, list) else part]
        except (KeyError, IndexError, ValueError, TypeError):
            return None
    return node
