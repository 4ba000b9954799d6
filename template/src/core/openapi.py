"""The served OpenAPI document: what the routes declare, and nothing they do not do.

FastAPI adds a 422 "Validation Error" response (``HTTPValidationError``) to every operation
that takes input and declares no 422 of its own. This app answers bad input with the status
the operation documents (``src/core/errors.py``), so that added 422 is taken out again. A
422 the route declares stays, also when it is FastAPI's very ``HTTPValidationError`` (a
contract written by FastAPI documents it on every operation): the route's ``responses``
say which is which, and the contract's component of that name is served, not FastAPI's.

Models a route names in the schemas it writes out under ``responses=``
(``src/core/responses.py``: an XML representation, an error in
``application/problem+json``) have their components rendered here, as FastAPI renders
those of its response models.

FastAPI also renders the document with ``exclude_none``, which drops every ``null`` value:
a property whose contract says ``default: null`` (the model's ``= None``) would be served
without its default. And its OpenAPI model types the numeric bounds (``minimum``,
``maximum``, ``exclusiveMinimum``, ``exclusiveMaximum``, ``multipleOf``) as floats, so an
integer bound beyond 2^53 is served rounded (int64's ``maximum: 9223372036854775807``
as ``9.223372036854776e+18``), a bound the models do not enforce. The component schemas
are rendered again from the same models and those ``null`` defaults and consts, and
those integer bounds, put back where they belong.

A success the contract documents as a range (``2XX``) is answered with 200, the route's
``status_code``; the route says so with ``openapi_extra={"x-documented-as": "2XX"}``,
and its response is served under the documented key.

A model that is both read (a request body) and written (a response) has a schema in
each of pydantic's modes, and FastAPI serves two components, ``Node-Input`` and
``Node-Output``, unless pydantic finds the two the same. It does not for a recursive
model (``Node.children: list[Node]``) nor for any model holding one: each mode's schema
refers to its own mode's name, so they never compare equal, though they describe the same
values. Such a model is served once, under its own name (:func:`_one_per_model`), which
is also the name the schemas a route writes out (``responses=``, a body's contract
schema) refer to. A model whose two schemas really differ stays split, and a written-out
reference to it points at the mode of where it stands (:func:`_in_modes`): the input's in
a request body or a parameter, the output's in a response.

A security scheme FastAPI has no class for (``mutualTLS``: the TLS layer checks it) is
listed by the routes it guards, ``openapi_extra={"x-security-schemes": {...}}``, and
served among the document's ``securitySchemes`` from there.

FastAPI's model of a Discriminator Object knows OpenAPI 3.0's ``propertyName`` and
``mapping`` only: it drops a 3.2 ``defaultMapping`` (and ``x-`` extensions) from every
schema it reads. Each discriminator is served whole again, as the app renders it (its
models' schemas, its routes' fields, ``openapi_extra`` and ``responses``), found by what
FastAPI kept of it (:func:`_discriminators_whole`).

A parameter ``in: querystring`` (OpenAPI 3.2: the whole query string as one value,
``src/core/parameters.py``) is no parameter FastAPI's OpenAPI model takes (it knows the
four locations of 3.0): its route lists it under ``{"x-querystring": [...]}``, and it is
served among the operation's parameters from there, as the contract writes it.

A route of a method FastAPI has no Path Item field for (``api_route(methods=["COPY"])``:
OpenAPI 3.2's ``additionalOperations``) is written by FastAPI under the method in lower
case, like a field; it is served under ``additionalOperations`` keyed by the method as
requests send it (:func:`_additional_operations`). ``query`` (QUERY) is a field of 3.2's
Path Item and stays. FastAPI renders a request body for the methods of its
``METHODS_WITH_BODY`` only; the body a route of another method reads (QUERY's, COPY's,
TRACE's) is rendered here the same way (:func:`_bodies_of_other_methods`).

A media type a route accepts beside its JSON body (``text/json``, XML, form fields: see
``src/core/bodies.py``) asks with ``{"x-schema-of": <the body's media type>}`` for the
very schema FastAPI serves for the body. A form passed field by field whose schema is
closed (``additionalProperties: false``) asks with ``{"x-closed": true}`` for it in the
model FastAPI makes of the fields: beside that model's reference it would refuse them all.
"""

