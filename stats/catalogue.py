"""The indicator catalogue (``stats/indicators.yaml``), loaded once and compiled."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from stats.textnorm import fold, nfc
from troly06.yamlfile import read_yaml

CATALOGUE_PATH = Path(__file__).with_name("indicators.yaml")

#: One Vietnamese count: "1.421" (dot = thousands), "00", "12".
NUMBER = r"\d{1,3}(?:[.,]\d{3})+(?!\d)|\d+"
_N = f"({NUMBER})"
_FRAC = rf"({NUMBER})\s*/\s*({NUMBER})"

KINDS = ("weekly", "cumulative", "progress")


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a catalogue regex, expanding ``{n}`` and ``{frac}``."""
    return re.compile(pattern.replace("{frac}", _FRAC).replace("{n}", _N))


@dataclass(frozen=True)
class Indicator:
    """One figure of the weekly report."""

    code: str
    label_vi: str
    unit: str
    kind: str
    section: str
    line: re.Pattern[str]
    patterns: tuple[re.Pattern[str], ...]
    segment: str = "any"
    part: str | None = None  # progress: "done" | "target"
    pair: str | None = None  # progress: base code shared by *_done / *_target
    synonyms: tuple[str, ...] = ()

    @property
    def group(self) -> int:
        """Regex group holding the value (2 for the target side of a fraction)."""
        return 2 if self.part == "target" else 1


@dataclass(frozen=True)
class LabelRule:
    """One rule of the label matcher (any layout: "label: value", table rows, clauses).

    ``label`` is searched in the clause (folded, its number replaced by ``#``), ``context``
    (optional) in the heading, table caption and lead clause above it plus the clause;
    ``unless`` (optional) must not match the clause. A clause in a cumulative column or
    saying "lũy kế" goes to ``cumulative`` (or is kept as an unknown figure when the rule
    has none); any other clause to ``code``.
    """

    code: str | None
    label: re.Pattern[str]
    context: re.Pattern[str] | None = None
    unless: re.Pattern[str] | None = None
    cumulative: str | None = None


@dataclass(frozen=True)
class Catalogue:
    """All indicators plus section headings and consistency checks."""

    indicators: tuple[Indicator, ...]
    sections: tuple[tuple[str, re.Pattern[str]], ...]
    results_part: re.Pattern[str]
    other_part: re.Pattern[str]
    checks: tuple[dict, ...]
    section_titles: dict[str, str] = field(default_factory=dict)
    labels: tuple[LabelRule, ...] = ()
    by_code: dict[str, Indicator] = field(default_factory=dict)

    def get(self, code: str) -> Indicator:
        """The indicator with ``code`` (KeyError if unknown)."""
        return self.by_code[code]

    def codes(self) -> list[str]:
        """All codes in catalogue order."""
        return [i.code for i in self.indicators]

    def find(self, words: str) -> Indicator | None:
        """Best indicator for plain words ("cccd cấp đổi", "tài khoản vneid"), or None.

        Exact code, label or synonym wins; otherwise the longest synonym contained in
        ``words`` (compared without diacritics).
        """
        query = " ".join(fold(nfc(words)).split())
        if query in self.by_code:
            return self.by_code[query]
        best: tuple[int, Indicator] | None = None
        for ind in self.indicators:
            names = [fold(ind.label_vi)] + [fold(s) for s in ind.synonyms]
            for name in names:
                name = " ".join(name.split())
                if not name:
                    continue
                if name == query:
                    return ind
                if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", query):
                    if best is None or len(name) > best[0]:
                        best = (len(name), ind)
        return best[1] if best else None


def _indicator(raw: dict) -> Indicator:
    kind = raw["kind"]
    if kind not in KINDS:
        raise ValueError(f"indicator {raw['code']}: unknown kind {kind!r}")
    return Indicator(
        code=raw["code"],
        label_vi=nfc(raw["label_vi"]),
        unit=nfc(raw["unit"]),
        kind=kind,
        section=raw.get("section", ""),
        line=re.compile(raw.get("line", "(?!)")),  # label-only indicators: no template line
        patterns=tuple(compile_pattern(p) for p in raw.get("patterns") or ()),
        segment=raw.get("segment", "any"),
        part=raw.get("part"),
        pair=raw.get("pair"),
        synonyms=tuple(nfc(s) for s in raw.get("synonyms") or ()),
    )


@lru_cache
def load_catalogue(path: str | None = None) -> Catalogue:
    """Load and compile the catalogue (cached)."""
    data = read_yaml(Path(path or CATALOGUE_PATH))
    indicators = tuple(_indicator(raw) for raw in data["indicators"])
    cat = Catalogue(
        indicators=indicators,
        sections=tuple((s["id"], re.compile(s["heading"])) for s in data["sections"]),
        results_part=re.compile(data["parts"]["results"]),
        other_part=re.compile(data["parts"]["other"]),
        checks=tuple(data.get("checks") or ()),
        section_titles={s["id"]: nfc(s.get("title", s["id"])) for s in data["sections"]},
        by_code={i.code: i for i in indicators},
        labels=tuple(LabelRule(
            code=r.get("code"), label=re.compile(r["label"]),
            context=re.compile(r["context"]) if r.get("context") else None,
            unless=re.compile(r["unless"]) if r.get("unless") else None,
            cumulative=r.get("cumulative")) for r in data.get("labels") or ()),
    )
    if len(cat.by_code) != len(indicators):
        raise ValueError("duplicate indicator code in catalogue")
    for rule in cat.labels:
        for code in (rule.code, rule.cumulative):
            if code is not None and code not in cat.by_code:
                raise ValueError(f"label rule {rule.label.pattern!r}: unknown code {code!r}")
    return cat


def resolve_code(name: str) -> str:
    """Indicator code (or progress pair base) for a code or plain words ("đổi thẻ").

    Raises :class:`stats.errors.UnknownIndicator` when nothing matches.
    """
    from stats.errors import UnknownIndicator

    cat = load_catalogue()
    key = name.strip()
    if key in cat.by_code or f"{key}_done" in cat.by_code:
        return key
    ind = cat.find(name)
    if ind is None:
        raise UnknownIndicator(f"Không rõ chỉ tiêu “{nfc(name)}”.",
                               f"Unknown indicator {name!r}.")
    return ind.pair if ind.kind == "progress" and ind.pair else ind.code
