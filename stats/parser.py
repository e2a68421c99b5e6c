"""Pure parser of weekly Đề án 06 reports: 2023 district reports and 2025–2026 commune ones.

``parse_report(text, source_name)`` returns a :class:`ParsedReport`: the reporting unit
(name, level, province, resolved against :mod:`stats.units` in the structure valid at the
report's date, with its dataset code and today's province), the period, every figure of the
catalogue found, the figures it could not name (``extra_figures``, kept with their label),
the lines that look like figures but matched no indicator (``unread``, never silently
dropped) and consistency warnings.

Two readers share one pass over the logical lines of the results part:

* the **template** reader (seed 001's numbered sections 1–7 of part II and their per-line
  patterns, ``indicators`` in ``stats/indicators.yaml``), which keeps 2023 reports parsing
  exactly as before;
* the **label** reader (``labels`` in the catalogue) for any other layout: "label: value"
  lines, prose cut into clauses ("…: 245 hồ sơ, trong đó cấp mới 120, cấp đổi 98"), table
  rows "label | value | value" from .docx tables and PDF rows "label 145 12.340", under a
  heading, a table caption or a lead clause that gives the context ("thẻ căn cước").

It raises :class:`stats.errors.ReportRejected` for empty text, a document that is not a
weekly report, one without period or locality, one whose locality is ambiguous
(``ambiguous_locality``, with the candidates) and one without any known figure
(``no_figures``). No I/O, no database.

The parts live in their own modules: :mod:`stats.report_lines` (logical lines),
:mod:`stats.report_period`, :mod:`stats.report_locality`, :mod:`stats.figure_reading` (the
pass, with :mod:`stats.template_reader` and :mod:`stats.label_reader`),
:mod:`stats.report_checks` and the results in :mod:`stats.parsed`.
"""

from __future__ import annotations

import re
from datetime import date

from stats.catalogue import Catalogue, load_catalogue
from stats.errors import rejected
from stats.figure_reading import read_figures
from stats.parsed import ExtraFigure, ParsedReport, UnreadLine, Warning_
from stats.report_checks import checks
from stats.report_lines import logical_lines, parse_number
from stats.report_locality import LEVELS, find_locality
from stats.report_period import find_period
from stats.textnorm import fold, nfc, words_to_dates

__all__ = ["LEVELS", "ExtraFigure", "ParsedReport", "UnreadLine", "Warning_", "parse_number",
           "parse_report", "words_to_dates"]

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]", re.IGNORECASE)
_IS_REPORT = re.compile(r"de an\s*(?:so\s*)?06|de an phat trien ung dung du lieu")
_REPORT_WORDS = re.compile(r"bao cao|ket qua (?:trien khai|thuc hien)")


def parse_report(text: str, source_name: str = "", *, today: date | None = None,
                 wrapped: bool = False, catalogue: Catalogue | None = None) -> ParsedReport:
    """Parse the text of one weekly report.

    ``wrapped`` is set by the PDF reader: physical lines may be wrapped paragraphs.
    ``today`` is used only to infer a missing year when the document carries none.
    Raises :class:`~stats.errors.ReportRejected` (codes ``empty``, ``not_report``,
    ``no_period``, ``no_locality``).
    """
    cat = catalogue or load_catalogue()
    text = nfc(_BOOKMARK.sub("", text.replace("\ufeff", "").replace("\r\n", "\n")
                             .replace("\r", "\n")))
    if not text.strip():
        raise rejected("empty", "Tệp rỗng, không có nội dung báo cáo.",
                       "The file is empty.")
    folded = fold(text)
    if not (_IS_REPORT.search(folded) and _REPORT_WORDS.search(folded)):
        raise rejected("not_report",
                       "Tài liệu không phải báo cáo kết quả thực hiện Đề án 06.",
                       "The document is not a Đề án 06 progress report.")
    start, end, year_inferred = find_period(folded, today)
    loc = find_locality(text, folded, end)
    lines = logical_lines(text, folded, wrapped)
    reading = read_figures(cat, lines, force=False)
    if not reading.figures and not reading.saw_results:
        reading = read_figures(cat, lines, force=True)  # no "Kết quả…" part: read every line
    if not reading.figures:
        raise rejected(
            "no_figures",
            "Không đọc được chỉ tiêu nào trong báo cáo nên chưa nhập gì (cơ sở dữ liệu không "
            "thay đổi). Bạn kiểm tra lại: số liệu cần ghi theo dạng “Tên chỉ tiêu: số lượng” "
            "hoặc trong bảng “Nội dung | Số lượng”.",
            "No known figure in the report; nothing was stored (the database is unchanged).")

    warnings = list(loc.warnings) + reading.warnings
    if year_inferred:
        warnings.insert(0, Warning_("year_inferred",
                                    f"Kỳ báo cáo không ghi năm; đã suy ra năm {end.year}."))
    if len(reading.sections) >= 3:  # the seed-001 template: say which sections are missing
        for sid, _rx in cat.sections:
            if sid not in reading.sections:
                warnings.append(Warning_(
                    "missing_section", f"Không thấy mục “{cat.section_titles.get(sid, sid)}”."))
    warnings.extend(checks(cat, reading.figures))
    ordered = {code: reading.figures[code] for code in cat.codes() if code in reading.figures}
    unit = loc.unit
    return ParsedReport(source_name=source_name, locality=loc.name, level=loc.level,
                        province=loc.province, period_start=start, period_end=end,
                        figures=ordered, unread=reading.unread, warnings=warnings,
                        sections_found=reading.sections, extra_figures=reading.extras,
                        unit_code=unit.code if unit else "",
                        structure=unit.structure if unit else "",
                        current_province=unit.current_province if unit else None)
