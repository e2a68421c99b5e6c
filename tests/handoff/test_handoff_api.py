"""The handoff and the console through the real app (TestClient; Rasa unreachable, so the
bot answers from the real KB): the widget flow over the API, analytics checked against the
conversations created here, unanswered questions fed by real chats (not-sure answers and
👎), the kill switch, after-hours questions, transfer, two replicas, and every refusal."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from console.accounts import issue_session
from tests.api.api_testlib import app_env
from tests.handoff.handoff_testlib import ALWAYS_OPEN, csrf, login, make_accounts
from troly06.config import Settings

QUESTION = "Quên mật khẩu VNeID thì làm sao?"
NONSENSE = ["con mèo nhà mình bay lên trời thế nào", "giá vàng hôm nay bao nhiêu"]


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    with app_env(tmp_path_factory.mktemp("handoff"), **ALWAYS_OPEN) as s:
        make_accounts(s.sqlalchemy_url)
        yield s


@pytest.fixture(scope="module")
def app(settings: Settings) -> Iterator[Any]:
    application = create_app(settings)
    with TestClient(application):
        yield application


def client(app: Any) -> TestClient:
    """A separate browser (own cookies) on the running app (a dotted host name: the cookie
    jar keeps host-only cookies of "testserver" under "testserver.local")."""
    return TestClient(app, base_url="http://console.test")


def chat(c: TestClient, sender: str, text: str) -> dict[str, Any]:
    resp = c.post("/api/chat", json={"sender": sender, "message": text})
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_widget_flow_over_the_api(app: Any) -> None:
    citizen, op = client(app), client(app)
    first = chat(citizen, "w-flow", "Cho mình gặp cán bộ, số mình 0912345678")
    assert first["handoff"]["status"] == "queued" and first["handoff"]["position"] >= 1
    assert "vị trí số" in first["replies"][0]["text"]
    silent = chat(citizen, "w-flow", QUESTION)
    assert silent["replies"] == []                      # the bot stays silent
    token = login(op, "canbo.cantho")
    queue = op.get("/console/api/queue").json()["conversations"]
    conv = next(c for c in queue if c["status"] == "queued" and c["channel"] == "web")
    cid = conv["id"]
    taking = op.post(f"/console/api/conversations/{cid}/take", headers=csrf(token))
    assert taking.status_code == 200
    detail = op.get(f"/console/api/conversations/{cid}").json()
    texts = [m["text"] for m in detail["messages"]]
    assert "0912345678" not in " ".join(texts) and "[số điện thoại đã ẩn]" in texts[0]
    assert QUESTION in texts
    r = op.post(f"/console/api/conversations/{cid}/reply", headers=csrf(token),
                json={"text": "Chào bạn, bạn vào mục Quên mật khẩu trên VNeID nhé."})
    assert r.status_code == 200
    inbox = citizen.get("/api/chat/inbox", params={"sender": "w-flow"}).json()
    assert inbox["status"] == "assigned"
    assert [m["author"] for m in inbox["messages"]] == ["system", "operator"]
    assert "Quên mật khẩu trên VNeID" in inbox["messages"][1]["text"]
    last = inbox["messages"][-1]["id"]
    assert citizen.get("/api/chat/inbox", params={"sender": "w-flow", "after": last}
                       ).json()["messages"] == []
    closing = op.post(f"/console/api/conversations/{cid}/close", headers=csrf(token))
    assert closing.status_code == 200
    again = chat(citizen, "w-flow", QUESTION)           # the bot answers again
    assert again["handoff"] is None and again["replies"][0]["custom"]["status"] == "answered"
    closed = citizen.get("/api/chat/inbox", params={"sender": "w-flow", "after": last}).json()
    assert closed["status"] == "closed" and "trợ lý tự động" in closed["messages"][0]["text"]


def test_refusals_are_clear_and_lose_nothing(app: Any, settings: Settings) -> None:
    citizen, op, other, editor = client(app), client(app), client(app), client(app)
    chat(citizen, "w-bad", "nói chuyện với người thật")
    token = login(op, "canbo.cantho")
    cid = next(c["id"] for c in op.get("/console/api/queue").json()["conversations"]
               if c["status"] == "queued")
    base = f"/console/api/conversations/{cid}"
    # no CSRF header, a wrong one: 403, nothing changes
    assert op.post(f"{base}/take").json()["error"] == "csrf_invalid"
    assert op.post(f"{base}/take", headers=csrf("0" * 64)).status_code == 403
    # not logged in, forged or expired cookies: 401
    anon = client(app)
    assert anon.get("/console/api/queue").status_code == 401
    forged, forged_csrf = issue_session("quantri", "not-the-server-key" * 2, 600)
    anon.cookies.set("troly06_console", forged, path="/console")
    assert anon.post(f"{base}/take", headers=csrf(forged_csrf)).status_code == 401
    expired, _ = issue_session("quantri", settings.secret("session"), -10)
    anon.cookies.set("troly06_console", expired, path="/console")
    assert anon.get("/console/api/queue").status_code == 401
    assert op.post("/console/api/login", json={"username": "canbo.cantho",
                                               "password": "sai"}).status_code == 401
    assert op.post("/console/api/login", content=b"{not json",
                   headers={"content-type": "application/json"}).status_code == 422
    # wrong role: a KB editor cannot take, an operator cannot flip the kill switch
    etoken = login(editor, "bientap1")
    assert editor.post(f"{base}/take", headers=csrf(etoken)).json()["error"] == "forbidden_role"
    assert op.post("/console/api/switch", headers=csrf(token),
                   json={"hotline_only": True}).status_code == 403
    assert op.get("/console/api/audit").status_code == 403
    # another unit's operator cannot act on it
    otoken = login(other, "canbo.haugiang")
    assert other.post(f"{base}/take", headers=csrf(otoken)).json()["error"] == "other_unit"
    # replying before taking, empty, huge and malformed replies
    assert op.post(f"{base}/reply", headers=csrf(token), json={"text": "x"}).status_code == 403
    assert op.post(f"{base}/take", headers=csrf(token)).status_code == 200
    assert op.post(f"{base}/take", headers=csrf(token)).json()["error"] == "taken"
    assert op.post(f"{base}/reply", headers=csrf(token), json={"text": "  "}).status_code == 422
    huge = "a" * (settings.max_message_chars + 1)
    assert op.post(f"{base}/reply", headers=csrf(token), json={"text": huge}).status_code == 413
    assert op.post(f"{base}/reply", headers=csrf(token), json={"txt": 1}).status_code == 422
    assert op.post(f"{base}/transfer", headers=csrf(token),
                   json={"unit": "khong-co"}).json()["error"] == "unknown_unit"
    assert op.get("/console/api/conversations/99999").status_code == 404
    # the citizen's messages were all kept while the refusals happened
    assert citizen.post("/api/chat", json={"sender": "w-bad", "message": "   "}).status_code == 422
    assert citizen.post("/api/chat", json={"sender": "w-bad", "message": "b" * 3000}
                        ).status_code == 413
    assert citizen.get("/api/chat/inbox", params={"sender": "w-bad", "after": -1}
                       ).status_code == 422
    assert citizen.get("/api/chat/inbox").status_code == 422
    assert citizen.get("/api/chat/inbox", params={"sender": "nobody"}).json() == {
        "status": None, "messages": []}
    chat(citizen, "w-bad", "còn đó không ạ")
    texts = [m["text"] for m in op.get(base).json()["messages"] if m["author"] == "citizen"]
    assert texts == ["nói chuyện với người thật", "còn đó không ạ"]
    assert op.post(f"{base}/close", headers=csrf(token)).status_code == 200


def test_transfer_to_another_unit(app: Any) -> None:
    citizen, a, b = client(app), client(app), client(app)
    chat(citizen, "w-move", "Mình ở Ninh Kiều, cho gặp cán bộ hỗ trợ")
    ta, tb = login(a, "canbo.cantho"), login(b, "canbo.haugiang")
    cid = next(c["id"] for c in a.get("/console/api/queue").json()["conversations"]
               if c["status"] == "queued")
    assert cid not in [c["id"] for c in b.get("/console/api/queue").json()["conversations"]]
    a.post(f"/console/api/conversations/{cid}/take", headers=csrf(ta))
    moved = a.post(f"/console/api/conversations/{cid}/transfer", headers=csrf(ta),
                   json={"unit": "haugiang"}).json()["conversation"]
    assert (moved["unit"], moved["status"]) == ("haugiang", "queued")
    assert cid in [c["id"] for c in b.get("/console/api/queue").json()["conversations"]]
    assert b.post(f"/console/api/conversations/{cid}/take", headers=csrf(tb)).status_code == 200
    b.post(f"/console/api/conversations/{cid}/reply", headers=csrf(tb), json={"text": "Chào bạn"})
    inbox = citizen.get("/api/chat/inbox", params={"sender": "w-move"}).json()["messages"]
    assert any("Hậu Giang" in m["text"] for m in inbox) and inbox[-1]["text"] == "Chào bạn"
    b.post(f"/console/api/conversations/{cid}/close", headers=csrf(tb))


def test_kill_switch_and_audit_log(app: Any) -> None:
    admin, citizen = client(app), client(app)
    token = login(admin, "quantri")
    assert admin.post("/console/api/switch", headers=csrf(token),
                      json={"hotline_only": True}).json() == {"hotline_only": True}
    reply = chat(citizen, "w-kill", QUESTION)["replies"]
    assert len(reply) == 1 and "1900 0368" in reply[0]["text"]
    admin.post("/console/api/switch", headers=csrf(token), json={"hotline_only": False})
    assert chat(citizen, "w-kill", QUESTION)["replies"][0]["custom"]["status"] == "answered"
    actions = [(e["actor"], e["action"]) for e in admin.get("/console/api/audit").json()["events"]]
    assert ("quantri", "hotline_only") in actions
    assert ("canbo.cantho", "take") in actions and ("canbo.cantho", "reply") in actions
    assert ("canbo.cantho", "transfer") in actions and ("canbo.haugiang", "close") in actions
    assert ("canbo.cantho", "login_failed") in actions


def test_not_sure_twice_offers_a_person_and_feeds_the_unanswered_view(app: Any) -> None:
    citizen, editor = client(app), client(app)
    first = chat(citizen, "w-ns", NONSENSE[0])
    assert first["replies"][0]["custom"]["status"] == "not_sure" and len(first["replies"]) == 1
    second = chat(citizen, "w-ns", NONSENSE[1])["replies"]
    assert second[-1]["custom"] == {"handoff": "offer"}
    offer = second[-1]["buttons"][0]["payload"]
    assert chat(citizen, "w-ns", offer)["handoff"]["status"] == "queued"
    other = client(app)
    chat(other, "w-down", "Đăng ký thường trú cần giấy tờ gì?")
    assert chat(other, "w-down", "sai")["replies"][0]["text"].startswith("Cảm ơn")
    login(editor, "bientap1")
    groups = editor.get("/console/api/unanswered").json()["groups"]
    seen = {e for g in groups for e in g["examples"]}
    assert set(NONSENSE) <= seen and "Đăng ký thường trú cần giấy tờ gì?" in seen
    down = next(g for g in groups if "Đăng ký thường trú cần giấy tờ gì?" in g["examples"])
    assert down["downvoted"] == 1 and down["units"]


def test_analytics_match_the_conversations_of_a_fresh_database(tmp_path: Path) -> None:
    with app_env(tmp_path, **ALWAYS_OPEN) as s:
        make_accounts(s.sqlalchemy_url)
        with TestClient(create_app(s), base_url="http://console.test") as c:
            chat(c, "w-a1", QUESTION)                      # answered, contained
            chat(c, "w-a1", "đúng")                        # 👍
            chat(c, "w-a2", NONSENSE[0])                   # not sure, contained
            chat(c, "w-a3", QUESTION)
            chat(c, "w-a3", "sai")                         # 👎
            chat(c, "w-a3", "gặp cán bộ")                  # handed to a person
            chat(c, "w-a3", "mình chờ")                    # silent (human)
            token = login(c, "quantri")
            data = c.get("/console/api/analytics").json()
            assert data["conversations"] == 3 and data["handoffs"] == 1
            assert data["contained"] == 2 and data["containment_rate"] == round(2 / 3, 4)
            assert data["handoff_rate"] == round(1 / 3, 4)
            assert data["knowledge_turns"] == 3 and data["not_sure"] == 1
            assert data["fallback_rate"] == round(1 / 3, 4)
            assert data["feedback"] == {"up": 1, "down": 1, "total": 2}
            assert data["statuses"]["human"] == 1 and data["turns"] == 7
            week = data["weeks"][0]
            assert (week["conversations"], week["handoffs"]) == (3, 1)
            topics = data["top_topics"][0]["topics"]
            assert topics[0]["count"] == 2                 # the VNeID question, twice
            png = c.get("/console/api/analytics.png")
            assert png.headers["content-type"] == "image/png" and png.content[:4] == b"\x89PNG"
            assert c.get("/console/api/analytics", params={"start": "2026-12-02",
                                                           "end": "2026-12-01"}).status_code == 422
            assert token


def test_after_hours_the_question_waits_and_the_answer_comes_later(tmp_path: Path) -> None:
    with app_env(tmp_path, TROLY06_HANDOFF_HOURS="mon-sun 00:00-24:00",
                 TROLY06_HANDOFF_HOLIDAYS=",".join(f"2026-{m:02d}-{d:02d}" for m in range(1, 13)
                                                   for d in range(1, 29)) + ",2026-12-29,"
                 "2026-12-30,2026-12-31") as s:
        make_accounts(s.sqlalchemy_url)
        application = create_app(s)
        with TestClient(application, base_url="http://console.test") as citizen:
            reply = chat(citizen, "w-night", "gặp cán bộ")
            assert reply["handoff"]["after_hours"] is True
            assert "ngoài giờ làm việc" in reply["replies"][0]["text"]
            chat(citizen, "w-night", "Mình muốn hỏi thủ tục tách hộ")
            op = client(application)
            token = login(op, "canbo.cantho")
            conv = op.get("/console/api/queue").json()["conversations"][0]
            assert conv["after_hours"] is True
            op.post(f"/console/api/conversations/{conv['id']}/take", headers=csrf(token))
            op.post(f"/console/api/conversations/{conv['id']}/reply", headers=csrf(token),
                    json={"text": "Sáng nay mình trả lời bạn: tách hộ làm tại Công an xã."})
            inbox = citizen.get("/api/chat/inbox", params={"sender": "w-night"}).json()
            assert inbox["messages"][-1]["text"].startswith("Sáng nay")


def test_two_replicas_share_the_queue(tmp_path: Path) -> None:
    with app_env(tmp_path, **ALWAYS_OPEN) as s:
        make_accounts(s.sqlalchemy_url)
        one, two = create_app(s), create_app(s)
        with client(one) as citizen, client(two) as op:
            chat(citizen, "w-rep", "gặp cán bộ")
            token = login(op, "canbo.cantho")
            cid = op.get("/console/api/queue").json()["conversations"][0]["id"]
            op.post(f"/console/api/conversations/{cid}/take", headers=csrf(token))
            assert chat(citizen, "w-rep", "alo")["replies"] == []
            op.post(f"/console/api/conversations/{cid}/reply", headers=csrf(token),
                    json={"text": "Mình nghe đây"})
            got = citizen.get("/api/chat/inbox", params={"sender": "w-rep"}).json()["messages"]
            assert got[-1]["text"] == "Mình nghe đây"
            with op.stream("GET", "/console/api/events") as events:
                head = next(events.iter_lines())
                assert head.startswith("retry:")
