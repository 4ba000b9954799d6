"""The HTTP side: ``src/core/contract.py``, thin routers in ``src/api/v1/`` and the generated
route tests. Service stubs (``src/services/``) come from :mod:`generators.emit.services`."""

from __future__ import annotations

import builtins
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from generators import ir, media_types, versions
from generators.emit import (
    directions,
    lone_discriminators,
    member_notes,
    one_of,
    pytypes,
    schemas,
    security,
)
from generators.emit.imports import Imports
from generators.emit.render import header, render
from generators.emit.route_order import in_route_order, module_order
from generators.naming import snake
from generators.reading import resolved

SOURCE = "specs/openapi.yaml"
_DOCUMENTED_AS = "x-documented-as"
_REF = "#/components/schemas/"
"""How a route tells ``src/core/openapi.py`` that its 200 is the contract's ``2XX``."""
_SHORTCUTS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
"""The methods ``APIRouter`` has a decorator of their own for."""
_PARAM_CLASSES = {"path": "Path", "query": "Query", "header": "Header", "cookie": "Cookie"}
_RESERVED = {"body", "session", "service", "router", "principal", "response", "headers"}
_MODULE_LEVEL = {"router", "service", "api_router", "orm", "status"} | {
    *("date", "datetime", "time", "timedelta"),  # the types of string formats
}
"""Lower-case names a router or service module binds besides its functions."""


@dataclass(frozen=True)
class Argument:
    """A handler argument: ``declaration`` for the router, ``name: annotation`` for the service."""

    name: str
    annotation: str
    declaration: str
    value: str = ""
    """What the router passes to the service (the argument itself where empty)."""


@dataclass(frozen=True)
class Endpoint:
    """One operation as the router and its service see it: names and types worked out."""

    operation: ir.Operation
    function: str
    arguments: tuple[Argument, ...]
    returns: str
    """The return annotation of the route and its service."""
    response_model: str
    """``response_model=`` of the route decorator ("" for none)."""
    status_code: int | None
    responses: str
    call: str
    doc: str
    openapi_extra: str = ""
    """``openapi_extra=`` of the route decorator (a Python literal), when needed."""
    response_class: str = ""
    """``response_class=`` of the route decorator: ``Response`` for a success without content."""
    dependencies: str = ""
    """``dependencies=`` of the route decorator, when needed."""
    callbacks: str = ""
    """The router of the operation's callbacks (``callbacks=<it>.routes``), if any."""
    callback_endpoints: tuple[Endpoint, ...] = ()
    route_name: str = ""
    """``name=`` of the route decorator: a callback is served under its route's name."""
    moved: bool = False
    """Declared out of the contract's order, before a route that would take its requests
    (``route_order``)."""
    streamed: str = ""
    """Where the success is a stream of items (OpenAPI 3.2 ``itemSchema``): the arguments
    of ``streamed(<the service's result>, ...)`` after the result, which the route returns
    (``src/core/sequences.py``); the route then returns a ``Response``."""

    @property
    def route_arguments(self) -> tuple[Argument, ...]:
        """The route's parameters: the caller's credentials first, so that an anonymous
        caller is refused (401) before a dependency that reads the request refuses it
        (422): FastAPI solves them in order."""
        return tuple(sorted(self.arguments, key=lambda argument: argument.name != "principal"))

    @property
    def shortcut(self) -> str:
        """The ``APIRouter`` method that routes the operation's method (``get``), or "" for
        one it has none for (QUERY, an ``additionalOperations`` method such as COPY), which
        ``api_route(..., methods=[...])`` routes."""
        return self.operation.method if self.operation.method in _SHORTCUTS else ""


def emit_api(api: ir.Api) -> dict[str, str]:
    files = {
        "src/core/contract.py": render(
            "contract.py.jinja",
            header=header(SOURCE),
            title=api.title,
            version=api.version,
            openapi_version=versions.served(api.openapi_version),
            prefix=api.base_path,
        ),
        "src/api/__init__.py": render("package.py.jinja", header=header(SOURCE)),
        "src/api/v1/__init__.py": render(
            "api_init.py.jinja",
            header=header(SOURCE),
            imported=sorted(module_names(api).values()),
            modules=_included_modules(api),
        ),
        "tests/test_routes_generated.py": render(
            "test_routes.py.jinja",
            header=header(SOURCE),
            routes=sorted((op.http_method, api.base_path + op.path) for op in api.operations),
            secured=security.anonymous_refused(api),
        ),
    }
    files["src/api/webhooks.py"] = _webhooks_module(api)
    for tag, module in module_names(api).items():
        imports = Imports()
        imports.add("src.core.routing", "OperationRouter")
        declared = [op for op in api.operations if op.tag == tag]
        endpoints = [
            replace(endpoint(op, api, imports), moved=moved)
            for op, moved in in_route_order(declared)
        ]
        imports.add("src.services", f"{module} as service")  # `service`: no handler's name
        files[f"src/api/v1/{module}.py"] = render(
            "router.py.jinja",
            header=header(SOURCE),
            imports=imports.render(),
            endpoints=endpoints,
        )
    return files


def _included_modules(api: ir.Api) -> list[str]:
    """The router modules in the order ``api_router`` includes them (``route_order``)."""
    names = module_names(api)
    return module_order(
        {names[tag]: [op for op in api.operations if op.tag == tag] for tag in names}
    )


def module_names(api: ir.Api) -> dict[str, str]:
    """Tag → the name of its module in ``src/api/v1/`` and ``src/services/``: ``snake(tag)``,
    numbered in tag order where two tags would share one (``Order Items``, ``order-items``)."""
    names: dict[str, str] = {}
    taken = {"api_router"}  # what src/api/v1/__init__.py binds besides the modules
    for tag in api.tags:
        name = base = snake(tag)
        number = 2
        while name in taken:
            name, number = f"{base}_{number}", number + 1
        taken.add(name)
        names[tag] = name
    return names


def function_names(api: ir.Api) -> Mapping[str, str]:
    """operationId → the function of its router and service: ``snake(operationId)``, with a
    ``_`` where that is a builtin or a name the modules import (``list_``), and numbered in
    contract order where two operations of one module would share one (worked out once
    per contract: each operation's endpoint asks)."""
    return api.once("function_names", lambda: _function_names(api))


def _function_names(api: ir.Api) -> dict[str, str]:
    imported = _MODULE_LEVEL | set(pytypes.component_classes(api).values())
    shadowing = imported | set(dir(builtins))
    used: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for operation in api.operations:
        taken = used.setdefault(operation.tag, set())
        base = snake(operation.operation_id)
        if base in shadowing:
            base += "_"
        name, number = base, 2
        while name in taken:
            name, number = f"{base.rstrip('_')}_{number}", number + 1
        taken.add(name)
        names[operation.operation_id] = name
    return names


def function_name(operation: ir.Operation, api: ir.Api) -> str:
    """The one name of ``operation``'s function, in its router and in its service module."""
    return function_names(api)[operation.operation_id]


def endpoint(
    operation: ir.Operation, api: ir.Api, imports: Imports, decorator: Imports | None = None
) -> Endpoint:
    """Work out names and types; ``decorator`` collects what only the route decorator needs."""
    route_imports = imports if decorator is None else decorator
    arguments = [*_parameters(operation, api, imports, route_imports)]
    body = _body(operation, api, imports, route_imports)
    arguments += body
    guard = security.guard(operation, api, imports)  # None: a public operation
    if guard is not None:
        arguments.append(Argument("principal", guard.annotation, guard.declaration))
    imports.add("src.core.database", "SessionDep")
    arguments.append(Argument("session", "Session", "session: SessionDep"))
    success = answered(operation)
    if success is not None and success.headers:
        route_imports.add("fastapi", "Response")
        if decorator is not None:  # the service's signature: the router passes them on
            imports.add("starlette.datastructures", "MutableHeaders")
        arguments.append(
            Argument("headers", "MutableHeaders", "response: Response", "response.headers")
        )
    response_model, returns = _returns(success, api, imports, route_imports)
    status = _status(success)
    streamed = _streamed(success, status, api, route_imports)
    extra = {"security": guard.served_security} if guard is not None else {}
    if guard is None and operation.security:  # public by an empty requirement: [{}]
        extra["security"] = _served_requirements(operation)
    if guard is not None and guard.unserved:  # src/core/openapi.py lists them
        extra["x-security-schemes"] = _literal(security.unserved_schemes(guard, api))
    depends = []
    if any(response.status == "429" for response in operation.responses):
        route_imports.add("src.core.rate_limit", "rate_limit")
        depends.append("Depends(rate_limit)")  # the contract documents Too Many Requests
    served_body: dict[str, object] = {}
    if _optional_fields_of_required_body(operation, body):
        served_body["required"] = True  # FastAPI: required when a field is
        route_imports.add("src.core.bodies", "body_required")
        depends.append("Depends(body_required)")
    encoded = form_encoding(operation, api)
    if encoded is not None:  # FastAPI reads the form so: documented as written
        served_body["content"] = {encoded[0]: {"encoding": encoded[1]}}
    if served_body:
        extra["requestBody"] = _literal(served_body)
    required = _required_when_sent(operation, body, api)
    if required:  # FastAPI takes them as optional, as the body is: see src/core/bodies.py
        route_imports.add("src.core.bodies", "RequiredWhenSent")
        depends.append(f"Depends(RequiredWhenSent({', '.join(map(repr, required))}))")
    if _closed_form(operation, body, api):  # FastAPI ignores other fields: it refuses them
        route_imports.add("src.core.bodies", "ClosedForm")
        depends.append("Depends(ClosedForm())")
    checks = len(depends) - (depends[:1] == ["Depends(rate_limit)"])
    if guard is not None and checks:  # the caller first (cached: resolved once), as above
        depends.insert(len(depends) - checks, f"Depends({guard.function})")
    if depends:
        route_imports.add("fastapi", "Depends")
    dependencies = f"[{', '.join(depends)}]" if depends else ""
    if success is not None and str(status) != success.status:
        extra[_DOCUMENTED_AS] = repr(success.status)  # src/core/openapi.py serves it so
    servers = _written(operation, api).get("servers")
    if servers:  # the operation's own servers, documented as written
        extra["servers"] = _literal(servers)
    call = ", ".join(f"{a.name}={a.value or a.name}" for a in arguments)
    function = function_name(operation, api)
    callbacks = [
        replace(
            sent_endpoint(
                sent, api, route_imports, f"{function}_{snake(name)}_{snake(sent.method)}"
            ),
            route_name=name,
        )
        for name, sent in _callback_operations(operation)
    ]
    if callbacks:  # documented beside the route, never served: a router of their own
        route_imports.add("fastapi", "APIRouter")
        route_imports.add("src.core.bodies", "ContractRoute")
    return Endpoint(
        operation=operation,
        function=function,
        arguments=tuple(arguments),
        returns=returns,
        response_model=response_model,
        status_code=status,
        responses=_responses(operation, success, status, api, route_imports),
        call=call,
        doc=describe(operation),
        openapi_extra=_dict_literal({f'"{k}"': v for k, v in extra.items() if v}),
        response_class=_response_class(success, route_imports),
        dependencies=dependencies,
        callbacks=f"{function}_callbacks" if callbacks else "",
        callback_endpoints=tuple(callbacks),
        streamed=streamed,
    )


