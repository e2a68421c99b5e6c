"""The template reader: seed 001's numbered sections of part II and their per-line patterns
(``indicators`` in ``stats/indicators.yaml``), which keep 2023 reports parsing as before."""

from __future__ import annotations

import re

from stats.catalogue import Catalogue, Indicator
from stats.parsed import Reading
from stats.report_lines import parse_number

_ONLINE_SPLIT = re.compile(r"trong do\W*(?:tiep nhan\s+)?(?:tren|qua)\s+cong")


def _segments(fl: str) -> dict[str, tuple[int, int]]:
    split = _ONLINE_SPLIT.search(fl)
    if split:
        return {"main": (0, split.start()), "online": (split.start(), len(fl)),
                "any": (0, len(fl))}
    return {"main": (0, len(fl)), "online": (0, 0), "any": (0, len(fl))}


_GROUPED: dict[int, tuple[Catalogue, dict]] = {}


def grouped(cat: Catalogue) -> dict[str, list[tuple[re.Pattern[str], list[Indicator]]]]:
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


def template(groups, fl: str, out: Reading) -> list[tuple[int, int]]:  # noqa: ANN001
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
