"""Load ``database-schema.json`` (the Universal database contract) into the IR.

Two passes, both reporting every problem with its pointer: the published JSON Schema
(``generators/database-schema.schema.json``) checks the shape, then the semantic checks below
check what a schema cannot express (references, relations, indexes, defaults).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError

from generators import ir
from generators.loading import screening
from generators.loading.document import Document, load_document
from generators.naming import snake
from generators.problems import ContractError, Problem, errors, pointer

_FUNCTION_DEFAULTS = {"uuid()": "uuid", "now()": "now", "autoincrement()": "autoincrement"}
_DECLARATIVE_NAMES = {"metadata", "registry"}
"""Attributes SQLAlchemy's declarative base gives every model (``Base.metadata``): no
column or relation attribute can take them (mypy --strict refuses the model, and the
row would answer the base's MetaData instead of its column)."""


@cache
def contract_schema() -> dict[str, Any]:
    """The JSON Schema of the database contract format (core + documented extensions)."""
    text = resources.files("generators").joinpath("database-schema.schema.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


def load_database(path: Path, display: str | None = None) -> ir.Database:
    return read_database(path, display)[0]


def read_database(path: Path, display: str | None = None) -> tuple[ir.Database, list[Problem]]:
    """The IR of the database contract at ``path`` and its warnings; ``ContractError``
    where it has errors."""
    document = load_document(path, display)
    problems = validate_database(document)
    if errors(problems):
        raise ContractError(problems)
    return build_database(document), problems


def validate_database(document: Document) -> list[Problem]:
    """Every problem of the contract: its shape (jsonschema-rs first, ``screening``: 20 ms
    where jsonschema took 0.4 s at 300 tables; jsonschema's errors where it finds any),
    then the semantic checks."""
    validator = jsonschema.Draft7Validator(contract_schema())
    problems = [
        p for error in screening.errors(validator, document.data) for p in _explain(document, error)
    ]
    return sorted(set(problems)) or _semantic_problems(document)


def _explain(document: Document, error: ValidationError) -> list[Problem]:
    """Turn a schema error into problems a person can act on (typos get a suggestion)."""
    at = pointer(*error.absolute_path)
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    if error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
        allowed = sorted(schema.get("properties", {}))
        unknown = [key for key in error.instance if key not in allowed]
        return [
            document.problem(at + pointer(key), f"unknown key {key!r}{_hint(key, allowed)}")
            for key in unknown
        ]
    if error.validator == "oneOf" and schema.get("oneOf") == [
        {"required": ["type"]},
        {"required": ["$ref"]},
    ]:
        return [document.problem(at, "a column needs either 'type' or '$ref' (not both)")]
    if error.validator == "not" and schema.get("not") == {}:  # a key forbidden in this case
        key = error.absolute_path[-1] if error.absolute_path else ""
        reason = schema.get("description")
        message = f"key {key!r} is not allowed here" + (f": {reason}" if reason else "")
        return [document.problem(at, message)]
    if error.validator in {"if", "then", "else"}:
        return []  # the nested errors of the branch are reported on their own
    return [document.problem(at, error.message)]


def _hint(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


# --- semantic checks ----------------------------------------------------------------------


def _semantic_problems(document: Document) -> list[Problem]:
    definitions: Mapping[str, Any] = document.data["definitions"]
    tables = {name: d for name, d in definitions.items() if d["type"] == "object"}
    enums = {name: d for name, d in definitions.items() if d["type"] != "object"}
    problems: list[Problem] = []
    table_names: dict[str, str] = {}
    for model, table in tables.items():
        at = pointer("definitions", model)
        name = table["tableName"]
        if name in table_names:
            message = f"table name {name!r} is already used by {table_names[name]}"
            problems.append(document.problem(at + "/tableName", message))
        table_names.setdefault(name, model)
        if table.get("renamedFrom") in definitions:
            message = (
                f"renamedFrom {table['renamedFrom']!r} names a definition that still exists: "
                "a rename hint must name the old model, which the contract no longer has"
            )
            problems.append(document.problem(at + "/renamedFrom", message))
        problems += _table_problems(document, at, table, tables, enums)
    return problems


def _table_problems(
    document: Document,
    at: str,
    table: Mapping[str, Any],
    tables: Mapping[str, Any],
    enums: Mapping[str, Any],
) -> list[Problem]:
    problems: list[Problem] = []
    properties: Mapping[str, Any] = table["properties"]
    required = table.get("required", [])
    for index, name in enumerate(required):
        if name not in properties:
            message = f"required property {name!r} is not defined{_hint(name, properties)}"
            problems.append(document.problem(f"{at}/required/{index}", message))
    if not any(column.get("primaryKey") for column in properties.values()):
        problems.append(document.problem(at + "/properties", "the table has no primaryKey column"))
    columns: dict[str, str] = {}
    for name, column in properties.items():
        column_at = at + pointer("properties", name)
        column_name = column.get("columnName", name)
        if column_name in columns:
            message = (
                f"column name {column_name!r} is already used by property {columns[column_name]!r}"
            )
            problems.append(document.problem(column_at, message))
        columns.setdefault(column_name, name)
        if snake(name) in _DECLARATIVE_NAMES:
            message = _declarative_name(at, name, column_name)
            problems.append(document.problem(column_at, message))
        if column.get("renamedFrom") in properties:
            message = (
                f"renamedFrom {column['renamedFrom']!r} names a property that still exists: "
                "a rename hint must name the old property, which the table no longer has"
            )
            problems.append(document.problem(column_at + "/renamedFrom", message))
        problems += _column_problems(document, column_at, column, name in required, tables, enums)
    for index, spec in enumerate(table.get("indexes", [])):
        for position, name in enumerate(spec["columns"]):
            if name not in properties:
                message = (
                    f"index column {name!r} is not a property of the table{_hint(name, properties)}"
                )
                problems.append(
                    document.problem(f"{at}/indexes/{index}/columns/{position}", message)
                )
    for name, relation in table.get("relations", {}).items():
        if snake(name) in _DECLARATIVE_NAMES:
            message = _declarative_name(at, name, None)
            problems.append(document.problem(at + pointer("relations", name), message))
        problems += _relation_problems(
            document, at + pointer("relations", name), at, relation, tables
        )
    return problems


def _declarative_name(at: str, name: str, column_name: str | None) -> str:
    """Why a property or relation cannot be named like the declarative base's attributes."""
    model = at.rsplit("/", 1)[-1]
    other = model[:1].lower() + model[1:] + name[:1].upper() + name[1:]
    kept = f', keeping the column\'s name with "columnName": "{column_name}"' if column_name else ""
    return (
        f"{name!r} is the name of SQLAlchemy's Base.{snake(name)} on every model, which the "
        f"model's attribute cannot take: name the {'property' if column_name else 'relation'} "
        f"otherwise (say {other!r}){kept}"
    )


def _column_problems(
    document: Document,
    at: str,
    column: Mapping[str, Any],
    required: bool,
    tables: Mapping[str, Any],
    enums: Mapping[str, Any],
) -> list[Problem]:
    problems: list[Problem] = []
    ref = column.get("$ref")
    values: list[str] | None = None
    if ref is not None:
        target = ref.removeprefix("#/definitions/")
        if target in enums:
            values = enums[target]["enum"]
        elif target in tables:
            message = f"$ref {ref!r} names a table; reference tables with 'references'"
            problems.append(document.problem(at + "/$ref", message))
        else:
            message = f"$ref {ref!r} points to no enum definition{_hint(target, enums)}"
            problems.append(document.problem(at + "/$ref", message))
    nullable = isinstance(column.get("type"), list)
    default = column.get("default")
    if not nullable and not required and "default" not in column and not column.get("primaryKey"):
        message = (
            "the column is not nullable, not required and has no default: make it one of those"
        )
        problems.append(document.problem(at, message))
    if isinstance(default, str) and default in _FUNCTION_DEFAULTS:
        problems += _function_default_problems(document, at, column, default)
    elif values is not None and "default" in column and default not in values:
        message = f"default {default!r} is not one of the enum's values {values}"
        problems.append(document.problem(at + "/default", message))
    references = column.get("references")
    if references is not None:
        model, field = references["model"], references["field"]
        if model not in tables:
            message = f"references model {model!r}, which is not a table{_hint(model, tables)}"
            problems.append(document.problem(at + "/references/model", message))
        elif field not in tables[model]["properties"]:
            fields = tables[model]["properties"]
            message = (
                f"references field {field!r}, which {model} does not have{_hint(field, fields)}"
            )
            problems.append(document.problem(at + "/references/field", message))
        if references.get("onDelete") == "SET NULL" and not nullable:
            message = "onDelete SET NULL needs a nullable column"
            problems.append(document.problem(at + "/references/onDelete", message))
    return problems


def _function_default_problems(
    document: Document, at: str, column: Mapping[str, Any], default: str
) -> list[Problem]:
    base = _base_type(column)
    fits = {
        "uuid()": base == "string" and column.get("format") == "uuid",
        "now()": base == "string" and column.get("format") in {"date-time", "date"},
        "autoincrement()": base == "integer" and bool(column.get("primaryKey")),
    }[default]
    if fits:
        return []
    needs = {
        "uuid()": "a string column with format uuid",
        "now()": "a string column with format date-time or date",
        "autoincrement()": "an integer primary key",
    }[default]
    return [document.problem(at + "/default", f"default {default!r} needs {needs}")]


def _relation_problems(
    document: Document,
    at: str,
    table_at: str,
    relation: Mapping[str, Any],
    tables: Mapping[str, Any],
) -> list[Problem]:
    model, kind = relation["model"], relation["type"]
    if model not in tables:
        message = f"relation model {model!r} is not a table{_hint(model, tables)}"
        return [document.problem(at + "/model", message)]
    this = table_at.rsplit("/", 1)[1]
    if kind == "manyToMany":
        return _many_to_many_problems(document, at, this, relation, tables)
    foreign_key = relation["foreignKey"]
    child = this if kind == "belongsTo" else model
    if foreign_key not in tables[child]["properties"]:
        fields = tables[child]["properties"]
        message = (
            f"foreignKey {foreign_key!r} is not a property of {child}{_hint(foreign_key, fields)}"
        )
        return [document.problem(at + "/foreignKey", message)]
    parent = model if kind == "belongsTo" else this
    target = (tables[child]["properties"][foreign_key].get("references") or {}).get("model")
    if target != parent:
        message = (
            f"foreignKey {foreign_key!r} of {child} must reference {parent} (add 'references')"
        )
        return [document.problem(at + "/foreignKey", message)]
    problems: list[Problem] = []
    if kind == "hasOne" and not _unique_column(tables[child], foreign_key):
        message = (
            f"a hasOne needs a unique foreign key: make {child}.{foreign_key} unique "
            "('unique': true, or a unique index on it alone), or use hasMany"
        )
        problems.append(document.problem(at + "/foreignKey", message))
    opposites = ("hasMany", "hasOne") if kind == "belongsTo" else ("belongsTo",)
    counterparts = [
        other
        for other in tables[model].get("relations", {}).values()
        if other["model"] == this
        and other["type"] in opposites
        and other.get("foreignKey") == foreign_key
    ]
    if not counterparts:
        message = (
            f"{model} has no matching {' or '.join(opposites)} relation to {this} "
            f"with foreignKey {foreign_key!r}: both sides of a relation must agree"
        )
        problems.append(document.problem(at, message))
    return problems


def _unique_column(table: Mapping[str, Any], name: str) -> bool:
    """Whether the property alone is unique: ``unique``, a one-column unique index, or the
    table's only primary key column."""
    properties: Mapping[str, Any] = table["properties"]
    keys = [key for key, column in properties.items() if column.get("primaryKey")]
    return (
        bool(properties[name].get("unique"))
        or keys == [name]
        or any(i.get("unique") and i["columns"] == [name] for i in table.get("indexes", []))
    )


def _many_to_many_problems(
    document: Document,
    at: str,
    this: str,
    relation: Mapping[str, Any],
    tables: Mapping[str, Any],
) -> list[Problem]:
    """Extension ``manyToMany``: ``through`` names a join table with one foreign key to each
    side, and the other side has the same relation back through the same table."""
    model, through = relation["model"], relation["through"]
    if model == this:
        message = (
            f"a self-referential manyToMany ({this} to {this}) is not supported: map the join "
            f"table as a model with two belongsTo relations to {this} instead"
        )
        return [document.problem(at + "/model", message)]
    if through not in tables:
        message = f"through {through!r} is not a table{_hint(through, tables)}"
        return [document.problem(at + "/through", message)]
    if through in (this, model):
        message = f"through {through!r} must name a join table, not one of the two sides"
        return [document.problem(at + "/through", message)]
    problems: list[Problem] = []
    for side in (this, model):
        keys = [
            name
            for name, column in tables[through]["properties"].items()
            if (column.get("references") or {}).get("model") == side
        ]
        if not keys:
            message = (
                f"join table {through} has no foreign key to {side}: "
                f"give it a property with references to {side}"
            )
            problems.append(document.problem(at + "/through", message))
        elif len(keys) > 1:
            message = (
                f"join table {through} has several foreign keys to {side} ({', '.join(keys)}): "
                "a manyToMany needs exactly one to each side"
            )
            problems.append(document.problem(at + "/through", message))
    counterparts = [
        other
        for other in tables[model].get("relations", {}).values()
        if other["model"] == this
        and other["type"] == "manyToMany"
        and other.get("through") == through
    ]
    if not counterparts:
        message = (
            f"{model} has no matching manyToMany relation to {this} "
            f"through {through!r}: both sides of a relation must agree"
        )
        problems.append(document.problem(at, message))
    return problems


def _base_type(column: Mapping[str, Any]) -> str | None:
    kind = column.get("type")
    if isinstance(kind, list):
        return next((k for k in kind if k != "null"), None)
    return kind


# --- building the IR ----------------------------------------------------------------------


def build_database(document: Document) -> ir.Database:
    definitions: Mapping[str, Any] = document.data["definitions"]
    enums = tuple(
        ir.EnumType(name, tuple(d["enum"]), d.get("description"))
        for name, d in definitions.items()
        if "tableName" not in d
    )
    tables = tuple(_table(model, d) for model, d in definitions.items() if "tableName" in d)
    return ir.Database(
        file=document.file,
        title=document.data.get("title"),
        version=document.data.get("version"),
        tables=tables,
        enums=enums,
    )


def _table(model: str, table: Mapping[str, Any]) -> ir.Table:
    required = set(table.get("required", []))
    columns = tuple(
        _column(name, column, name in required) for name, column in table["properties"].items()
    )
    return ir.Table(
        model=model,
        table_name=table["tableName"],
        columns=columns,
        indexes=tuple(
            ir.Index(tuple(i["columns"]), bool(i.get("unique", False)), i.get("name"))
            for i in table.get("indexes", [])
        ),
        relations=tuple(
            ir.Relation(name, r["type"], r["model"], r.get("foreignKey"), r.get("through"))
            for name, r in table.get("relations", {}).items()
        ),
        description=table.get("description"),
        renamed_from=table.get("renamedFrom"),
    )


def _column(name: str, column: Mapping[str, Any], required: bool) -> ir.Column:
    ref = column.get("$ref")
    references = column.get("references")
    return ir.Column(
        name=name,
        column_name=column.get("columnName", name),
        type="string" if ref else str(_base_type(column)),
        format=column.get("format"),
        enum=ref.removeprefix("#/definitions/") if ref else None,
        nullable=isinstance(column.get("type"), list),
        required=required,
        primary_key=bool(column.get("primaryKey", False)),
        unique=bool(column.get("unique", False)),
        max_length=column.get("maxLength"),
        min_length=column.get("minLength"),
        minimum=column.get("minimum"),
        maximum=column.get("maximum"),
        precision=column.get("precision"),
        scale=column.get("scale"),
        default=_default(column["default"]) if "default" in column else None,
        on_update=_default(column["onUpdate"]) if "onUpdate" in column else None,
        description=column.get("description"),
        references=ir.ForeignKey(
            references["model"],
            references["field"],
            references.get("onDelete"),
            references.get("onUpdate"),
        )
        if references
        else None,
        renamed_from=column.get("renamedFrom"),
    )


def _default(value: Any) -> ir.Default:
    if isinstance(value, str) and value in _FUNCTION_DEFAULTS:
        return ir.Default(_FUNCTION_DEFAULTS[value])  # type: ignore[arg-type]
    return ir.Default("literal", value)


__all__ = [
    "build_database",
    "contract_schema",
    "load_database",
    "read_database",
    "validate_database",
]
