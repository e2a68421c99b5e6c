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

from gateways.chat import ChatService
from gateways.rasa_client import RasaClient, RasaUnavailable
from tests.api.api_testlib import free_port, serving
from troly06.identity import METADATA_KEY, Identity, verify_identity


class FakeRasa:
    """Echoes the message back with a button and sources; ``broken`` makes it answer 500."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.broken = False
        self.fail_next: list[int] = []  # statuses to answer before answering normally
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
        if self.fail_next:
            return JSONResponse({"error": "replica down"}, status_code=self.fail_next.pop(0),
                                headers={"Retry-After": "0"})
        return JSONResponse([
            {"recipient_id": body["sender"], "text": "Bạn hỏi: " + body["message"],
             "buttons": [{"title": "Xem menu", "payload": "/start"}]},
            {"recipient_id": body["sender"], "custom": {"sources": [{"title": "T", "ref": "R"}]}},
        ])


@pytest.fixture(scope="module")
def rasa() -> Iterator[FakeRasa]:
    with serving(FakeRasa()) as fake:
        yield fake


KEY = "k" * 40


def _answer(question: str, pii_found: bool = False) -> dict[str, Any]:
    return {"answer": f"KB: {question}" + (" [note]" if pii_found else ""),
            "sources": [{"title": "Nguồn A", "ref": "Điều 1"}],
            "score": 0.9, "entry_id": "e1", "status": "answered"}


async def test_forwards_masked_text_and_returns_rasa_messages(rasa: FakeRasa) -> None:
    events: list[tuple[str, str]] = []
    chat = ChatService(RasaClient(rasa.url), answer_fn=_answer,  # type: ignore[attr-defined]
                       identity_key=KEY, on_event=lambda k, v: events.append((k, v)))
    try:
        result = await chat.reply(Identity("telegram", "42"),
                                  "CCCD 079123456789 mất thì làm sao?")
        assert result.degraded is False
        sent = rasa.received[-1]
        assert sent["sender"] == "telegram:42"
        assert "079123456789" not in sent["message"] and "[số định danh đã ẩn]" in sent["message"]
        meta = sent["metadata"]
        assert meta["channel"] == "telegram" and meta["pii"] == ["id"]
        # the identity travels signed for exactly this sender, verifiable by the actions
        assert verify_identity(meta[METADATA_KEY], "telegram:42", KEY) == Identity(
            "telegram", "42", None, meta[METADATA_KEY]["ts"])
        assert verify_identity(meta[METADATA_KEY], "telegram:43", KEY) is None
        assert result.messages[0]["buttons"][0]["payload"] == "/start"
        assert ("outcome", "answered") in events
        assert await chat.rasa.ping() is True  # type: ignore[union-attr]
    finally:
        await chat.aclose()


async def test_server_error_falls_back_to_the_knowledge_base(rasa: FakeRasa) -> None:
    chat = ChatService(RasaClient(rasa.url), answer_fn=_answer)  # type: ignore[attr-defined]
    rasa.broken = True
    try:
        result = await chat.reply(Identity("web", "1"), "Hỏi gì đó")
        assert result.degraded is True
        assert result.messages[0]["text"] == "KB: Hỏi gì đó\n\nNguồn: Nguồn A (Điều 1)"
        with pytest.raises(RasaUnavailable):
            await chat.rasa.send("web:1", "x")  # type: ignore[union-attr]
    finally:
        rasa.broken = False
        await chat.aclose()


async def test_degraded_answers_carry_the_personal_data_note() -> None:
    """Rasa down: the gateway's own finding (not the mask text) tells the KB to add the note,
    with the real knowledge base and its real wording."""
    from knowledge.answer import message

    chat = ChatService(RasaClient(f"http://127.0.0.1:{free_port()}"))
    try:
        result = await chat.reply(Identity("web", "p1"),
                                  "CCCD của tôi 012345678901, kích hoạt VNeID mức 2 thế nào?")
        text = result.messages[0]["text"]
        assert result.degraded and message("pii_note") in text and "012345678901" not in text
        plain = await chat.reply(Identity("web", "p1"), "kích hoạt VNeID mức 2 thế nào?")
        assert message("pii_note") not in plain.messages[0]["text"]
    finally:
        await chat.aclose()


async def test_unreachable_rasa_is_degraded_mode_with_local_commands() -> None:
    chat = ChatService(RasaClient(f"http://127.0.0.1:{free_port()}"), answer_fn=_answer)
    try:
        assert await chat.rasa.ping() is False  # type: ignore[union-attr]
        result = await chat.reply(Identity("zalo", "9"), "/thongke Ngã Bảy tuần này")
        assert result.degraded and "thống kê" in result.messages[0]["text"]
    finally:
        await chat.aclose()


async def test_transient_failures_are_resent_with_the_same_message_id(rasa: FakeRasa) -> None:
    client = RasaClient(rasa.url, backoff=0.01)  # type: ignore[attr-defined]
    rasa.received.clear()
    rasa.fail_next = [502, 503]
    try:
        replies = await client.send("web:r1", "Xin chào")
    finally:
        await client.aclose()
    assert replies[0]["text"] == "Bạn hỏi: Xin chào"
    ids = {body["message_id"] for body in rasa.received}
    assert len(rasa.received) == 3 and len(ids) == 1 and len(next(iter(ids))) >= 16
    assert [body["attempt"] for body in rasa.received] == [1, 2, 3]
    assert client.retries == 2


async def test_each_message_gets_its_own_id_and_retries_are_bounded(rasa: FakeRasa) -> None:
    client = RasaClient(rasa.url, backoff=0.01, attempts=3)  # type: ignore[attr-defined]
    rasa.received.clear()
    try:
        await client.send("web:r2", "một")
        await client.send("web:r2", "hai")
        assert rasa.received[0]["message_id"] != rasa.received[1]["message_id"]
        rasa.fail_next = [503, 503, 503, 503]
        with pytest.raises(RasaUnavailable, match="503"):
            await client.send("web:r2", "ba")
        assert len(rasa.received) == 2 + 3  # three attempts, then give up
        rasa.fail_next = [400]
        with pytest.raises(RasaUnavailable, match="400"):
            await client.send("web:r2", "bốn")  # a client error is not retried
        assert len(rasa.received) == 6
    finally:
        rasa.fail_next = []
        await client.aclose()
