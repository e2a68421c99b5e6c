"""Reverting a report: the version before it becomes current again (audit-logged)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select, update

from stats.database import get_engine, migrated_url
from stats.errors import rejected
from stats.models import REPORT_EVENTS, REPORTS
from stats.report_sql import U_LOCK_LOCALITY, U_SUPERSEDE


def revert_report(report_id: int, *, actor: str = "cli", url: str | None = None) -> int:
    """Make the version before ``report_id`` current again; returns that version's id.

    ``report_id`` must be the current version of its locality-week and have a predecessor.
    Raises :class:`stats.errors.ReportRejected` otherwise. Recorded in the audit trail.
    """
    url = migrated_url(url)
    with get_engine(url).begin() as conn:
        row = conn.execute(select(REPORTS).where(REPORTS.c.id == report_id)).first()
        if row is not None:  # take turns with uploads of the locality, then read again
            conn.execute(U_LOCK_LOCALITY, {"lid": row.locality_id})
            row = conn.execute(select(REPORTS).where(REPORTS.c.id == report_id)).first()
        if row is None or row.superseded:
            raise rejected("not_current", f"Báo cáo {report_id} không phải bản đang dùng.",
                           f"Report {report_id} is not a current version.")
        # the version just before it (never a later one: reverting a revert is no "redo")
        prev = conn.execute(select(REPORTS).where(
            REPORTS.c.locality_id == row.locality_id, REPORTS.c.iso_year == row.iso_year,
            REPORTS.c.iso_week == row.iso_week, REPORTS.c.version < row.version
        ).order_by(REPORTS.c.version.desc())).first()
        if prev is None:
            raise rejected("no_previous", "Không có bản trước để khôi phục.",
                           f"Report {report_id} has no previous version.")
        conn.execute(U_SUPERSEDE, {"rid": row.id})
        conn.execute(update(REPORTS).where(REPORTS.c.id == prev.id).values(superseded=False))
        conn.execute(insert(REPORT_EVENTS).values(
            at=datetime.now(UTC), actor=actor[:80], action="reverted", report_id=prev.id,
            previous_id=row.id))
    return int(prev.id)
