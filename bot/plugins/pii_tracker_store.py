"""SQL tracker store that never writes a personal number.

``bot/endpoints.yml`` selects it as
``type: bot.plugins.pii_tracker_store.PiiSafeSQLTrackerStore``. Where it stores:

* ``TRACKER_DATABASE_URL`` set: that database (trackers apart from the statistics);
* else ``DATABASE_URL`` set (e.g. ``postgresql://user:pw@host:5432/troly06``): that database
  (the ``+psycopg`` driver suffix used by the 3.11 app is mapped to Rasa's psycopg2);
* ``RASA_TRACKER_DB`` set: that SQLite file;
* otherwise the values in endpoints.yml (default ``var/rasa_tracker.db``, SQLite).

Before events are written, the text of every user message, its parse data and every string slot
value are passed through ``troly06.pii.mask_pii`` — a second line of defence behind the REST
channel and the tokenizer, covering socket.io and the ``/conversations`` HTTP API too.
"""

# Rasa 3.6 validates component signatures by their typing annotations: keep typing.List/Dict.
# ruff: noqa: UP006, UP019, UP035, UP037, UP045

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Dict, Optional, Text

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from troly06.pii import mask_pii


def _mask_obj(obj: Any) -> Any:
    """Mask every string inside a JSON-like object."""
    if isinstance(obj, str):
        return mask_pii(obj)
    if isinstance(obj, dict):
        return {k: _mask_obj(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_mask_obj(v) for v in obj]
    return obj


def mask_tracker_events(tracker: DialogueStateTracker) -> None:
    """Mask personal numbers in the user messages and slot values of ``tracker`` in place."""
    for event in tracker.events:
        if isinstance(event, UserUttered):
            if event.text:
                event.text = mask_pii(event.text)
            event.parse_data = _mask_obj(event.parse_data)  # type: ignore[assignment]
            event.entities = _mask_obj(event.entities)
            if event.metadata:
                event.metadata = _mask_obj(event.metadata)
        elif isinstance(event, SlotSet) and isinstance(event.value, (str, list, dict)):
            event.value = _mask_obj(event.value)


def _url_parts(url: str) -> Dict[Text, Any]:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    dialect = parsed.drivername.replace("+psycopg", "").replace("postgresql+asyncpg", "postgresql")
    if dialect.startswith("sqlite"):
        return {"dialect": "sqlite", "db": parsed.database or "var/rasa_tracker.db"}
    return {
        "dialect": dialect,
        "host": parsed.host,
        "port": parsed.port,
        "db": parsed.database,
        "username": parsed.username,
        "password": parsed.password,
        "query": dict(parsed.query) or None,
    }


def _tune_sqlite(engine: Any) -> None:
    """WAL journal + ``synchronous=NORMAL``: a commit no longer waits for an fsync.

    Rasa handles all conversations in one event loop and the SQLite commit blocks it; with the
    default rollback journal every message paid an fsync (~17 ms here), serialising all
    users. WAL keeps the database consistent after a crash of the process; a power loss may
    drop the last few messages of a conversation, which is acceptable for chat trackers.
    """
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    engine.dispose()  # connections opened before the listener get the pragmas on reconnect


class PiiSafeSQLTrackerStore(SQLTrackerStore):
    """:class:`SQLTrackerStore` that masks personal numbers before saving."""

    def __init__(self, domain: Optional[Any] = None, host: Optional[Text] = None,
                 **kwargs: Any) -> None:
        url = (os.environ.get("TRACKER_DATABASE_URL", "").strip()
               or os.environ.get("DATABASE_URL", "").strip())
        sqlite_file = os.environ.get("RASA_TRACKER_DB", "").strip()
        if url:
            kwargs.update(_url_parts(url))
            host = kwargs.pop("host", host)
        elif sqlite_file:
            kwargs.update({"dialect": "sqlite", "db": sqlite_file})
        if kwargs.get("dialect", "sqlite") == "sqlite":
            db = kwargs.setdefault("db", "var/rasa_tracker.db")
            Path(db).parent.mkdir(parents=True, exist_ok=True)
        super().__init__(domain=domain, host=host, **kwargs)
        if self.engine.dialect.name == "sqlite":
            _tune_sqlite(self.engine)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Mask personal numbers in the tracker's events, then store them."""
        mask_tracker_events(tracker)
        await super().save(tracker)
