"""Signed identities: who sent a message, as the gateway that authenticated them says.

Only a gateway knows who a user is: the API (an official's ``X-API-Key`` or login session,
or an anonymous web visitor), the Telegram gateway (updates from Telegram's servers, webhook
secret checked) and the Zalo gateway (event signature checked). The gateway signs what it
verified — channel, user id, official id, the Rasa sender id and the time — with an HMAC
keyed from the environment, and passes it in the message metadata. The action server
trusts only an identity whose signature verifies and that is fresh; the Rasa ``sender``
string and the ``input_channel`` are never evidence of who someone is.

Used by the API (Python 3.11) and the action server; no Rasa imports.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import Any

METADATA_KEY = "troly06_identity"
VERSION = "v1"
CHANNELS = ("web", "api", "telegram", "zalo")


@dataclass(frozen=True)
class Identity:
    """A user as authenticated by a gateway; ``official`` is the official's id, if any."""

    channel: str
    user_id: str
    official: str | None = None
    issued_at: int = 0

    @property
    def sender(self) -> str:
        """The Rasa conversation id of this user: ``"<channel>:<user id>"``."""
        return f"{self.channel}:{self.user_id}"


ANONYMOUS = Identity("anonymous", "")


def _payload(channel: str, user_id: str, official: str | None, sender: str, ts: int) -> bytes:
    return json.dumps([VERSION, channel, user_id, official or "", sender, ts],
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sign_identity(identity: Identity, key: str, *, now: float | None = None) -> dict[str, Any]:
    """The metadata value carrying ``identity``, signed with ``key`` for its sender id."""
    if identity.channel not in CHANNELS:
        raise ValueError(f"unknown channel {identity.channel!r}")
    ts = int(time.time() if now is None else now)
    sig = hmac.new(key.encode(), _payload(identity.channel, identity.user_id,
                                          identity.official, identity.sender, ts),
                   hashlib.sha256).hexdigest()
    return {"v": VERSION, "channel": identity.channel, "user": identity.user_id,
            "official": identity.official, "ts": ts, "sig": sig}


def verify_identity(value: Any, sender: str, key: str, *, max_age_s: int = 600,
                    now: float | None = None) -> Identity | None:
    """The identity in ``value`` if its signature is valid for ``sender`` and fresh, else None.

    Never raises on hostile input: anything malformed is simply not an identity.
    """
    if not isinstance(value, dict) or value.get("v") != VERSION or not key:
        return None
    channel, user, official = value.get("channel"), value.get("user"), value.get("official")
    ts, sig = value.get("ts"), value.get("sig")
    if (not isinstance(channel, str) or channel not in CHANNELS or not isinstance(user, str)
            or not user or not (official is None or isinstance(official, str))
            or not isinstance(ts, int) or isinstance(ts, bool) or not isinstance(sig, str)):
        return None
    current = time.time() if now is None else now
    if ts > current + 60 or current - ts > max_age_s:
        return None
    if f"{channel}:{user}" != sender:
        return None
    expected = hmac.new(key.encode(), _payload(channel, user, official, sender, ts),
                        hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, sig):
        return None
    return Identity(channel, user, official or None, ts)