def _served_requirements(operation: ir.Operation) -> str:
    """The operation's ``security`` as written, for ``openapi_extra=``: a tuple, which
    FastAPI serves in place of the one it derives (a list it would append to it)."""
    requirements = [
        {name: list(scopes) for name, scopes in requirement.schemes}
        for requirement in operation.security
    ]
    return "(" + ", ".join(repr(r) for r in requirements) + ",)"


def _written(operation: ir.Operation, api: ir.Api) -> Mapping[str, object]:
    """The Operation Object as the contract writes it (empty where its pointer crosses a
    reference, inside a callback)."""
    node = _pointed(api.document, "#" + operation.pointer)
    return node if isinstance(node, Mapping) else {}


def _callback_operations(operation: ir.Operation) -> list[tuple[str, ir.Operation]]:
    """Each callback operation with its callback's name. FastAPI serves one operation per
    callback name: a callback with several (URL expressions or methods) keeps its last."""
    return [
        (callback.name, sent) for callback in operation.callbacks for sent in callback.operations
    ]


def sent_endpoint(
    operation: ir.Operation, api: ir.Api, imports: Imports, function: str
) -> Endpoint:
    """A request the API sends (a webhook, a callback), documented with a function that
    is never called: its parameters, body, responses and security as the contract says."""
    arguments = [*_parameters(operation, api, imports), *_body(operation, api, imports)]
    success = answered(operation)
    content = success.content if success is not None else ()
    json_content = [c for c in content if media_types.is_json(c.media_type)]
    response_model = ""
    if json_content and json_content[0].schema is not None:
        response_model = pytypes.value_annotation(json_content[0].schema, api, imports)
    status = _status(success)
    extra = {}
    if operation.security:
        extra['"security"'] = _served_requirements(operation)
    if success is not None and str(status) != success.status:
        extra[f'"{_DOCUMENTED_AS}"'] = repr(success.status)
    return Endpoint(
        operation=operation,
        function=function,
        arguments=tuple(arguments),
        returns="None",
        response_model=response_model,
        status_code=status,
        responses=_responses(operation, success, status, api, imports),
        call="",
        doc=describe(operation),
        openapi_extra=_dict_literal(extra),
        response_class=_response_class(success, imports),
    )


def _webhooks_module(api: ir.Api) -> str:
    imports = Imports()
    imports.add("fastapi", "APIRouter")
    imports.add("src.core.bodies", "ContractRoute")  # serves what FastAPI would not
    taken: set[str] = set(_MODULE_LEVEL) | {"webhooks"}
    endpoints = []
    for operation in api.webhooks:
        name, number = snake(operation.operation_id), 2
        while name in taken:
            name, number = f"{snake(operation.operation_id)}_{number}", number + 1
        taken.add(name)
        endpoints.append(sent_endpoint(operation, api, imports, name))
    return render(
        "webhooks.py.jinja", header=header(SOURCE), imports=imports.render(), endpoints=endpoints
    )


def _optional_fields_of_required_body(operation: ir.Operation, body: list[Argument]) -> bool:
    """A required form body passed as fields that are each optional: FastAPI would
    document (and take) it as optional."""
    required = operation.request_body is not None and operation.request_body.required
    fields = [a for a in body if a.name != "body"]
    return required and bool(fields) and all(" = " in a.declaration for a in fields)


_FORM_ENCODING = {"style": "form", "explode": True, "allowReserved": False}
"""What an ``encoding`` entry may say of a form field that FastAPI reads as it says: a
value, or a list as repeated fields (style form, exploded, as in a query string)."""


def form_encoding(operation: ir.Operation, api: ir.Api) -> tuple[str, Mapping[str, object]] | None:
    """The form media type FastAPI reads the body in, and its ``encoding`` as the contract
    writes it, where the form is read as each entry says: FastAPI's own way
    (:data:`_FORM_ENCODING`) of a field holding a value or a list of values, or, of a form
    passed field by field, any style (an ``Encoded`` field, see :func:`_form_field`), and
    a part's ``contentType`` alone where it is checked: a file's (the route refuses a
    file of a type it does not list) or JSON (the part is read as JSON, then validated).
    ``headers``, another ``contentType`` (a field's text keeps no type of its own), or a
    style of a file or of a field of a form model, leaves the encoding unserved."""
    body = operation.request_body
    if body is None or any(media_types.is_json(c.media_type) for c in body.content):
        return None
    forms = [c for c in body.content if media_types.base(c.media_type) in (_MULTIPART, _FORM)]
    forms.sort(key=lambda content: media_types.base(content.media_type) != _MULTIPART)
    if not forms:
        return None
    encoding = _encoding(operation, forms[0], api)
    if not encoding:
        return None
    multipart = media_types.base(forms[0].media_type) == _MULTIPART
    whole = _passed_whole(forms[0], api)
    properties = resolved(api, forms[0].schema or {}).get("properties") or {}
    for name, entry in encoding.items():
        if name not in properties or not isinstance(entry, Mapping):
            return None
        if _read_natively(properties[name], entry, api):
            continue
        file = multipart and _file_kind(properties[name], api) is not None
        if not whole and _typed_part(entry) and (file or _json_part(entry)):
            continue
        if whole or not _styled(entry) or file:
            return None
    return media_types.base(forms[0].media_type), encoding


def _encoding(
    operation: ir.Operation, content: ir.MediaContent, api: ir.Api
) -> Mapping[str, Mapping[str, object]]:
    """The ``encoding`` the contract writes for a form media type of the request body."""
    written = _written(operation, api).get("requestBody")
    if isinstance(written, Mapping) and isinstance(written.get("$ref"), str):
        written = _pointed(api.document, str(written["$ref"]))
    media = written.get("content") if isinstance(written, Mapping) else None
    media = media.get(content.media_type) if isinstance(media, Mapping) else None
    encoding = media.get("encoding") if isinstance(media, Mapping) else None
    return encoding if isinstance(encoding, Mapping) else {}


def _read_natively(schema: ir.JsonSchema, entry: Mapping[str, object], api: ir.Api) -> bool:
    """Whether FastAPI reads a form field as its ``encoding`` entry says: a value, or a
    list of values as repeated fields (:data:`_FORM_ENCODING`)."""
    if set(entry) - set(_FORM_ENCODING):
        return False
    if any(entry.get(key, value) != value for key, value in _FORM_ENCODING.items()):
        return False
    return _values(schema, api)


def _styled(entry: Mapping[str, object]) -> bool:
    """An ``encoding`` entry that gives a form field a style (one of a query parameter's:
    OpenAPI encodes a form as a query), no ``contentType`` nor ``headers``: an ``Encoded``
    field is read as it says."""
    return bool(entry) and set(entry) <= {"style", "explode", "allowReserved"}


def _typed_part(entry: Mapping[str, object]) -> bool:
    """An ``encoding`` entry that only gives the part's ``contentType`` (a media type, a
    range such as ``image/*``, or a comma-separated list of them)."""
    return set(entry) == {"contentType"} and bool(str(entry["contentType"]).strip())


def _json_part(entry: Mapping[str, object]) -> bool:
    """A ``contentType`` entry whose every listed media type is JSON: the part's text is
    JSON, whatever its schema."""
    listed = [kind.strip() for kind in str(entry.get("contentType", "")).split(",")]
    return all(
        kind and media_types.is_json(kind) and media_types.base(kind) != "*/*" for kind in listed
    )


