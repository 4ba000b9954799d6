"""A compiled first look at a document before jsonschema validates it: jsonschema-rs.

jsonschema walks the official OpenAPI schema over every node of a contract in Python (a
second and more for a contract of 200 operations, most of a load); jsonschema-rs, compiled,
tells whether the same document is valid in milliseconds. A document it finds valid has
no error to report, and jsonschema does not run; one it finds invalid, or cannot read (a
key that is not a string, a value JSON has not), goes to jsonschema as before, whose errors
(their paths, the readings ``repairs`` knows) are the ones reported. jsonschema-rs never
reports: where the two differ it is the stricter (its ``$`` does not match before a final
newline, as Python's does), and jsonschema runs. Formats are not asserted, as jsonschema
does not by default; nothing is fetched (``offline``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import jsonschema_rs
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator

_COMPILED: dict[int, tuple[Mapping[str, Any], Any]] = {}
"""jsonschema-rs's validator of each schema screened against (by identity; the schema is
kept, so that its id is not reused), or None where it could not compile it."""


def errors(validator: Validator, instance: Any) -> Iterable[ValidationError]:
    """``validator``'s errors of ``instance``; none, without running it, when jsonschema-rs
    finds ``instance`` valid against the same schema."""
    schema = validator.schema
    if isinstance(schema, Mapping) and passes(schema, instance):
        return ()
    return validator.iter_errors(instance)


def passes(schema: Mapping[str, Any], instance: Any) -> bool:
    """Whether jsonschema-rs finds ``instance`` valid against ``schema``; False when it
    cannot tell."""
    compiled = _compiled(schema)
    if compiled is None:
        return False
    try:
        return bool(compiled.is_valid(instance))
    except Exception:  # not a JSON value (a key that is no string, bytes...): jsonschema says
        return False


def _compiled(schema: Mapping[str, Any]) -> Any:
    found = _COMPILED.get(id(schema))
    if found is None or found[0] is not schema:
        try:
            compiled = jsonschema_rs.validator_for(
                dict(schema), validate_formats=False, offline=True
            )
        except Exception:  # a schema it cannot read: jsonschema alone, as before
            compiled = None
        found = _COMPILED[id(schema)] = (schema, compiled)
    return found[1]
