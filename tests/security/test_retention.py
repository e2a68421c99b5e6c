"""Retention (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15): tracker events and feedback older
than ``TROLY06_RETENTION_DAYS`` are deleted by ``troly06 privacy purge``; newer ones stay."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

from troly06.config import settings_env
from troly06.feedback import list_feedback, record_feedback
from troly06.retention import purge, tracker_url

DAY = 86400


def test_old_trackers_and_feedback_are_purged_and_recent_ones_kept(tmp_path: Path) -> None:
    app_url = f"sqlite:///{tmp_path / 'app.db'}"
    tracker_db = tmp_path / "tracker.db"
    with settings_env({"DATABASE_URL": app_url, "RASA_TRACKER_DB": str(tracker_db),
                       "TRACKER_DATABASE_URL": "", "TROLY06_DATA_DIR": str(tmp_path / "var")}
                      ) as settings:
        # Rasa's SQL tracker store table (the columns the purge reads), one old, one new event,
        # where the tracker store keeps it (with DATABASE_URL set: the same database)
        tracker = create_engine(tracker_url(settings))
        now = time.time()
        with tracker.begin() as conn:
            conn.execute(text("CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, "
                              "type_name TEXT, timestamp REAL, data TEXT)"))
            for sender, age in (("old-user", 100), ("new-user", 1)):
                conn.execute(text("INSERT INTO events (sender_id, type_name, timestamp, data) "
                                  "VALUES (:s, 'user', :t, '{}')"), {"s": sender,
                                                                      "t": now - age * DAY})
        old = record_feedback("old-user", "down", question="câu hỏi cũ", url=app_url)
        record_feedback("new-user", "up", question="câu hỏi mới", url=app_url)
        with create_engine(app_url).begin() as conn:
            conn.execute(text("UPDATE feedback SET created_at = :t WHERE id = :i"),
                         {"t": datetime.now(UTC) - timedelta(days=100), "i": old})

        removed = purge(settings, days=settings.retention_days, now=now)

        assert settings.retention_days == 90
        assert removed["events"] == 1 and removed["feedback"] == 1
        with tracker.connect() as conn:
            left = [r[0] for r in conn.execute(text("SELECT sender_id FROM events"))]
        assert left == ["new-user"]
        assert [f.question for f in list_feedback(url=app_url)] == ["câu hỏi mới"]
        tracker.dispose()
