"""Public HTTP API over the real knowledge base and real statistics store (SQLite).

Rasa is unreachable here on purpose: /api/chat must answer from the knowledge base
(degraded mode) instead of failing.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from knowledge import answer
from knowledge.answer import format_sources
from tests.api.api_testlib import ADMIN_KEY, HAUGIANG_KEY, REPORTS, app_env
from troly06.config import Settings

QUESTION = "Quên mật khẩu VNeID thì làm sao?"


def test_chat_answers_from_knowledge_base_when_rasa_is_down(client: TestClient) -> None:
    expected = answer(QUESTION).to_dict()
    resp = client.post("/api/chat", json={"sender": "abc123", "message": QUESTION})
    assert resp.status_code == 200
    data = resp.json()
    assert data["degraded"] is True
    assert data["sender"] == "abc123"
    reply = data["replies"][0]
    assert reply["text"].startswith(expected["answer"][:80])
    assert reply["custom"]["sources"] == expected["sources"]
    assert format_sources(expected["sources"]) in reply["text"]
    assert [b["payload"] for b in reply["buttons"]] == ["đúng", "sai"]


def test_chat_feedback_in_degraded_mode_is_stored_and_counted(client: TestClient,
                                                             settings: Settings) -> None:
    from troly06.feedback import feedback_summary

    before = feedback_summary(settings.sqlalchemy_url)["up"]
    client.post("/api/chat", json={"sender": "fb-user", "message": QUESTION})
    resp = client.post("/api/chat", json={"sender": "fb-user", "message": "đúng"})
    assert resp.status_code == 200
    assert "Cảm ơn" in resp.json()["replies"][0]["text"]
    assert feedback_summary(settings.sqlalchemy_url)["up"] == before + 1
    metrics = client.get("/metrics").text
    match = re.search(r'^troly06_feedback_total\{rating="up"\} (\S+)$', metrics, re.M)
    assert match and float(match.group(1)) == before + 1


def test_chat_masks_personal_numbers_in_replies_and_logs(client: TestClient,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    msg = "Số CCCD của tôi là 079123456789, làm lại thẻ căn cước thế nào?"
    resp = client.post("/api/chat", json={"sender": "pii", "message": msg})
    assert resp.status_code == 200
    assert "079123456789" not in resp.text
    assert "079123456789" not in caplog.text


def test_ask_returns_knowledge_answer(client: TestClient) -> None:
    question = "Kích hoạt tài khoản VNeID mức 2 thế nào?"
    expected = answer(question).to_dict()
    resp = client.post("/api/ask", json={"question": question})
    assert resp.status_code == 200
    assert resp.json() == expected


def test_message_too_long_is_413_with_bilingual_json(client: TestClient,
                                                    settings: Settings) -> None:
    resp = client.post("/api/chat", json={"sender": "x",
                                          "message": "a" * (settings.max_message_chars + 1)})
    assert resp.status_code == 413
    body = resp.json()
    assert body["error"] == "message_too_long"
    assert "Tin nhắn quá dài" in body["message"] and "too long" in body["message_en"]


def test_oversized_body_is_refused_before_parsing(client: TestClient) -> None:
    resp = client.post("/api/ask", content=b'{"question": "' + b"a" * 200_000 + b'"}',
                       headers={"content-type": "application/json"})
    assert resp.status_code == 413
    assert resp.json()["error"] == "too_large"


def test_validation_errors_are_json_with_fields(client: TestClient) -> None:
    resp = client.post("/api/chat", json={"sender": "x"})
    assert resp.status_code == 422
    body = resp.json()
    assert body["error"] == "invalid_input"
    assert body["message"] == "Dữ liệu gửi lên không hợp lệ."
    assert any(f["field"] == "message" for f in body["fields"])
    assert client.get("/khong-co").json()["error"] == "not_found"


def test_stats_requires_an_officials_api_key(client: TestClient) -> None:
    assert client.get("/api/stats", params={"locality": "Ngã Bảy"}).status_code == 401
    resp = client.get("/api/stats", params={"locality": "Ngã Bảy"},
                      headers={"X-API-Key": "wrong"})
    assert resp.status_code == 403
    assert resp.json()["error"] == "api_key_invalid"


def test_report_upload_then_stats_query(client: TestClient) -> None:
    report = REPORTS / "ngabay_2023-07-12_seed.txt"
    files = {"file": (report.name, report.read_bytes(), "text/plain")}
    assert client.post("/api/reports", files=files).status_code == 401
    resp = client.post("/api/reports", files=files, headers={"X-API-Key": HAUGIANG_KEY})
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body["status"] in ("ingested", "duplicate")
    assert "Ngã Bảy" in body["summary"] and body["result"]["figures"]
    again = client.post("/api/reports", files=files, headers={"X-API-Key": HAUGIANG_KEY})
    assert again.json()["status"] == "duplicate"

    stats = client.get("/api/stats", params={"locality": "Ngã Bảy",
                                              "period": "từ 06/7 đến 12/7/2023"},
                       headers={"X-API-Key": ADMIN_KEY})
    assert stats.status_code == 200, stats.text
    data = stats.json()
    assert data["figures"] == body["result"]["figures"]
    assert "Nguồn:" in data["summary"]


def test_stats_outside_the_keys_localities_is_403(client: TestClient) -> None:
    resp = client.get("/api/stats", params={"locality": "Cần Thơ"},
                      headers={"X-API-Key": HAUGIANG_KEY})
    assert resp.status_code == 403
    assert resp.json()["error"] == "locality_not_allowed"


def test_bad_report_is_422_with_parser_message(client: TestClient) -> None:
    report = REPORTS / "not_a_report.txt"
    resp = client.post("/api/reports", files={"file": (report.name, report.read_bytes())},
                       headers={"X-API-Key": ADMIN_KEY})
    assert resp.status_code == 422
    assert resp.json()["message"]
    wrong = client.post("/api/reports", files={"file": ("x.exe", b"MZ")},
                        headers={"X-API-Key": ADMIN_KEY})
    assert wrong.status_code == 415


def test_health_is_503_with_each_part_when_rasa_is_down(client: TestClient) -> None:
    resp = client.get("/health")
    assert resp.status_code == 503
    parts = resp.json()["parts"]
    assert set(parts) == {"rasa", "action_server", "database", "knowledge_base"}
    assert parts["rasa"] is False and parts["action_server"] is False
    assert parts["database"] is True and parts["knowledge_base"] is True


def test_readiness_ignores_rasa_but_not_the_database(client: TestClient,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    ready = client.get("/health/ready")  # Rasa is down here: the API still serves (KB)
    assert ready.status_code == 200
    assert set(ready.json()["parts"]) == {"database", "knowledge_base"}
    assert client.get("/health/live").json() == {"status": "ok"}
    settings = client.app.state.settings  # type: ignore[attr-defined]
    monkeypatch.setattr(settings, "database_url", "postgresql+psycopg://nobody@127.0.0.1:1/x")
    assert client.get("/health/ready").status_code == 200  # cached for a few seconds
    client.app.state.health_cache.clear()  # type: ignore[attr-defined]
    broken = client.get("/health/ready")
    assert broken.status_code == 503 and broken.json()["parts"]["database"] is False
    assert client.get("/health/live").status_code == 200


def test_metrics_expose_requests_latency_and_outcomes(client: TestClient) -> None:
    client.post("/api/ask", json={"question": QUESTION})
    text = client.get("/metrics").text
    assert re.search(r'troly06_http_requests_total\{method="POST",route="/api/ask",'
                     r'status="200"\} [1-9]', text)
    assert 'troly06_http_request_duration_seconds_bucket{le="0.5",route="/api/ask"}' in text
    assert re.search(r'troly06_answers_total\{status="answered"\} [1-9]', text)
    assert 'troly06_answers_total{status="refused"}' in text
    assert re.search(r'troly06_degraded_replies_total\{channel="web"\} [1-9]', text)
    # Rasa is unreachable in these tests: the chat above was re-sent before degraded mode
    assert re.search(r"troly06_rasa_resent_total [1-9]", text)
    assert "troly06_rasa_replayed_total 0.0" in text
    assert "079123456789" not in text


def test_cors_only_for_configured_origins(client: TestClient, settings: Settings) -> None:
    allowed = settings.cors_origin_list[0]
    pre = {"Access-Control-Request-Method": "POST",
           "Access-Control-Request-Headers": "content-type"}
    ok = client.options("/api/chat", headers={"Origin": allowed, **pre})
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == allowed
    bad = client.options("/api/chat", headers={"Origin": "https://evil.example", **pre})
    assert "access-control-allow-origin" not in bad.headers


def test_openapi_docs_and_widget_assets(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/chat", "/api/ask", "/api/stats", "/api/reports", "/health"} <= set(paths)
    js = client.get("/widget.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    demo = client.get("/demo")
    assert demo.status_code == 200 and "/widget.js" in demo.text and 'lang="vi"' in demo.text


def test_rate_limit_per_client(tmp_module) -> None:
    with app_env(tmp_module, TROLY06_RATE_LIMIT_PER_MINUTE="3") as s:
        with TestClient(create_app(s)) as c:
            codes = [c.post("/api/chat", json={"sender": "r", "message": "/start"}).status_code
                     for _ in range(5)]
            assert codes[:3] == [200, 200, 200]
            assert codes[3:] == [429, 429]
            resp = c.post("/api/chat", json={"sender": "r", "message": "/start"})
            assert resp.json()["error"] == "rate_limited"
            assert int(resp.headers["retry-after"]) >= 1
            assert c.get("/health").status_code == 429  # health and webhooks are limited too


def test_health_is_200_only_when_every_part_answers(tmp_module) -> None:
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse, PlainTextResponse
    from starlette.routing import Route

    from tests.api.api_testlib import LiveServer

    rasa = Starlette(routes=[Route("/", lambda r: PlainTextResponse("Hello from Rasa: 3.6.21"))])
    actions = Starlette(routes=[Route("/health", lambda r: JSONResponse({"status": "ok"}))])
    with LiveServer(rasa) as rasa_srv, LiveServer(actions) as act_srv:
        with app_env(tmp_module, RASA_URL=rasa_srv.url, ACTION_SERVER_URL=act_srv.url) as s:
            with TestClient(create_app(s)) as c:
                resp = c.get("/health")
                assert resp.status_code == 200, resp.text
                body = resp.json()
                assert body["status"] == "ok"
                # booleans only: no internal URLs, errors or timings leak out
                assert body["parts"] and all(v is True for v in body["parts"].values())


def test_chart_images_get_a_short_lived_public_url(client: TestClient, settings: Settings) -> None:
    import base64

    png = b"\x89PNG\r\n\x1a\nchart"
    store = client.app.state.media  # type: ignore[attr-defined]
    url = store.publish("data:image/png;base64," + base64.b64encode(png).decode())
    assert url.startswith(settings.public_base_url + "/media/")
    resp = client.get(url.removeprefix(settings.public_base_url))
    assert resp.status_code == 200 and resp.content == png
    assert resp.headers["content-type"] == "image/png"
    assert client.get("/media/unknown.png").status_code == 404
    assert store.publish("https://example.org/a.png") == "https://example.org/a.png"


def test_a_chart_published_by_one_api_replica_is_served_by_another(
        client: TestClient, settings: Settings) -> None:
    import base64

    png = b"\x89PNG\r\n\x1a\nshared"
    url = client.app.state.media.publish(  # type: ignore[attr-defined]
        "data:image/png;base64," + base64.b64encode(png).decode())
    path = url.removeprefix(settings.public_base_url)
    with TestClient(create_app(settings)) as other:  # a second replica, same database
        assert other.get(path).content == png
        other.app.state.media.ttl_s = 0.0  # type: ignore[attr-defined]
        assert other.get(path).status_code == 404  # expired images are not served


def test_demo_page_loads_the_widget_from_the_public_url_when_set(tmp_module) -> None:
    """Behind a TLS proxy the request says http:// (uvicorn ignores forwarded headers): the
    demo portal loads the widget from TROLY06_PUBLIC_URL when it is configured."""
    with app_env(tmp_module, TROLY06_PUBLIC_URL="https://troly06.example.gov.vn") as s:
        with TestClient(create_app(s)) as c:
            html = c.get("/demo").text
    assert 'src="https://troly06.example.gov.vn/widget.js"' in html
    with app_env(tmp_module) as s, TestClient(create_app(s)) as c:
        assert "http://testserver/widget.js" in c.get("/demo").text
