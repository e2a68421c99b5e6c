"""The portal widget in headless Debian chromium (Playwright, no downloaded browser):
load /demo, open the bubble, ask, see the knowledge-base answer and its source link.
The API runs live (uvicorn) with Rasa unreachable, so /api/chat answers in degraded mode."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from api.main import create_app
from knowledge import answer
from tests.api.api_testlib import ARTIFACTS, LiveServer, app_env, free_port
from tests.browser_testlib import BROWSER_MARKS, launch_browser

QUESTION = "Quên mật khẩu VNeID thì làm sao?"

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    tmp = tmp_path_factory.mktemp("widget")
    port = free_port()
    with app_env(tmp, TROLY06_CORS_ORIGINS=f"http://127.0.0.1:{port}") as settings:
        with LiveServer(create_app(settings), port=port) as live:
            yield live


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    yield from launch_browser()


def test_widget_answers_with_source_link(server: LiveServer, browser) -> None:  # noqa: ANN001
    expected = answer(QUESTION).to_dict()
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    external: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(server.url) or r.url.startswith(
        "data:") else external.append(r.url))
    page.goto(f"{server.url}/demo")
    bubble = page.get_by_role("button", name=re.compile("Mở Trợ lý Đề án 06"))
    bubble.click()
    dialog = page.get_by_role("dialog", name="Trợ lý Đề án 06")
    assert dialog.is_visible()
    assert page.locator(".t06-bubble").get_attribute("aria-expanded") == "true"
    assert page.locator(".t06-bubble").get_attribute("aria-label") == "Đóng Trợ lý Đề án 06"
    page.get_by_label("Câu hỏi của bạn").fill(QUESTION)
    page.keyboard.press("Enter")
    bot_answer = page.locator(".t06-bot", has_text=expected["answer"][:40])
    bot_answer.wait_for(timeout=60_000)
    link = bot_answer.locator("a.t06-source").first
    assert link.get_attribute("href", timeout=5000).startswith("http")
    assert link.inner_text() == expected["sources"][0]["title"]
    assert page.locator(".t06-quick-btn", has_text="Đúng").last.is_enabled()
    assert page.locator(".t06-log[role=log][aria-live=polite]").count() == 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget.png"))

    session = page.evaluate("localStorage.getItem('troly06.widget.session')")
    page.reload()
    assert page.evaluate("localStorage.getItem('troly06.widget.session')") == session
    page.locator(".t06-bot", has_text=expected["answer"][:40]).wait_for(timeout=10_000)
    page.keyboard.press("Escape")
    assert not page.get_by_role("dialog").is_visible()
    assert errors == [] and external == []
    page.close()


def test_widget_quick_reply_on_a_phone(server: LiveServer, browser) -> None:  # noqa: ANN001
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True,
                            has_touch=True)
    page.goto(f"{server.url}/demo")
    page.get_by_role("button", name=re.compile("Mở Trợ lý")).click()
    box = page.locator(".t06-panel").bounding_box()
    assert box is not None and box["width"] >= 380  # full screen on small screens
    chip = page.locator(".t06-quick-btn").first
    title = chip.inner_text()
    chip.click()
    page.locator(".t06-user", has_text=title).wait_for(timeout=5_000)
    page.locator(".t06-bot").nth(1).wait_for(timeout=60_000)
    assert page.locator(".t06-bot").nth(1).inner_text().strip()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget-phone.png"))
    page.close()
