"""Parser: every committed variant, every figure; numbers; noise; rejections; 20 MB file."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from stats_testlib import REPORTS, expected_cases

from stats.errors import ReportRejected
from stats.parser import parse_number, parse_report
from stats.readers import read_bytes, read_path

CASES = expected_cases()


def test_enough_variants_committed() -> None:
    valid = [p for p, e in CASES if "error" not in e]
    assert len(valid) >= 9  # the seed + at least 8 variants
    assert {p.suffix for p in valid} >= {".txt", ".docx", ".pdf"}
    assert {e["error"] for _p, e in CASES if "error" in e} >= {"empty", "not_report"}


@pytest.mark.parametrize(("path", "exp"), CASES, ids=[p.name for p, _ in CASES])
def test_variant_every_figure(path: Path, exp: dict) -> None:
    if "error" in exp:
        with pytest.raises(ReportRejected) as info:
            doc = read_path(path)
            parse_report(doc.text, path.name, wrapped=doc.wrapped)
        assert info.value.code == exp["error"]
        assert info.value.message_vi and info.value.message_en
        return
    doc = read_path(path)
    parsed = parse_report(doc.text, path.name, wrapped=doc.wrapped)
    assert parsed.figures == exp["figures"]  # every figure, no extra one
    assert (parsed.locality, parsed.level, parsed.province) == (
        exp["locality"], exp["level"], exp["province"])
    assert parsed.period_start.isoformat() == exp["period_start"]
    assert parsed.period_end.isoformat() == exp["period_end"]
    assert parsed.iso_week == exp["iso_week"]
    assert len(parsed.unread) == exp["unread_count"]
    assert sorted(w.code for w in parsed.warnings) == exp["warning_codes"]


def test_seed_values_read_by_hand() -> None:
    """A few values of seed 001 as a person reads them (independent of the JSON)."""
    parsed = parse_report((REPORTS / "ngabay_2023-07-12_seed.txt").read_text("utf-8"))
    f = parsed.figures
    assert f["cccd_applications_total"] == 50  # "Cấp CCCD: 50 hồ." (word missing)
    assert f["cccd_reissue"] == 9  # "09"
    assert f["pin_structure_fixed_done"] == 1421 and f["pin_structure_fixed_target"] == 1641
    assert f["cmnd9_updated_done"] == 78 and f["cmnd9_updated_target"] == 81
    assert f["permanent_residence_online_total"] == 101
    assert f["temporary_absence_online"] == 0  # "00"
    assert parsed.period_start == date(2023, 7, 6) and parsed.iso_week == 28
    assert parsed.locality_display == "thành phố Ngã Bảy"


def test_unread_line_is_reported_not_dropped() -> None:
    parsed = parse_report((REPORTS / "vithanh_2023-07-12.txt").read_text("utf-8"))
    assert [u.text for u in parsed.unread] == [
        "+ Tiếp nhận hồ sơ cấp giấy phép lái xe tích hợp trên VNeID: 15 hồ sơ."]
    assert parsed.unread[0].section == "dvc25"


def test_ocr_damaged_number_goes_to_unread() -> None:
    parsed = parse_report((REPORTS / "vithuy_2023-07-12_ocr.txt").read_text("utf-8"))
    assert "cccd_renewal" not in parsed.figures
    assert "l1" in parsed.unread[0].text


def test_consistency_warning_names_the_codes() -> None:
    parsed = parse_report((REPORTS / "chauthanha_2023-07-12_typos.txt").read_text("utf-8"))
    sums = [w for w in parsed.warnings if w.code == "sum_mismatch"]
    assert sums and "cccd_applications_total" in sums[0].message
    assert parsed.period_end == date(2023, 7, 12)  # year inferred from "năm 2023"


@pytest.mark.parametrize(("token", "value"), [("1.421", 1421), ("00", 0), ("09", 9),
                                              ("2.088", 2088), ("1.234.567", 1234567)])
def test_vietnamese_numbers(token: str, value: int) -> None:
    assert parse_number(token) == value


def test_year_missing_start_and_cross_year() -> None:
    text = (REPORTS / "ngabay_2023-07-12_seed.txt").read_text("utf-8").replace(
        "(Từ ngày 06/7 đến ngày 12/7/2023)", "(Từ ngày 28/12 đến ngày 03/01/2024)")
    parsed = parse_report(text)
    assert parsed.period_start == date(2023, 12, 28)
    assert parsed.period_end == date(2024, 1, 3)


def test_done_over_target_warns() -> None:
    text = (REPORTS / "ngabay_2023-07-12_seed.txt").read_text("utf-8").replace(
        "78/81 trường hợp", "91/81 trường hợp")
    parsed = parse_report(text)
    assert "done_exceeds_target" in {w.code for w in parsed.warnings}


def test_bookmarks_and_crlf_tolerated() -> None:
    text = (REPORTS / "ngabay_2023-07-12_seed.txt").read_text("utf-8")
    noisy = text.replace("\n", "\r\n").replace("+ Cấp CCCD:", "+ [bookmark: _Hlk1]Cấp CCCD:")
    assert parse_report(noisy).figures == parse_report(text).figures


@pytest.mark.parametrize(("raw", "name", "code"), [
    (b"", "a.txt", "empty"),
    (b"   \n\n", "a.txt", "empty"),
    (b"\xc3\x28\xa0\xa1 b\xe1o c\xe1o", "a.txt", "undecodable"),
    (b"PK\x03\x04 not really a zip", "a.docx", "unreadable"),
    (b"%PDF-1.4 broken", "a.pdf", "unreadable"),
    (b"data", "a.xls", "unsupported_format"),
])
def test_reader_rejections(raw: bytes, name: str, code: str) -> None:
    with pytest.raises(ReportRejected) as info:
        read_bytes(raw, name)
    assert info.value.code == code


def _big_file(tmp_path: Path) -> Path:
    seed = (REPORTS / "ngabay_2023-07-12_seed.txt").read_text("utf-8")
    filler = ("- Tiếp tục tuyên truyền, hướng dẫn người dân kích hoạt tài khoản định danh điện "
              "tử mức độ 2 và sử dụng các tiện ích trên ứng dụng VNeID tại các xã, phường.\n")
    path = tmp_path / "big_20mb.txt"
    count = 20 * 1024 * 1024 // len(filler.encode()) + 1
    path.write_text(seed + filler * count, encoding="utf-8")
    assert path.stat().st_size >= 20 * 1024 * 1024
    return path


def test_20mb_file_too_large_for_configured_limit(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from troly06.config import get_settings

    path = _big_file(tmp_path)
    monkeypatch.setenv("TROLY06_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024))
    get_settings.cache_clear()
    started = time.perf_counter()
    with pytest.raises(ReportRejected) as info:
        read_path(path)
    assert info.value.code == "too_large"
    assert "MB" in info.value.message_vi
    assert time.perf_counter() - started < 1.0  # refused from the size, before reading

    # Under the default 25 MB byte limit the file is read, but 15 million characters are no
    # weekly report: refused by the text bound (hostile-file limits), quickly and clearly.
    monkeypatch.delenv("TROLY06_MAX_UPLOAD_BYTES")
    get_settings.cache_clear()
    started = time.perf_counter()
    with pytest.raises(ReportRejected) as info:
        read_path(path)
    assert info.value.code == "too_complex" and "quá dài" in info.value.message_vi
    assert time.perf_counter() - started < 5.0


def test_period_written_in_words() -> None:
    text = (REPORTS / "ngabay_2023-07-12_seed.txt").read_text("utf-8").replace(
        "(Từ ngày 06/7 đến ngày 12/7/2023)",
        "(Từ ngày 06 tháng 7 đến ngày 12 tháng 7 năm 2023)")
    parsed = parse_report(text)
    assert (parsed.period_start, parsed.period_end) == (date(2023, 7, 6), date(2023, 7, 12))
    assert not [w for w in parsed.warnings if w.code == "year_inferred"]


def test_docx_figures_in_a_table_keep_their_section(tmp_path: Path) -> None:
    """Section 3 typed as a two-column Word table (label | value) between paragraphs."""
    import json

    import docx

    seed = (REPORTS / "ngabay_2023-07-12_seed.txt").read_text("utf-8").split("\n")
    start = next(i for i, line in enumerate(seed) if line.startswith("+ Cấp CCCD:"))
    rows = seed[start:start + 5]  # "+ Cấp CCCD: 50 hồ." … "+ Cấp tài khoản định danh…"
    document = docx.Document()
    for line in seed[:start]:
        document.add_paragraph(line)
    table = document.add_table(rows=0, cols=2)
    for line in rows:
        label, value = line.rsplit(":", 1)
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value.strip()
    for line in seed[start + 5:]:
        document.add_paragraph(line)
    path = tmp_path / "table.docx"
    document.save(str(path))
    doc = read_path(path)
    parsed = parse_report(doc.text, path.name)
    expected = json.loads((REPORTS / "ngabay_2023-07-12_seed.expected.json").read_text("utf-8"))
    assert parsed.figures == expected["figures"]