def _read_by_encoding(schema: ir.JsonSchema, entry: Mapping[str, object], api: ir.Api) -> bool:
    """Whether a form field passed on its own is read by the app (``Encoded``), not by
    FastAPI: one of a style FastAPI does not read, a JSON part (``contentType``), or one
    that may hold an object, which has no text of its own (OpenAPI's default encodes it
    as JSON)."""
    if _styled(entry) and not _read_natively(schema, entry, api):
        return True
    if _typed_part(entry) and _json_part(entry):
        return True
    return _holds_object(schema, api)


def _holds_object(schema: ir.JsonSchema, api: ir.Api, depth: int = 0) -> bool:
    """Whether ``schema`` admits an object, or an array of them (through ``$ref``s and
    ``anyOf``/``oneOf``/``allOf`` members)."""
    schema = resolved(api, schema)
    kind = schema.get("type")
    kinds = set(kind) if isinstance(kind, list) else {kind}
    if "object" in kinds or (kind is None and _fields_of_object(schema)):
        return True
    if depth > 8:
        return False
    if "array" in kinds and _holds_object(schema.get("items") or {}, api, depth + 1):
        return True
    members = [m for key in ("anyOf", "oneOf", "allOf") for m in schema.get(key) or ()]
    return any(_holds_object(member, api, depth + 1) for member in members)


def _fields_of_object(schema: ir.JsonSchema) -> bool:
    return any(key in schema for key in ("properties", "additionalProperties"))


def _values(schema: ir.JsonSchema, api: ir.Api) -> bool:
    """A field of a scalar or a list of scalars (no object: a form has no way of its own
    to hold one)."""
    schema = resolved(api, schema)
    if pytypes.base_type(schema) == "array":
        schema = resolved(api, schema.get("items") or {})
    return pytypes.base_type(schema) in _SCALARS


def _closed_form(operation: ir.Operation, body: list[Argument], api: ir.Api) -> bool:
    """Whether a form passed field by field (no ``body`` argument: FastAPI ignores any
    other field) has a schema of ``additionalProperties: false``."""
    request_body = operation.request_body
    if request_body is None or not body or any(a.name == "body" for a in body):
        return False
    for media_type in (_MULTIPART, _FORM):
        for content in request_body.content:
            if media_types.base(content.media_type) == media_type:
                target = _form_schema(content, api)
                if _fields_of(target):  # the form _form_body passes field by field
                    return target.get("additionalProperties") is False
    return False


def _required_when_sent(
    operation: ir.Operation, body: list[Argument], api: ir.Api
) -> tuple[str, ...]:
    """The fields an optional form body passed field by field requires (its schema's
    ``required``): a form that is sent must carry them, though the body may be absent.
    FastAPI can only say the latter (each field optional), so the route says the former."""
    request_body = operation.request_body
    if request_body is None or request_body.required or not body:
        return ()
    if any(argument.name == "body" for argument in body):
        return ()  # JSON, a form model or raw bytes: the schema says it
    for media_type in (_MULTIPART, _FORM):
        for content in request_body.content:
            if media_types.base(content.media_type) == media_type:
                target = _form_schema(content, api)
                if _fields_of(target):  # the form _form_body passes field by field
                    return tuple(str(name) for name in target.get("required") or ())
    return ()


def _parameter_names(operation: ir.Operation) -> list[str]:
    """The handler argument of each parameter: ``snake(name)``, suffixed with the location
    (then numbered) while it is taken (``sort-by``, ``sort_by``, ``sortBy``)."""
    names: list[str] = []
    taken = set(_RESERVED)
    for parameter in operation.parameters:
        name = snake(parameter.name)
        if name in taken:
            name = base = f"{name}_{parameter.location}"
            number = 2
            while name in taken:
                name, number = f"{base}_{number}", number + 1
        taken.add(name)
        names.append(name)
    return names


def _parameters(
    operation: ir.Operation, api: ir.Api, imports: Imports, route_imports: Imports | None = None
) -> list[Argument]:
    """One argument per parameter: FastAPI's own ``Query``/``Path``/``Header``/``Cookie``
    where it reads and documents the parameter as the contract does, else a
    ``ContractParameter`` dependency (``src/core/parameters.py``, see :func:`is_native`).
    ``route_imports`` collects what only the router needs (by default ``imports``)."""
    arguments = []
    for parameter, name in zip(operation.parameters, _parameter_names(operation), strict=True):
        if not is_native(parameter, api):
            arguments.append(
                _contract_parameter(
                    parameter, name, operation, api, imports, route_imports or imports
                )
            )
            continue
        kind = pytypes.annotation(parameter.schema, api, imports)
        param_class = _PARAM_CLASSES[parameter.location]
        imports.add("fastapi", param_class)
        imports.add("typing", "Annotated")
        options: dict[str, object] = {}
        if parameter.name != name or parameter.location == "header":
            options["alias"] = parameter.name  # headers keep their spelling: no _ → - guessing
        if parameter.location == "header" and "_" in parameter.name:
            options["convert_underscores"] = False  # FastAPI would serve api_key as api-key
        if parameter.description:
            options["description"] = parameter.description
        if parameter.deprecated:
            options["deprecated"] = True
        options.update(pytypes.constraints(parameter.schema, api))
        rendered = ", ".join(f"{key}={value!r}" for key, value in options.items())
        default = ""
        if not parameter.required:
            value = _parameter_default(parameter.schema, api, kind)
            if value == "None" and not kind.endswith("| None"):
                kind += " | None"
            default = f" = {value}"
        declaration = f"{name}: Annotated[{kind}, {param_class}({rendered})]{default}"
        arguments.append(Argument(name, kind, declaration))
    return arguments


DEFAULT_STYLE = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}
_PLAIN_KEYWORDS = frozenset(
    {
        *("type", "format", "enum", "default", "nullable", "deprecated", "readOnly"),
        *("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
        *("minLength", "maxLength", "pattern", "title", "description", "example"),
        *("examples", "externalDocs", "$comment", "writeOnly"),
    }
)
"""Keywords FastAPI serves (and pydantic enforces) as written for a single value."""
_SCALARS = frozenset({"string", "integer", "number", "boolean"})
_BEYOND_RUST_REGEX = re.compile(r"\(\?<?[=!]|\\[1-9]|\(\?P=|\\k<")
"""Look-arounds and back-references: ECMA-262 (and Python's re, which jsonschema uses)
have them, the Rust regex engine pydantic compiles a ``pattern`` with does not."""
_ITEM_KEYWORDS = frozenset({"type", "format", "enum", "title", "description", "example"})


def is_native(parameter: ir.Parameter, api: ir.Api) -> bool:
    """Whether FastAPI's own ``Query``/``Path``/``Header``/``Cookie`` reads, enforces and
    documents ``parameter`` exactly as the contract does: the location's default
    ``style``/``explode``, no ``content``, ``allowReserved`` or ``allowEmptyValue``, and a
    single value of plain keywords, or (in the query) an exploded array of such values."""
    if parameter.location not in DEFAULT_STYLE:
        return False  # querystring (OpenAPI 3.2): the whole query string, no FastAPI reading
    definition = parameter.definition
    style = definition.get("style", DEFAULT_STYLE[parameter.location])
    if style != DEFAULT_STYLE[parameter.location]:
        return False
    if definition.get("explode", style == "form") != (style == "form"):
        return False
    if "content" in definition or definition.get("allowReserved"):
        return False
    if definition.get("allowEmptyValue"):
        return False
    schema = resolved(api, parameter.schema)
    if pytypes.base_type(schema) == "array" and parameter.location == "query":
        keys = set(schema) - {"items", "minItems", "maxItems"}
        return _plain(schema, keys) and _plain_value(schema.get("items") or {}, api, top=False)
    return _plain_value(parameter.schema, api)


def _plain_value(schema: ir.JsonSchema, api: ir.Api, top: bool = True) -> bool:
    """A single value FastAPI serves as written: a ``$ref`` to an enum component (a class
    of its own) or to a plain alias, or a scalar of plain keywords (as an array's items,
    of no constraint: FastAPI would not serve one)."""
    name = pytypes.ref_name(schema)
    if name is not None:
        if set(schema) != {"$ref"}:
            return False
        target = api.schemas.get(name, {})
        if pytypes.annotation(schema, api, Imports()) == pytypes.model_reference(api, name):
            return "enum" in target and pytypes.base_type(target) in _SCALARS
        return _plain_value(target, api, top)
    if pytypes.base_type(schema) not in _SCALARS:
        return False
    if "enum" in schema and not [value for value in schema["enum"] or () if value is not None]:
        return False  # admits no value (``enum: []``): no Python type says that
    if "enum" in schema and "Literal[" not in pytypes.annotation(schema, api, Imports()):
        return False  # an enum of numbers: no Literal says it (no float Literals)
    if isinstance(schema.get("default"), str) and pytypes.parsed_from_text(schema):
        return False  # FastAPI would hand the service the default's text, unparsed
    allowed = _PLAIN_KEYWORDS if top else _ITEM_KEYWORDS
    keys = {key for key in schema if not key.startswith("x-")}
    return not keys - allowed and _plain(schema, keys)


def _plain(schema: ir.JsonSchema, keys: set[str]) -> bool:
    """Only plain keywords, one type (or it and null), no format FastAPI would drop."""
    keys = {key for key in keys if not key.startswith("x-")}
    if keys - _PLAIN_KEYWORDS:
        return False
    kind = schema.get("type")
    if isinstance(kind, list) and len([k for k in kind if k != "null"]) != 1:
        return False
    if _BEYOND_RUST_REGEX.search(str(schema.get("pattern", ""))):
        return False  # pydantic's regex engine refuses it: the app would not import
    if schema.get("format") is not None and keys & {"pattern", "minLength", "maxLength"}:
        return False  # the format's type (a datetime, a UUID) neither serves nor checks them
    return pytypes.serves_format(schema)


def _contract_parameter(
    parameter: ir.Parameter,
    name: str,
    operation: ir.Operation,
    api: ir.Api,
    imports: Imports,
    route_imports: Imports,
) -> Argument:
    """A parameter read by a ``ContractParameter`` dependency, which serves its
    declaration as the contract writes it (its schemas' references inlined)."""
    kind = pytypes.annotation(parameter.schema, api, imports)
    route_imports.add("fastapi", "Depends")
    route_imports.add("typing", "Annotated")
    route_imports.add("src.core.parameters", "ContractParameter")
    options = [_literal(declaration(parameter, api)), repr(versions.dialect(api.openapi_version))]
    definition = parameter.definition
    style = definition.get("style", DEFAULT_STYLE.get(parameter.location))
    if parameter.location == "query" and style == "form" and definition.get("explode", True):
        claimed = tuple(p.name for p in operation.parameters if p.location == "query")
        options.append(f"claimed={tuple(c for c in claimed if c != parameter.name)!r}")
    has_default = "default" in resolved(api, parameter.schema)
    if not (parameter.required or has_default) and not kind.endswith("| None"):
        kind += " | None"
    rendered = f"Depends(ContractParameter({', '.join(options)}))"
    return Argument(name, kind, f"{name}: Annotated[{kind}, {rendered}]")


def declaration(parameter: ir.Parameter, api: ir.Api) -> dict[str, object]:
    """The Parameter Object as the contract writes it, the ``$ref``s of its schemas
    inlined (a parameter's schema is no component the served document has) and its
    ``examples`` left out where they are references (to ``components/examples``)."""
    served: dict[str, object] = {}
    for key, value in parameter.definition.items():
        if key == "schema":
            served[key] = inlined(value, api)
        elif key == "content" and isinstance(value, Mapping):
            served[key] = {
                media: {
                    k: inlined(v, api) if k == "schema" else v
                    for k, v in (entry or {}).items()
                    if k != "examples"
                }
                for media, entry in value.items()
            }
        elif key == "examples" and "$ref" in json.dumps(value, default=str):
            continue
        else:
            served[key] = value
    return served


def inlined(schema: object, api: ir.Api, seen: tuple[str, ...] = ()) -> object:
    """``schema`` with every local ``$ref`` replaced by what it points at (a parameter's
    schema is no component the served document has): a component schema, or any other
    place of the document (``#/components/parameters/x/schema``). A reference back into
    one being inlined stays, to the class's served component (to nothing where no class
    stands for it)."""
    if isinstance(schema, Mapping):
        reference = schema.get("$ref")
        if not isinstance(reference, str) or not reference.startswith("#/"):
            return {key: inlined(value, api, seen) for key, value in schema.items()}
        name = pytypes.ref_name(schema)
        if reference in seen:
            return _served_schema(schema, api) if name is not None else {}
        pointed = api.schemas.get(name, {}) if name else _pointed(api.document, reference)
        target = inlined(pointed, api, (*seen, reference))
        siblings = {k: inlined(v, api, seen) for k, v in schema.items() if k != "$ref"}
        if not siblings or versions.legacy(api.openapi_version):
            return target
        return {**siblings, "allOf": [target]}
    if isinstance(schema, list | tuple):
        return [inlined(item, api, seen) for item in schema]
    return schema


def _pointed(document: Mapping[str, object], reference: str) -> object:
    """What a local reference (``#/components/parameters/x/schema``) points at ({} where
    nothing is: the loader reports dangling references)."""
    node: object = document
    for part in reference[2:].split("/"):
        key = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]  # through a list too: #/components/schemas/Data/oneOf/0
        elif isinstance(node, Mapping) and key in node:
            node = node[key]
        else:
            return {}
    return node


