"""Telegram channel end to end: python-telegram-bot long-polls a fake Bot API server on
localhost (real HTTP). Rasa is unreachable, so answers come from the real knowledge base
(degraded mode); reports are ingested into a real SQLite statistics store."""

from __future__ import annotations

import asyncio
import base64
import threading
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from telegram.ext import Application, CallbackContext

from gateways.chat import ChatService
from gateways.rasa_client import RasaClient
from gateways.telegram import build_application, register_commands
from gateways.telegram.bot import deliver
from gateways.telegram.render import PayloadStore, split_message
from knowledge import answer
from knowledge.answer import format_sources
from tests.api.api_testlib import REPORTS, app_env, serving, wait_for
from tests.channels.fake_telegram import BOT_USER, FakeBotApi, message, user
from troly06.commands import commands
from troly06.config import Settings
from troly06.wording import say

QUESTION = "Quên mật khẩu VNeID thì làm sao?"
SECRET = "tg-webhook-" + "s" * 32
OFFICIAL_NGABAY = 100000001  # config/officials.yaml (example official, Ngã Bảy)


class BotRunner:
    """Run the PTB application (long polling) in its own thread and event loop."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.application: Application | None = None
        self._stop: asyncio.Event | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._main())

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        chat = ChatService(RasaClient(self.settings.rasa_url))
        app = build_application(self.settings, chat)
        self.application = app
        await app.initialize()
        await register_commands(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        self.ready.set()
        await self._stop.wait()
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        await chat.aclose()

    def run_coro(self, coro: Any, timeout: float = 60) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def __enter__(self) -> BotRunner:
        self.thread.start()
        assert self.ready.wait(60), "bot did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._stop is not None
        self.loop.call_soon_threadsafe(self._stop.set)
        self.thread.join(30)


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeBotApi]:
    with serving(FakeBotApi()) as api:
        yield api


@pytest.fixture(scope="module")
def settings(fake: FakeBotApi, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    with app_env(tmp_path_factory.mktemp("tg"), TELEGRAM_BOT_TOKEN="123456:TEST-TOKEN",
                 TELEGRAM_BASE_URL=f"{fake.url}/bot") as s:  # type: ignore[attr-defined]
        yield s


@pytest.fixture(scope="module")
def bot(settings: Settings) -> Iterator[BotRunner]:
    with BotRunner(settings) as runner:
        yield runner


def texts_to(fake: FakeBotApi, chat_id: int) -> list[str]:
    return [str(p.get("text", "")) for p in fake.calls_of("sendMessage", chat_id)]


def test_commands_registered(fake: FakeBotApi, bot: BotRunner) -> None:
    calls = wait_for(lambda: fake.calls_of("setMyCommands"))
    assert [c["command"] for c in calls[0]["commands"]] == [c.name for c in commands()]
    assert {"start", "help", "thongke", "sosanh", "xuhuong"} <= {
        c["command"] for c in calls[0]["commands"]}


def test_every_typed_command_reaches_the_assistant(fake: FakeBotApi, bot: BotRunner) -> None:
    # Rasa is unreachable here: the degraded path answers officials' commands with "not
    # available now", so a command Telegram dropped would get no reply at all
    for n, typed in enumerate(["/sosanh Ngã Bảy tuần này", "/xuhuong kích hoạt VNeID",
                               "/xephang", f"/thongke@{BOT_USER['username']} tuần này"]):
        fake.push({"message": message(555020 + n, typed, entities=[
            {"type": "bot_command", "offset": 0, "length": len(typed.split()[0])}])})
        assert wait_for(lambda n=n: texts_to(fake, 555020 + n)) == [say("chat.stats_down")]


def test_text_question_gets_the_kb_answer_with_buttons(fake: FakeBotApi, bot: BotRunner) -> None:
    expected = answer(QUESTION).to_dict()
    fake.push({"message": message(555001, QUESTION)})
    sent = wait_for(lambda: fake.calls_of("sendMessage", 555001))[0]
    assert sent["text"].startswith(expected["answer"][:80])
    assert format_sources(expected["sources"]) in sent["text"]
    buttons = [b for row in sent["reply_markup"]["inline_keyboard"] for b in row]
    assert [b["text"] for b in buttons] == ["👍 Đúng", "👎 Sai"]
    assert fake.calls_of("sendChatAction", 555001)  # typing indicator


def test_button_press_sends_the_payload(fake: FakeBotApi, bot: BotRunner,
                                        settings: Settings) -> None:
    from troly06.feedback import feedback_summary, list_feedback

    before = feedback_summary(settings.sqlalchemy_url)["up"]
    fake.push({"message": message(555002, QUESTION)})
    first = wait_for(lambda: fake.calls_of("sendMessage", 555002))[0]
    data = first["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    fake.push({"callback_query": {
        "id": "cb-1", "from": user(555002), "chat_instance": "ci-1", "data": data,
        "message": {"message_id": 1, "date": int(time.time()), "from": BOT_USER,
                    "chat": {"id": 555002, "type": "private"}, "text": first["text"]}}})
    wait_for(lambda: len(fake.calls_of("sendMessage", 555002)) >= 2)
    assert any(c.get("callback_query_id") == "cb-1" for c in fake.calls_of("answerCallbackQuery"))
    assert "Cảm ơn" in texts_to(fake, 555002)[1]
    assert feedback_summary(settings.sqlalchemy_url)["up"] == before + 1
    row = list_feedback(1, settings.sqlalchemy_url)[0]
    assert row.channel == "telegram" and row.rating == "up"
    assert row.answer_id == answer(QUESTION).to_dict()["entry_id"]


def test_official_document_upload_ingests_the_report(fake: FakeBotApi, bot: BotRunner,
                                                     settings: Settings) -> None:
    from stats import get_figures
    from stats.periods import parse_period

    report = REPORTS / "ngabay_2023-07-19.txt"
    content = report.read_bytes()
    fake.add_file("doc-ngabay", report.name, content)
    fake.push({"message": message(OFFICIAL_NGABAY, document={
        "file_id": "doc-ngabay", "file_unique_id": "u-doc", "file_name": report.name,
        "mime_type": "text/plain", "file_size": len(content)})})
    reply = wait_for(lambda: texts_to(fake, OFFICIAL_NGABAY))[0]
    assert reply.startswith("Đã nhập báo cáo mới"), reply
    assert "Ngã Bảy" in reply
    assert any(c.get("file_id") == "doc-ngabay" for c in fake.calls_of("getFile"))
    start, end = parse_period("tuần 29/2023", date(2023, 8, 1))
    stored = get_figures("Ngã Bảy", start, end, url=settings.sqlalchemy_url)
    assert stored.reports and stored.figures
    assert f"Số chỉ tiêu đọc được: {len(stored.figures)}" in reply


def test_document_from_a_citizen_is_refused(fake: FakeBotApi, bot: BotRunner) -> None:
    fake.add_file("doc-citizen", "bao_cao.txt", b"noi dung")
    fake.push({"message": message(555003, document={
        "file_id": "doc-citizen", "file_unique_id": "u-c", "file_name": "bao_cao.txt",
        "mime_type": "text/plain", "file_size": 8})})
    assert wait_for(lambda: texts_to(fake, 555003))[0] == say("channels.not_official")
    assert not any(c.get("file_id") == "doc-citizen" for c in fake.calls_of("getFile"))


def test_rate_limit_429_is_retried_after_retry_after(fake: FakeBotApi, bot: BotRunner) -> None:
    fake.fail_next("sendMessage", 429, {"ok": False, "error_code": 429,
                                        "description": "Too Many Requests: retry after 1",
                                        "parameters": {"retry_after": 1}})
    fake.push({"message": message(555004, "/start")})
    wait_for(lambda: len(fake.calls_of("sendMessage", 555004)) >= 2)
    times = [t for t, p in zip(fake.call_times("sendMessage"), fake.calls_of("sendMessage"),
                               strict=True) if str(p.get("chat_id")) == "555004"]
    assert times[1] - times[0] >= 0.9
    assert len(fake.calls_of("sendMessage", 555004)) == 2


def test_network_error_is_retried_with_backoff(fake: FakeBotApi, bot: BotRunner) -> None:
    fake.fail_next("sendMessage", 502, {"ok": False, "error_code": 502,
                                        "description": "Bad Gateway"})
    fake.push({"message": message(555005, "/start")})
    wait_for(lambda: len(fake.calls_of("sendMessage", 555005)) >= 2)
    assert texts_to(fake, 555005)[1]  # the retry delivered the welcome


def test_edited_message_is_answered_again(fake: FakeBotApi, bot: BotRunner) -> None:
    edited = message(555006, QUESTION, edit_date=int(time.time()))
    fake.push({"edited_message": edited})
    sent = wait_for(lambda: len(texts_to(fake, 555006)) >= 2 and texts_to(fake, 555006))
    assert sent[0] == say("channels.edited_note")
    assert sent[1].startswith(answer(QUESTION).to_dict()["answer"][:60])


def test_sticker_gets_a_polite_reply(fake: FakeBotApi, bot: BotRunner) -> None:
    fake.push({"message": message(555007, sticker={
        "file_id": "st1", "file_unique_id": "ust1", "type": "regular", "width": 512,
        "height": 512, "is_animated": False, "is_video": False})})
    assert wait_for(lambda: texts_to(fake, 555007)) == [say("channels.unsupported")]


def test_group_chat_only_when_mentioned(fake: FakeBotApi, bot: BotRunner) -> None:
    group = -100555
    fake.push({"message": message(555008, QUESTION, chat_id=group, chat_type="supergroup")})
    mention = f"@{BOT_USER['username']}"
    fake.push({"message": message(555008, f"{mention} {QUESTION}", chat_id=group,
                                  chat_type="supergroup",
                                  entities=[{"type": "mention", "offset": 0,
                                             "length": len(mention)}])})
    sent = wait_for(lambda: fake.calls_of("sendMessage", group))
    time.sleep(1.0)  # give the unmentioned message every chance to (wrongly) get a reply
    assert len(fake.calls_of("sendMessage", group)) == 1
    assert sent[0]["text"].startswith(answer(QUESTION).to_dict()["answer"][:60])
    assert sent[0].get("reply_to_message_id") or sent[0].get("reply_parameters")


def test_long_text_is_split_and_charts_are_photos(fake: FakeBotApi, bot: BotRunner) -> None:
    assert bot.application is not None
    long_text = "\n".join(f"Dòng số {i}: " + "nội dung " * 12 for i in range(120))
    png = base64.b64encode(b"\x89PNG\r\n\x1a\nfake-chart").decode()
    msgs = [{"text": long_text, "buttons": [{"title": "Tuần trước", "payload": "/thongke " +
                                             "Ngã Bảy tuần trước " + "x" * 80}]},
            {"image": f"data:image/png;base64,{png}"}]
    context = CallbackContext(bot.application)
    bot.run_coro(deliver(context, 555009, msgs))
    parts = texts_to(fake, 555009)
    assert len(parts) >= 2 and all(len(p) <= 4096 for p in parts)
    assert "".join(parts).replace("\n", "").replace(" ", "") == long_text.replace(
        "\n", "").replace(" ", "")
    sends = fake.calls_of("sendMessage", 555009)
    assert "reply_markup" not in sends[0] and "reply_markup" in sends[-1]
    photo = fake.calls_of("sendPhoto", 555009)[0]["photo"]
    assert photo["bytes"] == base64.b64decode(png)
    # the long payload travels through a short callback id, then comes back whole
    data = sends[-1]["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    store: PayloadStore = bot.application.bot_data["payloads"]
    assert len(data.encode()) <= 64 and store.decode(data).endswith("x" * 80)


def test_text_that_is_not_a_string_is_ignored(fake: FakeBotApi, bot: BotRunner) -> None:
    # a forged update can carry any JSON as "text"; PTB passes it through unchecked
    forged = message(555011, None)
    forged["text"] = {"strip": "x"}
    fake.push({"message": forged})
    fake.push({"message": message(555011, QUESTION)})
    sent = wait_for(lambda: texts_to(fake, 555011))
    assert sent[0].startswith(answer(QUESTION).to_dict()["answer"][:60])
    assert bot.application is not None
    assert bot.application.bot_data.get("handler_errors", 0) == 0


def test_split_message_prefers_line_breaks() -> None:
    text = ("a" * 3000 + "\n") * 3
    chunks = split_message(text)
    assert [len(c) for c in chunks] == [3000, 3000, 3000]


def test_webhook_mode_is_fed_by_the_fastapi_route(fake: FakeBotApi, settings: Settings,
                                                  tmp_path_factory: pytest.TempPathFactory
                                                  ) -> None:
    from fastapi.testclient import TestClient

    from api.main import create_app

    with app_env(tmp_path_factory.mktemp("tgwh"), TELEGRAM_BOT_TOKEN="123456:TEST-TOKEN",
                 TELEGRAM_BASE_URL=f"{fake.url}/bot", TELEGRAM_MODE="webhook",  # type: ignore
                 TELEGRAM_WEBHOOK_SECRET=SECRET, TROLY06_PUBLIC_URL="https://portal.example"
                 ) as s, TestClient(create_app(s)) as client:
        hook = wait_for(lambda: fake.calls_of("setWebhook"))[-1]
        assert hook["url"] == "https://portal.example/webhooks/telegram"
        assert hook["secret_token"] == SECRET
        update = {"update_id": 990001, "message": message(555010, "/start")}
        bad = client.post("/webhooks/telegram", json=update,
                          headers={"X-Telegram-Bot-Api-Secret-Token": "nope"})
        assert bad.status_code == 403
        # a boolean is no update_id (found by the fuzz test: PTB took it as 0)
        forged = client.post("/webhooks/telegram", json={"update_id": False},
                             headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
        assert forged.status_code == 400 and forged.json()["error"] == "bad_update"
        ok = client.post("/webhooks/telegram", json=update,
                         headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
        assert ok.status_code == 200
        assert wait_for(lambda: texts_to(fake, 555010))[0]
