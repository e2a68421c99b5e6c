"""Zalo OA webhook signature.

``X-ZEvent-Signature: mac=<hex sha256(app_id + raw body + timestamp + OA secret key)>``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

MAX_TIMESTAMP_DIGITS = 16  # milliseconds since 1970 have 13 digits until the year 2286


class SignatureError(Exception):
    """The event is unsigned (``status`` 401) or badly signed / stale (``status`` 403)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def compute_signature(app_id: str, body: bytes, timestamp: str, secret: str) -> str:
    """The header value Zalo sends: ``"mac=" + hex(sha256(app_id + body + timestamp + secret))``."""
    digest = hashlib.sha256(app_id.encode() + body + timestamp.encode() + secret.encode())
    return "mac=" + digest.hexdigest()


def event_timestamp(body: bytes) -> str:
    """The ``timestamp`` field (milliseconds, as sent) of the event body."""
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise SignatureError(403, "body is not JSON") from exc
    ts = data.get("timestamp") if isinstance(data, dict) else None
    ts = "" if ts is None else str(ts).strip()
    # ASCII digits of a sane length ("²".isdigit() is True; 10**400 ms overflows a float)
    if not (ts.isascii() and ts.isdigit()) or len(ts) > MAX_TIMESTAMP_DIGITS:
        raise SignatureError(403, "event has no numeric timestamp")
    return ts


def verify_signature(header: str | None, body: bytes, *, app_id: str, secret: str,
                     max_skew_s: int, now: float | None = None) -> str:
    """Check the signature and freshness of one event; return its timestamp.

    Raises :class:`SignatureError` (401 when the header is missing, 403 when it does not
    match or the event is older/newer than ``max_skew_s`` seconds).
    """
    if not header:
        raise SignatureError(401, "missing X-ZEvent-Signature")
    timestamp = event_timestamp(body)
    expected = compute_signature(app_id, body, timestamp, secret)
    # bytes: compare_digest refuses str with non-ASCII characters (a TypeError, i.e. a 500)
    if not hmac.compare_digest(header.strip().lower().encode(), expected.encode()):
        raise SignatureError(403, "signature mismatch")
    now = time.time() if now is None else now
    if max_skew_s > 0 and abs(now - int(timestamp) / 1000.0) > max_skew_s:
        raise SignatureError(403, "stale event timestamp")
    return timestamp
