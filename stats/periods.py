"""Periods in officials' words: "tuần này", "tuần trước", "tuần 28", "từ 06/7 đến 12/7/2023".

Report weeks, as the reports define them. Weekly Đề án 06 reports run Thursday–Wednesday
("Từ ngày 19/11 đến ngày 25/11/2026"); the printed period *is* the report's week. The
numbering convention (configured, see :func:`week_convention`):

    **week N of year Y** is the 7-day report week ending on the configured last weekday
    (Wednesday by default) that falls in ISO week N of ISO year Y.

So "tuần 48/2026" is Thursday 19/11 – Wednesday 25/11/2026 (Wednesday 25/11 lies in ISO
week 48), "tuần 28/2023" is 06/7–12/7/2023, and "tuần 1/2024" is 28/12/2023–03/01/2024. A
report belongs to the week numbered by the ISO week of its printed last day
(:func:`week_of_report`): for a Thursday–Wednesday report that is exactly the week above;
a report printed Monday–Sunday keeps the number of the ISO week it covers. Range queries
select the reports whose last day falls inside the range, so a Thursday–Wednesday range
holds exactly its report week.

The last weekday comes from the settings attribute ``report_week_end`` ("wednesday" by
default; any English weekday name) when the settings object has it.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from stats.textnorm import fold, nfc, words_to_dates

_DM = r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{4}|\d{2}))?"
_RANGE = re.compile(rf"(?:tu\s+(?:ngay\s+)?)?{_DM}\s*(?:den|toi|-|->)\s*(?:ngay\s+)?{_DM}")
_ISO = r"(\d{4})-(\d{2})-(\d{2})"
_ISO_RANGE = re.compile(_ISO + r"\s*(?:den|toi|->|\.\.|to)\s*" + _ISO)
_WEEK_N = re.compile(r"\btuan\s*(?:thu\s*|so\s*)?(\d{1,2})(?:\s*(?:/|nam)\s*(\d{4}))?\b")
_MONTH = re.compile(r"\bthang\s*(\d{1,2})(?:\s*(?:/|nam)\s*(\d{4}))?\b")
_YEAR = re.compile(r"\bnam\s*(20\d\d)\b")
_DAY = re.compile(rf"\bngay\s*{_DM}")


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class WeekConvention:
    """How report weeks run and are numbered (see the module docstring)."""

    last_weekday: int = 2  # Monday = 0: Wednesday, so weeks run Thursday–Wednesday

    @property
    def first_weekday(self) -> int:
        return (self.last_weekday + 1) % 7


def week_convention() -> WeekConvention:
    """The configured convention (settings ``report_week_end``; Wednesday by default)."""
    from troly06.config import get_settings

    name = str(getattr(get_settings(), "report_week_end", "") or "wednesday").strip().lower()
    return WeekConvention(WEEKDAYS.index(name) if name in WEEKDAYS else 2)


@dataclass(frozen=True)
class ReportWeek:
    """One report week: its number in its year and its dates (first and last day)."""

    year: int
    number: int
    start: date
    end: date

    @property
    def label_vi(self) -> str:
        """"tuần 48/2026 (19/11–25/11/2026)"."""
        return (f"tuần {self.number}/{self.year} ({self.start.day:02d}/{self.start.month:02d}"
                f"–{self.end.day:02d}/{self.end.month:02d}/{self.end.year})")


def report_week(year: int, number: int, convention: WeekConvention | None = None
                ) -> tuple[date, date]:
    """(first day, last day) of report week ``number`` of ``year``.

    Raises ValueError when ``year`` has no such ISO week (week 53 of most years).
    """
    conv = convention or week_convention()
    end = date.fromisocalendar(year, number, conv.last_weekday + 1)
    return end - timedelta(days=6), end


def report_week_of(day: date, convention: WeekConvention | None = None) -> ReportWeek:
    """The report week containing ``day`` (Thursday 13/7/2023 -> 13/7–19/7, week 29)."""
    conv = convention or week_convention()
    end = day + timedelta(days=(conv.last_weekday - day.weekday()) % 7)
    year, number, _ = end.isocalendar()
    return ReportWeek(year, number, end - timedelta(days=6), end)


def week_of_report(period_start: date, period_end: date) -> ReportWeek:
    """The week a report printed ``period_start``–``period_end`` belongs to.

    Its number is the ISO week of the printed last day; its dates are the printed period.
    """
    year, number, _ = period_end.isocalendar()
    return ReportWeek(year, number, period_start, period_end)


def iso_week_range(year: int, week: int) -> tuple[date, date]:
    """Monday and Sunday of ISO ``week`` of ``year``."""
    monday = date.fromisocalendar(year, week, 1)
    return monday, monday + timedelta(days=6)


def week_of(day: date) -> tuple[date, date]:
    """Monday–Sunday range of the ISO week containing ``day``."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _year(tok: str | None, default: int) -> int:
    if not tok:
        return default
    value = int(tok)
    return value + 2000 if value < 100 else value


