"""Asynchronous client for Rasa's REST input channel (``/webhooks/rest/webhook``).

One client (one pooled ``httpx.AsyncClient``) per process, shared by every channel; never
build one per message.

Every message carries a fresh ``message_id``. When Rasa (or the balancer in front of several
Rasa replicas) fails — connection refused or reset, 502/503/504, a timeout — the same message
is sent again with the same id and ``attempt`` 2, 3…: the REST channel
(``bot.plugins.channels.SafeRestInput``) then either processes it or, if the first attempt
did get through, replays the answer recorded for it. A turn is never lost to a dying replica
and never stored twice.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any

import httpx

from troly06.pii import mask_pii

log = logging.getLogger(__name__)


RETRY_STATUSES = frozenset({502, 503, 504})
MAX_RETRY_AFTER_S = 5.0


class RasaUnavailable(RuntimeError):
    """Rasa could not be reached or answered with a server error."""


def _retry_after(resp: httpx.Response, default: float) -> float:
    try:
        return min(MAX_RETRY_AFTER_S, max(default, float(resp.headers.get("retry-after", ""))))
    except ValueError:
        return default


class RasaClient:
    """Send user messages to Rasa's REST channel and check that Rasa is up."""

    def __init__(self, base_url: str, *, timeout: float = 30.0,
                 transport: httpx.AsyncBaseTransport | None = None,
                 attempts: int = 4, backoff: float = 0.25) -> None:
        """``attempts``: tries per message (1 = no retry); ``backoff``: first pause, doubled."""
        self.base_url = base_url.rstrip("/")
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.retries = 0  # re-sent messages since start (exported as a metric by the API)
        self.replayed = 0  # re-sent messages Rasa answered from the tracker
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout, connect=3.0),
            transport=transport,
        )

    async def send(self, sender: str, message: str,
                   metadata: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Forward one user message; return Rasa's bot messages (text/buttons/image/custom).

        Transient failures are retried with the same ``message_id`` (see the module doc).
        Raises :class:`RasaUnavailable` when every attempt failed, on other 4xx/5xx or bad JSON.
        """
        body: dict[str, Any] = {"sender": sender, "message": message,
                                "message_id": uuid.uuid4().hex}
        if metadata:
            body["metadata"] = metadata
        pause = self.backoff
        for attempt in range(1, self.attempts + 1):
            body["attempt"] = attempt
            last = attempt == self.attempts
            try:
                resp = await self._client.post("/webhooks/rest/webhook", json=body)
            except httpx.HTTPError as exc:
                # nothing listening: one quick retry (a balancer in front answers 502/503
                # instead, which is retried fully); a restart takes tens of seconds anyway
                if last or (isinstance(exc, httpx.ConnectError) and attempt >= 2):
                    raise RasaUnavailable(f"Rasa unreachable at {self.base_url}: {exc!r}") from exc
                log.info("Rasa attempt %d failed (%s); retrying", attempt, type(exc).__name__)
            else:
                if resp.status_code not in RETRY_STATUSES or last:
                    if resp.headers.get("x-troly06-replayed") == "1":
                        self.replayed += 1
                    return self._replies(resp, sender)
                log.info("Rasa attempt %d answered HTTP %d; retrying", attempt,
                         resp.status_code)
                pause = _retry_after(resp, pause)
            self.retries += 1
            await asyncio.sleep(pause)
            pause *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _replies(resp: httpx.Response, sender: str) -> list[dict[str, Any]]:
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
