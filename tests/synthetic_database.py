"""A deterministic, synthetic database contract of any number of tables.

``synthetic_database(tables, seed)`` builds the same ``database-schema.json`` document on
every call (``random.Random(seed)``): a ``User`` table, then tables named after the
resources of ``tests/synthetic_spec.py`` (``Account``, ``Order``, ``LineItem``... then
``AccountV1``...) until ``tables`` tables exist, with what real contracts have:

- a primary key of the type the API contract's resource of that name has (when given
  one): uuid, int64 or a slug;
- columns of every type the format maps (uuid, string with bounds, nullable text, int64,
  integer with bounds, number, decimal with precision and scale, boolean, date,
  date-time with ``now()`` and ``onUpdate``, JSON object and array), ``columnName``
  aliases, unique columns, defaults, string enums by ``$ref`` (about one per ten tables);
- foreign keys to one or two earlier tables (``CASCADE``, ``SET NULL`` on a nullable one,
  ``RESTRICT``) with their ``belongsTo`` and ``hasMany`` relations, and indexes (on the
  foreign keys, a composite one, a unique one);
- every twelfth table a join table between two earlier ones, with ``manyToMany``
  relations through it.

Used by ``benchmarks/`` (generation at 20, 80 and 300 tables beside 50, 200 and 800
operations) and by ``tests/test_bench.py``.
"""

from __future__ import annotations

import random
import re
from typing import Any

from tests.synthetic_spec import NOUNS

Json = dict[str, Any]

ENUMS = (
    ("Lifecycle", ["DRAFT", "ACTIVE", "SUSPENDED", "CLOSED"]),
    ("Level", ["LOW", "MEDIUM", "HIGH", "CRITICAL"]),
    ("SalesChannel", ["WEB", "MOBILE", "API", "BATCH"]),
    ("Region", ["EU", "US", "APAC"]),
)


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def camel(name: str) -> str:
    return name[0].lower() + name[1:]


def _names(count: int) -> list[str]:
    nouns = [noun for group in NOUNS.values() for noun in group]
    names = ["User"]
    round_number = 0
    while len(names) < count:
        for noun in nouns:
            if len(names) >= count:
                break
            names.append(noun if round_number == 0 else f"{noun}V{round_number}")
        round_number += 1
    return names


def _uuid_key() -> Json:
    return {"type": "string", "format": "uuid", "primaryKey": True, "default": "uuid()"}


def _foreign_key(parent: str, key: Json, nullable: bool, on_delete: str) -> Json:
    column = _key_type(key)
    if nullable:
        column["type"] = [column["type"], "null"]
    return {**column, "references": {"model": parent, "field": "id", "onDelete": on_delete}}


def _api_key(api: Json | None, model: str) -> Json:
    """The primary key of the table of ``model``: the type of the ``id`` the API contract
    gives the resource of that name (uuid, int64 or a slug), else a uuid."""
    schema = ((api or {}).get("components", {}).get("schemas", {})).get(model, {})
    parts = [schema, *schema.get("allOf", [])]
    found = next((p["properties"]["id"] for p in parts if "id" in p.get("properties", {})), {})
    if found.get("type") == "integer":
        return {
            "type": "integer",
            "format": "int64",
            "primaryKey": True,
            "default": "autoincrement()",
        }
    if found.get("type") == "string" and found.get("format") != "uuid":
        return {"type": "string", "maxLength": found.get("maxLength", 64), "primaryKey": True}
    return _uuid_key()


def _key_type(key: Json) -> Json:
    """A foreign key's type and format, those of the primary key it refers to."""
    return {name: key[name] for name in ("type", "format", "maxLength") if name in key}


