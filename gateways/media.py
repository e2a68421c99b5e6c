"""Short-lived public URLs for chart images (channels such as Zalo only accept image URLs).

:class:`MediaStore` keeps them in memory (one process); :class:`SqlMediaStore` in the app
database, so that with several API replicas behind a balancer the image request can reach any
of them. The API uses the SQL store.
"""

from __future__ import annotations

import base64
import secrets
import time
from collections import OrderedDict


class MediaStore:
    """In-memory PNG store: ``put()`` returns an id served by ``GET /media/{id}.png``."""

    def __init__(self, base_url: str, *, ttl_s: float = 3600.0, max_items: int = 500) -> None:
        self.base_url = base_url.rstrip("/")
        self.ttl_s = ttl_s
        self.max_items = max_items
        self._items: OrderedDict[str, tuple[float, bytes]] = OrderedDict()

    def _expire(self) -> None:
        now = time.monotonic()
        while self._items:
            key, (at, _) = next(iter(self._items.items()))
            if now - at > self.ttl_s or len(self._items) > self.max_items:
                self._items.popitem(last=False)
            else:
                break

    def put(self, png: bytes) -> str:
        """Store ``png``; return its unguessable id."""
        self._expire()
        key = secrets.token_urlsafe(16)
        self._items[key] = (time.monotonic(), png)
        return key

    def get(self, key: str) -> bytes | None:
        """The stored bytes, or None when unknown or expired."""
        self._expire()
        item = self._items.get(key)
        return item[1] if item else None

    def publish(self, image: str) -> str | None:
        """A public URL for an image reference: URLs pass through, data URIs are stored."""
        if image.startswith(("http://", "https://")):
            return image
        if image.startswith("data:image/png;base64,"):
            try:
                png = base64.b64decode(image.split(",", 1)[1], validate=True)
            except ValueError:
                return None
            return f"{self.base_url}/media/{self.put(png)}.png"
        return None


class SqlMediaStore(MediaStore):
    """The same store in the app database (table ``media_images``, see stats migrations)."""

    def __init__(self, base_url: str, *, url: str | None = None, ttl_s: float = 3600.0,
                 max_bytes: int = 5 * 1024 * 1024) -> None:
        super().__init__(base_url, ttl_s=ttl_s)
        self.url = url
        self.max_bytes = max_bytes

    def _table(self):  # noqa: ANN202 - SQLAlchemy Table
        import sqlalchemy as sa

        return sa.table("media_images", sa.column("id"), sa.column("created_at"),
                        sa.column("png"))

    def put(self, png: bytes) -> str:
        """Store ``png`` (and drop expired images); return its unguessable id."""
        from stats.database import session_scope

        if len(png) > self.max_bytes:
            raise ValueError(f"image too large ({len(png)} bytes)")
        key = secrets.token_urlsafe(16)
        table, now = self._table(), time.time()
        with session_scope(self.url, write=True) as session:
            session.execute(table.delete().where(table.c.created_at < now - self.ttl_s))
            session.execute(table.insert().values(id=key, created_at=now, png=png))
        return key

    def get(self, key: str) -> bytes | None:
        """The stored bytes, or None when unknown or expired."""
        from stats.database import session_scope

        table = self._table()
        with session_scope(self.url) as session:
            row = session.execute(table.select().with_only_columns(table.c.png).where(
                table.c.id == key, table.c.created_at >= time.time() - self.ttl_s)).first()
        return bytes(row[0]) if row else None
