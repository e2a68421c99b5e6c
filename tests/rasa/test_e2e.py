"""End to end: the real action server and Rasa server, over HTTP (REST channel).

Starts the stack once for this module through devtools/run_all.py's ``Stack`` on free ports,
with its own SQLite tracker database, and checks the replies of the README's examples.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from devtools.run_all import Ports, Stack
from tests.rasa.conftest import free_port, latest_model, need_rasa_env

pytestmark = [pytest.mark.rasa, pytest.mark.slow]
ID_NUMBER = "012345678901"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    need_rasa_env()
    model = latest_model()
    tmp = tmp_path_factory.mktemp("e2e")
    running = Stack(Ports(rasa=free_port(), actions=free_port(), api=None),
                    models=str(model), log_dir=tmp / "logs", with_api=False, timeout=600,
                    env={"RASA_TRACKER_DB": str(tmp / "tracker.db")})
    running.tracker_db = tmp / "tracker.db"  # type: ignore[attr-defined]
    with running:
        yield running


def say(stack: Stack, sender: str, message: str) -> list[dict]:
    resp = httpx.post(f"{stack.rasa_url}/webhooks/rest/webhook",
                      json={"sender": sender, "message": message}, timeout=120)
    resp.raise_for_status()
    replies = resp.json()
    assert replies, f"no reply to {message!r}"
    return replies


def text_of(replies: list[dict]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def test_knowledge_answer_without_diacritics_cites_its_source(stack: Stack) -> None:
    replies = say(stack, "e2e-kb", "kich hoat vneid muc 2 the nao")
    text = text_of(replies)
    assert "Nguồn" in text
    assert "VNeID" in text or "định danh" in text
    assert any(r.get("custom", {}).get("sources") for r in replies)


def test_greeting_has_menu_buttons(stack: Stack) -> None:
    replies = say(stack, "e2e-chat", "xin chào")
    assert "Xin chào" in text_of(replies)
    assert replies[0].get("buttons")


def test_thanks(stack: Stack) -> None:
    assert "Không có gì" in text_of(say(stack, "e2e-chat", "cảm ơn"))


def test_out_of_scope_question(stack: Stack) -> None:
    text = text_of(say(stack, "e2e-oos", "hướng dẫn tôi nấu món bún bò Huế"))
    # the knowledge base decides: an honest not-sure with where to ask, never an answer
    assert "1900 0368" in text and ("chưa có thông tin chắc chắn" in text
                                    or "chưa chắc" in text), text


def test_start_command_and_unknown_text(stack: Stack) -> None:
    replies = say(stack, "e2e-menu", "/start")
    assert len(replies[0]["buttons"]) >= 4
    fallback = text_of(say(stack, "e2e-menu", "qwrt zxvb plok"))
    assert "chưa hiểu" in fallback or "chưa có thông tin chắc chắn" in fallback \
        or "chưa chắc" in fallback


def test_stats_refused_for_a_citizen(stack: Stack) -> None:
    text = text_of(say(stack, "e2e-citizen", "/thongke Ngã Bảy tuần này"))
    assert "chỉ dành cho cán bộ" in text


def test_id_number_is_not_echoed_nor_stored_nor_logged(stack: Stack) -> None:
    replies = say(stack, "e2e-pii", f"Số CCCD của tôi là {ID_NUMBER}")
    text = text_of(replies)
    assert "không cần" in text
    assert ID_NUMBER not in str(replies)
    replies = say(stack, "e2e-pii", f"tôi có cccd {ID_NUMBER} thì kích hoạt VNeID thế nào")
    assert ID_NUMBER not in str(replies) and "Nguồn" in text_of(replies)
    # Rasa's HTTP API is off: nobody reads a tracker over HTTP; the SQL store holds it masked
    assert httpx.get(f"{stack.rasa_url}/conversations/e2e-pii/tracker",
                     timeout=30).status_code == 404
    db: Path = stack.tracker_db  # type: ignore[attr-defined]
    rows = [str(json.loads(r[0])) for r in sqlite3.connect(db).execute(
        "select data from events where sender_id = 'e2e-pii'")]
    assert rows and not any(ID_NUMBER in row for row in rows)
    assert any("[số định danh đã ẩn]" in row for row in rows)
    for log in (stack.log_dir or Path()).glob("*.log"):
        assert not re.search(ID_NUMBER, log.read_text(errors="replace")), log.name


# one example argument per command family (the vocabulary itself is troly06/commands.yaml)
COMMAND_ARGS = {"stats_query": "Ngã Bảy tuần này", "stats_compare": "Ngã Bảy tuần này",
                "stats_trend": "kích hoạt VNeID"}


def test_every_command_of_the_vocabulary_reaches_its_intent(stack: Stack) -> None:
    """Each command (and alias) of troly06/commands.yaml, typed with arguments as an
    official would, is read by the trained NLU as the intent the vocabulary says."""
    from troly06.commands import commands

    db: Path = stack.tracker_db  # type: ignore[attr-defined]
    wrong = []
    for command in commands():
        for word in (command.name, *command.aliases):
            sender = f"e2e-cmd-{word}"
            say(stack, sender, f"/{word} {COMMAND_ARGS.get(command.intent, '')}".strip())
            users = [json.loads(r[0]) for r in sqlite3.connect(db).execute(
                "select data from events where sender_id = ? and type_name = 'user'",
                (sender,))]
            intent = (users[-1].get("parse_data") or {}).get("intent", {}).get("name")
            if intent != command.intent:
                wrong.append((word, intent, command.intent))
    assert wrong == []


def test_citizen_asks_where_an_old_commune_belongs_now(stack: Stack) -> None:
    text = text_of(say(stack, "e2e-units",
                       "xã Đông Phú huyện Châu Thành tỉnh Hậu Giang cũ nay thuộc xã nào?"))
    assert "Cần Thơ" in text and "Nguồn:" in text, text
