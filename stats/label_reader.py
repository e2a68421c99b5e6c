"""The label reader, for any layout but the 2023 template (``labels`` in the catalogue):
"label: value" lines, prose cut into clauses, .docx table rows "label | value | value" and
PDF rows "label 145 12.340", read under the heading, caption or lead clause above them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stats.catalogue import NUMBER, Catalogue, LabelRule
from stats.parsed import ExtraFigure, Reading
from stats.report_lines import CELL_SPLIT, IS_ROW, MARKER, parse_number

_NOT_FIGURE_BEFORE = re.compile(r"(?:\bnam|\bthang|\bngay|\btuan(?: thu)?|\bmuc(?: do)?"
                                r"|\bde an|\blan thu|\bdot|\bquy|\bkhoan|\bdieu|\bso)\s*$")
_CELL_NUMBER = re.compile(rf"^\s*({NUMBER})\s*([a-z ]{{0,20}})\W*$")
_CLAUSE_CUT = re.compile(r",\s|;|\(|\)|\btrong do\b:?|\bbao gom\b:?|\bgom\b:?")
_UNIT_WORDS = (r"ho so|ho\b|hs\b|truong hop|luot nguoi|luot|tai khoan|tk\b|nguoi|ca nhan"
               r"|the\b|phieu|cong dan|co so|don vi|giay")
_FIGURE_NUM = re.compile(rf"(?<![\d/.,])({NUMBER})(?![\d/]|[.,]\d)(?:\s*({_UNIT_WORDS}))?")
_TRAILING_NUMBERS = re.compile(rf"(?:\s+(?:{NUMBER}|-|–))+\s*$")
_CUMULATIVE = re.compile(r"luy ke|tu dau nam|tinh den (?:nay|ngay)|tong so den nay")
_HEADER_WORDS = re.compile(r"noi dung|chi tieu|trong (?:tuan|ky)|luy ke|so luong|ket qua"
                           r"|ghi chu|don vi tinh|stt")
_SUB_ROW = re.compile(r"^\s*(?:[-+•*·]|trong do|trong đó|[a-d]\))", re.IGNORECASE)


@dataclass
class LabelContext:
    """What the label reader knows above the current line."""

    heading: str = ""          # last line without a figure (heading, caption, "…: ")
    header: list[str] = field(default_factory=list)  # column names of the current table
    table_lead: str = ""       # last top-level row label of the current table
    raw_lead: str = ""         # the same, as written
    raw_header: list[str] = field(default_factory=list)  # column names as written


def _figure_in(clause: str) -> tuple[int, int, str, int] | None:
    """(start, end, unit, end of unit) of the clause's figure: a number with a unit word,
    else one after a colon or closing the clause; None when the clause carries no figure
    (years, dates, "mức 2", "Đề án 06" are never figures)."""
    found = [m for m in _FIGURE_NUM.finditer(clause)
             if not _NOT_FIGURE_BEFORE.search(clause[:m.start()])
             or clause[:m.start()].rstrip().endswith(("tong so", "so luong"))]
    if not found:
        return None
    with_unit = [m for m in found if m.group(2)]
    if with_unit:
        m = with_unit[0]
        return m.start(1), m.end(1), m.group(2), m.end()
    for m in found:
        before = clause[:m.start()].rstrip()
        if before.endswith(":") or not clause[m.end():].strip(" .;:-"):
            return m.start(1), m.end(1), "", m.end(1)
    return None


def _rule_for(cat: Catalogue, clause: str, context: str, cumulative: bool) -> LabelRule | None:
    for rule in cat.labels:
        if not rule.label.search(clause):
            continue
        if rule.context is not None and not rule.context.search(context):
            continue
        if rule.unless is not None and rule.unless.search(clause):
            continue
        return rule
    return None


def _match(cat: Catalogue, out: Reading, clause: str, context: str, value: int) -> bool:
    """Put the clause's value under the code its label names; False when none does."""
    cumulative = bool(_CUMULATIVE.search(clause))
    rule = _rule_for(cat, clause, context + " > " + clause, cumulative)
    if rule is None:
        return False
    code = rule.cumulative if cumulative else rule.code
    if code is None:
        return False
    out.put(cat.get(code), value)
    return True