def parse_period(text: str, today: date) -> tuple[date, date] | None:
    """Period named in ``text`` relative to ``today``, or None when it names none.

    Weeks are report weeks (module docstring): "tuần 48/2026" is 19/11–25/11/2026.
    Understands, with or without diacritics: "tuần này", "tuần trước", "tuần sau",
    "tuần 28", "tuần 28/2023", "từ 06/7 đến 12/7/2023", "2023-07-06 đến 2023-07-12",
    "tháng 7", "tháng 7/2023", "tháng này", "tháng trước", "năm 2023", "ngày 12/7/2023",
    "hôm nay".
    """
    t = words_to_dates(" ".join(fold(nfc(text)).split()))
    m = _ISO_RANGE.search(t)
    if m:
        y1, m1, d1, y2, m2, d2 = (int(g) for g in m.groups())
        try:
            return date(y1, m1, d1), date(y2, m2, d2)
        except ValueError:
            return None
    m = _RANGE.search(t)
    if m:
        sd1, sm1, sy1, sd2, sm2, sy2 = m.groups()
        end_year = _year(sy2, _year(sy1, today.year))
        start_year = _year(sy1, end_year - 1 if int(sm1) > int(sm2) else end_year)
        try:
            start = date(start_year, int(sm1), int(sd1))
            end = date(end_year, int(sm2), int(sd2))
        except ValueError:
            return None
        return (start, end) if start <= end else None
    if re.search(r"\btuan\s*(?:nay|hien tai)\b", t):
        w = report_week_of(today)
        return w.start, w.end
    if re.search(r"\btuan\s*(?:truoc|roi|vua qua|qua)\b", t):
        w = report_week_of(today - timedelta(days=7))
        return w.start, w.end
    if re.search(r"\btuan\s*(?:sau|toi)\b", t):
        w = report_week_of(today + timedelta(days=7))
        return w.start, w.end
    m = _WEEK_N.search(t)
    if m:
        week, year = int(m.group(1)), _year(m.group(2), today.year)
        try:
            return report_week(year, week)
        except ValueError:
            return None
    if re.search(r"\bthang\s*(?:nay|hien tai)\b", t):
        return date(today.year, today.month, 1), date(
            today.year, today.month, monthrange(today.year, today.month)[1])
    if re.search(r"\bthang\s*(?:truoc|roi)\b", t):
        last = date(today.year, today.month, 1) - timedelta(days=1)
        return date(last.year, last.month, 1), last
    m = _MONTH.search(t)
    if m and 1 <= int(m.group(1)) <= 12:
        month = int(m.group(1))
        year = _year(m.group(2), today.year if month <= today.month else today.year - 1)
        return date(year, month, 1), date(year, month, monthrange(year, month)[1])
    m = _DAY.search(t)
    if m:
        d, mo, y = m.groups()
        try:
            day = date(_year(y, today.year), int(mo), int(d))
        except ValueError:
            return None
        return day, day
    if re.search(r"\bhom nay\b", t):
        return today, today
    m = _YEAR.search(t)
    if m:
        year = int(m.group(1))
        return date(year, 1, 1), date(year, 12, 31)
    return None
