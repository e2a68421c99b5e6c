"""The weekly digest pushed to a provincial official's Telegram (fake Bot API on localhost,
real HTTP, real SQLite with 2026 ward reports), once per week even when run again."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from gateways.digest import DigestPusher, is_due
from stats import ingest_report, init_db
from stats.access import get_store
from tests.api.api_testlib import REPORTS, app_env, serving
from tests.channels.fake_telegram import FakeBotApi

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
CANTHO_CHAT = 100000003  # tests/data/officials_test.yaml: cantho-telegram


def test_due_only_after_the_configured_time_of_the_configured_day() -> None:
    thursday = datetime(2026, 11, 26, 8, 0, tzinfo=HCM)
    assert is_due(thursday, "thursday", "08:00")
    assert not is_due(thursday.replace(hour=7, minute=59), "thursday", "08:00")
    assert not is_due(datetime(2026, 11, 25, 9, 0, tzinfo=HCM), "thursday", "08:00")
    assert not is_due(thursday, "", "08:00")  # switched off


async def test_digest_reaches_telegram_once_per_week(tmp_path: Path) -> None:
    with serving(FakeBotApi()) as fake, app_env(
            tmp_path, TELEGRAM_BOT_TOKEN="123456:DIGEST", TELEGRAM_BASE_URL=f"{fake.url}/bot",
            TROLY06_DIGEST_DAY="thursday", TROLY06_DIGEST_TIME="08:00") as settings:
        init_db(settings.sqlalchemy_url)
        for name in ("cantho_tanan_2026-11-18.txt", "cantho_tanan_2026-11-25.docx"):
            ingest_report(REPORTS / name, url=settings.sqlalchemy_url)
        pusher = DigestPusher(settings, get_store(settings.officials_file))
        try:
            assert await pusher.run_due(datetime(2026, 11, 25, 9, 0, tzinfo=HCM)) == 0
            sent = await pusher.run_due(datetime(2026, 11, 26, 8, 30, tzinfo=HCM))
            again = await pusher.run_due(datetime(2026, 11, 26, 9, 30, tzinfo=HCM))
        finally:
            await pusher.aclose()
        texts = [c["text"] for c in fake.calls_of("sendMessage", CANTHO_CHAT)]
        photos = fake.calls_of("sendPhoto", CANTHO_CHAT)
        assert sent >= 1 and again == 0
        assert len(texts) >= 1 and "Cần Thơ" in texts[0] and "19/11" in texts[0]
        assert "Tân An" in "\n".join(texts) and "chưa gửi báo cáo" in "\n".join(texts)
        assert len(photos) == 1 and photos[0]["photo"]["bytes"].startswith(b"\x89PNG")
        # a city official (Ngã Bảy) is not a digest recipient
        assert not fake.calls_of("sendMessage", 100000001)


@pytest.fixture(autouse=True)
def _no_today_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TROLY06_TODAY", raising=False)
