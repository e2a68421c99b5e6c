"""SQLAlchemy 2 models of the statistics store (tables prefixed ``stats_``).

Kept small on purpose: localities, report versions and their figures. No message text,
no user data (feedback and audit live elsewhere).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import cast

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with a stable naming convention (Alembic-friendly)."""

    metadata = MetaData(naming_convention=NAMING)


class Locality(Base):
    """A reporting unit: a legacy district (huyện, thị xã, thành phố thuộc tỉnh, quận) before
    1/7/2025, a commune (xã, phường, đặc khu) of the 34 provinces since. ``province`` is its
    province in its own structure ("Hậu Giang" for a 2023 district), ``current_province``
    today's ("Cần Thơ"); ``code``/``structure`` come from :mod:`stats.units`."""

    __tablename__ = "stats_localities"
    __table_args__ = (UniqueConstraint("key", "level", "province",
                                       name="uq_stats_localities_key_level_province"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(120), index=True)  # "nga bay"
    name: Mapped[str] = mapped_column(String(120))  # "Ngã Bảy"
    level: Mapped[str] = mapped_column(String(20))  # "thành phố"
    province: Mapped[str | None] = mapped_column(String(120), nullable=True, index=True)
    aliases: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of folded names
    code: Mapped[str | None] = mapped_column(String(16), nullable=True)  # dataset code
    structure: Mapped[str | None] = mapped_column(String(10), nullable=True)  # legacy | 2025
    current_province: Mapped[str | None] = mapped_column(String(120), nullable=True,
                                                          index=True)

    reports: Mapped[list[Report]] = relationship(back_populates="locality")

    @property
    def display(self) -> str:
        """Name with level: "thành phố Ngã Bảy"."""
        return f"{self.level} {self.name}"


class Report(Base):
    """One ingested version of a weekly report."""

    __tablename__ = "stats_reports"
    __table_args__ = (
        Index("ix_stats_reports_locality_end", "locality_id", "superseded", "period_end"),
        Index("ix_stats_reports_week", "locality_id", "iso_year", "iso_week"),
        Index("uq_stats_reports_current", "locality_id", "iso_year", "iso_week", unique=True,
              sqlite_where=text("superseded = 0"), postgresql_where=text("superseded = false")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    locality_id: Mapped[int] = mapped_column(ForeignKey("stats_localities.id"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date, index=True)
    iso_year: Mapped[int] = mapped_column(Integer)
    iso_week: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source_name: Mapped[str] = mapped_column(String(255))
    fmt: Mapped[str] = mapped_column(String(8))
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)
    warnings: Mapped[str] = mapped_column(Text, default="[]")  # JSON
    unread: Mapped[str] = mapped_column(Text, default="[]")  # JSON
    uploaded_by: Mapped[str | None] = mapped_column(String(80), nullable=True)

    locality: Mapped[Locality] = relationship(back_populates="reports")
    figures: Mapped[list[Figure]] = relationship(back_populates="report",
                                                 cascade="all, delete-orphan")
    extra_figures: Mapped[list[ExtraFigure]] = relationship(back_populates="report",
                                                            cascade="all, delete-orphan")


class ReportEvent(Base):
    """Audit trail: who ingested, replaced or reverted which report version."""

    __tablename__ = "stats_report_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(20))
    report_id: Mapped[int] = mapped_column(Integer)
    previous_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Figure(Base):
    """One figure of one report version."""

    __tablename__ = "stats_figures"
    __table_args__ = (UniqueConstraint("report_id", "code", name="uq_stats_figures_report_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("stats_reports.id", ondelete="CASCADE"),
                                           index=True)
    code: Mapped[str] = mapped_column(String(80), index=True)
    value: Mapped[int] = mapped_column(BigInteger)

    report: Mapped[Report] = relationship(back_populates="figures")


class ExtraFigure(Base):
    """A figure of one report version that the catalogue has no code for, with its label."""

    __tablename__ = "stats_extra_figures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("stats_reports.id", ondelete="CASCADE"),
                                           index=True)
    label: Mapped[str] = mapped_column(String(255))
    value: Mapped[int] = mapped_column(BigInteger)
    unit: Mapped[str] = mapped_column(String(40))
    cumulative: Mapped[bool] = mapped_column(Boolean, default=False)
    line_no: Mapped[int] = mapped_column(Integer)

    report: Mapped[Report] = relationship(back_populates="extra_figures")


#: Core tables (typed) for the write path of stats.store.
LOCALITIES: Table = cast(Table, Locality.__table__)
REPORTS: Table = cast(Table, Report.__table__)
FIGURES: Table = cast(Table, Figure.__table__)
REPORT_EVENTS: Table = cast(Table, ReportEvent.__table__)
EXTRA_FIGURES: Table = cast(Table, ExtraFigure.__table__)
