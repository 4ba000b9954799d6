"""Cross-contract checks: an API schema that maps to a table must agree with its columns."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from generators import ir
from generators.problems import Problem, pointer

_SUFFIX = re.compile(r"(Response|Public|Create|Update|Replace|Request|Input|Output|Detail)$")


def table_for_schema(schema_name: str, database: ir.Database) -> ir.Table | None:
    """The table an API schema describes, by name: ``TaskResponse`` and ``Task`` → ``Task``."""
    models = {table.model: table for table in database.tables}
    return models.get(schema_name) or models.get(_SUFFIX.sub("", schema_name))


def crosscheck(api: ir.Api, database: ir.Database) -> list[Problem]:
    """Warnings where an API field and its column disagree in type, format or enum values."""
    warnings = []
    enums = {enum.name: enum for enum in database.enums}
    for schema_name, schema in sorted(api.schemas.items()):
        table = table_for_schema(schema_name, database)
        if table is None or not isinstance(schema.get("properties"), Mapping):
            continue
        columns = {column.name: column for column in table.columns}
        for name, prop in schema["properties"].items():
            column = columns.get(name)
            if column is None or not isinstance(prop, Mapping):
                continue
            at = pointer("components", "schemas", schema_name, "properties", name)
            difference = _difference(_resolve(api, prop), column, enums)
            if difference:
                message = f"{schema_name}.{name} {difference} than column {table.model}.{name}"
                warnings.append(Problem(api.file, at, message, severity="warning"))
    return warnings


def _resolve(api: ir.Api, prop: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = prop.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        return api.schemas.get(ref.rsplit("/", 1)[1], prop)
    all_of = prop.get("allOf")
    if isinstance(all_of, list) and len(all_of) == 1 and isinstance(all_of[0], Mapping):
        return _resolve(api, all_of[0])
    return prop


def _difference(
    prop: Mapping[str, Any], column: ir.Column, enums: Mapping[str, ir.EnumType]
) -> str | None:
    kinds = prop.get("type")
    kind = next((k for k in kinds if k != "null"), None) if isinstance(kinds, list) else kinds
    if kind is None:
        return None
    compatible = {kind, "number"} if kind == "integer" else {kind}
    if column.type not in compatible:
        return f"has type {kind!r}, a different type"
    api_format, db_format = prop.get("format"), column.format
    if (
        api_format
        and db_format
        and api_format != db_format
        and "email" not in {api_format, db_format}
    ):
        return f"has format {api_format!r}, another format"
    if column.enum and isinstance(prop.get("enum"), list):
        missing = set(prop["enum"]) - set(enums[column.enum].values)
        if missing:
            return f"allows {sorted(missing)}, more enum values"
    limit = prop.get("maxLength")
    if isinstance(limit, int) and column.max_length is not None and limit > column.max_length:
        return f"allows maxLength {limit}, longer strings"
    return None
