"""Warnings an ingest adds by comparing a report with the locality's previous one: a lũy kế
figure that went down, a weekly figure implausibly far from last week's."""

from __future__ import annotations

from sqlalchemy import Connection

from stats.catalogue import load_catalogue
from stats.parsed import ParsedReport, Warning_
from stats.report_sql import Q_PREV_VALUES

# A weekly figure at least JUMP_RATIO times (or at most 1/JUMP_RATIO of) the previous week's,
# by at least JUMP_MIN_CHANGE, is flagged as implausible (it is still stored).
JUMP_RATIO = 5
JUMP_MIN_CHANGE = 100


def jump_warnings(conn: Connection, locality_id: int, parsed: ParsedReport) -> list:
    """Flag weekly figures implausibly far from the previous report's (typing errors: an
    extra digit, a cumulative figure typed as the week's)."""
    cat = load_catalogue()
    codes = [c for c in parsed.figures if cat.get(c).kind == "weekly"]
    if not codes:
        return []
    values: dict[str, int] = dict(conn.execute(Q_PREV_VALUES, {
        "lid": locality_id, "start": parsed.period_start, "codes": codes}).all())
    out = []
    for code in codes:
        before, now = values.get(code), parsed.figures[code]
        if before is None or abs(now - before) < JUMP_MIN_CHANGE:
            continue
        if now >= JUMP_RATIO * max(before, 1) or now * JUMP_RATIO <= before:
            out.append(Warning_(
                "implausible_jump",
                f"{cat.get(code).label_vi} ({code}) thay đổi bất thường so với kỳ trước: "
                f"{before} → {now}. Đề nghị kiểm tra lại số liệu."))
    return out


def cumulative_warnings(conn: Connection, locality_id: int, parsed: ParsedReport) -> list:
    """Warn when a lũy kế figure went down compared with the previous week's report."""
    cat = load_catalogue()
    codes = [c for c in parsed.figures if cat.get(c).kind == "cumulative"]
    if not codes:
        return []
    values: dict[str, int] = dict(conn.execute(Q_PREV_VALUES, {
        "lid": locality_id, "start": parsed.period_start, "codes": codes}).all())
    return [Warning_("cumulative_decreased",
                     f"{cat.get(c).label_vi} ({c}) giảm từ {values[c]} (kỳ trước) xuống "
                     f"{parsed.figures[c]}.")
            for c in codes if c in values and parsed.figures[c] < values[c]]
