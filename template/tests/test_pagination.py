"""Cursor pagination (src/core/pagination.py) over a table of its own, on SQLite."""

import enum
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import JSON, Numeric, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from src.core.errors import ApiError
from src.core.pagination import ROWS_MOST, after_cursor, cursor_of, rows_bounded


class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


class Base(DeclarativeBase):
    pass


class Row(Base):
    __tablename__ = "rows"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    number: Mapped[int]
    price: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    ratio: Mapped[float]
    name: Mapped[str]
    flag: Mapped[bool]
    day: Mapped[date]
    at: Mapped[datetime]
    colour: Mapped[Colour]
    note: Mapped[str | None]
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


@pytest.fixture
def session() -> Iterator[Session]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with Session(engine) as session:
        for n in range(7):
            session.add(
                Row(
                    id=uuid.UUID(int=n + 1),
                    number=n % 3,  # ties: the key breaks them
                    price=Decimal(n) / 4,
                    ratio=n / 2,
                    name=f"row {n}",
                    flag=n % 2 == 0,
                    day=date(2026, 1, 1) + timedelta(days=n),
                    at=start + timedelta(hours=n),
                    colour=Colour.RED if n < 4 else Colour.BLUE,
                    note=None,
                    data={},
                )
            )
        session.commit()
        yield session
    engine.dispose()


def pages(session: Session, *columns: Any, descending: bool = False) -> list[int]:
    """Every row's number, read three rows a page through cursors."""
    order = [column.desc() if descending else column for column in columns]
    seen: list[int] = []
    cursor = None
    while True:
        query = select(Row).order_by(*order).limit(3)
        if cursor is not None:
            query = query.where(after_cursor(cursor, *columns, descending=descending))
        rows = session.scalars(query).all()
        seen += [row.id.int for row in rows]
        if len(rows) < 3:
            return seen
        cursor = cursor_of(rows[-1], *columns)


@pytest.mark.parametrize(
    "column",
    [Row.number, Row.price, Row.ratio, Row.name, Row.flag, Row.day, Row.colour],
)
def test_pages_hold_every_row_once_in_order(session: Session, column: Any) -> None:
    everything = [
        row.id.int for row in session.scalars(select(Row).order_by(column, Row.id))
    ]
    assert pages(session, column, Row.id) == everything
    backwards = select(Row).order_by(column.desc(), Row.id.desc())
    everything = [row.id.int for row in session.scalars(backwards)]
    assert pages(session, column, Row.id, descending=True) == everything


def test_a_cursor_over_instants(session: Session) -> None:
    assert pages(session, Row.id) == list(range(1, 8))
    row = session.get(Row, uuid.UUID(int=3))
    assert row is not None
    cursor = cursor_of(row, Row.at, Row.id)
    after = session.scalars(select(Row).where(after_cursor(cursor, Row.at, Row.id)))
    assert [r.id.int for r in after] == [4, 5, 6, 7]


@pytest.mark.parametrize(
    ("cursor", "columns"),
    [
        ("not base64!", (Row.id,)),
        ("bm90IGpzb24", (Row.id,)),  # "not json"
        ("W10", (Row.id,)),  # []: a cursor of another list
        ("WzFd", (Row.id,)),  # [1]: not a text
        ("W251bGxd", (Row.id,)),  # [null]
        ("WyJ4Il0", (Row.data,)),  # ["x"] over a JSON column
        ("WyJ4Il0", (Row.number,)),  # ["x"] is no number
    ],
)
def test_a_cursor_this_api_did_not_give_is_a_400(cursor: str, columns: Any) -> None:
    with pytest.raises(ApiError) as raised:
        after_cursor(cursor, *columns)
    assert raised.value.status_code == 400


@pytest.mark.parametrize("asked", [10**30, ROWS_MOST + 1, -5])
def test_an_offset_or_page_size_past_the_databases_is_bounded(
    session: Session, asked: int
) -> None:
    """SQLite (as PostgreSQL) takes no OFFSET or LIMIT past a signed 64-bit integer;
    bounded, a page that far is empty, and a negative offset is the first page."""
    with pytest.raises(OverflowError):
        session.scalars(select(Row).offset(10**30)).all()
    rows = session.scalars(
        select(Row).order_by(Row.id).offset(rows_bounded(asked))
    ).all()
    assert len(rows) == (7 if asked < 0 else 0)
    assert session.scalars(select(Row).limit(rows_bounded(asked))).all() == (
        [] if asked < 0 else session.scalars(select(Row)).all()
    )