def _parameter_default(schema: ir.JsonSchema, api: ir.Api, kind: str) -> str:
    """An optional parameter's default as Python: the schema's ``default``, also where a
    ``$ref``'d component holds it (``SortOrder.DESC`` for a generated enum), else None."""
    found, value = _default(schema, api)
    if not found:
        return "None"
    if value is None:
        return _literal(value)
    if schemas.begun(api):  # named once the schemas module is made: see defaults_named
        marks = api.once(_DEFAULT_MARKS, list)
        marks.append((kind, value))
        return f"⟨default {len(marks) - 1}⟩"
    return _named_default(api, kind, value)


def _named_default(api: ir.Api, kind: str, value: object) -> str:
    member = schemas.enum_member(api, kind, value)
    return f"{kind}.{member}" if member else _literal(value)


_DEFAULT_MARKS = "parameter defaults marked"
_DEFAULT_MARK = re.compile(r"⟨default (\d+)⟩")


def defaults_named(api: ir.Api, files: dict[str, str]) -> dict[str, str]:
    """``files`` with each parameter default marked while the schemas module was being
    made beside (``schemas.begin_schemas_module``) written as Python: the enum member
    that module names (``SortOrder.DESC``), else the literal value. The routers need the
    module only for these names, so they are rendered meanwhile, and named after."""
    marks: list[tuple[str, object]] = api.worked_out.get(_DEFAULT_MARKS, [])
    if not marks:
        return files

    def named(match: re.Match[str]) -> str:
        return _named_default(api, *marks[int(match[1])])

    return {path: _DEFAULT_MARK.sub(named, text) for path, text in files.items()}


def _default(schema: ir.JsonSchema, api: ir.Api) -> tuple[bool, object]:
    """Whether an optional value of ``schema`` has a default, and which: its own, else
    the one of the schema its ``$ref`` names (the nearest applies; beside a ``$ref``,
    OpenAPI 3.0 ignores it)."""
    seen: set[str] = set()
    while "default" not in schema or (_siblings_ignored(api) and "$ref" in schema):
        name = pytypes.ref_name(schema)
        if name is None or name in seen:
            return False, None
        seen.add(name)
        schema = api.schemas.get(name, {})
    return True, schema["default"]


def _siblings_ignored(api: ir.Api) -> bool:
    """Whether the keywords beside a ``$ref`` mean nothing (OpenAPI 3.0)."""
    return versions.legacy(api.openapi_version)


def _body(
    operation: ir.Operation, api: ir.Api, imports: Imports, route_imports: Imports | None = None
) -> list[Argument]:
    """The request body's arguments: ``body`` (JSON, a form model or raw bytes), or one
    argument per field of an inline form or a multipart body.

    FastAPI parses one media type natively: JSON when the contract offers it, else a form
    (multipart when it carries files), else the raw bytes of the first media type. Other
    media types with the JSON body's model are accepted through ``AlsoAccepts`` (see the
    template's ``src/core/bodies.py``). A body of media types that neither way reads
    (each with a schema of its own, a form with files beside JSON), or with a sequential
    media type (OpenAPI 3.2: an ``itemSchema``, a multipart body's parts by position,
    read item by item), is read by media type (:func:`_by_media_type`).
    """
    body = operation.request_body
    if body is None or not body.content:
        return []
    route_imports = route_imports or imports
    if any(content.sequential for content in body.content):  # read item by item
        return [_by_media_type(operation, body, api, imports, route_imports)]
    kinds = {media_types.base(content.media_type) for content in body.content}
    json_content = sorted(
        (c for c in body.content if media_types.is_json(c.media_type)),
        key=lambda content: media_types.base(content.media_type) != "application/json",
    )
    if json_content:
        own, route_own = Imports(), Imports()  # imported only where it is the argument
        argument, served = _json_body(body, json_content[0], api, own, route_own)
        if kinds <= served:
            imports.update(own)
            route_imports.update(route_own)
            return [argument]
        return [_by_media_type(operation, body, api, imports, route_imports)]
    if len(kinds) > 1:  # FastAPI would read one of them
        return [_by_media_type(operation, body, api, imports, route_imports)]
    for media_type in (_MULTIPART, _FORM):
        for content in body.content:
            if media_types.base(content.media_type) == media_type:
                arguments = _form_body(operation, body, content, api, imports, route_imports)
                if arguments is not None:
                    return arguments
    return [_raw_body(body, body.content[0], api, imports)]


def _by_media_type(
    operation: ir.Operation,
    body: ir.RequestBody,
    api: ir.Api,
    imports: Imports,
    route_imports: Imports,
) -> Argument:
    """A body whose media types each carry a schema of their own (PagerDuty's JSON
    definition, multipart CSV file or ``text/csv`` text): read by a ``ByMediaType``
    dependency (the template's ``src/core/media_bodies.py``), each media type into its
    own type, served with its schema as written. The service gets their union."""
    route_imports.add("fastapi", "Depends")
    route_imports.add("src.core.media_bodies", "ByMediaType", "MediaBody")
    imports.add("typing", "Annotated")
    kinds: list[str] = []
    bodies = []
    for content in body.content:
        kind = _media_kind(content, api, imports)
        kinds.append(kind)
        read = kind
        if media_types.is_json(content.media_type) and directions.read_in_request(
            api, content.schema
        ):  # values that go one way
            route_imports.add(directions.MODULE, directions.READ)
            read = f"Annotated[{kind}, {directions.READ}]"
        served = [repr(content.media_type), read]
        if content.schema is not None:
            served.append(_literal(_served_schema(content.schema, api)))
        encoding = _encoding(operation, content, api)
        if encoding and _parts_read_so(encoding, content, api):
            served.append(f"encoding={_literal(encoding)}")
        if content.sequential:
            served += _sequence_options(content, api, route_imports)
        bodies.append(f"MediaBody({', '.join(served)})")
    kind = " | ".join(dict.fromkeys(kinds))
    dialect = versions.dialect(api.openapi_version)
    options = [*bodies, f"required={body.required!r}", f"dialect={dialect!r}"]
    default = ""
    if not body.required:
        kind, default = f"{kind} | None", " = None"
    declared = f"Depends(ByMediaType({', '.join(options)}))"
    return Argument("body", kind, f"body: Annotated[{kind}, {declared}]{default}")


