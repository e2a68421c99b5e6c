"""Places as reporting units, for officials' scopes and for requests: a name resolved to
exactly one unit (a legacy district, a 2025 commune or a province), "confirm" with the
candidates when several or only a loose spelling match, never the typed string."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from stats import units as admin
from stats.textnorm import fold, locality_key, nfc
from troly06.yamlfile import read_yaml

LEVEL_WORDS = {"thanh pho": "thành phố", "tp": "thành phố", "thi xa": "thị xã",
               "tx": "thị xã", "huyen": "huyện", "quan": "quận", "tinh": "tỉnh",
               "phuong": "phường", "xa": "xã", "dac khu": "đặc khu", "thi tran": "thị trấn"}


@dataclass(frozen=True)
class Unit:
    """A resolved locality: a reporting unit (a legacy district or a 2025 commune), or a
    whole province (``level="tỉnh"``). ``province`` is the unit's province in its own
    structure; ``current_province`` today's; ``former_provinces`` the legacy provinces a
    2025 commune was formed from. Only (name, level, province) take part in equality."""

    name: str
    level: str
    province: str
    code: str = field(default="", compare=False)
    current_province: str = field(default="", compare=False)
    former_provinces: tuple[str, ...] = field(default=(), compare=False)

    @property
    def is_province(self) -> bool:
        return self.level == "tỉnh"

    @property
    def display(self) -> str:
        """"thị xã Long Mỹ", "tỉnh Hậu Giang" — what the queries resolve exactly."""
        return f"{self.level} {self.name}".strip()


Status = Literal["allowed", "denied", "confirm", "unknown", "not_official"]


@dataclass(frozen=True)
class Decision:
    """The outcome of :func:`authorize`."""

    status: Status
    unit: Unit | None = None
    candidates: tuple[Unit, ...] = field(default=())
    requested: str = ""

    @property
    def allowed(self) -> bool:
        return self.status == "allowed"


def _split_level(text: str) -> tuple[str | None, str]:
    """("thị xã", "Long Mỹ") for "TX Long Mỹ"; (None, text) when no level word leads."""
    folded = " ".join(fold(nfc(text)).replace(".", " ").split())
    for word in sorted(LEVEL_WORDS, key=len, reverse=True):
        if folded.startswith(word + " "):
            return LEVEL_WORDS[word], nfc(text).strip()
    return None, nfc(text).strip()


@lru_cache(maxsize=1)
def home_provinces() -> tuple[str, ...]:
    """Provinces that settle a tie nothing else does (``stats/units.yaml``)."""
    data = read_yaml(Path(__file__).with_name("units.yaml")) or {}
    return tuple(nfc(str(p)) for p in data.get("home_provinces") or ())


def _unit(u: admin.AdminUnit) -> Unit:
    if u.tier == "province":
        return Unit(u.name, "tỉnh", u.name, u.code, u.current_province, u.former_provinces)
    return Unit(u.name, u.level, u.province, u.code, u.current_province, u.former_provinces)


def resolve_unit(text: str, *, on: date | None = None) -> Decision:
    """Resolve a place name to exactly one reporting unit ("allowed" means "resolved").

    Any spelling, with or without diacritics, level word ("thị xã Long Mỹ", "phường Tân
    An") and parents ("huyện Châu Thành, Hậu Giang", "Hậu Giang/Long Mỹ", "… cũ"), against
    the dataset (:func:`stats.units.resolve_locality`, reporting units only; ``on`` picks
    the structure of that date). Several matches → "confirm" with the candidates; only a
    loose (spelling) match → "confirm"; nothing → "unknown".
    """
    raw = nfc(text or "").strip()
    res = admin.resolve_locality(raw, on=on, reporting=True, prefer=home_provinces())
    if res.status == "resolved" and res.unit is not None:
        return Decision("allowed", _unit(res.unit), requested=raw)
    if res.status == "ambiguous":
        return Decision("confirm", candidates=tuple(dict.fromkeys(
            _unit(u) for u in res.candidates)), requested=raw)
    level, _ = _split_level(raw)
    key = admin.key(raw.split(",")[0].split("/")[-1])
    words = locality_key(raw.split(",")[0].split("/")[-1])
    if len(words) < 3:
        return Decision("unknown", requested=raw)
    pool = _loose_pool()
    close = difflib.get_close_matches(key, list(pool), n=3, cutoff=0.8)
    loose = tuple(dict.fromkeys(_unit(u) for k in close for u in pool[k]
                                if level is None or u.level == level))
    if loose:
        return Decision("confirm", candidates=loose[:6], requested=raw)
    return Decision("unknown", requested=raw)


@lru_cache(maxsize=1)
def _loose_pool() -> dict[str, list[admin.AdminUnit]]:
    """Reporting units of the home provinces by key, for spelling suggestions."""
    homes = {admin.key(p) for p in home_provinces()}
    pool: dict[str, list[admin.AdminUnit]] = {}
    for p in admin.provinces("legacy") + admin.provinces("2025"):
        if admin.key(p.name) not in homes and admin.key(p.current_province) not in homes:
            continue
        tier: Literal["district", "ward"] = "district" if p.structure == "legacy" else "ward"
        for u in admin.province_units(p.name, date(2025, 6, 30) if tier == "district"
                                      else None, tier=tier):
            pool.setdefault(admin.key(u.name), []).append(u)
    return pool


def unit_of_report(name: str, level: str, province: str | None, *,
                   on: date | None = None) -> Unit:
    """The unit a parsed report belongs to (its own text names level and province)."""
    res = admin.resolve_locality(f"{level} {name}".strip(), on=on, province_hint=province,
                                 reporting=True)
    if res.status == "resolved" and res.unit is not None:
        return _unit(res.unit)
    return Unit(nfc(name), nfc(level or ""), nfc(province or ""))
