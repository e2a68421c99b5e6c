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

The dataset and its lookups are :mod:`stats.unit_dataset`, name writing
:mod:`stats.unit_names`, resolution :mod:`stats.unit_resolution`, old→new
:mod:`stats.unit_successors`; this module re-exports them and lists provinces' units.
"""

from __future__ import annotations

from datetime import date

from stats.unit_dataset import (
    DATASET,
    STRUCTURE_CHANGE,
    AdminUnit,
    Structure,
    Tier,
    dataset,
    find_units,
    province,
    province_display,
    structure_on,
    unit_by_code,
    units_by_key,
)
from stats.unit_names import LEVEL_WORDS, key
from stats.unit_resolution import LEVEL_TIERS, Resolution, Status, resolve_locality
from stats.unit_successors import Succession, mapping_source, successors

__all__ = ["DATASET", "LEVEL_TIERS", "LEVEL_WORDS", "STRUCTURE_CHANGE", "AdminUnit",
           "Resolution", "Status", "Structure", "Succession", "Tier", "current_province",
           "find_units", "key", "mapping_source", "province", "province_display",
           "province_units", "provinces", "resolve_locality", "structure_on", "successors",
           "unit_by_code", "units_by_key"]


def current_province(name: str) -> str | None:
    """Today's province of a province named ``name``, old or new ("Hậu Giang" -> "Cần Thơ")."""
    unit = province(name)
    return unit.current_province if unit else None


def provinces(structure: Structure = "2025") -> list[AdminUnit]:
    """Every province of ``structure`` (34 for ``"2025"``, 63 for ``"legacy"``)."""
    return sorted(dataset().provinces[structure].values(), key=lambda u: u.code)


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
    return sorted((u for u in dataset().by_province.get((structure, unit.name), ())
                   if u.tier == wanted), key=lambda u: u.code)