def _parts_read_so(
    encoding: Mapping[str, Mapping[str, object]], content: ir.MediaContent, api: ir.Api
) -> bool:
    """Whether a form read by media type reads each part as its ``encoding`` entry says:
    only a ``contentType``, JSON for a field that holds an object (read as JSON), any
    other for a string (its text, or a file)."""
    properties = _form_schema(content, api).get("properties")
    properties = properties if isinstance(properties, Mapping) else {}
    for name, entry in encoding.items():
        if (
            name not in properties
            or not isinstance(entry, Mapping)
            or set(entry) != {"contentType"}
        ):
            return False
        field = resolved(api, properties[name])
        if media_types.is_json(str(entry["contentType"])) != _holds_object(field, api):
            return False
        if not _holds_object(field, api) and pytypes.base_type(field) != "string":
            return False
    return True


def _media_kind(content: ir.MediaContent, api: ir.Api, imports: Imports) -> str:
    """What the service gets for one media type of a body read by media type: JSON's
    type (a model); a form's model where the form is one without files, else the form
    itself (its fields and files); the text of a string; else the raw bytes. A
    sequential media type's items come as a list (of each position's type)."""
    if content.sequential:
        positions, items = _item_kinds(content, api, imports)
        return f"list[{' | '.join(dict.fromkeys([*positions, items]))}]"
    schema = content.schema
    media_type = media_types.base(content.media_type)
    if media_types.is_json(media_type):
        return pytypes.value_annotation(schema or {}, api, imports)
    if media_type in (_FORM, _MULTIPART):
        if _passed_whole(content, api) and not _holds_files(content, api):
            return pytypes.annotation(schema or {}, api, imports)
        imports.add("starlette.datastructures", "FormData")
        return "FormData"
    target = resolved(api, schema or {})
    if pytypes.base_type(target) == "string" and _file_kind(target, api) is None:
        return "str"
    return "bytes"


def _item_kinds(content: ir.MediaContent, api: ir.Api, imports: Imports) -> tuple[list[str], str]:
    """The types of the items of a sequential media type: of the leading parts of a
    multipart body whose array schema lists them (``prefixItems``), and of every other
    item (its ``itemSchema``, else the array schema's ``items``). A part that is binary
    (or of no schema: ``application/octet-stream`` by default) comes as its bytes."""
    multipart = media_types.framing(content.media_type) == "parts"
    schema = resolved(api, content.schema or {})
    array = pytypes.base_type(schema) == "array" or "prefixItems" in schema
    listed = schema.get("prefixItems") if multipart and array else None
    prefix = listed if isinstance(listed, list) else []
    positions = [_item_kind(part, multipart, api, imports) for part in prefix]
    if content.item_schema is not None:
        return positions, _item_kind(content.item_schema, multipart, api, imports)
    items = schema.get("items") if array else None
    rest = items if isinstance(items, Mapping) else {}
    return positions, _item_kind(rest, multipart, api, imports)


def _item_kind(schema: ir.JsonSchema, part: bool, api: ir.Api, imports: Imports) -> str:
    if part and (not resolved(api, schema) or _file_kind(schema, api) == "UploadFile"):
        return "bytes"
    kind = pytypes.annotation(schema, api, imports)
    if pytypes.referenced_nullable(schema, api) and not kind.endswith("| None"):
        kind += " | None"
    return kind


def _sequence_options(content: ir.MediaContent, api: ir.Api, route_imports: Imports) -> list[str]:
    """The ``MediaBody`` options of a sequential media type: its ``itemSchema``,
    ``prefixEncoding`` and ``itemEncoding`` as written, and the types of its items."""
    positions, items = _item_kinds(content, api, route_imports)
    options = []
    if content.item_schema is not None:
        options.append(f"item_schema={_literal(_served_schema(content.item_schema, api))}")
    if content.prefix_encoding:
        options.append(f"prefix_encoding={_literal(list(content.prefix_encoding))}")
    if content.item_encoding is not None:
        options.append(f"item_encoding={_literal(dict(content.item_encoding))}")
    if positions:
        options.append(f"positions=({', '.join(positions)},)")
    return [*options, f"items={items}"]


_FORM = "application/x-www-form-urlencoded"
_MULTIPART = "multipart/form-data"


def _json_body(
    body: ir.RequestBody,
    content: ir.MediaContent,
    api: ir.Api,
    imports: Imports,
    route_imports: Imports,
) -> tuple[Argument, set[str]]:
    """The JSON ``body`` argument, and the media types it is read in. A
    ``oneOf``/``anyOf`` of model components (Discord's channel updates) is their union,
    served as ``anyOf``; a ``oneOf`` whose members may overlap is also marked ``OneOf()``
    (``specs.validation``), which serves ``oneOf`` and refuses a body that more than one
    member accepts."""
    schema = content.schema or {}
    metadata = []
    # the union's names only: Any would be imported and left unused (workos)
    plain = pytypes.annotation(schema, api, Imports())
    union = _model_union(schema, api, imports, discriminated=True) if plain == "Any" else ""
    whole = pytypes.whole_class(schema, api) is not None  # its class says its keywords
    mark = (
        one_of.body_mark(dict(api.document), pytypes.component_classes(api), schema)
        if union
        else None
    )
    if union:
        kind = union
        if mark is not None:  # served and enforced as its discriminator is written
            route_imports.add("specs.validation", "Discriminated")
            metadata.append(f"Discriminated({mark!r})")
        elif one_of.exclusive(schema):
            route_imports.add("specs.validation", "OneOf")
            metadata.append("OneOf()")
    else:
        kind = pytypes.value_annotation(schema, api, imports)
    if pytypes.referenced_nullable(schema, api) and not kind.endswith("| None"):
        kind += " | None"
    # after Body(): its constraints then bound the array, not "the array or null" (a
    # nullable body's maxItems would be served as maxLength beside the anyOf, and null
    # refused with an error)
    marks = []
    if pytypes.unique_items(schema, api) and not whole:  # an array body's (inline, or a
        route_imports.add("specs.validation", "UniqueItems")  # plain alias's)
        marks.append("UniqueItems()")
    for served in (
        _served_keywords(schema, api, route_imports) if not whole else None,
        _notes(schema, api, route_imports) if not whole else None,
    ):
        if served is not None:
            marks.append(served)
    if directions.read_in_request(api, content.schema):  # values that go one way
        route_imports.add(directions.MODULE, directions.READ)
        marks.append(directions.READ)
    imports.add("fastapi", "Body")
    imports.add("typing", "Annotated")
    media_type = media_types.base(content.media_type)
    written = content.media_type  # served as written: "application/json;charset=UTF-8"
    options = [] if written in ("application/json", "*/*") else [f"media_type={written!r}"]
    # an inline schema's keywords (Discord's maxItems of a list body) or a plain alias's
    constraints = {} if whole else pytypes.constraints(schema, api)
    options += [f"{key}={value!r}" for key, value in constraints.items()]
    default = ""
    if not body.required:
        if not kind.endswith("| None"):
            kind += " | None"
        default = f" = {_body_default(schema, api, kind)}"
        if content.schema is not None:  # served as written, not as "X or null"
            imports.add("src.core.bodies", "contract_schema")
            served = _literal(_served_schema(content.schema, api))
            options.append(f"json_schema_extra=contract_schema({served})")
    metadata.append(f"Body({', '.join(options)})")  # Body(): a str body is no query parameter
    metadata += marks
    fields = bool(union) or kind.startswith("dict[")  # a form's fields can make it
    also, schemas = _also_accepted(body, content, api, fields)
    if also:
        imports.add("src.core.bodies", "AlsoAccepts")
        listed = [repr(m) for m in also]
        if schemas:
            own = {m: _served_schema(schema, api) for m, schema in schemas.items()}
            listed.append(f"schemas={_literal(own)}")
        metadata.append("AlsoAccepts(" + ", ".join(listed) + ")")
    declaration = f"body: Annotated[{kind}, {', '.join(metadata)}]{default}"
    return Argument("body", kind, declaration), {media_type, *also}


_JSON_TYPES = frozenset({"str", "int", "float", "bool", "list", "dict", "Any", "None", "Literal"})


def _served_keywords(schema: ir.JsonSchema, api: ir.Api, imports: Imports) -> str | None:
    """``ServedKeywords(...)`` serving the lone discriminators of a body's schema that its
    type does not (:mod:`generators.emit.lone_discriminators`): an inline schema's, or
    a plain alias's (a model's class serves its own). None where there are none."""
    mark = lone_discriminators.annotation(lone_discriminators.found(pytypes.typed(schema, api)))
    if mark is not None:
        imports.add("specs.validation", lone_discriminators.NAME)
    return mark


