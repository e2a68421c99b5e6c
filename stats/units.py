"""Vietnam's administrative units, before and after 1/7/2025, from ``vietnamadminunits``.

The dataset (``vietnamadminunits`` 1.0.4, MIT, shipped inside its wheel: nothing is
downloaded) holds two structures:

* ``legacy``: the 63 provinces with their districts (huyện, quận, thị xã, thành phố thuộc
  tỉnh) and communes (xã, phường, thị trấn), valid before :data:`STRUCTURE_CHANGE`;
* ``2025``: the 34 provinces and their 3,321 commune-level units (xã, phường, đặc khu),
  two levels of local government, valid from 1/7/2025;

plus the old→new conversion tables (old province → new province; old commune → new
commune, with the default successor when an old commune was split).

Public API::

    resolve_locality(text, on=None, province=None, level=None) -> Resolution
    find_units(name, ...) -> list[AdminUnit]
    current_province(name) -> str | None          # "Hậu Giang" -> "Cần Thơ"
    successors(text) -> Succession                # "xã X, huyện Y cũ nay thuộc xã nào?"
    province_units(province, on=None) -> list[AdminUnit]
    structure_on(day) -> "legacy" | "2025"

A name that matches several units is never guessed: :class:`Resolution` carries
``status="ambiguous"`` and the candidates, and the caller asks back. The dataset is read
lazily, once per process (about 0.3 s), straight from the package's files without importing
the package (its import loads geocoding helpers this project does not use).
"""

from __future__ import annotations

import importlib.util
import json
import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from stats.textnorm import fold, nfc

#: First day of the two-level structure (34 provinces, communes without districts).
STRUCTURE_CHANGE = date(2025, 7, 1)
DATASET = "vietnamadminunits 1.0.4"

Structure = Literal["legacy", "2025"]
Tier = Literal["province", "district", "ward"]

#: Level words as written in reports and questions (folded) -> canonical Vietnamese.
LEVEL_WORDS: dict[str, str] = {
    "thanh pho": "thành phố", "tp": "thành phố", "t.p": "thành phố", "tinh": "tỉnh",
    "huyen": "huyện", "h": "huyện", "quan": "quận", "q": "quận", "thi xa": "thị xã",
    "tx": "thị xã", "phuong": "phường", "p": "phường", "xa": "xã", "thi tran": "thị trấn",
    "tt": "thị trấn", "dac khu": "đặc khu",
}
#: Which tiers each level word may name.
LEVEL_TIERS: dict[str, tuple[str, ...]] = {
    "tỉnh": ("province",), "thành phố": ("province", "district"), "huyện": ("district",),
    "quận": ("district",), "thị xã": ("district",), "phường": ("ward",), "xã": ("ward",),
    "thị trấn": ("ward",), "đặc khu": ("ward",),
}
_LEVEL_RX = re.compile(
    r"^(thanh pho|thi xa|thi tran|dac khu|tinh|huyen|quan|phuong|xa|tp|tx|tt|t\.p|[hqp])"
    r"\s*[.]?\s+")
_OLD_RX = re.compile(r"\s*[(\[]?\s*\b(?:cu|truoc day|truoc sap xep)\b\s*[)\]]?\s*$")
_OLD_WRITTEN = re.compile(r"\s*[(\[]?\s*(?<!\w)(?:cũ|trước đây|trước sắp xếp)(?!\w)\s*[)\]]?\s*$",
                          re.IGNORECASE)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# a parent's level word inside a name written without commas (a zero-width cut before it)
_PARENT_RX = re.compile(r"(?<=\s)(?=(?:huyen|quan|thi xa|tinh|thanh pho|tp)\.?\s)")


def key(name: str) -> str:
    """Matching key of a bare name: folded, letters and digits only ("Vị Thanh" -> "vithanh")."""
    return _NON_ALNUM.sub("", fold(nfc(name)))


def structure_on(day: date | None) -> Structure:
    """The structure valid on ``day`` (today's when None)."""
    return "legacy" if day is not None and day < STRUCTURE_CHANGE else "2025"