import copy
import json
from collections.abc import Iterable, Sequence
from typing import Any

from fastapi import FastAPI
from fastapi._compat import (  # FastAPI's own steps of get_openapi (see _definitions)
    ModelField,
    get_definitions,
    get_flat_models_from_fields,
    get_model_name_map,
)
from fastapi.openapi.constants import METHODS_WITH_BODY
from fastapi.openapi.utils import (
    get_fields_from_routes,
    get_openapi,
    get_openapi_operation_request_body,
)
from fastapi.routing import APIRoute
from fastapi.utils import create_model_field

from src.core import contract

_REF = "#/components/schemas/"
_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")
_HTTP_VALIDATION_ERROR = f"{_REF}HTTPValidationError"
_DOCUMENTED_AS = "x-documented-as"
_SECURITY_SCHEMES = "x-security-schemes"
SCHEMA_OF = "x-schema-of"
QUERY_STRING = "x-querystring"
CLOSED = "x-closed"
_MODES = ("-Input", "-Output")
_FIELDS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")
"""The Path Item fields that are operations (``query``: OpenAPI 3.2)."""
_ADDITIONAL = "additionalOperations"


def served_openapi(app: FastAPI) -> dict[str, Any]:
    """``app.openapi()`` without the 422 responses no route declares (cached like FastAPI's)."""
    if app.openapi_schema is not None:
        return app.openapi_schema
    document = get_openapi(
        title=contract.API_TITLE,  # as written, also where empty (see src/main.py)
        version=contract.API_VERSION,
        openapi_version=app.openapi_version,
        description=app.description,
        routes=app.routes,
        webhooks=app.webhooks.routes,
        servers=app.servers,
    )
    _additional_operations(
        [*document.get("paths", {}).values(), *document.get("webhooks", {}).values()]
    )
    _bodies_of_other_methods(app, document)
    document = _one_per_model(document)
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    declared = {
        **_declared(app.routes, ("paths",)),
        **_declared(app.webhooks.routes, ("webhooks",)),
    }
    for key, operation in _operations(document):
        responses = operation.get("responses", {})
        documented = operation.pop(_DOCUMENTED_AS, None)
        if documented is not None:  # answered with 200, documented as 2XX
            answered = responses.pop("200", {})
            responses[documented] = {**answered, **responses.get(documented, {})}
        # FastAPI's 422, not the route's: the app never sends it
        added = "422" not in declared.get(key, set())
        if added and _HTTP_VALIDATION_ERROR in _references(responses.get("422", {})):
            del responses["422"]
        whole = operation.pop(QUERY_STRING, [])  # in: querystring: no FastAPI model
        if whole:
            operation["parameters"] = [*operation.get("parameters", []), *whole]
        unserved = operation.pop(_SECURITY_SCHEMES, {})  # mutualTLS: no FastAPI class
        if unserved:
            document["components"].setdefault("securitySchemes", {}).update(unserved)
        _schemas_of_bodies(operation.get("requestBody", {}).get("content", {}))
        _closed_bodies(operation.get("requestBody", {}).get("content", {}), schemas)
    rendered, definitions = _definitions(app)
    _restore_exact(definitions, schemas)
    for _, operation in _operations(document):
        _in_modes(operation, {*schemas, *definitions})
    used = _references([document.get("paths", {}), document.get("webhooks", {})])
    for name in _VALIDATION_SCHEMAS:
        if _is_fastapis(schemas.get(name, {})):
            if name in definitions:  # a model of the contract's, not FastAPI's own
                schemas[name] = definitions[name]
            elif _HTTP_VALIDATION_ERROR not in used:
                schemas.pop(name)
    # models only written-out schemas name (a form's part, in FastAPI's model of the form)
    _add_missing(schemas, definitions, used | _references(schemas))
    _discriminators_whole(document, _discriminators([definitions, rendered]))
    if not schemas:
        del document["components"]["schemas"]
        if not document["components"]:
            del document["components"]
    app.openapi_schema = document
    return document