def _notes(schema: ir.JsonSchema, api: ir.Api, imports: Imports) -> str | None:
    """``MemberNotes(...)`` serving the notes of the members of the unions in a body's
    schema that its type does not (:mod:`generators.emit.member_notes`): an inline
    schema's, or a plain alias's (a model's class serves its own). None where there
    are none."""
    found = member_notes.found(pytypes.typed(schema, api), legacy=_siblings_ignored(api))
    mark = member_notes.annotation(found)
    if mark is not None:
        imports.add("specs.validation", member_notes.NAME)
    return mark


def _body_default(schema: ir.JsonSchema, api: ir.Api, kind: str) -> str:
    """An optional JSON body's default: its schema's ``default`` (prefect's template
    ``""``), which the route serves (pydantic serves the parameter's default over the
    contract's schema) and hands the service when no body is sent, where ``kind`` is a
    JSON value's type a literal is to mypy too; else None."""
    found, value = _default(schema, api)
    names = set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", kind))
    if not found or value is None or not names <= _JSON_TYPES:
        return "None"
    return _literal(value)


def _served_schema(
    schema: object, api: ir.Api, depth: int = 0, *, named: str | None = None
) -> object:
    """``schema`` as the served document names things: a ``$ref`` to a model component
    points at its class's component, one to a plain alias is replaced by what it stands
    for; the keywords beside it, which OpenAPI 3.1 applies (lichess's ``color``: a
    ``$ref`` with a ``default``), are served beside an ``allOf`` of it.

    With ``named`` (the annotation of the field that serves it), a model the annotation
    does not name is written in place too, unless it refers to itself: FastAPI serves
    the components of the models a route's fields name, and no other (openai's
    transcription form field ``chunking_strategy``, typed ``Any``, names ``VadConfig``
    in an ``anyOf``: served as a reference to nothing), and the field's contract schema
    then validates it too."""
    return _Served(api, named).schema(schema, depth)


@dataclass(frozen=True)
class _Served:
    """:func:`_served_schema`'s walk: the models it writes in place so far (``inlined``)."""

    api: ir.Api
    named: str | None = None
    inlined: frozenset[str] = frozenset()

    def schema(self, schema: object, depth: int) -> object:
        api = self.api
        if isinstance(schema, list | tuple):
            return [self.schema(item, depth) for item in schema]
        if not isinstance(schema, Mapping):
            return schema
        name = pytypes.ref_name(schema)
        ref = schema.get("$ref")
        siblings = {k: self.schema(v, depth) for k, v in schema.items() if k != "$ref"}
        if name is None and isinstance(ref, str) and ref.startswith("#/"):
            # a pointer into a schema (#/components/schemas/Data/oneOf/0): its target,
            # which the served document has under no such path
            pointed = _pointed(api.document, ref)
            reference = self.schema(pointed, depth + 1) if depth < 20 else {}
        elif name is None:
            served = {key: self.schema(value, depth) for key, value in schema.items()}
            written = served.get("discriminator")
            if isinstance(written, dict):  # names the members' classes
                served["discriminator"] = one_of.served_discriminator(
                    dict(api.document), pytypes.component_classes(api), written
                )
            return served
        elif self._referenced(schema, name):
            reference = {"$ref": f"#/components/schemas/{pytypes.class_name(api, name)}"}
            if pytypes.referenced_nullable(schema, api):  # its class serves no null
                reference = {"anyOf": [reference, {"type": "null"}]}
        else:
            inner = replace(self, inlined=self.inlined | {name})
            target = api.schemas.get(name, {})
            reference = inner.schema(target, depth + 1) if depth < 20 else {}
        if not siblings or _siblings_ignored(api):
            return reference
        return {"allOf": [reference], **siblings}

    def _referenced(self, schema: ir.JsonSchema, name: str) -> bool:
        """Whether the served schema refers to ``name``'s component (else: in place)."""
        reference = pytypes.model_reference(self.api, name)
        if pytypes.annotation(schema, self.api, Imports()) != reference:
            return False  # a plain alias: what it stands for
        if self.named is None or name in self.inlined:
            return True
        return re.search(rf"\b{re.escape(reference)}\b", self.named) is not None


def _also_accepted(
    body: ir.RequestBody, chosen: ir.MediaContent, api: ir.Api, fields: bool = False
) -> tuple[list[str], dict[str, ir.JsonSchema]]:
    """The other media types the route can honestly accept for a JSON body, and the
    schemas of those documented with a schema of their own. Of the same schema: JSON
    variants (``text/json``, ``application/*+json``), read as JSON; for a model's body,
    XML; and form fields for a body a form's fields can make (``fields``: a union of
    models, Discord's invites; a map, its moderation metadata; or a model), read into
    it. A multipart body that is the JSON body's schema and files beside it (Discord's
    messages: ``allOf`` of the message and ``files[0]``...) is accepted too, its fields
    read into the body."""
    name = pytypes.ref_name(chosen.schema or {})
    model = name is not None and pytypes.annotation(chosen.schema or {}, api, Imports()) == (
        pytypes.model_reference(api, name)
    )
    accepted: list[str] = []
    schemas: dict[str, ir.JsonSchema] = {}
    for content in body.content:
        media_type = media_types.base(content.media_type)
        if media_type == media_types.base(chosen.media_type) or media_type in accepted:
            continue
        form = (model or fields) and media_type in (_FORM, _MULTIPART)
        if form and media_type == _MULTIPART and _holds_files(content, api):
            continue  # its files would be no field of the body: read by media type
        if content.schema != chosen.schema:
            if form and media_type == _MULTIPART and _with_files(content, chosen, api):
                accepted.append(media_type)
                schemas[media_type] = content.schema or {}
            continue
        json_like = media_types.is_json(media_type) and media_type != "*/*"
        if json_like or form or (model and media_types.is_xml(media_type)):
            accepted.append(media_type)
    return accepted, schemas


def _holds_files(content: ir.MediaContent, api: ir.Api) -> bool:
    """Whether a form's schema has a file among its fields (a binary string, an array
    of them, or either: OpenAI's skill ``files``)."""
    properties = _form_schema(content, api).get("properties")
    for field in properties.values() if isinstance(properties, Mapping) else ():
        field = resolved(api, field)
        members = [m for key in ("oneOf", "anyOf") for m in field.get(key) or ()]
        if any(_file_kind(m, api) for m in [field, *members] if isinstance(m, Mapping)):
            return True
    return False


def _with_files(content: ir.MediaContent, chosen: ir.MediaContent, api: ir.Api) -> bool:
    """Whether a multipart body's schema is ``allOf`` the JSON body's schema and objects
    whose properties are all files (Discord's ``files[0]``, ``target_users_file``)."""
    members = (content.schema or {}).get("allOf")
    said = {k for k in content.schema or {} if k not in _DOCUMENTATION}
    if not isinstance(members, list) or said != {"allOf"} or chosen.schema not in members:
        return False
    others = [member for member in members if member != chosen.schema]
    return all(
        isinstance(member, Mapping)
        and set(member) <= {"type", "properties", *_DOCUMENTATION}
        and member.get("type", "object") == "object"
        and isinstance(member.get("properties"), Mapping)
        and all(_file_kind(part, api) for part in member["properties"].values())
        for member in others
    )


def _form_body(
    operation: ir.Operation,
    body: ir.RequestBody,
    content: ir.MediaContent,
    api: ir.Api,
    imports: Imports,
    route_imports: Imports,
) -> list[Argument] | None:
    """A form: the component's model as one ``body``, or one argument per field when the
    schema is inline or carries files. None when it is neither (then the raw bytes)."""
    schema = content.schema or {}
    multipart = media_types.base(content.media_type) == _MULTIPART
    target = _form_schema(content, api)
    properties = target.get("properties")
    properties = properties if isinstance(properties, dict) else {}
    if _passed_whole(content, api):
        kind = pytypes.annotation(schema, api, imports)
        imports.add("fastapi", "Form")
        imports.add("typing", "Annotated")
        form = "Form(media_type='multipart/form-data')" if multipart else "Form()"
        if directions.read_in_request(api, content.schema):  # values that go one way
            route_imports.add(directions.MODULE, directions.READ)
            form += f", {directions.READ}"
        default = ""
        if not body.required:
            kind, default = f"{kind} | None", " = None"
        return [Argument("body", kind, f"body: Annotated[{kind}, {form}]{default}")]
    if not _fields_of(target):
        return None
    required = set(target.get("required") or ()) if body.required else set()
    taken = set(_RESERVED) | set(_parameter_names(operation))
    for parameter in operation.parameters:
        taken |= {snake(parameter.name), f"{snake(parameter.name)}_{parameter.location}"}
    encoding = _encoding(operation, content, api)
    return [
        _form_field(
            FormField(field, field_schema, field in required, encoding.get(field) or {}),
            multipart,
            taken,
            api,
            imports,
        )
        for field, field_schema in properties.items()
    ]


def _passed_whole(content: ir.MediaContent, api: ir.Api) -> bool:
    """A form of a component's model without files: one ``body`` of that model, which
    FastAPI reads field by field itself (a form model)."""
    schema = content.schema or {}
    name = pytypes.ref_name(schema)
    if name is None or pytypes.annotation(schema, api, Imports()) != pytypes.model_reference(
        api, name
    ):
        return False
    properties = _form_schema(content, api).get("properties")
    multipart = media_types.base(content.media_type) == _MULTIPART
    fields = properties.values() if isinstance(properties, dict) and multipart else ()
    return not any(_file_kind(field, api) for field in fields)


