"""One rendering of a knowledge answer as a channel-neutral bot message.

Both ways a citizen gets a knowledge answer use it: the Rasa action
(``actions/knowledge_search.py``) and the gateways' degraded path when Rasa is down
(``gateways/chat.py``). So both carry the same sources line, the same feedback or suggestion
buttons and the same ``custom`` block (``status``, ``entry_id``, ``sources``,
``suggestions``) that channels
and portals read. The personal-data note is added by :func:`knowledge.answer` itself, from
what the gateway found (``pii_found``), never by looking for mask strings.
"""

from __future__ import annotations

from typing import Any

from knowledge.answer import format_sources
from troly06.wording import buttons


def render_answer(result: dict[str, Any]) -> dict[str, Any]:
    """``{"text", "buttons", "custom"}`` for ``knowledge.answer(...).to_dict()``."""
    text = str(result.get("answer") or "").strip()
    status = str(result.get("status") or "answered")
    sources = list(result.get("sources") or []) if status == "answered" else []
    src_text = format_sources(sources)
    if src_text and src_text not in text:
        text = f"{text}\n\n{src_text}"
    if status == "answered":
        offered = buttons("chat.feedback_buttons")
    else:
        offered = ([{"title": t, "payload": t} for t in result.get("suggestions") or []]
                   or buttons("chat.topic_buttons"))
    return {"text": text, "buttons": offered,
            "custom": {"sources": sources, "status": status,
                       "entry_id": result.get("entry_id"),
                       # the buttons that are entry titles (a portal can tell them apart)
                       "suggestions": list(result.get("suggestions") or [])
                       if status == "not_sure" else []}}
