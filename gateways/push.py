"""Messages the assistant pushes to a user outside a reply (the weekly digest, operators'
replies): one sender per channel, each with its own length limit.

Telegram through the Bot API (``sendMessage`` / ``sendPhoto``; works in polling and webhook
mode, from any replica); Zalo through the OA message API (:class:`gateways.zalo.ZaloClient`),
an image as a short-lived public link from the media store. A failed send raises, so that
the caller keeps the message for a retry.
"""

from __future__ import annotations

from typing import Any

import httpx

from gateways.text import split_text

TELEGRAM_MAX = 4096  # characters of one Telegram message
ZALO_MAX = 2000      # characters of one Zalo OA text message
PUSHED = ("telegram", "zalo")


class ChannelPusher:
    """Send text (split to the channel's limit) and images to a Telegram or Zalo user."""

    def __init__(self, *, telegram_base: str = "", telegram_token: str = "", zalo: Any = None,
                 media: Any = None, http: httpx.AsyncClient | None = None,
                 timeout: float = 20.0) -> None:
        self.telegram = f"{telegram_base}{telegram_token}" if telegram_token else ""
        self.zalo = zalo
        self.media = media
        self.http = http or httpx.AsyncClient(timeout=timeout)

    async def _telegram(self, method: str, **request: Any) -> None:
        if not self.telegram:
            raise RuntimeError("Telegram is not configured (TELEGRAM_BOT_TOKEN)")
        resp = await self.http.post(f"{self.telegram}/{method}", **request)
        if resp.status_code != 200 or not resp.json().get("ok"):
            raise RuntimeError(f"Telegram {method}: HTTP {resp.status_code}")

    def _zalo(self) -> Any:
        if self.zalo is None:
            raise RuntimeError("the Zalo channel is not configured")
        return self.zalo

    async def text(self, channel: str, user_id: str, text: str) -> None:
        """Send ``text`` to ``user_id`` on ``channel``, in as many messages as it needs."""
        if channel == "telegram":
            for chunk in split_text(text, TELEGRAM_MAX):
                await self._telegram("sendMessage", json={"chat_id": user_id, "text": chunk})
        elif channel == "zalo":
            zalo = self._zalo()
            for chunk in split_text(text, ZALO_MAX):
                await zalo.send_text(user_id, chunk)
        else:
            raise ValueError(f"cannot push to channel {channel!r}")

    async def image(self, channel: str, user_id: str, png: bytes, name: str = "image.png"
                    ) -> None:
        """Send a PNG image (Zalo gets a link to it; without a media store it is skipped)."""
        if channel == "telegram":
            await self._telegram("sendPhoto", data={"chat_id": user_id},
                                 files={"photo": (name, png, "image/png")})
        elif channel == "zalo":
            zalo = self._zalo()
            if self.media is not None:
                await zalo.send_image(user_id, f"{self.media.base_url}/media/"
                                               f"{self.media.put(png)}.png")
        else:
            raise ValueError(f"cannot push to channel {channel!r}")

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self.http.aclose()
