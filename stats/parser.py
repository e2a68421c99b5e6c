"""Pure parser of the weekly Đề án 06 district report (format of seed 001).

``parse_report(text, source_name)`` returns a :class:`ParsedReport`: locality (name, level,
province), period, every figure of the catalogue found, the lines that look like figures
but matched no indicator (``unread``, never silently dropped) and consistency warnings.
It raises :class:`stats.errors.ReportRejected` for empty text, a document that is not a
weekly report, or one without period or locality. No I/O, no database.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from stats.catalogue import NUMBER, Catalogue, Indicator, load_catalogue
from stats.errors import rejected
from stats.textnorm import fold, locality_key, nfc

LEVELS = {"thanh pho": "thành phố", "tp": "thành phố", "thi xa": "thị xã", "tx": "thị xã",
          "huyen": "huyện", "quan": "quận"}

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]", re.IGNORECASE)
_MARKER = re.compile(r"^\s*(?:[+\-•*·.]|\d+\s*[.):/-]\s|[ivxl]+\s*[.):/-]\s)", re.IGNORECASE)
_DM = r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{4}|\d{2}))?"
_PERIOD = re.compile(rf"tu\s+(?:ngay\s+)?{_DM}\s*(?:den|toi|-)\s*(?:het\s+)?(?:ngay\s+)?{_DM}")
_WORD_DATE = re.compile(r"(\d{1,2})\s+thang\s+(\d{1,2})(?:\s*(?:,\s*)?nam\s+(\d{4}))?")
_YEARS = re.compile(r"(?:nam|/|\.)\s*(20\d\d)(?!\d)")
_LEVEL_NAME = r"(thanh pho|tp\.?|thi xa|tx\.?|huyen|quan)\s+([a-z][a-z ]{1,40}?)\s*"
_LOCALITY_STRICT = re.compile(
    r"(?:ubnd|uy ban nhan dan|to cong tac[^.\n]{0,90}?|cong an|ban chi dao[^.\n]{0,60}?)\s+"
    + _LEVEL_NAME + r"(?=bao cao|kinh bao|xin bao cao)")
_LOCALITY_LOOSE = re.compile(r"(?:ubnd|uy ban nhan dan)\s+" + _LEVEL_NAME
                             + r"(?=tran trong|,|\.|:|\n)")
_PROVINCE = re.compile(r"(?:tinh|ubnd tinh|thanh pho truc thuoc trung uong)\s+([a-z]+ [a-z]+)")
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
class ParsedReport:
    """Structured result of parsing one weekly report."""

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
            sections_found=list(data.get("sections_found") or []))

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
        }


def parse_number(token: str) -> int:
    """Vietnamese count to int: "1.421" -> 1421, "00" -> 0, "2,088" -> 2088."""
    return int(_NUM_SEP.sub("", token))


@dataclass(frozen=True)
class KnownLocality:
    """A locality from ``stats/localities.yaml``."""

    name: str
    level: str
    province: str
    key: str = ""


@lru_cache
def known_localities() -> tuple[KnownLocality, ...]:
    """The gazetteer of known localities (``stats/localities.yaml``)."""
    data = yaml.safe_load(Path(__file__).with_name("localities.yaml").read_text("utf-8"))
    return tuple(
        KnownLocality(nfc(item["name"]), nfc(item["level"]), nfc(province),
                      locality_key(item["name"]))
        for province, items in data["provinces"].items()
        for item in items
    )


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
        if groups:
            prev_last = groups[-1][1][-1]
            first = line[0]
            continuation = first.islower() or first in ",;)" or (
                first.isdigit() and not _MARKER.match(line))
            if wrapped and not continuation:
                continuation = (prev_last[-1] not in ".:;!?)" and not _MARKER.match(line)
                                and not heading)
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


def words_to_dates(folded: str) -> str:
    """"06 thang 7 nam 2023" -> "06/7/2023" (folded text; used only to find periods)."""
    return _WORD_DATE.sub(lambda m: f"{m.group(1)}/{m.group(2)}"
                          + (f"/{m.group(3)}" if m.group(3) else ""), folded)


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


def _find_locality(text: str, folded: str) -> tuple[str, str, str | None]:
    head = folded[:20000]
    m = _LOCALITY_STRICT.search(head) or _LOCALITY_LOOSE.search(head)
    province = None
    pm = _PROVINCE.search(head)
    if pm:
        province = nfc(text[pm.start(1):pm.end(1)]).strip()
    if m:
        level = LEVELS[m.group(1).rstrip(".")]
        key = locality_key(m.group(2))
        for known in known_localities():
            if known.key == key and known.level == level:
                return known.name, known.level, known.province
        name = " ".join(w[:1].upper() + w[1:] for w in text[m.start(2):m.end(2)].split())
        return nfc(name), level, _title(province)
    # Fallback: a known locality named with its level anywhere in the head of the text.
    for known in known_localities():
        pattern = rf"(?:{'|'.join(k for k, v in LEVELS.items() if v == known.level)})\.?\s+" \
                  rf"{re.escape(known.key)}\b"
        if re.search(pattern, head):
            return known.name, known.level, known.province
    raise rejected(
        "no_locality",
        "Không xác định được địa bàn báo cáo (ví dụ: “UBND thành phố Ngã Bảy báo cáo…”).",
        "No reporting locality found (e.g. 'UBND thành phố Ngã Bảy báo cáo…').",
    )


def _title(name: str | None) -> str | None:
    if not name:
        return None
    return " ".join(w[:1].upper() + w[1:] for w in name.split())


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
    locality, level, province = _find_locality(text, folded)

    by_section = _grouped(cat)

    figures: dict[str, int] = {}
    warnings: list[Warning_] = []
    unread: list[UnreadLine] = []
    seen_sections: list[str] = []
    in_results = False
    section: str | None = None
    for line_no, line, fl in _logical_lines(text, folded, wrapped):
        if len(fl) > 5000:  # pathological line (padding, binary junk): never a figure line
            continue
        if _MARKER.match(fl) or fl[:1].isdigit():
            if cat.results_part.match(fl):
                in_results, section = True, None
                continue
            heading = next((sid for sid, rx in cat.sections if rx.match(fl)), None)
            if heading:
                in_results, section = True, heading
                if heading not in seen_sections:
                    seen_sections.append(heading)
            elif cat.other_part.match(fl):
                in_results, section = False, None
                continue
        if not in_results:
            continue
        consumed: list[tuple[int, int]] = []
        segs = _segments(fl)
        for line_rx, group in by_section.get(section or "", ()):
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
                    value = parse_number(m.group(g))
                    consumed.append((lo + m.start(1), lo + m.end(m.lastindex or 1)))
                    if ind.code in figures and figures[ind.code] != value:
                        warnings.append(Warning_(
                            "conflicting_value",
                            f"{ind.label_vi} ({ind.code}) xuất hiện hai lần với giá trị "
                            f"khác nhau: {figures[ind.code]} và {value}; giữ giá trị đầu."))
                    figures.setdefault(ind.code, value)
                    break
        marker = _MARKER.match(fl)
        body_start = marker.end() if marker else 0
        for fm in _FIGURE_LIKE.finditer(fl, body_start):
            if fm.group(0).strip() and not _overlaps(fm.span(), consumed):
                unread.append(UnreadLine(line_no, line, section))
                break

    if year_inferred:
        warnings.insert(0, Warning_("year_inferred",
                                    f"Kỳ báo cáo không ghi năm; đã suy ra năm {end.year}."))
    for sid, _rx in cat.sections:
        if sid not in seen_sections:
            warnings.append(Warning_("missing_section",
                                     f"Không thấy mục “{cat.section_titles.get(sid, sid)}”."))
    warnings.extend(_checks(cat, figures))
    ordered = {code: figures[code] for code in cat.codes() if code in figures}
    return ParsedReport(source_name=source_name, locality=locality, level=level,
                        province=province, period_start=start, period_end=end,
                        figures=ordered, unread=unread, warnings=warnings,
                        sections_found=seen_sections)
