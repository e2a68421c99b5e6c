"""What :func:`stats.ingest.ingest_report` did with one file."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from stats.parsed import ExtraFigure, Warning_


@dataclass
class IngestResult:
    """What :func:`ingest_report` did with one file."""

    status: str  # "ingested" | "replaced" | "duplicate" (same bytes, or same figures again)
    report_id: int
    version: int
    source_name: str
    locality: str
    level: str
    province: str | None
    period_start: date
    period_end: date
    figures: dict[str, int] = field(default_factory=dict)
    warnings: list[Warning_] = field(default_factory=list)
    unread: list = field(default_factory=list)
    superseded_report_id: int | None = None
    duplicate_of: str | None = None
    extra_figures: list[ExtraFigure] = field(default_factory=list)
    unit_code: str = ""
    current_province: str | None = None

    @property
    def iso_week(self) -> int:
        """Report week number (the ISO week of its printed last day, see stats.periods)."""
        return self.period_end.isocalendar()[1]

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {
            "status": self.status, "report_id": self.report_id, "version": self.version,
            "source_name": self.source_name, "locality": self.locality, "level": self.level,
            "province": self.province, "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(), "iso_week": self.iso_week,
            "figures": dict(self.figures), "warnings": [asdict(w) for w in self.warnings],
            "unread": [asdict(u) for u in self.unread],
            "superseded_report_id": self.superseded_report_id,
            "duplicate_of": self.duplicate_of,
            "extra_figures": [asdict(x) for x in self.extra_figures],
            "unit_code": self.unit_code, "current_province": self.current_province,
            "report_week": self.iso_week, "report_year": self.period_end.isocalendar()[0],
        }