@dataclass(frozen=True)
class AdminUnit:
    """One administrative unit of one structure.

    ``name`` is the bare name ("Tân An"), ``level`` the Vietnamese level word ("phường",
    "huyện", "tỉnh" or "thành phố" for a province), ``province`` the short province name in
    the same structure ("Hậu Giang" for a 2023 district), ``current_province`` the province
    it belongs to today ("Cần Thơ"). ``former_provinces``: for a 2025 unit, the legacy
    provinces its territory came from.
    """

    code: str
    level: str
    name: str
    province: str
    structure: Structure
    tier: Tier
    district: str = ""  # legacy commune: "huyện Châu Thành"
    current_province: str = ""
    former_provinces: tuple[str, ...] = field(default=(), compare=False)

    @property
    def display(self) -> str:
        """"phường Tân An", "huyện Châu Thành", "thành phố Cần Thơ"."""
        return f"{self.level} {self.name}"

    @property
    def full(self) -> str:
        """Display with its parents: "xã Đông Phú, huyện Châu Thành, tỉnh Hậu Giang"."""
        if self.tier == "province":
            return self.display
        parts = [self.display]
        if self.district:
            parts.append(self.district)
        parts.append(province_display(self.province, self.structure))
        return ", ".join(parts)

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"code": self.code, "level": self.level, "name": self.name,
                "province": self.province, "structure": self.structure, "tier": self.tier,
                "district": self.district, "current_province": self.current_province,
                "display": self.display, "full": self.full}


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


@dataclass
class _Data:
    provinces: dict[Structure, dict[str, AdminUnit]]          # key(short) -> unit
    units: list[AdminUnit]
    by_name: dict[str, list[AdminUnit]]                       # key(name) -> units
    by_province: dict[tuple[Structure, str], list[AdminUnit]]  # (structure, province)
    legacy_to_new_province: dict[str, str]                    # legacy short -> new short
    ward_successors: dict[str, list[tuple[str, bool]]]        # legacy ward code -> new codes
    by_code: dict[tuple[Structure, str, str], AdminUnit]      # (structure, tier, code)


def _package_dir() -> Path:
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("vietnamadminunits is not installed (make install)")
    return Path(next(iter(spec.submodule_search_locations)))


def _level(word: str | None) -> str:
    return nfc(word or "").strip().lower()


def _split(full: str, kind: str | None) -> tuple[str, str]:
    """("huyện", "Long Mỹ") from ("Huyện Long Mỹ", "Huyện"); provinces carry no kind."""
    full = nfc(full).strip()
    if not kind:
        kind = next((k for k in ("Thành phố", "Tỉnh") if full.startswith(k + " ")), "")
    kind = nfc(kind)
    name = full[len(kind):].strip() if kind and full.startswith(kind) else full
    return _level(kind) or "tỉnh", name