def labels(cat: Catalogue, line_no: int, line: str, fl: str, ctx: LabelContext,
            out: Reading) -> bool:
    """The label reader on one logical line; True when a figure on it stayed unread."""
    if IS_ROW.search(fl):
        return _table_row(cat, line_no, line, fl, ctx, out)
    marker = MARKER.match(fl)
    body = fl[marker.end():] if marker else fl
    offset = len(fl) - len(body)
    if _TRAILING_NUMBERS.search(body) and _pdf_row(cat, line_no, line, fl, ctx, out):
        return False
    ctx.header, ctx.table_lead = [], ""
    if _HEADER_WORDS.search(body) and _figure_in(body) is None:
        ctx.header, ctx.heading = _header_names(body), body
        return False
    pieces: list[tuple[int, int]] = []
    last = 0
    for m in _CLAUSE_CUT.finditer(body):
        pieces.append((last, m.start()))
        last = m.end()
    pieces.append((last, len(body)))
    lead = raw_lead = ""
    missed = False
    any_figure = False
    for n, (a, b) in enumerate(pieces):
        clause = body[a:b]
        fig = _figure_in(clause)
        if fig is None:
            if n == 0:
                lead, raw_lead = clause, line[offset + a:offset + b]
            continue
        any_figure = True
        fa, fb, unit, fu = fig
        value = parse_number(clause[fa:fb])
        label_f = (clause[:fa] + "#" + clause[fb:]).strip()
        if n == 0 or not lead:
            lead, raw_lead = clause[:fa], line[offset + a:offset + a + fa]
        context = f"{ctx.heading} > {body[:a]}"  # everything before on the line
        if not _match(cat, out, label_f, context, value):
            missed = True
            raw = line[offset + a:offset + b]
            label = _clean_label(raw[:fa] + raw[fu:])
            if n and raw_lead:
                label = f"{_clean_label(raw_lead)}, {label}"
            out.extras.append(ExtraFigure(label, value, unit, line_no,
                                          bool(_CUMULATIVE.search(label_f))))
    if not any_figure:
        ctx.heading = body
    return missed


def _clean_label(raw: str) -> str:
    label = " ".join(raw.replace(":", " ").split()).strip(" .,;:-+–")
    return re.sub(r"\s*\b(?:hồ sơ|trường hợp|lượt|tài khoản|thẻ|phiếu)\s*$", "", label,
                  flags=re.IGNORECASE).strip() or raw.strip()


def _header_names(fbody: str) -> list[str]:
    starts = [m.end() for m in re.finditer(r"\b(?:stt|noi dung|chi tieu)\b", fbody)]
    if starts and not IS_ROW.search(fbody):  # "Bảng 1. Kết quả … STT Nội dung Trong tuần"
        fbody = fbody[starts[-1]:]
    return [c.strip() for c in CELL_SPLIT.split(fbody)] if IS_ROW.search(fbody) else \
        re.findall(r"trong (?:tuan|ky)|luy ke[^|]*?(?=\s+(?:trong|luy|ghi|$))|luy ke|so luong"
                   r"|ket qua|ghi chu|tu dau nam", fbody)


