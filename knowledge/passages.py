"""Split report texts (``knowledge/reports/*.txt``) into citable passages.

Each passage keeps the report title, locality, date and the section heading it sits under,
so "Cần Thơ đã làm được gì năm 2022?" can find it and the answer can cite it. Metadata
comes from ``knowledge/reports/reports.yaml`` when the report is listed there, otherwise it
is guessed from the text (first "thành phố/tỉnh X", last date-like phrase of the opening).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

METADATA_FILE = "reports.yaml"
TARGET_CHARS = 700
MAX_CHARS = 1000
MIN_CHARS = 120

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_MARKUP = re.compile(r"[*_#`]+")
_ROMAN_HEADING = re.compile(r"^\s*(?:[IVX]{1,5}|Phụ lục [IVX\d]+)[.\s]", re.IGNORECASE)
_NUM_HEADING = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2}){0,3}\.?\s+\S")
_LOCALITY = re.compile(
    r"\b(thành phố|tỉnh|huyện|quận|thị xã)\s+((?:[A-ZĐ][\wÀ-ỹ]*)(?:\s+[A-ZĐ][\wÀ-ỹ]*){0,2})")
_YEAR = re.compile(r"\b(20\d\d)\b")
# Signature blocks and distribution lists carry no content worth citing.
_BOILERPLATE = re.compile(r"^(nơi nhận|tm\.|kt\.|t/m|chủ tịch|phó chủ tịch|giám đốc|"
                          r"người ký|lưu:|số:)", re.IGNORECASE)
MIN_PASSAGE_CHARS = 100


@dataclass(frozen=True)
class Passage:
    """One indexed chunk of a report."""

    id: str          # "report:<file stem>#<n>"
    report: str      # file name
    title: str       # report title
    locality: str
    date: str
    section: str
    text: str

    @property
    def ref(self) -> str:
        """Citation: report file and section."""
        where = f", mục “{self.section}”" if self.section else ""
        return f"knowledge/reports/{self.report}{where}"

    def index_text(self) -> str:
        """What gets embedded / matched: metadata line then the passage text."""
        head = " — ".join(x for x in (self.locality, self.date, self.section) if x)
        return f"{head}. {self.text}" if head else self.text


def report_files(seeds_dir: Path) -> list[Path]:
    """The report texts to index, sorted by name."""
    if not seeds_dir.is_dir():
        return []
    return sorted(p for p in seeds_dir.iterdir() if p.suffix == ".txt" and p.is_file())


def load_metadata(seeds_dir: Path) -> dict[str, dict[str, str]]:
    """Hand-written metadata per report file name (may be empty)."""
    path = seeds_dir / METADATA_FILE
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    reports = data.get("reports", {}) or {}
    return {str(k): {kk: str(vv) for kk, vv in (v or {}).items()} for k, v in reports.items()}


def _clean(line: str) -> str:
    line = _BOOKMARK.sub("", line)
    line = _MARKUP.sub("", line)
    return re.sub(r"\s+", " ", line).strip(" -–\t")


def _is_heading(raw: str, clean: str) -> bool:
    if not clean or len(clean) > 140:
        return False
    stripped = raw.strip()
    if stripped.startswith("#"):
        return True
    if _ROMAN_HEADING.match(clean) and len(clean) < 120:
        return True
    if _NUM_HEADING.match(clean) and len(clean) < 100 and not clean.endswith((";", ",")):
        return True
    letters = [c for c in clean if c.isalpha()]
    return len(letters) > 8 and sum(c.isupper() for c in letters) / len(letters) > 0.85


_ADMIN_PREFIX = re.compile(r"^(thành phố|tỉnh|huyện|quận|thị xã|xã|phường|thị trấn|tp\.?)\s+",
                           re.IGNORECASE)


def place_names(locality: str) -> list[str]:
    """Diacritic-free place names of a locality string, for matching questions:
    "thành phố Ngã Bảy, tỉnh Hậu Giang" -> ["nga bay", "hau giang"] ("toàn quốc" -> [])."""
    from knowledge.normalize import fold

    names = []
    for part in re.split(r"[,;(]", locality):
        part = part.strip(" )")
        if not part or fold(part) in ("toan quoc", "ca nuoc"):
            continue
        name = fold(_ADMIN_PREFIX.sub("", part))
        if len(name) >= 3:
            names.append(name)
    return names


def guess_locality(text: str) -> str:
    """Most frequent "thành phố/tỉnh/huyện X" in the text ("" when none)."""
    found = Counter(f"{kind} {name}" for kind, name in _LOCALITY.findall(text))
    return found.most_common(1)[0][0] if found else ""


def guess_date(text: str) -> str:
    """Most frequent year in the opening of the report ("" when none)."""
    years = Counter(_YEAR.findall(text[:3000]))
    return f"năm {years.most_common(1)[0][0]}" if years else ""


def guess_title(lines: list[str]) -> str:
    """First substantial non-heading-number line after "BÁO CÁO", else the first line."""
    clean = [_clean(x) for x in lines if _clean(x)]
    for i, line in enumerate(clean[:15]):
        if re.fullmatch(r"B[ÁẢA]O C[ÁẢA]O", line.upper()) and i + 1 < len(clean):
            return f"Báo cáo {clean[i + 1][:160]}"
    return clean[0][:160] if clean else ""


def _paragraphs(lines: list[str]) -> list[tuple[str, str]]:
    """(section heading, paragraph) pairs; wrapped lines of a paragraph are joined."""
    out: list[tuple[str, str]] = []
    section = ""
    buf: list[str] = []

    def flush() -> None:
        if buf:
            out.append((section, " ".join(buf)))
            buf.clear()

    for raw in lines:
        clean = _clean(raw)
        if not clean:
            flush()
            continue
        if _is_heading(raw, clean):
            flush()
            section = clean[:120]
            continue
        buf.append(clean)
        if raw.strip().startswith(("-", "+", "•")) or clean.endswith((".", ":", ";")):
            # Bullet items and finished sentences end a paragraph in OCR'd line-wrapped text.
            if sum(len(b) for b in buf) > TARGET_CHARS // 2:
                flush()
    flush()
    return out


def _split_long(text: str) -> list[str]:
    if len(text) <= MAX_CHARS:
        return [text]
    sentences = re.split(r"(?<=[.;:])\s+", text)
    chunks: list[str] = []
    cur = ""
    for s in sentences:
        while len(s) > MAX_CHARS:
            chunks.append((cur + " " + s[:MAX_CHARS]).strip()) if cur else chunks.append(
                s[:MAX_CHARS])
            cur, s = "", s[MAX_CHARS:]
        if cur and len(cur) + len(s) + 1 > TARGET_CHARS:
            chunks.append(cur)
            cur = s
        else:
            cur = f"{cur} {s}".strip()
    if cur:
        chunks.append(cur)
    return chunks


def split_report(path: Path, meta: dict[str, str] | None = None) -> list[Passage]:
    """Cut one report into passages of about ``TARGET_CHARS`` characters."""
    text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8", errors="replace"))
    lines = text.splitlines()
    meta = meta or {}
    title = meta.get("title") or guess_title(lines)
    locality = meta.get("locality") or guess_locality(text)
    date = meta.get("date") or guess_date(text)
    passages: list[Passage] = []
    cur_section, cur_text = "", ""

    def emit(section: str, body: str) -> None:
        if _BOILERPLATE.match(section):
            return
        for chunk in _split_long(body):
            if len(chunk) < MIN_PASSAGE_CHARS:
                continue
            passages.append(Passage(id=f"report:{path.stem}#{len(passages)}", report=path.name,
                                    title=title, locality=locality, date=date,
                                    section=section, text=chunk))

    for section, para in _paragraphs(lines):
        if section != cur_section or len(cur_text) + len(para) > TARGET_CHARS:
            if cur_text and (len(cur_text) >= MIN_CHARS or section != cur_section):
                emit(cur_section, cur_text)
                cur_text = ""
            cur_section = section
        cur_text = f"{cur_text} {para}".strip()
    if cur_text:
        emit(cur_section, cur_text)
    return passages


def load_passages(seeds_dir: Path) -> list[Passage]:
    """Passages of every report in ``seeds_dir``."""
    meta = load_metadata(seeds_dir)
    out: list[Passage] = []
    for path in report_files(seeds_dir):
        out.extend(split_report(path, meta.get(path.name)))
    return out
