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
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date

from stats import units as admin
from stats.catalogue import NUMBER, Catalogue, Indicator, LabelRule, load_catalogue
from stats.errors import ReportRejected, rejected
from stats.periods import ReportWeek, week_of_report
from stats.textnorm import fold, nfc, words_to_dates

LEVELS = {"thanh pho": "thành phố", "tp": "thành phố", "thi xa": "thị xã", "tx": "thị xã",
          "huyen": "huyện", "quan": "quận", "phuong": "phường", "xa": "xã",
          "dac khu": "đặc khu", "thi tran": "thị trấn", "tinh": "tỉnh"}

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]", re.IGNORECASE)
_MARKER = re.compile(r"^\s*(?:[+\-•*·.]|\d+\s*[.):/-]\s|\d{1,2}(?:\.\d{1,2})+\.\s"
                     r"|[ivxl]+\s*[.):/-]\s|[a-dđ]\s*\)\s)", re.IGNORECASE)
_DM = r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{4}|\d{2}))?"
_PERIOD = re.compile(rf"tu\s+(?:ngay\s+)?{_DM}\s*(?:den|toi|-)\s*(?:het\s+)?(?:ngay\s+)?{_DM}")
_YEARS = re.compile(r"(?:nam|/|\.)\s*(20\d\d)(?!\d)")
_LEVEL_WORD = (r"(thanh pho|tp\.?|thi xa|tx\.?|thi tran|dac khu|huyen|quan|phuong|xa|tinh)"
               r"\s+")
_MENTION = re.compile(_LEVEL_WORD + r"([a-z0-9][a-z0-9 \-]{0,60})")
_ISSUER = re.compile(r"(?:ubnd|uy ban nhan dan|cong an|dang uy|hdnd|to cong tac|ban chi dao"
                     r"|to trien khai)[^.\n]{0,90}$")
_REPORTS_AFTER = re.compile(r"\s*(?:bao cao|kinh bao|xin bao cao|tong hop bao cao)")
_TIER_RANK = {"ward": 0, "district": 1, "province": 2}
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_IS_REPORT = re.compile(r"de an\s*(?:so\s*)?06|de an phat trien ung dung du lieu")
_REPORT_WORDS = re.compile(r"bao cao|ket qua (?:trien khai|thuc hien)")
# A number that reads as a figure: followed by a unit word, or alone after a colon.
_FIGURE_LIKE = re.compile(
    rf"(?<![\d/.,])(?:{NUMBER})(?:\s*/\s*(?:{NUMBER}))?"
    r"(?=\s*(?:ho so|ho\b|hs\b|truong hop|luot|tai khoan|nguoi|ca nhan|don vi|tk\b))"
    rf"|(?<=:)\s*(?:{NUMBER})(?:\s*/\s*(?:{NUMBER}))?\s*(?=[.;,]|$)"
)
_ONLINE_SPLIT = re.compile(r"trong do\W*(?:tiep nhan\s+)?(?:tren|qua)\s+cong")
_SPACES = re.compile(r"[ \t\u00a0]+")
_NUM_SEP = re.compile(r"[.,\s]")
_HEADING = re.compile(r"^\s*(?:[IVX]+|\d+)\s*[.)]\s")
_LETTER = re.compile(r"^\s*[a-d]\s*[.)]\s")
_NOT_FIGURE_BEFORE = re.compile(r"(?:\bnam|\bthang|\bngay|\btuan(?: thu)?|\bmuc(?: do)?"
                                r"|\bde an|\blan thu|\bdot|\bquy|\bkhoan|\bdieu|\bso)\s*$")
# label reader
_TABLE_SEP = " | "
_IS_ROW = re.compile(r"(?:^|\s)\|(?:\s|$)")
_CELL_SPLIT = re.compile(r"\s*\|\s*")
_ROW_NO = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*|[ivx]{1,4}|[a-d])\s*[.)]?\s*$")
_STT_ROW = re.compile(r"^\d{1,2}\s+(?=[A-ZĐÀ-Ỹ])")  # a PDF table row "2 Kích hoạt … 310"
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


def parse_number(token: str) -> int:
    """Vietnamese count to int: "1.421" -> 1421, "00" -> 0, "2,088" -> 2088."""
    return int(_NUM_SEP.sub("", token))


