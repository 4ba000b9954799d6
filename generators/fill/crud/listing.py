"""The list body: the table's rows (under the path's parents, not soft-deleted, the
caller's where ``x-owner`` says so), filtered, ordered, cut to a page by number, offset
or cursor (keyset), and answered as the response's envelope says.
"""

from __future__ import annotations

from generators.emit.pytypes import ref_name
from generators.fill.code import Code, Unfit, fresh_name, listed
from generators.fill.crud.context import Context, class_of, model_import
from generators.fill.crud.envelopes import envelope_of
from generators.fill.crud.lookups import caller_variable, parents_exist
from generators.fill.crud.parameters import Listing, item_schema_of, listing_of, parameter_of
from generators.fill.crud.responses import validated
from generators.fill.crud.sorting import ordering, sort_expression


def list_rows(context: Context) -> Code:
    code = model_import(context)
    code.need("sqlalchemy", "select")
    statement = fresh_name("statement", context.arguments)
    listing = listing_of(context, code, statement)
    envelope = envelope_of(context, code)
    checked = parents_exist(context, code)
    conditions = [f"{context.attribute(c)} == {argument}" for c, argument in context.parents]
    if (soft := context.soft_delete) is not None:
        conditions.append(f"{context.attribute(soft)}.is_(None)")
    where = f".where({', '.join(conditions)})" if conditions else ""
    code.add(f"{statement} = select({context.model}){where}", *listing.filters)
    if (ownership := context.ownership) is not None and not checked:
        caller = caller_variable(context, code, ownership)
        condition = ownership.sql_condition(lambda t: class_of(context, code, t), caller)
        if ownership.members is not None:
            code.need("sqlalchemy", "or_")
        code.add(
            f"if not {ownership.bypassed()}:",
            f"    {statement} = {statement}.where({condition})",
        )
    total = fresh_name("total", context.arguments)
    counted = {"total", "pages"} if listing.cursor else {"total", "pages", "more", "done"}
    if envelope.kinds() & counted:
        code.need("sqlalchemy", "func")
        code.add(
            f"{total} = session.scalar(",
            f"    select(func.count()).select_from({statement}.subquery())",
            ") or 0",
        )
    rows = fresh_name("rows", context.arguments)
    if listing.cursor is not None:
        values = _cursor_page(context, listing, code, statement, rows, total)
    else:
        values = _numbered_page(context, listing, code, statement, rows, total)
    name = ref_name(item_schema_of(context))
    row = validated(context, name, "row", code) if name else f"{envelope.item}.model_validate(row)"
    items = f"[{row} for row in {rows}]"
    if envelope.cls is None:
        code.add(f"return {envelope.whole}({items})" if envelope.whole else f"return {items}")
        return code
    missing = envelope.kinds(required=True) - set(values) - {"items"}
    if missing:
        paging = "cursor" if listing.cursor is not None else "page-number or offset"
        raise Unfit(
            f"the list response `{envelope.cls}` requires {listed(envelope.names(missing))}, "
            f"which {paging} pagination cannot give",
            "add a cursor query parameter (`cursor`, `after`, `pageToken`)"
            if "next" in missing and listing.cursor is None
            else "",
        )
    code.add(f"return {envelope.render({'items': items, **values})}")
    return code


def _numbered_page(
    context: Context, listing: Listing, code: Code, statement: str, rows: str, total: str
) -> dict[str, str]:
    """A page by number or offset; what the envelope's fields are."""
    code.add(f"{statement} = {statement}.order_by({ordering(context, listing, code)})")
    # An OFFSET or LIMIT the caller sets goes through rows_bounded (src/core/pagination.py)
    # unless its own bounds keep it to what the database takes: page 10**30 is an empty
    # page, not an overflow (500) in the driver.
    if listing.offset is not None:
        offset = _rows_bounded(listing.offset, listing.offset_within, code)
        code.add(f"{statement} = {statement}.offset({offset})")
    elif listing.page is not None and listing.limit is not None:
        offset = _rows_bounded(f"({listing.page} - 1) * {listing.limit}", False, code)
        code.add(f"{statement} = {statement}.offset({offset})")
    if listing.limit is not None:
        limit = _rows_bounded(listing.limit, listing.limit_within, code)
        code.add(f"{statement} = {statement}.limit({limit})")
    code.add(f"{rows} = session.scalars({statement}).all()")
    return _meta_values(listing, total, rows)


