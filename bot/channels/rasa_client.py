"""Asynchronous client for Rasa's REST input channel (``/webhooks/rest/webhook``).

One client (one pooled ``httpx.AsyncClient``) per process, shared by every channel; never
build one per message.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

from troly06.pii import mask_pii

log = logging.getLogger(__name__)


class RasaUnavailable(RuntimeError):
    """Rasa could not be reached or answered with a server error."""


class RasaClient:
    """Send user messages to Rasa's REST channel and check that Rasa is up."""

    def __init__(self, base_url: str, *, timeout: float = 30.0,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout, connect=3.0),
            transport=transport,
        )

    async def send(self, sender: str, message: str,
                   metadata: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Forward one user message; return Rasa's bot messages (text/buttons/image/custom).

        Raises :class:`RasaUnavailable` on connection errors, timeouts, 5xx or bad JSON.
        """
        body: dict[str, Any] = {"sender": sender, "message": message}
        if metadata:
            body["metadata"] = metadata
        try:
            resp = await self._client.post("/webhooks/rest/webhook", json=body)
        except httpx.HTTPError as exc:
            raise RasaUnavailable(f"Rasa unreachable at {self.base_url}: {exc!r}") from exc
        if resp.status_code >= 500 or resp.status_code == 404:
            raise RasaUnavailable(f"Rasa answered HTTP {resp.status_code}")
        if resp.status_code >= 400:
            log.warning("Rasa rejected a message from %s: HTTP %s", mask_pii(sender),
                        resp.status_code)
            raise RasaUnavailable(f"Rasa answered HTTP {resp.status_code}")
        try:
            data = resp.json()
        except ValueError as exc:
            raise RasaUnavailable("Rasa answered with invalid JSON") from exc
        if not isinstance(data, list):
            raise RasaUnavailable("Rasa answered with an unexpected payload")
        return [m for m in data if isinstance(m, dict)]

    async def ping(self) -> bool:
        """True when Rasa's HTTP server answers ``GET /``."""
        try:
            resp = await self._client.get("/", timeout=3.0)
        except httpx.HTTPError:
            return False
        return resp.status_code == 200

    async def aclose(self) -> None:
        """Close the underlying connection pool."""
        await self._client.aclose()
