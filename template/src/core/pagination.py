"""Pagination: the bounds of an offset or page size, and cursor pagination: opaque
cursors that point after a row, in a keyset order.

A cursor holds the values of the row's sort columns (the last one its primary key), so
a page starts right after that row even when rows were added or removed in between, and
no OFFSET makes the database walk the skipped rows. A cursor this API did not give is a
400, not a 500.
"""

import base64
import binascii
import enum
import json
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, literal, tuple_
from sqlalchemy.orm import InstrumentedAttribute

from src.core.errors import ApiError

Column = InstrumentedAttribute[Any]

ROWS_MOST = 2**63 - 1
"""The largest OFFSET or LIMIT PostgreSQL and SQLite take (a signed 64-bit integer)."""


def rows_bounded(rows: int) -> int:
    """An offset or page size a caller asked for, as the database takes it: between 0
    and ROWS_MOST. No table holds ROWS_MOST rows, so a page past it is empty, as any
    page past the end is, instead of an overflow in the driver (a 500)."""
    return max(0, min(rows, ROWS_MOST))


def cursor_of(row: object, *columns: Column) -> str:
    """The cursor pointing after ``row`` in the order of ``columns``."""
    values = [_text(getattr(row, column.key)) for column in columns]
    payload = json.dumps(values, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(payload).decode("ascii").rstrip("=")


def after_cursor(
    cursor: str, *columns: Column, descending: bool = False
) -> ColumnElement[bool]:
    """The condition selecting the rows after ``cursor`` in the order of ``columns``
    (all ascending, or all descending)."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        texts = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        if not isinstance(texts, list) or len(texts) != len(columns):
            raise ValueError("a cursor of another list")
        values = [  # bound as the column's type: an enum's value, not its Python object
            literal(_value(text, column), column.type)
            for text, column in zip(texts, columns, strict=True)
        ]
    except (ValueError, TypeError, UnicodeError, binascii.Error) as error:
        raise ApiError(400, "The cursor is not one this API gave.") from error
    if descending:
        return tuple_(*columns) < tuple_(*values)
    return tuple_(*columns) > tuple_(*values)


def _text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _value(text: object, column: Column) -> object:
    """A cursor's text back as the column's Python type."""
    if text is None:
        raise ValueError("a cursor cannot point at NULL")
    if not isinstance(text, str):
        raise TypeError("a cursor holds texts")
    kind = column.type.python_type
    if kind is datetime:
        return datetime.fromisoformat(text)
    if kind is date:
        return date.fromisoformat(text)
    if kind is bool:
        return text == "True"
    if kind in (int, float, Decimal, uuid.UUID, str) or issubclass(kind, enum.Enum):
        return kind(text)
    raise ValueError(f"no cursor over {kind.__name__} columns")
