"""A map's keywords that pydantic's ``dict`` cannot say, served and enforced as written.

datamodel-code-generator types a map (``additionalProperties``, ``patternProperties``) as
``dict[K, V]``, and pydantic serves and enforces what that type says: a ``propertyNames``
becomes the key's type (served without its ``type: string``, a ``pattern`` served as
``patternProperties``), ``minProperties``/``maxProperties`` the ``dict``'s length. Where
the map may be null (``anyOf``/``oneOf`` with ``{type: "null"}``, ``type: [object,
"null"]``: openai's ``VectorStoreFileAttributes``) the bounds are dropped, and the
closing of a ``patternProperties`` map (``additionalProperties: false``) always is.

Such a map keeps those keywords (taken from what datamodel-code-generator reads, its keys
plain ``str``) under :data:`MARK`, and they are served on the map's schema (the object
member of a nullable one) and enforced:

- a component's (a ``RootModel``) by an annotation of its root,
  ``root: Annotated[dict[str, V] | None, MapKeywords({...})]``, which also serves and
  enforces its values' exclusive ``oneOf`` (a property's is ``ExclusiveModel``'s);
- a property's by its model, ``specs.validation.ContractModel``, from the field's
  ``json_schema_extra``.
"""

from __future__ import annotations

from typing import Any

from generators.emit import one_of

MARK = "x-map"
ROOT_MARK = "x-map-root"  # a component's: no field of datamodel-code-generator's serves it
ANNOTATION = "MapKeywords"
_COUNTS = ("minProperties", "maxProperties")
_BESIDE = frozenset({"title", "description", "default", "deprecated", "readOnly", "writeOnly"})
_BESIDE |= {"example", "examples", "$comment", "externalDocs", "nullable"}


def keep(schema: dict[str, Any], *, root: bool = False) -> None:
    """Move what ``dict`` cannot say of the map ``schema`` is (itself, or the one member
    of its nullable ``anyOf``/``oneOf``) under :data:`MARK` of ``schema`` (a property's),
    or :data:`ROOT_MARK` (a component's)."""
    node, nullable = _map_of(schema)
    if node is None:
        return
    patterned = isinstance(node.get("patternProperties"), dict)
    closed = node.get("additionalProperties") is False
    counted = any(isinstance(node.get(key), int) for key in _COUNTS)
    if not ("propertyNames" in node or closed or counted and (nullable or patterned)):
        return
    kept = {key: node.pop(key) for key in ("propertyNames", *_COUNTS) if key in node}
    if closed:  # the keys' patterns enforce it; an empty map's length, ``max_length=0``
        kept["additionalProperties"] = False
    if not {"additionalProperties", "patternProperties"} & set(node):
        node["additionalProperties"] = True  # any value: what it says, as a ``dict``
    schema[ROOT_MARK if root else MARK] = kept


def annotation(schema: Any) -> str | None:
    """The annotation of the root of a ``RootModel`` made of ``schema`` (None if it
    needs none): the keywords :func:`keep` kept, and whether its values are an exclusive
    ``oneOf``."""
    if not isinstance(schema, dict):
        return None
    node, _ = _map_of(schema)
    exclusive = node is not None and one_of.exclusive(node.get("additionalProperties"))
    kept = schema.get(ROOT_MARK)
    if kept is None and not exclusive:
        return None
    option = ", exclusive=True" if exclusive else ""
    return f"{ANNOTATION}({kept or {}!r}{option})"


def _map_of(schema: Any) -> tuple[dict[str, Any] | None, bool]:
    """The map schema ``schema`` is, and whether null is valid too."""
    if not isinstance(schema, dict):
        return None, False
    for keyword in ("anyOf", "oneOf"):
        members = schema.get(keyword)
        if not isinstance(members, list):
            continue
        rest = [m for m in members if not _null(m)]
        said = {key for key in schema if not str(key).startswith("x-")} - _BESIDE
        if len(rest) == 1 < len(members) and said == {keyword}:
            return (rest[0], True) if _is_map(rest[0]) else (None, False)
        return None, False
    if not _is_map(schema):
        return None, False
    kind = schema.get("type")
    nullable = schema.get("nullable") is True or isinstance(kind, list) and "null" in kind
    return schema, nullable


def _null(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "null"


def _is_map(schema: Any) -> bool:
    """An object schema of no named properties, whose members a map's keywords say."""
    if not isinstance(schema, dict) or schema.get("properties"):
        return False
    kind = schema.get("type")
    kinds = set(kind) if isinstance(kind, list) else set() if kind is None else {kind}
    if kinds - {"object", "null"} or kinds and "object" not in kinds:
        return False
    said = {"additionalProperties", "patternProperties", "propertyNames"} & set(schema)
    counted = "object" in kinds and any(key in schema for key in _COUNTS)
    combined = {"allOf", "anyOf", "oneOf", "$ref", "not", "if"} & set(schema)
    return bool(said or counted) and not combined


RUNTIME = '''

class MapKeywords:
    """``Annotated[dict[str, V] | None, MapKeywords({...})]``: a map's keywords pydantic's
    ``dict`` does not say (``propertyNames`` as written, the size bounds of a map that
    may be null, the closing of a ``patternProperties`` one), served on the map's schema
    (the object member of a nullable one) and enforced; with ``exclusive``, its values'
    ``oneOf`` too (a value more than one member accepts is refused)."""

    def __init__(self, keywords: Mapping[str, Any], *, exclusive: bool = False) -> None:
        self.keywords, self.exclusive = keywords, exclusive

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        keywords = self.keywords
        members = _members(_inside(source, "additionalProperties")) if self.exclusive else ()

        def checked(value: Any, validate: ValidatorFunctionWrapHandler) -> Any:
            if isinstance(value, Mapping):
                _map_checked(value, keywords)
                for item in value.values():
                    _check_one_of(members, item)
            return validate(value)

        return core_schema.no_info_wrap_validator_function(checked, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        served = handler(schema)
        _map_served(handler.resolve_ref_schema(served), self.keywords, self.exclusive)
        return served


def _map_checked(value: Mapping[Any, Any], keywords: Mapping[str, Any]) -> None:
    """Refuse a map its kept keywords refuse (the closing is the keys' types')."""
    _counted(value, keywords)
    names = keywords.get("propertyNames")
    if names is not None:
        keys = dict.fromkeys(value)
        error = best_match(_validator({"propertyNames": names}).iter_errors(keys))
        if error is not None:
            raise ValueError(f"a key {error.message}")


def _map_served(schema: Any, keywords: Mapping[str, Any], exclusive: bool = False) -> None:
    """The kept keywords served on the map's schema: ``schema``, or the object member of
    the ``anyOf`` pydantic serves for a map that may be null."""
    if not isinstance(schema, dict):
        return
    members = [schema, *schema.get("anyOf", ())]
    found = [m for m in members if isinstance(m, dict) and m.get("type") == "object"]
    for target in found[:1]:
        closed = keywords.get("additionalProperties") is False
        if closed and "patternProperties" not in target and "maxProperties" not in keywords:
            target.pop("maxProperties", None)  # an empty map's length: said as written
        target.update(keywords)
        values = target.get("additionalProperties")
        if exclusive and isinstance(values, dict):
            _served_as_one_of(values)
'''
