"""Alembic environment: migrate the configured database towards ``src.models.Base.metadata``."""

from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, pool

from src.core.config import get_settings
from src.models import Base

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name)

target_metadata = Base.metadata
# An explicit sqlalchemy.url (e.g. set programmatically) wins over the DATABASE_URL setting.
database_url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
# SQLite cannot ALTER most things in place; batch mode rebuilds tables instead.
render_as_batch = database_url.startswith("sqlite")


def run_migrations_offline() -> None:
    """Emit the migration SQL to stdout without connecting to a database."""
    context.configure(
        url=database_url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=render_as_batch,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Connect to the database and apply the migrations."""
    engine = create_engine(database_url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=render_as_batch,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
