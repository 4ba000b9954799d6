"""Pydantic v2 schemas in ``specs/schemas/`` through datamodel-code-generator, as a library.

Two choices keep the models what the contract says, in validation and in the JSON Schema
FastAPI serves from them (``tools/contract_fidelity.py`` in the project checks the latter):

- an optional property that is not nullable is ``X | MISSING = MISSING``, not
  ``X | None = None``: an explicit ``null`` is rejected as the contract requires, an absent
  value stays absent (also in responses), and the served schema is ``X``, not
  ``anyOf: [X, null]``. A nullable optional one is ``X | None | MISSING``: absent and
  ``null`` stay apart.
- a model whose schema bounds its number of properties (``minProperties``,
  ``maxProperties``) carries the bounds in its ``json_schema_extra``, so they are served,
  and derives from ``specs.validation.CountedModel``, which enforces those very numbers.
"""

from __future__ import annotations

import ast
import copy
import json
import re
from functools import lru_cache
from typing import Any

from datamodel_code_generator import generate
from datamodel_code_generator.enums import DataModelType, InputFileType
from datamodel_code_generator.format import Formatter, PythonVersion

from generators import ir
from generators.emit.pytypes import class_name
from generators.emit.render import header

SOURCE = "specs/openapi.yaml"
_COUNTS = ("minProperties", "maxProperties")
_COUNTED_BASE = "specs.validation.CountedModel"
_COUNTED_IMPORT = "from specs.validation import CountedModel\n"
_NOT_SCHEMAS = {"example", "examples", "default", "enum", "const"}


def emit_schemas(api: ir.Api) -> dict[str, str]:
    files = {"specs/__init__.py": header(SOURCE) + "\n"}
    code = schemas_module(api)
    files["specs/schemas/__init__.py"] = code or header(SOURCE) + "\n"
    if _COUNTED_IMPORT in code:
        files["specs/validation.py"] = header(SOURCE) + "\n" + _VALIDATION_MODULE
    return files


def schemas_module(api: ir.Api) -> str:
    """The code of ``specs/schemas/__init__.py`` ("" without component schemas)."""
    if not api.schemas:
        return ""
    document = _with_counted_models(copy.deepcopy(dict(api.document)))
    return _generate(json.dumps(document, default=str))  # the contract's order


def enum_member(api: ir.Api, class_name: str, value: object) -> str | None:
    """The member of the generated enum ``class_name`` whose value is ``value``, if any."""
    members = _enum_members(schemas_module(api)).get(class_name, {})
    return members.get(json.dumps(value))


@lru_cache(maxsize=8)
def _generate(document: str) -> str:
    result = generate(
        document,
        input_file_type=InputFileType.OpenAPI,
        output_model_type=DataModelType.PydanticV2BaseModel,
        target_python_version=PythonVersion.PY_311,
        use_annotated=True,
        field_constraints=True,
        use_standard_collections=True,
        use_union_operator=True,
        use_double_quotes=True,
        use_schema_description=True,
        snake_case_field=True,
        allow_population_by_field_name=True,
        capitalise_enum_members=True,
        strict_nullable=True,
        keep_model_order=False,  # True puts a model before the enum its default names
        set_default_enum_member=True,
        treat_dot_as_module=False,
        custom_class_name_generator=class_name,
        disable_timestamp=True,
        use_missing_sentinel=True,
        model_extra_keys_without_x_prefix={f"x-{key}" for key in _COUNTS},
        field_extra_keys={"readOnly", "writeOnly"},  # served, as the contract says them
        formatters=[Formatter.RUFF_CHECK, Formatter.RUFF_FORMAT],
        custom_file_header=header(SOURCE),
    )
    if not isinstance(result, str):
        raise RuntimeError(f"datamodel-code-generator made {len(result or ())} modules, not one")
    return _first_party_last(_stable_missing(result))


