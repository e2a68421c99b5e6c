"""Chat turns: one row per citizen message and how it was handled, for the analytics, the
unanswered questions and the "not sure twice in a row" rule. Only a hash of the sender is
kept, and only masked questions (of turns the assistant could not answer)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from handoff.db import engine, now
from handoff.models import Turn

KEEP_QUESTION = ("not_sure", "refused", "handoff")


def sender_hash(sender: str) -> str:
    """The same short hash :mod:`troly06.feedback` stores."""
    return hashlib.sha256(sender.encode("utf-8")).hexdigest()[:16]


def record_turn(url: str, sender: str, channel: str, status: str, *, unit: str = "",
                topic: str = "", entry_id: str = "", question: str = "",
                at: datetime | None = None) -> None:
    """Store one turn; the (masked) question only when it went unanswered."""
    with Session(engine(url)) as s:
        s.add(Turn(at=at or now(), sender_hash=sender_hash(sender), channel=channel[:16],
                   unit=unit[:40], status=status[:16], topic=(topic or "")[:40],
                   entry_id=(entry_id or "")[:255],
                   question=question[:1000] if status in KEEP_QUESTION else ""))
        s.commit()


def recent_statuses(url: str, sender: str, n: int) -> list[str]:
    """The statuses of the sender's last ``n`` turns, newest first."""
    with Session(engine(url)) as s:
        return list(s.scalars(select(Turn.status).where(
            Turn.sender_hash == sender_hash(sender)).order_by(Turn.id.desc()).limit(n)))


def turns_between(url: str, start: datetime | None = None, end: datetime | None = None
                  ) -> list[Turn]:
    """Every turn in ``[start, end)`` (all when unbounded), oldest first."""
    with Session(engine(url), expire_on_commit=False) as s:
        query = select(Turn)
        if start is not None:
            query = query.where(Turn.at >= start.astimezone(UTC))
        if end is not None:
            query = query.where(Turn.at < end.astimezone(UTC))
        return list(s.scalars(query.order_by(Turn.id)))


def last_topic(url: str, sender: str) -> str:
    """The topic of the sender's latest turn that had one ("" if none)."""
    with Session(engine(url)) as s:
        return s.scalar(select(Turn.topic).where(
            Turn.sender_hash == sender_hash(sender), Turn.topic != "")
            .order_by(Turn.id.desc()).limit(1)) or ""
