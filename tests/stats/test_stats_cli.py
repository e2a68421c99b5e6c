"""The real ``troly06 stats`` command in a subprocess (JSON output, exit codes)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from stats_testlib import REPORTS

EXE = shutil.which("troly06", path=str(Path(sys.executable).parent)) or shutil.which("troly06")


def run(args: list[str], data_dir: Path, **env: str) -> subprocess.CompletedProcess:
    if EXE is None:
        pytest.fail("the troly06 command is not installed (pip install -e .)")
    full_env = {**os.environ, "TROLY06_DATA_DIR": str(data_dir), "DATABASE_URL": "",
                "TROLY06_TODAY": "", **env}
    return subprocess.run([EXE, "stats", *args], capture_output=True, text=True, timeout=120,
                          env=full_env, check=False)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli")
    files = [str(REPORTS / n) for n in ("ngabay_2023-07-05.txt", "ngabay_2023-07-12_seed.txt",
                                        "ngabay_2023-07-19.txt", "vithanh_2023-07-12.txt",
                                        "longmy_tx_2023-07-12.docx", "chauthanh_2023-07-12.pdf")]
    proc = run(["ingest", *files], path)
    assert proc.returncode == 0, proc.stderr
    assert "đã nhập – thành phố Ngã Bảy" in proc.stdout
    assert "chưa đọc được" in proc.stdout  # the unread line of the Vị Thanh report
    return path


def test_get_json_exact_shape(data_dir: Path) -> None:
    proc = run(["get", "--locality", "Ngã Bảy", "--from", "2023-07-06", "--to", "2023-07-12",
                "--json"], data_dir)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert list(out) == ["locality", "period_start", "period_end", "figures"]
    expected = json.loads((REPORTS / "ngabay_2023-07-12_seed.expected.json").read_text("utf-8"))
    assert out["locality"] == "Ngã Bảy"
    assert (out["period_start"], out["period_end"]) == ("2023-07-06", "2023-07-12")
    assert out["figures"] == expected["figures"]


def test_get_without_diacritics_and_words(data_dir: Path) -> None:
    proc = run(["get", "--locality", "nga bay", "--period", "tuần 28/2023"], data_dir)
    assert proc.returncode == 0
    assert "Số liệu thành phố Ngã Bảy" in proc.stdout and "Nguồn:" in proc.stdout


def test_ingest_rejected_file_exit_code(data_dir: Path) -> None:
    proc = run(["ingest", str(REPORTS / "not_a_report.txt"),
                str(REPORTS / "ngabay_2023-07-12_seed.txt")], data_dir)
    assert proc.returncode != 0
    assert "BỊ TỪ CHỐI" in proc.stdout and "not a Đề án 06" in proc.stdout
    assert "trùng báo cáo đã nhập" in proc.stdout  # the second file: not re-ingested


def test_ingest_json_warnings(data_dir: Path) -> None:
    proc = run(["ingest", "--json", str(REPORTS / "chauthanha_2023-07-12_typos.txt")], data_dir)
    assert proc.returncode == 0
    [item] = json.loads(proc.stdout)
    assert "sum_mismatch" in {w["code"] for w in item["warnings"]}


def test_compare_rank_chart(data_dir: Path, tmp_path: Path) -> None:
    proc = run(["compare", "--locality", "TP Ngã Bảy", "--from", "2023-07-13",
                "--to", "2023-07-19", "--json"], data_dir)
    assert proc.returncode == 0
    changes = json.loads(proc.stdout)["changes"]
    assert "cccd_applications_total" in changes
    proc = run(["rank", "--indicator", "đổi thẻ", "--period", "tuần 28/2023", "--json"], data_dir)
    rows = json.loads(proc.stdout)
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1)) and len(rows) >= 4
    assert rows == sorted(rows, key=lambda r: -r["value"])
    out = tmp_path / "c.png"
    proc = run(["chart", "--locality", "Ngã Bảy", "--indicator", "eid_accounts_issued",
                "--out", str(out)], data_dir)
    assert proc.returncode == 0 and out.read_bytes()[:4] == b"\x89PNG"


def test_unknown_locality_is_an_error(data_dir: Path) -> None:
    proc = run(["get", "--locality", "Hà Nội", "--period", "tuần 28/2023", "--json"], data_dir)
    assert proc.returncode != 0
    assert json.loads(proc.stdout)["error"] == "unknown_locality"


def test_export_csv_and_xlsx_hold_every_current_figure(data_dir: Path, tmp_path: Path) -> None:
    import csv
    import io

    from openpyxl import load_workbook

    proc = run(["export", "--format", "csv", "--from", "2023-07-06", "--to", "2023-07-12",
                "--out", "-"], data_dir)
    assert proc.returncode == 0, proc.stderr
    table = list(csv.reader(io.StringIO(proc.stdout.lstrip("\ufeff"))))
    header, body = table[0], table[1:]
    assert header[:4] == ["tinh_hien_nay", "tinh_khi_bao_cao", "cap", "dia_ban"]
    seed = json.loads((REPORTS / "ngabay_2023-07-12_seed.expected.json").read_text())
    mine = {r[header.index("ma_chi_tieu")]: int(r[header.index("gia_tri")]) for r in body
            if r[header.index("dia_ban")] == "Ngã Bảy" and r[header.index("ma_chi_tieu")]}
    assert mine == seed["figures"]  # every figure of the week, exactly
    assert {r[header.index("den_ngay")] for r in body} == {"2023-07-12"}  # one week only
    out = tmp_path / "x.xlsx"
    proc = run(["export", "--format", "xlsx", "--out", str(out)], data_dir)
    assert proc.returncode == 0, proc.stderr
    sheet = load_workbook(out, read_only=True).active
    xrows = list(sheet.iter_rows(values_only=True))
    assert list(xrows[0]) == header and len(xrows) > len(table)  # every week, not just one
    bad = run(["export", "--format", "xlsx", "--out", "-"], data_dir)
    assert bad.returncode != 0  # XLSX is never written to a terminal


def test_digest_of_a_provincial_official_and_refusal_for_a_city_one(data_dir: Path,
                                                                    tmp_path: Path) -> None:
    env = {"TROLY06_OFFICIALS_FILE": str(REPORTS.parent / "officials_test.yaml")}
    chart = tmp_path / "d.png"
    proc = run(["digest", "--official", "haugiang-telegram", "--today", "2023-07-13",
                "--chart", str(chart)], data_dir, **env)
    assert proc.returncode == 0, proc.stderr
    assert "Hậu Giang" in proc.stdout and "06/7–12/7/2023" in proc.stdout
    assert "Ngã Bảy" in proc.stdout and "chưa gửi báo cáo" in proc.stdout
    assert chart.read_bytes()[:4] == b"\x89PNG"
    city = run(["digest", "--official", "ngabay-telegram"], data_dir, **env)
    assert city.returncode != 0


def test_revert_of_a_report_that_is_not_current_is_an_error(data_dir: Path) -> None:
    proc = run(["revert", "999999"], data_dir)
    assert proc.returncode != 0
    assert "không phải bản đang dùng" in proc.stdout + proc.stderr
