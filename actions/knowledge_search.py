"""``action_answer_knowledge``: answer a citizen question from the knowledge base.

Calls :func:`knowledge.answer` (search + answer selection live there) in a worker thread so
the action server's event loop stays responsive, and replies with the answer, its source
("Nguồn: <title> (<ref>)", also as ``custom.sources``) and feedback buttons. When the
knowledge base is not sure, the honest fallback from ``knowledge`` is sent with topic buttons.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import MAIN_TOPIC_BUTTONS, buttons, had_pii, latest_text

log = logging.getLogger(__name__)

PII_NOTE = ("Lưu ý: mình không cần số định danh cá nhân hay số điện thoại của bạn; "
            "số đó đã được ẩn và không được lưu lại.")
FEEDBACK_BUTTONS = buttons(("👍 Đúng", "đúng"), ("👎 Sai", "sai"))


def _answer(question: str) -> dict[str, Any]:
    import knowledge

    return knowledge.answer(question).to_dict()


def warm_up() -> None:
    """Load the knowledge index and encoder once, so the first user does not wait."""
    try:
        _answer("kích hoạt VNeID mức 2")
    except Exception:  # noqa: BLE001 - warm-up is best effort; errors surface on real use
        log.exception("knowledge warm-up failed")


if os.environ.get("TROLY06_ACTIONS_WARMUP") == "1":
    threading.Thread(target=warm_up, name="kb-warmup", daemon=True).start()


class ActionAnswerKnowledge(Action):
    """Answer with the knowledge base's best entry and its source."""

    def name(self) -> str:
        """Action name used in the domain."""
        return "action_answer_knowledge"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[EventType]:
        """Look the question up and reply."""
        question = latest_text(tracker)
        try:
            result = await asyncio.to_thread(_answer, question)
        except Exception:  # noqa: BLE001 - never leave the user without a reply
            log.exception("knowledge.answer failed")
            dispatcher.utter_message(
                text="Xin lỗi, hệ thống tra cứu đang gặp sự cố. Bạn vui lòng thử lại sau "
                     "hoặc gặp cán bộ hỗ trợ.", buttons=MAIN_TOPIC_BUTTONS)
            return [SlotSet("last_answer_id", None), SlotSet("last_answer_kind", "error")]

        text = result["answer"].strip()
        status = result["status"]
        if had_pii(tracker) and PII_NOTE not in text and "ẩn" not in text:
            text = f"{text}\n\n{PII_NOTE}"
        if status == "answered":
            from knowledge.answer import format_sources

            src_text = format_sources(result.get("sources") or [])
            if src_text and src_text not in text:
                text = f"{text}\n\n{src_text}"
        # custom: what the channels and portals read (status, entry, sources)
        custom = {"sources": (result.get("sources") or []) if status == "answered" else [],
                  "status": status, "entry_id": result.get("entry_id")}
        offered = [{"title": t, "payload": t} for t in result.get("suggestions") or []]
        dispatcher.utter_message(
            text=text, json_message=custom,
            buttons=FEEDBACK_BUTTONS if status == "answered" else offered or MAIN_TOPIC_BUTTONS)
        return [SlotSet("last_answer_id", result.get("entry_id")),
                SlotSet("last_answer_kind", f"knowledge:{status}")]