@lru_cache(maxsize=1)
def _data() -> _Data:
    base = _package_dir() / "data"
    db = sqlite3.connect(f"file:{base / 'dataset.db'}?mode=ro", uri=True)
    try:
        new_rows = db.execute(
            "SELECT province, provinceShort, provinceCode, provinceKey, ward, wardShort,"
            " wardType, wardCode, wardKey FROM admin_units").fetchall()
        old_rows = db.execute(
            "SELECT province, provinceShort, provinceCode, provinceKey, district,"
            " districtShort, districtType, districtCode, districtKey, ward, wardShort,"
            " wardType, wardCode, wardKey FROM admin_units_legacy").fetchall()
    finally:
        db.close()
    conv = json.loads((base / "converter_2025.json").read_text(encoding="utf-8"))

    # province keys of the converter ("tinhhaugiang") -> short names
    pkey_new: dict[str, str] = {r[3]: _split(r[0], None)[1] for r in new_rows}
    pkey_old: dict[str, str] = {r[3]: _split(r[0], None)[1] for r in old_rows}
    old_to_new: dict[str, str] = {}
    for new_key, old_keys in conv["DICT_PROVINCE"].items():
        for old_key in old_keys:
            old_to_new[pkey_old[old_key]] = pkey_new[new_key]

    units: list[AdminUnit] = []
    provinces: dict[Structure, dict[str, AdminUnit]] = {"legacy": {}, "2025": {}}
    by_code: dict[tuple[Structure, str, str], AdminUnit] = {}
    # legacy: provinces, districts, communes; converter ids "tinh_huyen_xa" -> ward code
    old_ids: dict[str, str] = {}
    seen_districts: set[str] = set()
    for (prov, _ps, pcode, pkey, dist, _ds, dtype, dcode, dkey, ward, _ws, wtype,
         wcode, wkey) in old_rows:
        plevel, pshort = _split(prov, None)
        if key(pshort) not in provinces["legacy"]:
            unit = AdminUnit(pcode, plevel, pshort, pshort, "legacy", "province",
                             current_province=old_to_new[pshort])
            provinces["legacy"][key(pshort)] = unit
            by_code[("legacy", "province", pcode)] = unit
        if dcode and dcode not in seen_districts:
            seen_districts.add(dcode)
            unit = AdminUnit(dcode, *_split(dist, dtype), pshort, "legacy", "district",
                             current_province=old_to_new[pshort])
            units.append(unit)
            by_code[("legacy", "district", dcode)] = unit
        if wcode:
            dist_unit = by_code[("legacy", "district", dcode)]
            unit = AdminUnit(wcode, *_split(ward, wtype), pshort, "legacy", "ward",
                             district=dist_unit.display, current_province=old_to_new[pshort])
            units.append(unit)
            by_code[("legacy", "ward", wcode)] = unit
            old_ids[f"{pkey}_{dkey}_{wkey}"] = wcode
        elif dkey:  # island districts without communes (Cồn Cỏ, Hoàng Sa…)
            old_ids[f"{pkey}_{dkey}_"] = f"d{dcode}"

    # 2025: provinces and communes; predecessors from the converter
    new_ids: dict[tuple[str, str], str] = {}
    former: dict[str, set[str]] = defaultdict(set)
    ward_successors: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for row in new_rows:
        new_ids[(row[3], key(row[8]))] = row[7]
    for new_pkey, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wkey, old_list in wards.items():
            new_code = new_ids.get((new_pkey, key(new_wkey)))
            if new_code is None:
                continue
            for old_id in old_list:
                old_code = old_ids.get(old_id)
                if old_code:
                    ward_successors[old_code].append((new_code, True))
                    former[new_code].add(pkey_old[old_id.split("_", 1)[0]])
    for new_pkey, splits in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_id, options in splits.items():
            old_code = old_ids.get(old_id)
            for option in options:
                new_code = new_ids.get((new_pkey, key(option["newWardKey"])))
                if old_code and new_code:
                    ward_successors[old_code].append((new_code, bool(option["isDefaultNewWard"])))
                    former[new_code].add(pkey_old[old_id.split("_", 1)[0]])
    for (prov, _ps, pcode, _pk, ward, _ws, wtype, wcode, _wk) in new_rows:
        plevel, pshort = _split(prov, None)
        if key(pshort) not in provinces["2025"]:
            olds = tuple(sorted(o for o, n in old_to_new.items() if n == pshort))
            unit = AdminUnit(pcode, plevel, pshort, pshort, "2025", "province",
                             current_province=pshort,
                             former_provinces=olds)
            provinces["2025"][key(pshort)] = unit
            by_code[("2025", "province", pcode)] = unit
        unit = AdminUnit(wcode, *_split(ward, wtype), pshort, "2025", "ward",
                         current_province=pshort,
                         former_provinces=tuple(sorted(former.get(wcode, ()))))
        units.append(unit)
        by_code[("2025", "ward", wcode)] = unit

    by_name: dict[str, list[AdminUnit]] = defaultdict(list)
    by_province: dict[tuple[Structure, str], list[AdminUnit]] = defaultdict(list)
    for unit in units:
        by_name[key(unit.name)].append(unit)
        by_province[(unit.structure, unit.province)].append(unit)
    for provs in provinces.values():
        for unit in provs.values():
            by_name[key(unit.name)].append(unit)
    return _Data(provinces, units, dict(by_name), dict(by_province), old_to_new,
                 dict(ward_successors), by_code)


# --- provinces ------------------------------------------------------------------------

def province(name: str, structure: Structure | None = None) -> AdminUnit | None:
    """The province called ``name`` ("tỉnh Hậu Giang", "TP. Hồ Chí Minh", "hcm"…) or None.

    Without ``structure``, today's provinces are tried first, then the legacy ones.
    """
    text = _strip_level(fold(nfc(name)).strip())[1]
    k = key(text)
    k = _PROVINCE_ALIASES.get(k, k)
    data = _data()
    for s in ((structure,) if structure else ("2025", "legacy")):
        unit = data.provinces[s].get(k)  # type: ignore[index]
        if unit is not None:
            return unit
    return None


