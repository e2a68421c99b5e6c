"""Who may see and send statistics: officials, their scopes, and the checks on both.

Officials live in one YAML file (``TROLY06_OFFICIALS_FILE``), loaded once into a validated
:class:`OfficialStore` and reloaded only when the file changes::

    officials:
      - id: ngabay-telegram            # stable id (ASCII); carried in signed identities
        name: Nguyễn Văn A
        channel: telegram              # telegram | zalo | api
        user_id: "123456789"           # telegram / zalo: the channel's user id
        # api: the SHA-256 of a key of >= 32 characters (``troly06 officials new-key``)
        # api_key_sha256: "9f86d081884c7d65..."
        localities: ["thành phố Ngã Bảy"]   # "*", "Hậu Giang/*", "huyện Long Mỹ"…

Scopes are resolved when the file is loaded, against the administrative-unit dataset
(:mod:`stats.units`: legacy districts before 1/7/2025, communes of the 34 provinces since),
and stored as units (name, level, province): a scope that names no unit, or more than one
("Long Mỹ" is both a huyện and a thị xã), makes the file invalid. A tie nothing else
settles goes to the deployment's home provinces (``stats/units.yaml``). A province scope
covers the units of that province in both structures: "Cần Thơ/*" sees the 2023 reports of
Hậu Giang's districts (today part of Cần Thơ), "Hậu Giang/*" sees the 2025 communes formed
from Hậu Giang's territory. Requests are resolved the same way first and
the *unit* is checked, never the typed string; a name that only matches loosely is returned
as "confirm" with its candidates, never answered. ``channel: rest`` officials are gone: a
sender string proves nothing.

Refusals are logged with the channel, a hash of the user id and the locality only.

The officials file and its store are :mod:`stats.officials`, resolving places to units
:mod:`stats.scope_units`; this module decides (:func:`authorize`) and re-exports both.
"""

from __future__ import annotations

import logging
from pathlib import Path

from stats.officials import (
    CHANNELS,
    MIN_KEY_CHARS,
    Official,
    OfficialsFileError,
    OfficialStore,
    find_official,
    get_store,
    hash_key,
    hash_user,
    load_officials,
    official_for_api_key,
)
from stats.scope_units import (
    Decision,
    Status,
    Unit,
    home_provinces,
    resolve_unit,
    unit_of_report,
)
from stats.textnorm import nfc

__all__ = ["CHANNELS", "MIN_KEY_CHARS", "REFUSAL_LOCALITY_VI", "REFUSAL_VI", "Decision",
           "Official", "OfficialStore", "OfficialsFileError", "Status", "Unit", "authorize",
           "can_view", "find_official", "get_store", "hash_key", "hash_user", "home_provinces",
           "load_officials", "log_refusal", "official_for_api_key", "resolve_unit",
           "unit_of_report"]

log = logging.getLogger("troly06.stats.access")


def authorize(official: Official | None, requested: str) -> Decision:
    """Resolve ``requested`` first, then check the *unit* against the official's scope.

    Unknown places are allowed only to officials who see everything (their figures may
    come from a report of a unit the gazetteer lacks); loose or ambiguous names are
    returned as "confirm" so the caller asks instead of answering.
    """
    if official is None:
        return Decision("not_official", requested=requested)
    decision = resolve_unit(requested)
    if decision.status == "allowed" and decision.unit is not None:
        if official.sees(decision.unit):
            return decision
        return Decision("denied", decision.unit, requested=requested)
    if decision.status == "confirm":
        visible = tuple(u for u in decision.candidates if official.sees(u))
        if not visible:
            return Decision("denied", requested=requested)
        return Decision("confirm", candidates=visible, requested=requested)
    if official.everything:
        return Decision("allowed", Unit(nfc(requested).strip(), "", ""), requested=requested)
    return Decision("unknown", requested=requested)


def log_refusal(channel: str, user_id: str, locality: str | None, reason: str) -> None:
    """Log a refusal: channel, hashed user id, locality, reason — no message content."""
    log.warning("stats access refused channel=%s user=%s locality=%s reason=%s",
                channel, hash_user(user_id), locality or "-", reason)


REFUSAL_VI = ("Xin lỗi, số liệu thống kê Đề án 06 chỉ dành cho cán bộ được phân quyền. "
              "Nếu anh/chị là cán bộ, vui lòng liên hệ quản trị viên để được cấp quyền.")
REFUSAL_LOCALITY_VI = ("Xin lỗi, anh/chị chưa được phân quyền xem số liệu của địa bàn này.")


def can_view(channel: str, user_id: str, locality: str, *,
             path: str | Path | None = None) -> bool:
    """True when the verified (channel, user) is an official whose scope holds ``locality``."""
    decision = authorize(find_official(channel, user_id, path=path), locality)
    if not decision.allowed:
        log_refusal(channel, user_id, locality, decision.status)
    return decision.allowed
