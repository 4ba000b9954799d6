"""``readOnly`` and ``writeOnly`` properties: each goes one way, requests or responses.

OpenAPI reads a ``readOnly`` property in responses only and a ``writeOnly`` one in
requests only: "if the property is marked as readOnly and is in the required list, the
required will take effect on the response only" (writeOnly: requests only). One schema
read both ways (pagerduty's ``HandoffNotificationRule``: a request body and a response,
its ``id`` required and read-only) is one model, served as the contract writes it, and
the route says which way a value goes:

- a property a schema read in a request requires and marks ``readOnly`` is optional in
  Python (``X | MISSING``) and its field marked :data:`MARK` ``"response"``, the way it is
  required in; one a schema answered in a response requires and marks ``writeOnly`` alike
  (``"request"``). The models' base serves them in ``required``, as the contract lists
  them (:func:`relax`, before datamodel-code-generator reads the document);
- a request body that holds such a model is read ``Annotated[..., InRequest]``: its
  required ``writeOnly`` values are enforced, its required ``readOnly`` ones, if sent,
  validated by their type and dropped: the server gives them (an id, a creation time),
  and the service never sees one the client chose;
- a response that holds one, or a ``writeOnly`` property at all, is answered
  ``response_model=Annotated[..., InResponse]``: no ``writeOnly`` value is sent (a
  service may return an object that has one: an ORM row's secret), and its required
  ``readOnly`` values are enforced.

Both marks sit in the route, not the models: a model a service builds goes no way until
it is answered. The runtime is ``specs/directions.py`` (:data:`RUNTIME`), written only for
a contract that has such properties: any other's project is what it was. So a readOnly
property no request requires (xero's ``UpdatedDateUTC``) is passed on as sent, as it
was; a response the route answers as returned (a union of components: no
``response_model``) is not filtered; nor is a body read by media type as a form.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from generators import ir
from generators.emit import walk

MARK = "x-required"
"""A field's ``json_schema_extra`` key: the way (``request``, ``response``) its property
is required in, where the contract lists it required and it is optional in Python."""
MODULE = "specs.directions"
BASE = "DirectedModel"
READ, WRITTEN = "InRequest", "InResponse"

Way = Literal["request", "response"]
_ONE_WAY: dict[str, Way] = {"readOnly": "response", "writeOnly": "request"}
_MAPS = ("properties", "patternProperties", "dependentSchemas")
_ONE = (
    *("items", "additionalProperties", "unevaluatedProperties", "additionalItems"),
    *("unevaluatedItems", "contains", "if", "then", "else"),
)
_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems", "items")


@dataclass(frozen=True)
class Ways:
    """What the contract's schemas say of the ways their properties go (by ``id`` of the
    schemas of the document it was worked out on)."""

    relaxed: dict[int, dict[str, Way]]
    """Each schema with required one-way properties optional in Python: property → the
    way it is required in."""
    read: frozenset[int]
    """The schemas whose value, read in a request, holds a relaxed property."""
    written: frozenset[int]
    """The schemas whose value, answered, holds a relaxed or a ``writeOnly`` property."""

    @property
    def directed(self) -> bool:
        """Whether any route reads or answers a value that goes one way."""
        return bool(self.read or self.written)


def ways(api: ir.Api) -> Ways:
    """The ways of ``api``'s schemas, worked out once per contract."""
    if "ways" not in api.worked_out:
        api.worked_out["ways"] = _ways(api)
    found: Ways = api.worked_out["ways"]
    return found


def read_in_request(api: ir.Api, schema: object) -> bool:
    """Whether a request body of ``schema`` (an operation's, as the contract holds it)
    is read ``InRequest``."""
    return id(schema) in ways(api).read


def written_in_response(api: ir.Api, schema: object) -> bool:
    """Whether a response of ``schema`` (an operation's, as the contract holds it) is
    answered ``InResponse``."""
    return id(schema) in ways(api).written


