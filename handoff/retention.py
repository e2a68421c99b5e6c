"""Retention of the handoff data (docs/security.md, Luật 91/2025/QH15): conversations closed,
their messages and chat turns older than the retention period are deleted; the audit log
and the KB proposals are kept (they hold no conversation text)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from handoff.db import engine, rowcount
from handoff.models import Conversation, Message, Turn


def purge_before(url: str, cutoff: datetime) -> dict[str, int]:
    """Delete closed conversations (with their messages) and turns older than ``cutoff``."""
    with Session(engine(url)) as s:
        old = select(Conversation.id).where(Conversation.status == "closed",
                                            Conversation.closed_at < cutoff)
        messages = rowcount(s.execute(delete(Message).where(Message.conversation_id.in_(old))))
        conversations = rowcount(s.execute(delete(Conversation).where(
            Conversation.status == "closed", Conversation.closed_at < cutoff)))
        turns = rowcount(s.execute(delete(Turn).where(Turn.at < cutoff)))
        s.commit()
    return {"conversations": conversations, "messages": messages, "turns": turns}
