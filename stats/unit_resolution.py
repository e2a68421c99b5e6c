"""Resolving a place name to one administrative unit, never guessing: several matches
come back as candidates for the caller to ask about."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from stats.textnorm import fold, nfc
from stats.unit_dataset import (
    AdminUnit,
    Structure,
    dataset,
    find_units,
    province,
    structure_on,
)
from stats.unit_names import key, raw_parts

#: Which tiers each level word may name.
LEVEL_TIERS: dict[str, tuple[str, ...]] = {
    "tỉnh": ("province",), "thành phố": ("province", "district"), "huyện": ("district",),
    "quận": ("district",), "thị xã": ("district",), "phường": ("ward",), "xã": ("ward",),
    "thị trấn": ("ward",), "đặc khu": ("ward",),
}
_OLD_RX = re.compile(r"\s*[(\[]?\s*\b(?:cu|truoc day|truoc sap xep)\b\s*[)\]]?\s*$")
_OLD_WRITTEN = re.compile(r"\s*[(\[]?\s*(?<!\w)(?:cũ|trước đây|trước sắp xếp)(?!\w)\s*[)\]]?\s*$",
                          re.IGNORECASE)

Status = Literal["resolved", "ambiguous", "unknown"]


@dataclass(frozen=True)
class Resolution:
    """Outcome of :func:`resolve_locality`: one unit, several candidates, or none."""

    status: Status
    unit: AdminUnit | None = None
    candidates: tuple[AdminUnit, ...] = ()
    requested: str = ""
    old_name: bool = False  # the text said "cũ" / the unit is of the legacy structure

    @property
    def resolved(self) -> bool:
        return self.status == "resolved"

    def to_dict(self) -> dict:
        return {"status": self.status, "requested": self.requested,
                "unit": self.unit.to_dict() if self.unit else None,
                "candidates": [c.to_dict() for c in self.candidates]}


def _in_province(unit: AdminUnit, prov: AdminUnit) -> bool:
    if unit.tier == "province":
        return False
    if prov.structure == unit.structure:
        return unit.province == prov.name
    if prov.structure == "legacy":  # a new commune named with its old province
        return prov.name in unit.former_provinces
    return unit.current_province == prov.name  # an old unit named with today's province


def resolve_locality(text: str, *, on: date | None = None, province_hint: str | None = None,
                     level: str | None = None, prefer: tuple[str, ...] = (),
                     reporting: bool = False) -> Resolution:
    """Resolve a place name to one unit, in the structure valid ``on`` when given.

    ``text`` may carry the level word and parents: "phường Tân An, thành phố Cần Thơ",
    "huyện Châu Thành cũ, Hậu Giang", "Hậu Giang/Long Mỹ". ``province_hint`` and ``level``
    narrow it further (the province and the level word a report names). "cũ" (or a date
    before 1/7/2025) selects the legacy structure. ``prefer``: provinces (legacy or new)
    that settle a tie when nothing else does (a deployment's home provinces).
    ``reporting``: only units that send weekly reports (provinces, legacy districts, 2025
    communes; legacy communes reported through their district). Never guesses: several
    matches give ``status="ambiguous"`` with the candidates.
    """
    raw = nfc(text or "").strip()
    folded = " ".join(fold(raw).split())
    if "/" in folded and "," not in folded:  # "Hậu Giang/Long Mỹ": province first
        head, _, tail = raw.partition("/")
        raw, folded = f"{tail}, {head}", " ".join(fold(f"{tail}, {head}").split())
    # "cũ" folds like "Cư" ("xã An Cư"): where diacritics are written, look at them
    parts: list[tuple[str | None, str]] = []
    old = False
    written = raw_parts(raw)
    for n, (lvl, fname, wname) in enumerate(written):
        is_old = bool(_OLD_RX.search(fname) if raw.isascii() else _OLD_WRITTEN.search(wname))
        if is_old:
            bare = _OLD_RX.sub("", fname)
            if n == 0 and raw.isascii() and not find_units(bare) and find_units(fname):
                is_old, bare = False, fname  # "an cu" is "An Cư", not "An" + "cũ"
            fname, wname = bare, _OLD_WRITTEN.sub("", wname)
            written[n] = (lvl, fname, wname)
        old = old or is_old
        parts.append((lvl, fname))
    if not parts:
        return Resolution("unknown", requested=raw)
    if len(parts) > 1 and parts[-1][0] != "tỉnh":  # "… huyện Châu Thành Hậu Giang"
        lvl, name = parts[-1]
        words = name.split()
        for n in range(1, min(4, len(words))):
            if province(" ".join(words[-n:])) and dataset().by_name.get(key(" ".join(words[:-n]))):
                parts[-1:] = [(lvl, " ".join(words[:-n])), ("tỉnh", " ".join(words[-n:]))]
                break
    first_level, first_name = parts[0]
    exact = nfc(written[0][2]).lower()
    first_level = first_level or level
    structure: Structure | None = "legacy" if old else (structure_on(on) if on else None)

    # parents: a province and, for a legacy commune, a district
    prov_units: list[AdminUnit] = []
    district_names: list[tuple[str | None, str]] = []
    for lvl, name in parts[1:] + ([(None, fold(province_hint))] if province_hint else []):
        p = None if lvl in ("huyện", "quận", "thị xã") else province(name)
        if p is not None and lvl in (None, "tỉnh", "thành phố"):
            prov_units.append(p)
        else:
            district_names.append((lvl, name))

    tiers = LEVEL_TIERS.get(first_level or "", None)
    candidates = find_units(first_name, level=first_level, tiers=tiers)
    if not candidates and first_level is None:
        p = province(first_name)
        candidates = [p] if p else []
    if reporting:
        candidates = [c for c in candidates if c.tier == "province" or (
            (c.tier == "district") == (c.structure == "legacy"))]
    if structure and any(c.structure == structure for c in candidates):
        candidates = [c for c in candidates if c.structure == structure]
    for p in prov_units:
        # the province of the unit's own structure first ("huyện Châu Thành, tỉnh Tây Ninh"
        # is Tây Ninh's, not Long An's that today is in Tây Ninh), today's as a fallback
        strict = [c for c in candidates if c.tier != "province" and (
            (own := province(p.name, c.structure)) is not None and c.province == own.name)]
        narrowed = strict or [c for c in candidates if _in_province(c, p)]
        narrowed += [c for c in candidates if c.tier == "province" and c.name == p.name]
        candidates = narrowed
    for lvl, name in district_names:
        dkey = key(name)
        candidates = [c for c in candidates if c.district and key(
            c.district.split(" ", 1)[1] if lvl is None else c.district) in (
            dkey, key(f"{lvl} {name}"))]
    # a province name alone ("Hậu Giang", "tỉnh Hậu Giang") is the province
    provs = [c for c in candidates if c.tier == "province"]
    if provs and (first_level in ("tỉnh", None) or len(provs) == len(candidates)):
        if first_level == "tỉnh" or not [c for c in candidates if c.tier != "province"]:
            candidates = provs
    if len(candidates) > 1 and structure is None:
        # same name in both structures of one place: today's unit wins unless "cũ"
        if len({(c.tier, c.level) for c in candidates}) == 1 and len(
                {c.structure for c in candidates}) == 2:
            candidates = [c for c in candidates if c.structure == "2025"]
    if len(candidates) > 1 and prefer:
        for pref in prefer:
            pk = key(pref)
            narrowed = [c for c in candidates if key(c.province) == pk]
            if narrowed:
                candidates = narrowed if len(narrowed) == 1 else candidates
                break
    unique = list(dict.fromkeys(candidates))
    if len(unique) > 1 and exact and not raw.isascii():  # written with diacritics:
        # "Thanh An" is not "Thạnh An" (typed without them, either may be meant)
        same = [u for u in unique if u.name.lower() == exact]
        unique = same or unique
    if len(unique) == 1:
        unit = unique[0]
        return Resolution("resolved", unit, requested=raw,
                          old_name=old or unit.structure == "legacy")
    if unique:
        unique.sort(key=lambda u: (u.structure != "2025", u.tier, u.province, u.level))
        return Resolution("ambiguous", candidates=tuple(unique), requested=raw, old_name=old)
    return Resolution("unknown", requested=raw, old_name=old)
