"""The period of a weekly report ("Từ ngày 06/7 đến ngày 12/7/2023"), its year inferred
when the document does not print it."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from stats.errors import rejected
from stats.textnorm import words_to_dates

_DM = r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{4}|\d{2}))?"
_PERIOD = re.compile(rf"tu\s+(?:ngay\s+)?{_DM}\s*(?:den|toi|-)\s*(?:het\s+)?(?:ngay\s+)?{_DM}")
_YEARS = re.compile(r"(?:nam|/|\.)\s*(20\d\d)(?!\d)")


def find_period(folded: str, today: date | None) -> tuple[date, date, bool]:
    """(start, end, year inferred) of the folded text's period; raises ``no_period``."""
    m = _PERIOD.search(folded) or _PERIOD.search(words_to_dates(folded[:200_000]))
    if not m:
        raise rejected(
            "no_period",
            "Không tìm thấy kỳ báo cáo (ví dụ: “Từ ngày 06/7 đến ngày 12/7/2023”).",
            "No report period found (e.g. 'Từ ngày 06/7 đến ngày 12/7/2023').",
        )
    d1, m1, y1, d2, m2, y2 = m.groups()
    inferred = False

    def year(tok: str | None) -> int | None:
        if tok is None:
            return None
        value = int(tok)
        return value + 2000 if value < 100 else value

    y_end = year(y2) or year(y1)
    if y_end is None:
        years = Counter(int(y) for y in _YEARS.findall(folded))
        if years:
            y_end = years.most_common(1)[0][0]
        else:
            ref = today or date.today()
            y_end = ref.year
            if (int(m2), int(d2)) > (ref.month, ref.day):
                y_end -= 1
        inferred = True
    y_start = year(y1)
    if y_start is None:
        y_start = y_end - 1 if int(m1) > int(m2) else y_end
    try:
        start = date(y_start, int(m1), int(d1))
        end = date(y_end, int(m2), int(d2))
    except ValueError as exc:
        raise rejected("no_period", f"Kỳ báo cáo không hợp lệ: {m.group(0)}.",
                       f"Invalid report period: {m.group(0)} ({exc}).") from exc
    if end < start or (end - start).days > 31:
        raise rejected("no_period", "Kỳ báo cáo không hợp lệ (ngày kết thúc trước ngày bắt đầu"
                       " hoặc dài hơn một tháng).",
                       "Invalid report period (end before start or longer than a month).")
    return start, end, inferred
