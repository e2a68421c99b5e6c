"""What parsing a weekly report produces: the :class:`ParsedReport` with its warnings,
unread lines and figures without a code, and the :class:`Reading` the readers fill in."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from stats.catalogue import Indicator
from stats.periods import ReportWeek, week_of_report


@dataclass
class Warning_:
    """A consistency warning about a parsed report."""

    code: str
    message: str


@dataclass
class UnreadLine:
    """A line that looks like it carries a figure but matched no indicator."""

    line_no: int
    text: str
    section: str | None


@dataclass
class ExtraFigure:
    """A figure the catalogue has no code for, kept with its label (and stored)."""

    label: str
    value: int
    unit: str
    line_no: int
    cumulative: bool = False


@dataclass
class ParsedReport:
    """Structured result of parsing one weekly report.

    ``locality``/``level``/``province``: the reporting unit in the structure valid at the
    report's date ("Tân An", "phường", "Cần Thơ"; "Ngã Bảy", "thành phố", "Hậu Giang" for
    2023). ``unit_code``/``structure``: its dataset code and structure ("legacy", "2025";
    empty when the dataset lacks it), ``current_province`` the province it belongs to today.
    """

    source_name: str
    locality: str
    level: str
    province: str | None
    period_start: date
    period_end: date
    figures: dict[str, int]
    unread: list[UnreadLine] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    sections_found: list[str] = field(default_factory=list)
    extra_figures: list[ExtraFigure] = field(default_factory=list)
    unit_code: str = ""
    structure: str = ""
    current_province: str | None = None

    @property
    def week(self) -> ReportWeek:
        """The report week: its number (ISO week of the printed last day) and the printed
        dates (:func:`stats.periods.week_of_report`)."""
        return week_of_report(self.period_start, self.period_end)

    @property
    def iso_year(self) -> int:
        """ISO year of the report week (week of the period's last day)."""
        return self.period_end.isocalendar()[0]

    @property
    def iso_week(self) -> int:
        """ISO week number of the report (week of the period's last day)."""
        return self.period_end.isocalendar()[1]

    @property
    def locality_display(self) -> str:
        """Locality with its level, e.g. "thành phố Ngã Bảy"."""
        return f"{self.level} {self.locality}"

    @classmethod
    def from_dict(cls, data: dict) -> ParsedReport:
        """Inverse of :meth:`to_dict` (the sandboxed parser sends reports as JSON)."""
        return cls(
            source_name=str(data["source_name"]), locality=str(data["locality"]),
            level=str(data["level"]), province=data.get("province"),
            period_start=date.fromisoformat(data["period_start"]),
            period_end=date.fromisoformat(data["period_end"]),
            figures={str(k): int(v) for k, v in data["figures"].items()},
            unread=[UnreadLine(**u) for u in data.get("unread") or []],
            warnings=[Warning_(**w) for w in data.get("warnings") or []],
            sections_found=list(data.get("sections_found") or []),
            extra_figures=[ExtraFigure(**x) for x in data.get("extra_figures") or []],
            unit_code=str(data.get("unit_code") or ""),
            structure=str(data.get("structure") or ""),
            current_province=data.get("current_province"))

    def to_dict(self) -> dict:
        """JSON-ready form (dates as ISO strings)."""
        return {
            "source_name": self.source_name,
            "locality": self.locality,
            "level": self.level,
            "province": self.province,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "iso_year": self.iso_year,
            "iso_week": self.iso_week,
            "figures": dict(self.figures),
            "unread": [asdict(u) for u in self.unread],
            "warnings": [asdict(w) for w in self.warnings],
            "sections_found": list(self.sections_found),
            "extra_figures": [asdict(x) for x in self.extra_figures],
            "unit_code": self.unit_code,
            "structure": self.structure,
            "current_province": self.current_province,
            "report_week": self.week.number,
            "report_year": self.week.year,
        }


@dataclass
class Reading:
    """What one pass of the readers found: figures by code, warnings, unread lines, figures
    without a code and the template sections seen."""

    figures: dict[str, int] = field(default_factory=dict)
    warnings: list[Warning_] = field(default_factory=list)
    unread: list[UnreadLine] = field(default_factory=list)
    extras: list[ExtraFigure] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    saw_results: bool = False

    def put(self, ind: Indicator, value: int) -> None:
        if ind.code in self.figures and self.figures[ind.code] != value:
            self.warnings.append(Warning_(
                "conflicting_value",
                f"{ind.label_vi} ({ind.code}) xuất hiện hai lần với giá trị khác nhau: "
                f"{self.figures[ind.code]} và {value}; giữ giá trị đầu."))
        self.figures.setdefault(ind.code, value)
