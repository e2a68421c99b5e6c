"""The results statistics queries return (:mod:`stats.queries`) and replies word
(:mod:`stats.formatting`): plain dataclasses, JSON-ready, with no database or wording."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class ReportRef:
    """The report a figure comes from (cited in answers)."""

    report_id: int
    locality: str
    source_name: str
    period_start: date
    period_end: date
    version: int

    @property
    def iso_week(self) -> int:
        """ISO week of the report (week of its last day)."""
        return self.period_end.isocalendar()[1]

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"report_id": self.report_id, "locality": self.locality,
                "source_name": self.source_name, "period_start": self.period_start.isoformat(),
                "period_end": self.period_end.isoformat(), "iso_week": self.iso_week,
                "version": self.version}


@dataclass
class FiguresResult:
    """Figures of one locality (or a province total) over a period."""

    locality: str
    level: str | None
    province: str | None
    period_start: date
    period_end: date
    figures: dict[str, int] = field(default_factory=dict)
    progress: dict[str, dict] = field(default_factory=dict)
    reports: list[ReportRef] = field(default_factory=list)
    latest_available: ReportRef | None = None
    localities: list[str] = field(default_factory=list)  # province totals: contributors

    @property
    def locality_display(self) -> str:
        """"thành phố Ngã Bảy", "tỉnh Hậu Giang"."""
        return f"{self.level} {self.locality}" if self.level else self.locality

    def to_dict(self) -> dict:
        """``{"locality", "period_start", "period_end", "figures"}`` plus details."""
        return {
            "locality": self.locality,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "figures": dict(self.figures),
            "level": self.level,
            "province": self.province,
            "progress": {k: dict(v) for k, v in self.progress.items()},
            "reports": [r.to_dict() for r in self.reports],
            "latest_available": self.latest_available.to_dict()
            if self.latest_available else None,
            "localities": list(self.localities),
        }


@dataclass
class Comparison:
    """Two periods of one locality and the change of each common figure."""

    current: FiguresResult
    previous: FiguresResult
    changes: dict[str, dict] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"current": self.current.to_dict(), "previous": self.previous.to_dict(),
                "changes": {k: dict(v) for k, v in self.changes.items()}}


@dataclass(frozen=True)
class TrendPoint:
    """One week of an indicator's trend."""

    period_start: date
    period_end: date
    value: float
    source_name: str

    @property
    def label(self) -> str:
        """Axis label: "T28/2023"."""
        year, week, _ = self.period_end.isocalendar()
        return f"T{week}/{year}"


@dataclass(frozen=True)
class RankRow:
    """One locality in a ranking."""

    rank: int
    locality: str
    level: str
    province: str | None
    value: float
    is_percent: bool = False

    @property
    def locality_display(self) -> str:
        """"thành phố Ngã Bảy"."""
        return f"{self.level} {self.locality}"

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"rank": self.rank, "locality": self.locality, "level": self.level,
                "province": self.province, "value": self.value, "is_percent": self.is_percent}
