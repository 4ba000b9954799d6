"""The query parameters of a list, sorted out by what they do (a :class:`Listing`):
page/limit (or pageSize, perPage), offset/limit, a cursor, a column's name (equality
filter), ``<column>Before``/``After``/``Min``/``Max`` (range filter), ``q``/``search``
(case-insensitive search in the response's text columns), ``sort``/``sortBy`` with
``order``/``direction``. A parameter that is none of these makes the filler decline.

The cursors are opaque (the base64url text of the last row's sort values): a cursor
parameter whose schema refuses such text (a pattern, a format, a short maximum length:
Svix's endpoint list takes only an endpoint's id, ``^ep_[A-Za-z0-9]{27}$``) makes it
decline too, since no client could send back the cursor a page answered; so does a
cursor that pages backwards (``before`` beside ``after``: WorkOS's lists).
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field

from generators import ir
from generators.emit.pytypes import base_type
from generators.fill.code import Code, Unfit
from generators.fill.contract import column_named
from generators.fill.crud.context import Context
from generators.fill.crud.keys import admits
from generators.naming import words
from generators.operation_kinds import CURSOR_NAMES
from generators.reading import loose_key, resolved, schema_properties, success_schema

PAGE_NAMES = {"page", "pagenumber", "pageno", "pageindex"}
LIMIT_NAMES = {"limit", "pagesize", "perpage", "size", "take", "count", "maxresults"}
OFFSET_NAMES = {"offset", "skip", "start"}
_SORT = {"sort", "sortby", "orderby", "sortfield"}
_ORDER = {"order", "sortorder", "direction", "dir", "sortdirection", "orderdirection"}
_SEARCH = {"q", "search", "query", "term", "searchterm"}
_UPPER = ("before", "until", "to", "max")
_LOWER = ("after", "since", "from", "min")
_BACKWARD = {"before", "endingbefore", "prevcursor", "previouscursor", "prevpagetoken"}
"""Cursors of the rows before a page, beside a cursor of the rows after one."""


@dataclass
class Listing:
    """The query parameters of a list, sorted out by what they do."""

    page: str | None = None
    limit: str | None = None
    offset: str | None = None
    sort: ir.Parameter | None = None
    order: str | None = None
    search: str | None = None
    cursor: str | None = None
    """The argument holding a cursor (keyset pagination)."""
    filters: list[str] = field(default_factory=list)
    """Lines that narrow ``statement``."""
    limit_within: bool = False
    offset_within: bool = False
    """The parameter's schema keeps it to a row count the database takes."""


def listing_of(context: Context, code: Code, statement: str) -> Listing:
    listing = Listing()
    query = [p for p in context.task.operation.parameters if p.location == "query"]
    keys = {loose_key(p.name) for p in query}
    forward = next((p.name for p in query if loose_key(p.name) in CURSOR_NAMES), None)
    for parameter in query:
        argument = context.parameters[parameter.name]
        key = loose_key(parameter.name)
        optional = context.arguments.get(argument, "").replace(" ", "").endswith("|None")
        if key in PAGE_NAMES:
            listing.page = _defaulted(argument, optional, parameter, 1, code)
        elif key in LIMIT_NAMES and not (key == "count" and keys & LIMIT_NAMES - {"count"}):
            listing.limit = _defaulted(argument, optional, parameter, 20, code)
            listing.limit_within = _within_rows(parameter)
        elif key in CURSOR_NAMES:
            _check_cursor_fits(context, parameter)
            listing.cursor = argument
        elif key in _BACKWARD and forward is not None and _opaque_text(context, parameter):
            raise Unfit(
                f"cursor parameter `{parameter.name}` pages backwards (the rows before a "
                f"cursor), which the filler's cursor pages do not: they go forward from "
                f"`{forward}`",
                "write the body, or leave the parameter out with an overlay if the API need "
                "not page backwards",
            )
        elif key in OFFSET_NAMES:
            listing.offset = _defaulted(argument, optional, parameter, 0, code)
            listing.offset_within = _within_rows(parameter)
        elif key in _SORT:
            listing.sort = parameter
        elif key in _ORDER:
            listing.order = f"{argument} == {_descending(context, parameter)!r}"
        elif key in _SEARCH and column_named(context.table, parameter.name) is None:
            listing.filters += _search(context, parameter, argument, optional, statement, code)
        else:
            listing.filters += _filter(context, parameter, argument, optional, statement)
    if listing.page is not None and listing.limit is None:
        raise Unfit(
            f"the page parameter `{parameter_of(context, listing.page)}` comes without a page "
            "size parameter (`limit`, `pageSize`, `perPage`, ...)",
            "add a `limit` query parameter to the operation",
        )
    return listing


OPAQUE_ALPHABET = string.ascii_letters + string.digits + "-_"
"""The characters of an opaque cursor (unpadded base64url: src/core/pagination.py)."""
OPAQUE_LENGTH = 128
"""The length a cursor may need (a date-time and a key, or a longer sort value)."""


def _check_cursor_fits(context: Context, parameter: ir.Parameter) -> None:
    """Decline a cursor parameter whose schema refuses the opaque cursors a page answers."""
    schema = resolved(context.api, parameter.schema)
    pattern, longest = schema.get("pattern"), schema.get("maxLength")
    refused = None
    if base_type(schema) not in {"string", None}:
        refused = f"{base_type(schema)} values"
    elif isinstance(schema.get("format"), str):
        refused = f"`{schema['format']}` values"
    elif isinstance(pattern, str) and not admits(pattern, OPAQUE_ALPHABET):
        refused = f"`{pattern}`"
    elif isinstance(longest, int) and longest < OPAQUE_LENGTH:
        refused = f"text of at most {longest} characters"
    if refused is None:
        return
    raise Unfit(
        f"cursor parameter `{parameter.name}` takes only {refused}, which the opaque cursors "
        "the filler's pages answer (base64url text of the last row's sort values) are not: "
        "no client could send back the cursor a page gave",
        "a cursor that is the last row's key is the API's own scheme: write the body, or "
        "let the parameter take any text (an overlay can)",
    )


