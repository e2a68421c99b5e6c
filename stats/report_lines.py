"""A report's text as logical lines: wrapped lines joined, list markers, table rows and
Vietnamese numbers ("1.421")."""

from __future__ import annotations

import re

from stats.catalogue import NUMBER

MARKER = re.compile(r"^\s*(?:[+\-•*·.]|\d+\s*[.):/-]\s|\d{1,2}(?:\.\d{1,2})+\.\s"
                     r"|[ivxl]+\s*[.):/-]\s|[a-dđ]\s*\)\s)", re.IGNORECASE)
FIGURE_LIKE = re.compile(
    rf"(?<![\d/.,])(?:{NUMBER})(?:\s*/\s*(?:{NUMBER}))?"
    r"(?=\s*(?:ho so|ho\b|hs\b|truong hop|luot|tai khoan|nguoi|ca nhan|don vi|tk\b))"
    rf"|(?<=:)\s*(?:{NUMBER})(?:\s*/\s*(?:{NUMBER}))?\s*(?=[.;,]|$)"
)
_SPACES = re.compile(r"[ \t\u00a0]+")
_NUM_SEP = re.compile(r"[.,\s]")
_HEADING = re.compile(r"^\s*(?:[IVX]+|\d+)\s*[.)]\s")
IS_ROW = re.compile(r"(?:^|\s)\|(?:\s|$)")
CELL_SPLIT = re.compile(r"\s*\|\s*")
_STT_ROW = re.compile(r"^\d{1,2}\s+(?=[A-ZĐÀ-Ỹ])")  # a PDF table row "2 Kích hoạt … 310"


def parse_number(token: str) -> int:
    """Vietnamese count to int: "1.421" -> 1421, "00" -> 0, "2,088" -> 2088."""
    return int(_NUM_SEP.sub("", token))


def logical_lines(text: str, folded: str, wrapped: bool) -> list[tuple[int, str, str]]:
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
        if groups and not IS_ROW.search(line) and not IS_ROW.search(groups[-1][1][-1]):
            prev_last = groups[-1][1][-1]
            first = line[0]
            continuation = not MARKER.match(line) and (
                first.islower() or first in ",;)"
                or (first.isdigit() and not (wrapped and _STT_ROW.match(line))))
            if wrapped and not continuation:
                continuation = (prev_last[-1] not in ".:;!?)" and not MARKER.match(line)
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