def _with_counted_models(node: Any) -> Any:
    """Mark every object schema with ``minProperties``/``maxProperties``: its model derives
    from ``CountedModel`` (datamodel-code-generator's ``customBasePath``) and keeps the
    bounds in ``json_schema_extra`` (its ``x-`` keys that lose the prefix)."""
    if isinstance(node, list):
        return [_with_counted_models(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {
        key: value if key in _NOT_SCHEMAS else _with_counted_models(value)
        for key, value in node.items()
    }
    bounds = {key: out[key] for key in _COUNTS if isinstance(out.get(key), int)}
    if bounds and isinstance(out.get("properties"), dict) and "customBasePath" not in out:
        out["customBasePath"] = _COUNTED_BASE
        out.update({f"x-{key}": value for key, value in bounds.items()})
    return out


@lru_cache(maxsize=8)
def _enum_members(code: str) -> dict[str, dict[str, str]]:
    """``{class: {json value: member}}`` of the enums in the generated code."""
    found: dict[str, dict[str, str]] = {}
    for node in ast.parse(code).body if code else ():
        if not isinstance(node, ast.ClassDef):
            continue
        bases = {base.id for base in node.bases if isinstance(base, ast.Name)}
        if not bases & {"Enum", "StrEnum", "IntEnum"}:
            continue
        members = found.setdefault(node.name, {})
        for item in node.body:
            if (
                isinstance(item, ast.Assign)
                and len(item.targets) == 1
                and isinstance(item.targets[0], ast.Name)
                and isinstance(item.value, ast.Constant)
            ):
                members.setdefault(json.dumps(item.value.value), item.targets[0].id)
    return found


_PYDANTIC_IMPORT = re.compile(r"^from pydantic import (\([^)]*\)|[^\n(]*)\n", re.MULTILINE)
_EXPERIMENTAL_MISSING = "from pydantic.experimental.missing_sentinel import MISSING\n"


def _stable_missing(code: str) -> str:
    """``MISSING`` from ``pydantic`` itself (2.14+), not its deprecated experimental module."""
    if _EXPERIMENTAL_MISSING not in code:
        return code
    code = code.replace(_EXPERIMENTAL_MISSING, "", 1)
    found = _PYDANTIC_IMPORT.search(code)
    if found is None:
        raise RuntimeError("the generated schemas import nothing from pydantic")
    names = {name.strip() for name in found.group(1).strip("()").split(",") if name.strip()}
    # isort's order (ruff's default): CONSTANTS, then Classes, then functions.
    ordered = sorted(names | {"MISSING"}, key=lambda n: (not n.isupper(), not n[:1].isupper(), n))
    return code.replace(found.group(0), f"from pydantic import {', '.join(ordered)}\n", 1)


def _first_party_last(code: str) -> str:
    """The ``specs`` import in a section of its own after the third-party ones, as the
    project's isort settings want it (datamodel-code-generator sorts it as third-party)."""
    if _COUNTED_IMPORT not in code:
        return code
    code = code.replace(_COUNTED_IMPORT, "", 1)
    imports = [n for n in ast.parse(code).body if isinstance(n, ast.Import | ast.ImportFrom)]
    last = max(node.end_lineno or node.lineno for node in imports)
    lines = code.splitlines(keepends=True)
    return "".join([*lines[:last], "\n", _COUNTED_IMPORT, *lines[last:]])


_VALIDATION_MODULE = '''\

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, model_validator


class CountedModel(BaseModel):
    """A model whose contract bounds its number of properties.

    The bounds (``minProperties``, ``maxProperties``) sit in the model's
    ``json_schema_extra``, so the served JSON Schema shows them; this validator enforces
    the same numbers on the object received.
    """

    @model_validator(mode="before")
    @classmethod
    def _count_properties(cls, data: Any) -> Any:
        bounds = cls.model_config.get("json_schema_extra")
        if not isinstance(data, Mapping) or not isinstance(bounds, Mapping):
            return data
        minimum, maximum = bounds.get("minProperties"), bounds.get("maxProperties")
        if isinstance(minimum, int) and len(data) < minimum:
            raise ValueError(f"expected at least {minimum} properties, got {len(data)}")
        if isinstance(maximum, int) and len(data) > maximum:
            raise ValueError(f"expected at most {maximum} properties, got {len(data)}")
        return data
'''
