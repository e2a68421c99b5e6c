"""Client for the Zalo OA message API (customer-service messages)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx

from gateways.text import split_text
from troly06.pii import mask_pii

log = logging.getLogger(__name__)
ZALO_MAX_TEXT = 2000  # OA text message limit


class ZaloApiError(RuntimeError):
    """The OA API refused a message (non-zero ``error`` in its JSON answer)."""


class ZaloClient:
    """Send text (with optional quick-reply buttons) to a Zalo user; one per process."""

    MESSAGE_PATH = "/v3.0/oa/message/cs"

    def __init__(self, base_url: str, access_token: str, *, retries: int = 3,
                 timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.retries = retries
        self._client = httpx.AsyncClient(base_url=self.base_url, timeout=timeout,
                                         headers={"access_token": access_token})

    async def send_text(self, user_id: str, text: str,
                        buttons: list[dict[str, str]] | None = None) -> list[dict[str, Any]]:
        """Send ``text`` (split at 2000 characters); buttons go with the last chunk."""
        results = []
        chunks = split_text(text, ZALO_MAX_TEXT) or [""]
        for i, chunk in enumerate(chunks):
            message: dict[str, Any] = {"text": chunk}
            if buttons and i == len(chunks) - 1:
                message["attachment"] = {"type": "template", "payload": {"buttons": [
                    {"title": b["title"][:100], "type": "oa.query.show",
                     "payload": b["payload"]} for b in buttons[:5]]}}
            results.append(await self._post({"recipient": {"user_id": user_id},
                                             "message": message}))
        return results

    async def send_image(self, user_id: str, url: str) -> dict[str, Any]:
        """Send an image (a chart) by URL."""
        return await self._post({"recipient": {"user_id": user_id}, "message": {
            "attachment": {"type": "template", "payload": {
                "template_type": "media", "elements": [{"media_type": "image", "url": url}]}}}})

    async def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        delay = 0.5
        for attempt in range(self.retries + 1):
            try:
                resp = await self._client.post(self.MESSAGE_PATH, json=body)
                if resp.status_code >= 500 or resp.status_code == 429:
                    raise httpx.HTTPStatusError(f"HTTP {resp.status_code}", request=resp.request,
                                                response=resp)
                data = resp.json()
            except (httpx.HTTPError, ValueError) as exc:
                if attempt == self.retries:
                    raise ZaloApiError(f"OA API unreachable: {exc!r}") from exc
                log.warning("Zalo OA API error (%s), retrying in %.1fs", exc, delay)
                await asyncio.sleep(delay)
                delay *= 2
                continue
            if data.get("error", 0) != 0:
                raise ZaloApiError(mask_pii(f"OA API error {data.get('error')}: "
                                            f"{data.get('message')}"))
            return data
        raise ZaloApiError("unreachable")  # pragma: no cover

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()
