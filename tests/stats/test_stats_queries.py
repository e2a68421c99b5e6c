"""Queries: week, range (sum / latest / progress), comparison, ranking, province total,
trend chart, locality matching, "tuần này" without a report. Expected values are computed
from the committed expected JSON files, never typed in."""

from __future__ import annotations

import io
import json
import random
from datetime import date
from pathlib import Path

import pytest
from stats_testlib import BACKENDS, REPORTS, new_database, valid_reports

from stats import chart_png, compare_periods, get_figures, province_total, rank, store, trend
from stats.catalogue import load_catalogue
from stats.errors import UnknownIndicator, UnknownLocality
from stats.formatting import summarize_comparison, summarize_figures, summarize_rank
from stats.periods import parse_period
from stats.samplegen import random_figures, render_report

W28 = (date(2023, 7, 6), date(2023, 7, 12))
CAT = load_catalogue()


def exp(name: str) -> dict:
    return json.loads((REPORTS / f"{name}.expected.json").read_text("utf-8"))["figures"]


# Week 28 figures per locality as stored after all ingests (Vị Thanh: the correction).
WEEK28 = {
    "Ngã Bảy": "ngabay_2023-07-12_seed", "Vị Thanh": "vithanh_2023-07-12_corrected",
    "Long Mỹ": "longmy_tx_2023-07-12", "Châu Thành": "chauthanh_2023-07-12",
    "Châu Thành A": "chauthanha_2023-07-12_typos",
    "Phụng Hiệp": "phunghiep_2023-07-12_missing_sections", "Vị Thủy": "vithuy_2023-07-12_ocr",
}