def _logical_lines(text: str, folded: str, wrapped: bool) -> list[tuple[int, str, str]]:
    """Join physical lines into logical ones: (first line number, original, folded).

    Linear in the text: continuation lines are collected in lists and joined once (string
    concatenation in the loop made a long run of continuations quadratic).
    """
    groups: list[tuple[int, list[str], list[str]]] = []
    heading = False  # the current logical line looks like a heading (_looks_heading)
    for no, (raw, fraw) in enumerate(zip(text.split("\n"), folded.split("\n"), strict=True),
                                     start=1):
        line = raw.strip()
        if not line:
            continue
        fline = fraw.strip()
        if "  " in line or "\t" in line:
            line, fline = _SPACES.sub(" ", line), _SPACES.sub(" ", fline)
        if groups and not _IS_ROW.search(line) and not _IS_ROW.search(groups[-1][1][-1]):
            prev_last = groups[-1][1][-1]
            first = line[0]
            continuation = not _MARKER.match(line) and (
                first.islower() or first in ",;)"
                or (first.isdigit() and not (wrapped and _STT_ROW.match(line))))
            if wrapped and not continuation:
                continuation = (prev_last[-1] not in ".:;!?)" and not _MARKER.match(line)
                                and not heading and not _STT_ROW.match(line)
                                and not _STT_ROW.match(groups[-1][1][0]))  # after a row
            if continuation:
                groups[-1][1].append(line)
                groups[-1][2].append(fline)
                heading = heading and line.upper() == line
                continue
        groups.append((no, [line], [fline]))
        heading = _looks_heading(line)
    return [(no, " ".join(parts), " ".join(fparts)) for no, parts, fparts in groups]


def _looks_heading(line: str) -> bool:
    return bool(_HEADING.match(line)) and line.upper() == line


def _find_period(folded: str, today: date | None) -> tuple[date, date, bool]:
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


@dataclass
class _Mention:
    """A level word and a name in the head of the report ("UBND phường Tân An")."""

    pos: int
    level: str
    name: str          # folded, as far as the dataset knows it ("tan an")
    raw_name: str      # the words after the level word, up to the end of the line
    units: list[admin.AdminUnit]
    strict: bool       # followed by "báo cáo"
    issuer: bool       # after "UBND", "Công an", "Ban Chỉ đạo"… on the same line

    @property
    def tier(self) -> int:
        return min((_TIER_RANK[u.tier] for u in self.units), default=3)


def _mentions(folded: str) -> list[_Mention]:
    head = folded[:4000]  # the header and the opening paragraph
    out: list[_Mention] = []
    for m in re.finditer(r"(?<![a-z])(?=" + _MENTION.pattern + ")", head):
        mm = _MENTION.match(head, m.start())
        if mm is None:
            continue
        level = LEVELS[mm.group(1).rstrip(".")]
        words = mm.group(2).split()
        if level == "xã" and words[:1] == ["hoi"]:  # "xã hội", never a commune named Hội
            continue
        if level == "xã" and head[max(0, mm.start() - 4):mm.start()] == "thi ":  # "thị xã"
            continue
        found: list[admin.AdminUnit] = []
        name = ""
        for n in range(min(len(words), 7), 0, -1):
            units = admin.units_by_key(_NON_ALNUM.sub("", "".join(words[:n])))
            units = [u for u in units if (u.level == level or (
                level == "tỉnh" and u.tier == "province")) and (
                u.tier == "province" or (u.tier == "district") == (u.structure == "legacy"))]
            if units:
                found, name = units, " ".join(words[:n])
                break
        after = mm.start(2) + len(name) if name else mm.end()
        line_start = head.rfind("\n", 0, mm.start()) + 1
        issuer = bool(_ISSUER.search(head[max(line_start, mm.start() - 120):mm.start()]))
        if not issuer and line_start > 0:  # "ỦY BAN NHÂN DÂN\nPHƯỜNG TÂN AN" (two lines)
            prev_start = head.rfind("\n", 0, line_start - 1) + 1
            issuer = bool(re.fullmatch(r"\s*(?:ubnd|uy ban nhan dan|cong an)\s*",
                                       head[prev_start:line_start - 1]))
            issuer = issuer and head[line_start:mm.start()].strip() == ""
        out.append(_Mention(mm.start(), level, name, mm.group(2), found,
                            bool(_REPORTS_AFTER.match(head, after)), issuer))
    return out