def relax(api: ir.Api, document: dict[str, Any]) -> None:
    """In ``document`` (a copy of ``api``'s, as written, or of all but its operations),
    leave each relaxed property out of its schema's ``required`` and mark it :data:`MARK`
    with the way it is required in."""
    relaxed = ways(api).relaxed
    if not relaxed:
        return
    twins: dict[int, dict[str, Any]] = {}
    _twins(api.document, document, twins)
    for key, properties in relaxed.items():
        node = twins.get(key)
        if node is None:  # in the operations, which the copy may leave out (schemas.py)
            continue
        node["required"] = [name for name in node["required"] if name not in properties]
        if not node["required"]:
            del node["required"]
        for name, way in properties.items():  # a copy: another schema may hold it too
            node["properties"][name] = {**node["properties"][name], MARK: way}


def _ways(api: ir.Api) -> Ways:
    document = api.document
    read = [c.schema for o in api.operations if o.request_body for c in o.request_body.content]
    answered = [c.schema for o in api.operations for r in o.responses for c in r.content]
    nodes: dict[int, dict[str, Any]] = {}
    parents: dict[int, set[int]] = {}
    in_requests = _reached(document, read, nodes, parents)
    in_responses = _reached(document, answered, nodes, parents)
    relaxed: dict[int, dict[str, Way]] = {}
    for key in in_requests:
        _relaxed(nodes[key], "readOnly", relaxed.setdefault(key, {}))
    for key in in_responses:
        _relaxed(nodes[key], "writeOnly", relaxed.setdefault(key, {}))
    relaxed = {key: properties for key, properties in relaxed.items() if properties}
    write_only = {key for key in in_responses if _write_only(nodes[key])}
    return Ways(
        relaxed=relaxed,
        read=frozenset(_reaching(set(relaxed), parents) & {id(s) for s in read}),
        written=frozenset(
            _reaching(set(relaxed) | write_only, parents) & {id(s) for s in answered}
        ),
    )


def _reached(
    document: Any,
    roots: list[Any],
    nodes: dict[int, dict[str, Any]],
    parents: dict[int, set[int]],
) -> list[int]:
    """The schemas ``roots`` reach (themselves too), in the order first reached; each
    recorded in ``nodes``, and in ``parents`` the schemas that hold or name it."""
    reached: dict[int, None] = {}
    queue = deque(root for root in roots if isinstance(root, dict))
    while queue:
        node = queue.popleft()
        if id(node) in reached:
            continue
        reached[id(node)] = None
        nodes[id(node)] = node
        for child in _children(document, node):
            parents.setdefault(id(child), set()).add(id(node))
            queue.append(child)
    return list(reached)


