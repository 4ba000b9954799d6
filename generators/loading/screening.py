"""A compiled first look at a document before jsonschema validates it: jsonschema-rs.

jsonschema walks the official OpenAPI schema over every node of a contract in Python (a
second and more for a contract of 200 operations, most of a load); jsonschema-rs, compiled,
tells whether the same document is valid in milliseconds. A document it finds valid has
no error to report, and jsonschema does not run; one it finds invalid, or cannot read (a
key that is not a string, a value JSON has not), goes to jsonschema as before, whose errors
(their paths, the readings ``repairs`` knows) are the ones reported. jsonschema-rs never
reports: where the two differ it is the stricter (its ``$`` does not match before a final
newline, as Python's does), and jsonschema runs. Formats are asserted where jsonschema
asserts them, by the same functions (its ``FormatChecker``); nothing is fetched
(``offline``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

import jsonschema_rs
from jsonschema import FormatChecker
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator

_COMPILED: dict[tuple[int, int], tuple[Any, Any]] = {}
"""jsonschema-rs's validator of each schema (and format checker) screened with, by identity
(both kept, so that their ids are not reused), or None where it could not compile one."""


def errors(validator: Validator, instance: Any) -> Iterable[ValidationError]:
    """``validator``'s errors of ``instance`` (a validator asserting no format); none,
    without running it, when jsonschema-rs finds ``instance`` valid against its schema."""
    schema = validator.schema
    if isinstance(schema, Mapping) and passes(schema, instance):
        return ()
    return validator.iter_errors(instance)


def passes(
    schema: Mapping[str, Any],
    instance: Any,
    *,
    format_checker: FormatChecker | None = None,
    resources: Iterable[tuple[str, Any]] = (),
) -> bool:
    """Whether jsonschema-rs finds ``instance`` valid against ``schema``; False when it
    cannot tell. With ``format_checker``, each format it knows is asserted by its very
    function, where jsonschema would assert it (jsonschema-rs's own formats are asserted
    too: the stricter). ``resources``: (URI, schema) pairs ``schema`` refers to, read the
    first time ``schema`` is screened."""
    compiled = _compiled(schema, format_checker, resources)
    if compiled is None:
        return False
    try:
        return bool(compiled.is_valid(instance))
    except Exception:  # not a JSON value (a key that is no string, bytes...): jsonschema says
        return False


def _compiled(
    schema: Mapping[str, Any],
    format_checker: FormatChecker | None,
    resources: Iterable[tuple[str, Any]],
) -> Any:
    key = (id(schema), id(format_checker))
    found = _COMPILED.get(key)
    if found is None or found[0][0] is not schema or found[0][1] is not format_checker:
        try:
            compiled = jsonschema_rs.validator_for(
                dict(schema),
                registry=jsonschema_rs.Registry(list(resources)) if resources else None,
                validate_formats=format_checker is not None,
                formats={
                    name: partial(format_checker.conforms, format=name)
                    for name in format_checker.checkers
                }
                if format_checker is not None
                else None,
                offline=True,
            )
        except Exception:  # a schema it cannot read: jsonschema alone, as before
            compiled = None
        found = _COMPILED[key] = ((schema, format_checker), compiled)
    return found[1]
