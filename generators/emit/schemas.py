"""Pydantic v2 schemas in ``specs/schemas/`` through datamodel-code-generator, as a library."""

from __future__ import annotations

import json

from datamodel_code_generator import generate
from datamodel_code_generator.enums import DataModelType, InputFileType
from datamodel_code_generator.format import Formatter, PythonVersion

from generators import ir
from generators.emit.render import header

SOURCE = "specs/openapi.yaml"


def emit_schemas(api: ir.Api) -> dict[str, str]:
    files = {"specs/__init__.py": header(SOURCE) + "\n"}
    code = ""
    if api.schemas:
        result = generate(
            json.dumps(api.document, sort_keys=True),
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
            keep_model_order=True,
            disable_timestamp=True,
            formatters=[Formatter.RUFF_CHECK, Formatter.RUFF_FORMAT],
            custom_file_header=header(SOURCE),
        )
        code = result if isinstance(result, str) else ""
    files["specs/schemas/__init__.py"] = code or header(SOURCE) + "\n"
    return files
