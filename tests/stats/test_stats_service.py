"""The one statistics answering service (stats/service.py) over a real SQLite database with
real reports: scope, follow-ups through the context, latest report, ranking, errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from stats import ingest_report
from stats.access import OfficialStore
from stats.service import StatsContext, StatsRequest, StatsService, wants_rank
from troly06.wording import say

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "tests" / "data" / "reports"
OFFICIALS = OfficialStore.from_file(ROOT / "tests" / "data" / "officials_test.yaml")
NGABAY = OFFICIALS.get("ngabay-telegram")
PROVINCE = OFFICIALS.get("haugiang-telegram")
WEEKS = ("ngabay_2023-07-05.txt", "ngabay_2023-07-12_seed.txt", "ngabay_2023-07-19.txt")


@pytest.fixture()
def service(db_url: str) -> StatsService:
    for name in (*WEEKS, "longmy_tx_2023-07-12.docx", "chauthanh_2023-07-12.pdf"):
        ingest_report(REPORTS / name, url=db_url)
    return StatsService(url=db_url, today=lambda: date(2023, 7, 20))


def test_a_citizen_gets_the_refusal_and_no_context(service: StatsService) -> None:
    reply = service.answer(None, StatsRequest(locality="Ngã Bảy"),
                           StatsContext(locality="Ngã Bảy"))
    assert reply.status == "not_official" and reply.text == say("stats.not_official")
    assert reply.context == StatsContext()


def test_out_of_scope_is_refused_and_forgotten(service: StatsService) -> None:
    reply = service.answer(NGABAY, StatsRequest(locality="Vị Thanh", period="tuần 28/2023"))
    assert reply.status == "forbidden" and "Vị Thanh" in reply.text
    assert reply.context.locality is None and not reply.data


def test_no_period_means_the_latest_report_with_its_dates(service: StatsService) -> None:
    reply = service.answer(NGABAY, StatsRequest(locality="Ngã Bảy"))
    assert reply.ok and reply.context.period is not None
    start, end = reply.context.period
    assert end == date(2023, 7, 19), reply.context.period  # the last report's last day
    assert f"{end.day:02d}/{end.month:02d}" in reply.text or f"{end.day}/{end.month}" in \
        reply.text
    latest = service.answer(NGABAY, StatsRequest(locality="Ngã Bảy", period="số liệu mới nhất"))
    assert latest.context.period == reply.context.period


def test_follow_ups_keep_the_thread(service: StatsService) -> None:
    first = service.answer(NGABAY, StatsRequest(locality="Ngã Bảy", period="tuần 28/2023"))
    assert first.ok
    week28 = first.context.period
    compare = service.answer(NGABAY, StatsRequest(kind="compare"), first.context)
    assert compare.ok and compare.context.period == week28
    assert "tăng" in compare.text or "giảm" in compare.text or "không đổi" in compare.text
    # an indicator named alone narrows the same place and week
    narrowed = service.answer(NGABAY, StatsRequest(indicators=("tài khoản VNeID",)),
                              compare.context)
    assert narrowed.context.period == week28 and narrowed.context.locality == first.context.locality
    assert narrowed.context.indicators and narrowed.ok


def test_a_named_but_unreadable_period_is_asked_back(service: StatsService) -> None:
    reply = service.answer(NGABAY, StatsRequest(locality="Ngã Bảy", period="hôm kia kìa"))
    assert reply.status == "bad_period" and reply.buttons


def test_unknown_indicator_is_said_not_guessed(service: StatsService) -> None:
    reply = service.answer(NGABAY, StatsRequest(locality="Ngã Bảy",
                                                indicators=("số con mèo",)))
    assert reply.status == "unknown_indicator" and "số con mèo" in reply.text


def test_ranking_covers_only_the_units_the_official_sees(service: StatsService) -> None:
    assert wants_rank("xếp hạng các địa bàn") and wants_rank("dia ban nao cao nhat")
    assert not wants_rank("số liệu Ngã Bảy tuần này")
    wide = service.answer(PROVINCE, StatsRequest(kind="rank", period="tuần 28/2023",
                                                 indicators=("tài khoản VNeID",)))
    narrow = service.answer(NGABAY, StatsRequest(kind="rank", period="tuần 28/2023",
                                                 indicators=("tài khoản VNeID",)))
    assert wide.ok and len(wide.data["rows"]) >= 2
    assert narrow.ok and [r["locality"] for r in narrow.data["rows"]] == ["Ngã Bảy"]


def test_trend_comes_with_one_chart(service: StatsService) -> None:
    reply = service.answer(NGABAY, StatsRequest(kind="trend", locality="Ngã Bảy",
                                                indicators=("cấp đổi",)))
    assert reply.ok and reply.png and reply.png.startswith(b"\x89PNG")
    assert len(reply.data["points"]) == len(WEEKS)


def test_missing_reports_are_checked_against_the_provinces_unit_list(
        service: StatsService) -> None:
    from stats.service import wants_missing

    assert wants_missing("địa bàn nào chưa gửi báo cáo tuần 28")
    reply = service.answer(PROVINCE, StatsRequest(kind="missing", period="tuần 28/2023"))
    assert reply.ok, reply.text
    missing = {u["name"] for u in reply.data["missing"]}
    # week 28/2023: Ngã Bảy, thị xã Long Mỹ and Châu Thành reported; Hậu Giang had 8 districts
    assert reply.data["expected"] == 8
    assert {"Vị Thanh", "Phụng Hiệp", "Vị Thủy", "Châu Thành A"} <= missing
    assert "Ngã Bảy" not in missing and "Châu Thành" not in missing
    assert str(len(missing)) in reply.text
    # an official of one city may not list another province's units
    assert service.answer(NGABAY, StatsRequest(kind="missing", locality="Hà Nội",
                                               period="tuần 28/2023")).status in (
        "forbidden", "need_locality")
