"""The order of a list: the column the sort parameter names (one of its enum, or of the
columns the response shows), else the creation time, else the key; the key breaks ties,
and a direction parameter's descending value turns the order.
"""

from __future__ import annotations

from generators import ir
from generators.fill.code import Code, Unfit
from generators.fill.contract import column_named
from generators.fill.crud.context import Context
from generators.fill.crud.parameters import Listing, item_schema_of
from generators.reading import loose_key, resolved, schema_properties


def ordering(context: Context, listing: Listing, code: Code) -> str:
    """The ORDER BY: the sort parameter's column (else the creation time), then the key."""
    key = context.attribute(context.primary_key)
    chosen = sort_expression(context, listing, code)
    if listing.order is None:
        return key if chosen == key else f"{chosen}, {key}"
    code.add(
        f"column = {chosen}",
        f"ordered = column.desc() if {listing.order} else column.asc()",
    )
    return "ordered" if chosen == key else f"ordered, {key}"


def sort_expression(context: Context, listing: Listing, code: Code) -> str:
    """The column the list is sorted by: the sort parameter's, else the creation time,
    else the key."""
    key = context.attribute(context.primary_key)
    created = next((c for c in context.table.columns if loose_key(c.name) == "createdat"), None)
    default = context.attribute(created) if created is not None else key
    if listing.sort is None:
        return default
    return _sort_column(context, listing.sort, default, code)


def _sort_column(context: Context, parameter: ir.Parameter, default: str, code: Code) -> str:
    """``columns[sort]``: the column each value of the sort parameter names."""
    argument = context.parameters[parameter.name]
    values = resolved(context.api, parameter.schema).get("enum")
    closed = isinstance(values, list)
    if not isinstance(values, list):
        values = [c.name for c in context.table.columns if loose_key(c.name) in _shown(context)]
    pairs = []
    for value in values:
        column = column_named(context.table, str(value))
        if column is None:
            raise Unfit(
                f"sort parameter `{parameter.name}`: its value `{value}` names no column of "
                f"`{context.table.table_name}`"
            )
        pairs.append(f'"{value}": {context.attribute(column)}')
    code.need("typing", "Any")
    code.need("sqlalchemy.orm", "InstrumentedAttribute")
    code.add("columns: dict[str, InstrumentedAttribute[Any]] = {" + ", ".join(pairs) + "}")
    optional = context.arguments.get(argument, "").replace(" ", "").endswith("|None")
    if closed and not optional:
        return f"columns[{argument}]"
    return f'columns.get({argument} or "", {default})'


def _shown(context: Context) -> set[str]:
    return {loose_key(name) for name in schema_properties(context.api, item_schema_of(context))}