def _cursor_page(
    context: Context, listing: Listing, code: Code, statement: str, rows: str, total: str
) -> dict[str, str]:
    """A page after a cursor, in keyset order (the sort column, then the key, one
    direction): one row more than asked tells whether there is a next page."""
    limit, cursor = listing.limit, listing.cursor
    if limit is None or cursor is None:
        raise Unfit(
            f"the cursor parameter `{parameter_of(context, cursor)}` comes without a page "
            "size parameter (`limit`, `pageSize`, `perPage`, ...)",
            "add a `limit` query parameter to the operation",
        )
    key = context.attribute(context.primary_key)
    chosen = sort_expression(context, listing, code)
    order = fresh_name("keyset", context.arguments)
    code.add(f"{order} = ({key},)" if chosen == key else f"{order} = ({chosen}, {key})")
    code.need("src.core.pagination", "after_cursor")
    code.need("src.core.pagination", "cursor_of")
    if listing.order is None:
        code.add(
            f"if {cursor} is not None:",
            f"    {statement} = {statement}.where(after_cursor({cursor}, *{order}))",
            f"{statement} = {statement}.order_by(*{order}).limit({limit} + 1)",
        )
    else:
        code.add(
            f"descending = {listing.order}",
            f"if {cursor} is not None:",
            f"    after = after_cursor({cursor}, *{order}, descending=descending)",
            f"    {statement} = {statement}.where(after)",
            f"ordered = [c.desc() if descending else c.asc() for c in {order}]",
            f"{statement} = {statement}.order_by(*ordered).limit({limit} + 1)",
        )
    more, following = (
        fresh_name("more", context.arguments),
        fresh_name("following", context.arguments),
    )
    code.add(
        f"{rows} = session.scalars({statement}).all()",
        f"{more} = len({rows}) > {limit}",
        f"{rows} = {rows}[:{limit}]",
        f"{following} = cursor_of({rows}[-1], *{order}) if {more} else None",
    )
    return {
        "more": more,
        "done": f"not {more}",
        "next": following,
        "limit": limit,
        "total": total,
        "pages": f"({total} + {limit} - 1) // {limit}",
        "success": "True",
    }


def _rows_bounded(expression: str, within: bool, code: Code) -> str:
    """``expression`` as an OFFSET or LIMIT the database takes."""
    if within:
        return expression
    code.need("src.core.pagination", "rows_bounded")
    return f"rows_bounded({expression})"


def _meta_values(listing: Listing, total: str, rows: str) -> dict[str, str]:
    values: dict[str, str] = {"total": total, "success": "True"}
    limit = listing.limit
    if listing.page is not None and limit is not None:
        values["page"] = listing.page
        values["offset"] = f"({listing.page} - 1) * {limit}"
        values["more"] = f"{listing.page} * {limit} < {total}"
    elif listing.offset is not None:
        values["offset"] = listing.offset
        values["page"] = f"{listing.offset} // {limit} + 1" if limit else "1"
        values["more"] = f"{listing.offset} + len({rows}) < {total}"
    else:
        values["page"], values["offset"], values["more"] = "1", "0", "False"
    values["done"] = "True" if values["more"] == "False" else f"not ({values['more']})"
    if limit is not None:
        values["limit"] = limit
        values["pages"] = f"({total} + {limit} - 1) // {limit}"
    else:
        values["limit"] = f"max(len({rows}), 1)"
        values["pages"] = f"1 if {total} else 0"
    return values
