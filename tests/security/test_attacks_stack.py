"""Attacks against the running stack: real Rasa, real action server, real API over HTTP.

Each test runs what an attacker who can reach a port would try, and asserts that it fails
safely (docs/security.md, threat model).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from devtools.run_all import Ports, Stack
from tests.api.api_testlib import HAUGIANG_KEY, OFFICIALS, REPORTS
from tests.rasa.conftest import free_port, latest_model, need_rasa_env
from troly06.config import REPO_ROOT

pytestmark = [pytest.mark.rasa, pytest.mark.slow]
OFFICIAL_SENDER = "telegram:100000002"  # the province-wide official of officials_test.yaml
STATS_QUESTION = "/thongke Ngã Bảy tuần 28/2023"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    need_rasa_env()
    tmp = tmp_path_factory.mktemp("sec")
    db = tmp / "troly06.db"
    env = {"RASA_TRACKER_DB": str(tmp / "tracker.db"), "DATABASE_URL": f"sqlite:///{db}",
           "TROLY06_DATA_DIR": str(tmp / "var"),
           # the index `make test` built (kb-build): building one per server takes minutes
           "TROLY06_INDEX_DIR": str(REPO_ROOT / "var" / "index"),
           "TROLY06_OFFICIALS_FILE": str(OFFICIALS),
           "TROLY06_TODAY": "2023-07-19", "TROLY06_RATE_LIMIT_PER_MINUTE": "100000"}
    import subprocess
    import sys

    subprocess.run([sys.executable, "-m", "troly06.cli", "stats", "ingest",
                    str(REPORTS / "ngabay_2023-07-12_seed.txt")],
                   env={**__import__("os").environ, **env}, check=True, capture_output=True)
    running = Stack(Ports(rasa=free_port(), actions=free_port(), api=free_port()),
                    models=str(latest_model()), log_dir=tmp / "logs", timeout=600, env=env)
    running.tmp = tmp  # type: ignore[attr-defined]
    with running:
        yield running


def rasa_say(stack: Stack, sender: str, message: str, **extra: object) -> str:
    resp = httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook",
                      json={"sender": sender, "message": message, **extra}, timeout=120)
    resp.raise_for_status()
    return "\n".join(m.get("text") or "" for m in resp.json())


def test_forged_official_sender_straight_to_rasa_is_a_citizen(stack: Stack) -> None:
    """Picking an official's sender id (and channel, and fake metadata) proves nothing."""
    text = rasa_say(stack, OFFICIAL_SENDER, STATS_QUESTION, input_channel="telegram",
                    metadata={"troly06_identity": {"v": "v1", "channel": "telegram",
                                                   "user": "100000002",
                                                   "official": "haugiang-telegram",
                                                   "ts": 1, "sig": "0" * 64}})
    assert "chỉ dành cho cán bộ" in text
    assert "1.421" not in text


def test_rasa_http_api_and_socketio_are_closed(stack: Stack) -> None:
    for method, path in (("GET", "/conversations/x/tracker"), ("GET", "/status"),
                         ("PUT", "/model"), ("POST", "/conversations/x/execute"),
                         ("GET", "/socket.io/?EIO=4&transport=polling")):
        resp = httpx.request(method, f"{stack.rasa_url}{path}", timeout=30)
        assert resp.status_code in (404, 405), (path, resp.status_code)


def test_action_server_refuses_calls_without_rasas_token(stack: Stack) -> None:
    call = {"next_action": "action_stats_query", "sender_id": OFFICIAL_SENDER,
            "tracker": {"sender_id": OFFICIAL_SENDER, "slots": {"locality": "Ngã Bảy"},
                        "latest_message": {}, "events": []}, "domain": {}}
    for headers in ({}, {"X-Troly06-Action-Token": "wrong"}):
        resp = httpx.post(f"{stack.actions_url}/webhook", json=call, headers=headers,
                          timeout=30)
        assert resp.status_code == 401
    assert httpx.get(f"{stack.actions_url}/actions", timeout=30).status_code == 401
    assert httpx.get(f"{stack.actions_url}/health", timeout=30).status_code == 200


def test_official_key_runs_the_chat_as_that_official(stack: Stack) -> None:
    url = f"{stack.api_url}/api/chat"
    body = {"sender": "portal-1", "message": STATS_QUESTION}
    citizen = httpx.post(url, json=body, timeout=120).json()
    assert "chỉ dành cho cán bộ" in str(citizen)
    official = httpx.post(url, json=body, headers={"X-API-Key": HAUGIANG_KEY}, timeout=120)
    assert official.status_code == 200
    assert "Ngã Bảy" in str(official.json()) and "chỉ dành cho cán bộ" not in str(official.json())
    wrong = httpx.post(url, json=body, headers={"X-API-Key": "x" * 40}, timeout=30)
    assert wrong.status_code == 403


def test_widget_session_is_httponly_strict_and_csrf_checked(stack: Stack) -> None:
    with httpx.Client(base_url=stack.api_url or "", timeout=120) as client:
        login = client.post("/api/session", json={"api_key": HAUGIANG_KEY})
        assert login.status_code == 200
        cookie = login.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "path=/api" in cookie
        csrf = login.json()["csrf_token"]
        body = {"sender": "widget-1", "message": STATS_QUESTION}
        # the browser sends the cookie, a forged cross-site form cannot send the token
        assert client.post("/api/chat", json=body).status_code == 403
        assert client.post("/api/chat", json=body,
                           headers={"X-CSRF-Token": "0" * 64}).status_code == 403
        ok = client.post("/api/chat", json=body, headers={"X-CSRF-Token": csrf})
        assert ok.status_code == 200 and "chỉ dành cho cán bộ" not in str(ok.json())
        assert client.delete("/api/session").status_code == 204


def test_no_personal_data_in_trackers_reports_or_logs(stack: Stack) -> None:
    """After real conversations with every form of personal data: a scan finds none."""
    from tests.security.pii_scan import scan_text

    for message in ("CCCD của tôi 079 203 001 234, sđt 0912-345-678 mất thẻ thì sao",
                    "email nguyenvana@gmail.com hộ chiếu C1234567 hỏi đổi thẻ",
                    "số bhxh 7912345678 và 0084 912 345 678 kích hoạt vneid"):
        httpx.post(f"{stack.api_url}/api/chat", json={"sender": "pii-1", "message": message},
                   timeout=120).raise_for_status()
    tmp: Path = stack.tmp  # type: ignore[attr-defined]
    found: list[str] = []
    for db in (tmp / "tracker.db", tmp / "troly06.db"):
        with sqlite3.connect(db) as conn:
            tables = [t for (t,) in conn.execute(
                "select name from sqlite_master where type='table'")]
            for table in tables:
                if table in ("media_images", "alembic_version"):
                    continue  # PNG bytes, schema version
                # tracker rows: the event data (the sender id column is the channel's id)
                columns = "data" if table == "events" else "*"
                for row in conn.execute(f'select {columns} from "{table}"'):  # noqa: S608
                    # column by column: joining a row's numbers would make digit runs
                    for value in row:
                        found += scan_text(str(value), ignore_urls=True)
    for log in (tmp / "logs").glob("*.log"):
        found += scan_text(log.read_text(errors="replace"), ignore_urls=True)
    assert found == []
