"""The handoff on Telegram and Zalo, against the fake Bot API and the fake OA API (real HTTP):
the citizen asks for a person, an operator takes the conversation in the console and
replies, the reply reaches the citizen through the channel's API while the bot stays
silent, the operator closes, and the bot answers again (from the real KB; Rasa is down)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from api.main import create_app
from gateways.chat import ChatService
from gateways.handoff import HandoffGate
from gateways.rasa_client import RasaClient
from gateways.telegram import build_application
from knowledge import answer
from tests.api.api_testlib import LiveServer, app_env, serving, wait_for
from tests.channels.fake_telegram import FakeBotApi, message
from tests.channels.test_channels_zalo import APP_ID, SECRET, TOKEN, FakeOA, event, post
from tests.handoff.handoff_testlib import ALWAYS_OPEN, csrf, login, make_accounts
from troly06.config import Settings

QUESTION = "Quên mật khẩu VNeID thì làm sao?"
CITIZEN = 5550001
REPLY = "Chào bạn, mình là cán bộ Công an TP Cần Thơ, bạn cần hỗ trợ gì?"


class PollingBot:
    """The Telegram gateway as its own process would run it (long polling, handoff on)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.stop: asyncio.Event | None = None
        self.thread = threading.Thread(target=lambda: self.loop.run_until_complete(self._main()),
                                       daemon=True)

    async def _main(self) -> None:
        self.stop = asyncio.Event()
        chat = ChatService(RasaClient(self.settings.rasa_url),
                           handoff=HandoffGate.from_settings(self.settings))
        app = build_application(self.settings, chat)
        await app.initialize()
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        self.ready.set()
        await self.stop.wait()
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        await chat.aclose()

    def __enter__(self) -> PollingBot:
        self.thread.start()
        assert self.ready.wait(60), "bot did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.stop is not None
        self.loop.call_soon_threadsafe(self.stop.set)
        self.thread.join(30)


def _console(url: str, username: str = "canbo.cantho") -> tuple[httpx.Client, str]:
    op = httpx.Client(base_url=url, timeout=30)
    return op, login(op, username)


def _only_conversation(op: httpx.Client, channel: str) -> int:
    convs = [c for c in op.get("/console/api/queue").json()["conversations"]
             if c["channel"] == channel]
    assert len(convs) == 1
    return int(convs[0]["id"])


@pytest.fixture()
def telegram(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeBotApi, Settings]]:
    with serving(FakeBotApi()) as fake:
        with app_env(tmp_path_factory.mktemp("tg_handoff"), TELEGRAM_BOT_TOKEN="123:handoff",
                     TELEGRAM_BASE_URL=f"{fake.url}/bot", **ALWAYS_OPEN) as s:
            make_accounts(s.sqlalchemy_url)
            yield fake, s


def test_telegram_handoff_round_trip(telegram: tuple[FakeBotApi, Settings]) -> None:
    fake, settings = telegram
    sent = lambda: [p["text"] for p in fake.calls_of("sendMessage", CITIZEN)]  # noqa: E731
    with PollingBot(settings), LiveServer(create_app(settings)) as live:
        fake.push({"message": message(CITIZEN, "Cho mình nói chuyện với người thật")})
        wait_for(lambda: any("vị trí số 1" in t for t in sent()))
        fake.push({"message": message(CITIZEN, "Mình cần hỏi về căn cước cho con")})
        op, token = _console(live.url)
        cid = _only_conversation(op, "telegram")
        wait_for(lambda: len(op.get(f"/console/api/conversations/{cid}").json()["messages"]) == 2)
        before = len(sent())
        time.sleep(1.0)
        assert len(sent()) == before                      # the bot stayed silent
        assert op.post(f"/console/api/conversations/{cid}/take",
                       headers=csrf(token)).status_code == 200
        assert op.post(f"/console/api/conversations/{cid}/reply", headers=csrf(token),
                       json={"text": REPLY}).status_code == 200
        wait_for(lambda: REPLY in sent())                 # through the Bot API, to the user
        assert any("Nguyễn Văn An" in t for t in sent())
        op.post(f"/console/api/conversations/{cid}/close", headers=csrf(token))
        wait_for(lambda: any("trợ lý tự động" in t for t in sent()))
        fake.push({"message": message(CITIZEN, QUESTION)})
        expected = answer(QUESTION).answer[:40]
        wait_for(lambda: any(expected in t for t in sent()), timeout=60)
        texts = [m["text"] for m in op.get(f"/console/api/conversations/{cid}").json()["messages"]]
        assert texts[1] == "Mình cần hỏi về căn cước cho con" and REPLY in texts


@pytest.fixture()
def zalo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeOA, Any]]:
    with serving(FakeOA()) as oa:
        with app_env(tmp_path_factory.mktemp("zalo_handoff"), ZALO_APP_ID=APP_ID,
                     ZALO_OA_SECRET=SECRET, ZALO_ACCESS_TOKEN=TOKEN,
                     ZALO_API_BASE=oa.url, **ALWAYS_OPEN) as s:  # type: ignore[attr-defined]
            make_accounts(s.sqlalchemy_url)
            with LiveServer(create_app(s)) as live:
                yield oa, live.url


def test_zalo_handoff_round_trip(zalo: tuple[FakeOA, Any]) -> None:
    oa, url = zalo
    user = "zalo-user-771"
    texts = lambda: [b["message"]["text"] for b in oa.to(user)]  # noqa: E731
    citizen = httpx.Client(base_url=url, timeout=30)
    assert post(citizen, event(user, "gặp cán bộ hỗ trợ", "z1")).json()["handled"]
    wait_for(lambda: any("vị trí số 1" in t for t in texts()))
    post(citizen, event(user, "Mình ở Cần Thơ, hỏi về định danh", "z2"))
    op, token = _console(url)
    cid = _only_conversation(op, "zalo")
    wait_for(lambda: len(op.get(f"/console/api/conversations/{cid}").json()["messages"]) == 2)
    assert len(texts()) == 1                              # silent while a person handles it
    op.post(f"/console/api/conversations/{cid}/take", headers=csrf(token))
    op.post(f"/console/api/conversations/{cid}/reply", headers=csrf(token), json={"text": REPLY})
    wait_for(lambda: REPLY in texts())
    op.post(f"/console/api/conversations/{cid}/close", headers=csrf(token))
    wait_for(lambda: any("trợ lý tự động" in t for t in texts()))
    post(citizen, event(user, QUESTION, "z3"))
    expected = answer(QUESTION).answer[:40]
    wait_for(lambda: any(expected in t for t in texts()), timeout=60)


def test_a_failed_delivery_is_retried(zalo: tuple[FakeOA, Any]) -> None:
    oa, url = zalo
    user = "zalo-user-772"
    citizen = httpx.Client(base_url=url, timeout=30)
    post(citizen, event(user, "gặp cán bộ", "r1"))
    wait_for(lambda: oa.to(user))
    op, token = _console(url)
    cid = _only_conversation(op, "zalo")
    op.post(f"/console/api/conversations/{cid}/take", headers=csrf(token))
    oa.fail_first = 10                                    # the OA API is down for a while
    op.post(f"/console/api/conversations/{cid}/reply", headers=csrf(token), json={"text": REPLY})
    oa.fail_first = 0
    wait_for(lambda: REPLY in [b["message"]["text"] for b in oa.to(user)], timeout=40)
