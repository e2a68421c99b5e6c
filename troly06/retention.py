"""Retention: conversation trackers and feedback are kept ``TROLY06_RETENTION_DAYS`` (90).

Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15 (in force 1/1/2026) asks that personal data be kept
no longer than its purpose needs. Messages are masked before they are stored, but a
conversation can still say who someone is; so events older than the period are deleted
(``troly06 privacy purge``, meant for a daily cron / CronJob). Weekly report figures are not
personal data and are kept. See docs/security.md.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, inspect, text

from troly06.config import Settings


def tracker_url(settings: Settings) -> str:
    """The URL of Rasa's tracker store, resolved as ``PiiSafeSQLTrackerStore`` does."""
    url = (os.environ.get("TRACKER_DATABASE_URL", "").strip()
           or settings.database_url.strip())
    if url:
        return url
    db = os.environ.get("RASA_TRACKER_DB", "").strip() or "var/rasa_tracker.db"
    path = Path(db) if Path(db).is_absolute() else Path(__file__).resolve().parent.parent / db
    return f"sqlite:///{path}"


def purge(settings: Settings, *, days: int, now: float | None = None) -> dict[str, int]:
    """Delete tracker events, feedback, closed handoff conversations and chat turns older
    than ``days``; rows removed per table."""
    current = time.time() if now is None else now
    cutoff = current - days * 86400
    removed: dict[str, int] = {}
    engine = create_engine(tracker_url(settings))
    try:
        if inspect(engine).has_table("events"):
            with engine.begin() as conn:
                removed["events"] = conn.execute(
                    text("DELETE FROM events WHERE timestamp < :cutoff"),
                    {"cutoff": cutoff}).rowcount or 0
        else:
            removed["events"] = 0
    finally:
        engine.dispose()
    from troly06.feedback import Feedback, get_engine

    fb_engine = get_engine(settings.sqlalchemy_url)
    limit = datetime.fromtimestamp(current, UTC) - timedelta(days=days)
    with fb_engine.begin() as conn:
        table = Feedback.__table__
        removed["feedback"] = conn.execute(
            table.delete().where(  # type: ignore[attr-defined]
                Feedback.created_at < limit)).rowcount or 0
    # closed handoff conversations, their messages and the chat turns (handoff/retention.py)
    from handoff.retention import purge_before

    removed.update(purge_before(settings.sqlalchemy_url, limit))
    return removed
