"""Periods in officials' words: "tuần này", "tuần trước", "tuần 28", "từ 06/7 đến 12/7/2023".

A report belongs to the ISO week of its last day (the seed's 06/7–12/7/2023 report is
"tuần 28/2023", Monday 10/7 – Sunday 16/7). Range queries select the reports whose last
day falls inside the range.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, timedelta

from stats.parser import words_to_dates
from stats.textnorm import fold, nfc

_DM = r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{4}|\d{2}))?"
_RANGE = re.compile(rf"(?:tu\s+(?:ngay\s+)?)?{_DM}\s*(?:den|toi|-|->)\s*(?:ngay\s+)?{_DM}")
_ISO = r"(\d{4})-(\d{2})-(\d{2})"
_ISO_RANGE = re.compile(_ISO + r"\s*(?:den|toi|->|\.\.|to)\s*" + _ISO)
_WEEK_N = re.compile(r"\btuan\s*(?:thu\s*|so\s*)?(\d{1,2})(?:\s*(?:/|nam)\s*(\d{4}))?\b")
_MONTH = re.compile(r"\bthang\s*(\d{1,2})(?:\s*(?:/|nam)\s*(\d{4}))?\b")
_YEAR = re.compile(r"\bnam\s*(20\d\d)\b")
_DAY = re.compile(rf"\bngay\s*{_DM}")


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
        return week_of(today)
    if re.search(r"\btuan\s*(?:truoc|roi|vua qua|qua)\b", t):
        return week_of(today - timedelta(days=7))
    if re.search(r"\btuan\s*(?:sau|toi)\b", t):
        return week_of(today + timedelta(days=7))
    m = _WEEK_N.search(t)
    if m:
        week, year = int(m.group(1)), _year(m.group(2), today.year)
        try:
            return iso_week_range(year, week)
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