_Key = tuple[str, ...]
"""Where an operation is: ``("paths", path, method)``, ``("webhooks", name, method)``,
``("paths", path, "additionalOperations", "COPY")``, a callback's operation under its
operation's key: ``(..., "callbacks", name, url, method)``."""


def _path_items(document: dict[str, Any]) -> list[tuple[_Key, dict[str, Any]]]:
    """Every Path Item of the document: of its paths, its webhooks and their callbacks."""
    found = []
    items: list[tuple[_Key, Any]] = [
        *((("paths", path), item) for path, item in document.get("paths", {}).items()),
        *(
            (("webhooks", name), item)
            for name, item in document.get("webhooks", {}).items()
        ),
    ]
    while items:
        where, item = items.pop()
        found.append((where, item))
        for key, operation in _operations_of(where, item):
            for name, callback in operation.get("callbacks", {}).items():
                items.extend(
                    ((*key, "callbacks", name, url), path_item)
                    for url, path_item in callback.items()
                )
    return found


def _operations_of(
    where: _Key, item: dict[str, Any]
) -> list[tuple[_Key, dict[str, Any]]]:
    """The operations of the Path Item at ``where``: its fields', its ``additionalOperations``."""
    found = [((*where, method), item[method]) for method in _FIELDS if method in item]
    for method, operation in item.get(_ADDITIONAL, {}).items():
        found.append(((*where, _ADDITIONAL, method), operation))
    return found


def _operations(document: dict[str, Any]) -> list[tuple[_Key, dict[str, Any]]]:
    """Every operation of the document: of its paths, its webhooks and their callbacks."""
    return [
        found
        for where, item in _path_items(document)
        for found in _operations_of(where, item)
    ]


def _additional_operations(items: Iterable[dict[str, Any]]) -> None:
    """Serve each operation FastAPI writes under a method no Path Item field is named after
    (``copy``) in the item's ``additionalOperations``, keyed by the method as requests send
    it (``COPY``: Starlette routes methods in upper case); in the items of its callbacks
    too."""
    for item in items:
        for name in [name for name in item if name not in _FIELDS]:
            if isinstance(item[name], dict) and "responses" in item[name]:
                item.setdefault(_ADDITIONAL, {})[name.upper()] = item.pop(name)
        for _, operation in _operations_of((), item):
            for callback in operation.get("callbacks", {}).values():
                _additional_operations(callback.values())


def _method_key(method: str) -> _Key:
    """Where the operation of ``method`` (as requests send it) is in its Path Item."""
    return (method.lower(),) if method.lower() in _FIELDS else (_ADDITIONAL, method)


def _routes(routes: Sequence[Any], where: _Key) -> list[tuple[_Key, Any]]:
    """Each API route (in the context of its routers) under each of its operation keys, and
    the routes of its callbacks under theirs."""
    found = []
    for context in _contexts(routes):
        if not isinstance(getattr(context, "original_route", context), APIRoute):
            continue
        for method in sorted(context.methods or ()):
            key = (*where, str(context.path_format), *_method_key(method))
            found.append((key, context))
            for callback in _contexts(context.callbacks or []):
                original = getattr(callback, "original_route", callback)
                if isinstance(original, APIRoute):
                    inner = (*key, "callbacks", str(callback.name))
                    found += _routes([original], inner)
    return found


def _declared(routes: Sequence[Any], where: _Key) -> dict[_Key, set[str]]:
    """The statuses each route declares (its ``responses``), by operation key."""
    return {
        key: {str(status).upper() for status in context.responses}
        for key, context in _routes(routes, where)
    }