def _form_schema(content: ir.MediaContent, api: ir.Api) -> ir.JsonSchema:
    """A form's schema: the component it names, or its own."""
    schema = content.schema or {}
    name = pytypes.ref_name(schema)
    return api.schemas.get(name, {}) if name is not None else schema


def _fields_of(schema: ir.JsonSchema) -> bool:
    """Whether a form's schema is an object listing its fields: :func:`_form_body` passes
    those field by field (unless it is a component's model without files)."""
    properties = schema.get("properties")
    return (
        isinstance(properties, dict)
        and bool(properties)
        and pytypes.base_type(schema) in ("object", None)
    )


@dataclass(frozen=True)
class FormField:
    """A field of a form passed field by field: its name, schema, whether it is required
    and its ``encoding`` entry (``{}`` where the contract writes none)."""

    name: str
    schema: ir.JsonSchema
    required: bool
    encoding: Mapping[str, object]


def _form_field(
    field: FormField, multipart: bool, taken: set[str], api: ir.Api, imports: Imports
) -> Argument:
    """The argument of a form field: FastAPI's ``File``/``Form``, served as written; a
    field FastAPI cannot read (:func:`_read_by_encoding`) typed ``Json[T]`` and marked
    ``Encoded`` with its encoding: the route reads it and hands FastAPI its JSON. A file
    whose encoding gives its ``contentType`` is marked ``Encoded`` too: the route
    refuses a file of another type."""
    name = snake(field.name)
    while name in taken:
        name += "_field"
    taken.add(name)
    schema = field.schema
    imports.add("typing", "Annotated")
    options: dict[str, str] = {}
    metadata: list[str] = []
    file_kind = _file_kind(schema, api) if multipart else None
    encoded = file_kind is None and _read_by_encoding(schema, field.encoding, api)
    if file_kind is not None:
        imports.add("fastapi", "File", "UploadFile")
        kind, marker = file_kind, "File"
    else:
        kind, marker = pytypes.annotation(schema, api, imports), "Form"
        if multipart:
            options["media_type"] = repr(_MULTIPART)
        if not encoded:  # an encoded field's schema says them: see src/core/bodies.py
            options.update({k: repr(v) for k, v in pytypes.constraints(schema, api).items()})
    imports.add("fastapi", marker)
    if field.name != name:
        options["alias"] = repr(field.name)
    imports.add("src.core.bodies", "contract_schema")  # the field is served as written
    served = _literal(_served_schema(schema, api, named=kind))
    options["json_schema_extra"] = f"contract_schema({served})"
    default = ""
    if not field.required:  # the nearest default, also where a $ref'd enum holds it
        default = f" = {_parameter_default(schema, api, kind)}"
        if default == " = None" and not kind.endswith("| None"):
            kind += " | None"
    annotation = kind
    dialect = versions.dialect(api.openapi_version)
    if encoded:
        imports.add("pydantic", "Json")
        imports.add("src.core.bodies", "Encoded")
        annotation = f"Json[{kind}]"
        metadata.append(f"Encoded({_literal(dict(field.encoding))}, {dialect!r})")
    elif file_kind is not None and _typed_part(field.encoding):  # its types are checked
        imports.add("src.core.bodies", "Encoded")
        metadata.append(f"Encoded({_literal(dict(field.encoding))}, {dialect!r})")
    rendered = ", ".join(f"{key}={value}" for key, value in options.items())
    declared = ", ".join([f"{marker}({rendered})", *metadata])
    return Argument(name, kind, f"{name}: Annotated[{annotation}, {declared}]{default}")


def _file_kind(schema: ir.JsonSchema, api: ir.Api) -> str | None:
    """``UploadFile`` for a binary string (3.0 ``format: binary``, 3.1 ``contentMediaType``
    or ``contentEncoding``), ``list[UploadFile]`` for an array of them."""
    schema = resolved(api, schema)
    if pytypes.base_type(schema) == "array":
        return "list[UploadFile]" if _file_kind(schema.get("items") or {}, api) else None
    binary = schema.get("format") == "binary" or any(
        key in schema for key in ("contentMediaType", "contentEncoding")
    )
    return "UploadFile" if pytypes.base_type(schema) == "string" and binary else None


def _raw_body(
    body: ir.RequestBody, content: ir.MediaContent, api: ir.Api, imports: Imports
) -> Argument:
    imports.add("fastapi", "Body")
    imports.add("typing", "Annotated")
    options = f"media_type={content.media_type!r}"
    if content.schema is not None:  # served as written (FastAPI's own: contentMediaType)
        imports.add("src.core.bodies", "contract_schema")
        served = _literal(_served_schema(content.schema, api))
        options += f", json_schema_extra=contract_schema({served})"
    kind = "bytes" if body.required else "bytes | None"
    default = "" if body.required else " = None"
    return Argument("body", kind, f"body: Annotated[{kind}, Body({options})]{default}")


def _literal(value: object) -> str:
    """A Python literal of a JSON value (plain dicts and lists; YAML dates as strings)."""
    return repr(json.loads(json.dumps(value, default=str)))


def answered(operation: ir.Operation) -> ir.Response | None:
    """The response a route answers with when its service returns: the documented
    success; else, where the contract documents none (an operation that only redirects,
    or only fails), its lowest documented status, so that FastAPI does not add a 200;
    else its ``default`` (answered with 200, served as ``default``: ``_DOCUMENTED_AS``)."""
    if operation.success is not None:
        return operation.success
    numeric = [response for response in operation.responses if response.status.isdigit()]
    if numeric:
        return min(numeric, key=lambda response: response.status)
    return next((r for r in operation.responses if r.status == "default"), None)


def _body_returned(answer: ir.Response) -> bool:
    """Whether the service returns the body of the response a route answers with: a
    success's (``2xx``, ``2XX``) or, where the contract documents only that, ``default``'s."""
    return answer.status.startswith("2") or answer.status == "default"


def _status(success: ir.Response | None) -> int | None:
    """The status the route answers with: the documented success, 200 for a ``2XX``."""
    if success is None:
        return None
    return int(success.status) if success.status.isdigit() else 200


def _response_class(success: ir.Response | None, imports: Imports) -> str:
    """``Response`` where FastAPI must not document a JSON success of its own: a success
    without content (FastAPI would advertise an ``application/json`` ``null``) or with no
    JSON media type (``_responses`` documents those); ``json_as(<type>)`` where the
    success's JSON media type is another than ``application/json``
    (``application/hal+json``): FastAPI documents and answers the route's own."""
    if success is None:
        return ""
    primary = _primary_json(success)
    if primary is not None and _body_returned(success):
        if primary.media_type == "application/json":
            return ""
        imports.add("src.core.responses", "json_as")
        return f"json_as({primary.media_type!r})"
    if success.status in ("204", "205", "304"):
        return ""  # FastAPI documents no content for these anyway
    imports.add("fastapi", "Response")
    return "Response"


def _primary_json(response: ir.Response) -> ir.MediaContent | None:
    """The JSON media type FastAPI answers a success in: the first documented."""
    return next((c for c in response.content if media_types.is_json(c.media_type)), None)


def _derived(content: ir.MediaContent, api: ir.Api) -> bool:
    """Whether FastAPI derives ``content``'s schema from the route's model: not where the
    model would be ``Any`` (a ``oneOf`` of components, ...) for a schema that says more,
    also as an array's items or a map's values (``list[Any]``), which is written out."""
    schema = content.schema or {}
    return not schema or not _any_for_more(schema, api)


def _any_for_more(schema: ir.JsonSchema, api: ir.Api, depth: int = 0) -> bool:
    """Whether the model of ``schema`` is ``Any`` where ``schema`` says something, itself
    or in the items or map values the model lists (``list[X]``, ``dict[str, X]``); an
    inline object with properties is ``dict[str, Any]``, which says nothing of them."""
    if not schema or depth > 20:
        return False
    annotation = pytypes.annotation(schema, api, Imports())
    kind = pytypes.base_type(schema)
    if annotation == "Any" or (annotation == "dict[str, Any]" and schema.get("properties")):
        return True
    inner = schema.get("items") if kind == "array" else None
    values = schema.get("additionalProperties")
    if kind == "object" and not schema.get("properties") and isinstance(values, Mapping):
        inner = values
    return isinstance(inner, Mapping) and _any_for_more(inner, api, depth + 1)


_DOCUMENTATION = frozenset({"title", "description", "example", "examples", "$comment"})


def _model_union(
    schema: ir.JsonSchema,
    api: ir.Api,
    imports: Imports | None = None,
    *,
    discriminated: bool = False,
) -> str:
    """``A | B`` for a ``oneOf``/``anyOf`` of model components (else ""): the type of
    what a service returns for it; with ``discriminated``, also beside a
    ``discriminator`` (a body: ``one_of.body_mark``)."""
    members = schema.get("oneOf") or schema.get("anyOf")
    said = {k for k in schema if k not in _DOCUMENTATION and not str(k).startswith("x-")}
    allowed = {"oneOf", "anyOf", "discriminator"} if discriminated else {"oneOf", "anyOf"}
    if not isinstance(members, list) or not members or said - allowed:
        return ""
    names = [pytypes.ref_name(m) if isinstance(m, Mapping) else None for m in members]
    scratch = Imports()
    if any(
        name is None
        or pytypes.annotation({"$ref": _REF + name}, api, scratch)
        != pytypes.model_reference(api, name)
        for name in names
    ):
        return ""
    if imports is not None:
        for name in names:
            pytypes.annotation({"$ref": _REF + str(name)}, api, imports)
    return " | ".join(dict.fromkeys(pytypes.model_reference(api, str(name)) for name in names))


