"""Officials' widget sessions: a short-lived, signed, HttpOnly cookie and its CSRF token.

``POST /api/session`` with an official's key sets the cookie (HttpOnly, SameSite=Strict,
Secure over HTTPS, path /api) and returns a CSRF token. A chat request authenticated by the
cookie must send that token in ``X-CSRF-Token``: a cross-site page can make the browser send
the cookie but cannot read the token (the cookie is SameSite=Strict anyway, and the CORS
policy does not expose the login response to other origins).

Token: ``<official id>.<expiry>.<nonce>.<hmac>``; the CSRF token is an HMAC of the session
token under a second derivation of the key. No server-side state, so any API replica checks
it; logging out clears the cookie (a stolen token stays valid until it expires, ≤ TTL).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

COOKIE = "troly06_session"
CSRF_HEADER = "X-CSRF-Token"


def _mac(key: str, purpose: str, data: str) -> str:
    return hmac.new(f"{purpose}:{key}".encode(), data.encode(), hashlib.sha256).hexdigest()


def issue(official_id: str, key: str, ttl_s: int, *, now: float | None = None
          ) -> tuple[str, str]:
    """(session token, CSRF token) for ``official_id``, valid ``ttl_s`` seconds."""
    expiry = int((time.time() if now is None else now) + ttl_s)
    body = f"{official_id}.{expiry}.{secrets.token_urlsafe(12)}"
    token = f"{body}.{_mac(key, 'session', body)}"
    return token, _mac(key, "csrf", token)


def verify(token: str | None, csrf: str | None, key: str, *, now: float | None = None
           ) -> str | None:
    """The official id of a valid, unexpired session whose CSRF token matches, else None."""
    if not token or not csrf or len(token) > 512:
        return None
    body, _, mac = token.rpartition(".")
    parts = body.split(".")
    if len(parts) != 3 or not hmac.compare_digest(mac, _mac(key, "session", body)):
        return None
    if not hmac.compare_digest(csrf, _mac(key, "csrf", token)):
        return None
    try:
        expiry = int(parts[1])
    except ValueError:
        return None
    if expiry < (time.time() if now is None else now):
        return None
    return parts[0]
