"""Officials chat over the authenticated API, end to end: real API, real Rasa, real action
server, a real SQLite statistics database holding 2023 district reports (Hậu Giang) and
2025–2026 ward reports (Cần Thơ). Each official talks with their own API key through
``POST /api/chat``, in several turns, as they would on a portal.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from devtools.run_all import Ports, Stack
from tests.api.api_testlib import ADMIN_KEY, HAUGIANG_KEY, OFFICIALS, REPORTS, VITHANH_KEY
from tests.rasa.conftest import free_port, latest_model, need_rasa_env
from troly06.config import REPO_ROOT

pytestmark = [pytest.mark.rasa, pytest.mark.slow]
FILES = ("ngabay_2023-07-05.txt", "ngabay_2023-07-12_seed.txt", "ngabay_2023-07-19.txt",
         "vithanh_2023-07-12.txt", "longmy_tx_2023-07-12.docx", "chauthanh_2023-07-12.pdf",
         "cantho_tanan_2026-11-18.txt", "cantho_tanan_2026-11-25.docx",
         "cantho_chauthanh_2025-12-03.txt")


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    need_rasa_env()
    tmp = tmp_path_factory.mktemp("officials")
    env = {"RASA_TRACKER_DB": str(tmp / "tracker.db"),
           "DATABASE_URL": f"sqlite:///{tmp / 'troly06.db'}",
           "TROLY06_DATA_DIR": str(tmp / "var"),
           "TROLY06_INDEX_DIR": str(REPO_ROOT / "var" / "index"),
           "TROLY06_OFFICIALS_FILE": str(OFFICIALS),
           "TROLY06_TODAY": "2026-11-26", "TROLY06_RATE_LIMIT_PER_MINUTE": "100000"}
    proc = subprocess.run([sys.executable, "-m", "troly06.cli", "stats", "ingest",
                           *(str(REPORTS / f) for f in FILES)],
                          env={**os.environ, **env}, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    running = Stack(Ports(rasa=free_port(), actions=free_port(), api=free_port()),
                    models=str(latest_model()), log_dir=tmp / "logs", timeout=600, env=env)
    with running:
        yield str(running.api_url)


class Official:
    """One official's conversation through the API (their key, one sender id)."""

    def __init__(self, api: str, key: str | None, sender: str) -> None:
        self.api, self.sender = api, sender
        self.headers = {"X-API-Key": key} if key else {}

    def say(self, message: str) -> str:
        resp = httpx.post(f"{self.api}/api/chat", headers=self.headers, timeout=120,
                          json={"sender": self.sender, "message": message})
        assert resp.status_code == 200, resp.text
        return "\n".join(m.get("text") or "" for m in resp.json()["replies"])


def test_follow_ups_keep_the_place_and_the_week(api: str) -> None:
    chat = Official(api, HAUGIANG_KEY, "portal-followups")
    first = chat.say("/thongke Ngã Bảy tuần 28/2023")
    assert "Ngã Bảy" in first and "06/7" in first and "12/7" in first, first
    compare = chat.say("so với tuần trước thế nào?")
    assert "06/7" in compare or "12/7" in compare, compare  # week 28, not today's week
    assert "29/6" in compare or "05/7" in compare, compare  # against week 27
    other = chat.say("còn Vị Thanh thì sao?")
    assert "Vị Thanh" in other and ("12/7" in other or "06/7" in other), other


def test_ranking_and_missing_reports_of_a_province(api: str) -> None:
    chat = Official(api, HAUGIANG_KEY, "portal-rank")
    ranking = chat.say("xếp hạng các địa bàn theo cấp đổi thẻ tuần 28/2023")
    assert "Xếp hạng" in ranking and "1." in ranking and "2." in ranking, ranking
    missing = chat.say("địa bàn nào chưa gửi báo cáo tuần 28/2023?")
    assert "chưa gửi báo cáo" in missing and "Phụng Hiệp" in missing, missing
    assert "Ngã Bảy" not in missing.split(":", 2)[-1], missing


def test_wards_latest_report_and_totals_with_old_and_new_names(api: str) -> None:
    chat = Official(api, ADMIN_KEY, "portal-wards")
    latest = chat.say("số liệu mới nhất của phường Tân An")
    assert "Tân An" in latest and "19/11" in latest and "25/11" in latest, latest
    week = chat.say("/thongke phường Tân An tuần 47/2026")
    assert "12/11" in week and "18/11" in week, week  # the printed Thursday–Wednesday week
    old = chat.say("/thongke tỉnh Hậu Giang tuần 28/2023")
    assert "Hậu Giang" in old and "Ngã Bảy" in old, old  # the 2023 province, its districts


def test_scope_and_citizen_refusals(api: str) -> None:
    vithanh = Official(api, VITHANH_KEY, "portal-scope")
    assert "chưa được phân quyền" in vithanh.say("/thongke Ngã Bảy tuần 28/2023")
    citizen = Official(api, None, "portal-citizen")
    text = citizen.say("/thongke Ngã Bảy tuần 28/2023")
    assert "chỉ dành cho cán bộ" in text and "Ngã Bảy:" not in text