def _returns(
    success: ir.Response | None, api: ir.Api, imports: Imports, route_imports: Imports
) -> tuple[str, str]:
    """``(response_model, return annotation)`` of the route and its service.

    The JSON media type's schema is the model. A representation that cannot be derived
    from it (CSV, PDF, bytes: anything but JSON and XML) is a ``Response`` the service
    builds itself, so where the contract documents one the service may return that.
    A JSON schema no model states (a ``oneOf`` of components) is written out in
    ``responses=`` instead, and the service returns one of its components. A success
    without JSON that is a stream of items (:func:`_streams`) is the items the service
    returns (or a ``Response``), which the route streams (:func:`_streamed`).
    """
    if success is None or not success.content or not _body_returned(success):
        return "", "None"  # no success documented: answered without a body
    primary = _primary_json(success)
    built = any(
        not media_types.is_json(c.media_type) and not media_types.is_xml(c.media_type)
        for c in success.content
    )
    if primary is None:
        imports.add("fastapi", "Response")
        streams = _streams(success)
        if streams:  # the items, which the route streams (or a Response built)
            item = _stream_item(streams, api, imports)
            if route_imports is not imports:  # the service's: the route returns a Response
                imports.add("collections.abc", "AsyncIterable", "Iterable")
            return "", f"Iterable[{item}] | AsyncIterable[{item}] | Response"
        return "", "Response"
    if not _derived(primary, api):
        returns = _model_union(primary.schema or {}, api, imports) or "Any"
        if returns == "Any":
            imports.add("typing", "Any")
        if built:
            imports.add("fastapi", "Response")
            returns += " | Response"
        return "None", returns  # documented by ``_responses``; serialised as returned
    returns = pytypes.value_annotation(primary.schema or {}, api, imports)
    if pytypes.referenced_nullable(primary.schema or {}, api) and not returns.endswith("| None"):
        returns += " | None"  # as a body's: the class (or alias) serves no null itself
    model = returns
    whole = pytypes.whole_class(primary.schema or {}, api) is not None  # says its keywords
    constraints = {} if whole else pytypes.constraints(primary.schema or {}, api)
    marks = []
    if constraints:  # an inline schema's, or a plain alias's (TagList: list[Tag], ≤ 50)
        route_imports.add("pydantic", "Field")
        rendered = ", ".join(f"{key}={value!r}" for key, value in constraints.items())
        marks.append(f"Field({rendered})")
    if pytypes.unique_items(primary.schema or {}, api) and not whole:
        route_imports.add("specs.validation", "UniqueItems")
        marks.append("UniqueItems()")
    for served in (
        _served_keywords(primary.schema or {}, api, route_imports) if not whole else None,
        _notes(primary.schema or {}, api, route_imports) if not whole else None,
    ):
        if served is not None:
            marks.append(served)
    if directions.written_in_response(api, primary.schema):  # values that go one way
        route_imports.add(directions.MODULE, directions.WRITTEN)
        marks.append(directions.WRITTEN)
    if marks:
        route_imports.add("typing", "Annotated")
        model = f"Annotated[{returns}, {', '.join(marks)}]"
    if built:
        imports.add("fastapi", "Response")
        returns += " | Response"
    return model, returns


def _streams(success: ir.Response | None) -> list[ir.MediaContent]:
    """The media types of a success without JSON that the route streams item by item:
    those with an ``itemSchema`` that frame JSON values or events (a multipart one,
    whose parts each have a media type of their own, is a ``Response`` the service
    builds)."""
    if success is None or not success.status.startswith("2"):
        return []
    if _primary_json(success) is not None:
        return []
    return [
        content
        for content in success.content
        if content.item_schema is not None
        and media_types.framing(content.media_type) in ("lines", "records", "events")
    ]


def _stream_item(streams: list[ir.MediaContent], api: ir.Api, imports: Imports) -> str:
    """The type of each item of the streamed media types."""
    kinds = [_item_kind(content.item_schema or {}, False, api, imports) for content in streams]
    return " | ".join(dict.fromkeys(kinds))


def _streamed(
    success: ir.Response | None, status: int | None, api: ir.Api, route_imports: Imports
) -> str:
    """The arguments of the route's ``streamed(...)`` after the service's result: the
    item's type, the streamed media types, and the success's status if it is not 200."""
    streams = _streams(success)
    if not streams:
        return ""
    route_imports.add("src.core.sequences", "streamed")
    arguments = [_stream_item(streams, api, route_imports)]
    arguments += [repr(content.media_type) for content in streams]
    if status not in (None, 200):
        arguments.append(f"status_code={status}")
    return ", ".join(arguments)


def _media_object(content: ir.MediaContent, api: ir.Api, imports: Imports) -> dict[str, object]:
    """A response's Media Type Object as the route writes it out: its schemas (a model
    component's as the class), and its encoding of parts by position, as written."""
    media: dict[str, object] = {}
    if content.schema is not None:
        media["schema"] = _ModelSchema(content.schema, api, imports)
    if content.item_schema is not None:
        media["itemSchema"] = _ModelSchema(content.item_schema, api, imports)
    if content.prefix_encoding:
        media["prefixEncoding"] = json.loads(json.dumps(content.prefix_encoding, default=str))
    if content.item_encoding is not None:
        media["itemEncoding"] = json.loads(json.dumps(content.item_encoding, default=str))
    return media


def _responses(
    operation: ir.Operation,
    success: ir.Response | None,
    status: int | None,
    api: ir.Api,
    imports: Imports,
) -> str:
    """The ``responses=`` mapping: what FastAPI does not derive from the route itself.

    That is every documented response but the success, each media type with its schema
    written out as the contract has it (``src/core/responses.py``: a model component's
    schema is the class itself, so errors are answered in the documented media type
    and shape); for the success, the media types beyond the one FastAPI derives from the
    route's model; and for every response, the headers and links, as the contract writes
    them."""
    entries = {}
    for response in operation.responses:
        fields: dict[str, str] = {}
        derived = None
        if response is success and response.status.startswith("2"):
            primary = _primary_json(response)
            derived = primary if primary is not None and _derived(primary, api) else None
        else:
            fields['"description"'] = repr(response.description)
        content = {
            c.media_type: _media_object(c, api, imports)
            for c in response.content
            if c is not derived
        }
        if content:
            fields['"content"'] = repr(content)
        if response.headers:
            headers = {name: _served_schema(header, api) for name, header in response.headers}
            fields['"headers"'] = _literal(headers)
        if response.links:
            fields['"links"'] = _literal(dict(response.links))
        key = str(status) if response is success else response.status
        if fields:
            entries[key if key.isdigit() else repr(key)] = _dict_literal(fields)
    return _dict_literal(entries)


class _ModelSchema:
    """A schema of the contract as a route writes it out: Python source whose ``$ref``s
    to model components are the classes themselves (``{"$ref": Problem}``)."""

    def __init__(self, schema: ir.JsonSchema, api: ir.Api, imports: Imports) -> None:
        self.value = _with_classes(json.loads(json.dumps(schema, default=str)), api, imports)

    def __repr__(self) -> str:
        return repr(self.value)


class _ClassName:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


def _with_classes(schema: object, api: ir.Api, imports: Imports, depth: int = 0) -> object:
    if isinstance(schema, Mapping):
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/") and pytypes.ref_name(schema) is None:
            # a pointer elsewhere (#/components/responses/Conflict/content/...): its target
            target = json.loads(json.dumps(_pointed(api.document, ref), default=str))
            return _with_classes(target, api, imports, depth + 1) if depth < 20 else {}
        name = pytypes.ref_name(schema)
        if name is not None:
            if pytypes.annotation(schema, api, Imports()) == pytypes.model_reference(api, name):
                reference = {"$ref": _ClassName(pytypes.annotation(schema, api, imports))}
                if pytypes.referenced_nullable(schema, api):  # its class serves no null
                    return {"anyOf": [reference, {"type": "null"}]}
                return reference
            target = json.loads(json.dumps(api.schemas.get(name, {}), default=str))
            return _with_classes(target, api, imports, depth + 1) if depth < 20 else {}
        return {key: _with_classes(value, api, imports, depth) for key, value in schema.items()}
    if isinstance(schema, list):
        return [_with_classes(item, api, imports, depth) for item in schema]
    return schema


def _dict_literal(entries: Mapping[str, str]) -> str:
    """``{k: v, ...}`` of already rendered keys and values ("" when empty)."""
    if not entries:
        return ""
    return "{" + ", ".join(f"{key}: {value}" for key, value in entries.items()) + "}"


def describe(operation: ir.Operation) -> str:
    """One line for docstrings: ``createTask — POST /projects/{projectId}/tasks: Create a task``."""
    text = f"{operation.operation_id} — {operation.http_method} {operation.path}"
    summary = (operation.summary or "").strip().rstrip(".")
    line = f"{text}: {summary}." if summary else text + "."
    return docstring_text(line)


def docstring_text(text: str) -> str:
    """``text`` safe between triple double quotes: backslashes, quote runs and a closing
    quote escaped (a raw ``\\d`` would be an invalid escape, a raw triple quote the end)."""
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return text[:-1] + '\\"' if text.endswith('"') else text