def _children(document: Any, node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The schemas ``node`` holds or names: through ``$ref``, the keywords that apply a
    schema to (part of) the value, and a discriminator's mapping. Not ``not``: a
    schema it names is what the value must not be."""
    found: list[Any] = []
    ref = node.get("$ref")
    if isinstance(ref, str):
        found.append(walk.resolved(document, ref))
    for key in _MAPS:
        value = node.get(key)
        if isinstance(value, Mapping):
            found += value.values()
    found += [node.get(key) for key in _ONE]
    for key in _LISTS:
        value = node.get(key)
        if isinstance(value, list):
            found += value
    discriminator = node.get("discriminator")
    mapping = discriminator.get("mapping") if isinstance(discriminator, Mapping) else None
    for target in mapping.values() if isinstance(mapping, Mapping) else ():
        if isinstance(target, str):
            ref = target if target.startswith("#") else f"#/components/schemas/{target}"
            found.append(walk.resolved(document, ref))
    yield from (child for child in found if isinstance(child, dict))


def _relaxed(node: dict[str, Any], keyword: str, into: dict[str, Way]) -> None:
    """Add to ``into`` each property ``node`` requires and marks ``keyword`` (and not
    the other way too: a contradiction left as written)."""
    required, properties = node.get("required"), node.get("properties")
    if not isinstance(required, list) or not isinstance(properties, Mapping):
        return
    for name in required:
        prop = properties.get(name) if isinstance(name, str) else None
        if not isinstance(prop, dict) or prop.get(keyword) is not True:
            continue
        if all(prop.get(other) is not True for other in _ONE_WAY if other != keyword):
            into[name] = _ONE_WAY[keyword]


def _write_only(node: dict[str, Any]) -> bool:
    properties = node.get("properties")
    return isinstance(properties, Mapping) and any(
        isinstance(prop, Mapping) and prop.get("writeOnly") is True for prop in properties.values()
    )


def _reaching(targets: set[int], parents: dict[int, set[int]]) -> set[int]:
    """``targets`` and every schema that reaches one of them."""
    found, queue = set(targets), deque(targets)
    while queue:
        for parent in parents.get(queue.popleft(), ()):
            if parent not in found:
                found.add(parent)
                queue.append(parent)
    return found


def relaxed_at(api: ir.Api) -> dict[str, dict[str, Way]]:
    """:attr:`Ways.relaxed` by the JSON pointer of each schema in ``api``'s document (the
    same on every run, unlike an ``id``): what :func:`relax` does to a copy of it."""
    relaxed = ways(api).relaxed
    found: dict[str, dict[str, Way]] = {}
    stack: list[tuple[Any, str]] = [(api.document, "")] if relaxed else []
    while stack:
        node, at = stack.pop()
        if isinstance(node, dict):
            if id(node) in relaxed:
                found.setdefault(at, relaxed[id(node)])
            stack += [(value, f"{at}/{walk.escaped(str(key))}") for key, value in node.items()]
        elif isinstance(node, list):
            stack += [(value, f"{at}/{index}") for index, value in enumerate(node)]
    return dict(sorted(found.items()))


def _twins(original: Any, copy: Any, into: dict[int, dict[str, Any]]) -> None:
    """Map the ``id`` of each object of ``original`` to the same object in ``copy``."""
    stack = [(original, copy)]
    while stack:
        one, other = stack.pop()
        if isinstance(one, dict) and isinstance(other, dict):
            into[id(one)] = other
            stack += [(value, other.get(key)) for key, value in one.items()]
        elif isinstance(one, list) and isinstance(other, list):
            stack += list(zip(one, other, strict=False))


RUNTIME = '''
# OpenAPI reads a readOnly property in responses only and a writeOnly one in requests
# only: "if the property is marked as readOnly and is in the required list, the required
# will take effect on the response only" (writeOnly: requests only). One model serves a
# schema both ways; the route says which way a value goes. Such a required property is
# optional in Python (``X | MISSING``), its field marked ``x-required`` with the way it
# is required in, and served required, as the contract lists it (``DirectedModel``).

from collections.abc import Iterator
from functools import cache
from typing import Any, NamedTuple

from pydantic import (
    MISSING,
    BaseModel,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    RootModel,
    SerializerFunctionWrapHandler,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, InitErrorDetails, core_schema

MARK = "x-required"


class DirectedModel(BaseModel):
    """The base of the models (through ``SchemaModel``): serves each field marked
    ``x-required`` in its schema's ``required``, where the contract lists it."""

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        served = super().__get_pydantic_json_schema__(schema, handler)
        target = handler.resolve_ref_schema(served)
        properties = target.get("properties", {})
        marked = {
            name
            for name, prop in properties.items()
            if isinstance(prop, dict) and prop.pop(MARK, None) is not None
        }
        if marked:
            required = {*target.get("required", ()), *marked}
            target["required"] = [name for name in properties if name in required]
        return served


