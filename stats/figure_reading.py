"""One pass over the logical lines of a report's results part: the template reader inside
its sections, the label reader elsewhere; figures nobody read are kept, never dropped."""

from __future__ import annotations

import re

from stats.catalogue import Catalogue
from stats.label_reader import LabelContext, extras, labels
from stats.parsed import Reading, UnreadLine
from stats.report_lines import CELL_SPLIT, FIGURE_LIKE, IS_ROW, MARKER
from stats.template_reader import grouped, template
from stats.textnorm import fold

_LETTER = re.compile(r"^\s*[a-d]\s*[.)]\s")


def read_figures(cat: Catalogue, lines: list[tuple[int, str, str]], *, force: bool) -> Reading:
    """One pass over the logical lines: the template reader inside its sections, the label
    reader elsewhere; lines with a figure nobody read go to ``unread`` (and their figures
    to ``extras``)."""
    by_section = grouped(cat)
    out = Reading()
    in_results = force
    section: str | None = None
    ctx = LabelContext()
    for line_no, line, fl in lines:
        if len(fl) > 5000:  # pathological line (padding, binary junk): never a figure line
            continue
        if MARKER.match(fl) or fl[:1].isdigit() or fl[:5] == "phan " or _LETTER.match(fl):
            if cat.results_part.match(fl):
                in_results, section, out.saw_results = True, None, True
                ctx.heading = fl
                continue
            heading = next((sid for sid, rx in cat.sections if rx.match(fl)), None)
            if heading and not force:
                in_results, section = True, heading
                if heading not in out.sections:
                    out.sections.append(heading)
            elif cat.other_part.match(fl) and not force:
                in_results, section = False, None
                continue
        if not in_results:
            continue
        consumed: list[tuple[int, int]] = []
        if section is not None and IS_ROW.search(fl):  # a row reads as "label: value"
            cells = [c for c in CELL_SPLIT.split(line) if c]
            line = ": ".join(cells) if len(cells) == 2 else " ".join(cells)
            fl = fold(line)
        if section is not None:
            consumed = template(by_section.get(section, ()), fl, out)
        if consumed:
            marker = MARKER.match(fl)
            for fm in FIGURE_LIKE.finditer(fl, marker.end() if marker else 0):
                if fm.group(0).strip() and not _overlaps(fm.span(), consumed):
                    out.unread.append(UnreadLine(line_no, line, section))
                    break
            continue
        if section is None:
            missed = labels(cat, line_no, line, fl, ctx, out)
        else:  # inside a template section the template alone reads (2023 parses unchanged)
            marker = MARKER.match(fl)
            missed = any(fm.group(0).strip()
                         for fm in FIGURE_LIKE.finditer(fl, marker.end() if marker else 0))
            if missed:
                out.extras.extend(extras(line_no, line, fl))
        if missed:
            out.unread.append(UnreadLine(line_no, line, section))
    return out


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in spans)
