"""Webhook events seen before, remembered in the shared database (every API replica).

Zalo re-sends an event until it gets a 200, and a forged replay looks the same: the first
replica to insert the event's key handles it; any later copy, on any replica, is refused.
"""

from __future__ import annotations

import hashlib
import time

from sqlalchemy import Column, Float, MetaData, String, Table, delete, insert
from sqlalchemy.exc import IntegrityError

WEBHOOK_SEEN = Table("webhook_seen", MetaData(), Column("key", String(200), primary_key=True),
                     Column("seen_at", Float, nullable=False))
KEEP_S = 7 * 24 * 3600
MAX_KEY_CHARS = 200


def stored_key(key: str) -> str:
    """``key`` as it is stored: itself when it is storable text of at most 200 characters,
    else ``"sha256:"`` and the digest of its UTF-8 bytes.

    An event id is whatever the sender's JSON holds: a NUL character (PostgreSQL text refuses
    it) or a lone surrogate such as ``"\\ud800"`` (no UTF-8 encoding) made the insert fail, a
    500 instead of an answer; cutting long ids at 200 characters merged ids that share a prefix.
    """
    try:
        key.encode("utf-8")
        plain = len(key) <= MAX_KEY_CHARS and "\x00" not in key
    except UnicodeEncodeError:
        plain = False
    if plain:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def first_time(key: str, *, url: str, now: float | None = None) -> bool:
    """Record ``key``; True when no replica recorded it before (old keys are forgotten)."""
    from stats.database import get_engine, migrated_url

    engine = get_engine(migrated_url(url))
    stamp = time.time() if now is None else now
    try:
        with engine.begin() as conn:
            conn.execute(insert(WEBHOOK_SEEN).values(key=stored_key(key), seen_at=stamp))
            if int(stamp) % 97 == 0:  # now and then, forget keys past the retry horizon
                conn.execute(delete(WEBHOOK_SEEN).where(WEBHOOK_SEEN.c.seen_at < stamp - KEEP_S))
    except IntegrityError:
        return False
    return True