def _ambiguous(candidates: tuple[admin.AdminUnit, ...], said: str) -> ReportRejected:
    names = "; ".join(u.full for u in candidates[:8])
    exc = rejected(
        "ambiguous_locality",
        f"Không xác định được đơn vị báo cáo “{said}”: có thể là {names}. Vui lòng ghi rõ "
        "tỉnh/thành phố ở phần đầu báo cáo.",
        f"Ambiguous reporting unit {said!r}: {names}; name the province in the header.")
    exc.candidates = [u.to_dict() for u in candidates]
    return exc


@dataclass
class _Locality:
    name: str
    level: str
    province: str | None
    unit: admin.AdminUnit | None
    warnings: list[Warning_]


def _find_locality(text: str, folded: str, on: date) -> _Locality:
    """The reporting unit: the one the report says "báo cáo", else the issuer in its header
    (the lowest tier: a ward under its city), settled by the province it names."""
    mentions = _mentions(folded)
    known = [m for m in mentions if m.units]
    reporter = (
        next((m for m in known if m.strict and m.tier < 2), None)
        or min((m for m in known if m.issuer and m.tier < 2), key=lambda m: (m.tier, m.pos),
               default=None)
        or next((m for m in known if m.pos < 400 and m.tier < 2), None)
        or next((m for m in known if m.strict), None))
    if reporter is None:
        loose = next((m for m in mentions if m.issuer and not m.units and m.level != "tỉnh"
                      and _REPORTS_AFTER.search(m.raw_name[:60])), None)
        if loose is not None:
            return _unknown_unit(text, folded, loose, mentions)
        raise rejected(
            "no_locality",
            "Không xác định được địa bàn báo cáo (ví dụ: “UBND phường Tân An báo cáo…”).",
            "No reporting locality found (e.g. 'UBND phường Tân An báo cáo…').",
        )
    hints = [u for m in known if m is not reporter for u in m.units if u.tier == "province"]
    start = reporter.pos + folded[reporter.pos:].index(reporter.name, len(reporter.level))
    said = f"{reporter.level} {text[start:start + len(reporter.name)]}"  # as written
    res = admin.resolve_locality(said, on=on, reporting=True)
    if res.status == "ambiguous":
        for hint in dict.fromkeys(h.name for h in hints):
            narrowed = admin.resolve_locality(said, on=on, reporting=True, province_hint=hint)
            if narrowed.status == "resolved":
                res = narrowed
                break
    if res.status == "ambiguous":
        raise _ambiguous(res.candidates, nfc(said))
    unit = res.unit
    assert unit is not None  # the mention had units
    warnings = []
    if unit.structure != admin.structure_on(on):
        warnings.append(Warning_(
            "unit_structure", f"{unit.full} thuộc cơ cấu đơn vị hành chính "
            f"{'trước' if unit.structure == 'legacy' else 'từ'} 01/7/2025, khác với kỳ báo "
            "cáo."))
    if unit.tier == "province":
        return _Locality(unit.name, "tỉnh", unit.name, unit, warnings)
    return _Locality(unit.name, unit.level, unit.province, unit, warnings)


def _unknown_unit(text: str, folded: str, m: _Mention, mentions: list[_Mention]) -> _Locality:
    """A unit the dataset lacks: its name as written, cut at the first function word."""
    words = []
    raw = text[m.pos:m.pos + 80].split("\n")[0]
    for word, fword in zip(raw.split()[len(m.level.split()):],
                           fold(raw).split()[len(m.level.split()):], strict=False):
        if fword in ("bao", "ve", "kinh", "xin", "tinh", "thanh", "nam", "tuan", "tu") \
                or not fword[:1].isalnum():
            break
        words.append(word.strip(",.:;"))
        if word[-1:] in ",.:;":
            break
    if not words:
        raise rejected("no_locality", "Không xác định được địa bàn báo cáo.",
                       "No reporting locality found.")
    name = " ".join(w[:1].upper() + w[1:].lower() for w in words[:4])
    province = next((u.name for x in mentions for u in x.units if u.tier == "province"), None)
    return _Locality(nfc(name), m.level, province, None, [Warning_(
        "unknown_unit", f"Đơn vị “{m.level} {name}” không có trong danh mục đơn vị hành chính "
        f"({admin.DATASET}); đã nhập theo tên ghi trong báo cáo.")])


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in spans)


