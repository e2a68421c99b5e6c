"""Export the current weekly figures as CSV or XLSX (``troly06 stats export``).

One row per figure of every current (not superseded) report in the range: the unit, its
level, its province then and today, the report's printed period, the indicator code, its
Vietnamese label and unit, and the value. Figures the catalogue has no code for are
exported too, with the label the report gave them. Rows are ordered by province, unit,
period and catalogue order, so two exports of the same data are identical.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from typing import Literal

from sqlalchemy import select

from stats.catalogue import load_catalogue
from stats.database import session_scope
from stats.models import ExtraFigure, Figure, Locality, Report
from stats.textnorm import locality_key

Format = Literal["csv", "xlsx"]
COLUMNS = ("tinh_hien_nay", "tinh_khi_bao_cao", "cap", "dia_ban", "ma_dia_ban", "tu_ngay",
           "den_ngay", "ma_chi_tieu", "chi_tieu", "don_vi", "gia_tri", "nguon")


def rows(start: date | None = None, end: date | None = None, *, province: str | None = None,
         url: str | None = None) -> Iterator[tuple]:
    """Every exported row (see the module docstring), ``province`` matching either the
    report-time or today's province."""
    cat = load_catalogue()
    order = {code: i for i, code in enumerate(cat.codes())}
    query = (select(Report, Locality).join(Locality, Report.locality_id == Locality.id)
             .where(Report.superseded.is_(False)))
    if start is not None:
        query = query.where(Report.period_end >= start)
    if end is not None:
        query = query.where(Report.period_end <= end)
    with session_scope(url) as session:
        found: list[tuple[Report, Locality]] = [(r, loc) for r, loc in session.execute(query)]
        if province:
            wanted = locality_key(province)
            found = [(r, loc) for r, loc in found
                     if wanted in (locality_key(loc.province or ""),
                                   locality_key(loc.current_province or ""))]
        ids = [r.id for r, _ in found]
        figures: dict[int, list[tuple[str, int]]] = {}
        for chunk in range(0, len(ids), 500):
            part = ids[chunk:chunk + 500]
            for fig in session.scalars(select(Figure).where(Figure.report_id.in_(part))):
                figures.setdefault(fig.report_id, []).append((fig.code, fig.value))
        extras: dict[int, list[tuple[str, int, str]]] = {}
        for chunk in range(0, len(ids), 500):
            part = ids[chunk:chunk + 500]
            for extra in session.scalars(select(ExtraFigure).where(
                    ExtraFigure.report_id.in_(part))):
                extras.setdefault(extra.report_id, []).append((extra.label, extra.value,
                                                               extra.unit))
    found.sort(key=lambda rl: (rl[1].current_province or rl[1].province or "", rl[1].name,
                               rl[0].period_end))
    for report, loc in found:
        base = (loc.current_province or loc.province or "", loc.province or "", loc.level,
                loc.name, loc.code or "", report.period_start.isoformat(),
                report.period_end.isoformat())
        for code, value in sorted(figures.get(report.id, []),
                                  key=lambda cv: order.get(cv[0], len(order))):
            ind = cat.by_code.get(code)
            yield (*base, code, ind.label_vi if ind else code, ind.unit if ind else "", value,
                   report.source_name)
        for label, value, unit in extras.get(report.id, []):
            yield (*base, "", label, unit, value, report.source_name)


def export(fmt: Format, start: date | None = None, end: date | None = None, *,
           province: str | None = None, url: str | None = None) -> bytes:
    """The export as bytes: UTF-8 CSV with a BOM (Excel opens it with diacritics) or XLSX."""
    data = rows(start, end, province=province, url=url)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(data)
        return ("\ufeff" + buf.getvalue()).encode("utf-8")
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("so_lieu")
        sheet.append(list(COLUMNS))
        for row in data:
            sheet.append(list(row))
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
    raise ValueError(f"unknown export format {fmt!r} (csv or xlsx)")
