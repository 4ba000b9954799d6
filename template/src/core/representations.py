"""Response representations beyond JSON: XML, shaped by the contract's ``xml`` objects.

A route returns its model and FastAPI serialises it to JSON as usual. Where the contract
documents an XML media type for the success response too (Swagger Petstore: JSON and
XML for one ``Pet``) and the request asks for it (a path or query parameter whose values
name the representations, such as vonage's ``/{format}`` with ``json`` or ``xml``: its
value, :func:`named_by`; else the ``Accept`` header, :func:`preferred`),
:class:`src.core.bodies.ContractRoute` turns that JSON into XML with :func:`to_xml`,
guided by the JSON Schema the app serves for that media type:

- an element is named by the ``xml.name`` of its schema, else by its property's name; the
  root by its schema's (or the component's) ``xml.name``, else the component's name;
- properties with ``xml.attribute`` are attributes, ``xml.namespace`` qualifies a name;
- an array property is its items repeated, each named by the items' ``xml.name`` (a
  ``$ref``'d component's own included) else the property's name, inside a wrapper
  element named after the property when ``xml.wrapped`` is true; a top-level array
  is wrapped in an element named by its ``xml.name``, else ``items``;
- ``null`` and absent values are left out; booleans are ``true``/``false``.
"""

import json
from collections.abc import Mapping, Sequence
from typing import Any
from xml.etree.ElementTree import Element, tostring

_REF = "#/components/schemas/"


def preferred(accept: str | None, offered: Sequence[str]) -> str:
    """The offered media type the ``Accept`` header ranks highest, as RFC 9110 reads it:
    each offer takes the quality of the most specific range that names it (``type/sub``,
    then ``type/*``, then ``*/*``); on a tie the earlier offered one wins. Without a
    header, or when it accepts none of them, the first offered one: the default.

    (A few lines rather than a dependency: no library on the project's list parses Accept.)
    """
    ranges = [_range(part) for part in (accept or "").split(",") if part.strip()]
    best, best_quality = offered[0], 0.0
    for offer in offered:
        matching = [
            (_matches(kind, offer), q) for kind, q in ranges if _matches(kind, offer)
        ]
        quality = max(matching)[1] if matching else 0.0
        if quality > best_quality:
            best, best_quality = offer, quality
    return best


def named_by(value: Any, offered: Sequence[str]) -> str | None:
    """The offered media type a parameter's value names by its subtype or its suffix
    (``xml`` → ``text/xml``, ``json`` → ``application/json``), else None."""
    if not isinstance(value, str) or not value.strip("."):
        return None
    wanted = value.strip(".").lower()
    for offer in offered:
        subtype = offer.split(";")[0].split("/")[-1].strip().lower()
        if wanted in (subtype, subtype.rsplit("+", 1)[-1]):
            return offer
    return None


def _range(part: str) -> tuple[str, float]:
    """``"text/*;q=0.5"`` → ``("text/*", 0.5)``."""
    kind, *parameters = (piece.strip() for piece in part.split(";"))
    quality = 1.0
    for parameter in parameters:
        key, _, value = parameter.partition("=")
        if key.strip().lower() == "q":
            try:
                quality = float(value)
            except ValueError:
                quality = 0.0
    return kind.lower(), quality


def _matches(accepted: str, offer: str) -> int:
    """How specifically ``accepted`` (maybe a range) names ``offer``: 0 not at all."""
    if accepted == offer:
        return 3
    major, _, minor = accepted.partition("/")
    if minor == "*" and offer.startswith(major + "/"):
        return 2
    return 1 if accepted == "*/*" else 0


def to_xml(
    data: Any, schema: Mapping[str, Any], components: Mapping[str, Any]
) -> bytes:
    """The XML document of ``data`` (a JSON value) described by ``schema``, whose
    ``$ref``s point into ``components`` (the served document's component schemas).
    A ``oneOf``/``anyOf`` of several schemas is the member naming most of the data's
    properties (the first on a tie)."""
    schema = _member_for(data, schema, components)
    resolved, component = _resolved(schema, components)
    hints = _hints(schema, components)
    if isinstance(data, list):
        root = _element(hints.get("name") or "items", hints)
        root.extend(_items(data, resolved, components, "item"))
    else:
        root = _build(
            hints.get("name") or component or "root", data, schema, components
        )
    document: bytes = tostring(root, encoding="utf-8", xml_declaration=True)
    return document