def _table_row(cat: Catalogue, line_no: int, line: str, fl: str, ctx: LabelContext,
               out: Reading) -> bool:
    """A .docx table row "STT | label | value | value" (header row: the column names)."""
    cells = CELL_SPLIT.split(fl.strip())
    raw_cells = CELL_SPLIT.split(line.strip())
    if len(raw_cells) != len(cells):  # "|" inside a cell never comes from the reader
        raw_cells = cells
    label_i = next((i for i, c in enumerate(cells)
                    if re.search(r"[a-z]{2}", c) and not _CELL_NUMBER.match(c)), None)
    numeric = [(i, m) for i, c in enumerate(cells)
               if label_i is not None and i > label_i and (m := _CELL_NUMBER.match(c))]
    if not numeric or label_i is None:
        if _HEADER_WORDS.search(fl) and not numeric:
            ctx.header = [c.strip() for c in cells]
            ctx.raw_header = [c.strip() for c in raw_cells]
        elif label_i is not None:  # a group row without figures: its sub-rows follow
            ctx.table_lead, ctx.raw_lead = cells[label_i].strip(), raw_cells[label_i]
        return False
    label = cells[label_i].strip()
    sub = bool(_SUB_ROW.match(raw_cells[label_i])) or any(
        c.strip() in ("-", "+", "•", "–") for c in cells[:label_i])
    lead = ctx.table_lead if sub else ""
    if not sub:
        ctx.table_lead = label
    missed = False
    for i, m in numeric:
        column = ctx.header[i] if len(ctx.header) == len(cells) else ""
        if "ghi chu" in column:
            continue
        clause = f"{label} # {column}".strip()
        value = parse_number(m.group(1))
        if not _match(cat, out, clause, f"{ctx.heading} > {lead}", value):
            missed = True
            name = _clean_label(raw_cells[label_i])
            if sub and lead:
                name = f"{_clean_label(ctx.raw_lead)} – {name}"
            if column:
                name += f" ({_clean_label(ctx.raw_header[i])})"
            out.extras.append(ExtraFigure(name, value, m.group(2).strip(), line_no,
                                          bool(_CUMULATIVE.search(clause))))
    if not sub:
        ctx.raw_lead = raw_cells[label_i]
    return missed


def _pdf_row(cat: Catalogue, line_no: int, line: str, fl: str, ctx: LabelContext,
             out: Reading) -> bool:
    """A PDF table row: "2 Kích hoạt tài khoản định danh điện tử mức 2 310 9.876"."""
    tail = _TRAILING_NUMBERS.search(fl)
    if tail is None or not ctx.header:
        return False
    tokens = fl[tail.start():].split()
    cut = tail.start()
    # "… mức 2 389 41.260": the "2" belongs to the label ("mức 2", "nhóm 3", "năm 2026")
    while tokens and (len(tokens) > len(ctx.header) or _NOT_FIGURE_BEFORE.search(fl[:cut])):
        cut = fl.index(tokens[0], cut) + len(tokens[0])
        tokens = tokens[1:]
    marker = MARKER.match(fl)
    sub = bool(marker and marker.group(0).strip() in "-+•*·")
    start = marker.end() if sub and marker else 0
    label = re.sub(r"^\s*\d{1,2}\s+", "", fl[start:cut]).strip()
    if not label or not tokens:
        return False
    lead = ctx.table_lead if sub else ""
    if not sub:
        ctx.table_lead, ctx.raw_lead = label, re.sub(r"^\s*\d{1,2}\s+", "", line[:cut])
    columns = ctx.header[:len(tokens)]  # empty cells vanish from a PDF row: fill from left
    for n, token in enumerate(tokens):
        if token in ("-", "–"):
            continue
        column = columns[n]
        clause = f"{label} # {column}".strip()
        value = parse_number(token)
        if not _match(cat, out, clause, f"{ctx.heading} > {lead}", value):
            raw_label = re.sub(r"^\s*\d{1,2}\s+", "", line[start:cut]).strip()
            if sub and lead:
                raw_label = f"{_clean_label(ctx.raw_lead)} – {raw_label}"
            out.extras.append(ExtraFigure(
                raw_label + (f" ({column})" if column else ""), value, "", line_no,
                bool(_CUMULATIVE.search(clause))))
    return True


def extras(line_no: int, line: str, fl: str) -> list[ExtraFigure]:
    """Unknown figures of an unread template line, with their labels."""
    found = []
    marker = MARKER.match(fl)
    body_start = marker.end() if marker else 0
    fig = _figure_in(fl[body_start:])
    if fig is not None:
        fa, fb, unit, fu = fig
        raw = line[body_start:]
        found.append(ExtraFigure(_clean_label(raw[:fa] + raw[fu:]),
                                 parse_number(fl[body_start + fa:body_start + fb]), unit,
                                 line_no, bool(_CUMULATIVE.search(fl))))
    return found
