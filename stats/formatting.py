"""Vietnamese formatting of statistics results (numbers, periods, short summaries).

The chat actions and the API reuse these functions so that every channel answers the same
way: numbers as "1.421", percentages as "12,5%", and the report the figures come from.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from stats.catalogue import load_catalogue, resolve_code
from stats.results import Comparison, FiguresResult, RankRow, TrendPoint
from troly06.wording import say

#: Figures shown in a short summary when the question names no indicator.
DEFAULT_SUMMARY_CODES = (
    "cccd_applications_total", "eid_accounts_issued", "permanent_residence_total",
    "temporary_residence_total", "stay_notifications_total", "cmnd9_updated",
)


def format_vn_number(n: float | int | None, decimals: int = 1) -> str:
    """Vietnamese number: 1421 -> "1.421", 12.5 -> "12,5", None -> "–"."""
    if n is None:
        return "–"
    if isinstance(n, float) and not n.is_integer():
        text = f"{n:,.{decimals}f}"
        return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return f"{int(n):,}".replace(",", ".")


def format_percent(p: float | None, decimals: int = 1) -> str:
    """Vietnamese percentage: 12.5 -> "12,5%", 100.0 -> "100%"."""
    if p is None:
        return "–"
    rounded = round(p, decimals)
    return f"{format_vn_number(float(rounded) if rounded % 1 else int(rounded), decimals)}%"


def format_date(d: date, with_year: bool = True) -> str:
    """"06/7/2023" (day zero-padded, month not, as in the reports)."""
    return f"{d.day:02d}/{d.month}/{d.year}" if with_year else f"{d.day:02d}/{d.month}"


def format_period(start: date, end: date) -> str:
    """"06/7–12/7/2023", or "28/12/2023–03/01/2024" across years, or one day."""
    if start == end:
        return format_date(start)
    if start.year == end.year:
        return f"{format_date(start, False)}–{format_date(end)}"
    return f"{format_date(start)}–{format_date(end)}"


def format_week(end: date) -> str:
    """"tuần 28/2023" for a report ending on ``end``."""
    year, week, _ = end.isocalendar()
    return f"tuần {week}/{year}"


def format_change(delta: float | None, pct: float | None) -> str:
    """"tăng 12 (+15,0%)", "giảm 3 (−5,2%)", "không đổi"."""
    if delta is None:
        return "không có số liệu để so sánh"
    if delta == 0:
        return "không đổi"
    word = "tăng" if delta > 0 else "giảm"
    text = f"{word} {format_vn_number(abs(delta))}"
    if pct is not None:
        sign = "+" if delta > 0 else "−"
        text += f" ({sign}{format_percent(abs(pct))})"
    return text


def _label(code: str) -> str:
    """Label of a code or of a progress pair ("Cập nhật CMND 9 số")."""
    cat = load_catalogue()
    if code in cat.by_code:
        return cat.get(code).label_vi
    return cat.get(f"{code}_done").label_vi.split(" – ")[0]


def _figure_line(result: FiguresResult, code: str) -> str | None:
    cat = load_catalogue()
    ind = cat.by_code.get(code)
    if ind is not None and ind.pair and ind.pair in result.progress:
        code = ind.pair  # "cmnd9_updated_done" -> the pair line "78/81 (96,3%)"
    if code in result.progress:
        prog = result.progress[code]
        label = cat.get(f"{code}_done").label_vi.split(" – ")[0]
        return (f"{label}: {format_vn_number(prog['done'])}/{format_vn_number(prog['target'])}"
                f" trường hợp ({format_percent(prog['percent'])})")
    if code in result.figures:
        ind = cat.get(code)
        suffix = " (lũy kế)" if ind.kind == "cumulative" and "lũy kế" not in ind.label_vi else ""
        return f"{ind.label_vi}{suffix}: {format_vn_number(result.figures[code])} {ind.unit}"
    return None


def sources_text(result: FiguresResult, *more: FiguresResult) -> str:
    """"Nguồn: <file> (báo cáo 06/7–12/7/2023)", one entry per report used."""
    reports = [r for res in (result, *more) for r in res.reports]
    parts = [f"{r.source_name} (báo cáo {format_period(r.period_start, r.period_end)}"
             f"{', bản sửa lần ' + str(r.version - 1) if r.version > 1 else ''})"
             for r in sorted(reports, key=lambda r: r.period_end, reverse=True)]
    return "Nguồn: " + "; ".join(parts) if parts else ""


def summarize_figures(result: FiguresResult, codes: Iterable[str] | None = None) -> str:
    """Short Vietnamese answer for a figures result, citing the report(s).

    When no report covers the period, says so and offers the latest week available.
    """
    period = format_period(result.period_start, result.period_end)
    if not result.reports:
        text = f"Chưa có báo cáo của {result.locality_display} cho kỳ {period}."
        if result.latest_available is not None:
            latest = result.latest_available
            text += (f" Báo cáo gần nhất là {format_week(latest.period_end)} "
                     f"({format_period(latest.period_start, latest.period_end)}); hãy hỏi "
                     f"“{format_week(latest.period_end)}” để xem số liệu.")
        return text
    wanted = [resolve_code(c) for c in codes] if codes else list(DEFAULT_SUMMARY_CODES)
    lines = list(dict.fromkeys(line for code in wanted if (line := _figure_line(result, code))))
    if not lines:
        lines = ["Báo cáo không có số liệu cho chỉ tiêu này."]
    if len(result.reports) == 1:
        only = result.reports[0]
        head = (f"Số liệu {result.locality_display}, {format_week(only.period_end)} "
                f"({format_period(only.period_start, only.period_end)}):")
    else:
        head = (f"Số liệu {result.locality_display}, kỳ {period} "
                f"({len(result.reports)} báo cáo tuần; số trong tuần cộng dồn, số lũy kế và "
                f"tiến độ lấy theo báo cáo mới nhất):")
    units = [say("stats.reported_by", n=len(result.localities),
                 names=", ".join(result.localities[:12])
                 + (say("stats.missing_more", n=len(result.localities) - 12)
                    if len(result.localities) > 12 else ""))] if result.localities else []
    return "\n".join([head, *("- " + line for line in lines), *units, sources_text(result)])


def _period_label(result: FiguresResult) -> str:
    """"tuần 28/2023 (06/7–12/7/2023)" for one report, else "kỳ 01/7–31/7/2023"."""
    if len(result.reports) == 1:
        only = result.reports[0]
        return (f"{format_week(only.period_end)} "
                f"({format_period(only.period_start, only.period_end)})")
    return f"kỳ {format_period(result.period_start, result.period_end)}"


def summarize_comparison(cmp: Comparison, codes: Iterable[str] | None = None) -> str:
    """Short Vietnamese week-over-week (or period-over-period) comparison."""
    cur, prev = cmp.current, cmp.previous
    head = (f"{cur.locality_display[:1].upper()}{cur.locality_display[1:]}: "
            f"{_period_label(cur)} so với {_period_label(prev)}:")
    if not cur.reports or not prev.reports:
        missing = cur if not cur.reports else prev
        return (f"Chưa đủ báo cáo để so sánh: không có báo cáo kỳ "
                f"{format_period(missing.period_start, missing.period_end)} của "
                f"{cur.locality_display}.")
    cat = load_catalogue()
    wanted = [resolve_code(c) for c in codes] if codes else list(DEFAULT_SUMMARY_CODES)
    lines = []
    for code in wanted:
        row = cmp.changes.get(code)
        if row is None:
            continue
        is_pair = code not in cat.by_code
        unit = "%" if is_pair else ""
        change = format_change(row["delta"], row["pct"])
        if is_pair and row["delta"]:
            change = change.replace(format_vn_number(abs(row["delta"])),
                                    format_vn_number(abs(row["delta"])) + " điểm %", 1)
        lines.append(f"- {_label(code)}: {format_vn_number(row['current'])}{unit} "
                     f"({change} so với {format_vn_number(row['previous'])}{unit})")
    if not lines:
        lines = ["- Không có chỉ tiêu chung để so sánh."]
    return "\n".join([head, *lines, sources_text(cur, prev)])


def summarize_rank(code: str, rows: list[RankRow], start: date, end: date) -> str:
    """Short Vietnamese ranking text."""
    label = _label(code)
    if not rows:
        return f"Chưa có báo cáo nào cho kỳ {format_period(start, end)}."
    lines = [f"Xếp hạng “{label}”, kỳ {format_period(start, end)}:"]
    for row in rows:
        value = format_percent(row.value) if row.is_percent else format_vn_number(row.value)
        lines.append(f"{row.rank}. {row.locality_display}: {value}")
    return "\n".join(lines)


def summarize_trend(place: str, label: str, points: list[TrendPoint]) -> str:
    """The last 8 weeks of an indicator, with the reports they come from."""
    if not points:
        return say("stats.trend_empty", place=place, label=label)
    last = points[-8:]
    series = ", ".join(f"{p.label}: {format_vn_number(p.value)}" for p in last)
    return say("stats.trend", place=place, label=label, n=len(points), series=series,
               sources="; ".join(sorted({p.source_name for p in last})))


def summarize_missing(province: str, period: tuple[date, date], expected: int,
                      missing: list[str], shown: int = 30) -> str:
    """Which units of a province sent no report for the week."""
    when = format_period(period[0], period[1])
    if not missing:
        return say("stats.missing_none", province=province, period=when, n=expected)
    names = ", ".join(missing[:shown]) + (say("stats.missing_more", n=len(missing) - shown)
                                          if len(missing) > shown else "")
    return say("stats.missing", province=province, period=when, n=len(missing),
               total=expected, names=names)
