"""Custom Rasa components, run for real in the Rasa 3.10 environment (subprocess)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.rasa.conftest import RASA_PY, ROOT, need_rasa_env, rasa_env

pytestmark = pytest.mark.rasa


@pytest.fixture(scope="module")
def checks(tmp_path_factory: pytest.TempPathFactory) -> dict:
    need_rasa_env()
    tmp: Path = tmp_path_factory.mktemp("rasa_env")
    proc = subprocess.run([str(RASA_PY), str(ROOT / "tests/rasa/rasa_env_checks.py"), str(tmp)],
                          cwd=ROOT, env=rasa_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_lemmas_are_the_same_with_and_without_diacritics(checks: dict) -> None:
    with_marks, without = checks["lemmas"][0], checks["lemmas"][1]
    # "cccd" is expanded by the one abbreviation map, as the knowledge base expands it
    assert with_marks == without == ["cap", "doi", "can cuoc cong dan", "o", "nga", "bay"]
    assert checks["texts"][0][0] == "Cấp"  # entity values keep the user's spelling


def test_teen_code_and_emoji_tokens(checks: dict) -> None:
    assert checks["lemmas"][2] == ["khong", "duoc", "emoji_thumbs_up"]


def test_tokenizer_masks_personal_numbers(checks: dict) -> None:
    assert "012345678901" not in checks["masked_text"]
    assert "[số định danh đã ẩn]" in checks["masked_text"]
    assert "[số điện thoại đã ẩn]" in checks["masked_text"]
    assert set(checks["pii"]) == {"id", "phone"} and checks["pii_in_output"]


def test_slash_commands_are_rewritten(checks: dict) -> None:
    cmds = checks["commands"]
    assert cmds["/thongke Ngã Bảy tuần này"] == "thongke Ngã Bảy tuần này"
    assert cmds["/start"] == cmds["/menu"] == "/start"
    assert cmds["/help@troly06_bot"] == "/help"
    assert cmds["/xuhuong cấp đổi"] == "xuhuong cấp đổi"
    assert cmds["/unknown x"] == "/unknown x"
    assert cmds["không phải lệnh"] == "không phải lệnh"
    assert checks["clean"] == "thongke Ngã Bảy, gọi [số điện thoại đã ẩn]"


def test_sql_tracker_store_never_writes_the_number(checks: dict) -> None:
    store = checks["store"]
    assert store["rows"], "nothing was written"
    for row in store["rows"]:
        assert not re.search(r"\d{12}", row) and "0912" not in row, row
    assert store["user_texts"] == ["CCCD của tôi là [số định danh đã ẩn], sđt "
                                   "[số điện thoại đã ẩn]"]
    assert store["slot"] == "Ngã Bảy [số định danh đã ẩn]"


def test_split_entities_are_merged(checks: dict) -> None:
    merged = checks["merged"]
    assert [(e["entity"], e["value"]) for e in merged] == [("locality", "tx long my"),
                                                          ("period", "tuan 28")]
