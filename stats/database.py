"""The statistics database: one engine per URL, created once, the schema migrated
(``alembic upgrade head``) lazily once per URL, and sessions on it.

SQLite by default (``get_settings().sqlalchemy_url``, i.e. ``var/troly06.db``), PostgreSQL
when ``DATABASE_URL`` is set. :func:`init_db` runs the migration; every other function
calls it lazily once per URL, so a fresh database just works.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.orm import Session, sessionmaker

from stats.models import ExtraFigure, Figure, Locality, Report
from troly06.config import get_settings

_LOCK = threading.Lock()
# Alembic keeps its migration context in module globals: two upgrades at once in one process
# (the app's startup and a webhook's first request on a fresh database) break each other
# (KeyError 'config', then "table already exists" on every later call), so they take turns.
_MIGRATE_LOCK = threading.RLock()
_ENGINES: dict[str, Engine] = {}
_READY: set[str] = set()


def database_url(url: str | None) -> str:
    """``url``, or the configured one when None."""
    return url or get_settings().sqlalchemy_url


def migrated_url(url: str | None = None) -> str:
    """``url`` (default: settings), its schema migrated once per process."""
    url = database_url(url)
    if url not in _READY:
        with _MIGRATE_LOCK:
            if url not in _READY:  # another thread may have migrated it meanwhile
                init_db(url)
    return url


def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for ``url`` (default: settings), created once."""
    url = database_url(url)
    with _LOCK:
        engine = _ENGINES.get(url)
        if engine is None:
            if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
                Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, future=True, pool_pre_ping=not url.startswith("sqlite"))
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)
            _ENGINES[url] = engine
        return engine


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001 - DB-API objects
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def init_db(url: str | None = None) -> Engine:
    """Create or upgrade the schema (``alembic upgrade head``) and return the engine."""
    from alembic import command
    from alembic.config import Config

    url = database_url(url)
    engine = get_engine(url)
    here = Path(__file__).parent
    cfg = Config(str(here / "alembic.ini"))
    cfg.set_main_option("script_location", str(here / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    with _MIGRATE_LOCK, engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        _READY.add(url)
    return engine


def dispose(url: str | None = None) -> None:
    """Close pooled connections of ``url`` (tests, shutdown)."""
    url = database_url(url)
    with _LOCK:
        engine = _ENGINES.pop(url, None)
    _READY.discard(url)
    if engine is not None:
        engine.dispose()


@contextmanager
def session_scope(url: str | None = None, *, write: bool = False) -> Iterator[Session]:
    """A session on the (migrated) database; ``write=True`` commits at the end, or rolls
    everything back on any exception."""
    url = migrated_url(url)
    factory = sessionmaker(get_engine(url), expire_on_commit=False)
    with factory() as session:
        if write:
            with session.begin():
                yield session
        else:
            yield session


def ping(url: str | None = None) -> bool:
    """True when the statistics database answers (for /health)."""
    try:
        with session_scope(url) as session:
            session.execute(select(func.count(Locality.id)))
        return True
    except Exception:  # noqa: BLE001 - health check
        return False


def counts(url: str | None = None) -> dict[str, int]:
    """Row counts of the tables (diagnostics, tests)."""
    with session_scope(url) as session:
        return {
            "localities": session.scalar(select(func.count(Locality.id))) or 0,
            "reports": session.scalar(select(func.count(Report.id))) or 0,
            "figures": session.scalar(select(func.count(Figure.id))) or 0,
            "extra_figures": session.scalar(select(func.count(ExtraFigure.id))) or 0,
        }
