"""KB editing from the console over the real app: a KB editor proposes an entry, the same
person cannot approve it, a second editor does, publishing writes the entry into the KB files
and rebuilds the index in the background while the old index keeps answering; then the new
entry answers. The KB and its index are copies in a temporary directory."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from fastapi.testclient import TestClient

from api.main import create_app
from console.proposals import PUBLISHED_FILE
from knowledge.kb import validate_entries
from tests.api.api_testlib import app_env
from tests.handoff.handoff_testlib import ALWAYS_OPEN, csrf, login, make_accounts
from troly06.config import REPO_ROOT

NEW_QUESTION = "Tài khoản VNeID hiển thị sai họ tên thì sửa thế nào?"


def entry() -> dict[str, object]:
    return {
        "id": "console_vneid_sai_ho_ten", "kind": "faq", "topic": "dinh_danh",
        "title": "Tài khoản VNeID hiển thị sai họ tên",
        "answer": ("Họ tên trên tài khoản VNeID lấy từ Cơ sở dữ liệu quốc gia về dân cư. Khi "
                   "sai, bạn đến Công an xã, phường nơi cư trú đề nghị điều chỉnh thông tin "
                   "dân cư; sau khi dữ liệu được cập nhật, VNeID tự hiển thị họ tên đúng."),
        "questions": ["VNeID hiển thị sai họ tên", "sửa họ tên sai trên VNeID",
                      "tên trên VNeID bị sai chính tả", "VNeID ghi sai tên mình",
                      "điều chỉnh họ tên sai trong VNeID", NEW_QUESTION],
        "legal_basis": [{"doc": "Luật Căn cước số 26/2023/QH15", "article": "Điều 10"}],
        "source": {"title": "Cổng Dịch vụ công quốc gia", "ref": "https://dichvucong.gov.vn",
                   "date": "2026-11-20"},
        "official_page": "https://dichvucong.gov.vn", "verified": "2026-12-01",
        "tags": ["vneid"], "valid_from": "2024-07-01"}


def test_propose_review_publish_rebuilds_without_downtime(tmp_path: Path) -> None:
    kb, index = tmp_path / "kb", tmp_path / "index"
    shutil.copytree(REPO_ROOT / "knowledge" / "data", kb)
    shutil.copytree(REPO_ROOT / "var" / "index", index)
    with app_env(tmp_path, TROLY06_KB_DIR=str(kb), TROLY06_INDEX_DIR=str(index),
                 **ALWAYS_OPEN) as s:
        make_accounts(s.sqlalchemy_url)
        app = create_app(s)
        with TestClient(app):
            one = TestClient(app, base_url="http://console.test")
            two = TestClient(app, base_url="http://console.test")
            op = TestClient(app, base_url="http://console.test")
            t1, t2, t3 = login(one, "bientap1"), login(two, "bientap2"), login(op, "canbo.cantho")
            base = "/console/api/kb/proposals"
            assert op.post(base, headers=csrf(t3), json=entry()).status_code == 403
            assert one.post(base, json=entry()).status_code == 403          # no CSRF
            bad = one.post(base, headers=csrf(t1), json={**entry(), "legal_basis": []})
            assert bad.status_code == 422 and "legal" in bad.json()["message_en"]
            assert one.post(base, headers=csrf(t1), json={**entry(), "id": "cu_tru_dang_ky_"
                                                          "thuong_tru"}).status_code == 409
            created = one.post(base, headers=csrf(t1), json=entry())
            assert created.status_code == 201
            pid = created.json()["id"]
            assert one.post(f"{base}/{pid}/publish", headers=csrf(t1)).status_code == 409
            assert one.post(f"{base}/{pid}/review", headers=csrf(t1),
                            json={"approve": True}).json()["error"] == "same_person"
            assert two.post(f"{base}/{pid}/review", headers=csrf(t2),
                            json={"approve": True, "note": "nguồn đúng"}).status_code == 200
            published = two.post(f"{base}/{pid}/publish", headers=csrf(t2))
            assert published.status_code == 200 and published.json()["rebuild"] == "started"
            # the old index answers while the new one is built
            during = two.post("/api/chat", json={"sender": "w-kb", "message":
                                                 "Quên mật khẩu VNeID thì làm sao?"})
            assert during.json()["replies"][0]["custom"]["status"] == "answered"
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline:
                state = two.get(base).json()["rebuild"]
                if state and state["status"] != "running":
                    break
                time.sleep(0.5)
            assert state["status"] == "done", state
            assert validate_entries(kb) == [] and (kb / PUBLISHED_FILE).exists()
            after = two.post("/api/chat", json={"sender": "w-kb2", "message": NEW_QUESTION})
            assert after.json()["replies"][0]["custom"]["entry_id"] == "console_vneid_sai_ho_ten"
            admin = TestClient(app, base_url="http://console.test")
            login(admin, "quantri")
            events = [(e["actor"], e["action"]) for e in
                      admin.get("/console/api/audit").json()["events"]]
            assert {("bientap1", "kb_propose"), ("bientap2", "kb_approve"),
                    ("bientap2", "kb_publish")} <= set(events)
