"""Short-lived public URLs for chart images (channels such as Zalo only accept image URLs)."""

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
