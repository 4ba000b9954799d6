"""A created row's key, where the client gives none: the database contract's default
makes it (``uuid()``, ``autoincrement()``), and must make keys the answer admits. Where
the key has no default, how the server makes it is left open (Svix's ``app_`` and 27
characters is a scheme of Svix's own): the filler declines, and invents no scheme.
"""

from __future__ import annotations

import re

from generators import ir
from generators.fill.code import Unfit
from generators.fill.crud.context import Context
from generators.reading import loose_key, resolved, schema_properties, success_schema

_MADE = {"uuid": "123e4567-e89b-42d3-a456-426614174000", "autoincrement": "1"}
"""What each default function makes, as text."""


def check_made_keys(context: Context, given: set[str]) -> None:
    """Decline a create whose key nothing gives (not the body, not the path) and the
    database contract makes not, or makes in a form the answer refuses."""
    for column in context.table.columns:
        if not column.primary_key or column.name in given or column.references is not None:
            continue
        shown = shown_key(context.api, context.task.operation, column)
        pattern = shown.get("pattern")
        table = context.table.table_name
        if column.default is None:
            shows = f"; the answer shows it as `{pattern}`" if isinstance(pattern, str) else ""
            raise Unfit(
                f"the key `{column.name}` of `{table}` is the server's to make (the request "
                f"does not give it{shows}), and the database contract does not say how: the "
                "column has no default",
                f"give `{column.name}` a default where the API's ids allow it (`uuid()` for a "
                "key of `format: uuid`, `autoincrement()` for an integer one); ids of a scheme "
                "of the API's own are code to write",
            )
        made = _MADE.get(column.default.kind)
        longest = shown.get("maxLength")
        refused = (isinstance(pattern, str) and not admits(pattern, made or "")) or (
            isinstance(longest, int) and made is not None and len(made) > longest
        )
        if made is not None and shown.get("type") in {"string", None} and refused:
            what = {"uuid": "UUIDs", "autoincrement": "integers"}[column.default.kind]
            rule = f"`{pattern}`" if isinstance(pattern, str) else f"at most {longest} characters"
            raise Unfit(
                f"the key `{column.name}` of `{table}` is the server's to make, and its "
                f"default `{column.default.kind}()` makes {what}, which the answer's "
                f"`{column.name}` refuses ({rule})",
                f"give `{column.name}` no default and write the body: ids of a scheme of the "
                "API's own are code to write",
            )


def shown_key(api: ir.Api, operation: ir.Operation, key: ir.Column) -> ir.JsonSchema:
    """The schema of the key's property in the row the operation answers, or the GET of
    the same path answers (a delete answers none); empty where none shows it."""
    names = {loose_key(key.name), loose_key(key.column_name)}
    readers = [operation] + [
        other for other in api.operations if other.path == operation.path and other.method == "get"
    ]
    for reader in readers:
        schema = success_schema(reader)
        if schema is None:
            continue
        for prop, prop_schema in schema_properties(api, schema).items():
            if loose_key(prop) in names:
                return resolved(api, prop_schema)
    return {}


def admits(pattern: str, text: str) -> bool:
    """Whether a schema's pattern (ECMA-262, unanchored) matches ``text``; True where
    Python cannot read the pattern (nothing is refused on a guess)."""
    try:
        return re.search(pattern, text) is not None
    except re.error:
        return True
