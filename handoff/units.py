"""Handoff targets from configuration (``config/handoff.yaml``): the units a conversation can
be queued for, the words that place a citizen in a unit, and the phrases asking for a person."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from troly06.yamlfile import read_yaml


def fold(text: str) -> str:
    """Lower case without diacritics (đ → d), spaces squeezed: for phrase matching."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


@dataclass(frozen=True)
class Unit:
    """A unit whose staff answer citizens (a provincial police desk, a commune…)."""

    id: str
    name: str
    places: tuple[str, ...]


@dataclass(frozen=True)
class HandoffConfig:
    """The units, the default one, and the phrases that ask for a person."""

    units: tuple[Unit, ...]
    default_unit: str
    triggers: tuple[str, ...]

    def unit(self, unit_id: str) -> Unit | None:
        return next((u for u in self.units if u.id == unit_id), None)

    def unit_for(self, text: str, fallback: str = "") -> str:
        """The unit whose place names ``text`` mentions, else ``fallback`` or the default."""
        folded = f" {fold(text)} "
        for unit in self.units:
            if any(f" {fold(p)} " in folded for p in unit.places):
                return unit.id
        return fallback or self.default_unit

    def asks_for_person(self, text: str) -> bool:
        """True when ``text`` asks to talk to a person ("gặp cán bộ", "người thật"…)."""
        folded = f" {fold(text)} "
        return any(f" {fold(t)} " in folded for t in self.triggers)


@lru_cache(maxsize=4)
def load_config(path: str) -> HandoffConfig:
    """Read and check the handoff file (cached per path)."""
    data = read_yaml(Path(path)) or {}
    units = tuple(Unit(str(u["id"]), str(u["name"]), tuple(str(p) for p in u.get("places", [])))
                  for u in data.get("units", []))
    if not units:
        raise ValueError(f"{path}: no handoff units")
    default = str(data.get("default_unit") or units[0].id)
    if default not in {u.id for u in units}:
        raise ValueError(f"{path}: default_unit {default!r} is not a unit")
    return HandoffConfig(units, default, tuple(str(t) for t in data.get("triggers", [])))
