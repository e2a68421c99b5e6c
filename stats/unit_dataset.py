"""The ``vietnamadminunits`` dataset, read once per process (about 0.3 s) straight from the
package's files without importing the package (its import loads geocoding helpers this
project does not use): the units of both structures, their index and lookups by name,
code and province."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from stats.textnorm import fold, nfc
from stats.unit_names import key, strip_level

#: First day of the two-level structure (34 provinces, communes without districts).
STRUCTURE_CHANGE = date(2025, 7, 1)
DATASET = "vietnamadminunits 1.0.4"

Structure = Literal["legacy", "2025"]
Tier = Literal["province", "district", "ward"]


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


@dataclass
class Dataset:
    """The units of both structures and their indexes."""

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
def dataset() -> Dataset:
    """The dataset, read on first use and kept for the process."""
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
    return Dataset(provinces, units, dict(by_name), dict(by_province), old_to_new,
                 dict(ward_successors), by_code)


def province(name: str, structure: Structure | None = None) -> AdminUnit | None:
    """The province called ``name`` ("tỉnh Hậu Giang", "TP. Hồ Chí Minh", "hcm"…) or None.

    Without ``structure``, today's provinces are tried first, then the legacy ones.
    """
    text = strip_level(fold(nfc(name)).strip())[1]
    k = key(text)
    k = _PROVINCE_ALIASES.get(k, k)
    data = dataset()
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


def unit_by_code(code: str, structure: Structure, tier: Tier) -> AdminUnit | None:
    """The unit with dataset code ``code`` ("31147": phường Tân An, Cần Thơ)."""
    return dataset().by_code.get((structure, tier, code))


def units_by_key(name_key: str) -> list[AdminUnit]:
    """Every unit whose :func:`key` is ``name_key`` ("tanan"); the parser's hot path."""
    return dataset().by_name.get(name_key, [])


def find_units(name: str, *, level: str | None = None, structure: Structure | None = None,
               tiers: tuple[str, ...] | None = None) -> list[AdminUnit]:
    """Every unit called ``name`` (bare name, any spelling), narrowed by level/structure."""
    units = dataset().by_name.get(key(name), [])
    if level:  # "thành phố Sóc Trăng" is the city, the province is a "tỉnh"
        units = [u for u in units if u.level == level
                 or (level == "tỉnh" and u.tier == "province")]
    if structure:
        units = [u for u in units if u.structure == structure]
    if tiers:
        units = [u for u in units if u.tier in tiers]
    return list(units)
