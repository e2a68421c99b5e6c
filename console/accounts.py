"""Console accounts: operator, KB editor, admin; passwords hashed with argon2id
(argon2-cffi); sessions are signed tokens with a CSRF token derived from them."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from handoff.db import engine, now
from handoff.models import Account

ROLES = ("operator", "kb_editor", "admin")
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,79}$")
MIN_PASSWORD = 10
_HASHER = PasswordHasher()
# a hash to verify against when the user does not exist (same time as a wrong password)
_DUMMY = _HASHER.hash("not-a-password-" + secrets.token_hex(8))


@dataclass(frozen=True)
class Operator:
    """A logged-in console user."""

    username: str
    display_name: str
    role: str
    unit: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def may(self, *roles: str) -> bool:
        """True for an admin or one of ``roles``."""
        return self.is_admin or self.role in roles


def create_account(url: str, username: str, password: str, role: str, *, unit: str = "",
                   display_name: str = "") -> Operator:
    """Add (or replace the password and role of) an account; ValueError on bad input."""
    if not USERNAME_RE.match(username):
        raise ValueError("username: 3-80 of a-z 0-9 . _ -")
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"password shorter than {MIN_PASSWORD} characters")
    with Session(engine(url)) as s:
        row = s.get(Account, username)
        if row is None:
            row = Account(username=username, created_at=now(), active=True)
            s.add(row)
        row.display_name = display_name or username
        row.password_hash = _HASHER.hash(password)
        row.role, row.unit = role, unit
        s.commit()
        return Operator(username, row.display_name, role, unit)


def authenticate(url: str, username: str, password: str) -> Operator | None:
    """The account if ``password`` matches (constant work whether or not it exists)."""
    with Session(engine(url)) as s:
        row = s.get(Account, username[:80])
        stored = row.password_hash if row is not None and row.active else _DUMMY
        try:
            _HASHER.verify(stored, password[:1024])
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return None
        if row is None or not row.active:
            return None
        if _HASHER.check_needs_rehash(row.password_hash):
            row.password_hash = _HASHER.hash(password)
            s.commit()
        return Operator(row.username, row.display_name, row.role, row.unit)


def get_account(url: str, username: str) -> Operator | None:
    """The active account ``username`` (read each request: a disabled account stops at once)."""
    with Session(engine(url)) as s:
        row = s.get(Account, username)
        if row is None or not row.active:
            return None
        return Operator(row.username, row.display_name, row.role, row.unit)


def list_accounts(url: str) -> list[Operator]:
    with Session(engine(url)) as s:
        return [Operator(r.username, r.display_name, r.role, r.unit)
                for r in s.scalars(select(Account).where(Account.active.is_(True))
                                   .order_by(Account.username))]


# ---- sessions ----------------------------------------------------------------------------
def _mac(key: str, purpose: str, data: str) -> str:
    return hmac.new(f"console-{purpose}:{key}".encode(), data.encode(),
                    hashlib.sha256).hexdigest()


def issue_session(username: str, key: str, ttl_s: int, *, now_s: float | None = None
                  ) -> tuple[str, str]:
    """(session token, CSRF token) for ``username``, valid ``ttl_s`` seconds."""
    expiry = int((time.time() if now_s is None else now_s) + ttl_s)
    body = f"{username}.{expiry}.{secrets.token_urlsafe(12)}"
    token = f"{body}.{_mac(key, 'session', body)}"
    return token, csrf_for(token, key)


def csrf_for(token: str, key: str) -> str:
    """The CSRF token that goes with the session ``token``."""
    return _mac(key, "csrf", token)


def session_user(token: str | None, key: str, *, now_s: float | None = None) -> str | None:
    """The username of a valid, unexpired session token, else None (never raises)."""
    if not token or len(token) > 400:
        return None
    body, _, mac = token.rpartition(".")
    parts = body.rsplit(".", 2)  # usernames may hold dots; expiry and nonce do not
    if len(parts) != 3 or not hmac.compare_digest(mac, _mac(key, "session", body)):
        return None
    try:
        expiry = int(parts[1])
    except ValueError:
        return None
    if expiry < (time.time() if now_s is None else now_s):
        return None
    return parts[0]


def csrf_ok(token: str, csrf: str | None, key: str) -> bool:
    return bool(csrf) and hmac.compare_digest(csrf or "", csrf_for(token, key))