_PROVINCE_ALIASES = {"hcm": "hochiminh", "tphcm": "hochiminh", "saigon": "hochiminh",
                     "hn": "hanoi", "tthue": "hue", "thuathienhue": "hue"}


def province_display(short: str, structure: Structure = "2025") -> str:
    """"tỉnh Hậu Giang", "thành phố Cần Thơ"."""
    unit = province(short, structure) or province(short)
    return unit.display if unit else f"tỉnh {short}"


def current_province(name: str) -> str | None:
    """Today's province of a province named ``name``, old or new ("Hậu Giang" -> "Cần Thơ")."""
    unit = province(name)
    return unit.current_province if unit else None


def provinces(structure: Structure = "2025") -> list[AdminUnit]:
    """Every province of ``structure`` (34 for ``"2025"``, 63 for ``"legacy"``)."""
    return sorted(_data().provinces[structure].values(), key=lambda u: u.code)


def province_units(name: str, on: date | None = None, *,
                   tier: Tier | None = None) -> list[AdminUnit]:
    """Units of a province in the structure valid ``on`` (today's when None), by code.

    From 1/7/2025: the province's communes (xã, phường, đặc khu) — the list to check
    "which units have not reported" against. Before: its districts (``tier="district"``,
    the default then) or communes (``tier="ward"``). A legacy province asked for today
    ("Hậu Giang") gives the communes of today's province it became part of.
    """
    structure = structure_on(on)
    unit = province(name, structure) or province(name)
    if unit is None:
        return []
    if unit.structure != structure:  # "Hậu Giang" today -> Cần Thơ's communes
        target = unit.current_province if structure == "2025" else unit.name
        unit = province(target, structure) or unit
    wanted = tier or ("ward" if structure == "2025" else "district")
    return sorted((u for u in _data().by_province.get((structure, unit.name), ())
                   if u.tier == wanted), key=lambda u: u.code)


def unit_by_code(code: str, structure: Structure, tier: Tier) -> AdminUnit | None:
    """The unit with dataset code ``code`` ("31147": phường Tân An, Cần Thơ)."""
    return _data().by_code.get((structure, tier, code))


# --- resolution -----------------------------------------------------------------------

def _strip_level(folded: str) -> tuple[str | None, str]:
    """("phường", "tan an") for "phuong tan an"; (None, text) without a level word."""
    m = _LEVEL_RX.match(folded + " ")
    if not m:
        return None, folded
    word = m.group(1).replace(".", "") if m.group(1) != "t.p" else "tp"
    return LEVEL_WORDS.get(word, LEVEL_WORDS.get(m.group(1))), folded[m.end():].strip()


def _parts(text: str) -> list[tuple[str | None, str]]:
    """"xã Đông Phú, huyện Châu Thành, tỉnh Hậu Giang" -> [(level, folded name), …]."""
    return [(lvl, name) for lvl, name, _raw in _raw_parts(text)]


def _raw_parts(text: str) -> list[tuple[str | None, str, str]]:
    """Like :func:`_parts`, with each name also as written (diacritics kept)."""
    raw = nfc(text)
    folded = fold(raw)  # same length: offsets carry over to the written text
    out = []
    start = 0
    cuts = list(re.finditer(r"[,;/]", folded))
    if not cuts:  # "xã Đông Phú huyện Châu Thành Hậu Giang": cut before each parent level
        last = 0
        for m in _PARENT_RX.finditer(folded):
            # never inside a name that starts like a level word ("thị xã Tịnh Biên")
            if m.start() > 0 and _strip_level(folded[last:m.start()].strip())[1]:
                cuts.append(m)
                last = m.start()
    for m in cuts + [None]:
        end = m.start() if m else len(folded)
        piece, raw_piece = folded[start:end], raw[start:end]
        start = m.end() if m else end
        lead = len(piece) - len(piece.lstrip(" .:"))
        piece, raw_piece = piece[lead:].rstrip(" .:"), raw_piece[lead:]
        if not piece:
            continue
        level, name = _strip_level(piece)
        cut = len(piece) - len(name)
        out.append((level, " ".join(name.split()), " ".join(raw_piece[cut:len(piece)].split())))
    return out


def units_by_key(name_key: str) -> list[AdminUnit]:
    """Every unit whose :func:`key` is ``name_key`` ("tanan"); the parser's hot path."""
    return _data().by_name.get(name_key, [])