def _read(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    read = handler(value)
    missing = [
        InitErrorDetails(type="missing", loc=loc, input=held)
        for loc, held in _received(read, ())
    ]
    if missing:
        raise ValidationError.from_exception_data(type(read).__name__, missing)
    return read


InRequest = WrapValidator(_read)
"""``Annotated[X, InRequest]``: a request body. Its required writeOnly values are
enforced; its required readOnly ones, which the server gives (an id, a creation time),
are optional and, if sent, validated by their type and dropped: the service never sees
one the client chose."""


class _InResponse:
    """Serves the annotated type as it is, and answers its values as a response: see
    ``InResponse``."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        schema = handler(source)
        # no return schema: the served schema stays the annotated type's
        written = core_schema.wrap_serializer_function_ser_schema(
            _written, schema=schema
        )
        return core_schema.no_info_after_validator_function(
            _as_is, schema, serialization=written
        )


def _as_is(value: Any) -> Any:
    return value


InResponse = _InResponse()
"""``response_model=Annotated[X, InResponse]``: a response. No writeOnly value is sent,
though the service returns an object that has one (an ORM row's password hash); its
required readOnly values are enforced."""


def _written(value: Any, handler: SerializerFunctionWrapHandler) -> Any:
    written = handler(value)
    _answered(value, written, ())
    return written


class _OneWay(NamedTuple):
    name: str
    key: str  # as serialised: its alias
    required_in: str | None
    read_only: bool
    write_only: bool


@cache
def _one_way(model: type[BaseModel]) -> tuple[_OneWay, ...]:
    """The fields of ``model`` that go one way."""
    found = []
    for name, field in model.model_fields.items():
        extra = field.json_schema_extra
        if not isinstance(extra, dict):
            continue
        read_only, write_only = (
            extra.get("readOnly") is True,
            extra.get("writeOnly") is True,
        )
        way = extra.get(MARK)
        if read_only or write_only:
            required_in = way if isinstance(way, str) else None
            found.append(
                _OneWay(name, field.alias or name, required_in, read_only, write_only)
            )
    return tuple(found)


Location = tuple[str | int, ...]


def _received(value: Any, loc: Location) -> Iterator[tuple[Location, Any]]:
    """Where the request ``value`` lacks a required writeOnly value, each with the
    object lacking it; on the way, its required readOnly values (the server's to give)
    are dropped."""
    if isinstance(value, RootModel):
        yield from _received(value.root, loc)
    elif isinstance(value, BaseModel):
        for one_way in _one_way(type(value)):
            sent = value.__dict__.get(one_way.name, MISSING) is not MISSING
            if one_way.required_in == "request" and not sent:
                yield (*loc, one_way.key), value.model_dump(mode="json", by_alias=True)
            elif one_way.required_in == "response" and one_way.read_only and sent:
                value.__dict__[one_way.name] = MISSING
                value.model_fields_set.discard(one_way.name)
        for name, field in type(value).model_fields.items():
            yield from _received(getattr(value, name), (*loc, field.alias or name))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _received(item, (*loc, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _received(item, (*loc, str(key)))


def _answered(value: Any, written: Any, at: Location) -> None:
    """Leave the writeOnly values of the response ``value`` out of ``written`` (what it
    serialises to); refuse it without a required readOnly value."""
    if isinstance(value, RootModel):
        _answered(value.root, written, at)
    elif isinstance(value, BaseModel) and isinstance(written, dict):
        one_way = {field.name: field for field in _one_way(type(value))}
        for name, field in type(value).model_fields.items():
            key = (
                field.alias
                if field.alias is not None and field.alias in written
                else name
            )
            kept = one_way.get(name)
            if kept is not None and kept.write_only:
                written.pop(key, None)
            elif (
                kept is not None
                and kept.required_in == "response"
                and key not in written
            ):
                where = ".".join(str(step) for step in (*at, key))
                raise ValueError(
                    f"the response has no {where}, which the contract requires"
                )
            elif key in written:
                _answered(getattr(value, name), written[key], (*at, key))
    elif isinstance(value, list | tuple) and isinstance(written, list):
        for index, (item, out) in enumerate(zip(value, written, strict=False)):
            _answered(item, out, (*at, index))
    elif isinstance(value, dict) and isinstance(written, dict):
        for key, item in value.items():
            if str(key) in written:
                _answered(item, written[str(key)], (*at, str(key)))
'''
"""``specs/directions.py``, after its header."""