@pytest.fixture(scope="module", params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """All committed reports in one database (SQLite, and PostgreSQL when marked)."""
    url = new_database(request.param, request, tmp_path_factory.mktemp("q"))
    paths = valid_reports()
    # the correction must come after the original
    paths.sort(key=lambda p: p.name.endswith("_corrected.txt"))
    for path in paths:
        store.ingest_report(path, url=url)
    yield url
    store.dispose(url)


def test_week_figures_are_the_report(url: str) -> None:
    result = get_figures("Ngã Bảy", *W28, url=url)
    assert result.figures == exp("ngabay_2023-07-12_seed")
    assert result.progress["pin_structure_fixed"] == {"done": 1421, "target": 1641,
                                                      "percent": 86.6}
    assert len(result.reports) == 1 and result.reports[0].source_name.startswith(
        "ngabay_2023-07-12_seed")


def test_corrected_version_is_used(url: str) -> None:
    assert get_figures("Vị Thanh", *W28, url=url).figures == exp("vithanh_2023-07-12_corrected")


def test_range_sums_weekly_takes_latest_cumulative_and_progress(url: str) -> None:
    weeks = [exp("ngabay_2023-07-05"), exp("ngabay_2023-07-12_seed"), exp("ngabay_2023-07-19")]
    result = get_figures("nga bay", date(2023, 6, 26), date(2023, 7, 23), url=url)
    assert len(result.reports) == 3
    assert set(result.figures) == set(weeks[-1])  # 2023 reports carry the template's codes
    for ind in CAT.indicators:
        if ind.code not in weeks[-1]:  # codes of the 2025–2026 commune reports only
            continue
        if ind.kind == "weekly":
            assert result.figures[ind.code] == sum(w[ind.code] for w in weeks), ind.code
        else:  # cumulative and both sides of progress: the latest week
            assert result.figures[ind.code] == weeks[-1][ind.code], ind.code
    last = weeks[-1]
    prog = result.progress["missing_fields_completed"]
    assert prog["done"] == last["missing_fields_completed_done"]
    assert prog["percent"] == round(100 * last["missing_fields_completed_done"]
                                    / last["missing_fields_completed_target"], 1)


def test_week_over_week(url: str) -> None:
    cur, prev = exp("ngabay_2023-07-19"), exp("ngabay_2023-07-12_seed")
    cmp = compare_periods("TP Ngã Bảy", date(2023, 7, 13), date(2023, 7, 19), url=url)
    for code in ("cccd_applications_total", "eid_accounts_issued", "outreach_people"):
        row = cmp.changes[code]
        assert (row["current"], row["previous"]) == (cur[code], prev[code])
        assert row["delta"] == cur[code] - prev[code]
    text = summarize_comparison(cmp, ["cccd_applications_total", "sai cấu trúc"])
    assert text.startswith("Thành phố Ngã Bảy: tuần 29/2023 (13/7–19/7/2023) so với tuần "
                           "28/2023 (06/7–12/7/2023):")
    assert "Sửa số định danh sai cấu trúc:" in text  # a progress pair compares percentages
    assert "ngabay_2023-07-19.txt" in text and "ngabay_2023-07-12_seed" in text


def test_rank_localities(url: str) -> None:
    code = "cccd_applications_total"
    rows = rank(code, *W28, province="Hậu Giang", url=url)
    expected = sorted(((exp(n)[code], loc) for loc, n in WEEK28.items()),
                      key=lambda vl: (-vl[0], vl[1]))
    assert [(r.value, r.locality) for r in rows] == expected
    assert [r.rank for r in rows] == list(range(1, len(rows) + 1))
    top = rank("cấp cccd", *W28, limit=2, url=url)  # plain words, limit
    assert [r.locality for r in top] == [loc for _v, loc in expected[:2]]
    assert "1." in summarize_rank(code, rows, *W28)


def test_rank_progress_by_percent(url: str) -> None:
    rows = rank("cmnd9_updated", *W28, ascending=True, url=url)
    assert all(r.is_percent for r in rows)
    assert [r.value for r in rows] == sorted(r.value for r in rows)
    assert "Phụng Hiệp" not in {r.locality for r in rows}  # its section 7 is missing


def test_province_total_over_districts(url: str) -> None:
    result = province_total("tỉnh Hậu Giang", *W28, url=url)
    assert len(result.localities) == len(WEEK28)
    for ind in CAT.indicators:
        values = [exp(n)[ind.code] for n in WEEK28.values() if ind.code in exp(n)]
        assert result.figures.get(ind.code) == (sum(values) if values else None), ind.code
    # the same through get_figures with a province name
    assert get_figures("Hậu Giang", *W28, url=url).figures == result.figures


def test_trend_and_chart(url: str) -> None:
    points = trend("Ngã Bảy", "eid_accounts_issued", url=url)
    assert [p.value for p in points] == [exp(n)["eid_accounts_issued"] for n in (
        "ngabay_2023-07-05", "ngabay_2023-07-12_seed", "ngabay_2023-07-19")]
    assert [p.label for p in points] == ["T27/2023", "T28/2023", "T29/2023"]
    png = chart_png("Ngã Bảy", "tài khoản vneid", url=url)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    from matplotlib.image import imread

    image = imread(io.BytesIO(png), format="png")
    assert image.shape[0] > 200 and image.shape[1] > 400
    pct = trend("Ngã Bảy", "pin_structure_fixed", url=url)
    assert pct[1].value == 86.6  # 1.421/1.641


@pytest.mark.parametrize("name", ["ngã bảy", "TP Ngã Bảy", "nga bay", "thành phố Ngã Bảy",
                                  "TP. NGÃ BẢY", "Thanh pho Nga Bay", "nga bai"])
def test_locality_matching(url: str, name: str) -> None:
    assert get_figures(name, *W28, url=url).locality == "Ngã Bảy"


def test_unknown_locality_and_indicator(url: str) -> None:
    with pytest.raises(UnknownLocality) as info:
        get_figures("Cà Mau xyz", *W28, url=url)
    assert "Ngã Bảy" in info.value.message_vi  # lists what exists
    with pytest.raises(UnknownIndicator):
        rank("số lượng máy bay", *W28, url=url)


def test_ambiguous_locality_needs_level(url: str, tmp_path: Path) -> None:
    text = render_report("Long Mỹ", "huyện", "Hậu Giang", *W28,
                         random_figures(random.Random(9)))
    store.ingest_report(text.encode(), "longmy_huyen.txt", url=url)
    with pytest.raises(UnknownLocality) as info:
        get_figures("Long Mỹ", *W28, url=url)
    assert info.value.code == "ambiguous_locality"
    assert get_figures("TX Long Mỹ", *W28, url=url).figures == exp("longmy_tx_2023-07-12")
    assert get_figures("huyện Long Mỹ", *W28, url=url).level == "huyện"


def test_this_week_without_report_offers_latest(url: str) -> None:
    start, end = parse_period("tuần này", date(2026, 11, 23))
    result = get_figures("Ngã Bảy", start, end, url=url)
    assert result.reports == [] and result.figures == {}
    assert result.latest_available.period_end == date(2023, 7, 19)
    text = summarize_figures(result)
    assert text.startswith("Chưa có báo cáo của thành phố Ngã Bảy")
    assert "tuần 29/2023" in text


def test_summary_cites_report_and_formats_numbers(url: str) -> None:
    result = get_figures("Ngã Bảy", *parse_period("tuần 28/2023", date(2026, 1, 1)), url=url)
    text = summarize_figures(result, ["pin_structure_fixed", "cccd_applications_total"])
    assert "1.421/1.641" in text and "86,6%" in text
    assert "Nguồn: ngabay_2023-07-12_seed" in text and "06/7–12/7/2023" in text
