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
"""

from __future__ import annotations

import difflib
import hashlib
import hmac
import logging
import re
import threading
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml

from stats import units as admin
from stats.textnorm import fold, locality_key, nfc

log = logging.getLogger("troly06.stats.access")

CHANNELS = ("telegram", "zalo", "api")
MIN_KEY_CHARS = 32
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
LEVEL_WORDS = {"thanh pho": "thành phố", "tp": "thành phố", "thi xa": "thị xã",
               "tx": "thị xã", "huyen": "huyện", "quan": "quận", "tinh": "tỉnh",
               "phuong": "phường", "xa": "xã", "dac khu": "đặc khu", "thi tran": "thị trấn"}


class OfficialsFileError(ValueError):
    """The officials file is invalid; the message says which entry and why."""


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


@dataclass(frozen=True)
class Official:
    """One official and the units they may see (``everything``: scope "*")."""

    id: str
    name: str
    channel: str
    user_id: str | None
    api_key_sha256: str | None
    units: tuple[Unit, ...] = ()
    provinces: tuple[str, ...] = ()
    everything: bool = False

    @property
    def localities(self) -> tuple[str, ...]:
        """The scope as text, for replies ("thành phố Ngã Bảy", "Hậu Giang/*", "*")."""
        if self.everything:
            return ("*",)
        return tuple(u.display for u in self.units) + tuple(f"{p}/*" for p in self.provinces)

    def sees(self, unit: Unit) -> bool:
        """True when ``unit`` is within this official's scope."""
        if self.everything:
            return True
        keys = {locality_key(p) for p in self.provinces}
        if keys:
            mine = {locality_key(unit.province), locality_key(unit.current_province)}
            if not unit.is_province:
                mine |= {locality_key(p) for p in unit.former_provinces}
            if keys & (mine - {""}):
                return True
        return not unit.is_province and unit in self.units


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


def hash_user(user_id: str) -> str:
    """Short stable hash of a user id for logs."""
    return hashlib.sha256(str(user_id).encode()).hexdigest()[:12]


