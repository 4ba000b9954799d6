"""Load an OpenAPI 3.0/3.1/3.2 document (YAML or JSON) into the IR, or report every problem."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from functools import cache, partial
from pathlib import Path
from typing import Any, cast

import jsonschema
import referencing
from jsonschema.exceptions import ValidationError, best_match
from jsonschema.protocols import Validator
from openapi_spec_validator.schemas import schema_v30, schema_v31, schema_v32
from openapi_spec_validator.validation.exceptions import ExtraParametersError

from generators import ir, media_types, versions
from generators.aside import Aside
from generators.loading import screening
from generators.loading.bundle import load_bundle
from generators.loading.document import Document
from generators.loading.overlay import apply_overlay, load_overlay
from generators.loading.refs import check_refs, deref, media_types_inlined
from generators.loading.repairs import repair, repair_defaults
from generators.loading.schema_walk import JsonPath, schema_objects
from generators.loading.smells import contract_smells
from generators.loading.spec_validator import (
    LocatedV30SpecValidator,
    LocatedV31SpecValidator,
    LocatedV32SpecValidator,
    real_path,
    semantic_errors,
)
from generators.loading.unsupported import unsupported_problems
from generators.naming import pascal
from generators.problems import ContractError, Problem, errors, ordered, pointer

_PATH_PARAM = re.compile(r"{([^}/]+)}")
_WORD = re.compile(r"[A-Za-z0-9]+")
_SERVER_VARIABLE = re.compile(r"{([^}]*)}")
_URL_AUTHORITY = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//[^/?#]*", re.IGNORECASE)
"""The scheme and authority of a URL (``https://x.io``, ``//x.io``): not part of its path."""
_QUERY_LOCATIONS = ("query", "querystring")
_OFFICIAL_SCHEMAS = {"3.0": schema_v30, "3.1": schema_v31, "3.2": schema_v32}
"""The official OpenAPI JSON Schema of each minor version read (``versions.readable``)."""
_SPEC_VALIDATORS = {
    "3.0": LocatedV30SpecValidator,
    "3.1": LocatedV31SpecValidator,
    "3.2": LocatedV32SpecValidator,
}


def load_api(path: Path, display: str | None = None, *, overlay: Path | None = None) -> ir.Api:
    """The IR of an OpenAPI contract; ``ContractError`` when it has errors (warnings dropped)."""
    return read_api(path, display, overlay=overlay)[0]


def read_api(
    path: Path, display: str | None = None, *, overlay: Path | None = None
) -> tuple[ir.Api, list[Problem]]:
    """The IR of an OpenAPI contract and its warnings (violations read one obvious way, see
    ``generators.loading.repairs``); ``ContractError`` with every problem when it has errors.
    ``overlay``: an Overlay document applied to the contract first (``loading.overlay``)."""
    api, problems, last = read_api_checking_aside(path, display, overlay=overlay)
    return api, settled(problems, last)


def read_api_checking_aside(
    path: Path, display: str | None = None, *, overlay: Path | None = None
) -> tuple[ir.Api, list[Problem], Aside[list[Problem]]]:
    """:func:`read_api` with its last check, openapi-spec-validator's (the slowest, and the
    final word on what the checks before it let through), still running beside the caller
    (``generators.aside``), who goes on with the IR and joins the check with
    :func:`settled` before acting on anything. The IR of a contract that check refuses
    may be built meanwhile: where building fails, the contract's errors are raised."""
    document, problems = load_bundle(path, display)
    overlaid = None
    if overlay is not None:
        document, applied = apply_overlay(document, load_overlay(overlay))
        problems += applied
        overlaid = copy.deepcopy(document.data)  # the repairs below change document.data
    problems += validate_api(document)
    if errors(problems):
        raise ContractError(problems)
    version = str(document.data.get("openapi", ""))
    last = Aside(  # on the data as checked so far; joined once the project is rendered
        partial(_validator_problems, document, version),
        worth_it=_large(document.data),
        last=True,
    )
    try:
        media_types_inlined(document)
        problems += contract_smells(document)
        api = replace(build_api(document), overlaid=overlaid)
    except Exception:
        settled(problems, last)  # the contract's errors, where it has some, explain it
        raise
    return api, ordered(problems), last


def _large(data: Mapping[str, Any]) -> bool:
    """Whether openapi-spec-validator takes longer on the contract than a fork (about 2 ms
    an operation against tens of ms): 20 paths or more."""
    paths = data.get("paths")
    return isinstance(paths, Mapping) and len(paths) >= 20


def settled(problems: list[Problem], *last: Aside[list[Problem]]) -> list[Problem]:
    """``problems`` with those of the last checks, once they are done; ``ContractError``
    with all of them where there are errors."""
    problems = ordered([*problems, *(problem for check in last for problem in check.result())])
    if errors(problems):
        raise ContractError(problems)
    return problems


def validate_api(document: Document) -> list[Problem]:
    """Every problem of the document, stage by stage (a stage with errors stops the rest: the
    next would only repeat them), but openapi-spec-validator's last word on it
    (``_validator_problems``, which :func:`read_api_checking_aside` runs beside building the
    IR). Violations with one obvious reading are repaired in ``document.data`` and come
    back as warnings."""
    version = str(document.data.get("openapi", ""))
    if "openapi" not in document.data and "swagger" in document.data:
        return [_swagger_2(document)]
    if not versions.readable(version):
        found = f"{version!r}" if version else "nothing"
        message = f"expected OpenAPI {versions.READ}, found {found}"
        return [document.problem("/openapi", message)]
    problems = check_refs(document)
    if errors(problems):
        return problems  # the validators below cannot run on dangling references
    stages = (
        _query_string_problems,
        _structure_problems,
        unsupported_problems,
        _semantic_problems,
        _default_problems,
    )
    for stage in stages:
        problems += stage(document, version)
        if errors(problems):
            break
    return problems


def _swagger_2(document: Document) -> Problem:
    """A Swagger 2.0 document is named as one, with the way out: its definitions, consumes and
    body parameters have no single reading as OpenAPI 3, so a converter's choices are left to
    the author rather than guessed here."""
    found = document.data["swagger"]
    return document.problem(
        "/swagger",
        f"a Swagger {found} document (swagger: {found!r}); Spec Foundry reads OpenAPI"
        f" {versions.READ}: convert it first (for example `npx swagger2openapi IN -o OUT`)"
        " and check the result",
    )


def _structure_problems(document: Document, version: str) -> list[Problem]:
    """Validate against the official OpenAPI JSON Schema, one precise problem per error
    (jsonschema runs where jsonschema-rs finds errors: ``screening``)."""
    validator = _official_validator(version[:3])
    problems = _checked(document, lambda: screening.errors(validator, document.data), ())
    if not versions.legacy(version):
        meta = _meta_validator()
        for at, node in schema_objects(document):
            problems += _checked(document, partial(screening.errors, meta, node), at)
    return problems


@cache
def _meta_validator() -> Validator:
    """The validator of JSON Schema 2020-12 itself, which each Schema Object of an OpenAPI
    3.1 or 3.2 document is checked against."""
    return jsonschema.Draft202012Validator(jsonschema.Draft202012Validator.META_SCHEMA)


@cache
def _official_validator(minor: str) -> Validator:
    """The validator of the official OpenAPI JSON Schema of ``minor``, with a registry
    crawled beforehand: left to the library, each ``$dynamicRef`` (3.1 writes every Schema
    Object as ``$dynamicRef: "#meta"``) crawled the whole schema again for its anchor, once
    per Schema Object of the contract (two thirds of discord's validation)."""
    schema = _OFFICIAL_SCHEMAS[minor]
    resource = referencing.Resource.from_contents(schema)
    registry = referencing.Registry().with_resource(resource.id() or "", resource).crawl()
    return jsonschema.validators.validator_for(schema)(schema, registry=registry)


def _checked(
    document: Document, validate: Callable[[], Iterable[ValidationError]], at: JsonPath
) -> list[Problem]:
    """The warnings of the repairs made, then the errors that are left (validated again)."""
    warnings: list[Problem] = []
    found = list(validate())
    for _ in range(3):  # a repair can uncover what the error it fixed hid
        if not found:
            break
        repaired, left = repair(document, found, at)
        warnings += repaired
        if not repaired:
            break
        found = list(validate())
    return warnings + [_problem(document, error, pointer(*at)) for error in found]


def _problem(document: Document, error: ValidationError, base: str = "") -> Problem:
    leaf = _most_specific(error)
    return document.problem(base + pointer(*leaf.absolute_path), leaf.message)


def _most_specific(error: ValidationError) -> ValidationError:
    """Of an ``anyOf``/``oneOf`` failure, the branch error that explains most (not "$ref")."""
    leaves = list(_leaves(error))
    useful = [leaf for leaf in leaves if "'$ref' is a required property" not in leaf.message]
    if not useful:
        return error
    deepest = max(len(leaf.absolute_path) for leaf in useful)
    return best_match(leaf for leaf in useful if len(leaf.absolute_path) == deepest) or error


def _leaves(error: ValidationError) -> Iterable[ValidationError]:
    if not error.context:
        yield error
    for child in error.context or ():
        yield from _leaves(child)


def _semantic_problems(document: Document, version: str = "") -> list[Problem]:
    problems: list[Problem] = _query_strings_in_paths(document)
    express, renamed = _express_parameters_in_paths(document)
    problems += express
    seen_ids: dict[str, str] = {}
    schemes = set((document.data.get("components") or {}).get("securitySchemes") or {})
    problems += _security_problems(document, document.data.get("security"), "/security", schemes)
    for path, method, operation, at in _operations(document):
        operation_id = operation.get("operationId")
        if isinstance(operation_id, str):
            if operation_id in seen_ids:
                message = (
                    f"operationId {operation_id!r} is already used by {seen_ids[operation_id]}"
                )
                problems.append(document.problem(at + "/operationId", message))
            seen_ids.setdefault(operation_id, f"{method.upper()} {path}")
        item = _path_item(document, "paths", path)
        declared = {p.name for p in _parameters(document, item, operation) if p.location == "path"}
        placed = _PATH_PARAM.findall(path)
        for name in placed:
            if name in declared:
                continue
            near = [other for other in declared if _style_free(other) == _style_free(name)]
            unplaced = sorted(declared - set(placed))
            if not near and not unplaced and path in renamed:  # an Express ':name'
                here = pointer("paths", path)
                written = at.replace(here, renamed.get(path, here), 1)
                problems.append(_declare_path_parameter(document, path, name, operation, written))
                continue
            message = f"path parameter {name!r} of {path!r} is not declared"
            if near:
                message += (
                    f" (the path parameter {near[0]!r} differs only in case or style: "
                    "the names must match exactly)"
                )
            elif unplaced:
                message += f" (the path parameter {unplaced[0]!r} is not in the path: rename one)"
            problems.append(document.problem(at + "/parameters", message))
        for name in sorted(declared - set(_PATH_PARAM.findall(path))):
            problems += _drop_unplaced_path_parameter(document, path, name, item, operation, at)
        security = operation.get("security")
        problems += _security_problems(document, security, at + "/security", schemes)
    return problems


def _query_string_problems(document: Document, version: str = "") -> list[Problem]:
    """OpenAPI 3.2: an operation reads its query string as one ``in: querystring``
    parameter at most, and then has no ``in: query`` parameter (the query string is
    that one value). An error at each parameter beyond that, its own and its path's
    together, ``$ref``s followed (before the official schema, which says so of one list
    at a time, of the parameters written in place, and names no parameter)."""
    problems = []
    for section in ("paths", "webhooks"):
        items = document.data.get(section)
        for path, item in items.items() if isinstance(items, Mapping) else ():
            item, _ = deref(document, item, pointer(section, path))
            if not isinstance(item, Mapping):
                continue  # the official schema says what is wrong with it
            for _, operation, where in ir.path_item_operations(item):
                at = pointer(section, path, *where)
                problems += _query_strings_of(document, item, operation, at, pointer(section, path))
    return problems


def _query_strings_of(
    document: Document,
    item: Mapping[str, Any],
    operation: Mapping[str, Any],
    at: str,
    item_at: str,
) -> list[Problem]:
    merged: dict[tuple[str, str], str] = {}  # (in, name) → pointer: the operation's win
    for owner, where in ((item, item_at), (operation, at)):
        entries = owner.get("parameters")
        for index, raw in enumerate(entries if isinstance(entries, list) else ()):
            param, _ = deref(document, raw, "")
            if isinstance(param, Mapping) and param.get("in") in _QUERY_LOCATIONS:
                key = (str(param["in"]), str(param.get("name")))
                merged[key] = f"{where}/parameters/{index}"
    found = [(location, where) for (location, _), where in merged.items()]
    whole = [where for location, where in found if location == "querystring"]
    if not whole:
        return []
    problems = [
        document.problem(where, "an operation has one in: querystring parameter at most")
        for where in whole[1:]
    ]
    problems += [
        document.problem(
            where,
            "an in: query parameter beside an in: querystring one: the query string is the"
            f" querystring parameter ({whole[0]}); make this one of its fields",
        )
        for location, where in found
        if location == "query"
    ]
    return problems


def _query_strings_in_paths(document: Document) -> list[Problem]:
    """A path key with a query string (``/blogs?page=1&limit=5``, as a request copied from
    a browser or Postman): a path never holds one, so no request reaches it as written. It
    is read as the path before the ``?``; its query parameters are the ones the operations
    declare. Where that path is a key of its own too, the key is left as written (merging
    the two would be a guess), with the warning that no request reaches it."""
    paths = document.data.get("paths")
    if not isinstance(paths, dict) or not any("?" in str(key) for key in paths):
        return []
    problems: list[Problem] = []
    renamed: dict[Any, Any] = {}
    for key, item in paths.items():
        path, mark, query = str(key).partition("?")
        if not mark:
            renamed[key] = item
            continue
        if path in paths or path in renamed:
            message = f"path {key!r} holds a query string, and {path!r} is a path of its own:"
            message += " left as written, which no request reaches"
            renamed[key] = item
        else:
            message = (
                f"path {key!r} holds a query string ({query!r}), which no request path has:"
                f" read as {path!r} (its query parameters are those the operations declare)"
            )
            renamed[path] = item
        problems.append(document.problem(pointer("paths", key), message, warning=True))
    paths.clear()
    paths.update(renamed)
    return problems


_EXPRESS_SEGMENT = re.compile(r":[A-Za-z_][A-Za-z0-9_]*")


def _express_parameters_in_paths(
    document: Document,
) -> tuple[list[Problem], dict[str, str]]:
    """A path key written with Express-style parameters (``/users/:id``, as Express, Hono
    or a router's table writes them): OpenAPI reads ``:id`` as the literal text ``:id``, so
    no request for a user reaches the route, and a segment that is only a colon and a name
    means nothing else. It is read as ``/users/{id}``. Where that path is a key of its own
    too, the key is left as written (merging the two would be a guess). The warnings, and
    the pointer of each path so read as written (a ``:name`` the operations leave out is
    then declared by ``_declare_path_parameter``, a string as in those routers)."""
    paths = document.data.get("paths")
    if not isinstance(paths, dict) or not any(_express_path(str(key)) for key in paths):
        return [], {}
    problems: list[Problem] = []
    kept: dict[Any, Any] = {}
    names: dict[str, str] = {}
    for key, item in paths.items():
        path = _express_path(str(key))
        if path is None:
            kept[key] = item
            continue
        if path in paths or path in kept:
            message = f"path {key!r} writes parameters as ':name', and {path!r} is a path of"
            message += " its own: left as written, which no request for a value reaches"
            kept[key] = item
        else:
            message = (
                f"path {key!r} writes parameters as ':name' (Express style), which OpenAPI"
                f" reads as literal text: read as {path!r}"
            )
            kept[path] = item
            names[path] = pointer("paths", key)
        problems.append(document.problem(pointer("paths", key), message, warning=True))
    paths.clear()
    paths.update(kept)
    return problems, names


def _express_path(key: str) -> str | None:
    """``/users/:id/posts`` → ``/users/{id}/posts``; ``None`` when no segment is ``:name``."""
    segments = key.split("/")
    rewritten = ["{" + s[1:] + "}" if _express(s) else s for s in segments]
    return "/".join(rewritten) if rewritten != segments else None


def _express(segment: str) -> bool:
    return _EXPRESS_SEGMENT.fullmatch(segment) is not None


def _declare_path_parameter(
    document: Document, path: str, name: str, operation: dict[str, Any], at: str
) -> Problem:
    """An Express ``:name`` of the path that no parameter declares, where no declared path
    parameter is left without a place (which the author may have meant): the router that
    writes it so passes the segment's text, so it is read as a required string path
    parameter, declared on the operation. An undeclared ``{name}`` stays an error (issue
    15: it has no type to read)."""
    declared = {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
    parameters = operation.get("parameters")
    if not isinstance(parameters, list):
        parameters = operation["parameters"] = []
    parameters.append(declared)
    message = (
        f"path parameter {name!r} of {path!r} is not declared: read as a required string"
        " (declare it to give it a type)"
    )
    return document.problem(at + "/parameters", message, warning=True)


def _style_free(name: str) -> str:
    """``user_id``, ``userId``, ``User-ID`` → ``userid``."""
    return re.sub(r"[-_.\s]", "", name).lower()


def _drop_unplaced_path_parameter(
    document: Document,
    path: str,
    name: str,
    item: Mapping[str, Any],
    operation: Mapping[str, Any],
    at: str,
) -> list[Problem]:
    """A path parameter whose placeholder the path lacks: no request can carry it (dropped)."""
    warnings = []
    item_at = pointer("paths", path)
    for owner, where in ((item, item_at), (operation, at)):
        entries = owner.get("parameters")
        if not isinstance(entries, list):
            continue
        for index in reversed(range(len(entries))):
            param, _ = deref(document, entries[index], "")
            if param.get("in") == "path" and param.get("name") == name:
                message = (
                    f"path parameter {name!r} does not appear in the path {path!r}: "
                    "no request can carry it (ignored)"
                )
                warnings.append(
                    document.problem(f"{where}/parameters/{index}", message, warning=True)
                )
                del entries[index]
    return warnings


def _default_problems(document: Document, version: str) -> list[Problem]:
    return repair_defaults(document, schema_objects(document), legacy=versions.legacy(version))


def _security_problems(
    document: Document, security: Any, at: str, schemes: set[str]
) -> list[Problem]:
    problems = []
    for index, requirement in enumerate(security or []):
        for name in requirement:
            if name not in schemes:
                message = f"security scheme {name!r} is not defined in components/securitySchemes"
                problems.append(document.problem(f"{at}/{index}" + pointer(name), message))
    return problems


def _validator_problems(document: Document, version: str) -> list[Problem]:
    """openapi-spec-validator as the final word on anything the checks above let through,
    each error at the place its value is written (``spec_validator``)."""
    validator_class = _SPEC_VALIDATORS[version[:3]]
    problems = []
    for error in semantic_errors(validator_class(cast(Any, document.data))):
        route = list(getattr(error, "absolute_path", []) or [])
        at = pointer(*real_path(document.data, route))
        message = str(getattr(error, "message", error))
        if isinstance(error, ExtraParametersError):  # valid JSON Schema: any value, but there
            message += " (each must be present, with any value)"
            problems.append(document.problem(at, message, warning=True))
        else:
            problems.append(document.problem(at, message))
    return sorted(set(problems))


# --- building the IR ----------------------------------------------------------------------


def build_api(document: Document) -> ir.Api:
    document = replace(document, data=_with_named_inline_schemas(document.data))
    data = document.data
    info = data.get("info") or {}
    builder = _OperationBuilder(document)
    operations = [
        builder.operation(path, method, operation, at)
        for path, method, operation, at in _operations(document)
    ]
    webhooks = [
        builder.operation(name, method, operation, at, _path_item(document, "webhooks", name))
        for name, method, operation, at in _operations(document, "webhooks")
    ]
    components = data.get("components") or {}
    return ir.Api(
        file=document.file,
        openapi_version=str(data["openapi"]),
        title=str(info.get("title", "")),
        version=str(info.get("version", "")),
        base_path=_base_path(data.get("servers")),
        operations=tuple(operations),
        schemas=dict(components.get("schemas") or {}),
        security_schemes=tuple(
            _security_scheme(
                name, deref(document, scheme, pointer("components", "securitySchemes", name))[0]
            )
            for name, scheme in (components.get("securitySchemes") or {}).items()
        ),
        document=data,
        webhooks=tuple(webhooks),
    )


class _OperationBuilder:
    """Operations of the document, each with an operationId unique in the whole document
    (derived from method and path where the contract gives none)."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.used_ids = {
            op["operationId"]
            for section in ("paths", "webhooks")
            for _, _, op, _ in _operations(document, section)
            if "operationId" in op
        }

    def operation(
        self,
        path: str,
        method: str,
        operation: Mapping[str, Any],
        at: str,
        item: Mapping[str, Any] | None = None,
    ) -> ir.Operation:
        """``item``: the Path Item holding it (by default the one at ``paths/<path>``)."""
        document = self.document
        if item is None:
            item = _path_item(document, "paths", path)
        operation_id = operation.get("operationId") or _derive_id(method, path, self.used_ids)
        self.used_ids.add(operation_id)
        security = operation.get("security", document.data.get("security")) or []
        return ir.Operation(
            operation_id=operation_id,
            method=method,
            path=path,
            tags=tuple(operation.get("tags") or ()),
            summary=operation.get("summary"),
            description=operation.get("description"),
            parameters=_parameters(document, item, operation),
            request_body=_request_body(document, operation, at),
            responses=_responses(document, operation, at),
            security=tuple(_requirement(req) for req in security),
            pointer=at,
            deprecated=bool(operation.get("deprecated", False)),
            extensions={k: v for k, v in operation.items() if k.startswith("x-")},
            callbacks=self.callbacks(operation, at),
        )

    def callbacks(self, operation: Mapping[str, Any], at: str) -> tuple[ir.Callback, ...]:
        """Each expression of each named callback, with its operations."""
        found = []
        for name, raw in (operation.get("callbacks") or {}).items():
            where = at + pointer("callbacks", name)
            callback, _ = deref(self.document, raw, where)
            for expression, raw_item in callback.items():
                item_at = where + pointer(expression)
                item, _ = deref(self.document, raw_item, item_at)
                operations = tuple(
                    self.operation(expression, method, found, item_at + pointer(*where), item)
                    for method, found, where in ir.path_item_operations(item)
                )
                found.append(ir.Callback(name, expression, operations))
        return tuple(found)


def _path_item(document: Document, section: str, name: str) -> Mapping[str, Any]:
    item, _ = deref(document, document.resolve(pointer(section, name)), pointer(section, name))
    return cast(Mapping[str, Any], item)


def _operations(
    document: Document, section: str = "paths"
) -> Iterable[tuple[str, str, dict[str, Any], str]]:
    for path, item in (document.data.get(section) or {}).items():
        item, _ = deref(document, item, pointer(section, path))
        for method, operation, where in ir.path_item_operations(item):
            yield path, method, operation, pointer(section, path, *where)


def _parameters(
    document: Document, item: Mapping[str, Any], operation: Mapping[str, Any]
) -> tuple[ir.Parameter, ...]:
    """The Path Item's parameters merged with the operation's (which win on the same name
    and place)."""
    merged: dict[tuple[str, str], ir.Parameter] = {}
    for raw in [*(item.get("parameters") or []), *(operation.get("parameters") or [])]:
        param, _ = deref(document, raw, "")
        schema = param.get("schema")
        if schema is None:  # the content form: one media type carrying the schema
            media: Mapping[str, Any] = next(iter((param.get("content") or {}).values()), {})
            schema = media.get("schema", {})
        merged[(param["name"], param["in"])] = ir.Parameter(
            name=param["name"],
            location=param["in"],
            required=bool(param.get("required", False)),
            schema=schema or {},
            description=param.get("description"),
            deprecated=bool(param.get("deprecated", False)),
            definition=param,
        )
    return tuple(merged.values())


def _content(content: Mapping[str, Any] | None) -> tuple[ir.MediaContent, ...]:
    return tuple(_media(media_type, media or {}) for media_type, media in (content or {}).items())


def _media(media_type: str, media: Mapping[str, Any]) -> ir.MediaContent:
    prefix = media.get("prefixEncoding")
    item = media.get("itemEncoding")
    return ir.MediaContent(
        media_type,
        media.get("schema"),
        media.get("itemSchema"),
        tuple(prefix) if isinstance(prefix, list) else (),
        item if isinstance(item, Mapping) else None,
    )


def _request_body(
    document: Document, operation: Mapping[str, Any], at: str
) -> ir.RequestBody | None:
    if "requestBody" not in operation:
        return None
    body, _ = deref(document, operation["requestBody"], at + "/requestBody")
    return ir.RequestBody(
        required=bool(body.get("required", False)),
        content=_content(body.get("content")),
        description=body.get("description"),
    )


def _responses(
    document: Document, operation: Mapping[str, Any], at: str
) -> tuple[ir.Response, ...]:
    responses = []
    for status, raw in (operation.get("responses") or {}).items():
        where = at + pointer("responses", status)
        response, _ = deref(document, raw, where)
        headers = tuple(
            (name, deref(document, header, where + pointer("headers", name))[0])
            for name, header in (response.get("headers") or {}).items()
        )
        links = tuple(
            (name, deref(document, link, where + pointer("links", name))[0])
            for name, link in (response.get("links") or {}).items()
        )
        responses.append(
            ir.Response(
                str(status),
                str(response.get("description", "")),
                _content(response.get("content")),
                headers,
                links,
            )
        )
    return tuple(responses)


def _requirement(requirement: Mapping[str, Any]) -> ir.SecurityRequirement:
    return ir.SecurityRequirement(
        tuple((name, tuple(scopes or ())) for name, scopes in requirement.items())
    )


def _security_scheme(name: str, scheme: Mapping[str, Any]) -> ir.SecurityScheme:
    scopes: set[str] = set()
    for flow in (scheme.get("flows") or {}).values():
        scopes.update((flow or {}).get("scopes") or {})
    return ir.SecurityScheme(
        name=name,
        type=str(scheme.get("type")),
        scheme=scheme.get("scheme"),
        bearer_format=scheme.get("bearerFormat"),
        location=scheme.get("in"),
        parameter_name=scheme.get("name"),
        scopes=tuple(sorted(scopes)),
        description=scheme.get("description"),
        flows={kind: dict(flow or {}) for kind, flow in (scheme.get("flows") or {}).items()},
        open_id_connect_url=scheme.get("openIdConnectUrl"),
        deprecated=bool(scheme.get("deprecated", False)),
        oauth2_metadata_url=scheme.get("oauth2MetadataUrl"),
    )


def _base_path(servers: Any) -> str:
    """The path of the first server URL, its variables replaced by their defaults, where
    the routes are mounted: ``https://x.io/api/v1`` → ``/api/v1``, ``{scheme}://{host}``
    → ``""`` (the root), ``https://x.io/{base}`` with ``base`` defaulting to ``v1`` →
    ``/v1``, a relative ``/api/v3`` → ``/api/v3``; no server → ``""``."""
    if not servers or not isinstance(servers[0], Mapping):
        return ""
    server = servers[0]
    variables = server.get("variables")
    variables = variables if isinstance(variables, Mapping) else {}

    def default(found: re.Match[str]) -> str:
        variable = variables.get(found[1])
        return str(variable.get("default", "")) if isinstance(variable, Mapping) else ""

    url = _SERVER_VARIABLE.sub(default, str(server.get("url", "")))
    path = _URL_AUTHORITY.sub("", url).split("?")[0].split("#")[0]
    return "/" + path.strip("/") if path.strip("/") else ""


def _derive_id(method: str, path: str, used: set[str]) -> str:
    """A stable operationId from method and path: ``GET /pets/{petId}`` → ``getPetsByPetId``,
    ``M-SEARCH /pets`` → ``mSearchPets``."""
    parts: list[str] = _WORD.findall(method.lower()) or ["call"]
    for segment in path.strip("/").split("/"):
        words = _WORD.findall(segment)
        prefix = ["by"] if segment.startswith("{") else []
        parts += prefix + words
    candidate = parts[0] + "".join(word[:1].upper() + word[1:] for word in parts[1:])
    unique, counter = candidate, 2
    while unique in used:
        unique, counter = f"{candidate}{counter}", counter + 1
    return unique


# --- Inline body schemas become named models ------------------------------------------------


def _with_named_inline_schemas(source: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of the document where every inline object schema of a JSON request body or
    response (or the inline object items of such an array) is a component schema of its own,
    named as OpenAPI Generator would (``CreateTaskRequest``, ``ListTasks200Response``,
    ``…Item`` for items), and so is every inline object ``itemSchema`` (OpenAPI 3.2: each
    item of a stream, ``…Item`` too): datamodel-code-generator makes models of components
    only, and a body without a model could be neither validated nor served as written. A
    name a component reads as (``create_task_request``: ``CreateTaskRequest``) is taken
    too: the contract's own component keeps its class, the inline schema is numbered."""
    data: dict[str, Any] = copy.deepcopy(dict(source))
    components: dict[str, Any] = data.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    taken = set(schemas) | {pascal(str(key)) for key in schemas}

    def name(base: str) -> str:
        found, number = pascal(base), 2
        while found in taken:
            found, number = f"{pascal(base)}{number}", number + 1
        taken.add(found)
        return found

    def hoist(content: Any, base: str, needs_model: Callable[[Any], bool]) -> None:
        """The JSON media types of one body or response: one component for the inline
        schema they share (``application/json`` and ``text/json`` of one object), which
        the body's other media types of that same union or map (a form) name too."""
        hoisted: list[tuple[Any, dict[str, str]]] = []

        def named(schema: Any, base: str) -> dict[str, str]:
            for seen, ref in hoisted:
                if seen == schema:
                    return dict(ref)
            schemas[found := name(base)] = copy.deepcopy(schema)
            hoisted.append((copy.deepcopy(schema), {"$ref": f"#/components/schemas/{found}"}))
            return dict(hoisted[-1][1])

        for media_type, media in (content or {}).items() if isinstance(content, dict) else ():
            if isinstance(media, dict) and _is_inline_object(media.get("itemSchema")):
                media["itemSchema"] = named(media["itemSchema"], base + "Item")
            if not media_types.is_json(media_type) or not isinstance(media, dict):
                continue
            schema = media.get("schema")
            if needs_model(schema):
                media["schema"] = named(schema, base)
            elif isinstance(schema, dict) and _is_inline_object(schema.get("items")):
                media["schema"] = {**schema, "items": named(schema["items"], base + "Item")}
        for media in (content or {}).values() if hoisted else ():
            for seen, ref in hoisted:  # an inline object's form stays inline: its fields
                same = isinstance(media, dict) and media.get("schema") == seen
                if same and not _is_inline_object(seen):  # are the route's arguments
                    media["schema"] = dict(ref)

    def responses_of(operation: dict[str, Any], base: str) -> None:
        for status, response in (operation.get("responses") or {}).items():
            if isinstance(response, dict):
                hoist(response.get("content"), f"{base}{status}Response", _is_inline_object)

    def query_strings(parameters: Any, base: str) -> None:
        """An ``in: querystring`` parameter's inline object (OpenAPI 3.2: the whole query
        string, form-encoded) is a model of its own too, the value the service gets."""
        for parameter in parameters if isinstance(parameters, list) else ():
            if not isinstance(parameter, dict) or parameter.get("in") != "querystring":
                continue
            for media in (parameter.get("content") or {}).values():
                if isinstance(media, dict) and _is_inline_object(media.get("schema")):
                    found = name(f"{base} {parameter.get('name', '')}")
                    schemas[found] = media["schema"]
                    media["schema"] = {"$ref": f"#/components/schemas/{found}"}

    for section in ("paths", "webhooks"):
        for path, item in (data.get(section) or {}).items():
            for method, where, operation in _operations_and_callbacks(item, path):
                base = str(operation.get("operationId") or f"{method} {where}")
                body = operation.get("requestBody")
                if isinstance(body, dict):
                    hoist(body.get("content"), f"{base}Request", _is_inline_body)
                responses_of(operation, base)
                query_strings(operation.get("parameters"), base)
                if isinstance(item, dict):  # the path's: named after its first operation
                    query_strings(item.get("parameters"), base)
    for key, body in (components.get("requestBodies") or {}).items():
        if isinstance(body, dict):
            hoist(body.get("content"), f"{key}Request", _is_inline_body)
    for key, response in (components.get("responses") or {}).items():
        if isinstance(response, dict):
            hoist(response.get("content"), f"{key}Response", _is_inline_object)
    for key, parameter in (components.get("parameters") or {}).items():
        query_strings([parameter], f"{key}Parameter")
    _referenced_slots_hoisted(data, schemas, name)
    return data


def _operations_and_callbacks(item: Any, path: str) -> Iterable[tuple[str, str, dict[str, Any]]]:
    """Each operation of a path item, ``(method, path, operation)``, then those of the
    callbacks it writes in place (pagerduty's ``webhookV2``, whose body is an inline object
    of ``WebhookIncidentAction`` items), under their URL expressions."""
    operations = ir.path_item_operations(item) if isinstance(item, dict) else []
    for method, operation, _ in operations:
        if not isinstance(operation, dict):
            continue
        yield method, path, operation
        for callback in (operation.get("callbacks") or {}).values():
            if isinstance(callback, dict) and "$ref" not in callback:
                for expression, inner in callback.items():
                    yield from _operations_and_callbacks(inner, str(expression))


_SLOT_SUFFIXES = {
    "responses": "Response",
    "requestBodies": "Request",
    "parameters": "Parameter",
    "headers": "Header",
}


def _referenced_slots_hoisted(
    data: dict[str, Any], schemas: dict[str, Any], name: Callable[[str], str]
) -> None:
    """A schema ``$ref`` into the schema of a response, a request body, a parameter or a
    header (pagerduty's request body ``#/components/responses/
    OrchestrationPathServiceActiveResponse/content/application~1json/schema``, and
    ``.../schema/oneOf/0``) points into a component schema instead: the schema it reaches
    into becomes one (unless it already refers to one, as a hoisted inline object does),
    and the response (or body...) refers to it. The same schema, where the served
    document can resolve it (it has no ``components/responses``) and of which
    datamodel-code-generator makes a model the route validates with."""
    for node in list(_reference_holders(data)):
        ref = node["$ref"]
        if not ref.startswith("#/") or ref.startswith("#/components/schemas/"):
            continue
        parts = ref[2:].split("/")
        start = 3 if parts[0] == "components" else 1  # past a component's own name
        if "schema" not in parts[start:]:
            continue
        at = parts.index("schema", start)
        keys = [part.replace("~1", "/").replace("~0", "~") for part in parts[:at]]
        holder: Any = data
        for key in keys:
            holder = holder.get(key) if isinstance(holder, dict) else None
        slot = holder.get("schema") if isinstance(holder, dict) else None
        if not isinstance(slot, dict):
            continue
        target = slot.get("$ref")
        if not (isinstance(target, str) and target.startswith("#/components/schemas/")):
            component = keys[0] == "components"
            suffix = _SLOT_SUFFIXES.get(keys[1], "Schema") if component else ""
            found = name(f"{keys[2]}{suffix}" if suffix else " ".join(keys))
            schemas[found] = slot  # the very node: references found inside it move along
            target = f"#/components/schemas/{found}"
            holder["schema"] = {"$ref": target}
        node["$ref"] = "/".join([target, *parts[at + 1 :]])


def _reference_holders(node: Any) -> Iterable[dict[str, Any]]:
    """Every object with a ``$ref`` string (not in examples nor ``x-`` extensions)."""
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node
        for key, value in node.items():
            if key not in ("example", "examples") and not str(key).startswith("x-"):
                yield from _reference_holders(value)
    elif isinstance(node, list):
        for item in node:
            yield from _reference_holders(item)


_MAP_BOUNDS = frozenset({"maxProperties", "minProperties", "propertyNames", "patternProperties"})
"""Keywords of a map that a plain ``dict[str, V]`` annotation cannot carry."""

_MAP_KEYWORDS = _MAP_BOUNDS | {"additionalProperties"}

_PLAIN_VALUE = frozenset({"type", "format", "description", "title", "example", "examples"})
"""Keywords of a map's value schema that its Python type says by itself."""


def _is_inline_object(schema: Any) -> bool:
    """An inline schema that is a model: its own ``properties``, or an ``allOf`` of
    schemas (DigitalOcean's ``allOf: [$ref: vpc_updatable, $ref: vpc_default]`` bodies,
    ``allOf: [$ref]`` beside a ``required`` of its own), whose members the model merges."""
    if not isinstance(schema, dict) or "$ref" in schema:
        return False
    properties = schema.get("properties")
    if isinstance(properties, dict) and properties:
        return True
    members = schema.get("allOf")
    return isinstance(members, list) and bool(members) and not {"oneOf", "anyOf"} & set(schema)


def _is_inline_body(schema: Any) -> bool:
    """An inline request body schema that only a model of its own validates: an inline
    object (:func:`_is_inline_object`); a ``oneOf``/``anyOf`` with an inline object among
    its members (WorkOS's credential bodies); or a map whose size or values are bounded
    (Discord's ``maxProperties: 5`` of strings of ``maxLength: 2000``). A response is
    documented as written without one."""
    if _is_inline_object(schema):
        return True
    if not isinstance(schema, dict) or "$ref" in schema or "allOf" in schema:
        return False
    for keyword in ("oneOf", "anyOf"):
        choices = schema.get(keyword)
        if isinstance(choices, list) and any(map(_is_inline_object, choices)):
            return True
    return _is_bounded_map(schema)


def _is_bounded_map(schema: dict[str, Any]) -> bool:
    if schema.get("type") not in ("object", None) or not {
        "additionalProperties"
    } | _MAP_BOUNDS & set(schema):
        return False
    values = schema.get("additionalProperties")
    bounded_values = (
        isinstance(values, dict) and "$ref" not in values and bool(set(values) - _PLAIN_VALUE)
    )
    return bounded_values or bool(_MAP_BOUNDS & set(schema))