def _bodies_of_other_methods(app: FastAPI, document: dict[str, Any]) -> None:
    """The request body of each route of a method FastAPI renders none for (not in its
    ``METHODS_WITH_BODY``: QUERY, COPY, ...), rendered as FastAPI renders a POST's, with
    what the route's ``openapi_extra`` says of it over it."""
    routes = [
        (key, context)
        for key, context in [
            *_routes(app.routes, ("paths",)),
            *_routes(app.webhooks.routes, ("webhooks",)),
        ]
        if key[-1].upper() not in METHODS_WITH_BODY
        and context.body_field is not None
        and context.include_in_schema
    ]
    if not routes:
        return
    fields = get_fields_from_routes([*app.routes, *app.webhooks.routes])
    names = get_model_name_map(get_flat_models_from_fields(fields, known_models=set()))
    mapping, _ = get_definitions(
        fields=fields,
        model_name_map=names,
        separate_input_output_schemas=app.separate_input_output_schemas,
    )
    for key, context in routes:
        operation = _at(document, key)
        if operation is None:
            continue
        body = get_openapi_operation_request_body(
            body_field=context.body_field,
            model_name_map=names,
            field_mapping=mapping,
            separate_input_output_schemas=app.separate_input_output_schemas,
        )
        operation["requestBody"] = _merged(body or {}, operation.get("requestBody", {}))


def _at(document: dict[str, Any], key: _Key) -> dict[str, Any] | None:
    node: Any = document
    for part in key:
        node = node.get(part) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else None