def hash_key(key: str) -> str:
    """The SHA-256 hex digest stored for an API key (keys are random, >= 32 characters)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


# --- resolution -------------------------------------------------------------------------

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
    data = yaml.safe_load(Path(__file__).with_name("units.yaml").read_text("utf-8")) or {}
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
        tier = "district" if p.structure == "legacy" else "ward"
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


# --- the store --------------------------------------------------------------------------

def _parse_official(raw: object, n: int, where: str) -> Official:
    if not isinstance(raw, dict):
        raise OfficialsFileError(f"{where}: entry {n}: not a mapping")
    name = nfc(str(raw.get("name") or "")).strip()
    label = f"{where}: official {n} ({name or '?'})"
    channel = str(raw.get("channel", "")).strip().lower()
    if channel == "rest":
        raise OfficialsFileError(f"{label}: channel 'rest' is no longer supported (a sender "
                                 "string proves nothing); use channel 'api' with a key")
    if channel not in CHANNELS:
        raise OfficialsFileError(f"{label}: unknown channel {channel!r} ({', '.join(CHANNELS)})")
    user_id = str(raw["user_id"]).strip() if raw.get("user_id") is not None else None
    key_hash = str(raw.get("api_key_sha256") or "").strip().lower() or None
    if raw.get("api_key"):
        raise OfficialsFileError(f"{label}: plain 'api_key' is not accepted; store "
                                 "'api_key_sha256' (troly06 officials new-key)")
    if channel == "api":
        if not key_hash or not _HEX64.match(key_hash):
            raise OfficialsFileError(f"{label}: channel 'api' needs api_key_sha256 (64 hex)")
    elif not user_id:
        raise OfficialsFileError(f"{label}: channel {channel!r} needs user_id")
    oid = str(raw.get("id") or "").strip().lower() or (
        f"{channel}-{hash_user(user_id or key_hash or name)}")
    if not _ID_RE.match(oid):
        raise OfficialsFileError(f"{label}: bad id {oid!r}")
    units: list[Unit] = []
    provinces: list[str] = []
    everything = False
    scopes = raw.get("localities") or []
    if not isinstance(scopes, list) or not scopes:
        raise OfficialsFileError(f"{label}: 'localities' must be a non-empty list")
    for scope in scopes:
        text = nfc(str(scope)).strip()
        if text == "*":
            everything = True
        elif text.endswith("/*"):
            prov = admin.province(text[:-2])
            if prov is None:
                raise OfficialsFileError(f"{label}: unknown province in scope {text!r}")
            provinces.append(prov.name)
        else:
            decision = resolve_unit(text)
            if decision.status != "allowed" or decision.unit is None:
                options = ", ".join(u.display for u in decision.candidates)
                raise OfficialsFileError(
                    f"{label}: scope {text!r} does not name exactly one unit"
                    + (f" (could be: {options}; write the level, e.g. 'thị xã Long Mỹ')"
                       if options else ""))
            if decision.unit.is_province:
                provinces.append(decision.unit.province)
            else:
                units.append(decision.unit)
    return Official(oid, name, channel, user_id, key_hash, tuple(units), tuple(provinces),
                    everything)


class OfficialStore:
    """The validated officials of one file, indexed by id, channel user and key hash."""

    def __init__(self, officials: list[Official]) -> None:
        self.officials = tuple(officials)
        self._by_id: dict[str, Official] = {}
        self._by_user: dict[tuple[str, str], Official] = {}
        self._by_key: dict[str, Official] = {}
        for off in officials:
            if off.id in self._by_id:
                raise OfficialsFileError(f"duplicate official id {off.id!r}")
            self._by_id[off.id] = off
            if off.user_id:
                self._by_user[(off.channel, off.user_id)] = off
            if off.api_key_sha256:
                self._by_key[off.api_key_sha256] = off

    @classmethod
    def from_file(cls, path: Path) -> OfficialStore:
        """Load and validate ``path`` (missing file: no officials); raises on a bad file."""
        if not path.exists():
            return cls([])
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise OfficialsFileError(f"{path}: invalid YAML: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("officials") or [], list):
            raise OfficialsFileError(f"{path}: expected a mapping with an 'officials' list")
        return cls([_parse_official(raw, n, str(path))
                    for n, raw in enumerate(data.get("officials") or [], 1)])

    def get(self, official_id: str | None) -> Official | None:
        return self._by_id.get(official_id or "")

    def for_user(self, channel: str, user_id: str) -> Official | None:
        """The official behind a Telegram/Zalo user id the gateway verified."""
        return self._by_user.get((channel.strip().lower(), str(user_id)))

    def for_api_key(self, key: str | None) -> Official | None:
        """The official owning API key ``key``, or None (too short keys never match)."""
        if not key or len(key) < MIN_KEY_CHARS or len(key) > 512:
            return None
        digest = hash_key(key)
        for stored, off in self._by_key.items():  # constant time per comparison
            if hmac.compare_digest(stored, digest):
                return off
        return None


_CACHE: dict[Path, tuple[tuple[float, int], OfficialStore]] = {}
_LOCK = threading.Lock()


def get_store(path: str | Path) -> OfficialStore:
    """The store of ``path``, cached; re-read only when the file's mtime or size changes."""
    p = Path(path)
    try:
        st = p.stat()
        stamp = (st.st_mtime, st.st_size)
    except FileNotFoundError:
        stamp = (0.0, -1)
    with _LOCK:
        cached = _CACHE.get(p)
        if cached is not None and cached[0] == stamp:
            return cached[1]
    store = OfficialStore.from_file(p)
    with _LOCK:
        _CACHE[p] = (stamp, store)
    return store


# --- decisions --------------------------------------------------------------------------

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


# --- conveniences over the configured file (path from the settings by default) ----------

def _store(path: str | Path | None) -> OfficialStore:
    if path is None:
        from troly06.config import get_settings

        path = get_settings().officials_file
    return get_store(path)


def load_officials(path: str | Path | None = None) -> list[Official]:
    """Every official of the file (validated; raises :class:`OfficialsFileError`)."""
    return list(_store(path).officials)


def find_official(channel: str, user_id: str, *, path: str | Path | None = None
                  ) -> Official | None:
    """The official behind a gateway-verified Telegram/Zalo user id, or None."""
    return _store(path).for_user(channel, user_id)


def official_for_api_key(key: str | None, *, path: str | Path | None = None
                         ) -> Official | None:
    """The official owning API key ``key``, or None."""
    return _store(path).for_api_key(key)


def can_view(channel: str, user_id: str, locality: str, *,
             path: str | Path | None = None) -> bool:
    """True when the verified (channel, user) is an official whose scope holds ``locality``."""
    decision = authorize(find_official(channel, user_id, path=path), locality)
    if not decision.allowed:
        log_refusal(channel, user_id, locality, decision.status)
    return decision.allowed
