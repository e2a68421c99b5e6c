"""Alembic environment of the statistics store (own version table: stats_alembic_version)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from stats.models import Base

config = context.config
target_metadata = Base.metadata
VERSION_TABLE = "stats_alembic_version"


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from troly06.config import get_settings

    return get_settings().sqlalchemy_url


def run_migrations_offline() -> None:
    """Emit SQL without a database connection."""
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True,
                      version_table=VERSION_TABLE, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run against a connection given by stats.store.init_db() or built from the URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata,
                          version_table=VERSION_TABLE, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = _url()
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        from pathlib import Path

        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = engine_from_config({"sqlalchemy.url": url}, prefix="sqlalchemy.",
                                poolclass=pool.NullPool)
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata,
                          version_table=VERSION_TABLE, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
