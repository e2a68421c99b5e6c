"""Webhook events seen before, remembered in the shared database (every API replica).

Zalo re-sends an event until it gets a 200, and a forged replay looks the same: the first
replica to insert the event's key handles it; any later copy, on any replica, is refused.
"""

from __future__ import annotations

import time

from sqlalchemy import Column, Float, MetaData, String, Table, delete, insert
from sqlalchemy.exc import IntegrityError

WEBHOOK_SEEN = Table("webhook_seen", MetaData(), Column("key", String(200), primary_key=True),
                     Column("seen_at", Float, nullable=False))
KEEP_S = 7 * 24 * 3600


def first_time(key: str, *, url: str, now: float | None = None) -> bool:
    """Record ``key``; True when no replica recorded it before (old keys are forgotten)."""
    from stats.store import get_engine, init_db

    engine = init_db(url) if not _ready(url) else get_engine(url)
    stamp = time.time() if now is None else now
    try:
        with engine.begin() as conn:
            conn.execute(insert(WEBHOOK_SEEN).values(key=key[:200], seen_at=stamp))
            if int(stamp) % 97 == 0:  # now and then, forget keys past the retry horizon
                conn.execute(delete(WEBHOOK_SEEN).where(WEBHOOK_SEEN.c.seen_at < stamp - KEEP_S))
    except IntegrityError:
        return False
    return True


def _ready(url: str) -> bool:
    from stats.store import _READY

    return url in _READY
