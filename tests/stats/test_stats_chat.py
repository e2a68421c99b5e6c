"""Pure chat helpers: intents, locality/indicator extraction, access-checked answers."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pytest
from stats_testlib import REPORTS

from stats import store
from stats.chat import answer_question, detect_intent, extract_codes, extract_locality

TODAY = date(2023, 7, 13)  # Thursday of week 28: "tuần này" holds the 06/7–12/7 report
OFFICIALS = Path(__file__).resolve().parents[2] / "config" / "officials.yaml"


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('chat') / 'stats.db'}"
    for name in ("ngabay_2023-07-05.txt", "ngabay_2023-07-12_seed.txt", "ngabay_2023-07-19.txt",
                 "vithanh_2023-07-12.txt", "chauthanh_2023-07-12.pdf",
                 "chauthanha_2023-07-12_typos.txt"):
        store.ingest_report(REPORTS / name, url=url)
    yield url
    store.dispose(url)


@pytest.fixture(autouse=True)
def _officials(monkeypatch: pytest.MonkeyPatch) -> None:
    from troly06.config import get_settings

    monkeypatch.setenv("TROLY06_OFFICIALS_FILE", str(OFFICIALS))
    get_settings.cache_clear()


@pytest.mark.parametrize(("text", "intent"), [
    ("/thongke Ngã Bảy tuần này", "figures"), ("/sosanh Ngã Bảy", "compare"),
    ("/xuhuong Ngã Bảy cccd", "trend"), ("so với tuần trước thế nào", "compare"),
    ("địa bàn nào cấp cccd cao nhất", "rank"), ("tuần này Ngã Bảy cấp bao nhiêu CCCD?",
                                                 "figures")])
def test_detect_intent(text: str, intent: str) -> None:
    assert detect_intent(text) == intent


def test_extract_locality_and_codes(url: str) -> None:
    assert extract_locality("tuần này nga bay cấp bao nhiêu CCCD?", url=url) == "Ngã Bảy"
    assert extract_locality("số liệu huyện Châu Thành A", url=url) == "huyện Châu Thành A"
    assert extract_locality("Châu Thành tuần 28", url=url) == "Châu Thành"
    assert extract_locality("tỉnh Hậu Giang tuần 28", url=url) == "tỉnh Hậu Giang"
    assert extract_locality("thời tiết hôm nay", url=url) is None
    assert extract_codes("cccd cấp đổi tuần này") == ["cccd_renewal"]
    assert extract_codes("tiến độ sai cấu trúc") == ["pin_structure_fixed"]


def test_answer_for_official(url: str) -> None:
    reply = answer_question("tuần này Ngã Bảy cấp bao nhiêu CCCD?", channel="telegram",
                            user_id="100000001", today=TODAY, url=url)
    assert reply.status == "answered"
    assert "Hồ sơ cấp CCCD (tổng): 50 hồ sơ" in reply.text
    assert "Nguồn: ngabay_2023-07-12_seed.txt (báo cáo 06/7–12/7/2023)" in reply.text


def test_non_official_refused_politely_and_logged_without_content(
        url: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="troly06.stats.access")
    secret = "Ngã Bảy cấp bao nhiêu CCCD cho 079123456789"
    reply = answer_question(secret, channel="telegram", user_id="555", today=TODAY, url=url)
    assert reply.status == "refused" and "chỉ dành cho cán bộ" in reply.text
    assert "079123456789" not in caplog.text and "CCCD cho" not in caplog.text
    assert "not_official" in caplog.text


def test_official_limited_to_own_locality(url: str) -> None:
    reply = answer_question("/thongke Vị Thanh tuần này", channel="telegram",
                            user_id="100000001", today=TODAY, url=url)
    assert reply.status == "refused"
    province = answer_question("/thongke Vị Thanh tuần này", channel="telegram",
                               user_id="100000002", today=TODAY, url=url)
    assert province.status == "answered"


def test_this_week_without_report_offers_latest(url: str) -> None:
    reply = answer_question("/thongke Ngã Bảy tuần này", channel="telegram",
                            user_id="100000001", today=date(2026, 11, 23), url=url)
    assert reply.status == "no_data"
    assert "Chưa có báo cáo" in reply.text and "tuần 29/2023" in reply.text


def test_compare_trend_rank(url: str) -> None:
    cmp = answer_question("so với tuần trước thế nào, Ngã Bảy cấp cccd", channel="telegram",
                          user_id="100000001", today=date(2023, 7, 20), url=url)
    assert cmp.status == "answered" and "so với" in cmp.text
    trend = answer_question("/xuhuong Ngã Bảy tài khoản vneid", channel="telegram",
                            user_id="100000001", today=TODAY, url=url)
    assert trend.chart_png is not None and trend.chart_png[:4] == b"\x89PNG"
    ranked = answer_question("/xephang cấp cccd tuần 28/2023", channel="api",
                             user_id="x", today=TODAY, url=url)
    assert ranked.status == "refused"  # api officials are found by key, not user id
    ranked = answer_question("/xephang cấp cccd tuần 28/2023", channel="telegram",
                             user_id="100000002", today=TODAY, url=url)
    lines = [line for line in ranked.text.splitlines() if line[:2] in {"1.", "2.", "3.", "4."}]
    assert ranked.status == "answered" and len(lines) == 4
    own = answer_question("/xephang cấp cccd tuần 28/2023", channel="telegram",
                          user_id="100000001", today=TODAY, url=url)
    assert "Ngã Bảy" in own.text and "Vị Thanh" not in own.text  # only visible localities


def test_need_locality(url: str) -> None:
    reply = answer_question("/thongke tuần này", channel="telegram", user_id="100000001",
                            today=TODAY, url=url)
    assert reply.status == "need_locality"
