"""How a list answers: either a plain array of the resource or an envelope: one array
property of the resource beside pagination fields (``total``, ``page``, ``limit``,
``totalPages``, ``hasMore`` or ``done``, a next cursor such as ``iterator``), flat or in an
object such as ``meta``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generators import ir
from generators.emit.pytypes import base_type, ref_name, whole_class
from generators.fill.code import Code, Unfit, listed
from generators.fill.contract import schema_reference
from generators.fill.crud.context import Context
from generators.fill.crud.parameters import LIMIT_NAMES, OFFSET_NAMES, PAGE_NAMES
from generators.fill.crud.responses import SUCCESS_NAMES
from generators.naming import snake
from generators.reading import (
    loose_key,
    resolved,
    schema_properties,
    schema_required,
    success_schema,
)

_TOTAL = {"total", "totalitems", "totalcount", "totalelements", "totalresults", "count"}
_PAGES = {"totalpages", "pages", "pagecount"}
_HAS_MORE = {"hasmore", "hasnext", "hasnextpage", "more"}
_NEXT = {"nextcursor", "next", "nextpagetoken", "endcursor", "cursor", "nexttoken", "iterator"}
_DONE = {"done", "isdone", "islast", "islastpage", "lastpage", "finished", "complete"}
"""A flag that says the opposite of has-more: no page follows (Svix's ``done``)."""


@dataclass(frozen=True)
class Envelope:
    """How a list answers: a plain list of ``item`` (in ``whole``, the class of the array
    component the route answers with, where it has one: ``Pets([...])``), or ``cls``
    with these fields."""

    item: str
    cls: str | None = None
    fields: tuple[tuple[str, str], ...] = ()
    """(field name, what fills it): ``items``/``total``/``page``/... or ``meta:<i>``; an
    optional field's kind ends with ``?`` (left out where the list cannot give it)."""
    metas: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    """Nested objects: (class, fields)."""
    whole: str | None = None

    def kinds(self, *, required: bool = False) -> set[str]:
        """What fills the fields (``items``, ``total``, ``next``, ...); only the required
        fields' where ``required``."""
        pairs = [*self.fields, *(pair for _, inner in self.metas for pair in inner)]
        return {
            kind.rstrip("?")
            for _, kind in pairs
            if not kind.startswith("meta:") and not (required and kind.endswith("?"))
        }

    def names(self, kinds: set[str]) -> list[str]:
        """The fields (by their Python names) that ``kinds`` fill."""
        pairs = [*self.fields, *(pair for _, inner in self.metas for pair in inner)]
        return sorted(name for name, kind in pairs if kind.rstrip("?") in kinds)

    def render(self, values: Mapping[str, str]) -> str:
        def given(pairs: Sequence[tuple[str, str]]) -> str:
            return ", ".join(
                f"{name}={values[kind.rstrip('?')]}"
                for name, kind in pairs
                if kind.rstrip("?") in values
            )

        parts = []
        for name, kind in self.fields:
            if kind.startswith("meta:"):
                cls, inner = self.metas[int(kind[5:])]
                parts.append(f"{name}={cls}({given(inner)})")
            else:
                parts.append(given([(name, kind)]))
        return f"{self.cls}({', '.join(part for part in parts if part)})"


def envelope_of(context: Context, code: Code) -> Envelope:
    schema = success_schema(context.task.operation)
    if schema is None:
        raise Unfit(
            "the list documents no JSON success response",
            "document the list's response and its schema",
        )
    shape = resolved(context.api, schema)
    if base_type(shape) == "array":
        item = _item_class(context, shape.get("items") or {}, code)
        name = ref_name(schema)
        if name is None or whole_class(schema, context.api) is None:
            return Envelope(item=item)
        # the route answers with the array component's class (pytypes.value_annotation)
        return Envelope(item=item, whole=schema_reference(context.api, name, code))
    name = ref_name(schema)
    properties = schema_properties(context.api, schema)
    arrays = [p for p, s in properties.items() if base_type(resolved(context.api, s)) == "array"]
    if name is None:
        raise Unfit(
            "the list response is an inline schema, neither an array nor a named envelope",
            "give the list response's schema a name in components/schemas",
        )
    if len(arrays) != 1:
        raise Unfit(
            f"the list response `{name}` is neither an array nor an envelope of one: it has "
            f"{len(arrays)} array properties ({listed(arrays)}), not one"
        )
    item_schema = resolved(context.api, properties[arrays[0]]).get("items") or {}
    item = _item_class(context, item_schema, code)
    required = schema_required(context.api, schema)
    fields: list[tuple[str, str]] = [(snake(arrays[0]), "items")]
    metas: list[tuple[str, tuple[tuple[str, str], ...]]] = []
    for prop, prop_schema in properties.items():
        if prop == arrays[0]:
            continue
        meta_name = ref_name(prop_schema)
        if base_type(resolved(context.api, prop_schema)) == "object" and meta_name:
            inner = _meta_fields(context, prop_schema)
            if inner is None:
                if prop in required:
                    raise Unfit(
                        f"the list response `{name}` requires `{prop}` (`{meta_name}`), which "
                        "holds more than pagination fields"
                    )
                continue
            metas.append((schema_reference(context.api, meta_name, code), inner))
            fields.append((snake(prop), f"meta:{len(metas) - 1}"))
            continue
        kind = _meta_kind(prop)
        if kind is None:
            if prop in required:
                raise Unfit(
                    f"the list response `{name}` requires `{prop}`, which is neither its items "
                    "nor a pagination field (total, page, limit, offset, totalPages, hasMore, "
                    "a next cursor)"
                )
            continue
        fields.append((snake(prop), kind if prop in required else kind + "?"))
    return Envelope(item, schema_reference(context.api, name, code), tuple(fields), tuple(metas))


def _item_class(context: Context, schema: ir.JsonSchema, code: Code) -> str:
    name = ref_name(schema)
    if name is None:
        raise Unfit(
            "the list response's items are an inline schema, not a named one",
            "give the items' schema a name in components/schemas",
        )
    return schema_reference(context.api, name, code)


def _meta_fields(context: Context, schema: ir.JsonSchema) -> tuple[tuple[str, str], ...] | None:
    """The pagination fields of a nested object, or None where it holds something else."""
    required = schema_required(context.api, schema)
    fields = []
    for prop in schema_properties(context.api, schema):
        kind = _meta_kind(prop)
        if kind is None:
            if prop in required:
                return None
            continue
        fields.append((snake(prop), kind if prop in required else kind + "?"))
    return tuple(fields) or None


def _meta_kind(prop: str) -> str | None:
    key = loose_key(prop)
    for kinds, kind in (
        (PAGE_NAMES, "page"),
        (LIMIT_NAMES - {"count"}, "limit"),
        (OFFSET_NAMES, "offset"),
        (_TOTAL, "total"),
        (_PAGES, "pages"),
        (_HAS_MORE, "more"),
        (_DONE, "done"),
        (SUCCESS_NAMES, "success"),
        (_NEXT, "next"),
    ):
        if key in kinds:
            return kind
    return None
