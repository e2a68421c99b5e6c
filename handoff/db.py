"""The app database for handoff and console tables: the statistics store's engine (one
database module), with the schema upgraded once per URL (``alembic upgrade head``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Engine


def engine(url: str) -> Engine:
    """The engine for ``url``, its schema upgraded to the latest migration on first use."""
    from stats.database import get_engine, migrated_url

    return get_engine(migrated_url(url))


def now() -> datetime:
    """The current time, timezone-aware (UTC)."""
    return datetime.now(UTC)


def aware(value: datetime | None) -> datetime | None:
    """``value`` as an aware UTC datetime (SQLite returns naive ones)."""
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def rowcount(result: Any) -> int:
    """Rows an UPDATE or DELETE touched."""
    return int(getattr(result, "rowcount", 0) or 0)
