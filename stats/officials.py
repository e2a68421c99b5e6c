"""The officials file (``TROLY06_OFFICIALS_FILE``): its entries validated into
:class:`Official` with their scopes resolved to units, indexed in an :class:`OfficialStore`
that is re-read only when the file changes; lookups by channel user and API key."""

from __future__ import annotations

import hashlib
import hmac
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import yaml

from stats import units as admin
from stats.scope_units import Unit, resolve_unit
from stats.textnorm import locality_key, nfc
from troly06.yamlfile import read_yaml

CHANNELS = ("telegram", "zalo", "api")
MIN_KEY_CHARS = 32
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class OfficialsFileError(ValueError):
    """The officials file is invalid; the message says which entry and why."""


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


def hash_user(user_id: str) -> str:
    """Short stable hash of a user id for logs."""
    return hashlib.sha256(str(user_id).encode()).hexdigest()[:12]


def hash_key(key: str) -> str:
    """The SHA-256 hex digest stored for an API key (keys are random, >= 32 characters)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


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
            data = read_yaml(path) or {}
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
