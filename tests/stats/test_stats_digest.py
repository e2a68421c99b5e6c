"""The weekly digest of a provincial official over real 2026 ward reports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from stats import ingest_report
from stats.access import OfficialStore
from stats.digest import build_digest, digest_week

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "tests" / "data" / "reports"
OFFICIALS = OfficialStore.from_file(ROOT / "tests" / "data" / "officials_test.yaml")


def test_the_digest_week_is_the_last_ended_report_week() -> None:
    # Thursday 26/11/2026: the week 19/11–25/11 (Thu–Wed) has just ended
    assert digest_week(date(2026, 11, 26)) == (date(2026, 11, 19), date(2026, 11, 25))
    assert digest_week(date(2026, 11, 25)) == (date(2026, 11, 12), date(2026, 11, 18))


def test_digest_has_totals_ranking_missing_units_and_a_chart(db_url: str) -> None:
    for name in ("cantho_tanan_2026-11-18.txt", "cantho_tanan_2026-11-25.docx"):
        ingest_report(REPORTS / name, url=db_url)
    official = OFFICIALS.get("cantho-telegram")
    digest = build_digest(official, url=db_url, today=date(2026, 11, 26))
    assert digest is not None and digest.period == (date(2026, 11, 19), date(2026, 11, 25))
    text = digest.text
    assert "Cần Thơ" in text and "19/11" in text and "Tân An" in text, text
    assert "chưa gửi báo cáo" in text  # Cần Thơ has 103 communes; one reported
    assert digest.png is not None and digest.png.startswith(b"\x89PNG")
    # a city official gets no provincial digest
    assert build_digest(OFFICIALS.get("ngabay-telegram"), url=db_url,
                        today=date(2026, 11, 26)) is None
