"""The ``database_url`` fixture gives a fresh, usable database on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, inspect, select

from tests.databases import postgres_version


def test_fresh_database_takes_a_table_and_rows(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        assert inspect(engine).get_table_names() == []  # fresh and empty
        metadata = MetaData()
        notes = Table(
            "notes",
            metadata,
            Column("id", Integer, primary_key=True),
            Column("text", String(100), nullable=False),
        )
        metadata.create_all(engine)
        with engine.begin() as connection:
            connection.execute(notes.insert(), [{"text": "first"}, {"text": "ünïcode"}])
        with engine.connect() as connection:
            rows = connection.execute(select(notes.c.text).order_by(notes.c.id)).scalars()
            assert list(rows) == ["first", "ünïcode"]
    finally:
        engine.dispose()
    if database_url.startswith("postgresql"):
        assert postgres_version(database_url).startswith("PostgreSQL ")
