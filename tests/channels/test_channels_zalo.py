"""Zalo OA webhook: signed and badly-signed events against the real app, replies checked on a
fake OA message API on localhost (real HTTP); answers come from the real knowledge base."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from api.main import create_app
from gateways.zalo import compute_signature, verify_signature
from gateways.zalo.signature import SignatureError
from knowledge import answer
from tests.api.api_testlib import app_env, serving, wait_for

APP_ID = "4321987654"
SECRET = "oa-secret-for-tests"
TOKEN = "oa-access-token"
QUESTION = "Đăng ký thường trú cần giấy tờ gì?"


class FakeOA:
    """Records ``POST /v3.0/oa/message/cs`` calls; the first call can be made to fail."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sent: list[dict[str, Any]] = []
        self.fail_first = 0
        self.app = Starlette(routes=[Route("/v3.0/oa/message/cs", self.message,
                                           methods=["POST"])])

    async def message(self, request: Request) -> JSONResponse:
        if request.headers.get("access_token") != TOKEN:
            return JSONResponse({"error": -216, "message": "Access token is invalid"})
        body = await request.json()
        with self.lock:
            if self.fail_first > 0:
                self.fail_first -= 1
                return JSONResponse({"error": "busy"}, status_code=503)
            self.sent.append(body)
        return JSONResponse({"error": 0, "message": "Success",
                             "data": {"message_id": f"m{len(self.sent)}"}})

    def to(self, user_id: str) -> list[dict[str, Any]]:
        with self.lock:
            return [b for b in self.sent if b["recipient"]["user_id"] == user_id]


@pytest.fixture(scope="module")
def oa() -> Iterator[FakeOA]:
    with serving(FakeOA()) as fake:
        yield fake


@pytest.fixture(scope="module")
def client(oa: FakeOA, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with app_env(tmp_path_factory.mktemp("zalo"), ZALO_APP_ID=APP_ID, ZALO_OA_SECRET=SECRET,
                 ZALO_ACCESS_TOKEN=TOKEN, ZALO_API_BASE=oa.url) as s:  # type: ignore[attr-defined]
        with TestClient(create_app(s)) as c:
            yield c


def event(user_id: str, text: str, msg_id: str, *, name: str = "user_send_text",
          ts: int | None = None) -> bytes:
    body = {"app_id": APP_ID, "user_id_by_app": "app-" + user_id, "event_name": name,
            "sender": {"id": user_id}, "recipient": {"id": "oa-1"},
            "message": {"text": text, "msg_id": msg_id},
            "timestamp": str(ts if ts is not None else int(time.time() * 1000))}
    return json.dumps(body, ensure_ascii=False).encode()


def post(client: TestClient, body: bytes, signature: str | None = "auto") -> Any:
    headers = {"content-type": "application/json"}
    if signature == "auto":
        signature = compute_signature(APP_ID, body, json.loads(body)["timestamp"], SECRET)
    if signature is not None:
        headers["X-ZEvent-Signature"] = signature
    return client.post("/webhooks/zalo", content=body, headers=headers)


def test_signed_text_event_is_answered_through_the_oa_api(client: TestClient,
                                                          oa: FakeOA) -> None:
    expected = answer(QUESTION).to_dict()
    resp = post(client, event("8001", QUESTION, "msg-1"))
    assert resp.status_code == 200 and resp.json() == {"ok": True, "handled": True}
    sent = wait_for(lambda: oa.to("8001"))
    text = sent[0]["message"]["text"]
    assert text.startswith(expected["answer"][:60])
    assert "Nguồn:" in text
    buttons = sent[-1]["message"]["attachment"]["payload"]["buttons"]
    assert [b["payload"] for b in buttons] == ["đúng", "sai"]


def test_retried_event_is_answered_once(client: TestClient, oa: FakeOA) -> None:
    body = event("8002", QUESTION, "msg-dup")
    assert post(client, body).status_code == 200
    wait_for(lambda: oa.to("8002"))
    count = len(oa.to("8002"))
    again = post(client, body)
    assert again.status_code == 200 and again.json()["handled"] is False
    time.sleep(0.5)
    assert len(oa.to("8002")) == count


def test_bad_signature_is_403_and_nothing_is_sent(client: TestClient, oa: FakeOA) -> None:
    body = event("8003", QUESTION, "msg-bad")
    forged = compute_signature(APP_ID, body, json.loads(body)["timestamp"], "wrong-secret")
    resp = post(client, body, forged)
    assert resp.status_code == 403
    assert resp.json()["error"] == "bad_signature"
    tampered = body.replace(b"8003", b"8004")
    sig = compute_signature(APP_ID, body, json.loads(body)["timestamp"], SECRET)
    assert post(client, tampered, sig).status_code == 403
    assert post(client, body, None).status_code == 401
    time.sleep(0.3)
    assert oa.to("8003") == [] and oa.to("8004") == []


def test_stale_event_is_refused(client: TestClient, oa: FakeOA) -> None:
    old = int((time.time() - 3600) * 1000)
    resp = post(client, event("8005", QUESTION, "msg-old", ts=old))
    assert resp.status_code == 403
    assert "stale" in resp.json()["message_en"]


def test_other_events_are_acknowledged_and_ignored(client: TestClient, oa: FakeOA) -> None:
    resp = post(client, event("8006", "", "msg-follow", name="follow"))
    assert resp.status_code == 200 and resp.json()["handled"] is False
    time.sleep(0.3)
    assert oa.to("8006") == []


def test_oa_api_errors_are_retried(client: TestClient, oa: FakeOA) -> None:
    oa.fail_first = 1
    assert post(client, event("8007", "/start", "msg-retry")).status_code == 200
    sent = wait_for(lambda: oa.to("8007"))
    assert "Trợ lý Đề án 06" in sent[0]["message"]["text"]


def test_signature_function_matches_zalo_formula() -> None:
    import hashlib

    body, ts = b'{"timestamp":"1700000000000"}', "1700000000000"
    expected = "mac=" + hashlib.sha256(f"{APP_ID}{body.decode()}{ts}{SECRET}".encode()).hexdigest()
    assert compute_signature(APP_ID, body, ts, SECRET) == expected
    assert verify_signature(expected, body, app_id=APP_ID, secret=SECRET, max_skew_s=0) == ts
    with pytest.raises(SignatureError) as err:
        verify_signature(expected, body, app_id=APP_ID, secret=SECRET, max_skew_s=60)
    assert err.value.status == 403