def _segments(fl: str) -> dict[str, tuple[int, int]]:
    split = _ONLINE_SPLIT.search(fl)
    if split:
        return {"main": (0, split.start()), "online": (split.start(), len(fl)),
                "any": (0, len(fl))}
    return {"main": (0, len(fl)), "online": (0, 0), "any": (0, len(fl))}


def _checks(cat: Catalogue, figures: dict[str, int]) -> list[Warning_]:
    warns: list[Warning_] = []

    def label(code: str) -> str:
        return f"{cat.get(code).label_vi} ({code})"

    for check in cat.checks:
        kind = check["kind"]
        if kind == "sum":
            parts = check["parts"]
            if check["total"] in figures and all(p in figures for p in parts):
                total = figures[check["total"]]
                parts_sum = sum(figures[p] for p in parts)
                if total != parts_sum:
                    warns.append(Warning_("sum_mismatch",
                                          f"{label(check['total'])} = {total} nhưng tổng các "
                                          f"thành phần {', '.join(parts)} = {parts_sum}."))
        elif kind == "le":
            small = [s for s in check["small"] if s in figures]
            if small and check["large"] in figures:
                value = sum(figures[s] for s in small)
                if value > figures[check["large"]]:
                    warns.append(Warning_("exceeds_total",
                                          f"{' + '.join(small)} = {value} lớn hơn "
                                          f"{label(check['large'])} = {figures[check['large']]}."))
        elif kind == "remaining":
            codes = (check["escalated"], check["done"], check["target"])
            if all(c in figures for c in codes):
                esc, done, target = (figures[c] for c in codes)
                if esc != target - done:
                    warns.append(Warning_("remaining_mismatch",
                                          f"{label(codes[0])} = {esc} nhưng còn lại "
                                          f"{target} − {done} = {target - done}."))
    for ind in cat.indicators:
        if ind.part == "done" and ind.pair:
            target_code = f"{ind.pair}_target"
            if (ind.code in figures and target_code in figures
                    and figures[ind.code] > figures[target_code]):
                warns.append(Warning_("done_exceeds_target",
                                      f"{label(ind.code)} = {figures[ind.code]} lớn hơn chỉ "
                                      f"tiêu {figures[target_code]}."))
    return warns


_GROUPED: dict[int, tuple[Catalogue, dict]] = {}


def _grouped(cat: Catalogue) -> dict[str, list[tuple[re.Pattern[str], list[Indicator]]]]:
    """Indicators per section, grouped by their shared ``line`` regex (tested once a line)."""
    cached = _GROUPED.get(id(cat))
    if cached is not None and cached[0] is cat:
        return cached[1]
    out: dict[str, dict[str, tuple[re.Pattern[str], list[Indicator]]]] = {}
    for ind in cat.indicators:
        per = out.setdefault(ind.section, {})
        per.setdefault(ind.line.pattern, (ind.line, []))[1].append(ind)
    result = {sec: list(groups.values()) for sec, groups in out.items()}
    _GROUPED[id(cat)] = (cat, result)
    return result


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
    start, end, year_inferred = _find_period(folded, today)
    loc = _find_locality(text, folded, end)
    lines = _logical_lines(text, folded, wrapped)
    reading = _read(cat, lines, force=False)
    if not reading.figures and not reading.saw_results:
        reading = _read(cat, lines, force=True)  # no "Kết quả…" part: read every line
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
    warnings.extend(_checks(cat, reading.figures))
    ordered = {code: reading.figures[code] for code in cat.codes() if code in reading.figures}
    unit = loc.unit
    return ParsedReport(source_name=source_name, locality=loc.name, level=loc.level,
                        province=loc.province, period_start=start, period_end=end,
                        figures=ordered, unread=reading.unread, warnings=warnings,
                        sections_found=reading.sections, extra_figures=reading.extras,
                        unit_code=unit.code if unit else "",
                        structure=unit.structure if unit else "",
                        current_province=unit.current_province if unit else None)


@dataclass
class _Reading:
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


