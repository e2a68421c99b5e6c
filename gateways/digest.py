"""Push the weekly digest (:mod:`stats.digest`) to provincial officials' Telegram or Zalo.

:class:`DigestPusher` runs in the API process: every minute :meth:`DigestPusher.run_due`
checks the configured day and time (``TROLY06_DIGEST_DAY``, ``TROLY06_DIGEST_TIME``, local
time ``TROLY06_DIGEST_TIMEZONE``); once it has passed, each provincial official with a
Telegram or Zalo id gets the digest of the week that has just ended: the text, then the
chart. Each (official, week) is recorded in the shared de-duplication table first, so with
several API replicas every official still gets it exactly once.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from gateways.push import ChannelPusher
from stats.access import Official, OfficialStore
from troly06.config import Settings
from troly06.dedup import first_time
from troly06.pii import mask_pii

log = logging.getLogger(__name__)
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
CHECK_EVERY_S = 60.0


def is_due(now: datetime, day: str, at: str) -> bool:
    """True once the configured weekday's time has passed (the rest of that day)."""
    if not day:
        return False
    hours, _, minutes = at.partition(":")
    return now.weekday() == DAYS.index(day.strip().lower()) and \
        now.time() >= time(int(hours), int(minutes or 0))


class DigestPusher:
    """Build and send the digests that are due."""

    def __init__(self, settings: Settings, officials: OfficialStore, *, zalo: Any = None,
                 media: Any = None, http: httpx.AsyncClient | None = None) -> None:
        self.settings, self.officials = settings, officials
        self.push = ChannelPusher(telegram_base=settings.telegram_base_url,
                                  telegram_token=settings.telegram_token.get_secret_value(),
                                  zalo=zalo, media=media, http=http)

    def recipients(self) -> list[Official]:
        """Provincial officials reachable on Telegram or Zalo."""
        return [o for o in self.officials.officials if len(o.provinces) == 1 and o.user_id
                and o.channel in ("telegram", "zalo")]

    async def run_due(self, now: datetime | None = None) -> int:
        """Send the digests due at ``now`` (local time); the number sent."""
        from stats.digest import build_digest, digest_week

        zone = ZoneInfo(self.settings.digest_timezone)
        now = now.astimezone(zone) if now and now.tzinfo else (now or datetime.now(zone))
        if not is_due(now, self.settings.digest_day, self.settings.digest_time):
            return 0
        today: date = now.date()
        week_end = digest_week(today)[1]
        sent = 0
        for official in self.recipients():
            key = f"digest:{official.id}:{week_end.isoformat()}"
            if not await asyncio.to_thread(first_time, key, url=self.settings.sqlalchemy_url):
                continue
            try:
                digest = await asyncio.to_thread(
                    build_digest, official, url=self.settings.sqlalchemy_url, today=today,
                    indicator=self.settings.digest_indicator)
                if digest is None:
                    continue
                await self.send(official, digest.text, digest.png)
                sent += 1
            except Exception:  # noqa: BLE001 - one official's digest must not stop the rest
                log.warning("digest for %s not built or not delivered", official.id,
                            exc_info=True)
        return sent

    async def send(self, official: Official, text: str, png: bytes | None) -> None:
        """Send ``text`` (split to the channel's limit) and the chart to ``official``."""
        user = str(official.user_id)
        await self.push.text(official.channel, user, text)
        if png:
            await self.push.image(official.channel, user, png, "digest.png")
        log.info("digest sent to official %s", mask_pii(official.id))

    async def loop(self) -> None:
        """Check every minute until cancelled."""
        while True:
            try:
                await self.run_due()
            except Exception:  # noqa: BLE001 - the next minute tries again
                log.exception("digest check failed")
            await asyncio.sleep(CHECK_EVERY_S)

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self.push.aclose()
