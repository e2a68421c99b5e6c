"""Regenerate the weekly-report test variants and their expected figures.

    .venv/bin/python tests/data/reports/make_variants.py

Writes next to this file: text/.docx/.pdf reports in the seed-001 format and one
``<name>.expected.json`` per report. Expected figures come from the dicts given to the
renderer (``stats.samplegen``), never from the parser, so the tests are a real check.
The seed itself (``ngabay_2023-07-12_seed.txt``) and its expected JSON were checked by hand.
The 20 MB file is generated at test time in a temporary directory (not committed).
"""

from __future__ import annotations

import json
import random
import re
from datetime import UTC, date, datetime
from pathlib import Path

from stats.samplegen import ocr_damage, random_figures, render_report

HERE = Path(__file__).resolve().parent
SEED = HERE / "ngabay_2023-07-12_seed.txt"
WEEK28 = (date(2023, 7, 6), date(2023, 7, 12))


def expected(name: str, locality: str, level: str, province: str, start: date, end: date,
             figures: dict[str, int], *, unread: int = 0, warnings: list[str] | None = None,
             drop: tuple[str, ...] = ()) -> None:
    """Write ``<name>.expected.json``."""
    data = {
        "locality": locality, "level": level, "province": province,
        "period_start": start.isoformat(), "period_end": end.isoformat(),
        "iso_week": end.isocalendar()[1],
        "figures": {k: v for k, v in figures.items() if k not in drop},
        "unread_count": unread, "warning_codes": sorted(warnings or []),
    }
    (HERE / f"{name}.expected.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def rejected(name: str, text: str | bytes, code: str) -> None:
    """A file that must be rejected with reason ``code``."""
    path = HERE / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    stem = name.rsplit(".", 1)[0]
    (HERE / f"{stem}.expected.json").write_text(
        json.dumps({"error": code}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def write_docx(path: Path, text: str) -> None:
    """One paragraph per line, as Word documents of the districts are typed (byte-stable:
    fixed document dates and zip timestamps, so regenerating changes nothing)."""
    import io
    import zipfile

    import docx

    document = docx.Document()
    stamp = datetime(2023, 7, 13, tzinfo=UTC)
    document.core_properties.created = stamp
    document.core_properties.modified = stamp
    for line in text.split("\n"):
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(2023, 7, 13, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(item.filename))


def write_pdf(path: Path, text: str) -> None:
    """Text-layer PDF (fpdf2 + matplotlib's DejaVuSans for Vietnamese); long lines wrap."""
    import matplotlib
    from fpdf import FPDF

    font = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime(2023, 7, 13, tzinfo=UTC))
    pdf.add_page()
    pdf.add_font("DejaVu", "", str(font))
    pdf.set_font("DejaVu", size=10)
    for line in text.split("\n"):
        pdf.multi_cell(0, 5, line.strip() or " ", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def seed_figures() -> dict[str, int]:
    """The seed's expected figures (hand-checked JSON)."""
    return json.loads((HERE / "ngabay_2023-07-12_seed.expected.json").read_text("utf-8"))[
        "figures"]


def main() -> None:
    """Write every variant."""
    seed_text = SEED.read_text(encoding="utf-8")
    seed_exp = json.loads((HERE / "ngabay_2023-07-12_seed.expected.json").read_text("utf-8"))
    hg = "Hậu Giang"

    # 1-2. .docx and .pdf copies of the seed: same figures.
    write_docx(HERE / "ngabay_2023-07-12_seed_docx.docx", seed_text)
    write_pdf(HERE / "ngabay_2023-07-12_seed_pdf.pdf", seed_text)
    for suffix in ("docx", "pdf"):
        (HERE / f"ngabay_2023-07-12_seed_{suffix}.expected.json").write_text(
            json.dumps(seed_exp, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    # 3. Vị Thanh, same week, plus one figure line that no indicator knows (unread).
    f = random_figures(random.Random(101))
    text = render_report("Vị Thanh", "thành phố", hg, *WEEK28, f)
    text = text.replace("+ Tiếp nhận hồ sơ đăng ký tạm vắng",
                        "+ Tiếp nhận hồ sơ cấp giấy phép lái xe tích hợp trên VNeID: 15 hồ sơ.\n"
                        "+ Tiếp nhận hồ sơ đăng ký tạm vắng")
    (HERE / "vithanh_2023-07-12.txt").write_text(text, encoding="utf-8")
    expected("vithanh_2023-07-12", "Vị Thanh", "thành phố", hg, *WEEK28, f, unread=1)

    # 4. Corrected re-submission of Vị Thanh (some figures changed).
    g = dict(f)
    g["cccd_new_from_cmnd"] += 7
    g["cccd_applications_total"] += 7
    g["eid_accounts_issued"] += 40
    g["outreach_people"] -= 10
    text = render_report("Vị Thanh", "thành phố", hg, *WEEK28, g)
    text = text.replace("Kết quả triển khai, thực hiện Đề án 06 tuần",
                        "Kết quả triển khai, thực hiện Đề án 06 tuần (bản điều chỉnh, thay thế báo"
                        " cáo đã gửi)")
    (HERE / "vithanh_2023-07-12_corrected.txt").write_text(text, encoding="utf-8")
    expected("vithanh_2023-07-12_corrected", "Vị Thanh", "thành phố", hg, *WEEK28, g)

    # 5. thị xã Long Mỹ as .docx.
    f = random_figures(random.Random(202), scale=2.0)
    write_docx(HERE / "longmy_tx_2023-07-12.docx",
               render_report("Long Mỹ", "thị xã", hg, *WEEK28, f))
    expected("longmy_tx_2023-07-12", "Long Mỹ", "thị xã", hg, *WEEK28, f)

    # 6. huyện Châu Thành as .pdf (wrapped lines in the text layer).
    f = random_figures(random.Random(303), scale=3.0)
    write_pdf(HERE / "chauthanh_2023-07-12.pdf",
              render_report("Châu Thành", "huyện", hg, *WEEK28, f))
    expected("chauthanh_2023-07-12", "Châu Thành", "huyện", hg, *WEEK28, f)

    # 7-8. Ngã Bảy the week before (start year missing) and the week after; lũy kế grows.
    base = seed_figures()
    for name, (start, end), rng_seed, sign in (
            ("ngabay_2023-07-05", (date(2023, 6, 29), date(2023, 7, 5)), 404, -1),
            ("ngabay_2023-07-19", (date(2023, 7, 13), date(2023, 7, 19)), 505, 1)):
        f = random_figures(random.Random(rng_seed))
        for code in ("farmers_assoc_entries_cumulative", "elderly_assoc_entries_cumulative"):
            f[code] = base[code] + sign * random.Random(rng_seed).randint(10, 60)
        text = render_report("Ngã Bảy", "thành phố", hg, start, end, f)
        (HERE / f"{name}.txt").write_text(text, encoding="utf-8")
        expected(name, "Ngã Bảy", "thành phố", hg, start, end, f)

    # 9. huyện Phụng Hiệp with sections 5 and 7 missing.
    f = random_figures(random.Random(606))
    omit = ("qd422", "data_cleaning")
    (HERE / "phunghiep_2023-07-12_missing_sections.txt").write_text(
        render_report("Phụng Hiệp", "huyện", hg, *WEEK28, f, omit_sections=omit),
        encoding="utf-8")
    dropped = tuple(k for k in f if k.startswith("residence_confirmation") or k in {
        "cmnd9_updated_done", "cmnd9_updated_target", "pin_structure_fixed_done",
        "pin_structure_fixed_target", "cccd_data_mismatch_reviewed_done",
        "cccd_data_mismatch_reviewed_target", "household_head_fixed_done",
        "household_head_fixed_target", "household_head_fix_escalated",
        "missing_fields_completed_done", "missing_fields_completed_target",
        "farmers_assoc_entries_cumulative", "elderly_assoc_entries_cumulative",
        "management_groups_surveyed", "merit_assoc_entries"})
    expected("phunghiep_2023-07-12_missing_sections", "Phụng Hiệp", "huyện", hg, *WEEK28, f,
             drop=dropped, warnings=["missing_section", "missing_section"])

    # 10. huyện Vị Thủy, OCR-damaged like seed 004; one number destroyed ("l1") -> unread.
    f = random_figures(random.Random(707))
    f["cccd_renewal"] = 11
    f["cccd_applications_total"] = f["cccd_new_from_cmnd"] + 11 + f["cccd_reissue"]
    text = ocr_damage(render_report("Vị Thủy", "huyện", hg, *WEEK28, f))
    text = text.replace(". Cấp đổi: 11 ho sơ", ". Cấp đổi: l1 ho sơ")
    (HERE / "vithuy_2023-07-12_ocr.txt").write_text(text, encoding="utf-8")
    expected("vithuy_2023-07-12_ocr", "Vị Thủy", "huyện", hg, *WEEK28, f, unread=1,
             drop=("cccd_renewal",))

    # 11. huyện Châu Thành A: typos, missing words ("50 hồ."), bookmarks, no year in the
    # period (inferred from the letter date), and a total that does not add up (warning).
    f = random_figures(random.Random(808))
    f["cccd_applications_total"] = f["cccd_new_from_cmnd"] + f["cccd_renewal"] + \
        f["cccd_reissue"] + 3
    text = render_report("Châu Thành A", "huyện", hg, *WEEK28, f, end_year=False)
    total = f"{f['cccd_applications_total']:02d}"
    text = (text.replace(f"+ Cấp CCCD: {total} hồ sơ. Trong đó:",
                         f"+ Cấp CCCD: {total} hồ. Trong đó:")
            .replace("Cấp đổi:", "Cấp đôi :").replace("tài khoản định danh điện tử cho công dân",
                                                      "tai khoan đinh danh điện tủ cho công dân")
            .replace("đăng ký thường trú:", "đăng ky thường trú:")
            .replace("+ Sai cấu trúc", "+ [bookmark: _Hlk106201566]Sai cấu trúc")
            .replace("Hội Nông dân", "Hội Nông  dân"))
    text = re.sub(r"(\. Cấp lại: \d+) hồ sơ\.", r"\1.", text)
    (HERE / "chauthanha_2023-07-12_typos.txt").write_text(text, encoding="utf-8")
    expected("chauthanha_2023-07-12_typos", "Châu Thành A", "huyện", hg, *WEEK28, f,
             warnings=["year_inferred", "sum_mismatch", "exceeds_total"]
             if sum(f[f"priority_group_{g}_applications"] for g in range(1, 6))
             > f["cccd_applications_total"] else ["year_inferred", "sum_mismatch"])

    # 12. Files that must be rejected.
    rejected("empty.txt", "", "empty")
    rejected("not_a_report.txt",
             "GIẤY MỜI\nỦy ban nhân dân thành phố Ngã Bảy trân trọng kính mời đồng chí dự "
             "buổi họp giao ban công tác cải cách hành chính quý III năm 2023.\nThời gian: 8 giờ"
             " 00, ngày 14/7/2023.\nĐịa điểm: Hội trường UBND thành phố.\n", "not_report")
    no_period = re.sub(r"\(Từ ngày [^)]*\)\n", "", seed_text, count=1)
    no_period = re.sub(r"\(từ ngày [^)]*\)", "", no_period)
    rejected("no_period.txt", no_period, "no_period")
    rejected("no_locality.txt", seed_text.replace("UBND thành phố Ngã Bảy báo cáo",
                                                  "Đơn vị báo cáo")
             .replace("thành phố Ngã Bảy", "đơn vị"), "no_locality")
    rejected("latin1_bytes.txt", "Báo cáo kết quả tuần, ủy ban".encode("latin-1", "replace"),
             "undecodable")


if __name__ == "__main__":
    main()
