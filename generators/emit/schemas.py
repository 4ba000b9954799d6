"""Pydantic v2 schemas in ``specs/schemas/`` through datamodel-code-generator, as a library.

Two choices keep the models what the contract says, in validation and in the JSON Schema
FastAPI serves from them (``tools/contract_fidelity.py`` in the project checks the latter):

- an optional property that is not nullable is ``X | MISSING = MISSING``, not
  ``X | None = None``: an explicit ``null`` is rejected as the contract requires, an absent
  value stays absent (also in responses), and the served schema is ``X``, not
  ``anyOf: [X, null]``. A nullable optional one is ``X | None | MISSING``: absent and
  ``null`` stay apart.
- every model derives from ``specs.validation.SchemaModel`` (``from_attributes``: a
  service may return an ORM row where a response model is due);
- what pydantic's types cannot say is kept beside the model and enforced by its base,
  ``specs.validation.ContractModel``: a schema bounding its number of properties
  (``minProperties``, ``maxProperties``) keeps the bounds in the model's
  ``json_schema_extra``, a property that is an array of ``uniqueItems`` keeps that in its
  field's ``json_schema_extra``; both are served from there, and the base's validators
  enforce those very keywords;
- a ``format`` no Pydantic type serves as written (``int32``, ``byte``, ``vcal``...) is
  the type of ``specs/formats.py`` that serves and enforces it (datamodel-code-generator's
  ``customTypePath``; :mod:`generators.emit.formats`); a class made of a schema with a
  format (an enum, a model: Twilio's ``http-method``, ``phone-number-capabilities``) is
  decorated with ``specs.formats.serves``, which serves it wherever the class is
  used (datamodel-code-generator's model metadata says which schema each class is
  made of); an array's format is served by its field's ``json_schema_extra``.

Rewrites that change nothing the contract means get datamodel-code-generator past
what it drops or misreads: ``enum`` values the schema's ``type`` refuses are left out
(they can never be valid; datamodel-code-generator would accept them); an enum narrowed
beside a reference to an enum is a narrowed copy of it (:mod:`generators.emit.narrowed_enums`);
a nullable ``format`` type is spelled as it keeps its null; a ``default``
on the one non-null branch of an ``anyOf``/``oneOf`` with ``null`` moves beside the
``anyOf`` (it is the value a client sees applied either way), and the inline ``items``
of an array property whose items carry an ``xml`` name (Swagger Petstore's ``photoUrl``)
are served as written through the field's ``json_schema_extra``.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import json
import re
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from datamodel_code_generator import generate
from datamodel_code_generator.enums import DataModelType, InputFileType
from datamodel_code_generator.format import Formatter, PythonVersion

from generators import ir, versions
from generators.aside import Aside, Warm
from generators.emit import (
    alternatives,
    assertions,
    beside,
    class_names,
    directions,
    formats,
    held_defaults,
    inheritance,
    joined_members,
    lone_discriminators,
    maps,
    member_notes,
    narrowed_enums,
    narrowed_scalars,
    nested_unions,
    nullability,
    one_of,
    overridden_bases,
    plain_members,
    repeated_members,
    syntax,
    unique_items,
    walk,
)
from generators.emit.pytypes import base_type, component_classes
from generators.emit.render import header
from generators.keywords import (
    ANNOTATIONS,
    enum_values,
    idle_keywords,
    typeless_reading,
    undeclared_required,
)

SOURCE = "specs/openapi.yaml"
_COUNTS = ("minProperties", "maxProperties")
_UNIQUE = "uniqueItems"
_UNEVALUATED = "unevaluatedProperties"
_FORMAT = "x-format"  # an array's format, served by its field (or RootModel's root)
_SCHEMA_BASE = "specs.validation.SchemaModel"
_CONTRACT_BASE = "specs.validation.ContractModel"
_VALIDATION_IMPORT = re.compile(r"^from specs\.validation import [^\n]+\n", re.MULTILINE)
_NOT_SCHEMAS = walk.VALUE_KEYS | {beside.MARK}
_GENERATOR_KEYS = {"customTypePath", "customBasePath"}  # datamodel-code-generator's, not served


def emit_schemas(api: ir.Api) -> dict[str, str]:
    files = {"specs/__init__.py": header(SOURCE) + "\n"}
    code = schemas_module(api)
    files["specs/schemas/__init__.py"] = code or header(SOURCE) + "\n"
    directed = directions.ways(api).directed
    if directed:  # values that go one way: see generators/emit/directions.py
        files["specs/directions.py"] = header(SOURCE) + "\n" + directions.RUNTIME
    if _VALIDATION_IMPORT.search(code):
        files["specs/validation.py"] = (
            header(SOURCE)
            + "\n"
            + (_directed(_VALIDATION_MODULE) if directed else _VALIDATION_MODULE)
            + one_of.RUNTIME
            + assertions.RUNTIME
            + unique_items.RUNTIME
            + beside.RUNTIME
            + maps.RUNTIME
            + lone_discriminators.RUNTIME
            + member_notes.RUNTIME
            + inheritance.RUNTIME
        )
    classes = f"@{formats.SERVES}(" in code
    files.update(formats.emit_formats(api, classes=classes))  # routers name its types too
    return files


def schemas_module(api: ir.Api) -> str:
    """The code of ``specs/schemas/__init__.py`` ("" without component schemas): worked
    out here, or joined where :func:`begin_schemas_module` began it."""
    return _made(api).code


def schemas_key(api: ir.Api) -> str:
    """The key of what the schemas module was made of (:class:`Made`)."""
    return _made(api).key


@dataclass(frozen=True)
class Made:
    """A schemas module, and the key of what it is made of (:func:`_made_of`): the next
    generation whose input has that key takes the module as it was written, rather than
    run datamodel-code-generator again (an operation's summary changed, a route added)."""

    key: str
    code: str
    enums: dict[str, dict[str, str]] | None = None
    """Each enum class's members by their values (JSON), where worked out already: in
    the child that made or took the module (``_enum_members``, a parse of the whole
    module), so that the routers' defaults do not wait for it."""

    def with_enums(self) -> Made:
        """This module, its enum members worked out."""
        return self if self.enums is not None else replace(self, enums=_enum_members(self.code))


def _made(api: ir.Api) -> Made:
    begun = cast("Aside[Made] | None", api.worked_out.get(_BEGUN))
    return api.once(
        "schemas_module", lambda: remember(begun.result() if begun else _schemas_module(api))
    )


_RECENT: dict[str, Made] = {}
"""The last schemas modules this process made (at most 8), by key: one contract generated
again in the same process (a test suite, the fillers' loop) takes its module from here,
also in a child forked for it, which sees what the process kept before it was forked."""


def remember(made: Made) -> Made:
    """Keep ``made`` among the recent modules: the module the last generation wrote
    (``fingerprint.previous_schemas``), taken where the next is made of the same."""
    _RECENT.pop(made.key, None)
    _RECENT[made.key] = made
    while len(_RECENT) > 8:
        del _RECENT[next(iter(_RECENT))]
    return made


_BEGUN = "schemas_module begun"


Generating = Callable[[tuple[str, tuple[tuple[str, str], ...]]], str]
"""What runs datamodel-code-generator and the passes after it: :func:`_generate` of a
prepared document and its classes' names, here or in a :func:`warm_generator`."""


def _generate_here(arguments: tuple[str, tuple[tuple[str, str], ...]]) -> str:
    return _generate(*arguments)


def warm_generator(worth_it: bool) -> Warm[tuple[str, tuple[tuple[str, str], ...]], str]:
    """A child that readies datamodel-code-generator now (its imports and first run: about
    a third of a second in a fresh process, a tenth of a small contract's generation),
    while the contracts load, then makes the schemas module of the document it is handed.
    ``worth_it``: whether the generation will most likely run it (a first one does;
    another most often takes the module it wrote last); else it runs where it is needed."""
    return Warm(_ready_to_generate, _generate_here, worth_it=worth_it)


def _ready_to_generate() -> None:
    _datamodel_code(json.dumps(_READYING))


_READYING = {
    "openapi": "3.1.0",
    "info": {"title": "readying", "version": "1"},
    "paths": {},
    "components": {
        "schemas": {
            "Kind": {"type": "string", "enum": ["a", "b"]},
            "Item": {
                "type": "object",
                "properties": {
                    "id": {"type": "string", "format": "uuid"},
                    "kind": {"$ref": "#/components/schemas/Kind"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}
"""A document that takes datamodel-code-generator through the modules every contract
needs: a model, an enum, formats, an array, a reference."""


def begin_schemas_module(api: ir.Api, generating: Generating = _generate_here) -> None:
    """Begin the schemas module beside the caller (``generators.aside``): the longest step
    of rendering, which the other emitters do not wait for (the routers need it only for
    the names of enum members their defaults are: ``api.defaults_named``). ``generating``:
    where datamodel-code-generator runs, once the document is prepared."""
    if _BEGUN not in api.worked_out and "schemas_module" not in api.worked_out:
        api.worked_out[_BEGUN] = Aside(lambda: _schemas_module(api, generating))


def begun(api: ir.Api) -> bool:
    """Whether the schemas module is being made beside and not yet joined."""
    return _BEGUN in api.worked_out and "schemas_module" not in api.worked_out


def _schemas_module(api: ir.Api, generating: Generating = _generate_here) -> Made:
    if not api.schemas:
        return Made("", "")
    read, text = _read_by_datamodel_code_generator(api.document)
    classes = dict(component_classes(api))  # each component's, those the passes add too
    key = _made_of(text, classes, directions.relaxed_at(api), api.openapi_version)
    if key in _RECENT:  # the module made of these, by this generator: nothing to prepare
        return _RECENT[key].with_enums()
    document = copy.deepcopy(read)
    directions.relax(api, document)  # required one way only: optional in Python
    plain_members.plain(document)  # before the unions are read
    one_of.nullable_flattened(document)  # before the unions and bases are read
    # before held_defaults reads the unions' members
    walk.bottom_up(document, nullability.nullable_union_as_null_member)
    nested_unions.hoisted(document, classes)
    joined_members.join(document)
    one_of.discriminated_unions(document, classes)  # marks the unions Discriminated serves
    assertions.members_named(document, classes)
    repeated_members.named(document, classes)
    held_defaults.named(document, classes)  # a union member's, an array's items' default
    alternatives.distribute(document)  # allOf: [A, {anyOf: [X, Y]}]: its anyOf kept
    overridden_bases.inline_overridden_bases(document, document)
    joined_members.declared_once(document)  # bases written in place declare it too
    _referenced_defaults_written(document, document)
    narrowed_enums.inline(document)
    narrowed_scalars.inline(document)
    beside.lift(document)
    document = _prepared(
        document,
        bases=_all_of_bases(document, document),
        plain=_evaluated_by_properties(document),
        legacy=versions.legacy(api.openapi_version),
    )
    # the contract's order
    code = generating((json.dumps(document, default=str), tuple(classes.items())))
    return Made(key, code).with_enums()


_OPERATIONS = ("paths", "webhooks")


def _read_by_datamodel_code_generator(document: Mapping[str, Any]) -> tuple[dict[str, Any], str]:
    """The parts of the document datamodel-code-generator reads, and their JSON text: all
    but its ``paths`` and ``webhooks`` (it reads the component schemas, ``openapi_scopes``'
    default, and an operation's inline schemas are components by now: ``loading.openapi``),
    unless a pointer of the rest goes into them (a ``$ref``, a discriminator's mapping)."""
    rest = {key: value for key, value in document.items() if key not in _OPERATIONS}
    text = json.dumps(rest, default=str)
    if '"#/paths/' in text or '"#/webhooks/' in text:
        return dict(document), json.dumps(document, default=str)
    return rest, text


def _made_of(
    read: str, classes: Mapping[str, str], relaxed: Mapping[str, Any], version: str
) -> str:
    """The key of what the schemas module is made of (:class:`Made`): all that its
    preparation and :func:`_generate` read, the parts of the document
    datamodel-code-generator reads (``read``, their JSON), the classes' names, the
    one-way properties the operations make optional (``directions.relaxed_at``) and the
    OpenAPI version read. Worked out before the preparation, which a module made of the
    same is taken without. The generator itself is not in it: a module is taken only from
    a generation by this very generator (``fingerprint.previous_schemas``)."""
    given = "\n".join([read, json.dumps(classes), json.dumps(relaxed), version])
    return hashlib.sha256(given.encode()).hexdigest()


def enum_member(api: ir.Api, class_name: str, value: object) -> str | None:
    """The member of the generated enum ``class_name`` whose value is ``value``, if any."""
    enums = _made(api).enums
    if enums is None:
        enums = api.once("enum_members", lambda: _enum_members(schemas_module(api)))
    return enums.get(class_name, {}).get(json.dumps(value))


def _generate(document: str, classes: tuple[tuple[str, str], ...]) -> str:
    """The schemas module of the prepared ``document``, each component's class named as
    ``classes`` says (:func:`generators.emit.pytypes.class_names`)."""
    named = dict(classes)
    with tempfile.TemporaryDirectory() as folder:
        metadata = Path(folder) / "models.json"
        code = _datamodel_code(
            document,
            emit_model_metadata=metadata,
            custom_class_name_generator=class_names.generator(named),
        )
        models = json.loads(metadata.read_text(encoding="utf-8"))
    code, models["models"] = class_names.given_back(code, models["models"], named)
    code = _stable_missing(_typed_defaults(_ambiguous_names_kept(code)))
    code = _text_patterns_served(code)
    code = _narrowed_overrides(code)
    written = json.loads(document)
    code = _root_defaults_as_written(code, written, models["models"])
    code = _class_typed_defaults(code)
    code = _exclusive_roots_annotated(code, written, models["models"])
    code = _map_roots_annotated(code, written, models["models"])
    for pass_ in (lone_discriminators, member_notes):
        code = _roots_annotated(code, written, models["models"], pass_.ROOT_MARK, pass_.annotation)
    code = _formats_of_classes(code, written, models["models"])
    code = _unique_classes_marked(code, written, models["models"])
    code = _custom_bases_kept(code, written, models["models"])
    code = inheritance.dispatched(code, written, models["models"])
    return _first_party_last(_models_named_as_written(_union_bases_with_bars(code)))


def _narrowed_overrides(code: str) -> str:
    """A subclass narrowing an inherited enum property to some of its values (pagerduty's
    ``ReachTriggerLimitLogEntry``: ``allOf: [LogEntry, {properties: {type: {enum:
    [reach_trigger_limit_log_entry]}}}]``, ``LogEntry.type`` an enum of every kind) types
    it ``Literal[Base.MEMBER, ...]``, not a new enum of those values: the same values,
    served and enforced alike, and a subtype of the inherited type that mypy accepts
    (datamodel-code-generator writes that form only for a discriminated union's members).
    A value must be valid against both enums: the values they share, and where they
    share none (pagerduty's ``AcknowledgeLogEntry`` lists ``acknowledgement_log_entry``,
    its base ``acknowledge_log_entry``) an optional property can only be absent, served
    as ``enum: []`` (still a subtype: ``MISSING`` alone).
    """
    tree = syntax.parsed(code)
    enums = _enum_members(code)
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}

    def fields(node: ast.ClassDef) -> dict[str, ast.AnnAssign]:
        return {
            item.target.id: item
            for item in node.body
            if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
        }

    def enum_of(annotation: ast.expr) -> list[ast.Name]:
        return [n for n in ast.walk(annotation) if isinstance(n, ast.Name) and n.id in enums]

    def inherited(node: ast.ClassDef, name: str, depth: int = 0) -> ast.AnnAssign | None:
        for base in node.bases:
            parent = classes.get(base.id) if isinstance(base, ast.Name) else None
            if parent is None or depth > 20:
                continue
            found = fields(parent).get(name) or inherited(parent, name, depth + 1)
            if found is not None:
                return found
        return None

    spans: list[tuple[int, int, int, int, str]] = []
    for node in classes.values():
        for name, field in fields(node).items():
            base_field = inherited(node, name)
            if base_field is None:
                continue
            own, theirs = enum_of(field.annotation), enum_of(base_field.annotation)
            if len(own) != 1 or len(theirs) != 1 or own[0].id == theirs[0].id:
                continue
            values, members = enums[own[0].id], enums[theirs[0].id]
            kept = [value for value in values if value in members]
            if kept:
                literal = ", ".join(f"{theirs[0].id}.{members[value]}" for value in kept)
                spans.append(_span(own[0], f"Literal[{literal}]"))
            elif values and _optional(field.annotation):
                annotated = _type_of(field.annotation)  # its Field(...) stays
                text = _NO_VALUE if annotated is not None else f"Annotated[{_NO_VALUE}]"
                spans.append(_span(annotated or field.annotation, text))
    if not spans:
        return code
    lines = code.splitlines(keepends=True)
    for first, start, last, end, text in sorted(spans, reverse=True):
        lines[first - 1 : last] = [lines[first - 1][:start] + text + lines[last - 1][end:]]
    code = "".join(lines)
    if any(_NO_VALUE in text for *_, text in spans):
        code = _with_names(code, "typing", {"Annotated"})
        code = _with_names(code, "pydantic", {"WithJsonSchema"})
    if any(_NO_VALUE not in text for *_, text in spans):
        code = _with_names(code, "typing", {"Literal"})
    return code


# an inherited enum property narrowed to values its base does not list: the values the
# two enums share (none) are valid, so the property can only be absent
_NO_VALUE = 'MISSING, WithJsonSchema({"enum": []})'


def _type_of(annotation: ast.expr) -> ast.expr | None:
    """The type an ``Annotated[...]`` annotates; None if it is no ``Annotated``."""
    if (
        isinstance(annotation, ast.Subscript)
        and isinstance(annotation.value, ast.Name)
        and annotation.value.id == "Annotated"
        and isinstance(annotation.slice, ast.Tuple)
    ):
        return annotation.slice.elts[0]
    return None


def _span(node: ast.expr, text: str) -> tuple[int, int, int, int, str]:
    last = node.end_lineno or node.lineno
    return (node.lineno, node.col_offset, last, node.end_col_offset or 0, text)


def _optional(annotation: ast.expr) -> bool:
    return any(isinstance(n, ast.Name) and n.id == "MISSING" for n in ast.walk(annotation))


def _datamodel_code(document: str, **options: Any) -> str:
    result = generate(
        document,
        **options,
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
        # a subclass narrowing an inherited enum-typed discriminator writes
        # Literal[Enum.MEMBER] (a subtype mypy accepts), not Literal["value"]
        use_enum_values_in_discriminator=True,
        treat_dot_as_module=False,
        base_class=_SCHEMA_BASE,
        disable_timestamp=True,
        use_missing_sentinel=True,
        model_extra_keys_without_x_prefix={
            *(f"x-{key}" for key in (*_COUNTS, _UNEVALUATED, "discriminator")),
            *assertions.MARKS,
        },
        model_extra_keys={one_of.MARK, one_of.DISCRIMINATED, beside.MARK},
        field_extra_keys_without_x_prefix={
            *(f"x-{key}" for key in (_UNIQUE, "enum")),
            *("x-items", _FORMAT, *assertions.MARKS),
        },
        use_typed_nullable_map_values=True,  # type: [object, "null"] keeps its values' type
        # served as written
        field_extra_keys={
            *("readOnly", "writeOnly", directions.MARK),
            *(maps.MARK, lone_discriminators.MARK, member_notes.MARK),
        },
        formatters=[Formatter.RUFF_CHECK, Formatter.RUFF_FORMAT],
        custom_file_header=header(SOURCE),
    )
    if not isinstance(result, str):
        raise RuntimeError(f"datamodel-code-generator made {len(result or ())} modules, not one")
    return result


def _formats_of_classes(code: str, document: Any, models: list[dict[str, Any]]) -> str:
    """Each class made of a schema with keywords its types do not serve (an enum's or a
    model's format, an enum's default: :func:`formats.served_by_class`) decorated with
    ``serves``, so that they are served wherever the class is: as a property, an array's
    items or through a ``$ref``. (A class datamodel-code-generator made of several equal
    schemas is one of them: they say the same.)"""
    served: dict[str, dict[str, Any]] = {}
    for model in models:
        schema = walk.at(document, model.get("source_path"))
        keywords = formats.served_by_class(schema) if isinstance(schema, Mapping) else {}
        keywords.update(_annotations_of_members(document, schema))
        if keywords:
            served.setdefault(model["class_name"], keywords)
    if not served:
        return code
    lines = code.split("\n")  # as ast counts lines (not str.splitlines: a U+2028 in a text)
    named = syntax.named_statements(code, served)
    classes = [n for n in named if isinstance(n, ast.ClassDef)]
    for node in sorted(classes, key=lambda n: n.lineno, reverse=True):
        if node.name in served:
            first = node.decorator_list[0].lineno if node.decorator_list else node.lineno
            arguments = ", ".join(f"{k}={v!r}" for k, v in served[node.name].items())
            lines.insert(first - 1, f"@{formats.SERVES}({arguments})")
    return _with_names("\n".join(lines), formats.MODULE, {formats.SERVES})


def _annotations_of_members(document: Any, schema: Any, depth: int = 0) -> dict[str, bool]:
    """The class annotations (``readOnly``...) an ``allOf`` member says, through ``$ref``
    and nested ``allOf``: they hold for the whole, whose class merges the members
    (pagerduty's ``WebhookIncidentAction``: ``allOf: [$ref Action, {...}]``, ``Action``
    read-only)."""
    found: dict[str, bool] = {}
    members = schema.get("allOf") if isinstance(schema, Mapping) else None
    for member in members if isinstance(members, list) and depth < 20 else ():
        ref = member.get("$ref") if isinstance(member, Mapping) else None
        target = walk.resolved(document, ref) if isinstance(ref, str) else member
        if not isinstance(target, Mapping):
            continue
        found.update({k: True for k in formats.CLASS_ANNOTATIONS if target.get(k) is True})
        found.update(_annotations_of_members(document, target, depth + 1))
    return found


def _exclusive_roots_annotated(code: str, document: Any, models: list[dict[str, Any]]) -> str:
    """Each ``RootModel`` made of an exclusive ``oneOf`` annotated with ``OneOf()`` (served
    as ``oneOf`` and enforced, :mod:`generators.emit.one_of`): a component's, and one a
    ``$ref`` makes of a schema inside another (pagerduty's ``#/components/schemas/
    IncidentTypeCustomFields/properties/default_value``, a class of its own too, served
    ``anyOf`` and taking a value two members accept). The model metadata says which schema
    each class is made of."""
    marks: dict[str, str] = {}
    items: dict[str, str] = {}  # an array's (Things: items: {oneOf: [Cat, Dog]})
    for model in models:
        schema = walk.at(document, model.get("source_path"))
        if one_of.exclusive(schema):
            marks[model["class_name"]] = "OneOf()"
        elif isinstance(schema, dict) and isinstance(schema.get(one_of.POSITION), dict):
            marks[model["class_name"]] = f"Discriminated({schema[one_of.POSITION]!r})"
        elif one_of.exclusive_items(schema):
            items[model["class_name"]] = "OneOf()"
    code = one_of.annotate_roots(code, marks)
    return one_of.annotate_roots(code, items, items=True)


def _map_roots_annotated(code: str, document: Any, models: list[dict[str, Any]]) -> str:
    """Each ``RootModel`` made of a map whose keywords its ``dict`` does not say, or
    whose values are an exclusive ``oneOf``, annotated ``MapKeywords(...)``, which
    serves and enforces them (:mod:`generators.emit.maps`)."""
    marks: dict[str, str] = {}
    for model in models:
        found = maps.annotation(walk.at(document, model.get("source_path")))
        if found is not None:
            marks[model["class_name"]] = found
    return one_of.annotate_roots(code, marks)


def _roots_annotated(
    code: str,
    document: Any,
    models: list[dict[str, Any]],
    mark: str,
    annotation: Callable[[Any], str | None],
) -> str:
    """Each ``RootModel`` made of a component that a pass kept something of under ``mark``
    annotated as that pass says (``annotation``): the lone discriminators its root serves
    (:func:`lone_discriminators.keep`: ``ServedKeywords(...)``), the notes of its union's
    members (:func:`member_notes.keep`: ``MemberNotes(...)``)."""
    marks: dict[str, str] = {}
    for model in models:
        schema = walk.at(document, model.get("source_path"))
        kept = schema.get(mark) if isinstance(schema, dict) else None
        if (written := annotation(kept)) is not None:
            marks[model["class_name"]] = written
    return one_of.annotate_roots(code, marks)


def _unique_classes_marked(code: str, document: Any, models: list[dict[str, Any]]) -> str:
    """Each class made of an array of ``uniqueItems`` (a component, an ``anyOf``/``oneOf``
    member, an array's items, a map's values) annotated ``UniqueItems()``, which serves
    and enforces it wherever the class is used (:mod:`generators.emit.unique_items`)."""
    classes = {
        model["class_name"]
        for model in models
        if unique_items.is_unique(walk.at(document, model.get("source_path")))
    }
    maps = {
        model["class_name"]
        for model in models
        if unique_items.unique_values(walk.at(document, model.get("source_path")))
    }
    marked = unique_items.annotate(code, classes, maps)
    if marked == code:
        return code
    return _with_names(marked, "specs.validation", {unique_items.NAME})


def _custom_bases_kept(code: str, document: Any, models: list[dict[str, Any]]) -> str:
    """A class made of a schema with a ``customBasePath`` (``ContractModel``...) that
    datamodel-code-generator writes as a subclass of other generated classes (an
    ``allOf`` of ``$ref``s) keeps that base beside them: it puts the referenced classes in
    its place, and the keywords the base enforces (a ``minProperties``, an
    ``unevaluatedProperties: false`` beside the ``allOf``) were served but not enforced."""
    wanted: dict[str, list[str]] = {}
    for model in models:
        schema = walk.at(document, model.get("source_path"))
        paths = schema.get("customBasePath") if isinstance(schema, Mapping) else None
        listed = [paths] if isinstance(paths, str) else paths if isinstance(paths, list) else []
        if listed:
            wanted.setdefault(model["class_name"], [str(path) for path in listed])
    if not wanted:
        return code
    classes = [n for n in syntax.parsed(code).body if isinstance(n, ast.ClassDef)]
    bases = {n.name: [b.id for b in n.bases if isinstance(b, ast.Name)] for n in classes}

    def ancestors(name: str, depth: int = 0) -> set[str]:
        found = set(bases.get(name, ()))
        for base in bases.get(name, ()) if depth < 50 else ():
            found |= ancestors(base, depth + 1)
        return found

    lines = code.split("\n")  # as ast counts lines
    added: dict[str, set[str]] = {}
    for node in sorted(classes, key=lambda n: n.lineno, reverse=True):
        named = bases[node.name]
        if node.name not in wanted or not set(named) & set(bases):
            continue
        inherited = ancestors(node.name)  # a base a generated base already has: no twice
        missing = [p for p in wanted[node.name] if p.rpartition(".")[2] not in inherited]
        if not missing:
            continue
        last = node.bases[-1]
        row = (last.end_lineno or last.lineno) - 1
        column = last.end_col_offset or 0
        appended = ", ".join(p.rpartition(".")[2] for p in missing)
        lines[row] = f"{lines[row][:column]}, {appended}{lines[row][column:]}"
        for path in missing:
            module, _, name = path.rpartition(".")
            added.setdefault(module, set()).add(name)
    code = "\n".join(lines)
    for module in sorted(added):
        code = _with_names(code, module, added[module])
    return code


def _root_defaults_as_written(code: str, document: Any, models: list[dict[str, Any]]) -> str:
    """A ``RootModel`` made of a schema without a ``default`` keeps its root without one:

    - a nullable one (immich's nullable ``[stackId, assetCount]`` items):
      datamodel-code-generator writes ``root: X | None = None``, which serves
      ``default: null`` the contract does not write and makes the value optional where the
      contract asks for one (null included);
    - an inline one (a member of a property's ``anyOf``: prefect's ``enabled``, an array
      or a boolean, defaulting to ``["events"]``), whatever the default:
      datamodel-code-generator copies the property's default into the member's class,
      which would serve it there too (the property keeps it)."""
    bare = {
        model["class_name"]: len(model.get("source_path") or ()) > 3
        for model in models
        if isinstance(schema := walk.at(document, model.get("source_path")), Mapping)
        and "default" not in schema
    }
    spans: list[tuple[int, int, int, int]] = []
    for node in syntax.named_statements(code, bare):
        if not isinstance(node, ast.ClassDef) or node.name not in bare:
            continue
        if not any("RootModel" in ast.unparse(base) for base in node.bases):
            continue
        for item in node.body:
            if not (
                isinstance(item, ast.AnnAssign)
                and isinstance(item.target, ast.Name)
                and item.target.id == "root"
                and item.value is not None
            ):
                continue
            null = isinstance(item.value, ast.Constant) and item.value.value is None
            if null or bare[node.name]:
                kind = item.annotation
                after = (kind.end_lineno or kind.lineno, kind.end_col_offset or 0)
                # to the statement's end: a value ruff wrapped, ``= (\n MISSING\n)``, too
                spans.append((*after, item.end_lineno or item.lineno, item.end_col_offset or 0))
    if not spans:
        return code
    lines = code.encode().split(b"\n")  # as ast counts lines and columns (UTF-8 bytes)
    for start, column, end, end_column in sorted(spans, reverse=True):
        lines[start - 1 : end] = [lines[start - 1][:column] + lines[end - 1][end_column:]]
    return b"\n".join(lines).decode()


# Python types of string formats that a ``str`` literal is not (mypy: "Incompatible types
# in assignment"), though pydantic validates the string into them.
_PARSED_FROM_STRINGS = frozenset(
    {
        *("AnyUrl", "AnyHttpUrl", "HttpUrl", "date", "datetime", "AwareDatetime"),
        *("NaiveDatetime", "time", "timedelta", "UUID", "IPv4Address", "IPv6Address"),
        *("IPvAnyAddress", "Decimal"),
    }
)
_STRING_LIKE = frozenset({"str", "EmailStr", "Literal", "Any"})


def _typed_defaults(code: str) -> str:
    """A field whose type a string format gives (``AnyUrl``, ``date``, ``UUID``...) and
    whose contract ``default`` is that string (``type: AnyUrl = "about:blank"``, RFC
    9457's problem ``type``) gets ``Field(default="...", validate_default=True)``: the same
    default, served as written, validated into the field's type, and no mypy error."""
    tree = syntax.parsed(code)
    spans: list[tuple[int, int, int, int, str]] = []
    for node in syntax.statements(tree):
        if not (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            continue
        names = {n.id for n in ast.walk(node.annotation) if isinstance(n, ast.Name)}
        names |= {n.attr for n in ast.walk(node.annotation) if isinstance(n, ast.Attribute)}
        if names & _PARSED_FROM_STRINGS and not (
            names & _STRING_LIKE or any(name.endswith("String") for name in names)
        ):
            value = node.value
            replacement = f"Field(default={value.value!r}, validate_default=True)"
            spans.append(
                (
                    value.lineno,
                    value.col_offset,
                    value.end_lineno or value.lineno,
                    value.end_col_offset or 0,
                    replacement,
                )
            )
    if not spans:
        return code
    lines = code.splitlines(keepends=True)
    for start, column, end, end_column, replacement in sorted(spans, reverse=True):
        head, tail = lines[start - 1][:column], lines[end - 1][end_column:]
        lines[start - 1 : end] = [head + replacement + tail]
    return _with_names("".join(lines), "pydantic", {"Field"})


# Types whose values a JSON literal is, to mypy too (a literal default of any other type in
# an annotation is one pydantic validates into it: ``_class_typed_defaults``).
_LITERAL_TYPES = frozenset(
    {*("Annotated", "list", "dict", "set", "tuple", "str", "int", "float", "bool", "bytes")}
    | {"None", "MISSING", "Literal", "Any", "Field"}
)


def _class_typed_defaults(code: str) -> str:
    """A field (or root) whose contract ``default`` is a JSON literal where its type is
    a class pydantic validates the literal into (prefect's ``HeartbeatFrequency``, a
    ``RootModel[int]``, defaulting to ``30``; a model defaulting to ``{"eq_": False}``; a
    map of ``timedelta`` to ``{"k": "P7D"}``; a ``Path`` to a string) gets
    ``Field(default=..., validate_default=True)``: the same default, served as written,
    validated into the type, and no mypy error (``Incompatible types in assignment``).
    A ``specs.formats`` type is a literal's (an ``Annotated`` alias)."""
    tree = syntax.parsed(code)
    formats_names = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module == formats.MODULE
        for alias in node.names
    }
    spans: list[tuple[int, int, int, int, str]] = []
    for node in syntax.statements(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        for item in node.body:
            if not isinstance(item, ast.AnnAssign) or item.value is None:
                continue
            value = item.value
            if not _json_literal(value):
                continue
            kind = item.annotation
            if isinstance(kind, ast.Subscript) and ast.unparse(kind.value) == "Annotated":
                elements = kind.slice.elts if isinstance(kind.slice, ast.Tuple) else [kind.slice]
                kind = elements[0]
            names = {n.id for n in ast.walk(kind) if isinstance(n, ast.Name)}
            if not names - _LITERAL_TYPES - formats_names:
                continue
            text = syntax.segment(code, value)
            replacement = f"Field(default={text}, validate_default=True)"
            end_line, end_column = value.end_lineno or value.lineno, value.end_col_offset or 0
            spans.append((value.lineno, value.col_offset, end_line, end_column, replacement))
    if not spans:
        return code
    lines = code.splitlines(keepends=True)  # columns in UTF-8 bytes
    for start, column, end, end_column, replacement in sorted(spans, reverse=True):
        head = lines[start - 1].encode()[:column].decode()
        tail = lines[end - 1].encode()[end_column:].decode()
        lines[start - 1 : end] = [head + replacement + tail]
    return _with_names("".join(lines), "pydantic", {"Field"})


def _json_literal(node: ast.expr) -> bool:
    """Whether ``node`` is a JSON value written as a literal (not ``None``: every
    optional type admits it)."""
    if isinstance(node, ast.Constant):
        return node.value is not None and not isinstance(node.value, bytes)
    if isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant):
        return True
    return isinstance(node, ast.List | ast.Dict | ast.Tuple)


_AMBIGUOUS = re.compile(r"^(    (?:I|O|l)\s*[:=][^#\n]*)$", re.MULTILINE)


def _text_patterns_served(code: str) -> str:
    """A field of a URL kept as text (``specs.formats.UriText``) with a ``pattern`` also
    serves it and the format (``json_schema_extra``): pydantic enforces a ``pattern``
    beside a type with a check of its own but leaves it out of the schema it serves, and
    the format out of a response's."""
    if not any(text in code for text in formats.TEXT_TYPES):
        return code  # no field of those types: the module's tree is not needed
    tree = syntax.parsed(code)
    spans: list[tuple[ast.Call, str]] = []
    for node in syntax.statements(tree):
        if not isinstance(node, ast.AnnAssign):
            continue
        names = {n.id for n in ast.walk(node.annotation) if isinstance(n, ast.Name)}
        texts = sorted(names & set(formats.TEXT_TYPES))
        if not texts:
            continue
        for call in ast.walk(node.annotation):
            if not (isinstance(call, ast.Call) and ast.unparse(call.func) == "Field"):
                continue
            keywords = {k.arg: k.value for k in call.keywords}
            if "pattern" in keywords and "json_schema_extra" not in keywords:
                served = f"'format': {formats.TEXT_TYPES[texts[0]]!r}"
                served += f", 'pattern': {ast.unparse(keywords['pattern'])}"
                extra = f"json_schema_extra={{{served}}}"
                spans.append((call, ast.unparse(call)[:-1] + f", {extra})"))
    if not spans:
        return code
    lines = code.encode().split(b"\n")  # ast's columns count UTF-8 bytes
    for call, replacement in sorted(
        spans, key=lambda s: (s[0].lineno, s[0].col_offset), reverse=True
    ):
        end_line = call.end_lineno or call.lineno
        head = lines[call.lineno - 1][: call.col_offset]
        tail = lines[end_line - 1][call.end_col_offset :]
        lines[call.lineno - 1 : end_line] = [head + replacement.encode() + tail]
    return b"\n".join(lines).decode()


def _ambiguous_names_kept(code: str) -> str:
    """A member or field the contract names ``I``, ``O`` or ``l`` (an enum value ``"I"``)
    keeps its name: ruff's E741 (names that look like digits) is silenced on its line,
    since renaming it would make the code say something else than the contract."""
    return _AMBIGUOUS.sub(r"\1  # noqa: E741", code)


def _union_bases_with_bars(code: str) -> str:
    """``class Details(RootModel[Union[dict[str, "Details"], Inner]])`` (a recursive
    root model, Discord's ``ErrorDetails``) spelled ``RootModel[dict[str, "Details"] |
    Inner]``, as ruff's UP007 wants: a base is evaluated at run time, where ``|`` works
    between types and generic aliases, not with a bare string, so a ``Union`` one of
    whose members is a forward reference itself stays (ruff leaves those alone too)."""
    tree = syntax.parsed(code)
    spans: list[tuple[int, int, int, int, str]] = []
    for node in syntax.statements(tree):
        if not isinstance(node, ast.ClassDef):
            continue
        for base in node.bases:
            for union in ast.walk(base):
                if not (
                    isinstance(union, ast.Subscript)
                    and isinstance(union.value, ast.Name)
                    and union.value.id == "Union"
                    and isinstance(union.slice, ast.Tuple)
                ):
                    continue
                members = union.slice.elts
                if any(isinstance(m, ast.Constant) for m in members):
                    continue
                text = " | ".join(syntax.segment(code, m) for m in members)
                end_line, end_column = union.end_lineno, union.end_col_offset
                if end_line is None or end_column is None:
                    continue
                spans.append((union.lineno, union.col_offset, end_line, end_column, text))
    if not spans:
        return code
    lines = code.splitlines(keepends=True)
    outermost = [s for s in spans if not any(o != s and _within(s, o) for o in spans)]
    for start, column, end, end_column, replacement in sorted(outermost, reverse=True):
        head, tail = lines[start - 1][:column], lines[end - 1][end_column:]
        lines[start - 1 : end] = [head + replacement + tail]
    return _without_unused_typing_name("".join(lines), "Union")


def _within(inner: tuple[int, int, int, int, str], outer: tuple[int, int, int, int, str]) -> bool:
    return outer[:2] <= inner[:2] and inner[2:4] <= outer[2:4]


_TYPING_IMPORT = re.compile(r"^from typing import (\([^)]*\)|[^\n(]*)\n", re.MULTILINE)


def _without_unused_typing_name(code: str, name: str) -> str:
    """``code`` without ``name`` in its ``from typing import`` when nothing uses it."""
    found = _TYPING_IMPORT.search(code)
    used = any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(syntax.parsed(code)))
    if found is None or used:
        return code
    names = [n.strip() for n in found.group(1).strip("()").split(",")]
    kept = [n for n in names if n and n != name]
    line = f"from typing import {', '.join(kept)}\n" if kept else ""
    return code.replace(found.group(0), line, 1)


def _models_named_as_written(code: str) -> str:
    """A model the contract names ``ErrorResponse`` deriving from its ``Error`` keeps both
    names: ruff's N818 (an exception's name ends in ``Error``) reads any class with a base
    named ``...Error`` as an exception, which a pydantic model is not, so it is silenced
    on that class's line; renaming would make the code say something else than the
    contract."""
    tree = syntax.parsed(code)
    flagged = {
        node.lineno
        for node in syntax.statements(tree)
        if isinstance(node, ast.ClassDef)
        and not node.name.endswith("Error")
        and any(
            isinstance(base, ast.Name) and (base.id == "Exception" or base.id.endswith("Error"))
            for base in node.bases
        )
    }
    if not flagged:
        return code
    lines = code.splitlines(keepends=True)
    for number in flagged:
        line = lines[number - 1]
        body = line.rstrip("\n")
        lines[number - 1] = f"{body}  # noqa: N818" + line[len(body) :]
    return "".join(lines)


def _all_of_bases(document: dict[str, Any], node: Any) -> dict[str, frozenset[str]]:
    """The component schemas some ``allOf`` lists by reference beside other members, each
    with the names of the properties declared beside it (by the other members, through
    ``$ref``, or beside the ``allOf``): bases whose properties datamodel-code-generator
    merges into the class of each schema that lists them. (``allOf: [$ref]`` alone,
    pagerduty's incident ``body``, is that schema: no other member declares what it
    requires.)"""
    found: dict[str, set[str]] = {}

    def visit(node: dict[str, Any]) -> None:
        members = node.get("allOf")
        if not isinstance(members, list) or len(members) < 2:
            return
        for member in members:
            ref = member.get("$ref") if isinstance(member, dict) else None
            if isinstance(ref, str) and ref.startswith(_COMPONENT_REF):
                name = ref.removeprefix(_COMPONENT_REF).replace("~1", "/").replace("~0", "~")
                beside = {key: value for key, value in node.items() if key != "allOf"}
                others = [m for m in members if m is not member]
                declared = _names_declared(document, {**beside, "allOf": others})
                found.setdefault(name, set()).update(declared)

    walk.bottom_up(node, visit)
    return {name: frozenset(declared) for name, declared in found.items()}


def _names_declared(
    document: dict[str, Any], schema: Any, seen: set[str] | None = None
) -> set[str]:
    """The names of the properties ``schema`` declares (:func:`_declared_properties`), or
    any of its ``anyOf``/``oneOf`` alternatives does (each reference followed once)."""
    seen = set() if seen is None else seen
    if not isinstance(schema, dict):
        return set()
    ref = schema.get("$ref")
    if isinstance(ref, str):
        if ref in seen:
            return set()
        seen.add(ref)
        return _names_declared(document, walk.resolved(document, ref), seen)
    found = set(overridden_bases.declared_properties(document, schema))
    for keyword in ("allOf", "anyOf", "oneOf"):
        for member in schema.get(keyword) or ():
            found |= _names_declared(document, member, seen)
    return found


_COMPONENT_REF = "#/components/schemas/"


def _prepared(
    node: Any,
    path: tuple[str, ...] = (),
    bases: Mapping[str, frozenset[str]] | None = None,
    plain: frozenset[str] = frozenset(),
    legacy: bool = False,
) -> Any:
    """The document as datamodel-code-generator reads it: every schema rewritten by
    ``_prepared_schema``, bottom-up (``example``/``default``/``enum``/``const`` are values,
    not schemas, and stay as written; a map of named schemas, ``properties`` or
    ``components/schemas``, is no schema itself: a property named ``properties`` or
    ``type`` is not taken for a keyword). ``plain``: the components
    :func:`_evaluated_by_properties` names; ``legacy``: an OpenAPI 3.0 document's (the
    keywords beside a ``$ref`` mean nothing)."""
    bases = bases or {}
    if isinstance(node, list):
        return [_prepared(item, path, bases, plain, legacy) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in _NOT_SCHEMAS:
            out[key] = value
        elif key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {
                name: _prepared(item, (*path, key, name), bases, plain, legacy)
                for name, item in value.items()
            }
        else:
            out[key] = _prepared(value, (*path, key), bases, plain, legacy)
    component = len(path) == 3 and path[:2] == ("components", "schemas")
    # a list's item (a sibling or the schema holding it may declare what it requires), or
    # a base another schema's allOf merges (what it requires the others declare there)
    member = bool(path) and path[-1] in ("allOf", "anyOf", "oneOf")
    declared = bases.get(path[2]) if component else None
    return _prepared_schema(
        out,
        component=component,
        member=member,
        declared_beside=declared,
        plain=plain,
        legacy=legacy,
    )


_SCHEMA_MAPS = {"properties", "patternProperties", "$defs", "definitions", "schemas"}


def _prepared_schema(
    schema: dict[str, Any],
    *,
    component: bool = False,
    member: bool = False,
    declared_beside: frozenset[str] | None = None,
    plain: frozenset[str] = frozenset(),
    legacy: bool = False,
) -> dict[str, Any]:
    """Mark what ``ContractModel`` enforces, and hoist a null-union branch's default.

    A model to enforce something derives from ``ContractModel`` (datamodel-code-generator's
    ``customBasePath``); its ``x-`` keys lose the prefix in ``json_schema_extra``: the
    property-count bounds on the model, ``uniqueItems`` on each array property's field.
    """
    _other_types_keywords_dropped(schema)
    _annotation_members_hoisted(schema)
    _repeated_members_once(schema)
    reading = typeless_reading(schema)
    if reading is not None:  # as the loader reads it, with a warning
        schema["type"] = reading
    if component:
        maps.keep(schema, root=True)  # before it reads as free-form: its keys' keywords are kept
    if _free_form(schema):
        schema["additionalProperties"] = True  # what it means; else the model drops it all
    _discriminator_served_as_written(schema)
    if component:  # a RootModel's root serves them (a model's json_schema_extra its own)
        lone_discriminators.keep(schema, root=True)
        member_notes.keep(schema, root=True, legacy=legacy)
    unique_items.map_values_modelled(schema, component=component)
    values = enum_values(schema)
    if values is not None and len(values) < len(schema["enum"]):
        schema["enum"] = values  # the values its type refuses can never be valid
    nullability.null_refused_by_enum(schema)
    nullability.null_member_of_any_of(schema)
    format_type = formats.alias(schema, component=component)
    if format_type is not None:  # served as written and enforced: see emit/formats.py
        schema["customTypePath"] = f"{formats.MODULE}.{format_type}"
        if schema.get("format") == "hostname":  # the type serves it; else a regex is added
            del schema["format"]
    elif base_type(schema) == "array" and isinstance(schema.get("format"), str):
        schema[_FORMAT] = schema.pop("format")  # an annotation: served by the field
    _required_names_declared(schema, member=member, beside=declared_beside or frozenset())
    properties = schema.get("properties")
    if isinstance(properties, dict):
        bounds = {key: schema[key] for key in _COUNTS if isinstance(schema.get(key), int)}
        if _sealed_alone(schema, member=member or declared_beside is not None, plain=plain):
            bounds[_UNEVALUATED] = schema.pop(_UNEVALUATED)
        schema.update({f"x-{key}": value for key, value in bounds.items()})
        unique = [
            name
            for name, prop in properties.items()
            if isinstance(prop, dict) and prop.get(_UNIQUE) is True
        ]
        for name in unique:
            properties[name] = {**properties[name], f"x-{_UNIQUE}": True}
        for name, prop in properties.items():
            if isinstance(prop, dict) and prop.get("enum") == []:
                properties[name] = {**prop, "x-enum": []}  # no value: served, refused
        empty = [name for name, prop in properties.items() if "x-enum" in prop]
        for prop in properties.values():
            if isinstance(prop, dict):
                maps.keep(prop)
        mapped = [name for name, prop in properties.items() if maps.MARK in prop]
        served = [
            name
            for name, prop in properties.items()
            if isinstance(prop, dict) and lone_discriminators.keep(prop)
        ]
        for prop in properties.values():
            if isinstance(prop, dict):  # served by SchemaModel, every model's base
                member_notes.keep(prop, legacy=legacy)
        for name, prop in properties.items():
            if isinstance(prop, dict):
                nullability.null_by_type(prop)
            items = prop.get("items") if isinstance(prop, dict) else None
            if isinstance(items, dict) and _items_served_as_written(items):
                written = {k: v for k, v in items.items() if k not in _GENERATOR_KEYS}
                properties[name] = {**prop, "x-items": written}
        if (bounds or unique or mapped or empty or served) and "customBasePath" not in schema:
            schema["customBasePath"] = _CONTRACT_BASE
        one_of.mark_properties(schema)
        beside.mark_base(schema)
    _contract_base_from_members(schema)
    one_of.lift_from_all_of(schema)
    assertions.mark(schema)
    _value_member_default_hoisted(schema)
    _null_branch_notes_hoisted(schema)
    if format_type is not None:
        return _custom_type_admitting_null(schema)
    return schema


def _contract_base_from_members(schema: dict[str, Any]) -> None:
    """An inline ``allOf`` member whose properties keep keywords in their fields'
    ``json_schema_extra`` for ``ContractModel`` (a lone discriminator, a map's keywords,
    ``uniqueItems``...) gives that base to the schema holding the ``allOf``:
    datamodel-code-generator merges the member into that schema's class, keeping the
    fields' ``json_schema_extra`` but not always the member's base (not beside a base
    ``overridden_bases`` wrote in place)."""
    members = schema.get("allOf")
    if not isinstance(members, list):
        return
    if not any(
        isinstance(member, dict)
        and isinstance(member.get("properties"), dict)
        and _CONTRACT_BASE in _base_list(member.get("customBasePath"))
        for member in members
    ):
        return
    bases = _base_list(schema.get("customBasePath"))
    if _CONTRACT_BASE not in bases:
        schema["customBasePath"] = [*bases, _CONTRACT_BASE] if bases else _CONTRACT_BASE


def _base_list(base: Any) -> list[str]:
    return [] if base is None else [base] if isinstance(base, str) else list(base)


def _null_branch_notes_hoisted(schema: dict[str, Any]) -> None:
    """The ``default`` and ``deprecated`` of the one branch of an ``anyOf``/``oneOf``
    beside ``{type: "null"}`` move beside it: the default is the value a client sees
    applied either way, and the deprecation the property's (openai's
    ``prompt_cache_retention``: ``anyOf: [{$ref: PromptCacheRetentionEnum, deprecated:
    true}, {type: "null"}]``); datamodel-code-generator drops both on a branch. One the
    schema already says beside it stays as it is."""
    for keyword in ("anyOf", "oneOf"):
        branches = schema.get(keyword)
        if not isinstance(branches, list):
            continue
        rest = [b for b in branches if not (isinstance(b, dict) and b.get("type") == "null")]
        if not (len(rest) == 1 < len(branches) and isinstance(rest[0], dict)):
            continue
        notes = [key for key in ("default", "deprecated") if key in rest[0] and key not in schema]
        if notes:
            branch = dict(rest[0])
            schema.update({key: branch.pop(key) for key in notes})
            schema[keyword] = [branch if b is rest[0] else b for b in branches]


def _items_served_as_written(items: dict[str, Any]) -> bool:
    """Whether an array property's inline ``items`` are served as written (the field's
    ``json_schema_extra``), pydantic's ``list[X]`` serving what they only annotate: an
    ``xml`` name (Swagger Petstore's ``photoUrl``), or ``readOnly``/``writeOnly``/
    ``deprecated`` on a scalar (pagerduty's read-only ``days_of_week`` items; a class made
    of the items serves them itself: ``formats.served_by_class``). Not items holding a
    ``$ref``: the written reference would not resolve in the served document."""
    if "$ref" in json.dumps(items):
        return False
    annotated = any(items.get(key) is True for key in ("readOnly", "writeOnly", "deprecated"))
    return "xml" in items or (annotated and formats.scalar_type(items) is not None)


def _other_types_keywords_dropped(schema: dict[str, Any]) -> None:
    """Keywords for other instance types than ``type`` allows validate nothing: JSON Schema
    applies each to its own type only, and ``type`` refuses those. vonage writes
    ``properties`` beside ``type: array`` (datamodel-code-generator would make a model of
    them and serve a union), sentry ``minLength: 2`` beside one (it would bound the list's
    length). The loader warns about each (``generators.loading.smells``)."""
    for key in idle_keywords(schema):
        del schema[key]


_DESCRIBES_MEMBERS = frozenset(
    {"properties", "patternProperties", "additionalProperties", "unevaluatedProperties"}
    | {"propertyNames", "allOf", "anyOf", "oneOf", "not", "if", "$ref", "enum", "const"}
    | {"required", "minProperties", "maxProperties", "dependentRequired", "dependentSchemas"}
)


def _free_form(schema: dict[str, Any]) -> bool:
    """``{type: object}`` and nothing on its members: any object. As a component it would
    be a model without fields, which ignores (and so drops) every member of the value
    it validates: ``additionalProperties: true`` (the same schema) makes it keep them."""
    kind = schema.get("type")
    objects = kind == "object" or isinstance(kind, list) and "object" in kind
    return objects and not _DESCRIBES_MEMBERS & set(schema)


def _required_names_declared(
    schema: dict[str, Any], *, member: bool, beside: frozenset[str] = frozenset()
) -> None:
    """A name ``required`` lists but nothing declares (DigitalOcean's logtail spec
    requires an ``endpoint`` it never declares) is a property of what
    ``additionalProperties`` admits, any value without it: the object must hold it, as
    JSON Schema says. datamodel-code-generator would drop it from ``required`` (the
    model would accept an object without it). The loader warns of it. A base some
    ``allOf`` merges leaves undeclared the names declared ``beside`` it there (Spotify's
    ``PagingObject`` requires the ``items`` each paging subclass types: declared as any
    value in the base, datamodel-code-generator typed them ``Any`` in every subclass),
    and declares the others (openai's ``ResponseAudioDoneEvent`` requires a
    ``response_id`` that neither it nor the event extending it declares)."""
    extra = schema.get("additionalProperties")
    for name in undeclared_required(schema, member=member):
        if name not in beside:
            schema["properties"][name] = copy.deepcopy(extra) if isinstance(extra, dict) else {}


def _sealed_alone(schema: dict[str, Any], *, member: bool, plain: frozenset[str]) -> bool:
    """Whether ``schema`` is an object closed by ``unevaluatedProperties: false`` whose
    properties nothing evaluates but ``properties``: its own, and those of the components
    an ``allOf`` beside it names (each ``plain``: :func:`_evaluated_by_properties`); no
    ``additionalProperties``/``patternProperties`` beside, no other subschema (``$ref``,
    ``anyOf``...), and not a member or a base another schema merges (its subclass would
    inherit the refusal). The properties it admits are then those its class declares,
    inherited ones included (datamodel-code-generator makes a subclass of each
    ``allOf`` component): ``additionalProperties: false`` on them, which
    datamodel-code-generator writes (``extra="forbid"``), served so. The model keeps the
    keyword in its ``json_schema_extra`` instead, served as written (beside the
    ``allOf`` of its bases: ``ContractModel``), and ``ContractModel`` refuses any other
    property."""
    kept = {"additionalProperties", "patternProperties", "$ref", "$dynamicRef"}
    kept |= {"anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas"}
    members = schema.get("allOf", [])
    named = [_component_named(m) for m in members] if isinstance(members, list) else [None]
    return (
        schema.get(_UNEVALUATED) is False
        and not member
        and not kept & set(schema)
        and all(name is not None and name in plain for name in named)
    )


_BY_PROPERTIES = ANNOTATIONS | {"type", "properties", "required", "allOf", *_COUNTS}
"""What a schema evaluating an object's properties by ``properties`` alone may say."""


def _evaluated_by_properties(document: dict[str, Any]) -> frozenset[str]:
    """The component schemas of objects whose properties only ``properties`` evaluate
    (theirs, and those of the components their ``allOf`` names, each such a schema): no
    ``additionalProperties``, ``patternProperties``, ``unevaluatedProperties``, nor a
    subschema that may evaluate others (``anyOf``, ``if``, ``dependentSchemas``...). A
    property ``unevaluatedProperties: false`` beside an ``allOf`` of them admits is one
    some ``properties`` of theirs lists."""
    schemas = document.get("components", {}).get("schemas")
    schemas = schemas if isinstance(schemas, dict) else {}
    marks = {beside.MARK, one_of.MARK, one_of.DISCRIMINATED, maps.MARK, *assertions.MARKS}

    def plain(name: str, seen: frozenset[str]) -> bool:
        schema = schemas.get(name)
        if not isinstance(schema, dict) or name in seen:
            return False
        keys = {k for k in schema if not (str(k).startswith("x-") and k not in marks)}
        members = schema.get("allOf", [])
        return (
            keys <= _BY_PROPERTIES
            and schema.get("type", "object") == "object"
            and isinstance(members, list)
            and all(
                (found := _component_named(m)) is not None and plain(found, seen | {name})
                for m in members
            )
        )

    return frozenset(name for name in schemas if plain(name, frozenset()))


def _component_named(member: Any) -> str | None:
    """The component schema ``member`` is a bare reference to, if it is one."""
    ref = member.get("$ref") if isinstance(member, dict) and len(member) == 1 else None
    if not isinstance(ref, str) or not ref.startswith(_COMPONENT_REF):
        return None
    return ref.removeprefix(_COMPONENT_REF).replace("~1", "/").replace("~0", "~")


def _repeated_members_once(schema: dict[str, Any]) -> None:
    """An ``anyOf`` member written twice, identically, is listed once (svix's ``Data``
    lists one object schema three times): at least one of ``A, A, B`` is at least one of
    ``A, B``. datamodel-code-generator would make a class of some repetitions and not of
    others, serving a union of equal classes. (A ``oneOf`` keeps its repetition: it
    refuses every value a repeated member accepts.)"""
    members = schema.get("anyOf")
    if isinstance(members, list):
        texts = [json.dumps(member, sort_keys=True, default=str) for member in members]
        schema["anyOf"] = [m for i, m in enumerate(members) if texts[i] not in texts[:i]]


def _annotation_members_hoisted(schema: dict[str, Any]) -> None:
    """``allOf`` members that only annotate (DigitalOcean's ``cors``: ``allOf: [$ref,
    {description: ...}, {deprecated: true}]``) move beside the ``allOf``: they validate
    nothing, and datamodel-code-generator, typing the property as the reference, would
    drop them (a deprecated property served as not deprecated). A keyword already beside
    it stays as it is."""
    members = schema.get("allOf")
    if not isinstance(members, list):
        return
    notes = [m for m in members if isinstance(m, dict) and m and set(m) <= ANNOTATIONS]
    if not notes or len(notes) == len(members):
        return
    for note in notes:
        for key, value in note.items():
            schema.setdefault(key, value)
    schema["allOf"] = [m for m in members if not any(m is note for note in notes)]


def _discriminator_served_as_written(schema: dict[str, Any]) -> None:
    """A ``discriminator`` on a schema without ``oneOf``/``anyOf`` (OpenAPI 3.0's
    inheritance idiom: pagerduty's ``IncidentAction``) is served as written, from the
    model's ``json_schema_extra``. Left to datamodel-code-generator, every ``$ref`` to it
    would become the union of the schemas that extend it (a list of ``IncidentAction``
    typed as its subclass). Where generated classes derive from it, it selects the one a
    value is validated and read as (:mod:`generators.emit.inheritance`); else it
    validates nothing: JSON Schema checks a value against the schema that names it."""
    if "discriminator" in schema and not {"oneOf", "anyOf"} & set(schema):
        schema["x-discriminator"] = schema.pop("discriminator")


def _value_member_default_hoisted(schema: dict[str, Any]) -> None:
    """The ``default`` of one member of an ``anyOf``/``oneOf`` whose members only list
    values (DigitalOcean's ``instance_size_slug``: two enums, the first defaulting to
    ``apps-s-1vcpu-0.5gb``) moves beside it: such a union is the enum of all the values
    (fidelity rule 16), and its default is that value's."""
    for keyword in ("anyOf", "oneOf"):
        members = schema.get(keyword)
        if "default" in schema or not isinstance(members, list):
            continue
        if not all(isinstance(m, dict) and ("enum" in m or "const" in m) for m in members):
            continue
        defaults = [m for m in members if "default" in m]
        if len(defaults) == 1:
            schema["default"] = defaults[0]["default"]
            schema[keyword] = [{k: v for k, v in m.items() if k != "default"} for m in members]


def _custom_type_admitting_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A ``specs.formats`` type (``customTypePath``) that admits null, as
    datamodel-code-generator keeps it: it drops the null of ``type: [integer, "null"]``
    beside a custom type (a required field, an item, a map value, a root) and of
    ``nullable: true`` in an item or a map value. Without constraints the schema becomes
    ``anyOf: [{the type}, {type: "null"}]`` (its annotations beside), which it reads
    everywhere; with constraints (``minimum``...), which it would make a class of in an
    ``anyOf`` member, it is the type with ``nullable: true``. Both admit the same values."""
    kind = formats.scalar_type(schema)
    listed = schema.get("type")
    if kind is None or not (
        schema.get("nullable") is True or (isinstance(listed, list) and "null" in listed)
    ):
        return schema
    typed = {k: v for k, v in schema.items() if k not in ("type", "nullable")}
    constraints = [
        k for k in typed if k not in ANNOTATIONS and k not in ("format", "customTypePath")
    ]
    if any(not key.startswith("x-") for key in constraints):
        return {**typed, "type": kind, "nullable": True}
    member: dict[str, Any] = {"type": kind}
    member.update({k: typed[k] for k in ("format", "customTypePath") if k in typed})
    outside = {k: v for k, v in typed.items() if k not in member}
    return {**outside, "anyOf": [member, {"type": "null"}]}


def _referenced_defaults_written(document: dict[str, Any], node: Any) -> None:
    """An optional property that is a ``$ref`` to a schema with a ``default`` (DigitalOcean's
    ``phase``: an enum defaulting to ``UNKNOWN``) is written ``allOf: [$ref]`` with that
    default beside it: the default a client sees applied either way. Left as a bare
    reference, datamodel-code-generator types the field ``Phase | None`` (null accepted
    and served, which the contract refuses)."""
    if isinstance(node, list):
        for item in node:
            _referenced_defaults_written(document, item)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key not in _NOT_SCHEMAS:
            _referenced_defaults_written(document, value)
    properties = node.get("properties")
    if not isinstance(properties, dict):
        return
    listed = node.get("required")
    required = listed if isinstance(listed, list) else []
    for name, prop in properties.items():
        ref = prop.get("$ref") if isinstance(prop, dict) else None
        if not isinstance(ref, str) or "default" in prop or name in required:
            continue
        target = walk.resolved(document, ref)
        if isinstance(target, dict) and "default" in target:
            rest = {k: v for k, v in prop.items() if k != "$ref"}
            properties[name] = {"allOf": [{"$ref": ref}], **rest, "default": target["default"]}


@lru_cache(maxsize=8)
def _enum_members(code: str) -> dict[str, dict[str, str]]:
    """``{class: {json value: member}}`` of the enums in the generated code."""
    found: dict[str, dict[str, str]] = {}
    for node in syntax.parsed(code).body if code else ():
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


_EXPERIMENTAL_MISSING = "from pydantic.experimental.missing_sentinel import MISSING\n"


def _stable_missing(code: str) -> str:
    """``MISSING`` from ``pydantic`` itself (2.14+), not its deprecated experimental module."""
    if _EXPERIMENTAL_MISSING not in code:
        return code
    return _with_names(code.replace(_EXPERIMENTAL_MISSING, "", 1), "pydantic", {"MISSING"})


def _with_names(code: str, module: str, added: set[str]) -> str:
    """``code`` whose ``from <module> import ...`` also imports ``added`` (a statement of
    its own after ``from __future__`` where there is none: ``_first_party_last`` places a
    ``specs`` one)."""
    statement = re.compile(rf"^from {re.escape(module)} import (\([^)]*\)|[^\n(]*)\n", re.M)
    found = statement.search(code)
    if found is None:
        if module == "pydantic":
            raise RuntimeError("the generated schemas import nothing from pydantic")
        future = "from __future__ import annotations\n"
        line = f"from {module} import {', '.join(sorted(added))}\n"
        return code.replace(future, future + line, 1) if future in code else line + code
    names = {name.strip() for name in found.group(1).strip("()").split(",") if name.strip()}
    # isort's order (ruff's default): CONSTANTS, then Classes, then functions.
    ordered = sorted(names | added, key=lambda n: (not n.isupper(), not n[:1].isupper(), n))
    return code.replace(found.group(0), f"from {module} import {', '.join(ordered)}\n", 1)


_SPECS_IMPORT = re.compile(r"^from specs\.\w+ import (?:\([^)]*\)|[^\n]+)\n", re.MULTILINE)


def _first_party_last(code: str) -> str:
    """The ``specs`` imports in a section of their own after the third-party ones, as the
    project's isort settings want them (datamodel-code-generator sorts them as third-party)."""
    found = [match.group(0) for match in _SPECS_IMPORT.finditer(code)]
    if not found:
        return code
    for statement in found:
        code = code.replace(statement, "", 1)
    last = max(node.end_lineno or node.lineno for node in syntax.imports(code))
    lines = code.splitlines(keepends=True)
    return "".join([*lines[:last], "\n", *sorted(found), *lines[last:]])


def _directed(module: str) -> str:
    """The validation module of a contract with values that go one way: its models'
    base derives from ``specs.directions.DirectedModel``, which serves their required
    one-way properties (:mod:`generators.emit.directions`)."""
    last = "from pydantic_core import CoreSchema, core_schema, to_json, to_jsonable_python\n"
    directed = module.replace(last, f"{last}\nfrom {directions.MODULE} import {directions.BASE}\n")
    directed = directed.replace("SchemaModel(BaseModel):", f"SchemaModel({directions.BASE}):")
    if directed.count("DirectedModel") != 2:
        raise AssertionError("the validation module's imports or base changed: update this")
    return directed


_VALIDATION_MODULE = """\

import json
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from functools import cache
from types import UnionType
from typing import (
    Annotated,
    Any,
    NamedTuple,
    Self,
    TypeVar,
    Union,
    get_args,
    get_origin,
)

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from pydantic import (
    MISSING,
    BaseModel,
    ConfigDict,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    ModelWrapValidatorHandler,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema, to_json, to_jsonable_python


class SchemaModel(BaseModel):
    \"\"\"The base of every generated model.

    ``from_attributes``: a model is also built from an object's attributes, so a service
    may return an ORM row wherever its columns are what the contract's schema says.
    The notes of the union members a property holds (``x-member-notes`` in its field's
    ``json_schema_extra``: ``deprecated``, ``description``... beside a member's
    ``$ref``) are served on those members, where the contract writes them.
    \"\"\"

    model_config = ConfigDict(from_attributes=True)

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        served = super().__get_pydantic_json_schema__(schema, handler)
        target = handler.resolve_ref_schema(served)
        for prop in target.get("properties", {}).values():
            if isinstance(prop, dict) and "x-member-notes" in prop:
                _member_notes_served(prop, prop.pop("x-member-notes"))
        return served


class ContractModel(SchemaModel):
    \"\"\"A model whose contract says what pydantic's types cannot: enforced here.

    The keywords sit where the served JSON Schema shows them: the property-count bounds
    (``minProperties``, ``maxProperties``) in the model's ``json_schema_extra``,
    ``uniqueItems`` in an array field's ``json_schema_extra``, a map field's keywords
    its ``dict`` does not say (``x-map``: served on the map's schema) and an empty
    ``enum`` (no value valid) in its field's. The validators below enforce those very
    values. A field's lone discriminators (``x-served``: beside no union, they validate
    nothing) are only served, where the contract writes them. ``unevaluatedProperties:
    false`` beside an ``allOf`` of components (the classes this one derives from) is
    served beside that ``allOf``, as written.
    \"\"\"

    @model_validator(mode="before")
    @classmethod
    def _count_properties(cls, data: Any) -> Any:
        bounds = cls.model_config.get("json_schema_extra")
        if isinstance(data, Mapping) and isinstance(bounds, Mapping):
            _counted(data, bounds)
            if bounds.get("unevaluatedProperties") is False:
                _evaluated(cls, data)
        return data

    @field_validator("*", mode="after")
    @classmethod
    def _field_keywords(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        extra = field.json_schema_extra if field is not None else None
        if not isinstance(extra, Mapping):
            return value
        if extra.get("enum") == []:  # JSON Schema: no value is valid against it
            raise ValueError("no value is valid here: the contract's enum lists none")
        if isinstance(value, list) and extra.get("uniqueItems") is True:
            _items_unique(value)  # JSON equality, as the keyword means (UniqueItems')
        kept = extra.get("x-map")
        if isinstance(value, Mapping) and isinstance(kept, Mapping):
            _map_checked(value, kept)  # a map's keywords its dict does not say
        return value

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        served = super().__get_pydantic_json_schema__(schema, handler)
        target = handler.resolve_ref_schema(served)
        for prop in target.get("properties", {}).values():
            kept = prop.pop("x-map", None) if isinstance(prop, dict) else None
            if isinstance(kept, Mapping):
                _map_served(prop, kept)
            if isinstance(prop, dict):  # a discriminator beside no union: where written
                _kept_served(prop, prop.pop("x-served", None))
        if target.get("unevaluatedProperties") is False:
            _served_beside_bases(cls, target, handler)
        return served


def _served_beside_bases(
    model: type[BaseModel], served: dict[str, Any], handler: GetJsonSchemaHandler
) -> None:
    \"\"\"``served`` (``model``'s schema, its bases' properties merged in) as the contract
    writes it: ``allOf`` of the generated classes ``model`` derives from, beside it the
    properties and required names it adds (those its bases serve alike are theirs), no
    ``type`` (the bases say it): ``unevaluatedProperties`` sees the properties the
    ``allOf`` evaluates as well as its own.\"\"\"
    bases = [
        base
        for base in model.__bases__
        if issubclass(base, BaseModel) and base.__module__ != __name__
    ]
    if not bases:
        return
    members = [_reference(base, handler) for base in bases]
    inherited: dict[str, Any] = {}
    required: set[str] = set()
    for member in members:
        target = handler.resolve_ref_schema(member)
        inherited.update(target.get("properties", {}))
        required.update(target.get("required", []))
    properties = {
        name: prop
        for name, prop in served.pop("properties", {}).items()
        if inherited.get(name) != prop
    }
    own = [name for name in served.pop("required", []) if name not in required]
    served.pop("type", None)
    served["allOf"] = members
    if properties:
        served["properties"] = properties
    if own:
        served["required"] = own


def _reference(model: type[BaseModel], handler: GetJsonSchemaHandler) -> JsonSchemaValue:
    \"\"\"A reference to ``model``'s served schema (a definition of its own, as pydantic
    renders a model a field holds): ``handler`` alone would write it in place.\"\"\"
    schema = model.__pydantic_core_schema__
    ref = schema.get("ref")
    if schema["type"] != "definitions" and isinstance(ref, str):
        reference = core_schema.definition_reference_schema(ref)
        schema = core_schema.definitions_schema(reference, [schema])
    return handler(schema)


def _evaluated(model: type[BaseModel], data: Mapping[Any, Any]) -> None:
    \"\"\"Refuse a property of ``data`` no field of ``model`` declares (by its alias, or its
    name: ``validate_by_name``): ``unevaluatedProperties: false`` beside properties only.\"\"\"
    names = {key for name, field in model.model_fields.items() for key in (name, field.alias)}
    unknown = sorted(str(key) for key in data if key not in names)
    if unknown:
        raise ValueError(f"properties the schema does not evaluate: {', '.join(unknown)}")


def _counted(data: Mapping[Any, Any], bounds: Mapping[str, Any]) -> None:
    \"\"\"Refuse ``data`` holding fewer or more properties than ``bounds`` allow.\"\"\"
    minimum, maximum = bounds.get("minProperties"), bounds.get("maxProperties")
    if isinstance(minimum, int) and len(data) < minimum:
        raise ValueError(f"expected at least {minimum} properties, got {len(data)}")
    if isinstance(maximum, int) and len(data) > maximum:
        raise ValueError(f"expected at most {maximum} properties, got {len(data)}")
"""
