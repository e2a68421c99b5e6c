"""Who may see statistics: officials configured in ``config/officials.yaml``.

Format (path from ``TROLY06_OFFICIALS_FILE``)::

    officials:
      - name: Nguyễn Văn A
        channel: telegram          # telegram | zalo | rest | api
        user_id: "123456789"       # channel user id (api: use api_key instead)
        localities: ["Ngã Bảy"]    # names with or without diacritics/prefix,
                                   # "Hậu Giang/*" = every district of a province, "*" = all

Refusals are logged with the channel, a hash of the user id and the locality only —
never the message text.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass
from pathlib import Path

import yaml

from stats.parser import known_localities
from stats.textnorm import locality_key, nfc
from troly06.config import get_settings
from troly06.pii import install_log_filter

log = logging.getLogger("troly06.stats.access")
install_log_filter(log)

CHANNELS = ("telegram", "zalo", "rest", "api")


@dataclass(frozen=True)
class Official:
    """One official and the localities they may see."""

    name: str
    channel: str
    user_id: str | None
    api_key: str | None
    localities: tuple[str, ...]

    def sees(self, locality: str) -> bool:
        """True when ``locality`` (a district or "tỉnh X") is within this official's scope."""
        key = locality_key(locality)
        province_of = {locality_key(k.name): locality_key(k.province) for k in known_localities()}
        is_province = nfc(locality).strip().lower().startswith("tỉnh") or (
            key in {locality_key(k.province) for k in known_localities()}
            and key not in province_of)
        for scope in self.localities:
            if scope.strip() == "*":
                return True
            if scope.endswith("/*"):
                prov = locality_key(scope[:-2])
                if key == prov or province_of.get(key) == prov:
                    return True
            elif not is_province and locality_key(scope) == key:
                return True
        return False


def hash_user(user_id: str) -> str:
    """Short stable hash of a user id for logs."""
    return hashlib.sha256(str(user_id).encode()).hexdigest()[:12]


def load_officials(path: str | Path | None = None) -> list[Official]:
    """Officials from the YAML file (empty list when the file is missing)."""
    path = Path(path or get_settings().officials_file)
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = []
    for raw in data.get("officials") or []:
        channel = str(raw.get("channel", "")).strip().lower()
        if channel not in CHANNELS:
            raise ValueError(f"{path}: official {raw.get('name')!r}: unknown channel {channel!r}")
        out.append(Official(
            name=nfc(str(raw.get("name", ""))), channel=channel,
            user_id=str(raw["user_id"]) if raw.get("user_id") is not None else None,
            api_key=str(raw["api_key"]) if raw.get("api_key") else None,
            localities=tuple(nfc(str(x)) for x in raw.get("localities") or ())))
    return out


def find_official(channel: str, user_id: str, *, path: str | Path | None = None
                  ) -> Official | None:
    """The official with this channel user id, or None."""
    channel = channel.strip().lower()
    for off in load_officials(path):
        if off.channel == channel and off.user_id is not None and off.user_id == str(user_id):
            return off
    return None


def official_for_api_key(key: str | None, *, path: str | Path | None = None
                         ) -> Official | None:
    """The official owning API key ``key`` (constant-time compare), or None."""
    if not key:
        return None
    for off in load_officials(path):
        if off.api_key and hmac.compare_digest(off.api_key.encode(), key.encode()):
            return off
    return None


def log_refusal(channel: str, user_id: str, locality: str | None, reason: str) -> None:
    """Log a refusal: channel, hashed user id, locality, reason — no message content."""
    log.warning("stats access refused channel=%s user=%s locality=%s reason=%s",
                channel, hash_user(user_id), locality or "-", reason)


def is_official(channel: str, user_id: str, *, path: str | Path | None = None) -> bool:
    """True when the user is a configured official (any locality)."""
    return find_official(channel, user_id, path=path) is not None


def can_view(channel: str, user_id: str, locality: str, *,
             path: str | Path | None = None) -> bool:
    """True when the official behind (channel, user_id) may see ``locality``.

    Every refusal is logged (without message content).
    """
    official = find_official(channel, user_id, path=path)
    if official is None:
        log_refusal(channel, user_id, locality, "not_official")
        return False
    if not official.sees(locality):
        log_refusal(channel, user_id, locality, "locality_not_allowed")
        return False
    return True


def can_view_with_key(api_key: str | None, locality: str, *,
                      path: str | Path | None = None) -> bool:
    """Same as :func:`can_view` for API keys (REST clients)."""
    official = official_for_api_key(api_key, path=path)
    if official is None or not official.sees(locality):
        log_refusal("api", api_key or "", locality,
                    "not_official" if official is None else "locality_not_allowed")
        return False
    return True


REFUSAL_VI = ("Xin lỗi, số liệu thống kê Đề án 06 chỉ dành cho cán bộ được phân quyền. "
              "Nếu anh/chị là cán bộ, vui lòng liên hệ quản trị viên để được cấp quyền.")
REFUSAL_LOCALITY_VI = ("Xin lỗi, anh/chị chưa được phân quyền xem số liệu của địa bàn này.")
