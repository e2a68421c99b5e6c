"""The gateway's handoff with Rasa up (a stand-in Rasa client): Rasa's action_handoff
(``custom.handoff: request``) opens a handoff, Rasa's not-sure answers count toward the
offer, the limit is configurable, and a broken handoff database never breaks the chat."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gateways.chat import ChatService
from gateways.handoff import HandoffGate
from handoff import load_config, parse_schedule
from troly06.config import REPO_ROOT
from troly06.identity import Identity


class FakeRasa:
    def __init__(self, replies: list[list[dict[str, Any]]]) -> None:
        self.replies = replies
        self.seen: list[str] = []

    async def send(self, sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        self.seen.append(text)
        return self.replies.pop(0)

    async def aclose(self) -> None:
        pass


def gate(url: str, limit: int = 2) -> HandoffGate:
    return HandoffGate(url, load_config(str(REPO_ROOT / "config" / "handoff.yaml")),
                       parse_schedule("mon-sun 00:00-24:00"), not_sure_limit=limit)


NOT_SURE = [{"text": "Mình chưa chắc", "custom": {"status": "not_sure"}}]


async def test_rasa_action_handoff_opens_the_queue(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'g.db'}"
    rasa = FakeRasa([[{"text": "Bạn có thể liên hệ…", "custom": {"handoff": "request"}}]])
    chat = ChatService(rasa, identity_key="k" * 32, handoff=gate(url))  # type: ignore[arg-type]
    result = await chat.reply(Identity("telegram", "42"), "cho mình nói với ai đó đi")
    assert result.handoff and result.handoff["status"] == "queued"
    silent = await chat.reply(Identity("telegram", "42"), "alo")
    assert silent.messages == [] and rasa.seen == ["cho mình nói với ai đó đi"]


async def test_offer_after_the_configured_number_of_not_sure_answers(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'g.db'}"
    rasa = FakeRasa([NOT_SURE, NOT_SURE, NOT_SURE])
    chat = ChatService(rasa, identity_key="k" * 32, handoff=gate(url, limit=3))  # type: ignore[arg-type]
    who = Identity("zalo", "9")
    assert len((await chat.reply(who, "a")).messages) == 1
    assert len((await chat.reply(who, "b")).messages) == 1
    third = (await chat.reply(who, "c")).messages
    assert third[-1]["custom"] == {"handoff": "offer"}


async def test_a_broken_handoff_database_lets_the_bot_answer(tmp_path: Path) -> None:
    (tmp_path / "dir.db").mkdir()  # a directory where the SQLite file should be
    rasa = FakeRasa([[{"text": "Câu trả lời của trợ lý"}]])
    broken = gate(f"sqlite:///{tmp_path / 'dir.db'}")
    chat = ChatService(rasa, identity_key="k" * 32, handoff=broken)  # type: ignore[arg-type]
    result = await chat.reply(Identity("web", "w-x"), "gặp cán bộ")
    assert result.messages[0]["text"] == "Câu trả lời của trợ lý"
