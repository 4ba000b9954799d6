"""The HTTP side: ``src/core/contract.py``, thin routers in ``src/api/v1/`` and the generated
route tests. Service stubs (``src/services/``) come from :mod:`generators.emit.services`."""

from __future__ import annotations

from dataclasses import dataclass

from generators import ir
from generators.emit import pytypes
from generators.emit.imports import Imports
from generators.emit.render import header, render
from generators.naming import snake

SOURCE = "specs/openapi.yaml"
_PARAM_CLASSES = {"path": "Path", "query": "Query", "header": "Header", "cookie": "Cookie"}
_RESERVED = {"body", "session", "service", "router"}


@dataclass(frozen=True)
class Argument:
    """A handler argument: ``declaration`` for the router, ``name: annotation`` for the service."""

    name: str
    annotation: str
    declaration: str


@dataclass(frozen=True)
class Endpoint:
    """One operation as the router and its service see it: names and types worked out."""

    operation: ir.Operation
    function: str
    arguments: tuple[Argument, ...]
    returns: str
    status_code: int | None
    responses: str
    call: str
    doc: str


def emit_api(api: ir.Api) -> dict[str, str]:
    files = {
        "src/core/contract.py": render(
            "contract.py.jinja",
            header=header(SOURCE),
            title=api.title,
            version=api.version,
            prefix=api.base_path,
        ),
        "src/api/__init__.py": render("package.py.jinja", header=header(SOURCE)),
        "src/api/v1/__init__.py": render(
            "api_init.py.jinja", header=header(SOURCE), modules=[snake(tag) for tag in api.tags]
        ),
        "tests/test_routes_generated.py": render(
            "test_routes.py.jinja",
            header=header(SOURCE),
            routes=sorted((op.method.upper(), api.base_path + op.path) for op in api.operations),
        ),
    }
    for tag in api.tags:
        imports = Imports()
        imports.add("fastapi", "APIRouter")
        endpoints = [endpoint(op, api, imports) for op in api.operations if op.tag == tag]
        imports.add("src.services", snake(tag))
        files[f"src/api/v1/{snake(tag)}.py"] = render(
            "router.py.jinja",
            header=header(SOURCE),
            imports=imports.render(),
            service=snake(tag),
            endpoints=endpoints,
        )
    return files


def endpoint(
    operation: ir.Operation, api: ir.Api, imports: Imports, decorator: Imports | None = None
) -> Endpoint:
    """Work out names and types; ``decorator`` collects what only the route decorator needs."""
    arguments = [*_parameters(operation, api, imports)]
    body = _body(operation, api, imports)
    if body is not None:
        arguments.append(body)
    imports.add("src.core.database", "SessionDep")
    arguments.append(Argument("session", "Session", "session: SessionDep"))
    success = _success(operation)
    returns = "None"
    if success is not None and success.content:
        returns = _content_type(success.content, api, imports)
    call = ", ".join(f"{argument.name}={argument.name}" for argument in arguments)
    return Endpoint(
        operation=operation,
        function=snake(operation.operation_id),
        arguments=tuple(arguments),
        returns=returns,
        status_code=int(success.status) if success and success.status.isdigit() else None,
        responses=_responses(operation, success, api, imports if decorator is None else decorator),
        call=call,
        doc=describe(operation),
    )


def _parameters(operation: ir.Operation, api: ir.Api, imports: Imports) -> list[Argument]:
    arguments = []
    taken = set(_RESERVED)
    for parameter in operation.parameters:
        name = snake(parameter.name)
        if name in taken:
            name = f"{name}_{parameter.location}"
        taken.add(name)
        kind = pytypes.annotation(parameter.schema, api, imports)
        param_class = _PARAM_CLASSES[parameter.location]
        imports.add("fastapi", param_class)
        imports.add("typing", "Annotated")
        options: dict[str, object] = {}
        if parameter.name != name or parameter.location == "header":
            options["alias"] = parameter.name  # headers keep their spelling: no _ → - guessing
        if parameter.description:
            options["description"] = parameter.description
        options.update(pytypes.constraints(parameter.schema, api))
        rendered = ", ".join(f"{key}={value!r}" for key, value in options.items())
        default = ""
        if not parameter.required:
            value = parameter.schema.get("default")
            if value is None and not kind.endswith("| None"):
                kind += " | None"
            default = f" = {value!r}"
        declaration = f"{name}: Annotated[{kind}, {param_class}({rendered})]{default}"
        arguments.append(Argument(name, kind, declaration))
    return arguments


def _body(operation: ir.Operation, api: ir.Api, imports: Imports) -> Argument | None:
    body = operation.request_body
    if body is None or not body.content:
        return None
    json_content = [c for c in body.content if _is_json(c.media_type)]
    if json_content:
        kind = pytypes.annotation(json_content[0].schema or {}, api, imports)
        if not body.required:
            return Argument("body", f"{kind} | None", f"body: {kind} | None = None")
        return Argument("body", kind, f"body: {kind}")
    imports.add("fastapi", "Body")
    imports.add("typing", "Annotated")
    kind = "bytes" if body.required else "bytes | None"
    media_type = body.content[0].media_type
    default = "" if body.required else " = None"
    declaration = f"body: Annotated[{kind}, Body(media_type={media_type!r})]{default}"
    return Argument("body", kind, declaration)


def _success(operation: ir.Operation) -> ir.Response | None:
    successes = [r for r in operation.responses if r.status.startswith("2")]
    return min(successes, key=lambda response: response.status) if successes else None


def _content_type(content: tuple[ir.MediaContent, ...], api: ir.Api, imports: Imports) -> str:
    json_content = [c for c in content if _is_json(c.media_type)]
    if not json_content:
        imports.add("typing", "Any")
        return "Any"
    return pytypes.annotation(json_content[0].schema or {}, api, imports)


def _responses(
    operation: ir.Operation, success: ir.Response | None, api: ir.Api, imports: Imports
) -> str:
    """The ``responses=`` mapping: every documented response but the main success one."""
    entries = []
    for response in operation.responses:
        if response is success:
            continue
        key = response.status if response.status.isdigit() else repr(response.status)
        fields = {"description": repr(response.description)}
        json_content = [c for c in response.content if _is_json(c.media_type)]
        if json_content and json_content[0].schema:
            fields["model"] = pytypes.annotation(json_content[0].schema, api, imports)
        inner = ", ".join(f'"{name}": {value}' for name, value in fields.items())
        entries.append(f"{key}: {{{inner}}}")
    return "{" + ", ".join(entries) + "}" if entries else ""


def _is_json(media_type: str) -> bool:
    base = media_type.split(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json") or base == "*/*"


def describe(operation: ir.Operation) -> str:
    """One line for docstrings: ``createTask — POST /projects/{projectId}/tasks: Create a task``."""
    text = f"{operation.operation_id} — {operation.method.upper()} {operation.path}"
    summary = (operation.summary or "").strip().rstrip(".")
    return f"{text}: {summary}." if summary else text + "."
