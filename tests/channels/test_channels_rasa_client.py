"""Forwarding to Rasa's REST webhook (unit level, against a small fake Rasa server on
localhost): one shared client, PII masked before forwarding, degraded mode on failures."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

from bot.channels.chat import ChatService
from bot.channels.rasa_client import RasaClient, RasaUnavailable
from tests.api.api_testlib import free_port, serving


class FakeRasa:
    """Echoes the message back with a button and sources; ``broken`` makes it answer 500."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.broken = False
        self.lock = threading.Lock()
        self.app = Starlette(routes=[
            Route("/", lambda r: PlainTextResponse("Hello from Rasa: 3.6.21")),
            Route("/webhooks/rest/webhook", self.webhook, methods=["POST"]),
        ])

    async def webhook(self, request: Request) -> JSONResponse:
        body = await request.json()
        with self.lock:
            self.received.append(body)
        if self.broken:
            return JSONResponse({"error": "boom"}, status_code=500)
        return JSONResponse([
            {"recipient_id": body["sender"], "text": "Bạn hỏi: " + body["message"],
             "buttons": [{"title": "Xem menu", "payload": "/start"}]},
            {"recipient_id": body["sender"], "custom": {"sources": [{"title": "T", "ref": "R"}]}},
        ])


@pytest.fixture(scope="module")
def rasa() -> Iterator[FakeRasa]:
    with serving(FakeRasa()) as fake:
        yield fake


def _answer(question: str) -> dict[str, Any]:
    return {"answer": f"KB: {question}", "sources": [{"title": "Nguồn A", "ref": "Điều 1"}],
            "score": 0.9, "entry_id": "e1", "status": "answered"}


async def test_forwards_masked_text_and_returns_rasa_messages(rasa: FakeRasa) -> None:
    events: list[tuple[str, str]] = []
    chat = ChatService(RasaClient(rasa.url), answer_fn=_answer,  # type: ignore[attr-defined]
                       on_event=lambda k, v: events.append((k, v)))
    try:
        result = await chat.reply("telegram:42", "CCCD 079123456789 mất thì làm sao?",
                                  channel="telegram")
        assert result.degraded is False
        sent = rasa.received[-1]
        assert sent["sender"] == "telegram:42"
        assert "079123456789" not in sent["message"] and "[số định danh đã ẩn]" in sent["message"]
        assert sent["metadata"] == {"channel": "telegram", "pii_masked": True}
        assert result.messages[0]["buttons"][0]["payload"] == "/start"
        assert ("outcome", "answered") in events
        assert await chat.rasa.ping() is True  # type: ignore[union-attr]
    finally:
        await chat.aclose()


async def test_server_error_falls_back_to_the_knowledge_base(rasa: FakeRasa) -> None:
    chat = ChatService(RasaClient(rasa.url), answer_fn=_answer)  # type: ignore[attr-defined]
    rasa.broken = True
    try:
        result = await chat.reply("web:1", "Hỏi gì đó", channel="web")
        assert result.degraded is True
        assert result.messages[0]["text"] == "KB: Hỏi gì đó\n\nNguồn: Nguồn A (Điều 1)"
        with pytest.raises(RasaUnavailable):
            await chat.rasa.send("web:1", "x")  # type: ignore[union-attr]
    finally:
        rasa.broken = False
        await chat.aclose()


async def test_unreachable_rasa_is_degraded_mode_with_local_commands() -> None:
    chat = ChatService(RasaClient(f"http://127.0.0.1:{free_port()}"), answer_fn=_answer)
    try:
        assert await chat.rasa.ping() is False  # type: ignore[union-attr]
        result = await chat.reply("zalo:9", "/thongke Ngã Bảy tuần này", channel="zalo")
        assert result.degraded and "thống kê" in result.messages[0]["text"]
    finally:
        await chat.aclose()