def _member_for(
    data: Any, schema: Mapping[str, Any], components: Mapping[str, Any]
) -> Mapping[str, Any]:
    members = [
        member
        for member in schema.get("oneOf") or schema.get("anyOf") or ()
        if isinstance(member, Mapping) and member.get("type") != "null"
    ]
    if len(members) < 2 or not isinstance(data, Mapping):
        return schema

    def named(member: Mapping[str, Any]) -> int:
        properties = _resolved(member, components)[0].get("properties") or {}
        return len(set(properties) & set(data))

    return max(members, key=named)  # max keeps the first of equals


def _build(
    name: str, value: Any, schema: Mapping[str, Any], components: Mapping[str, Any]
) -> Element:
    """One element named ``name`` holding ``value``."""
    resolved, _ = _resolved(schema, components)
    element = _element(name, _hints(schema, components))
    if isinstance(value, Mapping):
        properties = resolved.get("properties") or {}
        for key, item in value.items():
            if item is None:
                continue
            prop = properties.get(key) or {}
            hints = prop.get("xml") or {}
            if hints.get("attribute"):
                element.set(_qualified(hints.get("name") or key, hints), _text(item))
            else:
                element.extend(
                    _children(hints.get("name") or key, item, prop, components)
                )
    elif isinstance(value, list):
        element.extend(_items(value, resolved, components, name))
    elif value is not None:
        element.text = _text(value)
    return element


def _children(
    name: str, value: Any, schema: Mapping[str, Any], components: Mapping[str, Any]
) -> list[Element]:
    """The elements of one property: an array's items (wrapped or not), else one."""
    if not isinstance(value, list):
        return [_build(name, value, schema, components)]
    resolved, _ = _resolved(schema, components)
    items = _items(value, resolved, components, name)
    hints = schema.get("xml") or resolved.get("xml") or {}
    if not hints.get("wrapped"):
        return items
    wrapper = _element(name, hints)
    wrapper.extend(items)
    return [wrapper]


def _items(
    values: list[Any],
    array: Mapping[str, Any],
    components: Mapping[str, Any],
    name: str,
) -> list[Element]:
    item_schema = array.get("items") or {}
    item_name = _hints(item_schema, components).get("name") or name
    return [
        _build(item_name, item, item_schema, components)
        for item in values
        if item is not None
    ]


def _resolved(
    schema: Mapping[str, Any], components: Mapping[str, Any]
) -> tuple[Mapping[str, Any], str | None]:
    """The schema behind ``$ref``s and a nullable ``anyOf``, and the component's name."""
    name = None
    for _ in range(32):  # a chain of aliases, never a cycle of them
        ref = schema.get("$ref")
        branches = [
            branch
            for branch in schema.get("anyOf") or schema.get("oneOf") or ()
            if branch.get("type") != "null"
        ]
        if isinstance(ref, str) and ref.startswith(_REF):
            name = ref.removeprefix(_REF)
            schema = components.get(name) or {}
        elif len(branches) == 1:
            schema = branches[0]
        else:
            break
    return schema, name


def _hints(
    schema: Mapping[str, Any], components: Mapping[str, Any]
) -> Mapping[str, Any]:
    """The ``xml`` object of a schema, else of what its ``$ref`` points to."""
    own = schema.get("xml")
    if isinstance(own, Mapping):
        return own
    resolved, _ = _resolved(schema, components)
    found = resolved.get("xml")
    return found if isinstance(found, Mapping) else {}


def _element(name: str, hints: Mapping[str, Any]) -> Element:
    return Element(_qualified(name, hints))


def _qualified(name: str, hints: Mapping[str, Any]) -> str:
    namespace = hints.get("namespace")
    return (
        f"{{{namespace}}}{name}" if isinstance(namespace, str) and namespace else name
    )


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping | list):
        return json.dumps(value)
    return str(value)