def synthetic_database(tables: int = 20, seed: int = 0, api: Json | None = None) -> dict[str, Any]:
    """A valid database contract of exactly ``tables`` tables (at least 1). With ``api``
    (a ``synthetic_spec`` document), a table named after one of its resources has the
    type of primary key that resource's ``id`` has, so the contracts agree (no column
    shares a name with an API property of another type)."""
    rng = random.Random(seed)
    keys: dict[str, Json] = {}
    enum_count = min(len(ENUMS), max(1, tables // 10))
    definitions: Json = {name: {"type": "string", "enum": values} for name, values in ENUMS}
    definitions = dict(list(definitions.items())[:enum_count])
    enum_names = list(definitions)
    models: list[str] = []
    relations: dict[str, Json] = {}

    def relate(model: str, name: str, relation: Json) -> None:
        taken = relations.setdefault(model, {})
        while name in taken:
            name += "s"
        taken[name] = relation

    for index, model in enumerate(_names(tables)):
        table_name = snake(model) + "s"
        keys[model] = _api_key(api, model)
        properties: Json = {"id": keys[model]}
        required = ["id"]
        indexes: list[Json] = []
        if len(models) >= 2 and index % 12 == 11:  # a join table
            left, right = rng.sample(models, 2)
            for parent in (left, right):
                key = camel(parent) + "Id"
                properties[key] = {
                    **_foreign_key(parent, keys[parent], False, "CASCADE"),
                    "columnName": snake(parent) + "_id",
                }
                required.append(key)
                relate(
                    model, camel(parent), {"type": "belongsTo", "model": parent, "foreignKey": key}
                )
            properties["createdAt"] = {
                "type": "string",
                "format": "date-time",
                "columnName": "created_at",
                "default": "now()",
            }
            required.append("createdAt")
            indexes.append({"columns": [camel(left) + "Id", camel(right) + "Id"], "unique": True})
            relate(
                left,
                camel(right) + "Links",
                {"type": "manyToMany", "model": right, "through": model},
            )
            relate(
                right,
                camel(left) + "Links",
                {"type": "manyToMany", "model": left, "through": model},
            )
            relate(
                left,
                camel(model) + "Rows",
                {"type": "hasMany", "model": model, "foreignKey": camel(left) + "Id"},
            )
            relate(
                right,
                camel(model) + "Rows",
                {"type": "hasMany", "model": model, "foreignKey": camel(right) + "Id"},
            )
        else:
            properties["name"] = {"type": "string", "minLength": 1, "maxLength": 120}
            properties["code"] = {"type": "string", "maxLength": 40, "unique": True}
            properties["description"] = {"type": ["string", "null"], "maxLength": 4000}
            required += ["name", "code"]
            optional: list[tuple[str, Json]] = [
                ("quantity", {"type": "integer", "minimum": 0, "maximum": 1_000_000, "default": 0}),
                ("sequence", {"type": "integer", "format": "int64", "columnName": "sequence_no"}),
                ("weight", {"type": ["number", "null"], "minimum": 0}),
                ("amount", {"type": "string", "format": "decimal", "precision": 12, "scale": 2}),
                ("isActive", {"type": "boolean", "columnName": "is_active", "default": True}),
                (
                    "validFrom",
                    {"type": ["string", "null"], "format": "date", "columnName": "valid_from"},
                ),
                ("settings", {"type": ["object", "null"]}),
                ("keywords", {"type": "array", "items": {"type": "string"}, "default": []}),
                ("email", {"type": ["string", "null"], "format": "email", "maxLength": 255}),
            ]
            for key, column in rng.sample(optional, k=rng.randint(2, len(optional))):
                properties[key] = column
                if "default" in column or (column["type"] in ("integer", "string")):
                    required.append(key)
            if enum_names and rng.random() < 0.6:
                enum = rng.choice(enum_names)
                first = definitions[enum]["enum"][0]
                properties["lifecycle"] = {"$ref": f"#/definitions/{enum}", "default": first}
                required.append("lifecycle")
            parents = rng.sample(models, k=min(len(models), rng.choice([0, 1, 1, 2])))
            for number, parent in enumerate(parents):
                key = camel(parent) + "Id"
                nullable = number == 1
                action = "SET NULL" if nullable else rng.choice(["CASCADE", "RESTRICT"])
                properties[key] = {
                    **_foreign_key(parent, keys[parent], nullable, action),
                    "columnName": snake(parent) + "_id",
                }
                if not nullable:
                    required.append(key)
                indexes.append({"columns": [key]})
                child_side = camel(parent)
                relate(model, child_side, {"type": "belongsTo", "model": parent, "foreignKey": key})
                relate(
                    parent,
                    camel(model) + "List",
                    {"type": "hasMany", "model": model, "foreignKey": key},
                )
            properties["createdAt"] = {
                "type": "string",
                "format": "date-time",
                "columnName": "created_at",
                "default": "now()",
            }
            properties["updatedAt"] = {
                "type": "string",
                "format": "date-time",
                "columnName": "updated_at",
                "default": "now()",
                "onUpdate": "now()",
            }
            required += ["createdAt", "updatedAt"]
            indexes.append({"columns": ["name", "createdAt"]})
        definitions[model] = {
            "type": "object",
            "tableName": table_name,
            "description": f"Synthetic table {index + 1} of {tables}.",
            "properties": properties,
            "required": required,
            "indexes": indexes,
        }
        models.append(model)
    for model, entries in relations.items():
        definitions[model]["relations"] = entries
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "DatabaseSchema",
        "description": f"Generated by tests/synthetic_database.py: {tables} tables, seed {seed}.",
        "version": "1.0.0",
        "definitions": definitions,
    }