def _merged(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``over`` written over it, key by key (FastAPI's ``openapi_extra``)."""
    merged = dict(base)
    for name, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(name), dict):
            merged[name] = _merged(merged[name], value)
        else:
            merged[name] = value
    return merged


def _contexts(routes: Sequence[Any]) -> list[Any]:
    """Each route in the context of the routers that include it (FastAPI 0.16x); before,
    ``include_router`` copies the routes, which are listed as they are."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # FastAPI before 0.16x
        return list(routes)
    return list(iter_route_contexts(routes))


def _named_models(routes: Sequence[Any]) -> list[ModelField]:
    """A response field for each model the routes name in schemas they write out, and
    a body field for each model a route reads one media type of its body into
    (``src/core/media_bodies.py``)."""
    fields = []
    for context in _contexts(routes):
        route = getattr(context, "original_route", context)
        models = [*getattr(route, "named_models", ())]
        if isinstance(route, APIRoute) and route.callbacks:
            fields += _named_models(route.callbacks)
        for index, model in enumerate(dict.fromkeys(models)):
            name = f"Documented_{index}_{getattr(route, 'unique_id', '')}"
            fields.append(create_model_field(name, model, mode="serialization"))
        for index, model in enumerate(getattr(route, "body_models", ())):
            name = f"Body_{index}_{getattr(route, 'unique_id', '')}"
            fields.append(create_model_field(name, model, mode="validation"))
    return fields


def _definitions(app: FastAPI) -> tuple[list[Any], dict[str, Any]]:
    """The component schemas as ``get_openapi`` renders them, before ``exclude_none``,
    and those of the models routes name in the schemas they write out; and what the
    routes put in their operations as written (their fields' schemas, their
    ``openapi_extra`` and ``responses``), before FastAPI's OpenAPI models read it."""
    routes = [*app.routes, *app.webhooks.routes]
    fields = get_fields_from_routes(routes) + _named_models(routes)
    field_mapping, definitions = get_definitions(
        fields=fields,
        model_name_map=get_model_name_map(
            get_flat_models_from_fields(fields, known_models=set())
        ),
        separate_input_output_schemas=app.separate_input_output_schemas,
    )
    merged: dict[str, Any] = _one_per_model({"components": {"schemas": definitions}})
    return [*field_mapping.values(), *_written(routes)], dict(
        merged["components"]["schemas"]
    )


def _written(routes: Sequence[Any]) -> list[Any]:
    """What each route (its callbacks' too) writes into its operation itself."""
    found: list[Any] = []
    for context in _contexts(routes):
        route = getattr(context, "original_route", context)
        if isinstance(route, APIRoute):
            found += [route.openapi_extra, route.responses]
            found += _written(route.callbacks or [])
    return found


_KEPT_BY_FASTAPI = frozenset({"propertyName", "mapping"})


def _discriminators(rendered: Any) -> dict[str, dict[str, Any] | None]:
    """Each discriminator ``rendered`` holds with more than FastAPI's model of a
    Discriminator Object keeps (OpenAPI 3.2's ``defaultMapping``, ``x-`` extensions),
    by what that model keeps of it; None for what two different ones keep alike."""
    found: dict[str, dict[str, Any] | None] = {}
    stack = [rendered]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            discriminator = node.get("discriminator")
            if (
                isinstance(discriminator, dict)
                and set(discriminator) - _KEPT_BY_FASTAPI
            ):
                key = _kept_of(discriminator)
                seen = found.get(key, discriminator)
                found[key] = discriminator if seen == discriminator else None
            stack += node.values()
        elif isinstance(node, list):
            stack += node
    return found


def _kept_of(discriminator: dict[str, Any]) -> str:
    kept = {k: v for k, v in discriminator.items() if k in _KEPT_BY_FASTAPI}
    return json.dumps(kept, sort_keys=True, default=str)


def _discriminators_whole(
    document: dict[str, Any], whole: dict[str, dict[str, Any] | None]
) -> None:
    """Serve each discriminator of ``document`` as the app renders it: FastAPI's model of
    a Discriminator Object knows OpenAPI 3.0's ``propertyName`` and ``mapping`` only, and
    drops 3.2's ``defaultMapping`` (and ``x-`` extensions) from every schema it reads."""
    if not any(whole.values()):
        return
    stack: list[Any] = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            discriminator = node.get("discriminator")
            if isinstance(discriminator, dict):
                written = whole.get(_kept_of(discriminator))
                if written is not None:
                    node["discriminator"] = copy.deepcopy(written)
            stack += node.values()
        elif isinstance(node, list):
            stack += node


def _one_per_model(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with each model whose ``-Input`` and ``-Output`` schemas are the same
    served once under its own name, and every reference to either pointing there.

    Every pair is a candidate; a pair whose two schemas differ once all candidates are
    renamed is dropped, until none is (the largest set of pairs that are the same): a
    recursive model's two schemas then compare equal, their references to themselves
    named alike."""
    schemas = document.get("components", {}).get("schemas", {})
    pairs = {
        name.removesuffix("-Input")
        for name in schemas
        if name.endswith("-Input") and name.removesuffix("-Input") not in schemas
    }
    pairs = {name for name in pairs if f"{name}-Output" in schemas}
    while True:
        names = {f"{name}{mode}": name for name in pairs for mode in _MODES}
        same = {
            name
            for name in pairs
            if _renamed(schemas[f"{name}-Input"], names)
            == _renamed(schemas[f"{name}-Output"], names)
        }
        if same == pairs:
            break
        pairs = same
    if not pairs:
        return document
    merged: dict[str, Any] = _renamed(document, names)
    served = merged["components"]["schemas"]
    for name in pairs:
        served[name] = served.pop(f"{name}-Input")
        del served[f"{name}-Output"]
    return merged


def _renamed(node: Any, names: dict[str, str]) -> Any:
    """A copy of ``node``, its references to components ``names`` maps renamed."""
    if isinstance(node, dict):
        renamed = {key: _renamed(value, names) for key, value in node.items()}
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.removeprefix(_REF) in names:
            renamed["$ref"] = _REF + names[ref.removeprefix(_REF)]
        return renamed
    if isinstance(node, list):
        return [_renamed(item, names) for item in node]
    return node


def _in_modes(operation: dict[str, Any], components: set[str]) -> None:
    """Point each reference to a model served in two modes, and not under its own name,
    at the mode of where it stands: a request's input, a response's output."""
    for key, mode in (("requestBody", "-Input"), ("parameters", "-Input")):
        _to_mode(operation.get(key), mode, components)
    _to_mode(operation.get("responses"), "-Output", components)


def _to_mode(node: Any, mode: str, components: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_REF):
            name = ref.removeprefix(_REF)
            if name not in components and f"{name}{mode}" in components:
                node["$ref"] = f"{_REF}{name}{mode}"
        for value in node.values():
            _to_mode(value, mode, components)
    elif isinstance(node, list):
        for item in node:
            _to_mode(item, mode, components)


def _schemas_of_bodies(content: dict[str, Any]) -> None:
    """Give each media type that asks for it (``x-schema-of``) the schema of the body's."""
    for entry in content.values():
        source = entry.pop(SCHEMA_OF, None) if isinstance(entry, dict) else None
        schema = content.get(source, {}).get("schema") if source else None
        if schema is not None:
            entry["schema"] = copy.deepcopy(schema)


def _closed_bodies(content: dict[str, Any], schemas: dict[str, Any]) -> None:
    """Serve ``additionalProperties: false`` in the schema of each media type that asks
    for it (``x-closed``: a form passed field by field whose schema is closed), that is
    in FastAPI's model of the form's fields, made for the route alone."""
    for entry in content.values():
        if isinstance(entry, dict) and entry.pop(CLOSED, False):
            schema: dict[str, Any] = entry.get("schema", {})
            reference = str(schema.get("$ref", "")).removeprefix(_REF)
            closed: dict[str, Any] = schemas.get(reference, schema)
            closed["additionalProperties"] = False


_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")


def _restore_exact(rendered: Any, served: Any) -> None:
    """Put back in ``served`` the ``default``/``const`` nulls ``rendered`` has, and its
    integer bounds where ``served`` holds them as floats."""
    if isinstance(rendered, dict) and isinstance(served, dict):
        for key, value in rendered.items():
            if value is None and key in ("default", "const") and key not in served:
                served[key] = None
            elif key in _BOUNDS and _is_integer(value) and _is_float(served.get(key)):
                served[key] = value
            elif key in served:
                _restore_exact(value, served[key])
    elif isinstance(rendered, list) and isinstance(served, list):
        for item, served_item in zip(rendered, served, strict=False):
            _restore_exact(item, served_item)


def _is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_float(value: Any) -> bool:
    return isinstance(value, float)


def _add_missing(
    schemas: dict[str, Any], definitions: dict[str, Any], used: set[str]
) -> None:
    """Put in ``schemas`` each definition ``used`` names that it lacks, and theirs."""
    wanted = {ref.removeprefix(_REF) for ref in used if ref.startswith(_REF)}
    while missing := sorted(n for n in wanted - set(schemas) if n in definitions):
        for name in missing:
            schemas[name] = definitions[name]
            wanted |= {
                ref.removeprefix(_REF)
                for ref in _references(definitions[name])
                if ref.startswith(_REF)
            }
    for name in sorted(schemas):  # FastAPI's order: by name
        schemas[name] = schemas.pop(name)


def _is_fastapis(schema: dict[str, Any]) -> bool:
    """FastAPI's own validation-error schemas, not a contract schema of the same name."""
    required = set(schema.get("required", ()))
    return required >= {"loc", "msg", "type"} or schema.get("properties", {}).get(
        "detail", {}
    ).get("items", {}).get("$ref", "").endswith("/ValidationError")


def _references(node: Any) -> set[str]:
    """Every ``$ref`` value under ``node``."""
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        for value in node.values():
            found |= _references(value)
        return found
    if isinstance(node, list):
        return set().union(*(_references(item) for item in node))
    return set()
