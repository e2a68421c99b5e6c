"""Statements of the write path (ingest, revert), built once: the hot path only binds
values."""

from __future__ import annotations

from sqlalchemy import bindparam, insert, select, update

from stats.models import FIGURES, LOCALITIES, REPORTS

Q_DUP = select(REPORTS.c.id).where(REPORTS.c.sha256 == bindparam("sha"))
Q_LOC = select(LOCALITIES.c.id, LOCALITIES.c.name, LOCALITIES.c.level, LOCALITIES.c.province,
                LOCALITIES.c.code, LOCALITIES.c.current_province).where(
    LOCALITIES.c.key == bindparam("key"), LOCALITIES.c.level == bindparam("level"))
Q_VERSIONS = (select(REPORTS.c.id, REPORTS.c.version, REPORTS.c.superseded)
               .where(REPORTS.c.locality_id == bindparam("lid"),
                      REPORTS.c.iso_year == bindparam("year"),
                      REPORTS.c.iso_week == bindparam("week"))
               .order_by(REPORTS.c.version.desc()))
Q_PREV_VALUES = select(FIGURES.c.code, FIGURES.c.value).where(
    FIGURES.c.report_id == (
        select(REPORTS.c.id).where(REPORTS.c.locality_id == bindparam("lid"),
                                   REPORTS.c.superseded.is_(False),
                                   REPORTS.c.period_end < bindparam("start"))
        .order_by(REPORTS.c.period_end.desc()).limit(1).scalar_subquery()),
    FIGURES.c.code.in_(bindparam("codes", expanding=True)))
Q_CURRENT = select(REPORTS.c.period_start, REPORTS.c.period_end, REPORTS.c.source_name).where(
    REPORTS.c.id == bindparam("rid"))
Q_FIGURES = select(FIGURES.c.code, FIGURES.c.value).where(FIGURES.c.report_id == bindparam("rid"))
U_SUPERSEDE = update(REPORTS).where(REPORTS.c.id == bindparam("rid")).values(superseded=True)
# A no-op write on the locality row: its row lock (PostgreSQL) or the write lock (SQLite) is
# held until commit, so uploads of one locality take turns and each reads the versions the
# previous one committed.
U_LOCK_LOCALITY = (update(LOCALITIES).where(LOCALITIES.c.id == bindparam("lid"))
                    .values(name=LOCALITIES.c.name))
I_REPORT = insert(REPORTS)