def _opaque_text(context: Context, parameter: ir.Parameter) -> bool:
    """Whether a parameter takes text of no format (a cursor), not a date or a number."""
    schema = resolved(context.api, parameter.schema)
    return base_type(schema) in {"string", None} and "format" not in schema


def parameter_of(context: Context, argument: str | None) -> str:
    """The contract's name of the parameter an argument holds."""
    return next((name for name, given in context.parameters.items() if given == argument), "?")


ROWS_MOST = 2**63 - 1
"""The largest OFFSET or LIMIT PostgreSQL and SQLite take (a signed 64-bit integer)."""


def _within_rows(parameter: ir.Parameter) -> bool:
    """Whether the parameter's minimum and maximum keep it between 0 and ROWS_MOST."""
    low, high = parameter.schema.get("minimum"), parameter.schema.get("maximum")
    numbers = (int, float)
    return isinstance(low, numbers) and isinstance(high, numbers) and 0 <= low <= high <= ROWS_MOST


def _defaulted(
    argument: str, optional: bool, parameter: ir.Parameter, fallback: int, code: Code
) -> str:
    """The argument, given a default first where it may be None."""
    if optional:
        default = parameter.schema.get("default", fallback)
        code.add(f"{argument} = {argument} or {int(default)}")
    return argument


def _filter(
    context: Context, parameter: ir.Parameter, argument: str, optional: bool, statement: str
) -> list[str]:
    """``statement = statement.where(...)`` for a parameter named after a column, or after
    a column and a bound (``dueBefore``, ``minEstimate``)."""
    column, operator = column_named(context.table, parameter.name), "=="
    if column is None:
        column, operator = _ranged(context.table, parameter.name)
    if column is None:
        table = context.table.table_name
        raise Unfit(
            f"query parameter `{parameter.name}` maps to no column of `{table}` (by name, or as "
            "a range: a column and Before/After/Min/Max), and is no page, limit, offset, "
            "cursor, sort, order or search parameter",
            f"add the column `{parameter.name}` to `{table}`, or name the parameter after the "
            f"column of `{table}` it filters",
        )
    condition = f"{context.attribute(column)} {operator} {argument}"
    if not optional:
        return [f"{statement} = {statement}.where({condition})"]
    return [f"if {argument} is not None:", f"    {statement} = {statement}.where({condition})"]


def _ranged(table: ir.Table, name: str) -> tuple[ir.Column | None, str]:
    parts = [word.lower() for word in words(name)]
    for bounds, operator in ((_UPPER, "<="), (_LOWER, ">=")):
        if len(parts) > 1 and parts[-1] in bounds:
            prefix = "".join(parts[:-1])
        elif len(parts) > 1 and parts[0] in bounds:
            prefix = "".join(parts[1:])
        else:
            continue
        exact = [c for c in table.columns if loose_key(c.name) == prefix]
        started = [
            c
            for c in table.columns
            if loose_key(c.name).startswith(prefix) and c.type in {"string", "number", "integer"}
        ]
        matches = exact or started
        if len(matches) == 1:
            return matches[0], operator
    return None, ""


def _search(
    context: Context,
    parameter: ir.Parameter,
    argument: str,
    optional: bool,
    statement: str,
    code: Code,
) -> list[str]:
    """A case-insensitive search for the text in the text columns the response shows."""
    shown = {loose_key(name) for name in schema_properties(context.api, item_schema_of(context))}
    columns = [
        column
        for column in context.table.columns
        if column.type == "string"
        and column.format is None
        and column.enum is None
        and loose_key(column.name) in shown
    ]
    if not columns:
        raise Unfit(
            f"search parameter `{parameter.name}` finds no text column of "
            f"`{context.table.table_name}` to search: none the response shows is a string "
            "without a format or enum"
        )
    # The text as written: autoescape keeps LIKE's wildcards (% and _) in it literal, so
    # a search for "%" finds a percent sign, not every row.
    matches = [
        f"{context.attribute(column)}.icontains({argument}, autoescape=True)" for column in columns
    ]
    condition = matches[0]
    if len(matches) > 1:
        code.need("sqlalchemy", "or_")
        condition = f"or_({', '.join(matches)})"
    lines = [f"{statement} = {statement}.where({condition})"]
    if not optional:
        return lines
    return [f"if {argument} is not None:", *(f"    {line}" for line in lines)]


def _descending(context: Context, parameter: ir.Parameter) -> str:
    """The value of a direction parameter that means descending."""
    values = resolved(context.api, parameter.schema).get("enum") or ()
    return next((str(v) for v in values if str(v).lower().startswith("desc")), "desc")


def item_schema_of(context: Context) -> ir.JsonSchema:
    """The schema of one listed row (the array's items)."""
    schema = success_schema(context.task.operation) or {}
    shape = resolved(context.api, schema)
    if base_type(shape) == "array":
        return shape.get("items") or {}
    for value in schema_properties(context.api, schema).values():
        if base_type(resolved(context.api, value)) == "array":
            return resolved(context.api, value).get("items") or {}
    return {}
