"""Helpers of the handoff and console tests: accounts, a logged-in console client, and
settings with the agents always on duty (the tests run at any hour)."""

from __future__ import annotations

from typing import Any

from console.accounts import create_account

ALWAYS_OPEN = {"TROLY06_HANDOFF_HOURS": "mon-sun 00:00-24:00", "TROLY06_HANDOFF_HOLIDAYS": ""}
PASSWORD = "mat-khau-thu-nghiem-1"
ACCOUNTS = [("canbo.cantho", "operator", "cantho", "Nguyễn Văn An"),
            ("canbo.haugiang", "operator", "haugiang", "Trần Thị Bình"),
            ("bientap1", "kb_editor", "", "Lê Văn Cường"),
            ("bientap2", "kb_editor", "", "Phạm Thị Dung"),
            ("quantri", "admin", "", "Hoàng Quản Trị")]


def make_accounts(url: str) -> None:
    for username, role, unit, name in ACCOUNTS:
        create_account(url, username, PASSWORD, role, unit=unit, display_name=name)


def login(client: Any, username: str, base: str = "") -> str:
    """Log ``client`` (TestClient or httpx.Client) in; the CSRF token."""
    resp = client.post(f"{base}/console/api/login",
                       json={"username": username, "password": PASSWORD})
    assert resp.status_code == 200, resp.text
    return str(resp.json()["csrf_token"])


def csrf(token: str) -> dict[str, str]:
    return {"X-CSRF-Token": token}