def _read(cat: Catalogue, lines: list[tuple[int, str, str]], *, force: bool) -> _Reading:
    """One pass over the logical lines: the template reader inside its sections, the label
    reader elsewhere; lines with a figure nobody read go to ``unread`` (and their figures
    to ``extras``)."""
    by_section = _grouped(cat)
    out = _Reading()
    in_results = force
    section: str | None = None
    ctx = _Context()
    for line_no, line, fl in lines:
        if len(fl) > 5000:  # pathological line (padding, binary junk): never a figure line
            continue
        if _MARKER.match(fl) or fl[:1].isdigit() or fl[:5] == "phan " or _LETTER.match(fl):
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
        if section is not None and _IS_ROW.search(fl):  # a row reads as "label: value"
            cells = [c for c in _CELL_SPLIT.split(line) if c]
            line = ": ".join(cells) if len(cells) == 2 else " ".join(cells)
            fl = fold(line)
        if section is not None:
            consumed = _template(by_section.get(section, ()), fl, out)
        if consumed:
            marker = _MARKER.match(fl)
            for fm in _FIGURE_LIKE.finditer(fl, marker.end() if marker else 0):
                if fm.group(0).strip() and not _overlaps(fm.span(), consumed):
                    out.unread.append(UnreadLine(line_no, line, section))
                    break
            continue
        if section is None:
            missed = _labels(cat, line_no, line, fl, ctx, out)
        else:  # inside a template section the template alone reads (2023 parses unchanged)
            marker = _MARKER.match(fl)
            missed = any(fm.group(0).strip()
                         for fm in _FIGURE_LIKE.finditer(fl, marker.end() if marker else 0))
            if missed:
                out.extras.extend(_extras(line_no, line, fl))
        if missed:
            out.unread.append(UnreadLine(line_no, line, section))
    return out


def _template(groups, fl: str, out: _Reading) -> list[tuple[int, int]]:  # noqa: ANN001
    """The seed-001 reader: per-section line regexes and value patterns."""
    consumed: list[tuple[int, int]] = []
    segs = _segments(fl)
    for line_rx, group in groups:
        if not line_rx.search(fl):
            continue
        for ind in group:
            lo, hi = segs[ind.segment]
            seg = fl[lo:hi]
            for pattern in ind.patterns:
                m = pattern.search(seg)
                if not m:
                    continue
                g = ind.group if m.lastindex and m.lastindex >= ind.group else 1
                consumed.append((lo + m.start(1), lo + m.end(m.lastindex or 1)))
                out.put(ind, parse_number(m.group(g)))
                break
    return consumed


@dataclass
class _Context:
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


def _match(cat: Catalogue, out: _Reading, clause: str, context: str, value: int) -> bool:
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


def _labels(cat: Catalogue, line_no: int, line: str, fl: str, ctx: _Context,
            out: _Reading) -> bool:
    """The label reader on one logical line; True when a figure on it stayed unread."""
    if _IS_ROW.search(fl):
        return _table_row(cat, line_no, line, fl, ctx, out)
    body = fl[_MARKER.match(fl).end():] if _MARKER.match(fl) else fl
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
    if starts and not _IS_ROW.search(fbody):  # "Bảng 1. Kết quả … STT Nội dung Trong tuần"
        fbody = fbody[starts[-1]:]
    return [c.strip() for c in _CELL_SPLIT.split(fbody)] if _IS_ROW.search(fbody) else \
        re.findall(r"trong (?:tuan|ky)|luy ke[^|]*?(?=\s+(?:trong|luy|ghi|$))|luy ke|so luong"
                   r"|ket qua|ghi chu|tu dau nam", fbody)


def _table_row(cat: Catalogue, line_no: int, line: str, fl: str, ctx: _Context,
               out: _Reading) -> bool:
    """A .docx table row "STT | label | value | value" (header row: the column names)."""
    cells = _CELL_SPLIT.split(fl.strip())
    raw_cells = _CELL_SPLIT.split(line.strip())
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


def _pdf_row(cat: Catalogue, line_no: int, line: str, fl: str, ctx: _Context,
             out: _Reading) -> bool:
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
    marker = _MARKER.match(fl)
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


def _extras(line_no: int, line: str, fl: str) -> list[ExtraFigure]:
    """Unknown figures of an unread template line, with their labels."""
    found = []
    body_start = _MARKER.match(fl).end() if _MARKER.match(fl) else 0
    fig = _figure_in(fl[body_start:])
    if fig is not None:
        fa, fb, unit, fu = fig
        raw = line[body_start:]
        found.append(ExtraFigure(_clean_label(raw[:fa] + raw[fu:]),
                                 parse_number(fl[body_start + fa:body_start + fb]), unit,
                                 line_no, bool(_CUMULATIVE.search(fl))))
    return found