def find_units(name: str, *, level: str | None = None, structure: Structure | None = None,
               tiers: tuple[str, ...] | None = None) -> list[AdminUnit]:
    """Every unit called ``name`` (bare name, any spelling), narrowed by level/structure."""
    units = _data().by_name.get(key(name), [])
    if level:  # "thành phố Sóc Trăng" is the city, the province is a "tỉnh"
        units = [u for u in units if u.level == level
                 or (level == "tỉnh" and u.tier == "province")]
    if structure:
        units = [u for u in units if u.structure == structure]
    if tiers:
        units = [u for u in units if u.tier in tiers]
    return list(units)


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
    written = _raw_parts(raw)
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
            if province(" ".join(words[-n:])) and _data().by_name.get(key(" ".join(words[:-n]))):
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
            (same := province(p.name, c.structure)) is not None and c.province == same.name)]
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


# --- old -> new (the citizens' question) ----------------------------------------------

@dataclass(frozen=True)
class Succession:
    """Where an old unit went on 1/7/2025: the new unit(s), and where the mapping comes from."""

    status: Literal["mapped", "ambiguous", "unknown", "unchanged"]
    old: AdminUnit | None = None
    new: tuple[AdminUnit, ...] = ()
    default: AdminUnit | None = None  # an old commune split in several: the main successor
    candidates: tuple[AdminUnit, ...] = ()
    source_vi: str = ""

    def to_dict(self) -> dict:
        return {"status": self.status, "old": self.old.to_dict() if self.old else None,
                "new": [u.to_dict() for u in self.new],
                "default": self.default.to_dict() if self.default else None,
                "candidates": [c.to_dict() for c in self.candidates],
                "source_vi": self.source_vi}


def mapping_source(old: AdminUnit | None = None) -> str:
    """What the mapping rests on, as the dataset says it (no resolution numbers invented)."""
    where = ""
    if old is not None and old.current_province:
        where = (f" của {province_display(old.current_province)}" if old.tier != "province"
                 else "")
    return (f"Theo bảng chuyển đổi đơn vị hành chính 63 tỉnh → 34 tỉnh của bộ dữ liệu "
            f"{DATASET} (giấy phép MIT), lập theo các nghị quyết năm 2025 của Ủy ban Thường "
            f"vụ Quốc hội về sắp xếp đơn vị hành chính cấp xã{where}, có hiệu lực từ "
            "01/7/2025. Bộ dữ liệu không ghi số nghị quyết; cần đối chiếu với nghị quyết "
            "đăng trên Công báo hoặc cổng thông tin của tỉnh trước khi dùng làm căn cứ.")


def successors(text: str) -> Succession:
    """The new unit(s) of an old one: "xã Đông Phú, huyện Châu Thành, tỉnh Hậu Giang".

    An old commune maps to its new commune (several when it was split; ``default`` is the
    dataset's main successor); an old district to every new commune its communes went to;
    an old province to today's province. A name that is already a 2025 unit is
    ``unchanged``.
    """
    res = resolve_locality(text, on=date(2025, 6, 30))
    if res.status == "ambiguous":
        return Succession("ambiguous", candidates=res.candidates, source_vi=mapping_source())
    if res.unit is None:
        return Succession("unknown", source_vi=mapping_source())
    old = res.unit
    data = _data()
    if old.structure == "2025":
        return Succession("unchanged", old, (old,), old, source_vi=mapping_source(old))
    if old.tier == "province":
        new = province(old.current_province, "2025")
        return Succession("mapped", old, (new,) if new else (), new,
                          source_vi=mapping_source(old))
    if old.tier == "ward":
        pairs = data.ward_successors.get(old.code, [])
    else:
        pairs = [p for w in data.by_province.get(("legacy", old.province), ())
                 if w.tier == "ward" and w.district == old.display
                 for p in data.ward_successors.get(w.code, [])]
    codes = list(dict.fromkeys(code for code, _ in pairs))
    new_units = tuple(u for u in (unit_by_code(c, "2025", "ward") for c in codes) if u)
    default = None
    if old.tier == "ward":
        default_code = next((c for c, is_default in pairs if is_default), None)
        default = unit_by_code(default_code, "2025", "ward") if default_code else None
    if not new_units:
        return Succession("unknown", old, source_vi=mapping_source(old))
    return Succession("mapped", old, new_units, default, source_vi=mapping_source(old))
